//! Certificate profiles: the conformance rules a certificate must follow beyond the path
//! processing of RFC 5280 §6, as a table of rules each citing its source, with a severity that
//! depends on the profile in force.
//!
//! * [`Profile::Rfc5280`]: the conformance MUSTs of RFC 5280 §4 are reported as warnings
//!   (`PROFILE_DEVIATION`): genuine certificates of licensed CAs break several of them
//!   (non-critical basicConstraints, no AKI), and refusing them would refuse real, valid chains.
//! * [`Profile::WebPki`]: the RFC 5280 MUSTs and the CA/Browser Forum Baseline Requirements
//!   fail the path, as Web PKI validators do (pyca/cryptography, rustls-webpki, Go).
//!
//! Rules of the draft Measures (Art. 21) apply to chains under a trust-list anchor (an
//! [`Anchor`](crate::Anchor) with a scope) and fail the path under every profile
//! (`PROFILE_VIOLATION`, `../design/profile.md`).

use crate::cert::{Certificate, KeyUsageBit};
use crate::der::{self, Reader, tag};
use crate::names::{self, GeneralName};
use crate::oid;
use crate::report::Code;

/// Which conformance rules apply, and how strictly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Profile {
    /// RFC 5280 path validation; conformance rules of RFC 5280 §4 warn.
    #[default]
    Rfc5280,
    /// The Web PKI: RFC 5280 conformance and CA/Browser Forum rules fail.
    WebPki,
}

impl Profile {
    /// Parses `rfc5280` or `webpki`.
    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "rfc5280" => Some(Profile::Rfc5280),
            "webpki" => Some(Profile::WebPki),
            _ => None,
        }
    }

    /// The profile's name.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Rfc5280 => "rfc5280",
            Profile::WebPki => "webpki",
        }
    }
}

/// Where a certificate stands in the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The end-entity certificate.
    Leaf,
    /// A CA certificate between the leaf and the anchor.
    Intermediate,
    /// The trust anchor.
    Anchor,
}

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Stable rule identifier.
    pub rule: &'static str,
    /// The clause it rests on.
    pub source: &'static str,
    /// The code it gives when it fails the path.
    pub code: Code,
    /// What was found.
    pub message: String,
    /// Whether the rule is a CA/Browser Forum rule (never applied outside the Web PKI).
    pub web_only: bool,
    /// Whether the rule is one of the Measures, applied under a trust-list anchor only: it
    /// fails the path under every profile.
    pub regulatory: bool,
}

/// How a violation counts under a profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The path fails.
    Fail,
    /// A `PROFILE_DEVIATION` warning.
    Warn,
    /// Not reported.
    Ignore,
}

/// The severity of `v` under `profile`.
pub fn severity(profile: Profile, v: &Violation) -> Severity {
    if v.regulatory {
        return Severity::Fail;
    }
    match profile {
        Profile::WebPki => Severity::Fail,
        Profile::Rfc5280 if v.web_only => Severity::Ignore,
        Profile::Rfc5280 => Severity::Warn,
    }
}

fn v(
    rule: &'static str,
    source: &'static str,
    code: Code,
    message: String,
    web_only: bool,
) -> Violation {
    Violation {
        rule,
        source,
        code,
        message,
        web_only,
        regulatory: false,
    }
}

