//! Every generated test vector under `testvectors/chains/` gives the status and code its
//! `expected.json` states.
#![allow(clippy::disallowed_methods)] // tests are the caller: they read the corpora

mod common;

use huren_validator::{
    AnchorSet, Certificate, Crl, KeyUsageBit, Oid, PolicyInputs, RevocationPolicy, ServerName,
    SignatureMemo, ValidationOptions, pem, validate,
};
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Expected {
    time: String,
    key_usage: Vec<String>,
    eku: Vec<String>,
    policies: Vec<String>,
    require_explicit_policy: bool,
    inhibit_policy_mapping: bool,
    inhibit_any_policy: bool,
    revocation: String,
    dns_name: Option<String>,
    ip: Option<String>,
    expected: Outcome,
}

#[derive(Deserialize)]
struct Outcome {
    status: String,
    code: String,
}

fn read_certs(p: &Path) -> Vec<Certificate> {
    if !p.exists() {
        return Vec::new();
    }
    pem::decode_all(&std::fs::read(p).unwrap(), pem::CERTIFICATE_LABELS)
        .unwrap()
        .iter()
        .map(|d| Certificate::from_der(d).unwrap())
        .collect()
}

/// One chain directory of `testvectors/chains/`, parsed.
struct Chain {
    leaf_der: Vec<u8>,
    leaf: Certificate,
    intermediates: Vec<Certificate>,
    anchors: AnchorSet,
    crls: Vec<Crl>,
}

fn chain_dir(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testvectors/chains")
        .join(name)
}

fn load(dir: &Path) -> Chain {
    let leaf_der = pem::decode_all(
        &std::fs::read(dir.join("leaf.pem")).unwrap(),
        pem::CERTIFICATE_LABELS,
    )
    .unwrap()
    .remove(0);
    let mut anchors = AnchorSet::new();
    for a in read_certs(&dir.join("anchors.pem")) {
        anchors.add_certificate(a);
    }
    let crls = match std::fs::read(dir.join("crls.pem")) {
        Ok(b) => pem::decode_all(&b, pem::CRL_LABELS)
            .unwrap()
            .iter()
            .map(|d| Crl::from_der(d).unwrap())
            .collect(),
        Err(_) => Vec::new(),
    };
    Chain {
        leaf: Certificate::from_der(&leaf_der).unwrap(),
        leaf_der,
        intermediates: read_certs(&dir.join("intermediates.pem")),
        anchors,
        crls,
    }
}

#[test]
fn generated_vectors_give_their_expected_results() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/chains");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("expected.json").exists())
        .collect();
    cases.sort_by_key(|e| e.path());
    assert!(
        cases.len() >= 40,
        "expected the generated vectors in {}",
        dir.display()
    );
    let memo = SignatureMemo::default();
    let mut wrong = Vec::new();
    for case in &cases {
        let p = case.path();
        let exp: Expected =
            serde_json::from_slice(&std::fs::read(p.join("expected.json")).unwrap()).unwrap();
        let Chain {
            leaf,
            intermediates,
            anchors,
            crls,
            ..
        } = load(&p);
        let mut o = ValidationOptions::at(common::time(&exp.time));
        o.key_usage = exp
            .key_usage
            .iter()
            .map(|k| KeyUsageBit::from_name(k).unwrap())
            .collect();
        o.extended_key_usage = exp.eku.iter().map(|e| Oid::parse(e).unwrap()).collect();
        o.policy = PolicyInputs {
            initial_policy_set: exp
                .policies
                .iter()
                .map(|e| Oid::parse(e).unwrap())
                .collect(),
            require_explicit_policy: exp.require_explicit_policy,
            inhibit_policy_mapping: exp.inhibit_policy_mapping,
            inhibit_any_policy: exp.inhibit_any_policy,
        };
        o.revocation = match exp.revocation.as_str() {
            "require" => RevocationPolicy::Require,
            "prefer" => RevocationPolicy::Prefer,
            _ => RevocationPolicy::Off,
        };
        o.server_name = exp
            .dns_name
            .map(ServerName::Dns)
            .or_else(|| exp.ip.map(|i| ServerName::Ip(i.parse().unwrap())));
        let r = validate(&leaf, &intermediates, &anchors, &crls, &o, &memo);
        if r.status.as_str() != exp.expected.status || r.code.as_str() != exp.expected.code {
            wrong.push(format!(
                "{}: expected {} {}, got {} {} ({})",
                p.file_name().unwrap().to_string_lossy(),
                exp.expected.status,
                exp.expected.code,
                r.status,
                r.code,
                r.message
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} vectors disagree:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// A key parsed once and kept on the issuer certificate must refuse a bad signature exactly as
/// a fresh verification does (the prepared-key path for RSA and ECDSA).
#[test]
fn prepared_issuer_keys_still_refuse_bad_signatures() {
    let memo = SignatureMemo::new(0);
    for case in ["rsa-server-valid", "ecdsa-server-valid"] {
        let Chain {
            leaf_der,
            leaf: good,
            intermediates,
            anchors,
            ..
        } = load(&chain_dir(case));
        let opts = ValidationOptions::at(common::time("2026-06-01T00:00:00Z"));
        for _ in 0..2 {
            let r = validate(&good, &intermediates, &anchors, &[], &opts, &memo);
            assert_eq!(r.code.as_str(), "OK", "{case}: {}", r.message);
        }
        let mut bad_der = leaf_der.clone();
        let last = bad_der.len() - 1;
        bad_der[last] ^= 0x01;
        let bad = Certificate::from_der(&bad_der).unwrap();
        let r = validate(&bad, &intermediates, &anchors, &[], &opts, &memo);
        assert_eq!(r.code.as_str(), "BAD_SIGNATURE", "{case}: {}", r.message);
    }
}

/// Running out of signature budget before a CRL is verified must never turn into a soft
/// revocation failure: a revoked leaf is not VALID because its CRL went unchecked.
#[test]
fn budget_exhaustion_before_revocation_fails_closed() {
    let Chain {
        leaf,
        intermediates,
        anchors,
        crls,
        ..
    } = load(&chain_dir("sm2-revoked"));
    let mut opts = ValidationOptions::at(common::time("2026-06-01T00:00:00Z"));
    opts.revocation = RevocationPolicy::Prefer;
    let full = validate(
        &leaf,
        &intermediates,
        &anchors,
        &crls,
        &opts,
        &SignatureMemo::new(0),
    );
    assert_eq!(full.code.as_str(), "CERT_REVOKED", "{}", full.message);
    // Two verifications build the path; the CRLs would need more.
    opts.budget.signatures = 2;
    let starved = validate(
        &leaf,
        &intermediates,
        &anchors,
        &crls,
        &opts,
        &SignatureMemo::new(0),
    );
    assert_eq!(
        starved.status.as_str(),
        "INDETERMINATE",
        "{}",
        starved.message
    );
    assert_eq!(
        starved.code.as_str(),
        "PATH_BUILDING_BUDGET_EXCEEDED",
        "{}",
        starved.message
    );
}
