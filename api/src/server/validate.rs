//! `POST /v1/validate` and `POST /v1/validate/batch`.
//!
//! One request goes: limits (chain length) → policy → validation time → usage → snapshot
//! (none: INDETERMINATE `TRUST_LIST_UNAVAILABLE`; past `usable_until`: INDETERMINATE
//! `TRUST_LIST_EXPIRED`, both after the inputs are checked) → result-cache lookup on the raw
//! strings (a hit is answered on the async thread: no PEM decoding, no parsing) → decoding
//! and parsing (intermediates from the parsed-intermediate cache) → online revocation, when
//! the policy's revocation is `require` or `prefer`, the revocation source is on and a
//! certificate names an http(s) OCSP responder or CRL: a validation with revocation off, and
//! for the path of a VALID answer the evidence the source finds (the caller's first, then its
//! caches, then the network; [`crate::revocation`]) → validation with the caller's and the
//! fetched evidence, within a small work budget on the request's thread (a new leaf under
//! known intermediates: one signature), and, when that budget runs out, again with the full
//! budget on the blocking pool (signature math beyond a few hundred microseconds would stall
//! the reactor) → the answer, rendered straight from the report and kept in the result cache
//! until its `nextUpdate` (never past the nextUpdate of the revocation evidence it used).

use super::cache::{Entry, KeyBuilder, RETRYABLE_TTL_SECS, TIME_BUCKET_SECS, TTL_CAP_SECS};
use super::policy::{DEFAULT_POLICY, Policy, eku_oid};
use super::problem::{Problem, ProblemKind, json_error_detail};
use super::state::{AppState, Loaded};
use crate::json::{Out, Time};
use crate::render::{self, Sections};
use crate::revocation::{self, EvidenceRequest, FetchedEvidence, OCSP_RESPONSE_LABELS};
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64ct::{Base64, Encoding};
use huren_validator::{
    Budget, Certificate, Code, Crl, Evidence, KeyUsageBit, OcspResponse, Report, RevocationPolicy,
    ServerName, Status, ValidationOptions, Warning, fmt_time, parse_rfc3339, pem,
    validate_with_evidence,
};
use serde::Deserialize;
use serde_json::Value;
use std::net::IpAddr;
use std::sync::Arc;
use utoipa::ToSchema;

/// How far in the future a validation time may be (clock skew between caller and service).
pub const FUTURE_SKEW_SECS: i64 = 300;

/// How close to the snapshot's `usable_until` a `TRUST_LIST_NEAR_EXPIRY` warning is given.
pub const NEAR_EXPIRY_SECS: i64 = 7 * 86_400;

/// The response header that says how the result cache answered: `hit`, `miss`, `bypass`
/// (`fresh: true`) or `none` (the answer is not cacheable).
pub const CACHE_HEADER: &str = "x-huren-cache";

/// One chain to validate.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidateRequest {
    /// The certificate to validate: PEM (further blocks are used as intermediates) or
    /// base64 DER. A private key is refused and never echoed.
    pub certificate: String,
    /// Untrusted intermediate certificates (path-building hints), each PEM (one or more
    /// blocks) or base64 DER.
    #[serde(default)]
    pub intermediates: Vec<String>,
    /// The validation time (RFC 3339); default now. Past times are answered from the
    /// anchors' status history; a time more than 5 minutes ahead is refused (422).
    #[serde(default)]
    pub validation_time: Option<String>,
    /// The validation policy id (`/v1/policies`); default `default`, else the first offered.
    #[serde(default)]
    pub policy: Option<String>,
    /// The intended use of the end-entity certificate, added to the policy's.
    #[serde(default)]
    pub usage: Usage,
    /// Revocation evidence supplied by the caller.
    #[serde(default)]
    pub revocation: RevocationInput,
    /// Bypass the result cache (the fresh answer replaces the cached one).
    #[serde(default)]
    pub fresh: bool,
    /// The sections of the answer wanted: any of `path`, `anchor`, `checks`, `revocation`,
    /// `warnings`, `policies`, `stats` (default: all). `status`, `code`, `message`,
    /// `retryable`, the times, `policy`, `trustSnapshot`, `validUntil` and `etsi` are always
    /// there.
    #[serde(default)]
    pub include: Option<Vec<String>>,
}

/// The intended use.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Usage {
    /// Key usages the end entity must assert (`digitalSignature`, `nonRepudiation`, …).
    #[serde(default)]
    pub key_usage: Vec<String>,
    /// Extended key usages it must allow (`serverAuth`, `clientAuth`, … or an OID).
    #[serde(default)]
    pub eku: Vec<String>,
    /// The expected server DNS name.
    #[serde(default)]
    pub dns_name: Option<String>,
    /// The expected server IP address.
    #[serde(default)]
    pub ip: Option<String>,
}

/// Caller-supplied revocation evidence. It comes first: a certificate it covers is not
/// fetched for (the service fetches the rest when the policy's revocation is `require` or
/// `prefer` and online revocation is on).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevocationInput {
    /// CRLs, each PEM (one or more blocks) or base64 DER.
    #[serde(default)]
    pub crls: Vec<String>,
    /// OCSP responses (RFC 6960 `OCSPResponse`), each PEM (`OCSP RESPONSE` blocks) or base64
    /// DER.
    #[serde(default)]
    pub ocsp_responses: Vec<String>,
}