/// Every rule of the table broken by `cert` in `role` that `profile` reports (CA/Browser
/// Forum rules are only evaluated for the Web PKI; rules of the Measures only when
/// `scoped_anchor`, i.e. the path ends at an anchor with a regulatory scope).
pub fn check(
    cert: &Certificate,
    role: Role,
    profile: Profile,
    scoped_anchor: bool,
) -> Vec<Violation> {
    let web = profile == Profile::WebPki;
    let mut out = Vec::new();
    let ext = cert.extensions();
    let critical = |o: &[u8]| cert_critical(cert, o);
    let subj = cert.subject().display();
    let is_ca_role = role != Role::Leaf;
    let self_signed = cert.is_self_issued() && role == Role::Anchor;

    // Serial number: RFC 5280 §4.1.2.2. Not applied to anchors: genuine roots with serial
    // number 0 are in use and trusted by configuration, not by their encoding.
    let serial = cert.serial();
    if role != Role::Anchor && (serial[0] & 0x80 != 0 || serial.iter().all(|b| *b == 0)) {
        out.push(v(
            "SERIAL_POSITIVE",
            "RFC 5280 §4.1.2.2",
            Code::ProfileViolation,
            format!("{subj}: the serial number is not a positive integer"),
            false,
        ));
    }
    let len = if serial[0] == 0 {
        serial.len() - 1
    } else {
        serial.len()
    };
    if role != Role::Anchor && len > 20 {
        out.push(v(
            "SERIAL_LENGTH",
            "RFC 5280 §4.1.2.2",
            Code::ProfileViolation,
            format!("{subj}: the serial number is longer than 20 octets"),
            false,
        ));
    }
    // Extension criticality: RFC 5280 §4.2.1.1, §4.2.1.2, §4.2.2.1, §4.2.1.10, §4.2.1.11.
    for (o, must_be, rule, source) in [
        (
            oid::AUTHORITY_KEY_ID,
            false,
            "AKI_NOT_CRITICAL",
            "RFC 5280 §4.2.1.1",
        ),
        (
            oid::SUBJECT_KEY_ID,
            false,
            "SKI_NOT_CRITICAL",
            "RFC 5280 §4.2.1.2",
        ),
        (
            oid::AUTHORITY_INFO_ACCESS,
            false,
            "AIA_NOT_CRITICAL",
            "RFC 5280 §4.2.2.1",
        ),
        (
            oid::NAME_CONSTRAINTS,
            true,
            "NC_CRITICAL",
            "RFC 5280 §4.2.1.10",
        ),
        (
            oid::POLICY_CONSTRAINTS,
            true,
            "PC_CRITICAL",
            "RFC 5280 §4.2.1.11",
        ),
        (
            oid::INHIBIT_ANY_POLICY,
            true,
            "INHIBIT_ANY_CRITICAL",
            "RFC 5280 §4.2.1.14",
        ),
    ] {
        if let Some(c) = critical(o)
            && c != must_be
        {
            out.push(v(
                rule,
                source,
                Code::ProfileViolation,
                format!(
                    "{subj}: extension {} must {}be critical",
                    oid::dotted(o),
                    if must_be { "" } else { "not " }
                ),
                false,
            ));
        }
    }
    // subjectAltName criticality: RFC 5280 §4.2.1.6 (critical when the subject is empty);
    // CABF BR 7.1.2.7.12 (not critical otherwise).
    if let Some(c) = critical(oid::SUBJECT_ALT_NAME) {
        if cert.subject().is_empty() && !c {
            out.push(v(
                "SAN_CRITICAL_EMPTY_SUBJECT",
                "RFC 5280 §4.2.1.6",
                Code::ProfileViolation,
                format!("{subj}: subjectAltName must be critical when the subject is empty"),
                false,
            ));
        }
        if web && !cert.subject().is_empty() && c {
            out.push(v(
                "SAN_NOT_CRITICAL",
                "CABF BR 7.1.2.7.12",
                Code::ProfileViolation,
                "subjectAltName must not be critical when the subject is not empty".into(),
                true,
            ));
        }
    }
    // SAN syntax: RFC 5280 §4.2.1.6 (preferred name syntax, RFC 822 addr-spec).
    for n in ext.subject_alt_name.iter().flatten() {
        match n {
            GeneralName::Dns(d) if !names::valid_dns(d, true) || d.contains('_') => out.push(v(
                "SAN_DNS_SYNTAX",
                "RFC 5280 §4.2.1.6; RFC 1034 §3.5",
                Code::ProfileViolation,
                format!("{subj}: subjectAltName dNSName {d:?} is not a valid host name"),
                false,
            )),
            GeneralName::Rfc822(e) if !names::valid_email(e) => out.push(v(
                "SAN_EMAIL_SYNTAX",
                "RFC 5280 §4.2.1.6",
                Code::ProfileViolation,
                format!("{subj}: subjectAltName rfc822Name {e:?} is not a mailbox"),
                false,
            )),
            _ => {}
        }
    }
    // Key algorithms: CABF BR 6.1.5, 7.1.3.1.
    if web && let Some(why) = key_not_allowed(cert) {
        out.push(v(
            "KEY_ALGORITHM",
            "CABF BR 6.1.5, 7.1.3.1",
            Code::AlgorithmNotAllowed,
            format!("{subj}: {why}"),
            true,
        ));
    }

    if is_ca_role {
        if cert.subject().is_empty() {
            out.push(v(
                "CA_SUBJECT",
                "RFC 5280 §4.1.2.6",
                Code::ProfileViolation,
                "a CA certificate has an empty subject".into(),
                false,
            ));
        }
        if ext.subject_key_id.is_none() {
            out.push(v(
                "CA_SKI",
                "RFC 5280 §4.2.1.2",
                Code::ProfileViolation,
                format!("{subj}: a CA certificate must carry subjectKeyIdentifier"),
                false,
            ));
        }
        match ext.basic_constraints {
            None => out.push(v(
                "CA_BASIC_CONSTRAINTS",
                "RFC 5280 §4.2.1.9",
                Code::BasicConstraintsViolation,
                format!("{subj}: a CA certificate must carry basicConstraints"),
                false,
            )),
            Some(_) if !ext.basic_constraints_critical => out.push(v(
                "CA_BASIC_CONSTRAINTS_CRITICAL",
                "RFC 5280 §4.2.1.9",
                Code::ProfileViolation,
                format!("{subj}: basicConstraints must be critical in a CA certificate"),
                false,
            )),
            _ => {}
        }
    }
    if !self_signed && ext.authority_key_id.is_none() {
        out.push(v("AKI_PRESENT", "RFC 5280 §4.2.1.1", Code::ProfileViolation,
            format!("{subj}: authorityKeyIdentifier must be present (only a self-signed root may omit it)"), false));
    }
    if role == Role::Anchor {
        if let Some(o) = ext.unhandled_critical.first() {
            out.push(v(
                "ANCHOR_CRITICAL_EXTENSION",
                "RFC 5280 §4.2; RFC 5937",
                Code::UnhandledCriticalExtension,
                format!("{subj}: the anchor has a critical extension {o} that is not processed"),
                false,
            ));
        }
        if web && ext.ext_key_usage.is_some() && cert.is_self_issued() {
            out.push(v(
                "ROOT_EKU",
                "CABF BR 7.1.2.1.2",
                Code::ProfileViolation,
                format!("{subj}: a root certificate must not carry extKeyUsage"),
                true,
            ));
        }
        if web
            && cert.is_self_issued()
            && let Some(why) = root_aki_problem(cert)
        {
            out.push(v(
                "ROOT_AKI",
                "CABF BR 7.1.2.1.3",
                Code::ProfileViolation,
                format!("{subj}: {why}"),
                true,
            ));
        }
    }
    // Art. 21 (1): the certificate names the CA that issued it.
    if scoped_anchor && cert.issuer().is_empty() {
        out.push(Violation {
            regulatory: true,
            ..v(
                "ISSUER_NAME",
                "Art. 21 (1); RFC 5280 §4.1.2.4",
                Code::ProfileViolation,
                format!("{subj}: the issuer name is empty; a certificate under a trust-list anchor must name its issuing CA"),
                false,
            )
        });
    }
    // Art. 21 (2): an end-entity certificate names its holder (subject or subjectAltName).
    if scoped_anchor
        && role == Role::Leaf
        && cert.subject().is_empty()
        && ext.subject_alt_name.as_ref().is_none_or(|s| s.is_empty())
    {
        out.push(Violation {
            regulatory: true,
            ..v(
                "EE_HOLDER_NAME",
                "Art. 21 (2)",
                Code::ProfileViolation,
                "the end-entity certificate names no holder: its subject is empty and it has no subjectAltName".to_string(),
                false,
            )
        });
    }
    if role == Role::Leaf {
        // The certificate policy OID that Art. 21 (7) requires: a specific one (anyPolicy
        // names no certificate type).
        if scoped_anchor
            && !ext
                .policies
                .iter()
                .flatten()
                .any(|p| p.as_bytes() != oid::ANY_POLICY)
        {
            out.push(Violation {
                regulatory: true,
                ..v(
                    "EE_POLICY_OID",
                    "Art. 21 (7)",
                    Code::ProfileViolation,
                    format!(
                        "{subj}: an end-entity certificate under a trust-list anchor must carry a certificate policy OID in certificatePolicies"
                    ),
                    false,
                )
            });
        }
        if ext.name_constraints.is_some() {
            out.push(v(
                "EE_NAME_CONSTRAINTS",
                "RFC 5280 §4.2.1.10",
                Code::ProfileViolation,
                "nameConstraints must only appear in CA certificates".into(),
                false,
            ));
        }
        if let Some(ku) = ext.key_usage
            && ku.has(KeyUsageBit::KeyCertSign)
            && !cert.is_ca()
        {
            out.push(v(
                "EE_KEY_CERT_SIGN",
                "RFC 5280 §4.2.1.3, §4.2.1.9",
                Code::KeyUsageNotAllowed,
                "keyCertSign is asserted but basicConstraints cA is not".into(),
                false,
            ));
        }
        if web && cert.is_ca() {
            out.push(v(
                "EE_NOT_CA",
                "CABF BR 7.1.2.7.8",
                Code::BasicConstraintsViolation,
                "the end-entity certificate is a CA certificate (cA TRUE)".into(),
                true,
            ));
        }
        match &ext.ext_key_usage {
            _ if !web => {}
            None => out.push(v(
                "EE_EKU_PRESENT",
                "CABF BR 7.1.2.7.10",
                Code::EkuNotAllowed,
                "the end-entity certificate has no extKeyUsage".into(),
                true,
            )),
            Some(ekus) => {
                if ekus.iter().any(|e| e.as_bytes() == oid::ANY_EKU) {
                    out.push(v(
                        "EE_NO_ANY_EKU",
                        "CABF BR 7.1.2.7.10",
                        Code::EkuNotAllowed,
                        "anyExtendedKeyUsage is not allowed in an end-entity certificate".into(),
                        true,
                    ));
                }
                if critical(oid::EXT_KEY_USAGE) == Some(true) {
                    out.push(v(
                        "EE_EKU_NOT_CRITICAL",
                        "CABF BR 7.1.2.7.10",
                        Code::EkuNotAllowed,
                        "extKeyUsage must not be critical".into(),
                        true,
                    ));
                }
            }
        }
        if web && let Some(why) = cn_near_miss(cert) {
            out.push(v(
                "CN_IN_SAN",
                "CABF BR 7.1.4.3",
                Code::ProfileViolation,
                why,
                true,
            ));
        }
        for n in ext.subject_alt_name.iter().flatten().filter(|_| web) {
            if let GeneralName::Dns(d) = n
                && let Some(base) = d.strip_prefix("*.")
                && is_public_suffix(base)
            {
                out.push(v(
                    "WILDCARD_PUBLIC_SUFFIX",
                    "CABF BR 3.2.2.6",
                    Code::ProfileViolation,
                    format!("the wildcard {d:?} covers a public suffix"),
                    true,
                ));
            }
        }
    }
    out
}

