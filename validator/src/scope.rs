//! The regulatory scope of a trust anchor: which trust list it comes from, its status over
//! time, its MIIT licence or approval, and the restrictions on it (the draft *Measures for the
//! Administration of Electronic Certification Services*, `../design/regulation.md`).
//!
//! An [`AnchorScope`] is pure data that the caller (the trust-list loader) attaches to an
//! [`Anchor`](crate::Anchor) with [`Anchor::with_scope`](crate::Anchor::with_scope). An anchor
//! without a scope is trusted as configured, exactly as RFC 5280 trust anchors are. An anchor
//! with one is trusted only inside it; [`validate`](crate::validate) applies the scope after
//! RFC 5280 §6.1 on every complete path through the anchor, as the checks `ANCHOR.STATUS`,
//! `ANCHOR.LICENCE`, `ANCHOR.RESTRICTION`, `ANCHOR.APPROVAL` and `ANCHOR.SCOPE`, and reports
//! the outcome in [`Report::anchor`](crate::Report::anchor).
//!
//! Everything is fail-closed: a status history that does not cover the validation time, an
//! approval whose lists are empty, a key algorithm the engine cannot size, all leave the chain
//! untrusted. Times are Unix seconds.

use crate::algorithms;
use crate::anchors::Anchor;
use crate::cert::{Certificate, KeyUsageBit};
use crate::der::{self, Reader, tag};
use crate::oid::{self, Oid};
use crate::policy_tree::PolicyOutcome;
use crate::report::{AnchorOutcome, Check, CheckResult, Code, Warning};
use crate::time::fmt_time;
use crate::{ValidationOptions, profile};
use std::borrow::Cow;
use std::fmt::Write as _;

/// How close to the validation time a licence expiry triggers `LICENCE_EXPIRING_SOON`
/// (Art. 15: renewal is requested 30 days before expiry).
pub const LICENCE_EXPIRING_SOON_SECS: i64 = 30 * 86_400;

/// Where an anchor's trust comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AnchorKind {
    /// A CA licensed by MIIT, on the domestic trust list (Art. 2–4, 11).
    Domestic,
    /// A foreign CA whose certificates MIIT approved for mutual recognition (Art. 47–49).
    ForeignApproved,
    /// An anchor of a foreign trust list (e.g. an ETSI TS 119 612 list) reached through a
    /// pointer that an MIIT approval names: trusted only inside that approval (Art. 47).
    ForeignScheme,
}

impl AnchorKind {
    /// `domestic`, `foreign-approved` or `foreign-scheme`.
    pub fn as_str(self) -> &'static str {
        match self {
            AnchorKind::Domestic => "domestic",
            AnchorKind::ForeignApproved => "foreign-approved",
            AnchorKind::ForeignScheme => "foreign-scheme",
        }
    }
}

/// The trust-list entry an anchor comes from, for reports.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Provenance {
    /// The list, readable (`CN #42`: territory and sequence number).
    pub list: String,
    /// The list's scheme territory (`CN`, `DE`, …).
    pub territory: String,
    /// The list's sequence number.
    pub sequence: u64,
    /// The service name of the entry.
    pub service: String,
    /// The licence number or approval decision number the entry cites, if any.
    pub reference: Option<String>,
}

/// A trust-list service status. Only [`ServiceState::Granted`] is trusted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ServiceState {
    /// Granted (licensed, approved): trusted.
    Granted,
    /// Suspended (Art. 31, 34): not trusted while it lasts.
    Suspended,
    /// Withdrawn (Art. 31, 34): not trusted.
    Withdrawn,
    /// Any other status, not trusted; the label says which (an unknown status URI,
    /// `deprecatedatnationallevel`, …).
    NotGranted(String),
}

impl ServiceState {
    /// `granted`, `suspended`, `withdrawn`, or the label of another status.
    pub fn as_str(&self) -> &str {
        match self {
            ServiceState::Granted => "granted",
            ServiceState::Suspended => "suspended",
            ServiceState::Withdrawn => "withdrawn",
            ServiceState::NotGranted(label) => label,
        }
    }

    /// Whether the status is trusted (granted).
    pub fn is_granted(&self) -> bool {
        matches!(self, ServiceState::Granted)
    }
}

/// One status over a half-open interval of time `[from, until)`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StatusInterval {
    /// Start (the entry's StatusStartingTime), inclusive.
    pub from: i64,
    /// End (the next status's start), exclusive; `None` while it is the current status.
    pub until: Option<i64>,
    /// The status.
    pub status: ServiceState,
}

