//! The explained result of a validation: status, one stable code, the path, per-check
//! results and warnings.

use crate::policy_tree::PolicyOutcome;
use crate::scope::{AnchorKind, Provenance};
use core::fmt;
use std::borrow::Cow;
use std::sync::Arc;

/// The overall answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// The chain is valid for the requested use at the validation time.
    Valid,
    /// The chain is affirmatively invalid at the validation time.
    Invalid,
    /// The engine could not decide (no path, missing revocation data, …).
    Indeterminate,
}

impl Status {
    /// `VALID`, `INVALID` or `INDETERMINATE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "VALID",
            Status::Invalid => "INVALID",
            Status::Indeterminate => "INDETERMINATE",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $text:literal, $status:ident, $rank:literal; )*) => {
        /// The stable result and warning codes of the API (`../design/api.md`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// The code as it appears in JSON.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $text, )* }
            }

            /// The status a failure with this code gives (warnings: the status is unchanged,
            /// shown here as `Valid`).
            pub fn status(self) -> Status {
                match self { $( Code::$variant => Status::$status, )* }
            }

            /// How specific the reason is when several candidate paths failed: higher wins.
            pub fn specificity(self) -> u8 {
                match self { $( Code::$variant => $rank, )* }
            }

            /// Every code.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];
        }
    };
}

codes! {
    /// The chain is valid.
    Ok = "OK", Valid, 0;
    /// The end-entity certificate is revoked.
    CertRevoked = "CERT_REVOKED", Invalid, 90;
    /// A CA certificate on the path is revoked.
    CaRevoked = "CA_REVOKED", Invalid, 89;
    /// A certificate's notAfter is before the validation time.
    CertExpired = "CERT_EXPIRED", Invalid, 70;
    /// A certificate's notBefore is after the validation time.
    CertNotYetValid = "CERT_NOT_YET_VALID", Invalid, 70;
    /// A signature does not verify.
    BadSignature = "BAD_SIGNATURE", Invalid, 30;
    /// A certificate is not well-formed DER X.509.
    MalformedCertificate = "MALFORMED_CERTIFICATE", Invalid, 95;
    /// An issuer is not a CA, or an end entity is used as one.
    BasicConstraintsViolation = "BASIC_CONSTRAINTS_VIOLATION", Invalid, 60;
    /// A pathLenConstraint is exceeded.
    PathLengthExceeded = "PATH_LENGTH_EXCEEDED", Invalid, 65;
    /// A name is outside the permitted or inside an excluded subtree.
    NameConstraintsViolation = "NAME_CONSTRAINTS_VIOLATION", Invalid, 75;
    /// No acceptable certificate policy.
    PolicyNotSatisfied = "POLICY_NOT_SATISFIED", Invalid, 76;
    /// A key usage the caller needs (or keyCertSign / cRLSign on an issuer) is absent.
    KeyUsageNotAllowed = "KEY_USAGE_NOT_ALLOWED", Invalid, 80;
    /// An extended key usage the caller needs is absent.
    EkuNotAllowed = "EKU_NOT_ALLOWED", Invalid, 80;
    /// The server certificate does not name the expected host or address.
    ServerNameMismatch = "SERVER_NAME_MISMATCH", Invalid, 85;
    /// A critical extension this engine does not process.
    UnhandledCriticalExtension = "UNHANDLED_CRITICAL_EXTENSION", Invalid, 78;
    /// An algorithm is recognised but not allowed.
    AlgorithmNotAllowed = "ALGORITHM_NOT_ALLOWED", Invalid, 50;
    /// The anchor was not trusted at the validation time (licence, approval or status).
    AnchorNotTrustedAtTime = "ANCHOR_NOT_TRUSTED_AT_TIME", Invalid, 86;
    /// The chain falls outside a foreign anchor's approved scope.
    OutsideApprovedScope = "OUTSIDE_APPROVED_SCOPE", Invalid, 86;
    /// The Art. 21 certificate profile is violated.
    ProfileViolation = "PROFILE_VIOLATION", Invalid, 79;
    /// No path from the certificate to a trust anchor was found.
    NoPathToTrustAnchor = "NO_PATH_TO_TRUST_ANCHOR", Indeterminate, 10;
    /// Revocation status was required and could not be obtained.
    RevocationUnavailable = "REVOCATION_UNAVAILABLE", Indeterminate, 40;
    /// The revocation data available is past its nextUpdate.
    RevocationStale = "REVOCATION_STALE", Indeterminate, 41;
    /// The OCSP responder does not know the certificate (`unknown`), and no CRL decides.
    RevocationUnknown = "REVOCATION_UNKNOWN", Indeterminate, 42;
    /// No trust list is loaded.
    TrustListUnavailable = "TRUST_LIST_UNAVAILABLE", Indeterminate, 5;
    /// The trust list is past NextUpdate plus grace.
    TrustListExpired = "TRUST_LIST_EXPIRED", Indeterminate, 5;
    /// A signature or key algorithm this engine does not implement.
    AlgorithmUnsupported = "ALGORITHM_UNSUPPORTED", Indeterminate, 35;
    /// Path building ran out of budget before deciding.
    PathBuildingBudgetExceeded = "PATH_BUILDING_BUDGET_EXCEEDED", Indeterminate, 20;
    /// Warning: a certificate on the path expires within 30 days.
    ExpiringSoon = "EXPIRING_SOON", Valid, 0;
    /// Warning: the anchor's licence expires within 30 days (Art. 15).
    LicenceExpiringSoon = "LICENCE_EXPIRING_SOON", Valid, 0;
    /// Warning: revocation could not be checked and the policy allowed it.
    RevocationSoftFailed = "REVOCATION_SOFT_FAILED", Valid, 0;
    /// Warning: revoked, but after the validation time.
    RevokedAfterValidationTime = "REVOKED_AFTER_VALIDATION_TIME", Valid, 0;
    /// Warning: the trust list nears its NextUpdate.
    TrustListNearExpiry = "TRUST_LIST_NEAR_EXPIRY", Valid, 0;
    /// Warning: a weak algorithm was accepted by policy.
    WeakAlgorithmAccepted = "WEAK_ALGORITHM_ACCEPTED", Valid, 0;
    /// Warning: a profile rule that only warns was not followed.
    ProfileDeviation = "PROFILE_DEVIATION", Valid, 0;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckResult {
    /// The rule holds.
    Passed,
    /// The rule is broken.
    Failed,
    /// The rule holds with a reservation (see the message).
    Warning,
    /// The rule was not evaluated (e.g. revocation off).
    Skipped,
}

impl CheckResult {
    /// `passed`, `failed`, `warning`, `skipped`.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckResult::Passed => "passed",
            CheckResult::Failed => "failed",
            CheckResult::Warning => "warning",
            CheckResult::Skipped => "skipped",
        }
    }
}

