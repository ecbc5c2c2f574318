//! Writing the [`crate::model`] as TS 119 612 XML (UTF-8), unsigned: the signer
//! ([`crate::sign`]) inserts `ds:Signature` as the last child of the document element.
//!
//! Elements come in the schema's order; the list namespace is the default namespace, the
//! additional types use `tslx:`, the EU qualifications `ecc:`, XAdES identifiers `xades:`,
//! and MIIT's extensions `miit:` ([`crate::xml::ns::HUREN`]), all declared on the document
//! element, which carries `Id` (the list's, else `tsl`) and `TSLTag`. Text is escaped by
//! quick-xml; characters XML 1.0 cannot carry are refused.

use crate::error::Error;
use crate::model::*;
use crate::xml::ns;
use base64ct::{Base64, Encoding};
use huren_validator::fmt_time;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// The `Id` written on the document element when the list has none.
pub const DEFAULT_ID: &str = "tsl";

/// Serialises `list` as an unsigned TS 119 612 document.
///
/// Refused ([`Error::Build`]): text with characters XML 1.0 cannot carry, times outside
/// years 0000–9999, a `ds:KeyValue` identity that is not a self-contained XML element, and a
/// service carrying critical extensions this crate does not model (writing it without them
/// would silently drop a restriction).
pub fn write_list(list: &TrustList) -> Result<String, Error> {
    let mut x = X {
        w: Writer::new_with_indent(Vec::new(), b' ', 2),
    };
    x.w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(io)?;
    let id = list.id.as_deref().unwrap_or(DEFAULT_ID);
    x.open(
        "TrustServiceStatusList",
        &[
            ("xmlns", ns::TSL),
            ("xmlns:tslx", ns::TSLX),
            ("xmlns:ecc", ns::ECC),
            ("xmlns:xades", ns::XADES),
            ("xmlns:miit", ns::HUREN),
            ("Id", id),
            ("TSLTag", TSL_TAG),
        ],
    )?;
    scheme_information(&mut x, list)?;
    if !list.providers.is_empty() {
        x.open("TrustServiceProviderList", &[])?;
        for p in &list.providers {
            provider(&mut x, p)?;
        }
        x.close("TrustServiceProviderList")?;
    }
    x.close("TrustServiceStatusList")?;
    let mut out = String::from_utf8(x.w.into_inner())
        .map_err(|_| Error::build("the writer produced invalid UTF-8"))?;
    out.push('\n');
    Ok(out)
}

fn io(e: std::io::Error) -> Error {
    Error::build(format!("writing XML: {e}"))
}

struct X {
    w: Writer<Vec<u8>>,
}