impl StatusInterval {
    /// Whether the interval covers `t`.
    pub fn covers(&self, t: i64) -> bool {
        self.from <= t && self.until.is_none_or(|u| t < u)
    }
}

/// An Electronic Certification Service Licence (Art. 11).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Licence {
    /// The licence number.
    pub number: String,
    /// The issuing authority (MIIT).
    pub issuing_authority: String,
    /// The issue date.
    pub issued: i64,
    /// The expiry: the issue date plus five years (Art. 11), computed by the caller.
    pub expires: i64,
}

impl Licence {
    /// Whether the licence is in force at `t`: `issued <= t < expires`.
    pub fn in_force(&self, t: i64) -> bool {
        self.issued <= t && t < self.expires
    }
}

/// A public-key algorithm family, as approvals name them (Art. 48: technical specifications).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyFamily {
    /// RSA (rsaEncryption keys; PKCS #1 v1.5 and PSS signatures). Size: modulus bits.
    Rsa,
    /// ECDSA on NIST P-256. Size: 256.
    EcP256,
    /// ECDSA on NIST P-384. Size: 384.
    EcP384,
    /// ECDSA on NIST P-521. Size: 521.
    EcP521,
    /// Ed25519. Size: 256.
    Ed25519,
    /// SM2 (GM/T 0003) with SM3 signatures. Size: 256.
    Sm2,
    /// DSA. Size: bits of the prime p.
    Dsa,
}

impl KeyFamily {
    /// `RSA`, `EC P-256`, `EC P-384`, `EC P-521`, `Ed25519`, `SM2`, `DSA`.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyFamily::Rsa => "RSA",
            KeyFamily::EcP256 => "EC P-256",
            KeyFamily::EcP384 => "EC P-384",
            KeyFamily::EcP521 => "EC P-521",
            KeyFamily::Ed25519 => "Ed25519",
            KeyFamily::Sm2 => "SM2",
            KeyFamily::Dsa => "DSA",
        }
    }

    /// The family and size in bits of `cert`'s subject public key; the size is `None` for a
    /// DSA key that inherits its parameters from its issuer (RFC 5280 §6.1.4 (f)). `None`
    /// for a key algorithm outside this list or a key that cannot be decoded.
    pub fn of_key(cert: &Certificate) -> Option<(KeyFamily, Option<u32>)> {
        let mut r = Reader::new(cert.spki_algorithm());
        let alg = r.oid().ok()?;
        match alg {
            oid::RSA_ENCRYPTION | oid::RSASSA_PSS => {
                let bits = profile::rsa_modulus_bits(cert.public_key())?;
                Some((KeyFamily::Rsa, Some(u32::try_from(bits).ok()?)))
            }
            oid::EC_PUBLIC_KEY => match r.oid().ok()? {
                oid::CURVE_P256 => Some((KeyFamily::EcP256, Some(256))),
                oid::CURVE_P384 => Some((KeyFamily::EcP384, Some(384))),
                oid::CURVE_P521 => Some((KeyFamily::EcP521, Some(521))),
                oid::CURVE_SM2 => Some((KeyFamily::Sm2, Some(256))),
                _ => None,
            },
            // GM/T 0015-2023 also allows the SM2 curve OID as the key algorithm.
            oid::CURVE_SM2 => Some((KeyFamily::Sm2, Some(256))),
            oid::ED25519 => Some((KeyFamily::Ed25519, Some(256))),
            oid::DSA => match algorithms::dsa_parameters(cert.spki_algorithm())? {
                Some(params) => Some((KeyFamily::Dsa, Some(dsa_prime_bits(params)?))),
                None => Some((KeyFamily::Dsa, None)),
            },
            _ => None,
        }
    }
}

/// The bits of the prime p of DSA parameters (`Dss-Parms`, full TLV).
fn dsa_prime_bits(params: &[u8]) -> Option<u32> {
    let mut r = Reader::new(der::single(params, tag::SEQUENCE).ok()?);
    let p = r.expect(tag::INTEGER).ok()?.value;
    let p = if p.first() == Some(&0) { &p[1..] } else { p };
    let first = *p.first()?;
    u32::try_from(p.len() * 8 - first.leading_zeros() as usize).ok()
}

