//! Online revocation: the CRLs and OCSP responses a chain's certificates name, fetched,
//! cached and handed to the validator, which decides (signatures, responder authorisation,
//! freshness, CertID). This module only finds, fetches and keeps evidence.
//!
//! For one validation:
//!
//! 1. The chain is first validated with revocation off. Only when that answer is VALID are
//!    the certificates of its path asked about: their URLs were then put there by a CA that
//!    chains, by verified signatures, to a trusted anchor — a caller cannot make the service
//!    contact an address of its choosing — and an answer that is INVALID or INDETERMINATE
//!    without revocation cannot become VALID with it, so nothing is fetched for it.
//! 2. For each certificate below the anchor (its issuer is the next one on the path),
//!    evidence the caller supplied comes first: a certificate that a current caller CRL of
//!    its issuer or a current caller OCSP response for its CertID covers is not fetched for.
//! 3. Then the caches: OCSP responses by CertID (SHA-1, RFC 5019), CRLs by URL, each kept
//!    until its nextUpdate and never longer than `revocation.max_cache_secs`; a failed fetch
//!    is remembered for `revocation.negative_cache_secs` (by CertID, and for a responder
//!    that did not answer, by URL too), so a dead responder is not hammered.
//! 4. Then the network, OCSP before CRLs (the AIA id-ad-ocsp URIs, RFC 6960 Appendix A:
//!    GET when the URL fits in 255 bytes and no nonce is sent, RFC 5019 §5, else POST;
//!    then the cRLDistributionPoints URIs; http and https only, redirects only
//!    to http(s) and never from https to http), at most `revocation.max_fetches` fetches for
//!    the whole validation, each within `revocation.timeout_ms` and `revocation.max_bytes`.
//!    Concurrent demand for one key makes one fetch (moka's coalesced insert). An OCSP
//!    response that answers `unknown` does not stop the search: the CRLs may still decide.
//!    With `revocation.nonce`, each OCSP request carries 32 bytes from the OS RNG and a
//!    response that does not echo them is a failure.
//! 5. Before all this, the caches alone are asked about every certificate of the chain as
//!    sent, under each issuer it may have (another certificate of the chain, an anchor with
//!    its issuer's name): when the validation with what they hold is VALID with every
//!    status decided, that is the answer — one validation, no fetch, no search with
//!    revocation off (`huren_revocation_held_answers_total`). Any other outcome (a revoked
//!    or unknown status, something missing, a soft failure) is decided by steps 1–4, so a
//!    cached answer never changes an outcome, only what it costs.
//! 6. After the validation, evidence held for a certificate the validator found no answer
//!    for (`REVOCATION_UNAVAILABLE`: a bad signature, an unauthorised responder, …) is
//!    replaced by a remembered failure, so that the next validation tries the next source
//!    instead of being served the same refused response until its nextUpdate.
//!
//! Every CRL and OCSP response handed over is labelled with where it came from (`http://…`,
//! or `cache http://…`); the report's revocation entries show it, and each fetch that failed
//! is added to what the report says about the certificate it was for ([`annotate`]).
//!
//! Successors (Art. 31): when the trust list names the CA that took a CA over and gives its
//! supply points, the snapshot carries them in the old CA's scope
//! ([`huren_validator::AnchorScope::successor_endpoints`]): the certificates below it are
//! asked about there too, after the URLs they name ([`successor_endpoints`]), and an answer
//! signed by the successor is accepted by the validator. A chain under such an anchor
//! always takes the path search of step 1 (step 5 does not look at successors).

mod http;
mod online;

pub use online::OnlineRevocation;

use huren_validator::cert::DistributionPoint;
use huren_validator::names::GeneralName;
use huren_validator::ocsp::CLOCK_SKEW_SECS;
use huren_validator::{
    AnchorSet, Certificate, CheckResult, Code, Crl, OcspResponse, Report, RevocationPolicy, Source,
    pem,
};
use std::sync::Arc;

/// 1.3.6.1.5.5.7.48.1 (id-ad-ocsp), the AIA access method of an OCSP responder.
pub const AD_OCSP: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01];

