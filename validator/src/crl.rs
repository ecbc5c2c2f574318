//! Certificate revocation lists (RFC 5280 §5) and their evaluation (§6.3).
//!
//! The caller supplies CRLs (fetching belongs to the service). For each certificate the
//! engine selects the CRLs in scope — issuer (or indirect CRL issuer), issuing distribution
//! point, user/CA scope, reasons — verifies each with the issuer's key (which must allow
//! cRLSign), checks thisUpdate/nextUpdate freshness, merges delta CRLs onto their base, and
//! answers good, revoked (with time and reason), stale or unavailable.

use crate::cert::{self, DistributionPoint, KeyUsageBit};
use crate::der::{self, DerError, Reader, tag};
use crate::names::{GeneralName, Name};
use crate::oid::{self, Oid};
use crate::{Certificate, Error};

/// ReasonFlags covering every reason (bits 1–8; bit 0 `unused`).
pub const ALL_REASONS: u16 = 0x1FE;

/// One revoked-certificate entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevokedEntry {
    /// userCertificate (INTEGER contents).
    pub serial: Box<[u8]>,
    /// revocationDate (Unix seconds).
    pub revocation_date: i64,
    /// CRLReason, if given.
    pub reason: Option<u8>,
    /// The certificate issuer this entry applies to (indirect CRLs), if stated or inherited.
    pub certificate_issuer: Option<Vec<GeneralName>>,
}

/// The issuingDistributionPoint extension (RFC 5280 §5.2.5).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IssuingDistributionPoint {
    /// distributionPoint.
    pub distribution_point: Option<DistributionPoint>,
    /// onlyContainsUserCerts.
    pub only_user: bool,
    /// onlyContainsCACerts.
    pub only_ca: bool,
    /// onlySomeReasons.
    pub only_some_reasons: Option<u16>,
    /// indirectCRL.
    pub indirect: bool,
    /// onlyContainsAttributeCerts.
    pub only_attribute: bool,
}

/// A parsed CRL. Clones share the parsed body (a cached CRL handed to many validations
/// is not copied); each clone has its own [`Crl::source`] label.
#[derive(Clone, Debug)]
pub struct Crl {
    body: std::sync::Arc<CrlBody>,
    source: std::sync::Arc<str>,
}

/// What a CRL says, as parsed.
#[derive(Debug)]
struct CrlBody {
    signed: crate::signed::Signed,
    issuer: Name,
    this_update: i64,
    next_update: Option<i64>,
    entries: Vec<RevokedEntry>,
    crl_number: Option<Box<[u8]>>,
    crl_number_critical: bool,
    delta_base: Option<Box<[u8]>>,
    idp: Option<IssuingDistributionPoint>,
    authority_key_id: Option<Box<[u8]>>,
    unhandled_critical: Vec<Oid>,
}

/// The label a CRL carries until [`Crl::set_source`] changes it.
pub const DEFAULT_SOURCE: &str = "caller CRL";

fn bad(field: &str, e: DerError) -> Error {
    Error::MalformedCrl {
        field: field.to_string(),
        reason: e.to_string(),
    }
}

fn malformed(field: &str, reason: String) -> Error {
    Error::MalformedCrl {
        field: field.to_string(),
        reason,
    }
}

