//! A parsed X.509 v3 certificate (RFC 5280 §4.1) with the extensions path validation reads.
//!
//! Parsing is strict DER and happens once per certificate; intermediates and anchors are
//! parsed when they are loaded and kept. Fields that no check reads stay raw bytes.

use crate::Error;
use crate::der::{self, DerError, Reader, tag};
use crate::names::{GeneralName, Name, NameConstraints};
use crate::oid::{self, Oid};
use std::ops::Range;

fn bad(field: &str, e: DerError) -> Error {
    Error::MalformedCertificate {
        field: field.to_string(),
        reason: e.to_string(),
    }
}

fn err(reason: impl Into<String>) -> Error {
    let reason = reason.into();
    match reason.split_once(": ") {
        Some((field, why)) => Error::MalformedCertificate {
            field: field.to_string(),
            reason: why.to_string(),
        },
        None => Error::MalformedCertificate {
            field: "certificate".into(),
            reason,
        },
    }
}

/// The `basicConstraints` extension (RFC 5280 §4.2.1.9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BasicConstraints {
    /// `cA`.
    pub ca: bool,
    /// `pathLenConstraint`.
    pub path_len: Option<u64>,
}

/// Bits of the `keyUsage` extension (RFC 5280 §4.2.1.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum KeyUsageBit {
    DigitalSignature = 0,
    NonRepudiation = 1,
    KeyEncipherment = 2,
    DataEncipherment = 3,
    KeyAgreement = 4,
    KeyCertSign = 5,
    CrlSign = 6,
    EncipherOnly = 7,
    DecipherOnly = 8,
}

impl KeyUsageBit {
    /// Every bit, in order.
    pub const ALL: [KeyUsageBit; 9] = [
        KeyUsageBit::DigitalSignature,
        KeyUsageBit::NonRepudiation,
        KeyUsageBit::KeyEncipherment,
        KeyUsageBit::DataEncipherment,
        KeyUsageBit::KeyAgreement,
        KeyUsageBit::KeyCertSign,
        KeyUsageBit::CrlSign,
        KeyUsageBit::EncipherOnly,
        KeyUsageBit::DecipherOnly,
    ];

    /// The RFC 5280 name (`digitalSignature`, …).
    pub fn name(self) -> &'static str {
        match self {
            KeyUsageBit::DigitalSignature => "digitalSignature",
            KeyUsageBit::NonRepudiation => "nonRepudiation",
            KeyUsageBit::KeyEncipherment => "keyEncipherment",
            KeyUsageBit::DataEncipherment => "dataEncipherment",
            KeyUsageBit::KeyAgreement => "keyAgreement",
            KeyUsageBit::KeyCertSign => "keyCertSign",
            KeyUsageBit::CrlSign => "cRLSign",
            KeyUsageBit::EncipherOnly => "encipherOnly",
            KeyUsageBit::DecipherOnly => "decipherOnly",
        }
    }

    /// Parses an RFC 5280 name; `contentCommitment` is accepted for nonRepudiation.
    pub fn from_name(s: &str) -> Option<Self> {
        let s = s.to_ascii_lowercase();
        Some(match s.as_str() {
            "digitalsignature" => KeyUsageBit::DigitalSignature,
            "nonrepudiation" | "contentcommitment" => KeyUsageBit::NonRepudiation,
            "keyencipherment" => KeyUsageBit::KeyEncipherment,
            "dataencipherment" => KeyUsageBit::DataEncipherment,
            "keyagreement" => KeyUsageBit::KeyAgreement,
            "keycertsign" => KeyUsageBit::KeyCertSign,
            "crlsign" => KeyUsageBit::CrlSign,
            "encipheronly" => KeyUsageBit::EncipherOnly,
            "decipheronly" => KeyUsageBit::DecipherOnly,
            _ => return None,
        })
    }
}

/// The `keyUsage` extension as a bit set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyUsage(pub u16);