/// A batch of chains.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    /// The chains, answered in this order (at most `limits.batch_size`).
    #[schema(value_type = Vec<ValidateRequest>)]
    pub items: Vec<Value>,
}

/// `{policy}`: which policy decided.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PolicyRef {
    /// The id.
    id: String,
    /// Its version.
    version: String,
}

/// One list of the snapshot an answer rests on.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SnapshotList {
    /// SchemeTerritory.
    territory: String,
    /// TSLSequenceNumber.
    sequence: u64,
    /// ListIssueDateTime.
    issued: String,
    /// NextUpdate.
    #[schema(rename = "nextUpdate")]
    next_update: Option<String>,
    /// SHA-256 of the verified list.
    sha256: String,
    /// SHA-256 of its signer certificate.
    #[schema(rename = "signerSha256")]
    signer_sha256: String,
    /// Anchors taken from it.
    anchors: usize,
}

/// The trust snapshot an answer rests on.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TrustSnapshotRef {
    /// `sha256:…` over the verified lists.
    id: String,
    /// Each list.
    lists: Vec<SnapshotList>,
}

/// The ETSI TS 119 102-1 indication that corresponds to the status and code.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Etsi {
    /// `TOTAL-PASSED`, `TOTAL-FAILED` or `INDETERMINATE`.
    indication: String,
    /// The sub-indication, if any.
    #[schema(rename = "subIndication")]
    sub_indication: Option<String>,
}

/// A validation result (always HTTP 200; `status` and `code` say what was found).
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct ValidationResult {
    /// `VALID`, `INVALID` or `INDETERMINATE`.
    status: String,
    /// The stable code (`OK`, `CERT_EXPIRED`, `ANCHOR_NOT_TRUSTED_AT_TIME`, …).
    code: String,
    /// A one-line explanation.
    message: String,
    /// Whether asking again later can give another answer (INDETERMINATE only).
    retryable: bool,
    /// The validation time used.
    validation_time: String,
    /// When this answer was produced (a cached answer keeps its time).
    produced_at: String,
    /// Until when the answer may be relied on and cached.
    next_update: String,
    /// The policy.
    policy: PolicyRef,
    /// The trust snapshot (`null` when none is loaded).
    trust_snapshot: Option<TrustSnapshotRef>,
    /// The chosen path, end entity first.
    #[schema(value_type = Vec<Object>)]
    path: Vec<Value>,
    /// The anchor's trust-list facts (provenance, kind, licence or approval, status).
    #[schema(value_type = Option<Object>)]
    anchor: Option<Value>,
    /// Every check applied to the path.
    #[schema(value_type = Vec<Object>)]
    checks: Vec<Value>,
    /// Warnings (the status is unchanged).
    #[schema(value_type = Vec<Object>)]
    warnings: Vec<Value>,
    /// Revocation evidence per certificate.
    #[schema(value_type = Vec<Object>)]
    revocation: Vec<Value>,
    /// The policies the path is valid for.
    #[schema(value_type = Option<Object>)]
    policies: Option<Value>,
    /// The earliest time the engine's answer may change on its own.
    valid_until: Option<String>,
    /// Work done.
    #[schema(value_type = Object)]
    stats: Value,
    /// The ETSI indication.
    etsi: Etsi,
}

/// One item of a batch answer: a result or an item-level problem.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct BatchItem {
    /// The item's position in the request.
    index: usize,
    /// The result, when the item could be answered.
    result: Option<ValidationResult>,
    /// The problem, when it could not.
    problem: Option<Problem>,
}

/// A batch answer, in input order.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct BatchResult {
    /// The items.
    items: Vec<BatchItem>,
}

/// How the cache took part in an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheUse {
    /// Served from the cache.
    Hit,
    /// Computed and kept.
    Miss,
    /// Computed on request (`fresh`) and kept.
    Bypass,
    /// Not cacheable (no snapshot, expired snapshot, malformed leaf, cache disabled).
    None,
}

impl CacheUse {
    fn as_str(self) -> &'static str {
        match self {
            CacheUse::Hit => "hit",
            CacheUse::Miss => "miss",
            CacheUse::Bypass => "bypass",
            CacheUse::None => "none",
        }
    }
}

/// A rendered answer.
#[derive(Debug)]
pub struct Answered {
    /// The JSON body.
    pub body: Bytes,
    /// How the cache took part.
    pub cache: CacheUse,
}

/// Whether asking again can change an INDETERMINATE answer.
pub fn retryable(code: Code) -> bool {
    matches!(
        code,
        Code::RevocationUnavailable
            | Code::RevocationStale
            | Code::TrustListUnavailable
            | Code::TrustListExpired
    )
}

