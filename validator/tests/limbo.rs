//! The x509-limbo conformance corpus, run in full. Every case must give its expected result
//! unless `limbo-exceptions.tsv` lists it with a reason; a listed case that starts passing
//! fails the run too, so the exceptions file never goes stale.
#![allow(clippy::disallowed_methods)] // tests are the caller: they read the corpora

mod common;

use huren_validator::{
    AnchorSet, Certificate, Crl, KeyUsageBit, Oid, RevocationPolicy, ServerName, SignatureMemo,
    ValidationOptions, pem, validate,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read;

#[derive(Deserialize)]
struct Corpus {
    testcases: Vec<Case>,
}

#[derive(Deserialize)]
struct PeerName {
    kind: String,
    value: String,
}

#[derive(Deserialize)]
struct Case {
    id: String,
    validation_kind: String,
    #[serde(default)]
    trusted_certs: Option<Vec<String>>,
    #[serde(default)]
    untrusted_intermediates: Option<Vec<String>>,
    peer_certificate: String,
    validation_time: Option<String>,
    #[serde(default)]
    key_usage: Option<Vec<String>>,
    #[serde(default)]
    extended_key_usage: Option<Vec<String>>,
    expected_result: String,
    expected_peer_name: Option<PeerName>,
    max_chain_depth: Option<usize>,
    #[serde(default)]
    crls: Option<Vec<String>>,
}

/// 2026-01-01T00:00:00Z: the time used for cases that name none (limbo certificates are
/// valid from 1970 to 2969 unless a case is about validity).
const DEFAULT_TIME: i64 = 1_767_225_600;

fn parse_time(s: &str) -> i64 {
    // RFC 3339 "YYYY-MM-DDTHH:MM:SS(Z|+00:00)"
    let b = s.as_bytes();
    let n = |r: std::ops::Range<usize>| s[r].parse::<i64>().unwrap();
    assert!(b.len() >= 19, "bad time {s}");
    let days = huren_validator::der::days_from_civil(n(0..4), n(5..7) as u32, n(8..10) as u32);
    days * 86400 + n(11..13) * 3600 + n(14..16) * 60 + n(17..19)
}

fn eku_oid(name: &str) -> Oid {
    let dotted = match name {
        "serverAuth" => "1.3.6.1.5.5.7.3.1",
        "clientAuth" => "1.3.6.1.5.5.7.3.2",
        "codeSigning" => "1.3.6.1.5.5.7.3.3",
        "emailProtection" => "1.3.6.1.5.5.7.3.4",
        "timeStamping" => "1.3.6.1.5.5.7.3.8",
        "OCSPSigning" => "1.3.6.1.5.5.7.3.9",
        "anyExtendedKeyUsage" => "2.5.29.37.0",
        other => panic!("unknown EKU name {other}"),
    };
    Oid::parse(dotted).unwrap()
}

fn certs(pems: &[String]) -> Vec<Certificate> {
    pems.iter()
        .filter_map(|p| pem::decode_all(p.as_bytes(), pem::CERTIFICATE_LABELS).ok())
        .flatten()
        .filter_map(|d| Certificate::from_der(&d).ok())
        .collect()
}

/// Runs one case; returns (actual, context).
fn run(case: &Case, memo: &SignatureMemo) -> (&'static str, String) {
    let leaf_der = match pem::decode_all(case.peer_certificate.as_bytes(), pem::CERTIFICATE_LABELS)
    {
        Ok(v) if !v.is_empty() => v.into_iter().next().unwrap(),
        _ => return ("FAILURE", "peer certificate is not PEM".into()),
    };
    let leaf = match Certificate::from_der(&leaf_der) {
        Ok(c) => c,
        Err(e) => return ("FAILURE", format!("MALFORMED_CERTIFICATE: {e}")),
    };
    let mut anchors = AnchorSet::new();
    for c in certs(case.trusted_certs.as_deref().unwrap_or(&[])) {
        anchors.add_certificate(c);
    }
    let intermediates = certs(case.untrusted_intermediates.as_deref().unwrap_or(&[]));
    let crls: Vec<Crl> = case
        .crls
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .filter_map(|p| pem::decode_all(p.as_bytes(), pem::CRL_LABELS).ok())
        .flatten()
        .filter_map(|d| Crl::from_der(&d).ok())
        .collect();
    let mut opts = ValidationOptions::at(
        case.validation_time
            .as_deref()
            .map_or(DEFAULT_TIME, parse_time),
    );
    opts.key_usage = case
        .key_usage
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .map(|k| KeyUsageBit::from_name(k).unwrap_or_else(|| panic!("unknown key usage {k}")))
        .collect();
    let mut eku: Vec<Oid> = case
        .extended_key_usage
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .map(|e| eku_oid(e))
        .collect();
    if eku.is_empty() {
        eku.push(eku_oid(if case.validation_kind == "CLIENT" {
            "clientAuth"
        } else {
            "serverAuth"
        }));
    }
    opts.extended_key_usage = eku;
    opts.server_name = case
        .expected_peer_name
        .as_ref()
        .and_then(|p| match p.kind.as_str() {
            "DNS" => Some(ServerName::Dns(p.value.clone())),
            "IP" => p.value.parse().ok().map(ServerName::Ip),
            _ => None,
        });
    opts.max_chain_depth = case.max_chain_depth;
    opts.profile = huren_validator::Profile::WebPki;
    if !crls.is_empty() {
        opts.revocation = RevocationPolicy::Require;
    }
    let report = validate(&leaf, &intermediates, &anchors, &crls, &opts, memo);
    let actual = if report.is_valid() {
        "SUCCESS"
    } else {
        "FAILURE"
    };
    (
        actual,
        format!("{} {}: {}", report.status, report.code, report.message),
    )
}

#[test]
fn limbo_corpus() {
    let Some(path) = common::corpus("limbo/limbo.json.gz", "x509-limbo conformance") else {
        return;
    };
    let mut json = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap())
        .read_to_string(&mut json)
        .unwrap();
    let corpus: Corpus = serde_json::from_str(&json).unwrap();
    let exceptions_text = include_str!("limbo-exceptions.tsv");
    let mut exceptions: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for line in exceptions_text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut f = line.splitn(3, '\t');
        let id = f.next().unwrap();
        let actual = f.next().expect("exceptions: id, actual result, reason");
        let reason = f.next().expect("exceptions need a reason");
        assert!(!reason.trim().is_empty(), "exception {id} has no reason");
        assert!(
            exceptions.insert(id, (actual, reason)).is_none(),
            "exception {id} listed twice"
        );
    }
    let memo = SignatureMemo::default();
    let (mut pass, mut wrong_accept, mut wrong_reject, mut excepted) = (0, 0, 0, 0);
    let mut unexpected = Vec::new();
    let mut results = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for case in &corpus.testcases {
        seen.insert(case.id.as_str());
        let (actual, context) = run(case, &memo);
        results
            .push(serde_json::json!({"id": case.id, "actual_result": actual, "context": context}));
        if actual == case.expected_result {
            pass += 1;
            if exceptions.contains_key(case.id.as_str()) {
                unexpected.push(format!(
                    "{}: now gives the expected {actual}; remove it from the exceptions",
                    case.id
                ));
            }
            continue;
        }
        if actual == "SUCCESS" {
            wrong_accept += 1;
        } else {
            wrong_reject += 1;
        }
        match exceptions.get(case.id.as_str()) {
            Some((listed, _)) if *listed == actual => excepted += 1,
            _ => unexpected.push(format!(
                "{}: expected {}, got {actual} ({context})",
                case.id, case.expected_result
            )),
        }
    }
    for id in exceptions.keys() {
        if !seen.contains(id) {
            unexpected.push(format!(
                "{id}: listed in the exceptions but not in the corpus"
            ));
        }
    }
    let out = serde_json::json!({"version": 1, "harness": "huren", "results": results});
    let out_path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("limbo-results.json");
    std::fs::write(&out_path, serde_json::to_vec_pretty(&out).unwrap()).unwrap();
    let summary = format!(
        "x509-limbo: {} cases, {pass} pass, {wrong_accept} wrongly accepted, {wrong_reject} wrongly rejected ({excepted} of the divergences listed in limbo-exceptions.tsv); results in {}",
        corpus.testcases.len(),
        out_path.display()
    );
    eprintln!("{summary}");
    std::fs::write(
        out_path.with_file_name("limbo-summary.txt"),
        format!("{summary}\n"),
    )
    .unwrap();
    assert!(
        unexpected.is_empty(),
        "{} unexpected results:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}
