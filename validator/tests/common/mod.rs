//! Shared helpers for the integration tests: where the external corpora live, and the
//! x509-limbo corpus itself.
#![allow(dead_code, clippy::disallowed_methods)] // each test binary uses a part; tests read files

mod corpora;
pub use corpora::*;

use serde::Deserialize;
use std::io::Read;

/// The expected peer name of a limbo case.
#[derive(Deserialize)]
pub struct PeerName {
    /// `DNS`, `IP` or `RFC822`.
    pub kind: String,
    /// The name.
    pub value: String,
}

/// One x509-limbo test case (the fields the harnesses read). Older files use `null` where
/// newer ones use `[]`: both are accepted.
#[derive(Deserialize)]
pub struct LimboCase {
    pub id: String,
    pub validation_kind: String,
    #[serde(default)]
    pub trusted_certs: Option<Vec<String>>,
    #[serde(default)]
    pub untrusted_intermediates: Option<Vec<String>>,
    pub peer_certificate: String,
    pub validation_time: Option<String>,
    #[serde(default)]
    pub key_usage: Option<Vec<String>>,
    #[serde(default)]
    pub extended_key_usage: Option<Vec<String>>,
    pub expected_result: String,
    pub expected_peer_name: Option<PeerName>,
    pub max_chain_depth: Option<usize>,
    #[serde(default)]
    pub crls: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct Corpus {
    testcases: Vec<LimboCase>,
}

/// 2026-01-01T00:00:00Z: the time used for limbo cases that name none (their certificates
/// are valid from 1970 to 2969 unless a case is about validity).
pub const LIMBO_DEFAULT_TIME: i64 = 1_767_225_600;

/// The x509-limbo corpus, or `None` (after saying so) when it is not there.
pub fn limbo(what: &str) -> Option<Vec<LimboCase>> {
    let path = corpus("limbo/limbo.json.gz", what)?;
    let mut json = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("open limbo"))
        .read_to_string(&mut json)
        .expect("limbo.json.gz decompresses");
    Some(
        serde_json::from_str::<Corpus>(&json)
            .expect("limbo JSON")
            .testcases,
    )
}

/// A case's validation time.
pub fn limbo_time(case: &LimboCase) -> i64 {
    case.validation_time
        .as_deref()
        .map_or(LIMBO_DEFAULT_TIME, |t| {
            huren_validator::parse_rfc3339(t).unwrap_or_else(|| panic!("{}: bad time {t}", case.id))
        })
}

/// RFC 3339 text to Unix seconds, for test data that must be well formed.
pub fn time(s: &str) -> i64 {
    huren_validator::parse_rfc3339(s).unwrap_or_else(|| panic!("bad time {s}"))
}

/// A limbo case turned into engine inputs, exactly as the conformance run validates it.
pub struct LimboInputs {
    pub leaf: huren_validator::Certificate,
    pub intermediates: Vec<huren_validator::Certificate>,
    pub anchors: huren_validator::AnchorSet,
    pub crls: Vec<huren_validator::Crl>,
    pub options: huren_validator::ValidationOptions,
}

fn limbo_eku(name: &str) -> huren_validator::Oid {
    huren_validator::Oid::from_purpose_name(name)
        .unwrap_or_else(|| panic!("unknown EKU name {name}"))
}

fn limbo_certs(pems: &[String]) -> Vec<huren_validator::Certificate> {
    use huren_validator::{Certificate, pem};
    pems.iter()
        .filter_map(|p| pem::decode_all(p.as_bytes(), pem::CERTIFICATE_LABELS).ok())
        .flatten()
        .filter_map(|d| Certificate::from_der(&d).ok())
        .collect()
}

/// The engine inputs of a limbo case: the Web PKI profile; the case's key usages; its EKUs
/// (serverAuth or clientAuth by validation kind when none); its peer name, time and maximum
/// chain depth; its CRLs, with revocation required when it has any. Unparseable anchors,
/// intermediates and CRLs are left out (as a relying party would); an unparseable peer
/// certificate is an `Err` with the reason.
pub fn limbo_inputs(case: &LimboCase) -> Result<LimboInputs, String> {
    use huren_validator::{
        AnchorSet, Certificate, Crl, KeyUsageBit, Profile, RevocationPolicy, ServerName,
        ValidationOptions, pem,
    };
    let leaf_der = match pem::decode_all(case.peer_certificate.as_bytes(), pem::CERTIFICATE_LABELS)
    {
        Ok(v) if !v.is_empty() => v.into_iter().next().expect("one certificate"),
        _ => return Err("peer certificate is not PEM".into()),
    };
    let leaf =
        Certificate::from_der(&leaf_der).map_err(|e| format!("MALFORMED_CERTIFICATE: {e}"))?;
    let mut anchors = AnchorSet::new();
    for c in limbo_certs(case.trusted_certs.as_deref().unwrap_or(&[])) {
        anchors.add_certificate(c);
    }
    let intermediates = limbo_certs(case.untrusted_intermediates.as_deref().unwrap_or(&[]));
    let crls: Vec<Crl> = case
        .crls
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .filter_map(|p| pem::decode_all(p.as_bytes(), pem::CRL_LABELS).ok())
        .flatten()
        .filter_map(|d| Crl::from_der(&d).ok())
        .collect();
    let mut options = ValidationOptions::at(limbo_time(case));
    options.profile = Profile::WebPki;
    options.key_usage = case
        .key_usage
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .map(|k| KeyUsageBit::from_name(k).unwrap_or_else(|| panic!("unknown key usage {k}")))
        .collect();
    options.extended_key_usage = case
        .extended_key_usage
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .map(|e| limbo_eku(e))
        .collect();
    if options.extended_key_usage.is_empty() {
        options
            .extended_key_usage
            .push(limbo_eku(if case.validation_kind == "CLIENT" {
                "clientAuth"
            } else {
                "serverAuth"
            }));
    }
    options.server_name = case
        .expected_peer_name
        .as_ref()
        .and_then(|p| match p.kind.as_str() {
            "DNS" => Some(ServerName::Dns(p.value.clone())),
            "IP" => p.value.parse().ok().map(ServerName::Ip),
            _ => None,
        });
    options.max_chain_depth = case.max_chain_depth;
    if !crls.is_empty() {
        options.revocation = RevocationPolicy::Require;
    }
    Ok(LimboInputs {
        leaf,
        intermediates,
        anchors,
        crls,
        options,
    })
}