impl KeyUsage {
    /// Whether `bit` is asserted.
    pub fn has(self, bit: KeyUsageBit) -> bool {
        self.0 & (1 << bit as u16) != 0
    }

    /// Names of the asserted bits.
    pub fn names(self) -> Vec<&'static str> {
        KeyUsageBit::ALL
            .iter()
            .filter(|b| self.has(**b))
            .map(|b| b.name())
            .collect()
    }
}

/// One `policyMappings` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyMapping {
    /// `issuerDomainPolicy`.
    pub issuer: Oid,
    /// `subjectDomainPolicy`.
    pub subject: Oid,
}

/// The `policyConstraints` extension (RFC 5280 §4.2.1.11).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PolicyConstraints {
    /// `requireExplicitPolicy`.
    pub require_explicit: Option<u64>,
    /// `inhibitPolicyMapping`.
    pub inhibit_mapping: Option<u64>,
}

/// One `DistributionPoint` of a cRLDistributionPoints or freshestCRL extension
/// (RFC 5280 §4.2.1.13), or the distribution point of an issuingDistributionPoint.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DistributionPoint {
    /// `distributionPoint` as `fullName`.
    pub full_name: Option<Vec<GeneralName>>,
    /// `distributionPoint` as `nameRelativeToCRLIssuer`: the RDN, DER-encoded as a SET.
    pub relative_name: Option<Box<[u8]>>,
    /// `reasons` as a bit set (bit n = ReasonFlags bit n), if present.
    pub reasons: Option<u16>,
    /// `cRLIssuer`.
    pub crl_issuer: Option<Vec<GeneralName>>,
}

/// The extensions path validation reads, decoded once.
#[derive(Clone, Debug, Default)]
pub struct Extensions {
    /// basicConstraints.
    pub basic_constraints: Option<BasicConstraints>,
    /// Whether basicConstraints was marked critical.
    pub basic_constraints_critical: bool,
    /// keyUsage.
    pub key_usage: Option<KeyUsage>,
    /// Whether keyUsage was marked critical.
    pub key_usage_critical: bool,
    /// extKeyUsage purposes.
    pub ext_key_usage: Option<Vec<Oid>>,
    /// certificatePolicies: the policy identifiers, in order.
    pub policies: Option<Vec<Oid>>,
    /// policyMappings.
    pub policy_mappings: Option<Vec<PolicyMapping>>,
    /// policyConstraints.
    pub policy_constraints: Option<PolicyConstraints>,
    /// inhibitAnyPolicy (SkipCerts).
    pub inhibit_any_policy: Option<u64>,
    /// nameConstraints.
    pub name_constraints: Option<NameConstraints>,
    /// subjectAltName.
    pub subject_alt_name: Option<Vec<GeneralName>>,
    /// Whether subjectAltName was marked critical.
    pub subject_alt_name_critical: bool,
    /// subjectKeyIdentifier.
    pub subject_key_id: Option<Box<[u8]>>,
    /// authorityKeyIdentifier keyIdentifier.
    pub authority_key_id: Option<Box<[u8]>>,
    /// cRLDistributionPoints.
    pub crl_distribution_points: Option<Vec<DistributionPoint>>,
    /// freshestCRL (delta CRL locations).
    pub freshest_crl: Option<Vec<DistributionPoint>>,
    /// authorityInfoAccess: (accessMethod, accessLocation) pairs.
    pub authority_info_access: Option<Vec<(Oid, GeneralName)>>,
    /// Critical extensions this engine does not process (RFC 5280 §6.1.4 (o), §6.1.5 (f)).
    pub unhandled_critical: Vec<Oid>,
    /// Every extension as it appeared, in order (positions in the certificate's DER).
    raw: Vec<RawExtension>,
}

/// One extension as encoded: positions of its extnID and extnValue in the certificate DER.
#[derive(Clone, Debug, PartialEq, Eq)]
struct RawExtension {
    oid: Range<usize>,
    critical: bool,
    value: Range<usize>,
}

