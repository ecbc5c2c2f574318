//! Differential test against rustls-webpki on Web-PKI-shaped chains: the x509-limbo corpus
//! (SERVER and CLIENT cases without CRLs) and the generated non-SM2 vectors. Where the two
//! disagree, `webpki-differences.tsv` must list the case with the reason; a listed case on
//! which they agree fails the test too.
#![allow(clippy::disallowed_methods)] // tests are the caller: they read the corpora

mod common;

use common::{PeerName, limbo_inputs, limbo_time};
use huren_validator::{
    AnchorSet, Certificate, Oid, ServerName, SignatureMemo, ValidationOptions, pem, validate,
};
use rustls_pki_types::{CertificateDer, UnixTime};
use std::collections::BTreeMap;
use std::time::Duration;

fn ders(pems: &[String]) -> Vec<Vec<u8>> {
    pems.iter()
        .filter_map(|p| pem::decode_all(p.as_bytes(), pem::CERTIFICATE_LABELS).ok())
        .flatten()
        .collect()
}

/// rustls-webpki's verdict: server (or client) usage, then the subject name.
fn webpki_accepts(
    leaf: &[u8],
    inters: &[Vec<u8>],
    trusted: &[Vec<u8>],
    time: i64,
    client: bool,
    name: Option<&PeerName>,
) -> bool {
    let trusted_der: Vec<CertificateDer<'_>> = trusted
        .iter()
        .map(|d| CertificateDer::from(d.as_slice()))
        .collect();
    let anchors: Vec<_> = trusted_der
        .iter()
        .filter_map(|d| webpki::anchor_from_trusted_cert(d).ok())
        .collect();
    let inter_der: Vec<CertificateDer<'_>> = inters
        .iter()
        .map(|d| CertificateDer::from(d.as_slice()))
        .collect();
    let leaf_der = CertificateDer::from(leaf);
    let Ok(ee) = webpki::EndEntityCert::try_from(&leaf_der) else {
        return false;
    };
    let usage = if client {
        webpki::KeyUsage::client_auth()
    } else {
        webpki::KeyUsage::server_auth()
    };
    let t = UnixTime::since_unix_epoch(Duration::from_secs(time.max(0) as u64));
    if ee
        .verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            &anchors,
            &inter_der,
            t,
            usage,
            None,
            None,
        )
        .is_err()
    {
        return false;
    }
    match name {
        Some(n) => match rustls_pki_types::ServerName::try_from(n.value.as_str()) {
            Ok(sn) => ee.verify_is_valid_for_subject_name(&sn).is_ok(),
            Err(_) => false,
        },
        None => true,
    }
}

fn huren_accepts(
    leaf: &[u8],
    inters: &[Vec<u8>],
    trusted: &[Vec<u8>],
    opts: &ValidationOptions,
    memo: &SignatureMemo,
) -> bool {
    let Ok(leaf) = Certificate::from_der(leaf) else {
        return false;
    };
    let mut anchors = AnchorSet::new();
    for t in trusted {
        if let Ok(c) = Certificate::from_der(t) {
            anchors.add_certificate(c);
        }
    }
    let inters: Vec<Certificate> = inters
        .iter()
        .filter_map(|d| Certificate::from_der(d).ok())
        .collect();
    validate(&leaf, &inters, &anchors, &[], opts, memo).is_valid()
}