/// Refuses characters that XML 1.0 cannot carry (§2.2 `Char`).
fn check(s: &str) -> Result<(), Error> {
    match s.chars().find(|c| {
        (*c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    }) {
        Some(c) => Err(Error::build(format!(
            "the text {:?} contains the character U+{:04X}, which XML cannot carry",
            s.chars().take(60).collect::<String>(),
            c as u32
        ))),
        None => Ok(()),
    }
}

fn time(t: i64) -> Result<String, Error> {
    // 0000-01-01T00:00:00Z ..= 9999-12-31T23:59:59Z
    if !(-62_167_219_200..=253_402_300_799).contains(&t) {
        return Err(Error::build(format!(
            "the time {t} (Unix seconds) is outside years 0000-9999"
        )));
    }
    Ok(fmt_time(t))
}

impl X {
    fn start(name: &str, attrs: &[(&str, &str)]) -> Result<BytesStart<'static>, Error> {
        let mut s = BytesStart::new(name.to_string());
        for (k, v) in attrs {
            check(v)?;
            s.push_attribute((*k, *v));
        }
        Ok(s)
    }

    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<(), Error> {
        let s = Self::start(name, attrs)?;
        self.w.write_event(Event::Start(s)).map_err(io)
    }

    fn close(&mut self, name: &str) -> Result<(), Error> {
        self.w
            .write_event(Event::End(BytesEnd::new(name)))
            .map_err(io)
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<(), Error> {
        let s = Self::start(name, attrs)?;
        self.w.write_event(Event::Empty(s)).map_err(io)
    }

    /// `<name attrs>text</name>`, the text escaped (and a CR kept as `&#13;`, which a
    /// parser would otherwise turn into LF).
    fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> Result<(), Error> {
        check(text)?;
        self.open(name, attrs)?;
        let escaped = quick_xml::escape::escape(text).replace('\r', "&#13;");
        self.w
            .write_event(Event::Text(BytesText::from_escaped(escaped)))
            .map_err(io)?;
        self.close(name)
    }

    /// Elements `name` with `xml:lang` (omitted when empty) and the text.
    fn multilang(&mut self, name: &str, m: &MultiLang) -> Result<(), Error> {
        for (lang, text) in &m.0 {
            if lang.is_empty() {
                self.leaf(name, &[], text)?;
            } else {
                self.leaf(name, &[("xml:lang", lang)], text)?;
            }
        }
        Ok(())
    }

    /// `<wrapper><Name xml:lang>…</Name>…</wrapper>`.
    fn names(&mut self, wrapper: &str, m: &MultiLang) -> Result<(), Error> {
        self.open(wrapper, &[])?;
        self.multilang("Name", m)?;
        self.close(wrapper)
    }

    /// `<wrapper><URI xml:lang>…</URI>…</wrapper>`, nothing when empty.
    fn uris(&mut self, wrapper: &str, m: &MultiLang) -> Result<(), Error> {
        if m.is_empty() {
            return Ok(());
        }
        self.open(wrapper, &[])?;
        self.multilang("URI", m)?;
        self.close(wrapper)
    }

    fn time(&mut self, name: &str, t: i64) -> Result<(), Error> {
        self.leaf(name, &[], &time(t)?)
    }
}

fn address(x: &mut X, wrapper: &str, a: &Address) -> Result<(), Error> {
    if a.postal.is_empty() && a.electronic.is_empty() {
        return Ok(());
    }
    x.open(wrapper, &[])?;
    if !a.postal.is_empty() {
        x.open("PostalAddresses", &[])?;
        for p in &a.postal {
            if p.lang.is_empty() {
                x.open("PostalAddress", &[])?;
            } else {
                x.open("PostalAddress", &[("xml:lang", &p.lang)])?;
            }
            x.leaf("StreetAddress", &[], &p.street)?;
            x.leaf("Locality", &[], &p.locality)?;
            if let Some(s) = &p.state {
                x.leaf("StateOrProvince", &[], s)?;
            }
            if let Some(c) = &p.postal_code {
                x.leaf("PostalCode", &[], c)?;
            }
            x.leaf("CountryName", &[], &p.country)?;
            x.close("PostalAddress")?;
        }
        x.close("PostalAddresses")?;
    }
    x.uris("ElectronicAddress", &a.electronic)?;
    x.close(wrapper)
}

fn scheme_information(x: &mut X, l: &TrustList) -> Result<(), Error> {
    x.open("SchemeInformation", &[])?;
    x.leaf("TSLVersionIdentifier", &[], &l.version.to_string())?;
    x.leaf("TSLSequenceNumber", &[], &l.sequence.to_string())?;
    x.leaf("TSLType", &[], &l.tsl_type)?;
    x.names("SchemeOperatorName", &l.operator)?;
    address(x, "SchemeOperatorAddress", &l.operator_address)?;
    x.names("SchemeName", &l.scheme_name)?;
    x.uris("SchemeInformationURI", &l.information_uris)?;
    if !l.status_determination.is_empty() {
        x.leaf("StatusDeterminationApproach", &[], &l.status_determination)?;
    }
    x.uris("SchemeTypeCommunityRules", &l.community_rules)?;
    if let Some(t) = &l.scheme_territory {
        x.leaf("SchemeTerritory", &[], t)?;
    }
    match &l.policy_or_legal_notice {
        Some(PolicyOrLegalNotice::Policy(m)) => {
            x.open("PolicyOrLegalNotice", &[])?;
            x.multilang("TSLPolicy", m)?;
            x.close("PolicyOrLegalNotice")?;
        }
        Some(PolicyOrLegalNotice::LegalNotice(m)) => {
            x.open("PolicyOrLegalNotice", &[])?;
            x.multilang("TSLLegalNotice", m)?;
            x.close("PolicyOrLegalNotice")?;
        }
        None => {}
    }
    if let Some(h) = l.historical_period {
        x.leaf("HistoricalInformationPeriod", &[], &h.to_string())?;
    }
    if !l.pointers.is_empty() {
        x.open("PointersToOtherTSL", &[])?;
        for p in &l.pointers {
            pointer(x, p)?;
        }
        x.close("PointersToOtherTSL")?;
    }
    x.time("ListIssueDateTime", l.issued)?;
    match l.next_update {
        Some(t) => {
            x.open("NextUpdate", &[])?;
            x.time("dateTime", t)?;
            x.close("NextUpdate")?;
        }
        None => x.empty("NextUpdate", &[])?,
    }
    if !l.distribution_points.is_empty() {
        x.open("DistributionPoints", &[])?;
        for d in &l.distribution_points {
            x.leaf("URI", &[], d)?;
        }
        x.close("DistributionPoints")?;
    }
    x.close("SchemeInformation")
}

fn pointer(x: &mut X, p: &Pointer) -> Result<(), Error> {
    x.open("OtherTSLPointer", &[])?;
    if !p.signers.is_empty() {
        x.open("ServiceDigitalIdentities", &[])?;
        for s in &p.signers {
            x.open("ServiceDigitalIdentity", &[])?;
            x.open("DigitalId", &[])?;
            x.leaf("X509Certificate", &[], &Base64::encode_string(s))?;
            x.close("DigitalId")?;
            x.close("ServiceDigitalIdentity")?;
        }
        x.close("ServiceDigitalIdentities")?;
    }
    x.leaf("TSLLocation", &[], &p.location)?;
    let any = p.tsl_type.is_some()
        || p.territory.is_some()
        || p.mime_type.is_some()
        || !p.operator.is_empty()
        || !p.community_rules.is_empty()
        || p.approval.is_some();
    if any {
        x.open("AdditionalInformation", &[])?;
        if let Some(t) = &p.tsl_type {
            x.open("OtherInformation", &[])?;
            x.leaf("TSLType", &[], t)?;
            x.close("OtherInformation")?;
        }
        if let Some(t) = &p.territory {
            x.open("OtherInformation", &[])?;
            x.leaf("SchemeTerritory", &[], t)?;
            x.close("OtherInformation")?;
        }
        if let Some(m) = &p.mime_type {
            x.open("OtherInformation", &[])?;
            x.leaf("tslx:MimeType", &[], m)?;
            x.close("OtherInformation")?;
        }
        if !p.operator.is_empty() {
            x.open("OtherInformation", &[])?;
            x.names("SchemeOperatorName", &p.operator)?;
            x.close("OtherInformation")?;
        }
        if !p.community_rules.is_empty() {
            x.open("OtherInformation", &[])?;
            x.uris("SchemeTypeCommunityRules", &p.community_rules)?;
            x.close("OtherInformation")?;
        }
        if let Some(a) = &p.approval {
            x.open("OtherInformation", &[])?;
            approval(x, a)?;
            x.close("OtherInformation")?;
        }
        x.close("AdditionalInformation")?;
    }
    x.close("OtherTSLPointer")
}

fn provider(x: &mut X, p: &Provider) -> Result<(), Error> {
    x.open("TrustServiceProvider", &[])?;
    x.open("TSPInformation", &[])?;
    x.names("TSPName", &p.name)?;
    if !p.trade_names.is_empty() {
        x.names("TSPTradeName", &p.trade_names)?;
    }
    address(x, "TSPAddress", &p.address)?;
    x.uris("TSPInformationURI", &p.information_uris)?;
    x.close("TSPInformation")?;
    if !p.services.is_empty() {
        x.open("TSPServices", &[])?;
        for s in &p.services {
            service(x, s)?;
        }
        x.close("TSPServices")?;
    }
    x.close("TrustServiceProvider")
}

fn identities(x: &mut X, ids: &[DigitalIdentity]) -> Result<(), Error> {
    x.open("ServiceDigitalIdentity", &[])?;
    for id in ids {
        x.open("DigitalId", &[])?;
        match id {
            DigitalIdentity::Certificate(c) => {
                x.leaf("X509Certificate", &[], &Base64::encode_string(c))?
            }
            DigitalIdentity::SubjectName(s) => x.leaf("X509SubjectName", &[], s)?,
            DigitalIdentity::Ski(s) => x.leaf("X509SKI", &[], &Base64::encode_string(s))?,
            DigitalIdentity::KeyValue(raw) => key_value(x, raw)?,
            DigitalIdentity::Other(s) => x.leaf("Other", &[], s)?,
        }
        x.close("DigitalId")?;
    }
    x.close("ServiceDigitalIdentity")
}

/// A `ds:KeyValue` kept as its source XML: written only when it is a self-contained element
/// (every prefix it uses declared inside it), so the output stays well-formed.
fn key_value(x: &mut X, raw: &str) -> Result<(), Error> {
    let ok = roxmltree::Document::parse(raw).is_ok_and(|d| {
        let r = d.root_element();
        r.tag_name().namespace() == Some(ns::DS) && r.tag_name().name() == "KeyValue"
    });
    if !ok {
        return Err(Error::build(
            "a ds:KeyValue identity is not a self-contained XML element and cannot be written",
        ));
    }
    x.w.write_event(Event::Text(BytesText::from_escaped(raw.to_string())))
        .map_err(io)
}

fn common(
    x: &mut X,
    service_type: &ServiceType,
    name: &MultiLang,
    ids: &[DigitalIdentity],
    status: &ServiceStatus,
    status_start: i64,
) -> Result<(), Error> {
    x.leaf("ServiceTypeIdentifier", &[], &service_type.uri())?;
    x.names("ServiceName", name)?;
    identities(x, ids)?;
    x.leaf("ServiceStatus", &[], &status.uri())?;
    x.time("StatusStartingTime", status_start)
}

fn service(x: &mut X, s: &Service) -> Result<(), Error> {
    x.open("TSPService", &[])?;
    x.open("ServiceInformation", &[])?;
    common(
        x,
        &s.service_type,
        &s.name,
        &s.identities,
        &s.status,
        s.status_start,
    )?;
    x.uris("SchemeServiceDefinitionURI", &s.scheme_definition_uris)?;
    if !s.supply_points.is_empty() {
        x.open("ServiceSupplyPoints", &[])?;
        for sp in &s.supply_points {
            x.leaf("ServiceSupplyPoint", &[], sp)?;
        }
        x.close("ServiceSupplyPoints")?;
    }
    x.uris("TSPServiceDefinitionURI", &s.definition_uris)?;
    extensions(x, &s.extensions, s.name.get("en").unwrap_or(""))?;
    x.close("ServiceInformation")?;
    if !s.history.is_empty() {
        x.open("ServiceHistory", &[])?;
        for h in &s.history {
            x.open("ServiceHistoryInstance", &[])?;
            common(
                x,
                &h.service_type,
                &h.name,
                &h.identities,
                &h.status,
                h.status_start,
            )?;
            extensions(x, &h.extensions, h.name.get("en").unwrap_or(""))?;
            x.close("ServiceHistoryInstance")?;
        }
        x.close("ServiceHistory")?;
    }
    x.close("TSPService")
}

fn extensions(x: &mut X, e: &ServiceExtensions, service_name: &str) -> Result<(), Error> {
    if let Some(u) = e.unknown_critical.first() {
        return Err(Error::build(format!(
            "the service {service_name:?} carries the critical extension {u}, which this writer cannot reproduce"
        )));
    }
    let empty = e.qualifications.is_empty()
        && e.taken_over_by.is_none()
        && e.additional_info.is_empty()
        && e.ekus.is_empty()
        && e.expired_certs_revocation_info.is_none()
        && e.miit.is_none();
    if empty {
        return Ok(());
    }
    const CRITICAL: &[(&str, &str)] = &[("Critical", "true")];
    const NOT_CRITICAL: &[(&str, &str)] = &[("Critical", "false")];
    x.open("ServiceInformationExtensions", &[])?;
    if !e.qualifications.is_empty() {
        x.open("Extension", CRITICAL)?;
        x.open("ecc:Qualifications", &[])?;
        for q in &e.qualifications {
            x.open("ecc:QualificationElement", &[])?;
            x.open("ecc:Qualifiers", &[])?;
            for qual in &q.qualifiers {
                x.empty("ecc:Qualifier", &[("uri", &qual.uri())])?;
            }
            x.close("ecc:Qualifiers")?;
            criteria(x, &q.criteria)?;
            x.close("ecc:QualificationElement")?;
        }
        x.close("ecc:Qualifications")?;
        x.close("Extension")?;
    }
    if let Some(t) = &e.taken_over_by {
        x.open("Extension", NOT_CRITICAL)?;
        x.open("tslx:TakenOverBy", &[])?;
        x.multilang("tslx:URI", &t.uri)?;
        x.names("tslx:TSPName", &t.tsp_name)?;
        x.names("SchemeOperatorName", &t.operator)?;
        x.leaf("SchemeTerritory", &[], &t.territory)?;
        x.close("tslx:TakenOverBy")?;
        x.close("Extension")?;
    }
    for u in &e.additional_info {
        x.open("Extension", NOT_CRITICAL)?;
        x.open("AdditionalServiceInformation", &[])?;
        x.leaf("URI", &[("xml:lang", "en")], u)?;
        x.close("AdditionalServiceInformation")?;
        x.close("Extension")?;
    }
    if !e.ekus.is_empty() {
        x.open("Extension", CRITICAL)?;
        x.open("tslx:ExtendedKeyUsage", &[])?;
        for k in &e.ekus {
            x.open("tslx:KeyPurposeId", &[])?;
            x.leaf("xades:Identifier", &[], k)?;
            x.close("tslx:KeyPurposeId")?;
        }
        x.close("tslx:ExtendedKeyUsage")?;
        x.close("Extension")?;
    }
    if let Some(t) = e.expired_certs_revocation_info {
        x.open("Extension", NOT_CRITICAL)?;
        x.time("ExpiredCertsRevocationInfo", t)?;
        x.close("Extension")?;
    }
    if let Some(m) = &e.miit {
        miit(x, m, NOT_CRITICAL)?;
    }
    x.close("ServiceInformationExtensions")
}

fn criteria(x: &mut X, c: &CriteriaList) -> Result<(), Error> {
    x.open("ecc:CriteriaList", &[("assert", c.assert.as_str())])?;
    for ku in &c.key_usages {
        x.open("ecc:KeyUsage", &[])?;
        for (name, value) in ku {
            x.leaf(
                "ecc:KeyUsageBit",
                &[("name", name)],
                if *value { "true" } else { "false" },
            )?;
        }
        x.close("ecc:KeyUsage")?;
    }
    for set in &c.policy_sets {
        x.open("ecc:PolicySet", &[])?;
        for id in set {
            x.open("ecc:PolicyIdentifier", &[])?;
            x.leaf("xades:Identifier", &[], id)?;
            x.close("ecc:PolicyIdentifier")?;
        }
        x.close("ecc:PolicySet")?;
    }
    for n in &c.nested {
        criteria(x, n)?;
    }
    if let Some(d) = &c.description {
        x.leaf("xades:Description", &[], d)?;
    }
    x.close("ecc:CriteriaList")
}

fn oid_list(
    x: &mut X,
    wrapper: &str,
    item: &str,
    oids: &[huren_validator::Oid],
) -> Result<(), Error> {
    x.open(wrapper, &[])?;
    for o in oids {
        x.leaf(item, &[], &o.to_string())?;
    }
    x.close(wrapper)
}

/// MIIT's service extensions: one `Extension` per element.
fn miit(x: &mut X, m: &MiitServiceExtension, critical: &[(&str, &str)]) -> Result<(), Error> {
    if let Some(l) = &m.licence {
        x.open("Extension", critical)?;
        x.open("miit:Licence", &[])?;
        x.leaf("miit:Number", &[], &l.number)?;
        x.leaf("miit:IssuingAuthority", &[], &l.issuing_authority)?;
        x.time("miit:Issued", l.issued)?;
        x.time("miit:Expires", l.expires)?;
        x.close("miit:Licence")?;
        x.close("Extension")?;
    }
    if let Some(a) = &m.approval {
        x.open("Extension", critical)?;
        approval(x, a)?;
        x.close("Extension")?;
    }
    for r in &m.restrictions {
        x.open("Extension", critical)?;
        x.open("miit:Restriction", &[])?;
        x.time("miit:From", r.from)?;
        x.time("miit:Until", r.until)?;
        x.leaf("miit:Reason", &[], &r.reason)?;
        x.close("miit:Restriction")?;
        x.close("Extension")?;
    }
    if !m.policy_oids.is_empty() {
        x.open("Extension", critical)?;
        oid_list(
            x,
            "miit:CertificatePolicies",
            "miit:PolicyOID",
            &m.policy_oids,
        )?;
        x.close("Extension")?;
    }
    if let Some(c) = &m.cps_url {
        x.open("Extension", critical)?;
        x.leaf("miit:CPS", &[], c)?;
        x.close("Extension")?;
    }
    if let Some(s) = &m.successor {
        x.open("Extension", critical)?;
        x.leaf("miit:Successor", &[], s)?;
        x.close("Extension")?;
    }
    // An extension with nothing in it still marks the service as MIIT's: keep it readable
    // as such (`miit: Some(default)`), with an empty policy list.
    if m.licence.is_none()
        && m.approval.is_none()
        && m.restrictions.is_empty()
        && m.policy_oids.is_empty()
        && m.cps_url.is_none()
        && m.successor.is_none()
    {
        x.open("Extension", critical)?;
        oid_list(x, "miit:CertificatePolicies", "miit:PolicyOID", &[])?;
        x.close("Extension")?;
    }
    Ok(())
}

fn approval(x: &mut X, a: &Approval) -> Result<(), Error> {
    x.open("miit:Approval", &[])?;
    x.leaf("miit:Decision", &[], &a.decision)?;
    x.time("miit:Decided", a.decided)?;
    x.open("miit:Basis", &[])?;
    match &a.basis {
        Basis::Agreement(name) => x.leaf("miit:Agreement", &[], name)?,
        Basis::Reciprocity => x.empty("miit:Reciprocity", &[])?,
    }
    x.close("miit:Basis")?;
    x.leaf("miit:Jurisdiction", &[], &a.jurisdiction)?;
    x.time("miit:ValidFrom", a.valid_from)?;
    x.time("miit:ValidUntil", a.valid_until)?;
    oid_list(
        x,
        "miit:CertificatePolicies",
        "miit:PolicyOID",
        &a.policy_oids,
    )?;
    x.open("miit:Algorithms", &[])?;
    for r in &a.algorithms {
        x.empty(
            "miit:Algorithm",
            &[
                ("family", r.family.label()),
                ("minBits", &r.min_bits.to_string()),
            ],
        )?;
    }
    x.close("miit:Algorithms")?;
    x.open("miit:KeyUsages", &[])?;
    for k in &a.key_usages {
        x.leaf("miit:KeyUsage", &[], k)?;
    }
    x.close("miit:KeyUsages")?;
    oid_list(x, "miit:ExtendedKeyUsages", "miit:KeyPurpose", &a.ekus)?;
    x.close("miit:Approval")
}
