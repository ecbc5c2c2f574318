//! The `huren validate` contract: flags, exit codes, JSON fields, clear errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn huren(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_huren"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run huren")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn chain_args(case: &str) -> Vec<String> {
    let dir = format!("testvectors/chains/{case}");
    let mut v = vec![
        "validate".to_string(),
        format!("{dir}/leaf.pem"),
        "--anchor".into(),
        format!("{dir}/anchors.pem"),
    ];
    if root().join(&dir).join("intermediates.pem").exists() {
        v.push("--intermediate".into());
        v.push(format!("{dir}/intermediates.pem"));
    }
    v.push("--time".into());
    v.push("2026-06-01T00:00:00Z".into());
    v
}

fn run_case(case: &str, extra: &[&str]) -> Output {
    let mut a = chain_args(case);
    a.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    huren(&refs)
}

#[test]
fn demo_chain_is_valid_and_json_has_the_contract_fields() {
    let out = huren(&[
        "validate",
        "testvectors/demo/leaf.pem",
        "--intermediate",
        "testvectors/demo/intermediates.pem",
        "--anchor",
        "testvectors/demo/anchor.pem",
        "--key-usage",
        "digitalSignature",
        "--time",
        "2026-06-01T00:00:00Z",
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(v["status"], "VALID");
    assert_eq!(v["code"], "OK");
    assert_eq!(v["path"].as_array().unwrap().len(), 3);
    assert_eq!(v["path"][2]["source"], "anchor");
    assert!(
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "SIGNATURE" && c["result"] == "passed")
    );
}

#[test]
fn exit_codes_follow_the_status() {
    assert_eq!(
        run_case("sm2-expired", &["--key-usage", "digitalSignature"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(run_case("sm2-no-path", &[]).status.code(), Some(2));
    let out = run_case(
        "sm2-encrypt-asked-for-signing",
        &["--key-usage", "digitalSignature", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], "KEY_USAGE_NOT_ALLOWED");
}

#[test]
fn crls_and_revocation_policy() {
    let dir = "testvectors/chains/sm2-revoked";
    let mut a = chain_args("sm2-revoked");
    a.extend([
        "--crl".into(),
        format!("{dir}/crls.pem"),
        "--revocation".into(),
        "require".into(),
        "--format".into(),
        "json".into(),
    ]);
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let out = huren(&refs);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], "CERT_REVOKED");
    assert_eq!(
        run_case("sm2-crl-missing", &["--revocation", "require"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn server_names_and_policies() {
    assert_eq!(
        run_case(
            "rsa-server-valid",
            &["--dns-name", "www.example.test", "--eku", "serverAuth"]
        )
        .status
        .code(),
        Some(0)
    );
    assert_eq!(
        run_case("rsa-server-valid", &["--dns-name", "other.example.test"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run_case(
            "sm2-wrong-policy",
            &[
                "--policy",
                "1.2.156.999001.1.1",
                "--require-explicit-policy"
            ]
        )
        .status
        .code(),
        Some(1)
    );
}

#[test]
fn bad_usage_and_unreadable_input_exit_64_with_a_clear_message() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "validate",
                "no-such.pem",
                "--anchor",
                "testvectors/demo/anchor.pem",
            ],
            "no-such.pem",
        ),
        (&["validate", "testvectors/demo/leaf.pem"], "--anchor"),
        (
            &[
                "validate",
                "testvectors/demo/leaf.pem",
                "--anchor",
                "README.md",
            ],
            "README.md",
        ),
        (
            &[
                "validate",
                "testvectors/demo/leaf.pem",
                "--anchor",
                "testvectors/demo/anchor.pem",
                "--time",
                "yesterday",
            ],
            "--time",
        ),
        (
            &[
                "validate",
                "testvectors/demo/leaf.pem",
                "--anchor",
                "testvectors/demo/anchor.pem",
                "--eku",
                "x.y",
            ],
            "--eku",
        ),
        (
            &[
                "validate",
                "testvectors/demo/leaf.pem",
                "--anchor",
                "testvectors/demo/anchor.pem",
                "--dns-name",
                "a",
                "--ip",
                "1.2.3.4",
            ],
            "--ip",
        ),
        (
            &[
                "validate",
                "testvectors/demo/leaf.pem",
                "--anchor",
                "testvectors/demo/anchor.pem",
                "--format",
                "xml",
            ],
            "xml",
        ),
        (&["frobnicate"], "frobnicate"),
    ];
    for (args, mention) in cases {
        let out = huren(args);
        assert_eq!(out.status.code(), Some(64), "{args:?}");
        assert!(
            out.stdout.is_empty(),
            "{args:?}: nothing on stdout, never a partial JSON"
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(mention), "{args:?}: {err}");
    }
}

#[test]
fn malformed_certificate_file_is_named() {
    let dir = std::env::temp_dir().join(format!("huren-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.der");
    std::fs::write(&bad, [0x30, 0x03, 0x02, 0x01, 0x00]).unwrap();
    let out = huren(&[
        "validate",
        bad.to_str().unwrap(),
        "--anchor",
        "testvectors/demo/anchor.pem",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(64));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.der"));
    let key = dir.join("key.pem");
    std::fs::write(
        &key,
        "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let out = huren(&[
        "validate",
        key.to_str().unwrap(),
        "--anchor",
        "testvectors/demo/anchor.pem",
    ]);
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("private key"));
}