impl Crl {
    /// Parses a DER CRL.
    pub fn from_der(input: &[u8]) -> Result<Self, Error> {
        let der: Box<[u8]> = input.into();
        let range = der::ranges_within(&der);
        let list = der::single(&der, tag::SEQUENCE).map_err(|e| bad("CertificateList", e))?;
        let mut c = Reader::new(list);
        let tbs = c.expect(tag::SEQUENCE).map_err(|e| bad("tbsCertList", e))?;
        let alg = c
            .expect(tag::SEQUENCE)
            .map_err(|e| bad("signatureAlgorithm", e))?;
        let sig = c
            .expect(tag::BIT_STRING)
            .map_err(|e| bad("signatureValue", e))?;
        c.finish().map_err(|e| bad("CertificateList", e))?;
        let sig = der::octet_aligned_bits(sig.value).map_err(|e| bad("signatureValue", e))?;

        let mut t = Reader::new(tbs.value);
        let version = match t.optional(tag::INTEGER).map_err(|e| bad("version", e))? {
            Some(v) => der::small_uint_value(v.value).map_err(|e| bad("version", e))?,
            None => 0,
        };
        if version > 1 {
            return Err(malformed(
                "version",
                format!("version {} is unknown", version + 1),
            ));
        }
        let inner = t.expect(tag::SEQUENCE).map_err(|e| bad("signature", e))?;
        if inner.full != alg.full {
            return Err(malformed(
                "signature",
                "the algorithm in tbsCertList differs from signatureAlgorithm".into(),
            ));
        }
        let issuer_tlv = t.expect(tag::SEQUENCE).map_err(|e| bad("issuer", e))?;
        let issuer = Name::from_der(issuer_tlv.full).map_err(|e| bad("issuer", e))?;
        let this_update = der::time_value(&t.read().map_err(|e| bad("thisUpdate", e))?)
            .map_err(|e| bad("thisUpdate", e))?;
        let next_update = match t.peek_tag() {
            Some(tag::UTC_TIME) | Some(tag::GENERALIZED_TIME) => Some(
                der::time_value(&t.read().map_err(|e| bad("nextUpdate", e))?)
                    .map_err(|e| bad("nextUpdate", e))?,
            ),
            _ => None,
        };
        let mut entries = Vec::new();
        if let Some(revoked) = t
            .optional(tag::SEQUENCE)
            .map_err(|e| bad("revokedCertificates", e))?
        {
            let mut r = Reader::new(revoked.value);
            let mut current_issuer: Option<Vec<GeneralName>> = None;
            while !r.is_empty() {
                let mut e = r.sequence().map_err(|e| bad("revoked entry", e))?;
                let serial = e
                    .expect(tag::INTEGER)
                    .map_err(|e| bad("userCertificate", e))?;
                let date = der::time_value(&e.read().map_err(|e| bad("revocationDate", e))?)
                    .map_err(|e| bad("revocationDate", e))?;
                let mut reason = None;
                if let Some(exts) = e
                    .optional(tag::SEQUENCE)
                    .map_err(|e| bad("crlEntryExtensions", e))?
                {
                    let mut x = Reader::new(exts.value);
                    while !x.is_empty() {
                        let (id, critical, value) = read_extension(&mut x)?;
                        match id {
                            oid::REASON_CODE => {
                                let v = der::single(value, tag::ENUMERATED)
                                    .map_err(|e| bad("reasonCode", e))?;
                                reason = Some(
                                    der::small_uint_value(v).map_err(|e| bad("reasonCode", e))?
                                        as u8,
                                );
                            }
                            oid::CERTIFICATE_ISSUER => {
                                let s = der::single(value, tag::SEQUENCE)
                                    .map_err(|e| bad("certificateIssuer", e))?;
                                current_issuer = Some(
                                    GeneralName::parse_sequence(s)
                                        .map_err(|e| bad("certificateIssuer", e))?,
                                );
                            }
                            oid::INVALIDITY_DATE => {}
                            _ if critical => {
                                return Err(malformed(
                                    "crlEntryExtensions",
                                    format!("unknown critical extension {}", oid::dotted(id)),
                                ));
                            }
                            _ => {}
                        }
                    }
                }
                e.finish().map_err(|e| bad("revoked entry", e))?;
                entries.push(RevokedEntry {
                    serial: serial.value.into(),
                    revocation_date: date,
                    reason,
                    certificate_issuer: current_issuer.clone(),
                });
            }
        }
        let mut crl = CrlBody {
            signed: crate::signed::Signed::ranges(range(tbs.full), range(alg.value), range(sig)),
            issuer,
            this_update,
            next_update,
            entries,
            crl_number: None,
            crl_number_critical: false,
            delta_base: None,
            idp: None,
            authority_key_id: None,
            unhandled_critical: Vec::new(),
        };
        if let Some(exts) = t
            .optional(tag::context_constructed(0))
            .map_err(|e| bad("crlExtensions", e))?
        {
            let seq =
                der::single(exts.value, tag::SEQUENCE).map_err(|e| bad("crlExtensions", e))?;
            let mut x = Reader::new(seq);
            while !x.is_empty() {
                let (id, critical, value) = read_extension(&mut x)?;
                match id {
                    oid::CRL_NUMBER => {
                        crl.crl_number = Some(
                            der::single(value, tag::INTEGER)
                                .map_err(|e| bad("cRLNumber", e))?
                                .into(),
                        );
                        crl.crl_number_critical = critical;
                    }
                    oid::DELTA_CRL_INDICATOR => {
                        crl.delta_base = Some(
                            der::single(value, tag::INTEGER)
                                .map_err(|e| bad("deltaCRLIndicator", e))?
                                .into(),
                        )
                    }
                    oid::AUTHORITY_KEY_ID => {
                        let mut s = Reader::new(
                            der::single(value, tag::SEQUENCE)
                                .map_err(|e| bad("authorityKeyIdentifier", e))?,
                        );
                        if let Some(k) = s
                            .optional(tag::context(0))
                            .map_err(|e| bad("authorityKeyIdentifier", e))?
                        {
                            crl.authority_key_id = Some(k.value.into());
                        }
                    }
                    oid::ISSUING_DISTRIBUTION_POINT => {
                        crl.idp =
                            Some(parse_idp(value).map_err(|e| bad("issuingDistributionPoint", e))?);
                    }
                    _ if critical => crl.unhandled_critical.push(Oid::from_der_contents(id)),
                    _ => {}
                }
            }
        }
        t.finish().map_err(|e| bad("tbsCertList", e))?;
        crl.signed.der = der;
        Ok(Crl {
            body: std::sync::Arc::new(crl),
            source: DEFAULT_SOURCE.into(),
        })
    }