fn cert_critical(cert: &Certificate, o: &[u8]) -> Option<bool> {
    cert.extension_criticality(o)
}

/// Whether `base` is itself a public suffix (Public Suffix List, ICANN and private sections).
fn is_public_suffix(base: &str) -> bool {
    let base = base.to_ascii_lowercase();
    match psl::suffix(base.as_bytes()) {
        Some(s) => s.is_known() && s.as_bytes() == base.as_bytes(),
        None => false,
    }
}

fn key_not_allowed(cert: &Certificate) -> Option<String> {
    let mut r = Reader::new(cert.spki_algorithm());
    let alg = r.oid().ok()?;
    match alg {
        oid::RSA_ENCRYPTION => {
            let bits = rsa_modulus_bits(cert.public_key())?;
            if bits < 2048 {
                Some(format!("an RSA key of {bits} bits is below 2048"))
            } else if bits % 8 != 0 {
                Some(format!(
                    "an RSA modulus of {bits} bits is not a multiple of 8"
                ))
            } else {
                None
            }
        }
        oid::EC_PUBLIC_KEY => {
            let curve = r.oid().ok()?;
            match curve {
                oid::CURVE_P256 | oid::CURVE_P384 | oid::CURVE_P521 => None,
                other => Some(format!(
                    "the elliptic curve {} is not allowed",
                    oid::dotted(other)
                )),
            }
        }
        oid::ED25519 => None,
        other => Some(format!(
            "the key algorithm {} is not allowed",
            oid::dotted(other)
        )),
    }
}