/// One approved algorithm: keys of `family` with at least `min_bits` bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AlgorithmRule {
    /// The key family.
    pub family: KeyFamily,
    /// The minimum key size in bits (see [`KeyFamily`] for how each family is sized).
    pub min_bits: u32,
}

/// An MIIT approval of a foreign CA or scheme (Art. 47–49): a decision valid for a time, for
/// certificate types, technical specifications and application scenarios (Art. 48).
///
/// Every dimension is fail-closed: **an empty list approves nothing**, never everything.
///
/// * `policy_oids` — the certificate types. The path's valid policies (RFC 5280 §6.1.5 (g))
///   must include at least one of them; an empty list puts every chain outside the scope.
///   `anyPolicy` (2.5.29.32.0) is approved only when listed.
/// * `algorithms` — every key on the path (end entity, intermediates and the anchor) must be
///   of a listed family with at least its `min_bits`, and every signature on the path must be
///   made with a listed family.
/// * `key_usages` — the application scenarios as key usages: each key usage the caller asks
///   for must be listed, and an end-entity `keyUsage` extension must assert at least one
///   listed bit (a certificate whose key serves no approved use is of an unapproved type;
///   further bits it asserts are not relied on and are allowed). A certificate without the
///   extension is not restricted by it. CA usages (keyCertSign, cRLSign) on intermediates
///   are not scenarios and are not compared.
/// * `extended_key_usages` — likewise: each requested purpose must be listed, and an
///   end-entity `extKeyUsage` extension must allow at least one listed purpose.
///   `anyExtendedKeyUsage` in the approval approves every purpose; in the certificate it
///   meets every listed purpose.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Approval {
    /// The decision number (published, Art. 49).
    pub decision: String,
    /// The decision date.
    pub decided: i64,
    /// Start of validity, inclusive.
    pub valid_from: i64,
    /// End of validity, inclusive.
    pub valid_until: i64,
    /// Approved certificate types (certificate policy OIDs).
    pub policy_oids: Vec<Oid>,
    /// Approved algorithms and minimum key sizes.
    pub algorithms: Vec<AlgorithmRule>,
    /// Approved key usages (application scenarios).
    pub key_usages: Vec<KeyUsageBit>,
    /// Approved extended key usages (application scenarios).
    pub extended_key_usages: Vec<Oid>,
}

impl Approval {
    /// Whether the approval is in force at `t`: `valid_from <= t <= valid_until`.
    pub fn in_force(&self, t: i64) -> bool {
        self.valid_from <= t && t <= self.valid_until
    }

    /// Whether a key of `family` and `bits` is approved.
    pub fn allows_key(&self, family: KeyFamily, bits: u32) -> bool {
        self.algorithms
            .iter()
            .any(|a| a.family == family && bits >= a.min_bits)
    }

    fn lists(&self) -> String {
        let mut s = String::new();
        for (i, a) in self.algorithms.iter().enumerate() {
            let _ = write!(
                s,
                "{}{} ≥ {}",
                if i > 0 { ", " } else { "" },
                a.family.as_str(),
                a.min_bits
            );
        }
        if s.is_empty() { "none".into() } else { s }
    }
}

/// The regulatory scope of an anchor: its kind, provenance, status history, licence or
/// approval, restrictions and successor.
///
/// An anchor with a scope is trusted at a time `t` only when (each failure is
/// `ANCHOR_NOT_TRUSTED_AT_TIME` unless said otherwise):
///
/// 1. its status at `t` is granted (an empty history, or one that does not cover `t`, is not
///    granted; where intervals overlap, the one that starts last decides);
/// 2. its licence, if any, is in force at `t`;
/// 3. no certificate below it on the path was issued (notBefore) inside a restriction period;
/// 4. its approval, if any, is in force at `t` — and a foreign anchor
///    ([`AnchorKind::ForeignApproved`], [`AnchorKind::ForeignScheme`]) without an approval is
///    outside any approved scope (`OUTSIDE_APPROVED_SCOPE`);
/// 5. the chain is inside the approval's scope ([`Approval`]; `OUTSIDE_APPROVED_SCOPE`).
///
/// The status when the end-entity certificate was issued is reported beside the status at
/// `t` but does not decide (`../design/trustlists.md`, "Status at a time").
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AnchorScope {
    /// Domestic, foreign approved, or foreign scheme.
    pub kind: AnchorKind,
    /// The trust-list entry.
    pub provenance: Provenance,
    /// The status history, in any order.
    pub history: Vec<StatusInterval>,
    /// The MIIT licence (domestic CAs, Art. 11).
    pub licence: Option<Licence>,
    /// The MIIT approval (foreign CAs and schemes, Art. 47–49).
    pub approval: Option<Approval>,
    /// Dishonesty-list restriction periods `[from, until)` (Art. 39): certificates issued
    /// inside one are not trusted.
    pub restrictions: Vec<(i64, i64)>,
    /// The CA that took over the business (Art. 31); informational.
    pub successor: Option<String>,
    /// The successor's CA certificates (DER), as its own entry on the list gives them: an
    /// OCSP response for a certificate below this anchor may be signed by one of them, or
    /// by a responder one of them delegated OCSP signing to (Art. 31: the successor answers
    /// for the status of the certificates it took over).
    pub successor_certificates: Vec<Vec<u8>>,
    /// The successor's service supply points (http and https URLs), where the status of
    /// certificates below this anchor is asked once the business is taken over.
    pub successor_endpoints: Vec<String>,
}