    /// The CRL's DER.
    pub fn der(&self) -> &[u8] {
        &self.body.signed.der
    }
    /// The CRL issuer.
    pub fn issuer(&self) -> &Name {
        &self.body.issuer
    }
    /// thisUpdate (Unix seconds).
    pub fn this_update(&self) -> i64 {
        self.body.this_update
    }
    /// nextUpdate (Unix seconds), if present.
    pub fn next_update(&self) -> Option<i64> {
        self.body.next_update
    }
    /// The revoked entries.
    pub fn entries(&self) -> &[RevokedEntry] {
        &self.body.entries
    }
    /// Whether this is a delta CRL.
    pub fn is_delta(&self) -> bool {
        self.body.delta_base.is_some()
    }
    /// The issuingDistributionPoint, if any.
    pub fn issuing_distribution_point(&self) -> Option<&IssuingDistributionPoint> {
        self.body.idp.as_ref()
    }
    /// Labels the CRL for reports ([`crate::RevocationEntry::source`]): the URL it was
    /// fetched from, for example.
    pub fn set_source(&mut self, source: impl Into<String>) {
        self.source = source.into().into();
    }
    /// The label set by [`Crl::set_source`]; `caller CRL` by default.
    pub fn source(&self) -> &str {
        &self.source
    }
}

fn read_extension<'a>(x: &mut Reader<'a>) -> Result<(&'a [u8], bool, &'a [u8]), Error> {
    let mut e = x.sequence().map_err(|e| bad("extension", e))?;
    let id = e.oid().map_err(|e| bad("extension id", e))?;
    let critical = match e
        .optional(tag::BOOLEAN)
        .map_err(|e| bad("extension critical", e))?
    {
        Some(b) => der::boolean_value(b.value).map_err(|e| bad("extension critical", e))?,
        None => false,
    };
    let value = e
        .expect(tag::OCTET_STRING)
        .map_err(|e| bad("extension value", e))?
        .value;
    e.finish().map_err(|e| bad("extension", e))?;
    Ok((id, critical, value))
}

fn parse_idp(value: &[u8]) -> Result<IssuingDistributionPoint, DerError> {
    let mut r = Reader::new(der::single(value, tag::SEQUENCE)?);
    let mut idp = IssuingDistributionPoint::default();
    if let Some(n) = r.optional(tag::context_constructed(0))? {
        let mut dp = DistributionPoint::default();
        cert::parse_dp_name(n.value, &mut dp)?;
        idp.distribution_point = Some(dp);
    }
    let flag = |r: &mut Reader<'_>, n: u8| -> Result<bool, DerError> {
        match r.optional(tag::context(n))? {
            Some(t) => der::boolean_value(t.value),
            None => Ok(false),
        }
    };
    idp.only_user = flag(&mut r, 1)?;
    idp.only_ca = flag(&mut r, 2)?;
    if let Some(t) = r.optional(tag::context(3))? {
        idp.only_some_reasons = Some(cert::reason_bits(t.value)?);
    }
    idp.indirect = flag(&mut r, 4)?;
    idp.only_attribute = flag(&mut r, 5)?;
    r.finish()?;
    Ok(idp)
}

