//! The `huren interop check` contract: flags, exit codes (0 every chain passes, 1 one does
//! not, 64 bad usage or unreadable input), every deviation with its rule and what to change,
//! text, JSON and self-contained HTML — on the foreign CAs' vectors of `testvectors/interop/`,
//! whose expected reports are in `testvectors/interop-reports/`.
#![allow(clippy::disallowed_methods)] // tests read and write files

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn huren(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_huren"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run huren")
}

#[track_caller]
fn expect(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

const LIST: [&str; 4] = [
    "--trust-list",
    "testvectors/trustlists/miit-demo.xml",
    "--signer",
    "testvectors/trustlists/miit-demo-signer.pem",
];
const TIME: [&str; 2] = ["--time", "2026-06-01T00:00:00Z"];

fn json_check(extra: &[&str]) -> (Output, Value) {
    let mut args = vec!["interop", "check"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&LIST);
    args.extend_from_slice(&TIME);
    args.extend_from_slice(&["--format", "json"]);
    let o = huren(&args);
    let v = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o, v)
}

#[test]
fn every_deviation_is_reported_with_its_rule_and_what_to_change() {
    let (o, v) = json_check(&[
        "testvectors/interop/foreign-several-deviations.pem",
        "--approval",
        "MIIT-FA-2025-012",
        "--key-usage",
        "digitalSignature",
        "--eku",
        "serverAuth",
    ]);
    expect(&o, 1);
    assert_eq!(v["passed"], false);
    let c = &v["chains"][0];
    assert_eq!(c["name"], "foreign-several-deviations.pem");
    assert_eq!(c["status"], "INVALID");
    assert_eq!(c["code"], "OUTSIDE_APPROVED_SCOPE");
    let devs = c["deviations"].as_array().unwrap();
    let messages: Vec<&str> = devs
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    // The three respects in which the chain leaves the approval, each reported.
    for want in [
        "policy 1.3.6.1.4.1.99999.70.2",
        "1.3.6.1.5.5.7.3.1",
        "P-384",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(want)),
            "{want} not in {messages:#?}"
        );
    }
    assert!(devs.len() >= 3, "{devs:#?}");
    for d in devs {
        assert_eq!(d["severity"], "error");
        assert_eq!(d["code"], "OUTSIDE_APPROVED_SCOPE");
        assert!(d["rule"].as_str().unwrap().contains("Art. 4"), "{d}");
        assert!(!d["fix"].as_str().unwrap().is_empty());
    }
    // The validation report itself is there too.
    assert_eq!(c["report"]["anchor"]["approval"], "MIIT-FA-2025-012");
    assert_eq!(c["report"]["path"].as_array().unwrap().len(), 3);
}

#[test]
fn a_chain_inside_its_approval_passes_and_another_approval_is_a_deviation() {
    let chain = "testvectors/interop/foreign-approved-valid.pem";
    let usage = ["--key-usage", "digitalSignature", "--eku", "clientAuth"];
    let mut args = vec![chain, "--approval", "MIIT-FA-2025-012"];
    args.extend_from_slice(&usage);
    let (o, v) = json_check(&args);
    expect(&o, 0);
    assert_eq!(v["passed"], true);
    assert_eq!(v["chains"][0]["deviations"], serde_json::json!([]));

    let mut args = vec![chain, "--approval", "MIIT-FA-2099-001"];
    args.extend_from_slice(&usage);
    let (o, v) = json_check(&args);
    expect(&o, 1);
    let d = &v["chains"][0]["deviations"][0];
    assert_eq!(d["check"], "ANCHOR.APPROVAL");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("MIIT-FA-2025-012, not on MIIT-FA-2099-001"),
        "{d}"
    );
}