/// One rule applied to one certificate (or to the whole path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// A stable identifier: `SIGNATURE`, `VALIDITY`, `BASIC_CONSTRAINTS`, …
    pub id: &'static str,
    /// Index in the path (0 = end entity), or `None` for path-wide checks.
    pub cert_index: Option<usize>,
    /// The outcome.
    pub result: CheckResult,
    /// The clause the rule rests on (`RFC 5280 §6.1.3 (a)(2)`).
    pub rule: &'static str,
    /// What was found.
    pub message: Cow<'static, str>,
    /// The code a failure gives.
    pub code: Code,
}

/// Where a certificate of the path came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The certificate being validated.
    Target,
    /// One of the untrusted intermediates supplied with it.
    Intermediate,
    /// The anchor set.
    Anchor,
}

impl Source {
    /// `target`, `request`, `anchor`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Target => "target",
            Source::Intermediate => "request",
            Source::Anchor => "anchor",
        }
    }
}

/// One certificate of the chosen path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathEntry {
    /// 0 = end entity, increasing towards the anchor.
    pub index: usize,
    /// SHA-256 of the certificate DER, hex.
    pub sha256: Arc<str>,
    /// Subject, readable.
    pub subject: Arc<str>,
    /// Issuer, readable.
    pub issuer: Arc<str>,
    /// Serial number, hex.
    pub serial: String,
    /// notBefore (Unix seconds).
    pub not_before: i64,
    /// notAfter (Unix seconds).
    pub not_after: i64,
    /// Where it came from.
    pub source: Source,
}

/// A warning: the status is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The warning code.
    pub code: Code,
    /// Index in the path, if it concerns one certificate.
    pub cert_index: Option<usize>,
    /// What was found.
    pub message: String,
}

/// Counters of the work one validation did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorkStats {
    /// Signatures verified (memo misses).
    pub signatures_verified: u32,
    /// Signatures answered from the memo.
    pub memo_hits: u32,
    /// Candidate issuers considered.
    pub candidates_tried: u32,
    /// Complete paths evaluated.
    pub paths_evaluated: u32,
    /// Whether any part of the work budget ran out: the answer may then differ from the one
    /// a larger budget would give (a caller that tried a small budget first retries).
    pub budget_exhausted: bool,
}