/// Human name of a CRLReason.
pub fn reason_name(r: u8) -> &'static str {
    match r {
        0 => "unspecified",
        1 => "keyCompromise",
        2 => "cACompromise",
        3 => "affiliationChanged",
        4 => "superseded",
        5 => "cessationOfOperation",
        6 => "certificateHold",
        8 => "removeFromCRL",
        9 => "privilegeWithdrawn",
        10 => "aACompromise",
        _ => "unknown",
    }
}

/// The revocation status of one certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CrlStatus {
    /// Every reason is covered by fresh CRLs in scope and none lists the certificate.
    Good {
        /// thisUpdate of the CRL used.
        this_update: i64,
        /// The earliest nextUpdate among the CRLs used.
        next_update: Option<i64>,
        /// The labels ([`Crl::source`]) of the CRLs used, comma-separated.
        source: String,
    },
    /// A CRL in scope lists the certificate.
    Revoked {
        /// revocationDate.
        date: i64,
        /// CRLReason.
        reason: Option<u8>,
        /// thisUpdate of the CRL.
        this_update: i64,
        /// nextUpdate of the CRL.
        next_update: Option<i64>,
        /// The label ([`Crl::source`]) of the CRL that lists the certificate.
        source: String,
    },
    /// CRLs in scope exist but are past their nextUpdate (or not yet valid).
    Stale(String),
    /// No usable CRL covers the certificate.
    Unavailable(String),
}

/// What the evaluator needs to verify a CRL signature: called with (crl issuer name, the
/// CRL) and returns whether a signer authorised for it verified the signature.
pub trait CrlSignatureCheck {
    /// Whether `crl` is signed by a key authorised to sign CRLs for `cert`'s issuer.
    fn verify_crl(&self, crl: &Crl, issuer: &Certificate) -> Result<(), String>;
}