/// PEM labels of an OCSP response.
pub const OCSP_RESPONSE_LABELS: &[&str] = &["OCSP RESPONSE"];

/// The kind of revocation evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A CRL, by URL.
    Crl,
    /// An OCSP response, by CertID.
    Ocsp,
}

impl Kind {
    /// `crl` or `ocsp` (metric labels, messages).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Crl => "crl",
            Kind::Ocsp => "ocsp",
        }
    }
}

/// A fetch that gave no usable evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchFailure {
    /// The SHA-256 (hex) of the certificate it was for.
    pub cert_sha256: Arc<str>,
    /// CRL or OCSP.
    pub kind: Kind,
    /// The URL.
    pub url: String,
    /// Why: `timed out after 3000 ms`, `HTTP 503`, `the response is larger than …`, …
    pub error: String,
    /// Whether this is a remembered failure (negative cache) rather than a fetch just made.
    pub cached: bool,
}

impl std::fmt::Display for FetchFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}{}",
            self.kind.as_str(),
            self.url,
            self.error,
            if self.cached {
                " (remembered failure)"
            } else {
                ""
            }
        )
    }
}

/// What a [`crate::server::state::RevocationSource`] found for one validation.
#[derive(Clone, Debug, Default)]
pub struct FetchedEvidence {
    /// CRLs, each labelled with its source (`http://…`, `cache http://…`).
    pub crls: Vec<Crl>,
    /// OCSP responses, each labelled with its source.
    pub ocsp: Vec<OcspResponse>,
    /// Fetches that gave nothing usable.
    pub failures: Vec<FetchFailure>,
    /// Network fetches made for this validation.
    pub fetches: usize,
    /// Evidence taken from the caches.
    pub cache_hits: usize,
    /// Whether `revocation.max_fetches` stopped a fetch.
    pub budget_exhausted: bool,
}

impl FetchedEvidence {
    /// Whether nothing was found and nothing failed.
    pub fn is_empty(&self) -> bool {
        self.crls.is_empty() && self.ocsp.is_empty() && self.failures.is_empty()
    }

    /// Whether the evidence is incomplete for a reason that may pass (a fetch failed, or
    /// the fetch budget ran out): an answer resting on it should not be kept long.
    pub fn incomplete(&self) -> bool {
        !self.failures.is_empty() || self.budget_exhausted
    }
}

/// What a revocation source is asked for one validation.
#[derive(Clone, Copy, Debug)]
pub struct EvidenceRequest<'a> {
    /// The path the validator chose with revocation off, end entity first, anchor last: the
    /// issuer of each certificate is the next one.
    pub path: &'a [Arc<Certificate>],
    /// The revocation policy (`Off`: nothing is fetched).
    pub policy: RevocationPolicy,
    /// The validation time, Unix seconds (caller evidence current at it decides a
    /// certificate).
    pub time: i64,
    /// CRLs the caller supplied.
    pub supplied_crls: &'a [Crl],
    /// OCSP responses the caller supplied.
    pub supplied_ocsp: &'a [OcspResponse],
    /// The supply points of the successor of the path's anchor, when a CA's business was
    /// taken over (Art. 31; [`successor_endpoints`]): asked beside (after) what the
    /// certificates name. A URL whose path ends in `.crl` is a CRL, any other an OCSP
    /// responder.
    pub successor_endpoints: &'a [String],
    /// How long the fetches may take together: past it the source answers with what came
    /// in and names the rest as failures (the fetches may go on, to be cached).
    pub deadline: std::time::Duration,
}

/// The successor's supply points for the certificates below the anchor that ends `path`
/// (Art. 31: the CA that took the business over answers for their status), as the trust list
/// names them; empty when the anchor has no successor.
pub fn successor_endpoints(path: &[Arc<Certificate>], anchors: &AnchorSet) -> Vec<String> {
    let Some(last) = path.last() else {
        return Vec::new();
    };
    anchors
        .by_subject(last.subject())
        .find(|a| a.certificate().sha256_hex() == last.sha256_hex())
        .and_then(|a| a.scope())
        .map(|sc| sc.successor_endpoints.clone())
        .unwrap_or_default()
}