/// The size in bits of an RSA public key's modulus (`RSAPublicKey` DER).
pub(crate) fn rsa_modulus_bits(key: &[u8]) -> Option<usize> {
    let seq = der::single(key, tag::SEQUENCE).ok()?;
    let mut r = Reader::new(seq);
    let n = r.expect(tag::INTEGER).ok()?.value;
    let n = if n.first() == Some(&0) { &n[1..] } else { n };
    let first = *n.first()?;
    Some(n.len() * 8 - first.leading_zeros() as usize)
}

fn root_aki_problem(cert: &Certificate) -> Option<String> {
    let raw = cert.extension_value(oid::AUTHORITY_KEY_ID)?;
    let mut r = Reader::new(der::single(raw, tag::SEQUENCE).ok()?);
    let key = r.optional(tag::context(0)).ok()?;
    if !r.is_empty() {
        return Some("a root's authorityKeyIdentifier must hold only keyIdentifier".into());
    }
    match key {
        None => Some("a root's authorityKeyIdentifier lacks keyIdentifier".into()),
        Some(k) if cert.extensions().subject_key_id.as_deref() != Some(k.value) => {
            Some("a root's authorityKeyIdentifier differs from its subjectKeyIdentifier".into())
        }
        _ => None,
    }
}

/// CABF BR 7.1.4.3: a common name must be a character-for-character copy of a
/// subjectAltName entry. Enforced where a mismatch can deceive — the CN differs from a SAN
/// entry only in case, IP address spelling or IDN encoding, or names another host under a SAN
/// entry's registrable domain — and not where the CN is unrelated to every SAN entry:
/// the BetterTLS suite (9,491 cases in x509-limbo) expects such certificates to be accepted
/// and relying parties never match a CN when a SAN is present.
fn cn_near_miss(cert: &Certificate) -> Option<String> {
    let san = cert.extensions().subject_alt_name.as_deref()?;
    for cn in cert.subject().attributes(oid::AT_COMMON_NAME) {
        let Ok(value) = std::str::from_utf8(&cn.value) else {
            continue;
        };
        let exact = san.iter().any(|n| match n {
            GeneralName::Dns(d) => d.as_bytes() == &*cn.value,
            GeneralName::Ip(b) => ip_text(b).is_some_and(|t| t == value),
            _ => false,
        });
        if exact {
            continue;
        }
        let lower = value.to_ascii_lowercase();
        let deceptive = san.iter().any(|n| match n {
            GeneralName::Dns(d) => d.eq_ignore_ascii_case(value) || sibling_host(d, &lower),
            GeneralName::Ip(b) => lenient_ip(value).is_some_and(|ip| ip == *b),
            _ => false,
        }) || !value.is_ascii()
            || lower.split('.').any(|l| l.starts_with("xn--"));
        if deceptive {
            return Some(format!(
                "the common name {value:?} is not a character-for-character copy of a subjectAltName entry"
            ));
        }
    }
    None
}