/// The ETSI TS 119 102-1 (X.509 certificate validation building block) indication and
/// sub-indication closest to a status and code.
pub fn etsi(status: Status, code: Code) -> (&'static str, Option<&'static str>) {
    match status {
        Status::Valid => return ("TOTAL-PASSED", None),
        Status::Invalid | Status::Indeterminate => {}
    }
    let sub = match code {
        Code::CertRevoked => return ("TOTAL-FAILED", Some("REVOKED")),
        Code::CertNotYetValid => return ("TOTAL-FAILED", Some("NOT_YET_VALID")),
        Code::MalformedCertificate => return ("TOTAL-FAILED", Some("FORMAT_FAILURE")),
        Code::CaRevoked => "REVOKED_CA_NO_POE",
        Code::CertExpired => "OUT_OF_BOUNDS_NO_POE",
        Code::AlgorithmNotAllowed => "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
        Code::AnchorNotTrustedAtTime | Code::NoPathToTrustAnchor => "NO_CERTIFICATE_CHAIN_FOUND",
        Code::BasicConstraintsViolation
        | Code::PathLengthExceeded
        | Code::NameConstraintsViolation
        | Code::PolicyNotSatisfied
        | Code::KeyUsageNotAllowed
        | Code::EkuNotAllowed
        | Code::ServerNameMismatch
        | Code::UnhandledCriticalExtension
        | Code::OutsideApprovedScope
        | Code::ProfileViolation => "CHAIN_CONSTRAINTS_FAILURE",
        Code::RevocationUnavailable
        | Code::RevocationStale
        | Code::TrustListUnavailable
        | Code::TrustListExpired => "TRY_LATER",
        _ => "CERTIFICATE_CHAIN_GENERAL_FAILURE",
    };
    ("INDETERMINATE", Some(sub))
}

fn private_key_problem(field: &str) -> Problem {
    Problem::invalid(format!(
        "{field}: holds a private key, which is refused (it is not echoed, logged or kept); send certificates only, and treat the key as exposed"
    ))
}

/// Whether DER bytes look like a private key rather than a certificate or CRL: an outer
/// SEQUENCE whose first element is an INTEGER (the version of PKCS#1, PKCS#8 and SEC 1
/// keys), where certificates and CRLs start with a SEQUENCE (the TBS).
fn looks_like_private_key(der: &[u8]) -> bool {
    if der.first() != Some(&0x30) {
        return false;
    }
    let header = match der.get(1) {
        Some(&l) if l < 0x80 => 2,
        Some(&l) => 2 + usize::from(l & 0x7f),
        None => return false,
    };
    der.get(header) == Some(&0x02)
}

/// Decodes a field holding PEM (blocks with `labels`) or base64 DER into DER objects.
fn decode_field(
    field: &str,
    text: &str,
    labels: &[&str],
    what: &str,
) -> Result<Vec<Vec<u8>>, Problem> {
    if memchr::memmem::find(text.as_bytes(), b"PRIVATE KEY").is_some() {
        return Err(private_key_problem(field));
    }
    let trimmed = text.trim_start();
    let ders = if trimmed.starts_with("-----BEGIN") {
        pem::decode_all(trimmed.as_bytes(), labels).map_err(|e| match e {
            huren_validator::Error::PrivateKey => private_key_problem(field),
            e => Problem::invalid(format!("{field}: {e}")),
        })?
    } else {
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let der = Base64::decode_vec(&compact).map_err(|_| {
            Problem::invalid(format!(
                "{field}: neither PEM nor base64 DER (expected a {what})"
            ))
        })?;
        vec![der]
    };
    if ders.is_empty() {
        return Err(Problem::invalid(format!(
            "{field}: no {what} in it (PEM blocks with other labels are ignored)"
        )));
    }
    if ders.iter().any(|d| looks_like_private_key(d)) {
        return Err(private_key_problem(field));
    }
    Ok(ders)
}

/// What a request asks, checked.
struct Asked {
    include: Sections,
    policy: Arc<Policy>,
    time: i64,
    time_given: bool,
    key_usage: Vec<KeyUsageBit>,
    ekus: Vec<huren_validator::Oid>,
    server_name: Option<ServerName>,
}