#[test]
fn agrees_with_rustls_webpki_or_explains_why_not() {
    let Some(testcases) = common::limbo("differential test against rustls-webpki on x509-limbo")
    else {
        return;
    };
    let mut listed: BTreeMap<&str, &str> = BTreeMap::new();
    for line in include_str!("webpki-differences.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (pattern, reason) = line.split_once('\t').expect("pattern<TAB>reason");
        assert!(!reason.trim().is_empty(), "{pattern}: a reason is required");
        listed.insert(pattern, reason);
    }
    let limbo_exceptions: std::collections::BTreeSet<&str> = include_str!("limbo-exceptions.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split('\t').next())
        .collect();
    let memo = SignatureMemo::default();
    let mut unexplained = Vec::new();
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut agree, mut differ) = (0, 0);
    for case in &testcases {
        // Out of scope: CRL cases (webpki takes CRLs through another API) and key-usage
        // cases (webpki does not check keyUsage on the end entity).
        if case.crls.as_ref().is_some_and(|c| !c.is_empty())
            || case.key_usage.as_ref().is_some_and(|k| !k.is_empty())
        {
            continue;
        }
        let leaf = match pem::decode_all(case.peer_certificate.as_bytes(), pem::CERTIFICATE_LABELS)
        {
            Ok(v) if !v.is_empty() => v[0].clone(),
            _ => continue,
        };
        let trusted = ders(case.trusted_certs.as_deref().unwrap_or(&[]));
        let inters = ders(case.untrusted_intermediates.as_deref().unwrap_or(&[]));
        let time = limbo_time(case);
        let client = case.validation_kind == "CLIENT";
        // huren exactly as the conformance run validates the case.
        let h = limbo_inputs(case)
            .map(|i| {
                validate(
                    &i.leaf,
                    &i.intermediates,
                    &i.anchors,
                    &i.crls,
                    &i.options,
                    &memo,
                )
                .is_valid()
            })
            .unwrap_or(false);
        let w = webpki_accepts(
            &leaf,
            &inters,
            &trusted,
            time,
            client,
            case.expected_peer_name.as_ref(),
        );
        if h == w {
            agree += 1;
            continue;
        }
        differ += 1;
        // Every difference must be one where huren gives the corpus's expected result, unless
        // the limbo exceptions file lists the case.
        let expected_success = case.expected_result == "SUCCESS";
        if h != expected_success && !limbo_exceptions.contains(case.id.as_str()) {
            unexplained.push(format!(
                "{}: huren differs from webpki and from the expected {}",
                case.id, case.expected_result
            ));
        }
        let key = listed.keys().copied().find(|p| {
            case.id == *p
                || p.strip_suffix('*')
                    .is_some_and(|pre| case.id.starts_with(pre))
        });
        match key {
            Some(k) => *used.entry(k).or_default() += 1,
            None => unexplained.push(format!(
                "{}: huren {}, webpki {}",
                case.id,
                if h { "accepts" } else { "rejects" },
                if w { "accepts" } else { "rejects" }
            )),
        }
    }
    let stale: Vec<_> = listed.keys().filter(|k| !used.contains_key(*k)).collect();
    let summary = format!(
        "rustls-webpki differential on x509-limbo: {agree} agree, {differ} differ ({} explained)",
        differ - unexplained.len()
    );
    eprintln!("{summary}");
    std::fs::write(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("webpki-differential.txt"),
        format!("{summary}\n{}\n", unexplained.join("\n")),
    )
    .unwrap();
    assert!(
        unexplained.is_empty(),
        "{} unexplained differences:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
    assert!(
        stale.is_empty(),
        "listed differences that no longer occur: {stale:?}"
    );
}

/// The generated vectors that rustls-webpki can express (no SM2, no CRLs, no policy or
/// key-usage inputs): the two must agree, or the case is named here with its reason.
#[test]
fn agrees_with_rustls_webpki_on_generated_vectors() {
    // (case, reason) where the engines legitimately differ.
    const KNOWN: &[(&str, &str)] = &[
        (
            "anchor-expired",
            "huren enforces the anchor certificate's validity (RFC 5937); webpki trusts an anchor by name and key",
        ),
        (
            "name-constraints-dirname-ok",
            "webpki refuses every chain with a directoryName constraint",
        ),
        (
            "name-constraints-email-ok",
            "webpki refuses rfc822Name constraints it cannot evaluate",
        ),
        (
            "ca-missing-keycertsign",
            "RFC 5280 §6.1.4 (n): an issuer's keyUsage must assert keyCertSign; webpki ignores keyUsage",
        ),
        (
            "policy-constraints-satisfied",
            "webpki refuses the critical policyConstraints extension (it does no policy processing)",
        ),
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/chains");
    let memo = SignatureMemo::default();
    let mut compared = 0;
    let mut problems = Vec::new();
    let mut seen_known = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let Ok(text) = std::fs::read_to_string(p.join("expected.json")) else {
            continue;
        };
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let empty = |k: &str| v[k].as_array().is_none_or(|a| a.is_empty());
        if v["opensslShouldAccept"].is_null() && text.contains("SM2")
            || !empty("keyUsage")
            || !empty("policies")
            || v["revocation"] != "off"
            || v["requireExplicitPolicy"] == true
        {
            continue;
        }
        if p.join("crls.pem").exists() {
            continue;
        }
        let read = |f: &str| -> Vec<Vec<u8>> {
            std::fs::read(p.join(f))
                .map(|b| pem::decode_all(&b, pem::CERTIFICATE_LABELS).unwrap())
                .unwrap_or_default()
        };
        let leaf = read("leaf.pem").remove(0);
        let (inters, trusted) = (read("intermediates.pem"), read("anchors.pem"));
        let time = common::time(v["time"].as_str().unwrap());
        let client = v["eku"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == "1.3.6.1.5.5.7.3.2");
        let name = v["dnsName"].as_str().map(|d| PeerName {
            kind: "DNS".into(),
            value: d.into(),
        });
        let mut opts = ValidationOptions::at(time);
        opts.extended_key_usage = vec![
            Oid::parse(if client {
                "1.3.6.1.5.5.7.3.2"
            } else {
                "1.3.6.1.5.5.7.3.1"
            })
            .unwrap(),
        ];
        opts.server_name = name.as_ref().map(|n| ServerName::Dns(n.value.clone()));
        let h = huren_accepts(&leaf, &inters, &trusted, &opts, &memo);
        let w = webpki_accepts(&leaf, &inters, &trusted, time, client, name.as_ref());
        compared += 1;
        let case = p.file_name().unwrap().to_string_lossy().to_string();
        match KNOWN.iter().find(|(c, _)| *c == case) {
            Some(_) if h != w => seen_known.push(case),
            Some(_) => problems.push(format!(
                "{case}: listed as a difference but both now {}",
                if h { "accept" } else { "reject" }
            )),
            None if h != w => problems.push(format!("{case}: huren {h}, webpki {w}")),
            None => {}
        }
    }
    assert!(compared >= 20, "only {compared} vectors compared");
    for (c, _) in KNOWN {
        if !seen_known.iter().any(|s| s == c) && !problems.iter().any(|p| p.starts_with(c)) {
            problems.push(format!("{c}: listed but not compared"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