/// A parsed certificate.
#[derive(Clone, Debug)]
pub struct Certificate {
    der: Box<[u8]>,
    tbs: Range<usize>,
    signature_algorithm: Range<usize>,
    signature: Range<usize>,
    version: u8,
    serial: Range<usize>,
    issuer: Name,
    subject: Name,
    not_before: i64,
    not_after: i64,
    spki: Range<usize>,
    spki_algorithm: Range<usize>,
    public_key: Range<usize>,
    ext: Extensions,
    sha256: std::sync::OnceLock<[u8; 32]>,
    sha256_hex: std::sync::OnceLock<std::sync::Arc<str>>,
    spki_digest: std::sync::OnceLock<[u8; 32]>,
    prepared_key: std::sync::OnceLock<Option<crate::algorithms::PreparedKey>>,
}

impl Certificate {
    /// Parses a DER certificate. Fails on anything that is not a well-formed X.509
    /// certificate under RFC 5280's DER profile.
    pub fn from_der(input: &[u8]) -> Result<Self, Error> {
        let der: Box<[u8]> = input.into();
        let range = der::ranges_within(&der);
        let cert = der::single(&der, tag::SEQUENCE).map_err(|e| bad("Certificate", e))?;
        let mut c = Reader::new(cert);
        let tbs = c
            .expect(tag::SEQUENCE)
            .map_err(|e| bad("tbsCertificate", e))?;
        let sig_alg = c
            .expect(tag::SEQUENCE)
            .map_err(|e| bad("signatureAlgorithm", e))?;
        let sig = c
            .expect(tag::BIT_STRING)
            .map_err(|e| bad("signatureValue", e))?;
        c.finish().map_err(|e| bad("Certificate", e))?;
        let sig_bits = der::octet_aligned_bits(sig.value).map_err(|e| bad("signatureValue", e))?;

        let mut t = Reader::new(tbs.value);
        let version = match t
            .optional(tag::context_constructed(0))
            .map_err(|e| bad("version", e))?
        {
            Some(v) => {
                let n = der::single(v.value, tag::INTEGER)
                    .and_then(der::small_uint_value)
                    .map_err(|e| bad("version", e))?;
                match n {
                    // RFC 5280 §4.1.2.1: DEFAULT v1 must be omitted in DER.
                    0 => return Err(err("version: v1 must be encoded by omission")),
                    1 | 2 => n as u8,
                    _ => return Err(err(format!("version: unknown version {}", n + 1))),
                }
            }
            None => 0,
        };
        let serial = t.expect(tag::INTEGER).map_err(|e| bad("serialNumber", e))?;
        der::check_integer(serial.value).map_err(|e| bad("serialNumber", e))?;
        let inner_alg = t.expect(tag::SEQUENCE).map_err(|e| bad("signature", e))?;
        if inner_alg.full != sig_alg.full {
            // RFC 5280 §4.1.1.2: "MUST contain the same algorithm identifier".
            return Err(err(
                "signature algorithm in tbsCertificate differs from signatureAlgorithm",
            ));
        }
        let issuer_tlv = t.expect(tag::SEQUENCE).map_err(|e| bad("issuer", e))?;
        let issuer = Name::from_der(issuer_tlv.full).map_err(|e| bad("issuer", e))?;
        let mut validity = t.sequence().map_err(|e| bad("validity", e))?;
        let nb = validity.read().map_err(|e| bad("notBefore", e))?;
        let na = validity.read().map_err(|e| bad("notAfter", e))?;
        validity.finish().map_err(|e| bad("validity", e))?;
        let not_before = der::time_value(&nb).map_err(|e| bad("notBefore", e))?;
        let not_after = der::time_value(&na).map_err(|e| bad("notAfter", e))?;
        check_time_encoding(&nb, not_before, "notBefore")?;
        check_time_encoding(&na, not_after, "notAfter")?;
        let subject_tlv = t.expect(tag::SEQUENCE).map_err(|e| bad("subject", e))?;
        let subject = Name::from_der(subject_tlv.full).map_err(|e| bad("subject", e))?;
        let spki = t
            .expect(tag::SEQUENCE)
            .map_err(|e| bad("subjectPublicKeyInfo", e))?;
        let mut sr = Reader::new(spki.value);
        let spki_alg = sr
            .expect(tag::SEQUENCE)
            .map_err(|e| bad("subjectPublicKeyInfo.algorithm", e))?;
        let key = sr
            .expect(tag::BIT_STRING)
            .map_err(|e| bad("subjectPublicKey", e))?;
        sr.finish().map_err(|e| bad("subjectPublicKeyInfo", e))?;
        let key_bits =
            der::octet_aligned_bits(key.value).map_err(|e| bad("subjectPublicKey", e))?;
        let mut alg_reader = Reader::new(spki_alg.value);
        alg_reader
            .oid()
            .map_err(|e| bad("subjectPublicKeyInfo.algorithm", e))?;

        // issuerUniqueID [1], subjectUniqueID [2]: allowed in v2/v3, ignored.
        for (n, name) in [(1u8, "issuerUniqueID"), (2, "subjectUniqueID")] {
            if t.optional(tag::context(n))
                .map_err(|e| bad(name, e))?
                .is_some()
                && version == 0
            {
                return Err(err(format!("{name} present in a v1 certificate")));
            }
        }
        let mut ext = Extensions::default();
        if let Some(exts) = t
            .optional(tag::context_constructed(3))
            .map_err(|e| bad("extensions", e))?
        {
            if version != 2 {
                return Err(err("extensions present in a certificate that is not v3"));
            }
            ext = parse_extensions(exts.value, &der)?;
        }
        t.finish().map_err(|e| bad("tbsCertificate", e))?;

        Ok(Certificate {
            tbs: range(tbs.full),
            signature_algorithm: range(sig_alg.value),
            signature: range(sig_bits),
            version,
            serial: range(serial.value),
            issuer,
            subject,
            not_before,
            not_after,
            spki: range(spki.full),
            spki_algorithm: range(spki_alg.value),
            public_key: range(key_bits),
            ext,
            der,
            sha256: std::sync::OnceLock::new(),
            sha256_hex: std::sync::OnceLock::new(),
            spki_digest: std::sync::OnceLock::new(),
            prepared_key: std::sync::OnceLock::new(),
        })
    }