/// Whether any anchor of `anchors` has a successor with supply points (then a chain that
/// names no endpoint of its own may still be asked about).
pub fn any_successor_endpoints(anchors: &AnchorSet) -> bool {
    anchors.iter().any(|a| {
        a.scope()
            .is_some_and(|sc| !sc.successor_endpoints.is_empty())
    })
}

/// Whether a supply point is a CRL (its path ends in `.crl`) rather than an OCSP responder.
pub fn is_crl_url(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.to_ascii_lowercase().ends_with(".crl")
}

fn http_uri(g: &GeneralName) -> Option<&str> {
    match g {
        GeneralName::Uri(u) => {
            let scheme = |p: &str| u.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
            (scheme("http://") || scheme("https://")).then_some(u.as_str())
        }
        _ => None,
    }
}

/// The http(s) OCSP responder URIs of `cert`'s authorityInfoAccess (id-ad-ocsp), in order
/// (repeats included).
fn ocsp_uris(cert: &Certificate) -> impl Iterator<Item = &str> {
    cert.extensions()
        .authority_info_access
        .iter()
        .flatten()
        .filter(|(method, _)| method.as_bytes() == AD_OCSP)
        .filter_map(|(_, location)| http_uri(location))
}

/// The http(s) fullName URIs of `cert`'s cRLDistributionPoints, in order (repeats
/// included; delta CRLs, freshestCRL, are not fetched).
fn crl_uris(cert: &Certificate) -> impl Iterator<Item = &str> {
    cert.extensions()
        .crl_distribution_points
        .iter()
        .flatten()
        .flat_map(|dp: &DistributionPoint| dp.full_name.iter().flatten().filter_map(http_uri))
}

fn distinct(uris: impl Iterator<Item = impl Into<String> + AsRef<str>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for u in uris {
        if !out.iter().any(|o| o == u.as_ref()) {
            out.push(u.into());
        }
    }
    out
}

/// The http(s) OCSP responder URIs of `cert`'s authorityInfoAccess (id-ad-ocsp), in order,
/// without repeats.
pub fn ocsp_urls(cert: &Certificate) -> Vec<String> {
    distinct(ocsp_uris(cert))
}

/// The http(s) fullName URIs of `cert`'s cRLDistributionPoints, in order, without repeats
/// (delta CRLs, freshestCRL, are not fetched).
pub fn crl_urls(cert: &Certificate) -> Vec<String> {
    distinct(crl_uris(cert))
}

/// Whether `cert` names an http(s) OCSP responder.
pub fn has_ocsp(cert: &Certificate) -> bool {
    ocsp_uris(cert).next().is_some()
}

/// Whether any certificate of `chain` names an http(s) OCSP responder or CRL: if none
/// does, there is nothing to fetch.
pub fn has_endpoints(chain: &[Arc<Certificate>]) -> bool {
    chain
        .iter()
        .any(|c| has_ocsp(c) || crl_uris(c).next().is_some())
}

/// The certificates of `report`'s path (end entity first, anchor last), taken from `chain`
/// and `anchors` by their SHA-256; `None` when the path did not reach an anchor or a
/// certificate of it is not found.
pub fn path_of(
    report: &Report,
    chain: &[Arc<Certificate>],
    anchors: &AnchorSet,
) -> Option<Vec<Arc<Certificate>>> {
    if report.path.last()?.source != Source::Anchor {
        return None;
    }
    let mut out: Vec<Arc<Certificate>> = Vec::with_capacity(report.path.len());
    for e in &report.path {
        let found = match e.source {
            Source::Anchor => {
                let by_name = out
                    .last()
                    .and_then(|below| {
                        anchors
                            .by_subject(below.issuer())
                            .find(|a| a.certificate().sha256_hex() == &*e.sha256)
                    })
                    .map(|a| a.certificate().clone());
                by_name.or_else(|| {
                    anchors
                        .iter()
                        .find(|a| a.certificate().sha256_hex() == &*e.sha256)
                        .map(|a| a.certificate().clone())
                })
            }
            Source::Target | Source::Intermediate => {
                chain.iter().find(|c| c.sha256_hex() == &*e.sha256).cloned()
            }
        };
        out.push(found?);
    }
    Some(out)
}