impl AnchorScope {
    /// A scope with no history, licence, approval, restriction or successor (not trusted
    /// until a granted status is added).
    pub fn new(kind: AnchorKind, provenance: Provenance) -> Self {
        AnchorScope {
            kind,
            provenance,
            history: Vec::new(),
            licence: None,
            approval: None,
            restrictions: Vec::new(),
            successor: None,
            successor_certificates: Vec::new(),
            successor_endpoints: Vec::new(),
        }
    }

    /// The status interval covering `t`: where several do, the one that starts last, and
    /// among those a status other than granted.
    pub fn status_at(&self, t: i64) -> Option<&StatusInterval> {
        self.history
            .iter()
            .filter(|s| s.covers(t))
            .max_by_key(|s| (s.from, !s.status.is_granted()))
    }

    /// Whether `t` falls inside a restriction period; the first such period.
    pub fn restriction_at(&self, t: i64) -> Option<(i64, i64)> {
        self.restrictions
            .iter()
            .copied()
            .find(|(from, until)| *from <= t && t < *until)
    }
}

fn status_name(s: Option<&StatusInterval>) -> String {
    s.map_or_else(
        || "not-listed".to_string(),
        |s| s.status.as_str().to_string(),
    )
}

/// The report's summary of the anchor of a complete path (`None` when it has no scope).
pub(crate) fn outcome(anchor: &Anchor, leaf: &Certificate, t: i64) -> Option<AnchorOutcome> {
    let scope = anchor.scope()?;
    let now = scope.status_at(t);
    let issued = leaf.not_before();
    Some(AnchorOutcome {
        sha256: anchor.certificate().sha256_hex_shared(),
        kind: scope.kind,
        label: anchor.label().map(str::to_string),
        provenance: scope.provenance.clone(),
        licence: scope.licence.as_ref().map(|l| l.number.clone()),
        licence_expires: scope.licence.as_ref().map(|l| l.expires),
        approval: scope.approval.as_ref().map(|a| a.decision.clone()),
        approval_valid_until: scope.approval.as_ref().map(|a| a.valid_until),
        status_at_validation_time: status_name(now),
        status_since: now.map(|s| s.from),
        status_at_issuance: status_name(scope.status_at(issued)),
        leaf_issued: issued,
        successor: scope.successor.clone(),
    })
}

/// The checks of one anchor scope on one complete path.
pub(crate) struct ScopeChecks {
    /// Every check, in order.
    pub checks: Vec<Check>,
    /// Warnings (`LICENCE_EXPIRING_SOON`).
    pub warnings: Vec<Warning>,
    /// The earliest time after the validation time at which the scope's verdict changes on
    /// its own (end of the current status, licence expiry, end of the approval).
    pub until: Option<i64>,
}

impl ScopeChecks {
    fn push(
        &mut self,
        id: &'static str,
        idx: Option<usize>,
        result: CheckResult,
        rule: &'static str,
        code: Code,
        message: impl Into<Cow<'static, str>>,
    ) {
        self.checks.push(Check {
            id,
            cert_index: idx,
            result,
            rule,
            message: message.into(),
            code,
        });
    }

    /// An Art. 47, 48 scope check (`ANCHOR.SCOPE`, `OUTSIDE_APPROVED_SCOPE`).
    fn scope(
        &mut self,
        idx: Option<usize>,
        result: CheckResult,
        message: impl Into<Cow<'static, str>>,
    ) {
        self.push(
            "ANCHOR.SCOPE",
            idx,
            result,
            RULE_SCOPE,
            Code::OutsideApprovedScope,
            message,
        );
    }
}