    /// The certificate's DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }
    /// The DER of the signed `tbsCertificate`.
    pub fn tbs(&self) -> &[u8] {
        &self.der[self.tbs.clone()]
    }
    /// The contents of `signatureAlgorithm` (OID and parameters, without the SEQUENCE header).
    pub fn signature_algorithm(&self) -> &[u8] {
        &self.der[self.signature_algorithm.clone()]
    }
    /// The signature bits.
    pub fn signature(&self) -> &[u8] {
        &self.der[self.signature.clone()]
    }
    /// 0 for v1, 1 for v2, 2 for v3.
    pub fn version(&self) -> u8 {
        self.version
    }
    /// The serial number's INTEGER contents octets.
    pub fn serial(&self) -> &[u8] {
        &self.der[self.serial.clone()]
    }
    /// The issuer name.
    pub fn issuer(&self) -> &Name {
        &self.issuer
    }
    /// The subject name.
    pub fn subject(&self) -> &Name {
        &self.subject
    }
    /// notBefore, seconds since the Unix epoch.
    pub fn not_before(&self) -> i64 {
        self.not_before
    }
    /// notAfter, seconds since the Unix epoch.
    pub fn not_after(&self) -> i64 {
        self.not_after
    }
    /// The whole SubjectPublicKeyInfo DER.
    pub fn spki(&self) -> &[u8] {
        &self.der[self.spki.clone()]
    }
    /// The contents of the SPKI's AlgorithmIdentifier.
    pub fn spki_algorithm(&self) -> &[u8] {
        &self.der[self.spki_algorithm.clone()]
    }
    /// The subjectPublicKey bits.
    pub fn public_key(&self) -> &[u8] {
        &self.der[self.public_key.clone()]
    }
    /// Decoded extensions.
    pub fn extensions(&self) -> &Extensions {
        &self.ext
    }
    /// Whether the extension `oid` is present, and if so whether it is critical.
    pub fn extension_criticality(&self, oid: &[u8]) -> Option<bool> {
        self.ext
            .raw
            .iter()
            .find(|e| &self.der[e.oid.clone()] == oid)
            .map(|e| e.critical)
    }
    /// The value (extnValue contents) of extension `oid`, if present.
    pub fn extension_value(&self, oid: &[u8]) -> Option<&[u8]> {
        self.ext
            .raw
            .iter()
            .find(|e| &self.der[e.oid.clone()] == oid)
            .map(|e| &self.der[e.value.clone()])
    }
    /// The OIDs of every extension, in order.
    pub fn extension_oids(&self) -> impl Iterator<Item = &[u8]> {
        self.ext.raw.iter().map(|e| &self.der[e.oid.clone()])
    }
    /// Whether subject and issuer are the same name (RFC 5280 §6.1: self-issued).
    pub fn is_self_issued(&self) -> bool {
        self.subject == self.issuer
    }
    /// Whether basicConstraints asserts cA.
    pub fn is_ca(&self) -> bool {
        self.ext.basic_constraints.is_some_and(|b| b.ca)
    }
    /// SHA-256 of the DER; computed once. It binds the signature algorithm, the signed
    /// `tbsCertificate` and the signature, and so also keys the signature memo.
    pub fn sha256(&self) -> &[u8; 32] {
        self.sha256.get_or_init(|| {
            use sha2::Digest;
            sha2::Sha256::digest(&self.der).into()
        })
    }
    /// SHA-256 of the DER, lower-case hex; computed once.
    pub fn sha256_hex(&self) -> &str {
        self.sha256_hex.get_or_init(|| hex(self.sha256()).into())
    }
    /// [`Certificate::sha256_hex`], shared (no copy).
    pub fn sha256_hex_shared(&self) -> std::sync::Arc<str> {
        self.sha256_hex
            .get_or_init(|| hex(self.sha256()).into())
            .clone()
    }
    /// SHA-256 of the SubjectPublicKeyInfo; computed once. Keys the signature memo.
    pub fn spki_digest(&self) -> &[u8; 32] {
        self.spki_digest.get_or_init(|| {
            use sha2::Digest;
            sha2::Sha256::digest(self.spki()).into()
        })
    }
    /// The subject key, parsed once for repeated verification where that pays.
    pub(crate) fn prepared_key(
        &self,
    ) -> &std::sync::OnceLock<Option<crate::algorithms::PreparedKey>> {
        &self.prepared_key
    }
    /// The serial number as lower-case hex.
    pub fn serial_hex(&self) -> String {
        hex(self.serial())
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 0xf) as usize] as char);
    }
    out
}