/// The revocation status found for one certificate of the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevocationEntry {
    /// Index in the path.
    pub cert_index: usize,
    /// `good`, `revoked`, `unknown`, `unavailable`, `stale`, `not-checked`.
    pub outcome: &'static str,
    /// Where the answer came from: the label of the OCSP response or CRL(s) used
    /// ([`OcspResponse::source`](crate::OcspResponse::source), [`Crl::source`](crate::Crl::source):
    /// `caller OCSP`, `caller CRL`, a URL, …); for an undecided status, the labels of the
    /// evidence examined, or `none`.
    pub source: String,
    /// thisUpdate of the evidence (Unix seconds).
    pub this_update: Option<i64>,
    /// nextUpdate of the evidence (Unix seconds).
    pub next_update: Option<i64>,
    /// Revocation time and reason, when revoked.
    pub detail: Option<String>,
}

/// The regulatory facts about the anchor of the chosen path, when it has a scope
/// ([`AnchorScope`](crate::AnchorScope)): which trust-list entry it is, and its status at the
/// validation time and when the end-entity certificate was issued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchorOutcome {
    /// SHA-256 of the anchor certificate DER, hex.
    pub sha256: Arc<str>,
    /// Domestic, foreign approved, or foreign scheme.
    pub kind: AnchorKind,
    /// The anchor's label, if any.
    pub label: Option<String>,
    /// The trust-list entry.
    pub provenance: Provenance,
    /// The licence number (domestic CAs).
    pub licence: Option<String>,
    /// The licence's expiry (Unix seconds).
    pub licence_expires: Option<i64>,
    /// The approval decision number (foreign CAs and schemes).
    pub approval: Option<String>,
    /// The last day of the approval's validity (Unix seconds).
    pub approval_valid_until: Option<i64>,
    /// The service status at the validation time: `granted`, `suspended`, `withdrawn`,
    /// another status's label, or `not-listed` when the history does not cover the time.
    pub status_at_validation_time: String,
    /// Since when that status holds (Unix seconds), if listed.
    pub status_since: Option<i64>,
    /// The service status when the end-entity certificate was issued (its notBefore), in the
    /// same words.
    pub status_at_issuance: String,
    /// The end-entity certificate's notBefore (Unix seconds).
    pub leaf_issued: i64,
    /// The CA that took over the business (Art. 31), if any.
    pub successor: Option<String>,
}

/// The full, explained answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// VALID, INVALID or INDETERMINATE.
    pub status: Status,
    /// The stable code (`OK` when valid).
    pub code: Code,
    /// A one-line explanation.
    pub message: String,
    /// The validation time used (Unix seconds).
    pub validation_time: i64,
    /// The chosen path (the valid one, or the most specific failed attempt), end entity
    /// first, anchor last.
    pub path: Vec<PathEntry>,
    /// The checks applied on that path.
    pub checks: Vec<Check>,
    /// Warnings.
    pub warnings: Vec<Warning>,
    /// The policies the path is valid for (RFC 5280 §6.1.5 (g)).
    pub policies: Option<PolicyOutcome>,
    /// Revocation evidence per certificate.
    pub revocation: Vec<RevocationEntry>,
    /// The earliest time at which this answer may change on its own (a certificate's
    /// notAfter, a CRL's or OCSP response's nextUpdate), Unix seconds.
    pub valid_until: Option<i64>,
    /// Work done.
    pub stats: WorkStats,
    /// The regulatory facts about the path's anchor, for a complete path (valid, or invalid
    /// after reaching an anchor) whose anchor has a scope.
    pub anchor: Option<AnchorOutcome>,
}

impl Report {
    /// A report decided before any path was examined (the trust list expired, none is
    /// loaded, …): the code's status, the message, and no path, checks or anchor.
    pub fn decided(code: Code, message: impl Into<String>, validation_time: i64) -> Report {
        Report {
            status: code.status(),
            code,
            message: message.into(),
            validation_time,
            path: Vec::new(),
            checks: Vec::new(),
            warnings: Vec::new(),
            policies: None,
            revocation: Vec::new(),
            valid_until: None,
            anchor: None,
            stats: WorkStats::default(),
        }
    }

    /// Whether the status is VALID.
    pub fn is_valid(&self) -> bool {
        self.status == Status::Valid
    }
}
