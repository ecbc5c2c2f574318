//! Cross-checks the checked-in chains with `openssl verify`.
//!
//! For every case whose `expected.json` has a non-null `opensslShouldAccept`,
//! runs OpenSSL with the same inputs and asserts that it accepts or rejects as
//! recorded. SM2 signatures are spot-checked separately, since OpenSSL 3.0's
//! `verify` only applies a distinguishing ID to the target certificate.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;

use serde_json::Value;

const OPENSSL: &str = "openssl";

fn chains_dir() -> PathBuf {
    huren_testvectors::default_dir().join("chains")
}

fn openssl(args: &[&str]) -> Output {
    Command::new(OPENSSL)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `{OPENSSL}` ({e}); these tests need the OpenSSL 3 command-line tool \
             (e.g. `apt-get install openssl`)"
            )
        })
}

fn unix_time(rfc3339: &str) -> u64 {
    der::DateTime::from_str(rfc3339)
        .unwrap_or_else(|e| panic!("bad time {rfc3339:?}: {e}"))
        .unix_duration()
        .as_secs()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|s| s.as_str().expect("string").to_owned())
        .collect()
}

/// Builds the `openssl verify` arguments mirroring `expected.json`.
fn verify_args(dir: &Path, expected: &Value) -> Vec<String> {
    let path = |f: &str| dir.join(f).to_string_lossy().into_owned();
    let mut args: Vec<String> = vec![
        "verify".into(),
        "-x509_strict".into(),
        "-policy_check".into(),
        "-attime".into(),
        unix_time(expected["time"].as_str().expect("time")).to_string(),
        "-CAfile".into(),
        path("anchors.pem"),
    ];
    if dir.join("intermediates.pem").exists() {
        args.extend(["-untrusted".into(), path("intermediates.pem")]);
    }
    let eku = strings(&expected["eku"]);
    let purpose = if eku.iter().any(|o| o == "1.3.6.1.5.5.7.3.1") {
        "sslserver"
    } else if eku.iter().any(|o| o == "1.3.6.1.5.5.7.3.2") {
        "sslclient"
    } else {
        "any"
    };
    args.extend(["-purpose".into(), purpose.into()]);
    if let Some(host) = expected["dnsName"].as_str() {
        args.extend(["-verify_hostname".into(), host.into()]);
    }
    if let Some(ip) = expected["ip"].as_str() {
        args.extend(["-verify_ip".into(), ip.into()]);
    }
    // An empty list means the user-initial-policy-set is anyPolicy. OpenSSL
    // treats "no -policy" as an empty user set instead, which fails whenever a
    // certificate's policyConstraints requires an explicit policy.
    let mut policies = strings(&expected["policies"]);
    if policies.is_empty() {
        policies.push("2.5.29.32.0".into());
    }
    for policy in policies {
        args.extend(["-policy".into(), policy]);
    }
    if expected["requireExplicitPolicy"] == Value::Bool(true) {
        args.push("-explicit_policy".into());
    }
    if expected["inhibitPolicyMapping"] == Value::Bool(true) {
        args.push("-inhibit_map".into());
    }
    if expected["inhibitAnyPolicy"] == Value::Bool(true) {
        args.push("-inhibit_any".into());
    }
    let crls = dir.join("crls.pem");
    match expected["revocation"].as_str().expect("revocation") {
        "off" => {}
        "require" => args.push("-crl_check_all".into()),
        "prefer" if crls.exists() => args.push("-crl_check_all".into()),
        "prefer" => {}
        other => panic!("unknown revocation mode {other:?}"),
    }
    if expected["revocation"] != "off" && crls.exists() {
        args.extend(["-CRLfile".into(), path("crls.pem")]);
    }
    args.push(path("leaf.pem"));
    args
}