/// Evaluates §6.3.3 for `subject` issued by `issuer` against the supplied CRLs.
pub fn status(
    subject: &Certificate,
    issuer: &Certificate,
    crls: &[Crl],
    time: i64,
    verifier: &dyn CrlSignatureCheck,
) -> CrlStatus {
    let mut reasons_covered: u16 = 0;
    let mut stale: Option<String> = None;
    let mut problems: Vec<String> = Vec::new();
    let mut earliest_next: Option<i64> = None;
    let mut used: Vec<&str> = Vec::new();
    let subject_is_ca = subject.is_ca();
    let dps: Vec<DistributionPoint> = subject
        .extensions()
        .crl_distribution_points
        .clone()
        .unwrap_or_default();

    for crl in crls.iter().filter(|c| !c.is_delta()) {
        let Some(interim) = scope(subject, subject_is_ca, &dps, crl) else {
            continue;
        };
        if interim & !reasons_covered == 0 && reasons_covered != 0 {
            continue;
        }
        if let Err(e) = verifier.verify_crl(crl, issuer) {
            problems.push(e);
            continue;
        }
        // RFC 5280 §5.2.3: conforming CRLs carry a non-critical cRLNumber.
        if crl.body.crl_number.is_none() {
            problems.push(format!(
                "the CRL of {} has no cRLNumber",
                crl.body.issuer.display()
            ));
            continue;
        }
        if crl.body.crl_number_critical {
            problems.push(format!(
                "the CRL of {} marks cRLNumber critical",
                crl.body.issuer.display()
            ));
            continue;
        }
        if let Some(c) = crl.body.unhandled_critical.first() {
            problems.push(format!("CRL has an unhandled critical extension {c}"));
            continue;
        }
        // §6.3.3 (a): freshness.
        if crl.body.this_update > time || crl.body.next_update.is_some_and(|n| n < time) {
            stale = Some(format!(
                "CRL of {} is not current at the validation time (thisUpdate {}, nextUpdate {})",
                crl.body.issuer.display(),
                crl.body.this_update,
                crl.body
                    .next_update
                    .map_or("absent".into(), |n| n.to_string())
            ));
            continue;
        }
        // Merge a delta CRL (§6.3.3 (c)) with the same scope and a base no newer than this.
        // RFC 5280 §5.2.4, §6.3.3 (c): a delta CRL applies to this complete CRL when it has the
        // same issuer and scope, its base is no newer than this CRL, and it is itself newer
        // (its cRLNumber above this one's); of several, the newest. It must be as well-formed
        // as a complete CRL (non-critical cRLNumber, no unhandled critical extension).
        let mut deltas: Vec<&Crl> = crls
            .iter()
            .filter(|d| {
                d.is_delta()
                    && d.body.issuer == crl.body.issuer
                    && d.body.idp == crl.body.idp
                    && d.body.this_update <= time
                    && d.body.next_update.is_none_or(|n| n >= time)
                    && !d.body.crl_number_critical
                    && d.body.unhandled_critical.is_empty()
                    && match (&d.body.delta_base, &d.body.crl_number, &crl.body.crl_number) {
                        (Some(base), Some(dnum), Some(num)) => {
                            int_le(base, num) && int_le(num, dnum) && !int_le(dnum, num)
                        }
                        _ => false,
                    }
            })
            .collect();
        deltas.sort_by(|a, b| {
            let key = |c: &Crl| {
                let n = c.body.crl_number.as_deref().unwrap_or(&[]);
                let n: Vec<u8> = n.iter().skip_while(|v| **v == 0).copied().collect();
                (n.len(), n)
            };
            key(b).cmp(&key(a))
        });
        let delta = deltas
            .into_iter()
            .find(|d| verifier.verify_crl(d, issuer).is_ok());
        let lists = std::iter::once(crl).chain(delta);
        let mut found: Option<(&RevokedEntry, &Crl)> = None;
        for list in lists {
            let direct = list.body.issuer == *subject.issuer();
            for e in &list.body.entries {
                if *e.serial != *subject.serial() {
                    continue;
                }
                let entry_issuer_ok = match &e.certificate_issuer {
                    Some(names) => names
                        .iter()
                        .any(|n| matches!(n, GeneralName::Directory(d) if d == subject.issuer())),
                    None => direct,
                };
                if entry_issuer_ok {
                    if e.reason == Some(8) {
                        found = None; // removeFromCRL in a delta
                    } else {
                        found = Some((e, list));
                    }
                }
            }
        }
        if let Some((e, list)) = found {
            return CrlStatus::Revoked {
                date: e.revocation_date,
                reason: e.reason,
                this_update: crl.body.this_update,
                next_update: crl.body.next_update,
                source: list.source.to_string(),
            };
        }
        for label in std::iter::once(crl).chain(delta).map(|c| c.source()) {
            if !used.contains(&label) {
                used.push(label);
            }
        }
        reasons_covered |= interim;
        earliest_next = match (earliest_next, crl.body.next_update) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if reasons_covered & ALL_REASONS == ALL_REASONS {
            return CrlStatus::Good {
                this_update: crl.body.this_update,
                next_update: earliest_next,
                source: used.join(", "),
            };
        }
    }
    if let Some(s) = stale {
        return CrlStatus::Stale(s);
    }
    if reasons_covered != 0 {
        return CrlStatus::Unavailable(
            "the CRLs in scope do not cover every revocation reason".into(),
        );
    }
    let why = if problems.is_empty() {
        format!(
            "no CRL in scope for a certificate issued by {}",
            subject.issuer().display()
        )
    } else {
        problems.join("; ")
    };
    CrlStatus::Unavailable(why)
}

/// The labels ([`Crl::source`]) of the complete CRLs in scope for `subject` (§6.3.3 (b)),
/// each once: the CRLs its revocation status was looked for in.
pub fn sources_in_scope<'c>(subject: &Certificate, crls: &'c [Crl]) -> Vec<&'c str> {
    let dps: Vec<DistributionPoint> = subject
        .extensions()
        .crl_distribution_points
        .clone()
        .unwrap_or_default();
    let mut out: Vec<&str> = Vec::new();
    for c in crls.iter().filter(|c| !c.is_delta()) {
        if scope(subject, subject.is_ca(), &dps, c).is_some() && !out.contains(&c.source()) {
            out.push(c.source());
        }
    }
    out
}

/// Whether `a <= b` for two non-negative DER INTEGER contents.
fn int_le(a: &[u8], b: &[u8]) -> bool {
    let strip = |x: &[u8]| -> Vec<u8> { x.iter().skip_while(|v| **v == 0).copied().collect() };
    let (a, b) = (strip(a), strip(b));
    (a.len(), a) <= (b.len(), b)
}

