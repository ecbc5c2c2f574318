//! # huren-validator: RFC 5280 path validation with SM2, policies and explained results
//!
//! This crate answers one question — *is this certificate valid, for this use, at this time,
//! under these anchors?* — and says why. It is pure: the validation time, the anchors, the
//! CRLs, the OCSP responses and the signature memo are passed in; it reads no clock, file or
//! network.
//!
//! ## Design
//!
//! * **Parsing** ([`Certificate`], [`Crl`]) is strict DER done once per certificate, slicing
//!   the TBS and decoding only the extensions that checks read. Anchors and intermediates
//!   are parsed when loaded and kept.
//! * **Path building** ([`validate`]) is a depth-first search from the target over an index of
//!   candidate issuers (normalised subject name; authority/subject key identifiers rank the
//!   candidates). It backtracks when a candidate fails (cross-certificates, several anchors
//!   with one name, expired alternatives) and is bounded by a [`Budget`] whose exhaustion is
//!   its own result (`PATH_BUILDING_BUDGET_EXCEEDED`), never a hang.
//! * **RFC 5280 §6.1** is applied to each complete path: validity, basic constraints and path
//!   length, key usage, name constraints of every form, the policy graph ([`policy_tree`]),
//!   unknown critical extensions; then §6.3 revocation from caller-supplied evidence
//!   ([`Evidence`]): for each certificate, a current OCSP response from an authorised
//!   responder ([`ocsp`], RFC 6960), else its CRLs ([`Crl`]).
//! * **Signatures** go through `rustls_pki_types::SignatureVerificationAlgorithm`
//!   ([`algorithms`]): rustls-webpki's aws-lc-rs implementations for RSA, ECDSA and Ed25519,
//!   and our own SM2-with-SM3; DSA through RustCrypto. A [`SignatureMemo`] remembers verified
//!   triples so that a new leaf under a known intermediate costs one verification.
//! * **The result** ([`Report`]) has a status, one stable [`Code`], the chosen path, every check
//!   with the clause it rests on, warnings, and — when every candidate failed — the most
//!   specific reason.
//! * **The regulation** ([`AnchorScope`]): an anchor from a trust list carries its status
//!   history, MIIT licence or approval, and restrictions; after RFC 5280 §6.1, a path through
//!   it is checked against them (`ANCHOR.*` checks, [`Report::anchor`]).
//!
//! Each RFC clause is enforced in one place, which names it in a comment.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod algorithms;
mod anchors;
pub mod cert;
pub mod crl;
pub mod der;
mod error;
pub mod memo;
pub mod names;
pub mod ocsp;
pub mod oid;
mod path;
pub mod pem;
pub mod policy_tree;
pub mod profile;
mod report;
mod scope;
mod signed;
mod time;

pub use anchors::{Anchor, AnchorSet};
pub use cert::{Certificate, KeyUsageBit};
pub use crl::Crl;
pub use error::Error;
pub use memo::SignatureMemo;
pub use names::ServerName;
pub use ocsp::{CertId, HashAlg, OcspCertStatus, OcspResponse, ResponderId, SingleResponse};
pub use oid::Oid;
pub use path::{Evidence, validate, validate_borrowed, validate_with_evidence};
pub use policy_tree::{PolicyInputs, PolicyOutcome};
pub use profile::Profile;
pub use report::{
    AnchorOutcome, Check, CheckResult, Code, PathEntry, Report, RevocationEntry, Source, Status,
    Warning, WorkStats,
};
pub use scope::{
    AlgorithmRule, AnchorKind, AnchorScope, Approval, KeyFamily, LICENCE_EXPIRING_SOON_SECS,
    Licence, Provenance, ServiceState, StatusInterval,
};
pub use time::{Rfc3339, civil_time, fmt_time, parse_rfc3339};

/// What to do about revocation (RFC 5280 §6.3, RFC 6960).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RevocationPolicy {
    /// Every certificate below the anchor must have current revocation data; without it the
    /// answer is INDETERMINATE `REVOCATION_UNAVAILABLE` (`REVOCATION_STALE` when the data
    /// is out of date, `REVOCATION_UNKNOWN` when an OCSP responder does not know the
    /// certificate and no CRL decides).
    Require,
    /// Use revocation data where supplied; where it is missing, out of date or `unknown`,
    /// warn (`REVOCATION_SOFT_FAILED`) and leave the status unchanged.
    Prefer,
    /// Do not check revocation.
    #[default]
    Off,
}

/// Limits on the work of one validation (adversarial inputs must not cost unbounded time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Signature verifications (memo misses). Each costs 10–40 µs (RSA, ECDSA) or about
    /// 190 µs (SM2): 48 bounds the signature work of a hostile input to under 2 ms for the
    /// Web PKI's algorithms and about 9 ms for SM2.
    pub signatures: u32,
    /// Candidate issuers considered over the whole search (bounds the search tree).
    pub candidates: u32,
    /// Name-constraint comparisons over the whole search (bounds the names × subtrees
    /// product; a check that would exceed it is refused before any comparison is made).
    pub name_comparisons: u64,
    /// Policy-graph operations.
    pub policy_work: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            signatures: 48,
            candidates: 1024,
            name_comparisons: 1 << 16,
            policy_work: 1 << 20,
        }
    }
}

/// What the caller asks: the time, the intended use, policies, identity and limits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationOptions {
    /// The validation time, Unix seconds.
    pub time: i64,
    /// Key usages the end-entity certificate must assert (all of them).
    pub key_usage: Vec<KeyUsageBit>,
    /// Extended key usages the end-entity certificate must allow (each of them).
    pub extended_key_usage: Vec<Oid>,
    /// Policy inputs (RFC 5280 §6.1.1 (c), (e)–(g)).
    pub policy: PolicyInputs,
    /// The expected server identity, for TLS server certificates.
    pub server_name: Option<ServerName>,
    /// The most intermediate CA certificates a path may hold, self-issued ones (key
    /// rollover) not counted (`None`: no limit beyond the budget).
    pub max_chain_depth: Option<usize>,
    /// The certificate profile whose conformance rules apply.
    pub profile: Profile,
    /// Revocation policy.
    pub revocation: RevocationPolicy,
    /// Work limits.
    pub budget: Budget,
}

impl ValidationOptions {
    /// Options for validation at `time` with every other setting at its default.
    pub fn at(time: i64) -> Self {
        ValidationOptions {
            time,
            budget: Budget::default(),
            ..Default::default()
        }
    }
}