/// Whether the caller's evidence covers `cert` (issued by `issuer`) at `time`: a complete
/// (not delta) CRL from its issuer current at `time`, or an OCSP response with a single
/// response for its CertID current at `time`. The validator still decides whether that
/// evidence holds; a certificate it covers is only not fetched for.
pub fn decided_by_caller(
    cert: &Certificate,
    issuer: &Certificate,
    crls: &[Crl],
    ocsp: &[OcspResponse],
    time: i64,
) -> bool {
    // The validator's own tolerances: none for CRLs, CLOCK_SKEW_SECS for OCSP thisUpdate.
    let current = |this: i64, next: Option<i64>, skew: i64| {
        this <= time.saturating_add(skew) && next.is_none_or(|n| time <= n)
    };
    crls.iter().any(|c| {
        !c.is_delta() && c.issuer() == cert.issuer() && current(c.this_update(), c.next_update(), 0)
    }) || ocsp.iter().any(|r| {
        r.responses().iter().any(|s| {
            s.cert_id.matches(cert, issuer)
                && current(s.this_update, s.next_update, CLOCK_SKEW_SECS)
        })
    })
}

/// Adds the fetch failures to what the report says about the certificates they were for,
/// where no answer was found: their revocation entries (`unavailable`, `stale`,
/// `unknown`), their failed or warning `REVOCATION` checks, their `REVOCATION_SOFT_FAILED`
/// warnings, and the report's message when a revocation code decided it. Each then says
/// which URL was asked and what went wrong (`fetched: ocsp http://…: no complete answer
/// within 3000 ms`).
pub fn annotate(report: &mut Report, fetched: &FetchedEvidence) {
    if fetched.failures.is_empty() && !fetched.budget_exhausted {
        return;
    }
    let notes_for = |idx: usize| -> Option<String> {
        let sha = &report.path.get(idx)?.sha256;
        let mut notes: Vec<String> = fetched
            .failures
            .iter()
            .filter(|f| &f.cert_sha256 == sha)
            .map(ToString::to_string)
            .collect();
        if fetched.budget_exhausted && notes.is_empty() {
            notes.push("not fetched: revocation.max_fetches reached".into());
        }
        (!notes.is_empty()).then(|| format!("fetched: {}", notes.join("; ")))
    };
    let append = |text: &str, note: &str| {
        if text.is_empty() {
            note.to_string()
        } else {
            format!("{text}; {note}")
        }
    };
    let notes: Vec<Option<String>> = (0..report.path.len()).map(notes_for).collect();
    let note = |i: Option<usize>| i.and_then(|i| notes.get(i)).and_then(Option::as_deref);
    for entry in &mut report.revocation {
        if matches!(entry.outcome, "good" | "revoked") {
            continue;
        }
        if let Some(n) = note(Some(entry.cert_index)) {
            entry.detail = Some(append(entry.detail.as_deref().unwrap_or(""), n));
        }
    }
    let mut first_failed: Option<usize> = None;
    for check in &mut report.checks {
        if check.id != "REVOCATION"
            || !matches!(check.result, CheckResult::Failed | CheckResult::Warning)
            || matches!(check.code, Code::RevokedAfterValidationTime)
        {
            continue;
        }
        if check.result == CheckResult::Failed && first_failed.is_none() {
            first_failed = check.cert_index;
        }
        if let Some(n) = note(check.cert_index) {
            check.message = append(&check.message, n).into();
        }
    }
    for w in &mut report.warnings {
        if w.code == Code::RevocationSoftFailed
            && let Some(n) = note(w.cert_index)
        {
            w.message = append(&w.message, n);
        }
    }
    if matches!(
        report.code,
        Code::RevocationUnavailable | Code::RevocationStale | Code::RevocationUnknown
    ) && let Some(n) = note(first_failed)
    {
        report.message = append(&report.message, n);
    }
}