const RULE_STATUS: &str = "Art. 5, 31, 34; trust-list service status";
const RULE_LICENCE: &str = "Art. 11, 15";
const RULE_RESTRICTION: &str = "Art. 39";
const RULE_APPROVAL: &str = "Art. 47, 49";
const RULE_SCOPE: &str = "Art. 47, 48";

fn oids(v: &[Oid]) -> String {
    if v.is_empty() {
        return "none".into();
    }
    v.iter().map(Oid::to_string).collect::<Vec<_>>().join(", ")
}

fn usages(v: &[KeyUsageBit]) -> String {
    if v.is_empty() {
        return "none".into();
    }
    v.iter().map(|b| b.name()).collect::<Vec<_>>().join(", ")
}

/// The regulation's conditions on a complete path (`path`: end entity first, anchor last)
/// whose anchor has `scope`, after RFC 5280 §6.1. `policies` is the path's policy outcome
/// (`None` when policy processing failed). For the path of a delegated CRL signer
/// (`crl_signer`), the certificate-type and usage dimensions of an approval are not applied
/// (the signer is a CA function, not an approved certificate type).
pub(crate) fn evaluate(
    scope: &AnchorScope,
    path: &[&Certificate],
    policies: Option<&PolicyOutcome>,
    opts: &ValidationOptions,
    crl_signer: bool,
) -> ScopeChecks {
    let mut out = ScopeChecks {
        checks: Vec::new(),
        warnings: Vec::new(),
        until: None,
    };
    let (Some(leaf), Some(k)) = (path.first(), path.len().checked_sub(1)) else {
        return out;
    };
    let t = opts.time;
    let issued = leaf.not_before();
    let service = &scope.provenance.service;

    // Art. 5, 34: a CA must keep meeting its conditions; MIIT may suspend or withdraw it at
    // any time (Art. 31: suspension, termination). Only a granted status at the validation
    // time is trusted. The status when the leaf was issued is reported beside it
    // (`../design/trustlists.md`, "Status at a time").
    let now = scope.status_at(t);
    let then = scope.status_at(issued);
    let mut until = now.and_then(|s| s.until);
    let mut earliest = |e: i64| until = Some(until.map_or(e, |u| u.min(e)));
    if let Some(l) = &scope.licence {
        earliest(l.expires);
    }
    if let Some(a) = &scope.approval {
        earliest(a.valid_until.saturating_add(1));
    }
    out.until = until;
    let then_text = match then {
        Some(s) => format!(
            "{} when the leaf was issued on {}",
            s.status.as_str(),
            fmt_time(issued)
        ),
        None => format!(
            "not listed when the leaf was issued on {}",
            fmt_time(issued)
        ),
    };
    let (result, message) = match now {
        Some(s) if s.status.is_granted() => (
            CheckResult::Passed,
            format!(
                "{service} ({}): granted since {}; {then_text}",
                scope.provenance.list,
                fmt_time(s.from)
            ),
        ),
        Some(s) => (
            CheckResult::Failed,
            format!(
                "{service} ({}): {} since {}; {then_text}{}",
                scope.provenance.list,
                s.status.as_str(),
                fmt_time(s.from),
                scope.successor.as_ref().map_or(String::new(), |n| format!(
                    "; its business was taken over by {n}"
                ))
            ),
        ),
        None => (
            CheckResult::Failed,
            format!(
                "{service} ({}): no status at {}; {then_text}",
                scope.provenance.list,
                fmt_time(t)
            ),
        ),
    };
    out.push(
        "ANCHOR.STATUS",
        Some(k),
        result,
        RULE_STATUS,
        Code::AnchorNotTrustedAtTime,
        message,
    );

    // Art. 11: a licence is valid five years from its issue date; a chain whose anchor's
    // licence is not in force at the validation time is not trusted. Art. 15: renewal is
    // due 30 days before expiry, so warn within those 30 days.
    let not_trusted = Code::AnchorNotTrustedAtTime;
    let licence: Option<(CheckResult, Code, Cow<'static, str>)> = match &scope.licence {
        Some(l) if t < l.issued => Some((
            CheckResult::Failed,
            not_trusted,
            format!(
                "licence {} (issued by {}) is in force only from {}",
                l.number,
                l.issuing_authority,
                fmt_time(l.issued)
            )
            .into(),
        )),
        Some(l) if t >= l.expires => Some((
            CheckResult::Failed,
            not_trusted,
            format!(
                "licence {} (issued by {} on {}) expired at {}",
                l.number,
                l.issuing_authority,
                fmt_time(l.issued),
                fmt_time(l.expires)
            )
            .into(),
        )),
        Some(l) if l.expires.saturating_sub(t) <= LICENCE_EXPIRING_SOON_SECS => {
            let msg = format!(
                "licence {} (issued by {}) expires at {}, within 30 days",
                l.number,
                l.issuing_authority,
                fmt_time(l.expires)
            );
            out.warnings.push(Warning {
                code: Code::LicenceExpiringSoon,
                cert_index: Some(k),
                message: msg.clone(),
            });
            Some((CheckResult::Warning, Code::LicenceExpiringSoon, msg.into()))
        }
        Some(l) => Some((
            CheckResult::Passed,
            not_trusted,
            format!(
                "licence {} (issued by {}) is in force from {} to {}",
                l.number,
                l.issuing_authority,
                fmt_time(l.issued),
                fmt_time(l.expires)
            )
            .into(),
        )),
        None if scope.kind == AnchorKind::Domestic => Some((
            CheckResult::Skipped,
            not_trusted,
            "the trust-list entry records no licence".into(),
        )),
        None => None,
    };
    if let Some((result, code, message)) = licence {
        out.push(
            "ANCHOR.LICENCE",
            Some(k),
            result,
            RULE_LICENCE,
            code,
            message,
        );
    }

    // Art. 39: a CA on the dishonesty list has its service restricted for a period; the
    // certificates issued inside it (every certificate below the anchor, by notBefore) are
    // not trusted.
    let mut restricted = false;
    for (idx, cert) in path[..k].iter().enumerate() {
        if let Some((from, until)) = scope.restriction_at(cert.not_before()) {
            restricted = true;
            out.push(
                "ANCHOR.RESTRICTION",
                Some(idx),
                CheckResult::Failed,
                RULE_RESTRICTION,
                Code::AnchorNotTrustedAtTime,
                format!(
                    "{} was issued on {}, while the service of {service} was restricted (dishonesty list) from {} to {}",
                    cert.subject().display(),
                    fmt_time(cert.not_before()),
                    fmt_time(from),
                    fmt_time(until)
                ),
            );
        }
    }
    if !restricted {
        out.push(
            "ANCHOR.RESTRICTION",
            None,
            CheckResult::Passed,
            RULE_RESTRICTION,
            Code::AnchorNotTrustedAtTime,
            if scope.restrictions.is_empty() {
                Cow::Borrowed("no restriction period recorded")
            } else {
                Cow::Owned(format!(
                    "no certificate of the path was issued inside the {} restriction period(s)",
                    scope.restrictions.len()
                ))
            },
        );
    }

    // Art. 47, 49: a foreign CA's certificates have effect only once MIIT approves, for the
    // time the published decision says; a foreign anchor without an approval has no scope.
    let Some(approval) = &scope.approval else {
        if scope.kind != AnchorKind::Domestic {
            out.push(
                "ANCHOR.APPROVAL",
                Some(k),
                CheckResult::Failed,
                RULE_APPROVAL,
                Code::OutsideApprovedScope,
                format!(
                    "{service} is a {} anchor, trusted only inside an MIIT approval, and its entry records none",
                    scope.kind.as_str()
                ),
            );
        }
        return out;
    };
    let dec = &approval.decision;
    if approval.in_force(t) {
        out.push(
            "ANCHOR.APPROVAL",
            Some(k),
            CheckResult::Passed,
            RULE_APPROVAL,
            Code::AnchorNotTrustedAtTime,
            format!(
                "approval {dec} (decided {}) is in force from {} to {}",
                fmt_time(approval.decided),
                fmt_time(approval.valid_from),
                fmt_time(approval.valid_until)
            ),
        );
    } else {
        out.push(
            "ANCHOR.APPROVAL",
            Some(k),
            CheckResult::Failed,
            RULE_APPROVAL,
            Code::AnchorNotTrustedAtTime,
            format!(
                "approval {dec} (decided {}) is in force from {} to {}, not at {}",
                fmt_time(approval.decided),
                fmt_time(approval.valid_from),
                fmt_time(approval.valid_until),
                fmt_time(t)
            ),
        );
    }

    // Art. 48: the approval names the certificate types, the technical specifications and
    // the application scenarios; the chain must be inside each.
    if !crl_signer {
        scope_policies(&mut out, approval, leaf, policies);
        scope_usages(&mut out, approval, leaf, opts);
    }
    scope_algorithms(&mut out, approval, path);
    out
}