/// RFC 5280 §4.1.2.5: dates through 2049 as UTCTime, from 2050 as GeneralizedTime.
fn check_time_encoding(t: &der::Tlv<'_>, secs: i64, field: &str) -> Result<(), Error> {
    const Y2050: i64 = 2_524_608_000;
    match t.tag {
        tag::GENERALIZED_TIME if secs < Y2050 => Err(err(format!(
            "{field}: GeneralizedTime used for a date before 2050"
        ))),
        tag::UTC_TIME | tag::GENERALIZED_TIME => Ok(()),
        _ => Err(err(format!("{field}: not a time"))),
    }
}

/// The extensions in `contents`, a slice of the certificate `whole` (ranges are kept
/// within `whole`).
fn parse_extensions(contents: &[u8], whole: &[u8]) -> Result<Extensions, Error> {
    let base = whole.as_ptr() as usize;
    let range = der::ranges_within(whole);
    let mut ext = Extensions::default();
    let seq = der::single(contents, tag::SEQUENCE).map_err(|e| bad("extensions", e))?;
    let mut r = Reader::new(seq);
    if r.is_empty() {
        return Err(err("extensions: empty SEQUENCE"));
    }
    while !r.is_empty() {
        let mut e = r.sequence().map_err(|e| bad("extension", e))?;
        let id = e.oid().map_err(|e| bad("extension id", e))?;
        let critical = match e
            .optional(tag::BOOLEAN)
            .map_err(|e| bad("extension critical", e))?
        {
            Some(b) => {
                let v = der::boolean_value(b.value).map_err(|e| bad("extension critical", e))?;
                if !v {
                    // DER: DEFAULT FALSE must be omitted.
                    return Err(err(format!(
                        "extension {}: critical FALSE must be encoded by omission",
                        oid::dotted(id)
                    )));
                }
                true
            }
            None => false,
        };
        let value = e
            .expect(tag::OCTET_STRING)
            .map_err(|e| bad("extension value", e))?
            .value;
        e.finish().map_err(|e| bad("extension", e))?;
        if ext
            .raw
            .iter()
            .any(|p| p.oid.len() == id.len() && contents_at(contents, base, &p.oid) == id)
        {
            // RFC 5280 §4.2: "A certificate MUST NOT include more than one instance of a
            // particular extension."
            return Err(err(format!("extension {} appears twice", oid::dotted(id))));
        }
        ext.raw.push(RawExtension {
            oid: range(id),
            critical,
            value: range(value),
        });
        let wrap = |e: DerError| bad(&format!("extension {}", oid::dotted(id)), e);
        match id {
            oid::BASIC_CONSTRAINTS => {
                let mut s = Reader::new(der::single(value, tag::SEQUENCE).map_err(wrap)?);
                let ca = match s.optional(tag::BOOLEAN).map_err(wrap)? {
                    Some(b) => {
                        let v = der::boolean_value(b.value).map_err(wrap)?;
                        if !v {
                            return Err(err(
                                "basicConstraints: cA FALSE must be encoded by omission",
                            ));
                        }
                        true
                    }
                    None => false,
                };
                let path_len = match s.optional(tag::INTEGER).map_err(wrap)? {
                    Some(i) => Some(der::small_uint_value(i.value).map_err(wrap)?),
                    None => None,
                };
                s.finish().map_err(wrap)?;
                ext.basic_constraints = Some(BasicConstraints { ca, path_len });
                ext.basic_constraints_critical = critical;
            }
            oid::KEY_USAGE => {
                let bits = der::single(value, tag::BIT_STRING).map_err(wrap)?;
                let (_, bytes) = der::bit_string_value(bits).map_err(wrap)?;
                if bytes.len() > 2 {
                    return Err(err("keyUsage: too many bits"));
                }
                if bytes.last() == Some(&0) {
                    return Err(err("keyUsage: trailing zero octet (not DER)"));
                }
                let mut v = 0u16;
                for (i, b) in bytes.iter().enumerate() {
                    for j in 0..8 {
                        if b & (0x80 >> j) != 0 {
                            v |= 1 << (i * 8 + j);
                        }
                    }
                }
                if v == 0 {
                    // RFC 5280 §4.2.1.3: "at least one of the bits MUST be set to 1".
                    return Err(err("keyUsage: no bit set"));
                }
                ext.key_usage = Some(KeyUsage(v));
                ext.key_usage_critical = critical;
            }
            oid::EXT_KEY_USAGE => {
                let mut s = Reader::new(der::single(value, tag::SEQUENCE).map_err(wrap)?);
                let mut v = Vec::new();
                while !s.is_empty() {
                    v.push(Oid::from_der_contents(s.oid().map_err(wrap)?));
                }
                if v.is_empty() {
                    return Err(err("extKeyUsage: empty"));
                }
                ext.ext_key_usage = Some(v);
            }
            oid::CERTIFICATE_POLICIES => {
                let mut s = Reader::new(der::single(value, tag::SEQUENCE).map_err(wrap)?);
                let mut v: Vec<Oid> = Vec::new();
                while !s.is_empty() {
                    let mut pi = s.sequence().map_err(wrap)?;
                    let id = pi.oid().map_err(wrap)?;
                    if pi.optional(tag::SEQUENCE).map_err(wrap)?.is_none() && !pi.is_empty() {
                        return Err(err("certificatePolicies: bad policyQualifiers"));
                    }
                    pi.finish().map_err(wrap)?;
                    if v.iter().any(|p| p.as_bytes() == id) {
                        // RFC 5280 §4.2.1.4: "A certificate policy OID MUST NOT appear more
                        // than once".
                        return Err(err("certificatePolicies: a policy appears twice"));
                    }
                    v.push(Oid::from_der_contents(id));
                }
                if v.is_empty() {
                    return Err(err("certificatePolicies: empty"));
                }
                ext.policies = Some(v);
            }
            oid::POLICY_MAPPINGS => {
                let mut s = Reader::new(der::single(value, tag::SEQUENCE).map_err(wrap)?);
                let mut v = Vec::new();
                while !s.is_empty() {
                    let mut m = s.sequence().map_err(wrap)?;
                    let issuer = Oid::from_der_contents(m.oid().map_err(wrap)?);
                    let subject = Oid::from_der_contents(m.oid().map_err(wrap)?);
                    m.finish().map_err(wrap)?;
                    v.push(PolicyMapping { issuer, subject });
                }
                if v.is_empty() {
                    return Err(err("policyMappings: empty"));
                }
                ext.policy_mappings = Some(v);
            }
            oid::POLICY_CONSTRAINTS => {
                let mut s = Reader::new(der::single(value, tag::SEQUENCE).map_err(wrap)?);
                let mut pc = PolicyConstraints::default();
                if let Some(t) = s.optional(tag::context(0)).map_err(wrap)? {
                    pc.require_explicit = Some(der::small_uint_value(t.value).map_err(wrap)?);
                }
                if let Some(t) = s.optional(tag::context(1)).map_err(wrap)? {
                    pc.inhibit_mapping = Some(der::small_uint_value(t.value).map_err(wrap)?);
                }
                s.finish().map_err(wrap)?;
                if pc.require_explicit.is_none() && pc.inhibit_mapping.is_none() {
                    // RFC 5280 §4.2.1.11: "Conforming CAs MUST NOT issue certificates where
                    // policy constraints is an empty sequence."
                    return Err(err("policyConstraints: empty"));
                }
                ext.policy_constraints = Some(pc);
            }
            oid::INHIBIT_ANY_POLICY => {
                ext.inhibit_any_policy = Some(
                    der::single(value, tag::INTEGER)
                        .and_then(der::small_uint_value)
                        .map_err(wrap)?,
                );
            }
            oid::NAME_CONSTRAINTS => {
                ext.name_constraints = Some(NameConstraints::from_der(value).map_err(wrap)?);
            }
            oid::SUBJECT_ALT_NAME => {
                let s = der::single(value, tag::SEQUENCE).map_err(wrap)?;
                ext.subject_alt_name = Some(GeneralName::parse_sequence(s).map_err(wrap)?);
                ext.subject_alt_name_critical = critical;
            }
            oid::SUBJECT_KEY_ID => {
                ext.subject_key_id =
                    Some(der::single(value, tag::OCTET_STRING).map_err(wrap)?.into());
            }
            oid::AUTHORITY_KEY_ID => {
                let mut s = Reader::new(der::single(value, tag::SEQUENCE).map_err(wrap)?);
                if let Some(k) = s.optional(tag::context(0)).map_err(wrap)? {
                    ext.authority_key_id = Some(k.value.into());
                }
                s.optional(tag::context_constructed(1)).map_err(wrap)?;
                s.optional(tag::context(2)).map_err(wrap)?;
                s.finish().map_err(wrap)?;
            }
            oid::CRL_DISTRIBUTION_POINTS | oid::FRESHEST_CRL => {
                let dps = parse_distribution_points(value).map_err(wrap)?;
                if id == oid::FRESHEST_CRL {
                    ext.freshest_crl = Some(dps);
                } else {
                    ext.crl_distribution_points = Some(dps);
                }
            }
            oid::AUTHORITY_INFO_ACCESS => {
                let mut s = Reader::new(der::single(value, tag::SEQUENCE).map_err(wrap)?);
                let mut v = Vec::new();
                while !s.is_empty() {
                    let mut ad = s.sequence().map_err(wrap)?;
                    let method = Oid::from_der_contents(ad.oid().map_err(wrap)?);
                    let loc = GeneralName::parse(&ad.read().map_err(wrap)?).map_err(wrap)?;
                    ad.finish().map_err(wrap)?;
                    v.push((method, loc));
                }
                ext.authority_info_access = Some(v);
            }
            _ => {
                if critical {
                    ext.unhandled_critical.push(Oid::from_der_contents(id));
                }
            }
        }
    }
    Ok(ext)
}