/// Whether `cn` names a host below the registrable domain of the SAN entry `san` (Public
/// Suffix List) without being that registrable domain itself: another host of the same
/// subscriber that the certificate does not certify.
fn sibling_host(san: &str, cn: &str) -> bool {
    let san = san.to_ascii_lowercase();
    let san = san.strip_prefix("*.").unwrap_or(&san);
    match (psl::domain(san.as_bytes()), psl::domain(cn.as_bytes())) {
        (Some(a), Some(b)) => a.as_bytes() == b.as_bytes() && b.as_bytes() != cn.as_bytes(),
        _ => false,
    }
}

/// Parses an IP address the way lenient resolvers do (hexadecimal, leading zeros, fewer
/// than four IPv4 parts, any IPv6 spelling), to catch a CN that names a SAN address in a
/// non-canonical spelling.
fn lenient_ip(s: &str) -> Option<Vec<u8>> {
    if let Ok(v6) = s.parse::<std::net::Ipv6Addr>() {
        return Some(v6.octets().to_vec());
    }
    let parts: Vec<&str> = s.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let nums: Vec<u64> = parts
        .iter()
        .map(|p| {
            let p = p.to_ascii_lowercase();
            match p.strip_prefix("0x") {
                Some(h) if !h.is_empty() => u64::from_str_radix(h, 16).ok(),
                _ if !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()) => p.parse().ok(),
                _ => None,
            }
        })
        .collect::<Option<_>>()?;
    let (last, init) = nums.split_last()?;
    if init.iter().any(|n| *n > 255) || *last >= 1u64 << (8 * (5 - nums.len())) {
        return None;
    }
    let mut v: u64 = 0;
    for n in init {
        v = (v << 8) | *n;
    }
    v = (v << (8 * (5 - nums.len()))) | *last;
    Some((v as u32).to_be_bytes().to_vec())
}

fn ip_text(b: &[u8]) -> Option<String> {
    match b.len() {
        4 => Some(std::net::Ipv4Addr::from(<[u8; 4]>::try_from(b).ok()?).to_string()),
        16 => Some(std::net::Ipv6Addr::from(<[u8; 16]>::try_from(b).ok()?).to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_ip_spellings() {
        assert_eq!(lenient_ip("0xC0A80101"), Some(vec![192, 168, 1, 1]));
        assert_eq!(lenient_ip("192.168.001.001"), Some(vec![192, 168, 1, 1]));
        assert_eq!(lenient_ip("3232235777"), Some(vec![192, 168, 1, 1]));
        assert_eq!(lenient_ip("example.com"), None);
        assert_eq!(lenient_ip("4294967296"), None);
    }
}