/// Art. 48 certificate types: the path's valid policies must include an approved one.
fn scope_policies(
    out: &mut ScopeChecks,
    approval: &Approval,
    leaf: &Certificate,
    policies: Option<&PolicyOutcome>,
) {
    let dec = &approval.decision;
    let approved = &approval.policy_oids;
    let valid: Vec<Oid> = match policies {
        None => {
            out.scope(
                None,
                CheckResult::Skipped,
                "certificate types not compared: policy processing failed",
            );
            return;
        }
        Some(PolicyOutcome::Policies(v)) => v.clone(),
        // anyPolicy reached the end entity through every CA: each policy the end entity
        // asserts is valid for the path (and anyPolicy itself, approved only when listed).
        Some(PolicyOutcome::Any) => leaf.extensions().policies.clone().unwrap_or_default(),
        Some(PolicyOutcome::NoneRequired) => Vec::new(),
    };
    if valid.is_empty() {
        out.scope(
            None,
            CheckResult::Failed,
            format!(
                "the path is valid for no certificate policy, and approval {dec} covers only the certificate types {}",
                oids(approved)
            ),
        );
        return;
    }
    let inside: Vec<&Oid> = valid.iter().filter(|p| approved.contains(p)).collect();
    if inside.is_empty() {
        let what = if valid.len() == 1 {
            format!("policy {} is not", valid[0])
        } else {
            format!("none of the policies {} is", oids(&valid))
        };
        out.scope(
            None,
            CheckResult::Failed,
            format!(
                "{what} among the certificate types approved by {dec} ({})",
                oids(approved)
            ),
        );
    } else {
        out.scope(
            None,
            CheckResult::Passed,
            format!(
                "certificate type {} is approved by {dec}",
                inside
                    .iter()
                    .map(|o| o.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
}

/// Art. 48 application scenarios: requested key usages and purposes must be approved; the end
/// entity's own keyUsage and extKeyUsage must allow at least one approved use.
fn scope_usages(
    out: &mut ScopeChecks,
    approval: &Approval,
    leaf: &Certificate,
    opts: &ValidationOptions,
) {
    let dec = &approval.decision;
    let ext = leaf.extensions();
    let ku_ok = approval.key_usages.as_slice();
    for want in &opts.key_usage {
        if !ku_ok.contains(want) {
            out.scope(
                Some(0),
                CheckResult::Failed,
                format!(
                    "key usage {} is not among the application scenarios approved by {dec} ({})",
                    want.name(),
                    usages(ku_ok)
                ),
            );
        }
    }
    if let Some(ku) = ext.key_usage {
        if ku_ok.iter().any(|b| ku.has(*b)) {
            out.scope(
                Some(0),
                CheckResult::Passed,
                format!(
                    "keyUsage {} allows a usage approved by {dec}",
                    ku.names().join(", ")
                ),
            );
        } else {
            out.scope(
                Some(0),
                CheckResult::Failed,
                format!(
                    "keyUsage {} of the end-entity certificate allows none of the usages approved by {dec} ({})",
                    ku.names().join(", "),
                    usages(ku_ok)
                ),
            );
        }
    }
    let eku_ok = approval.extended_key_usages.as_slice();
    let any_approved = eku_ok.iter().any(|e| e.as_bytes() == oid::ANY_EKU);
    for want in &opts.extended_key_usage {
        if !any_approved && !eku_ok.contains(want) {
            out.scope(
                Some(0),
                CheckResult::Failed,
                format!(
                    "extended key usage {want} is not among the application scenarios approved by {dec} ({})",
                    oids(eku_ok)
                ),
            );
        }
    }
    if let Some(eku) = &ext.ext_key_usage {
        let any_asserted = eku.iter().any(|e| e.as_bytes() == oid::ANY_EKU);
        let meets = !eku_ok.is_empty()
            && (any_approved || any_asserted || eku.iter().any(|e| eku_ok.contains(e)));
        if meets {
            out.scope(
                Some(0),
                CheckResult::Passed,
                format!(
                    "extKeyUsage {} allows a purpose approved by {dec}",
                    oids(eku)
                ),
            );
        } else {
            out.scope(
                Some(0),
                CheckResult::Failed,
                format!(
                    "extKeyUsage {} of the end-entity certificate allows none of the purposes approved by {dec} ({})",
                    oids(eku),
                    oids(eku_ok)
                ),
            );
        }
    }
}

/// Art. 48 technical specifications: every key on the path (anchor included) of an approved
/// family and size; every signature on the path made with an approved family.
fn scope_algorithms(out: &mut ScopeChecks, approval: &Approval, path: &[&Certificate]) {
    let dec = &approval.decision;
    // Key families and sizes, anchor first so that an inherited DSA size is known when it is
    // needed; the findings are reported end entity first.
    let mut families: Vec<Option<KeyFamily>> = vec![None; path.len()];
    let mut key_findings: Vec<(usize, String)> = Vec::new();
    let mut inherited_dsa: Option<u32> = None;
    for idx in (0..path.len()).rev() {
        let cert = path[idx];
        let subj = cert.subject().display();
        let Some((family, bits)) = KeyFamily::of_key(cert) else {
            let alg = Reader::new(cert.spki_algorithm())
                .oid()
                .map(oid::dotted)
                .unwrap_or_else(|_| "?".into());
            key_findings.push((
                idx,
                format!(
                    "the key of {subj} (algorithm {alg}) is not among the algorithms approved by {dec} ({})",
                    approval.lists()
                ),
            ));
            continue;
        };
        families[idx] = Some(family);
        let bits = match (family, bits) {
            (KeyFamily::Dsa, Some(b)) => {
                inherited_dsa = Some(b);
                Some(b)
            }
            (KeyFamily::Dsa, None) => inherited_dsa,
            (_, b) => {
                inherited_dsa = None;
                b
            }
        };
        if !bits.is_some_and(|b| approval.allows_key(family, b)) {
            key_findings.push((
                idx,
                format!(
                    "the {} key of {subj} ({}) is not among the algorithms approved by {dec} ({})",
                    family.as_str(),
                    bits.map_or("size unknown".to_string(), |b| format!("{b} bits")),
                    approval.lists()
                ),
            ));
        }
    }
    let mut all_ok = key_findings.is_empty();
    for (idx, msg) in key_findings.into_iter().rev() {
        out.scope(Some(idx), CheckResult::Failed, msg);
    }
    for idx in 0..path.len().saturating_sub(1) {
        let cert = path[idx];
        let sig = Reader::new(cert.signature_algorithm()).oid().unwrap_or(&[]);
        let family = match (sig, families[idx + 1]) {
            (oid::SM2_WITH_SM3, _) => Some(KeyFamily::Sm2),
            (
                oid::ECDSA_WITH_SHA256 | oid::ECDSA_WITH_SHA384 | oid::ECDSA_WITH_SHA512,
                Some(f @ (KeyFamily::EcP256 | KeyFamily::EcP384 | KeyFamily::EcP521)),
            ) => Some(f),
            (
                oid::SHA256_WITH_RSA
                | oid::SHA384_WITH_RSA
                | oid::SHA512_WITH_RSA
                | oid::SHA1_WITH_RSA
                | oid::RSASSA_PSS,
                _,
            ) => Some(KeyFamily::Rsa),
            (oid::ED25519, _) => Some(KeyFamily::Ed25519),
            (oid::DSA_WITH_SHA1 | oid::DSA_WITH_SHA224 | oid::DSA_WITH_SHA256, _) => {
                Some(KeyFamily::Dsa)
            }
            _ => None,
        };
        if !family.is_some_and(|f| approval.algorithms.iter().any(|a| a.family == f)) {
            all_ok = false;
            out.scope(
                Some(idx),
                CheckResult::Failed,
                format!(
                    "the signature on {} ({} {}{}) is not made with an algorithm approved by {dec} ({})",
                    cert.subject().display(),
                    algorithms::family(cert.signature_algorithm()),
                    oid::dotted(sig),
                    families[idx + 1].map_or(String::new(), |f| format!(", by an {} key", f.as_str())),
                    approval.lists()
                ),
            );
        }
    }
    if all_ok {
        out.scope(
            None,
            CheckResult::Passed,
            format!(
                "every key and signature of the path uses an algorithm approved by {dec} ({})",
                approval.lists()
            ),
        );
    }
}