/// Every vector of `testvectors/interop/` gives the verdict its case expects.
#[test]
fn the_interop_vectors_give_their_expected_verdicts() {
    let chains = root().join("testvectors/trustlists/chains");
    let mut seen = 0;
    for e in std::fs::read_dir(&chains).unwrap() {
        let dir = e.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("foreign-") {
            continue;
        }
        let exp: Value =
            serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap();
        let chain = format!("testvectors/interop/{name}.pem");
        let mut args: Vec<String> = vec!["interop".into(), "check".into(), chain];
        args.extend(LIST.iter().map(|s| s.to_string()));
        args.extend(["--time".into(), exp["time"].as_str().unwrap().to_string()]);
        for k in exp["keyUsage"].as_array().unwrap() {
            args.extend(["--key-usage".into(), k.as_str().unwrap().to_string()]);
        }
        for k in exp["eku"].as_array().unwrap() {
            args.extend(["--eku".into(), k.as_str().unwrap().to_string()]);
        }
        if let Some(f) = exp["foreignScheme"].as_str() {
            args.extend([
                "--foreign-list".into(),
                format!("testvectors/trustlists/{f}"),
            ]);
        }
        // The expected report, as a CA's engineer reads it: testvectors/interop-reports/,
        // rewritten with HUREN_BLESS=1 when the report changes on purpose.
        let mut text_args: Vec<&str> = args.iter().map(String::as_str).collect();
        text_args.extend(["--format", "text"]);
        let text = huren(&text_args);
        let want_path = root().join(format!("testvectors/interop-reports/{name}.txt"));
        if std::env::var_os("HUREN_BLESS").is_some() {
            std::fs::create_dir_all(want_path.parent().unwrap()).unwrap();
            std::fs::write(&want_path, &text.stdout).unwrap();
        }
        let want = std::fs::read_to_string(&want_path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (write it with HUREN_BLESS=1 cargo test -p huren --test interop_cli)",
                want_path.display()
            )
        });
        assert_eq!(
            String::from_utf8_lossy(&text.stdout),
            want,
            "{name}: the report differs from {}",
            want_path.display()
        );
        args.extend(["--format".into(), "json".into()]);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = huren(&refs);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        let valid = exp["expected"]["status"] == "VALID";
        expect(&o, if valid { 0 } else { 1 });
        let c = &v["chains"][0];
        assert_eq!(c["code"], exp["expected"]["code"], "{name}");
        assert_eq!(c["passed"], valid, "{name}");
        if !valid {
            let devs = c["deviations"].as_array().unwrap();
            assert!(
                devs.iter()
                    .any(|d| d["severity"] == "error" && d["code"] == exp["expected"]["code"]),
                "{name}: {devs:#?}"
            );
        }
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} foreign vectors");
}

#[test]
fn several_chains_html_in_both_languages_and_output_files() {
    let dir = std::env::temp_dir().join(format!("huren-interop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (lang, html_lang, label) in [("en", "en", "Deviations"), ("zh", "zh-CN", "偏差")] {
        let out = dir.join(format!("report-{lang}.html"));
        let mut args = vec![
            "interop",
            "check",
            "testvectors/interop/foreign-approved-valid.pem",
            "testvectors/interop/foreign-outside-policy.pem",
            "--key-usage",
            "digitalSignature",
            "--format",
            "html",
            "--lang",
            lang,
            "-o",
        ];
        let out_s = out.to_string_lossy().into_owned();
        args.push(&out_s);
        args.extend_from_slice(&LIST);
        args.extend_from_slice(&TIME);
        let o = huren(&args);
        expect(&o, 1);
        assert!(o.stdout.is_empty(), "the report went to the file");
        let html = std::fs::read_to_string(&out).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(
            html.contains(&format!("<html lang=\"{html_lang}\">")),
            "{html}"
        );
        assert!(html.contains(label));
        // One self-contained file: no scripts, no external assets.
        assert!(!html.contains("<script"));
        assert!(!html.contains("src=") && !html.contains("<link"), "{html}");
        // Both chains, one passing and one not.
        assert!(html.contains("foreign-approved-valid.pem"));
        assert!(html.contains("foreign-outside-policy.pem"));
        assert!(html.contains("OUTSIDE_APPROVED_SCOPE"));
        assert!(html.contains("<th scope=\"col\">"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_usage_and_unreadable_input_exit_64() {
    // No trust list and no anchor.
    let o = huren(&[
        "interop",
        "check",
        "testvectors/interop/foreign-approved-valid.pem",
    ]);
    expect(&o, 64);
    // A chain file that does not exist.
    let mut args = vec!["interop", "check", "testvectors/interop/no-such-chain.pem"];
    args.extend_from_slice(&LIST);
    let o = huren(&args);
    expect(&o, 64);
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-chain.pem"));
    // A file that is not a certificate.
    let mut args = vec!["interop", "check", "testvectors/trustlists/miit-demo.toml"];
    args.extend_from_slice(&LIST);
    expect(&huren(&args), 64);
    // A bad time.
    let mut args = vec![
        "interop",
        "check",
        "testvectors/interop/foreign-approved-valid.pem",
        "--time",
        "yesterday",
    ];
    args.extend_from_slice(&LIST);
    expect(&huren(&args), 64);
}