fn check_request(state: &AppState, req: &ValidateRequest, now: i64) -> Result<Asked, Problem> {
    let limit = state.config.limits.chain_length;
    if 1 + req.intermediates.len() > limit {
        return Err(Problem::too_large(format!(
            "the chain has {} certificates (certificate + intermediates); at most {limit} are accepted",
            1 + req.intermediates.len()
        )));
    }
    let policy = match req.policy.as_deref() {
        Some(id) => state.policies.get(id).cloned().ok_or_else(|| {
            Problem::new(
                ProblemKind::UnknownPolicy,
                format!(
                    "no policy {id:?}; offered: {}",
                    state
                        .policies
                        .iter()
                        .map(|p| p.config.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?,
        None => state
            .policies
            .get(DEFAULT_POLICY)
            .or_else(|| state.policies.iter().next())
            .cloned()
            .ok_or_else(|| Problem::internal(&"no policy is configured"))?,
    };
    let (time, time_given) = match req.validation_time.as_deref() {
        Some(t) => {
            let v = parse_rfc3339(t).ok_or_else(|| {
                Problem::invalid(format!(
                    "validationTime {:?} is not an RFC 3339 time",
                    t.chars().take(40).collect::<String>()
                ))
            })?;
            if v > now + FUTURE_SKEW_SECS {
                return Err(Problem::new(
                    ProblemKind::ValidationTimeUnsupported,
                    format!(
                        "validationTime {} is in the future (now {}): the trust list for that time is not known yet",
                        fmt_time(v),
                        fmt_time(now)
                    ),
                ));
            }
            (v, true)
        }
        None => (now, false),
    };
    let mut key_usage = policy.key_usages.clone();
    for k in &req.usage.key_usage {
        let bit = KeyUsageBit::from_name(k).ok_or_else(|| {
            Problem::invalid(format!(
                "usage.keyUsage {:?} is not a key usage name (one of {})",
                k.chars().take(40).collect::<String>(),
                KeyUsageBit::ALL
                    .iter()
                    .map(|b| b.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        if !key_usage.contains(&bit) {
            key_usage.push(bit);
        }
    }
    let mut ekus = policy.ekus.clone();
    for e in &req.usage.eku {
        let oid = eku_oid(e).ok_or_else(|| {
            Problem::invalid(format!(
                "usage.eku {:?} is not an OID or a known purpose",
                e.chars().take(40).collect::<String>()
            ))
        })?;
        if !ekus.contains(&oid) {
            ekus.push(oid);
        }
    }
    let server_name = match (&req.usage.dns_name, &req.usage.ip) {
        (Some(_), Some(_)) => {
            return Err(Problem::invalid("usage: give dnsName or ip, not both"));
        }
        (Some(d), None) => {
            if !huren_validator::names::valid_dns(d, false) {
                return Err(Problem::invalid("usage.dnsName is not a DNS name"));
            }
            Some(ServerName::Dns(d.clone()))
        }
        (None, Some(ip)) => {
            Some(ServerName::Ip(ip.parse::<IpAddr>().map_err(|_| {
                Problem::invalid("usage.ip is not an IP address")
            })?))
        }
        (None, None) => None,
    };
    let include = match &req.include {
        None => Sections::ALL,
        Some(names) => {
            Sections::parse(names).map_err(|e| Problem::invalid(format!("include: {e}")))?
        }
    };
    Ok(Asked {
        include,
        policy,
        time,
        time_given,
        key_usage,
        ekus,
        server_name,
    })
}

/// The decoded, parsed inputs.
struct Inputs {
    /// The leaf, or why it is not a certificate (an outcome, not a request problem).
    leaf: Result<Certificate, huren_validator::Error>,
    /// The intermediates: further blocks of `certificate`, then each `intermediates` text
    /// (shared with the parsed-intermediate cache).
    intermediates: Vec<Arc<Certificate>>,
    crls: Vec<Crl>,
    ocsp: Vec<OcspResponse>,
}

/// Decodes and parses one `intermediates` text, from the cache when it was seen before.
fn intermediate(
    state: &AppState,
    field: &str,
    text: &str,
) -> Result<Arc<[Arc<Certificate>]>, Problem> {
    if let Some(certs) = state.intermediates.get(text) {
        return Ok(certs);
    }
    let certs = decode_field(field, text, pem::CERTIFICATE_LABELS, "certificate")?
        .iter()
        .map(|d| {
            Certificate::from_der(d)
                .map(Arc::new)
                .map_err(|e| Problem::invalid(format!("{field}: {e}")))
        })
        .collect::<Result<Arc<[_]>, _>>()?;
    state.intermediates.insert(text, certs.clone());
    Ok(certs)
}

fn decode_inputs(state: &AppState, req: &ValidateRequest) -> Result<Inputs, Problem> {
    let limit = state.config.limits.chain_length;
    let too_long = || {
        Problem::too_large(format!(
            "the chain has more than {limit} certificates; at most {limit} are accepted"
        ))
    };
    let mut leaf_ders = decode_field(
        "certificate",
        &req.certificate,
        pem::CERTIFICATE_LABELS,
        "certificate",
    )?
    .into_iter();
    let leaf_der = leaf_ders.next().unwrap_or_default();
    let mut intermediates = Vec::with_capacity(req.intermediates.len());
    for (i, d) in leaf_ders.enumerate() {
        let c = Certificate::from_der(&d)
            .map_err(|e| Problem::invalid(format!("certificate (block {}): {e}", i + 2)))?;
        intermediates.push(Arc::new(c));
        if 1 + intermediates.len() > limit {
            return Err(too_long());
        }
    }
    for (i, s) in req.intermediates.iter().enumerate() {
        let certs = intermediate(state, &format!("intermediates[{i}]"), s)?;
        intermediates.extend(certs.iter().cloned());
        if 1 + intermediates.len() > limit {
            return Err(too_long());
        }
    }
    let mut crls = Vec::new();
    for (i, s) in req.revocation.crls.iter().enumerate() {
        let field = format!("revocation.crls[{i}]");
        for d in decode_field(&field, s, pem::CRL_LABELS, "CRL")? {
            crls.push(Crl::from_der(&d).map_err(|e| Problem::invalid(format!("{field}: {e}")))?);
        }
    }
    let mut ocsp = Vec::new();
    for (i, s) in req.revocation.ocsp_responses.iter().enumerate() {
        let field = format!("revocation.ocspResponses[{i}]");
        for d in decode_field(&field, s, OCSP_RESPONSE_LABELS, "OCSP response")? {
            ocsp.push(
                OcspResponse::from_der(&d)
                    .map_err(|e| Problem::invalid(format!("{field}: {e}")))?,
            );
        }
    }
    Ok(Inputs {
        leaf: Certificate::from_der(&leaf_der),
        intermediates,
        crls,
        ocsp,
    })
}

fn cache_key(req: &ValidateRequest, asked: &Asked, loaded: &Loaded) -> super::cache::Key {
    let bucket = if asked.time_given {
        asked.time
    } else {
        asked.time - asked.time.rem_euclid(TIME_BUCKET_SECS)
    };
    let mut k = KeyBuilder::new();
    k.field(req.certificate.as_bytes())
        .list(req.intermediates.iter().map(|s| s.as_bytes()))
        .list(req.revocation.crls.iter().map(|s| s.as_bytes()))
        .list(req.revocation.ocsp_responses.iter().map(|s| s.as_bytes()))
        .field(asked.policy.config.id.as_bytes())
        .field(asked.policy.config.version.as_bytes())
        .field(loaded.snapshot.id().as_bytes())
        .field(&[u8::from(asked.time_given)])
        .field(&bucket.to_be_bytes())
        .list(req.usage.key_usage.iter().map(|s| s.as_bytes()))
        .list(req.usage.eku.iter().map(|s| s.as_bytes()))
        .field(req.usage.dns_name.as_deref().unwrap_or("").as_bytes())
        .field(req.usage.ip.as_deref().unwrap_or("").as_bytes())
        .field(&[asked.include.bits()]);
    k.finish()
}

/// The `nextUpdate` of an answer made at `now`: the earliest of the report's `validUntil`
/// (ignored for an explicit validation time once it is past: that answer is about a fixed
/// instant), the earliest nextUpdate of the revocation evidence it used, the snapshot's
/// `usable_until`, and now plus the TTL cap (60 s for retryable answers; for an answer whose
/// online revocation evidence is incomplete — a fetch failed — the negative-cache time, at
/// most 60 s, so that it is asked again once the failure is no longer remembered).
fn next_update(
    report: &Report,
    loaded: Option<&Loaded>,
    now: i64,
    time_given: bool,
    incomplete: Option<u64>,
) -> i64 {
    let mut cap = if retryable(report.code) {
        RETRYABLE_TTL_SECS
    } else {
        TTL_CAP_SECS
    };
    if let Some(neg) = incomplete {
        cap = cap.min(i64::try_from(neg).unwrap_or(0).clamp(1, RETRYABLE_TTL_SECS));
    }
    let mut t = now + cap;
    if let Some(n) = revocation::earliest_next_update(report, now) {
        t = t.min(n);
    }
    if let Some(v) = report.valid_until
        && !(time_given && v <= now)
    {
        t = t.min(v);
    }
    if let Some(u) = loaded.and_then(|l| l.usable_until) {
        t = t.min(u);
    }
    t
}

/// Renders an answer: the report's fields with the service's around them, in the order of
/// api.md.
fn render_answer(
    report: &Report,
    asked: &Asked,
    loaded: Option<&Loaded>,
    now: i64,
    next: i64,
) -> Bytes {
    let policy = &asked.policy;
    let r = report;
    let (indication, sub) = etsi(r.status, r.code);
    let fields = render::ReportFields(r);
    let mut out = Out::with_capacity(8192);
    out.object(|m| {
        fields.head(m);
        m.field("retryable", retryable(r.code))
            .field("producedAt", Time(now))
            .field("nextUpdate", Time(next))
            .with("policy", |o| {
                o.object(|p| {
                    p.field("id", policy.config.id.as_str())
                        .field("version", policy.config.version.as_str());
                })
            })
            .with("trustSnapshot", |o| match loaded {
                Some(l) => o.raw(l.snapshot_json().get()),
                None => o.raw("null"),
            });
        fields.body(m, asked.include);
        m.with("etsi", |o| {
            o.object(|e| {
                e.field("indication", indication)
                    .field("subIndication", sub);
            })
        });
    });
    Bytes::from(out.into_bytes())
}

/// The work budget of a validation run on the request's own thread, beside
/// `limits.inline_signatures` (default 2: a new leaf under known intermediates needs one
/// signature, the rest comes from the memo). A chain that needs more is validated again on
/// the blocking pool with the full budget (the signatures verified so far stay in the memo):
/// handing every request to another thread would cost more than the work itself.
fn inline_budget(signatures: u32) -> Budget {
    Budget {
        signatures,
        candidates: 16,
        name_comparisons: 4096,
        policy_work: 1 << 14,
    }
}

/// Revocation evidence supplied by the caller, then fetched.
struct EvidenceSet {
    crls: Vec<Crl>,
    ocsp: Vec<OcspResponse>,
}

/// Validates `chain` (end entity first) under `loaded`'s anchors with `evidence`: on the
/// request's thread within the inline budget and, when that runs out, again with the full
/// budget on the blocking pool.
async fn validate_budgeted(
    state: &AppState,
    chain: &Arc<[Arc<Certificate>]>,
    loaded: &Arc<Loaded>,
    evidence: Arc<EvidenceSet>,
    mut opts: ValidationOptions,
) -> Result<Report, Problem> {
    let run = {
        let chain = chain.clone();
        let loaded = loaded.clone();
        move |s: &AppState, opts: &ValidationOptions| {
            let refs: Vec<&Certificate> = chain[1..].iter().map(|c| &**c).collect();
            validate_with_evidence(
                &chain[0],
                &refs,
                loaded.snapshot.anchors(),
                &Evidence {
                    crls: &evidence.crls,
                    ocsp: &evidence.ocsp,
                },
                opts,
                &s.memo,
            )
        }
    };
    let full_budget = opts.budget;
    opts.budget = inline_budget(state.config.limits.inline_signatures);
    let report = run(state, &opts);
    if !report.stats.budget_exhausted {
        return Ok(report);
    }
    opts.budget = full_budget;
    let s = state.clone();
    tokio::task::spawn_blocking(move || run(&s, &opts))
        .await
        .map_err(|e| Problem::internal(&e))
}

/// The revocation evidence the online source finds for the chain, when the policy asks for
/// revocation, the source is on and a certificate names an http(s) OCSP responder or CRL:
/// the chain is validated with revocation off first, and only the path of a VALID answer is
/// asked about (see [`crate::revocation`]).
async fn online_evidence(
    state: &AppState,
    chain: &Arc<[Arc<Certificate>]>,
    loaded: &Arc<Loaded>,
    supplied: &EvidenceSet,
    opts: &ValidationOptions,
) -> Result<(FetchedEvidence, Vec<Arc<Certificate>>), Problem> {
    let nothing = || (FetchedEvidence::default(), Vec::new());
    if opts.revocation == RevocationPolicy::Off
        || !state.revocation.enabled()
        || !(revocation::has_endpoints(chain) || loaded.has_successor_endpoints)
    {
        return Ok(nothing());
    }
    let mut off = opts.clone();
    off.revocation = RevocationPolicy::Off;
    let none = Arc::new(EvidenceSet {
        crls: Vec::new(),
        ocsp: Vec::new(),
    });
    let pre = validate_budgeted(state, chain, loaded, none, off).await?;
    if !pre.is_valid() {
        return Ok(nothing());
    }
    let Some(path) = revocation::path_of(&pre, chain, loaded.snapshot.anchors()) else {
        return Ok(nothing());
    };
    let successor = revocation::successor_endpoints(&path, loaded.snapshot.anchors());
    let fetched = state
        .revocation
        .evidence_for(EvidenceRequest {
            path: &path,
            policy: opts.revocation,
            time: opts.time,
            supplied_crls: &supplied.crls,
            supplied_ocsp: &supplied.ocsp,
            successor_endpoints: &successor,
            deadline: revocation_deadline(&state.config),
        })
        .await;
    Ok((fetched, path))
}

/// The answer from revocation evidence the source already holds, when that decides it: one
/// validation and no fetch for a chain whose certificates' status is cached. `None` when
/// the source holds nothing for the chain, or when the answer is not VALID with every
/// status decided (then [`online_evidence`] finds the path with revocation off and asks
/// about it, exactly as if nothing were held; a held answer never ends a search the
/// network could still decide).
async fn held_answer(
    state: &AppState,
    chain: &Arc<[Arc<Certificate>]>,
    loaded: &Arc<Loaded>,
    supplied: &EvidenceSet,
    opts: &ValidationOptions,
) -> Result<Option<Report>, Problem> {
    if opts.revocation == RevocationPolicy::Off
        || !state.revocation.enabled()
        || loaded.has_successor_endpoints
        || !revocation::has_endpoints(chain)
    {
        return Ok(None);
    }
    let held = state
        .revocation
        .held_for(chain, loaded.snapshot.anchors())
        .await;
    if held.crls.is_empty() && held.ocsp.is_empty() {
        return Ok(None);
    }
    let evidence = EvidenceSet {
        crls: supplied.crls.iter().chain(&held.crls).cloned().collect(),
        ocsp: supplied.ocsp.iter().chain(&held.ocsp).cloned().collect(),
    };
    let report = validate_budgeted(state, chain, loaded, Arc::new(evidence), opts.clone()).await?;
    let decided = report.is_valid()
        && !report
            .warnings
            .iter()
            .any(|w| w.code == Code::RevocationSoftFailed);
    if !decided {
        return Ok(None);
    }
    state.revocation.held_used(&held);
    Ok(Some(report))
}

/// Validates `chain` with the caller's evidence and what the online source finds for the
/// path (see [`online_evidence`]); the report, annotated with the fetches that failed, and,
/// when the evidence is incomplete, how long an answer resting on it may be kept.
async fn validate_fetching(
    state: &AppState,
    chain: &Arc<[Arc<Certificate>]>,
    loaded: &Arc<Loaded>,
    mut evidence: EvidenceSet,
    opts: ValidationOptions,
) -> Result<(Report, Option<u64>), Problem> {
    let (fetched, path) = online_evidence(state, chain, loaded, &evidence, &opts).await?;
    let used = !fetched.crls.is_empty() || !fetched.ocsp.is_empty();
    let incomplete = fetched
        .incomplete()
        .then_some(state.config.revocation.negative_cache_secs);
    let failures = FetchedEvidence {
        failures: fetched.failures,
        budget_exhausted: fetched.budget_exhausted,
        ..FetchedEvidence::default()
    };
    evidence.crls.extend(fetched.crls);
    evidence.ocsp.extend(fetched.ocsp);
    let mut report = validate_budgeted(state, chain, loaded, Arc::new(evidence), opts).await?;
    if used {
        // Evidence the validator did not accept is not served again from the cache.
        state.revocation.refused(&path, &report).await;
    }
    revocation::annotate(&mut report, &failures);
    Ok((report, incomplete))
}

/// How long the revocation fetches of one validation may take: `revocation.deadline_ms`,
/// and never more than four fifths of `limits.request_timeout_ms` (the answer, with the
/// fetches still missing named, must come before the request's own timeout).
fn revocation_deadline(config: &crate::config::Config) -> std::time::Duration {
    let cap = config.limits.request_timeout_ms.saturating_mul(4) / 5;
    std::time::Duration::from_millis(config.revocation.deadline_ms.min(cap).max(1))
}

/// Answers one request (shared by the single and the batch endpoint).
pub async fn answer(state: &AppState, req: ValidateRequest) -> Result<Answered, Problem> {
    let now = state.clock.now();
    let mut asked = check_request(state, &req, now)?;
    let loaded = state.trust.load_full();
    let usable = loaded.as_ref().filter(|l| l.usable_at(now));
    let Some(loaded) = usable.cloned() else {
        // Fail closed, after the inputs were checked (a bad request is still a 400).
        decode_inputs(state, &req)?;
        let report = match loaded.as_deref() {
            None => Report::decided(
                Code::TrustListUnavailable,
                "no verified trust list is loaded yet; nothing can be trusted",
                asked.time,
            ),
            Some(l) => Report::decided(
                Code::TrustListExpired,
                format!(
                    "the trust snapshot {} was usable until {}; at {} it may be out of date",
                    l.snapshot.id(),
                    l.usable_until.map(fmt_time).unwrap_or_default(),
                    fmt_time(now)
                ),
                asked.time,
            ),
        };
        let next = now + RETRYABLE_TTL_SECS;
        state
            .metrics
            .outcome(report.status.as_str(), report.code.as_str())
            .inc();
        return Ok(Answered {
            body: render_answer(&report, &asked, loaded.as_deref(), now, next),
            cache: CacheUse::None,
        });
    };
    let caching = state.config.cache.results > 0;
    let key = caching.then(|| cache_key(&req, &asked, &loaded));
    if let Some(k) = &key {
        if req.fresh {
            state.results.note_bypass();
        } else if let Some(e) = state.results.get(k, now) {
            e.outcome.inc();
            return Ok(Answered {
                body: e.body.clone(),
                cache: CacheUse::Hit,
            });
        }
    }
    let inputs = decode_inputs(state, &req)?;
    let leaf = match inputs.leaf {
        Ok(l) => Arc::new(l),
        Err(e) => {
            let report = Report::decided(
                Code::MalformedCertificate,
                format!("the certificate is not well-formed X.509: {e}"),
                asked.time,
            );
            state
                .metrics
                .outcome(report.status.as_str(), report.code.as_str())
                .inc();
            let next = next_update(&report, Some(&loaded), now, asked.time_given, None);
            return Ok(Answered {
                body: render_answer(&report, &asked, Some(&loaded), now, next),
                cache: CacheUse::None,
            });
        }
    };
    let mut opts = ValidationOptions::at(asked.time);
    opts.profile = asked.policy.profile;
    opts.revocation = asked.policy.revocation;
    opts.policy = asked.policy.inputs.clone();
    opts.key_usage = std::mem::take(&mut asked.key_usage);
    opts.extended_key_usage = std::mem::take(&mut asked.ekus);
    opts.server_name = asked.server_name.take();
    let mut chain = Vec::with_capacity(1 + inputs.intermediates.len());
    chain.push(leaf);
    chain.extend(inputs.intermediates);
    let chain: Arc<[Arc<Certificate>]> = chain.into();
    let evidence = EvidenceSet {
        crls: inputs.crls,
        ocsp: inputs.ocsp,
    };
    let held = held_answer(state, &chain, &loaded, &evidence, &opts).await?;
    let (mut report, incomplete) = match held {
        Some(report) => (report, None),
        None => validate_fetching(state, &chain, &loaded, evidence, opts).await?,
    };
    if let Some(u) = loaded.usable_until
        && u - now < NEAR_EXPIRY_SECS
    {
        report.warnings.push(Warning {
            code: Code::TrustListNearExpiry,
            cert_index: None,
            message: format!(
                "the trust snapshot is usable until {}; a newer list is due",
                fmt_time(u)
            ),
        });
    }
    let next = next_update(&report, Some(&loaded), now, asked.time_given, incomplete);
    let body = render_answer(&report, &asked, Some(&loaded), now, next);
    let outcome = state
        .metrics
        .outcome(report.status.as_str(), report.code.as_str());
    outcome.inc();
    let cache = match key {
        Some(k) => {
            state
                .results
                .insert(k, Entry::new(body.clone(), outcome, now, next), now);
            if req.fresh {
                CacheUse::Bypass
            } else {
                CacheUse::Miss
            }
        }
        None => CacheUse::None,
    };
    Ok(Answered { body, cache })
}

/// Reads a JSON body, mapping every failure to a problem that echoes no input.
fn parse_body<T: serde::de::DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
) -> Result<T, Problem> {
    let body = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::too_large("the body is over the configured limit")
        } else {
            Problem::invalid("the body could not be read")
        }
    })?;
    serde_json::from_slice(&body).map_err(|e| {
        if body.windows(11).any(|w| w == b"PRIVATE KEY") {
            private_key_problem("the body")
        } else {
            Problem::invalid(json_error_detail(&e))
        }
    })
}

fn json_response(body: Bytes, cache: CacheUse) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(CACHE_HEADER, HeaderValue::from_static(cache.as_str()));
    r
}

/// Validates one chain.
#[utoipa::path(
    post,
    path = "/v1/validate",
    tag = "validation",
    request_body = ValidateRequest,
    responses(
        (status = 200, description = "The outcome (VALID, INVALID or INDETERMINATE with a code)", body = ValidationResult),
        (status = 400, description = "INVALID_REQUEST", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "UNKNOWN_POLICY", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "PAYLOAD_TOO_LARGE (body or chain length)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "VALIDATION_TIME_UNSUPPORTED", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "REQUEST_TIMEOUT", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn validate_one(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let req: ValidateRequest = parse_body(body)?;
    let a = answer(&state, req).await?;
    Ok(json_response(a.body, a.cache))
}

/// Validates several chains, answering in input order; each item is a result or an
/// item-level problem.
#[utoipa::path(
    post,
    path = "/v1/validate/batch",
    tag = "validation",
    request_body = BatchRequest,
    responses(
        (status = 200, description = "One entry per item, in input order", body = BatchResult),
        (status = 400, description = "INVALID_REQUEST (the batch itself)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "PAYLOAD_TOO_LARGE (body or item count)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn validate_batch(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let batch: BatchRequest = parse_body(body)?;
    let limit = state.config.limits.batch_size;
    if batch.items.len() > limit {
        return Err(Problem::too_large(format!(
            "the batch has {} items; at most {limit} are accepted",
            batch.items.len()
        )));
    }
    // Items are answered concurrently (each its own task, so that the runtime's workers
    // share them; dropping the set, as a timeout does, aborts them) and written in input
    // order.
    let n = batch.items.len();
    let mut set = tokio::task::JoinSet::new();
    for (i, item) in batch.items.into_iter().enumerate() {
        let item = serde_json::from_value::<ValidateRequest>(item).map_err(|e| {
            if e.to_string().contains("PRIVATE KEY") {
                private_key_problem(&format!("items[{i}]"))
            } else {
                Problem::invalid(format!("items[{i}]: {}", json_error_detail(&e)))
            }
        });
        let s = state.clone();
        set.spawn(async move {
            let r = match item {
                Ok(req) => answer(&s, req).await,
                Err(p) => Err(p),
            };
            (i, r)
        });
    }
    let mut results: Vec<Option<Result<Answered, Problem>>> = (0..n).map(|_| None).collect();
    while let Some(done) = set.join_next().await {
        let (i, r) = done.map_err(|e| Problem::internal(&e))?;
        if let Some(slot) = results.get_mut(i) {
            *slot = Some(r);
        }
    }
    let mut out = Vec::with_capacity(64 + n * 6144);
    out.extend_from_slice(b"{\"items\":[");
    for (i, res) in results.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(format!("{{\"index\":{i},").as_bytes());
        match res.unwrap_or_else(|| Err(Problem::internal(&"a batch item was not answered"))) {
            Ok(a) => {
                out.extend_from_slice(b"\"result\":");
                out.extend_from_slice(&a.body);
            }
            Err(p) => {
                out.extend_from_slice(b"\"problem\":");
                out.extend_from_slice(&serde_json::to_vec(&p).unwrap_or_default());
            }
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
    Ok(json_response(Bytes::from(out), CacheUse::None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_key_shapes() {
        // PKCS#8: SEQUENCE { INTEGER 0, … }
        assert!(looks_like_private_key(&[
            0x30, 0x82, 0x04, 0xbd, 0x02, 0x01, 0x00
        ]));
        // A certificate: SEQUENCE { SEQUENCE (tbs) … }
        assert!(!looks_like_private_key(&[
            0x30, 0x82, 0x01, 0x00, 0x30, 0x81
        ]));
        assert!(!looks_like_private_key(&[0x30]));
        assert!(!looks_like_private_key(&[]));
    }

    #[test]
    fn etsi_mapping() {
        assert_eq!(etsi(Status::Valid, Code::Ok), ("TOTAL-PASSED", None));
        assert_eq!(
            etsi(Status::Invalid, Code::AnchorNotTrustedAtTime),
            ("INDETERMINATE", Some("NO_CERTIFICATE_CHAIN_FOUND"))
        );
        assert_eq!(
            etsi(Status::Invalid, Code::CertRevoked),
            ("TOTAL-FAILED", Some("REVOKED"))
        );
        assert!(retryable(Code::TrustListExpired));
        assert!(!retryable(Code::NoPathToTrustAnchor));
    }
}