/// The earliest nextUpdate of the revocation evidence `report` rests on that is still
/// ahead of `now` (an answer must not outlive the evidence it used).
pub fn earliest_next_update(report: &Report, now: i64) -> Option<i64> {
    report
        .revocation
        .iter()
        .filter_map(|e| e.next_update)
        .filter(|&n| n > now)
        .min()
}

/// Reads OCSP responses from DER or PEM (`OCSP RESPONSE` blocks).
pub fn read_ocsp_responses(bytes: &[u8]) -> Result<Vec<OcspResponse>, String> {
    let ders = pem::decode_all(bytes, OCSP_RESPONSE_LABELS).map_err(|e| e.to_string())?;
    if ders.is_empty() {
        return Err("no OCSP response in it (PEM blocks labelled OCSP RESPONSE)".into());
    }
    ders.iter()
        .enumerate()
        .map(|(i, d)| {
            OcspResponse::from_der(d)
                .map_err(|e| format!("OCSP response {} is malformed: {e}", i + 1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn der(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag, u8::try_from(content.len()).unwrap()];
        out.extend_from_slice(content);
        out
    }

    /// A certificate naming an ldap and an http CRL, and an ftp, an http and a CA-issuers
    /// (id-ad-caIssuers) access location.
    fn cert() -> Certificate {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        p.crl_distribution_points = vec![rcgen::CrlDistributionPoint {
            uris: vec![
                "ldap://ldap.example/cn=CA?certificateRevocationList".into(),
                "http://crl.example/ca.crl".into(),
                "http://crl.example/ca.crl".into(),
            ],
        }];
        let mut seq = Vec::new();
        for (method, uri) in [
            (AD_OCSP, "ftp://ocsp.example/"),
            (AD_OCSP, "HTTP://ocsp.example/"),
            (
                &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02][..],
                "http://ca.example/ca.cer",
            ),
        ] {
            let mut ad = der(0x06, method);
            ad.extend(der(0x86, uri.as_bytes()));
            seq.extend(der(0x30, &ad));
        }
        p.custom_extensions
            .push(rcgen::CustomExtension::from_oid_content(
                &[1, 3, 6, 1, 5, 5, 7, 1, 1],
                der(0x30, &seq),
            ));
        Certificate::from_der(p.self_signed(&key).unwrap().der()).unwrap()
    }

    #[test]
    fn only_http_urls_of_the_right_kind() {
        let c = cert();
        assert_eq!(ocsp_urls(&c), vec!["HTTP://ocsp.example/".to_string()]);
        assert_eq!(crl_urls(&c), vec!["http://crl.example/ca.crl".to_string()]);
        assert!(has_endpoints(&[Arc::new(c)]));
    }

    #[test]
    fn annotate_adds_failures_to_what_found_no_answer() {
        let c = Arc::new(cert());
        let mut r = Report::decided(Code::RevocationUnavailable, "no CRL in scope", 0);
        r.path.push(huren_validator::PathEntry {
            index: 0,
            sha256: c.sha256_hex_shared(),
            subject: "s".into(),
            issuer: "i".into(),
            serial: String::new(),
            not_before: 0,
            not_after: 0,
            source: Source::Target,
        });
        r.checks.push(huren_validator::Check {
            id: "REVOCATION",
            cert_index: Some(0),
            result: CheckResult::Failed,
            rule: "RFC 5280 §6.3",
            message: "no CRL in scope".into(),
            code: Code::RevocationUnavailable,
        });
        let fetched = FetchedEvidence {
            failures: vec![FetchFailure {
                cert_sha256: c.sha256_hex_shared(),
                kind: Kind::Crl,
                url: "http://crl.example/ca.crl".into(),
                error: "HTTP 503".into(),
                cached: false,
            }],
            ..FetchedEvidence::default()
        };
        annotate(&mut r, &fetched);
        assert_eq!(
            r.message,
            "no CRL in scope; fetched: crl http://crl.example/ca.crl: HTTP 503"
        );
        assert_eq!(r.checks[0].message, r.message);
    }
}