/// OpenSSL error texts that correspond to an expected code.
fn openssl_reasons(code: &str) -> &'static [&'static str] {
    match code {
        "CERT_REVOKED" | "CA_REVOKED" => &["certificate revoked"],
        "CERT_EXPIRED" => &["certificate has expired"],
        "CERT_NOT_YET_VALID" => &["certificate is not yet valid"],
        "BAD_SIGNATURE" => &["certificate signature failure", "CRL signature failure"],
        "BASIC_CONSTRAINTS_VIOLATION" => &["invalid CA certificate"],
        "PATH_LENGTH_EXCEEDED" => &["path length constraint exceeded"],
        "NAME_CONSTRAINTS_VIOLATION" => {
            &["permitted subtree violation", "excluded subtree violation"]
        }
        "POLICY_NOT_SATISFIED" => &["no explicit policy"],
        "KEY_USAGE_NOT_ALLOWED" => &["key usage does not include"],
        "EKU_NOT_ALLOWED" => &[
            "unsuitable certificate purpose",
            "unsupported certificate purpose",
        ],
        "SERVER_NAME_MISMATCH" => &["hostname mismatch", "IP address mismatch"],
        "UNHANDLED_CRITICAL_EXTENSION" => &["unhandled critical extension"],
        "NO_PATH_TO_TRUST_ANCHOR" => &[
            "unable to get local issuer certificate",
            "unable to get issuer certificate",
            "self-signed certificate in certificate chain",
        ],
        "REVOCATION_UNAVAILABLE" => &["unable to get certificate CRL", "CRL has expired"],
        _ => &[],
    }
}

#[test]
fn openssl_agrees_with_expected_verdicts() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(chains_dir())
        .expect("chains/ exists; run `cargo run -p huren-testvectors -- generate`")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases under chains/");

    let mut checked = 0;
    let mut failures = Vec::new();
    for dir in &cases {
        let name = dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
        let expected: Value = serde_json::from_str(&text).expect("valid JSON");
        let Some(should_accept) = expected["opensslShouldAccept"].as_bool() else {
            continue;
        };
        let args = verify_args(dir, &expected);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = openssl(&refs);
        let accepted = out.status.success();
        checked += 1;
        let stderr = String::from_utf8_lossy(&out.stderr);
        if std::env::var_os("HUREN_OPENSSL_VERBOSE").is_some() {
            eprintln!("{name}: {stderr}");
        }
        let code = expected["expected"]["code"].as_str().expect("code");
        let reasons = openssl_reasons(code);
        if !accepted && !should_accept && !reasons.iter().any(|r| stderr.contains(r)) {
            failures.push(format!(
                "{name}: OpenSSL rejected, but not for {code} (expected one of {reasons:?})\n  \
                 openssl {}\n  stderr: {stderr}",
                args.join(" "),
            ));
        }
        if accepted != should_accept {
            failures.push(format!(
                "{name}: expected OpenSSL to {}, but it {}\n  openssl {}\n  stdout: {}  stderr: {stderr}",
                if should_accept { "accept" } else { "reject" },
                if accepted { "accepted" } else { "rejected" },
                args.join(" "),
                String::from_utf8_lossy(&out.stdout),
            ));
        }
    }
    assert!(checked > 0, "no case has a non-null opensslShouldAccept");
    assert!(
        failures.is_empty(),
        "{} of {checked} OpenSSL cross-checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// OpenSSL verifies the generated SM2 signatures when given the standard
/// distinguishing ID, and rejects them with its default (empty) ID, proving
/// that the generator signs with `1234567812345678`.
#[test]
fn openssl_verifies_sm2_signatures_with_standard_distid() {
    let chains = chains_dir();
    let valid = chains.join("sm2-sign-valid");
    let absent = chains.join("sm2-sigalg-params-absent");
    let s = |p: PathBuf| p.to_string_lossy().into_owned();
    let time = unix_time("2026-06-01T00:00:00Z").to_string();
    // (issuer file, subject file, distid, should verify)
    let checks = [
        (
            valid.join("intermediates.pem"),
            valid.join("leaf.pem"),
            true,
        ),
        (
            valid.join("anchors.pem"),
            valid.join("intermediates.pem"),
            true,
        ),
        (
            absent.join("intermediates.pem"),
            absent.join("leaf.pem"),
            true,
        ),
        (
            absent.join("anchors.pem"),
            absent.join("intermediates.pem"),
            true,
        ),
        (
            valid.join("intermediates.pem"),
            chains.join("sm2-empty-distid").join("leaf.pem"),
            false,
        ),
    ];
    for (issuer, subject, ok) in checks {
        let out = openssl(&[
            "verify",
            "-partial_chain",
            "-attime",
            &time,
            "-vfyopt",
            "distid:1234567812345678",
            "-CAfile",
            &s(issuer.clone()),
            &s(subject.clone()),
        ]);
        assert_eq!(
            out.status.success(),
            ok,
            "openssl verify of {} by {}: {}{}",
            subject.display(),
            issuer.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
