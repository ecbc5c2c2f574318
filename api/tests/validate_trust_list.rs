//! `huren validate --trust-list LIST --signer CERT [--foreign-list LIST]` on every chain of
//! `testvectors/trustlists/chains/`: the CLI gives each chain the status, code, warnings,
//! exit code and anchor facts its `expected.json` states, and refuses lists it cannot trust.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn tl_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/trustlists")
}

fn run(args: &[String]) -> (i32, Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_huren"))
        .args(args)
        .output()
        .expect("run huren");
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn every_trust_list_chain_gives_its_expected_result() {
    let dir = tl_dir();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir.join("chains"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "{} cases", cases.len());
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let e: Value =
            serde_json::from_slice(&std::fs::read(case.join("expected.json")).unwrap()).unwrap();
        let mut args = vec![
            "validate".to_string(),
            s(&case.join("leaf.pem")),
            "--trust-list".into(),
            s(&dir.join(e["trustList"].as_str().unwrap())),
            "--signer".into(),
            s(&dir.join(e["signer"].as_str().unwrap())),
            "--time".into(),
            e["time"].as_str().unwrap().into(),
            "--format".into(),
            "json".into(),
        ];
        if case.join("intermediates.pem").exists() {
            args.extend(["--intermediate".into(), s(&case.join("intermediates.pem"))]);
        }
        if let Some(f) = e["foreignScheme"].as_str() {
            args.extend(["--foreign-list".into(), s(&dir.join(f))]);
        }
        for k in e["keyUsage"].as_array().unwrap() {
            args.extend(["--key-usage".into(), k.as_str().unwrap().into()]);
        }
        for k in e["eku"].as_array().unwrap() {
            args.extend(["--eku".into(), k.as_str().unwrap().into()]);
        }
        for p in e["policies"].as_array().unwrap() {
            args.extend(["--policy".into(), p.as_str().unwrap().into()]);
        }
        let (code, out, err) = run(&args);
        let want = &e["expected"];
        assert_eq!(out["status"], want["status"], "{name}: {out:#}{err}");
        assert_eq!(out["code"], want["code"], "{name}: {out:#}");
        let exit = match want["status"].as_str().unwrap() {
            "VALID" => 0,
            "INVALID" => 1,
            _ => 2,
        };
        assert_eq!(code, exit, "{name}: exit code");
        let warnings: Vec<&str> = out["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["code"].as_str().unwrap())
            .collect();
        let want_warnings: Vec<&str> = want["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap())
            .collect();
        assert_eq!(warnings, want_warnings, "{name}: warnings");
        match &e["anchor"] {
            Value::Null => assert!(out["anchor"].is_null(), "{name}: no anchor expected"),
            a => {
                let got = &out["anchor"];
                assert_eq!(got["kind"], a["kind"], "{name}: anchor kind");
                assert_eq!(got["territory"], a["territory"], "{name}: territory");
                assert_eq!(
                    got["statusAtValidationTime"], a["statusAtValidationTime"],
                    "{name}"
                );
                assert_eq!(got["statusAtIssuance"], a["statusAtIssuance"], "{name}");
                let reference = got["licence"].as_str().or(got["approval"].as_str());
                assert_eq!(reference, a["reference"].as_str(), "{name}: reference");
            }
        }
        // The answer names the list it rests on.
        assert_eq!(
            out["trustSnapshot"]["lists"][0]["territory"], "CN",
            "{name}"
        );
        assert!(
            out["trustSnapshot"]["id"]
                .as_str()
                .unwrap()
                .starts_with("sha256:")
        );
    }
}

#[test]
fn an_untrusted_or_missing_list_is_refused() {
    let dir = tl_dir();
    let leaf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/demo/leaf.pem");
    let base = |list: &Path, signer: &Path| {
        vec![
            "validate".to_string(),
            s(&leaf),
            "--trust-list".into(),
            s(list),
            "--signer".into(),
            s(signer),
            "--format".into(),
            "json".into(),
        ]
    };
    // A list signed by someone else than the pinned signer: exit 64, nothing on stdout.
    let out = Command::new(env!("CARGO_BIN_EXE_huren"))
        .args(base(
            &dir.join("miit-demo.xml"),
            &dir.join("foreign-scheme-signer.pem"),
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(64));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not pinned"));
    // An altered copy.
    let scratch = common::scratch("validate-tl");
    let text = std::fs::read_to_string(dir.join("miit-demo.xml")).unwrap();
    let altered = text.replacen("ECS-2026-001", "ECS-2026-999", 1);
    assert_ne!(altered, text);
    std::fs::write(scratch.join("altered.xml"), altered).unwrap();
    let (code, _, err) = run(&base(
        &scratch.join("altered.xml"),
        &dir.join("miit-demo-signer.pem"),
    ));
    assert_eq!(code, 64, "{err}");
    assert!(err.contains("altered"), "{err}");
    // --trust-list without --signer is a usage error.
    let (code, _, _) = run(&[
        "validate".into(),
        s(&leaf),
        "--trust-list".into(),
        s(&dir.join("miit-demo.xml")),
    ]);
    assert_eq!(code, 64);
    // Past the list's NextUpdate (2030-12-31T23:59:59Z): INDETERMINATE TRUST_LIST_EXPIRED.
    let mut args = base(
        &dir.join("miit-demo.xml"),
        &dir.join("miit-demo-signer.pem"),
    );
    args.extend(["--time".into(), "2031-01-02T00:00:00Z".into()]);
    let (code, out, _) = run(&args);
    assert_eq!(code, 2);
    assert_eq!(out["status"], "INDETERMINATE");
    assert_eq!(out["code"], "TRUST_LIST_EXPIRED");
}