/// §6.3.3 (b): whether `crl` is in scope for the certificate; returns the interim reasons
/// mask it can cover.
fn scope(
    subject: &Certificate,
    subject_is_ca: bool,
    dps: &[DistributionPoint],
    crl: &Crl,
) -> Option<u16> {
    let idp = crl.body.idp.clone().unwrap_or_default();
    if idp.only_attribute || (idp.only_user && subject_is_ca) || (idp.only_ca && !subject_is_ca) {
        return None;
    }
    let direct = crl.body.issuer == *subject.issuer();
    let idp_reasons = idp.only_some_reasons.unwrap_or(ALL_REASONS);
    // (b)(1): the CRL issuer.
    if direct {
        // (b)(2)(i): if the IDP names a point, one of the certificate's DPs must match it.
        if let Some(idp_dp) = &idp.distribution_point {
            let matched = dps
                .iter()
                .any(|dp| dp.crl_issuer.is_none() && dp_names_match(dp, idp_dp, crl));
            if !matched {
                return None;
            }
        }
        let dp_reasons = dps
            .iter()
            .filter(|dp| dp.crl_issuer.is_none())
            .map(|dp| dp.reasons.unwrap_or(ALL_REASONS))
            .fold(
                if dps.iter().any(|d| d.crl_issuer.is_none()) {
                    0
                } else {
                    ALL_REASONS
                },
                |a, b| a | b,
            );
        return Some(idp_reasons & dp_reasons & ALL_REASONS);
    }
    // Indirect: the CRL says so, and a DP of the certificate names the CRL issuer.
    if !idp.indirect {
        return None;
    }
    let dp = dps.iter().find(|dp| {
        dp.crl_issuer.as_ref().is_some_and(|names| {
            names
                .iter()
                .any(|n| matches!(n, GeneralName::Directory(d) if *d == crl.body.issuer))
        })
    })?;
    if let Some(idp_dp) = &idp.distribution_point
        && !dp_names_match(dp, idp_dp, crl)
    {
        return None;
    }
    Some(idp_reasons & dp.reasons.unwrap_or(ALL_REASONS) & ALL_REASONS)
}

fn dp_names_match(dp: &DistributionPoint, idp: &DistributionPoint, crl: &Crl) -> bool {
    let expand = |d: &DistributionPoint| -> Vec<GeneralName> {
        let mut v = d.full_name.clone().unwrap_or_default();
        // nameRelativeToCRLIssuer: the CRL issuer's name with this RDN appended.
        if let Some(rdn) = &d.relative_name
            && let Ok(seq) = der::single(crl.body.issuer.der(), tag::SEQUENCE)
        {
            let mut inner = seq.to_vec();
            inner.extend_from_slice(rdn);
            let mut body = Vec::with_capacity(inner.len() + 4);
            crate::algorithms::der_write(tag::SEQUENCE, &inner, &mut body);
            if let Ok(n) = Name::from_der(&body) {
                v.push(GeneralName::Directory(n));
            }
        }
        v
    };
    let a = expand(dp);
    let b = expand(idp);
    if dp.full_name.is_none() && dp.relative_name.is_none() {
        // A DP with only cRLIssuer: the CRL issuer's name stands for the point.
        return dp
            .crl_issuer
            .as_ref()
            .is_some_and(|names| names.iter().any(|n| b.contains(n)));
    }
    a.iter().any(|n| b.contains(n))
}

/// Checks the signer of a CRL against the issuer certificate: the same name and key, and
/// keyUsage allowing cRLSign (RFC 5280 §6.3.3 (f)).
pub fn issuer_may_sign_crls(issuer: &Certificate) -> Result<(), String> {
    if let Some(ku) = issuer.extensions().key_usage
        && !ku.has(KeyUsageBit::CrlSign)
    {
        return Err(format!(
            "the CRL signer {} lacks keyUsage cRLSign",
            issuer.subject().display()
        ));
    }
    Ok(())
}

impl Crl {
    /// The signed `tbsCertList` DER.
    pub fn tbs(&self) -> &[u8] {
        self.body.signed.tbs()
    }
    /// The contents of `signatureAlgorithm`.
    pub fn signature_algorithm(&self) -> &[u8] {
        self.body.signed.signature_algorithm()
    }
    /// The signature bits.
    pub fn signature(&self) -> &[u8] {
        self.body.signed.signature()
    }
    /// A digest binding the signature algorithm, the signed `tbsCertList` and the signature;
    /// computed once. Keys the signature memo.
    pub fn signed_digest(&self) -> &[u8; 32] {
        self.body.signed.digest()
    }
    /// authorityKeyIdentifier keyIdentifier.
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.body.authority_key_id.as_deref()
    }
}