/// The bytes at `r` (a range in the certificate DER) seen from `contents`, a slice of that
/// same DER that starts at address `base + offset`.
fn contents_at<'a>(contents: &'a [u8], base: usize, r: &Range<usize>) -> &'a [u8] {
    let offset = contents.as_ptr() as usize - base;
    &contents[r.start - offset..r.end - offset]
}

/// Parses `CRLDistributionPoints ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint`.
pub(crate) fn parse_distribution_points(value: &[u8]) -> Result<Vec<DistributionPoint>, DerError> {
    let mut s = Reader::new(der::single(value, tag::SEQUENCE)?);
    let mut out = Vec::new();
    while !s.is_empty() {
        let mut d = s.sequence()?;
        let mut dp = DistributionPoint::default();
        if let Some(name) = d.optional(tag::context_constructed(0))? {
            parse_dp_name(name.value, &mut dp)?;
        }
        if let Some(r) = d.optional(tag::context(1))? {
            dp.reasons = Some(reason_bits(r.value)?);
        }
        if let Some(i) = d.optional(tag::context_constructed(2))? {
            dp.crl_issuer = Some(GeneralName::parse_sequence(i.value)?);
        }
        d.finish()?;
        out.push(dp);
    }
    if out.is_empty() {
        return Err(DerError::BadValue("empty CRLDistributionPoints"));
    }
    Ok(out)
}

/// Parses a `DistributionPointName` CHOICE (the contents of its `[0]` wrapper).
pub(crate) fn parse_dp_name(contents: &[u8], dp: &mut DistributionPoint) -> Result<(), DerError> {
    let mut n = Reader::new(contents);
    let t = n.read()?;
    n.finish()?;
    match t.tag {
        0xA0 => dp.full_name = Some(GeneralName::parse_sequence(t.value)?),
        // nameRelativeToCRLIssuer [1] RelativeDistinguishedName: keep the RDN as a SET.
        0xA1 => {
            let mut set = Vec::with_capacity(t.value.len() + 4);
            crate::algorithms::der_write(tag::SET, t.value, &mut set);
            dp.relative_name = Some(set.into());
        }
        _ => return Err(DerError::BadValue("DistributionPointName")),
    }
    Ok(())
}

/// Decodes ReasonFlags BIT STRING contents into a bit set.
pub(crate) fn reason_bits(v: &[u8]) -> Result<u16, DerError> {
    let (_, bytes) = der::bit_string_value(v)?;
    if bytes.len() > 2 {
        return Err(DerError::BadValue("ReasonFlags"));
    }
    let mut out = 0u16;
    for (i, b) in bytes.iter().enumerate() {
        for j in 0..8 {
            if b & (0x80 >> j) != 0 {
                out |= 1 << (i * 8 + j);
            }
        }
    }
    Ok(out)
}
