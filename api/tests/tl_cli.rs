//! The `huren tl` contract: flags, exit codes (0 valid, 1 invalid with the reason, 64 bad
//! usage or unreadable input), file names, JSON fields — on lists built here from TOML
//! sources with keys made at test time, and on the genuine EU lists.
#![allow(clippy::disallowed_methods)] // tests read and write files

mod common;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, KeyPair, KeyUsagePurpose,
    date_time_ymd,
};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

// ---------------------------------------------------------------------------------------
// Helpers.

fn huren(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_huren"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run huren")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn expect(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(o),
        stderr(o)
    );
}

/// `--format json`.
const JSON: [&str; 2] = ["--format", "json"];

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("not JSON: {}\n{}", stdout(o), stderr(o)))
}

fn sha256_hex(bytes: &[u8]) -> String {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn params(cn: &str, ca: bool) -> CertificateParams {
    let mut p = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "CN");
    dn.push(DnType::CommonName, cn);
    p.distinguished_name = dn;
    if ca {
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    }
    p.not_before = date_time_ymd(2024, 1, 1);
    p.not_after = date_time_ymd(2040, 1, 1);
    p
}

fn pem(label: &str, der: &[u8]) -> String {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der).unwrap()
}

/// Writes `NAME.key` (PKCS#8 PEM) and `NAME.pem` (certificate) into `dir`; returns the
/// certificate's DER.
fn key_and_cert(dir: &Path, name: &str, cn: &str, ca: bool) -> Vec<u8> {
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let cert = params(cn, ca).self_signed(&key).unwrap();
    std::fs::write(
        dir.join(format!("{name}.key")),
        pem("PRIVATE KEY", &key.serialize_der()),
    )
    .unwrap();
    std::fs::write(
        dir.join(format!("{name}.pem")),
        pem("CERTIFICATE", cert.der()),
    )
    .unwrap();
    cert.der().to_vec()
}

/// A scratch directory with a list signer, a second signer, two CA certificates and two
/// sources: `v1.toml` (sequence 1: Alpha licensed and granted) and `v2.toml` (sequence 2:
/// Alpha suspended, Gamma approved).
struct Fixture {
    dir: PathBuf,
    signer: Vec<u8>,
    alpha: Vec<u8>,
}

const ALPHA_NAME: &str = "Alpha <script>alert(1)</script> CA";

fn source(seq: u32, issued: &str, next: &str, alpha_status: &str, foreign: bool) -> String {
    let mut s = format!(
        r#"
[scheme]
operator = {{ zh = "中华人民共和国工业和信息化部", en = "Ministry of Industry and Information Technology" }}
name = {{ zh = "电子认证服务机构可信列表", en = "CN: trust list of licensed and approved CAs" }}
sequence = {seq}
issued = "{issued}"
next_update = "{next}"

[[domestic]]
name = {{ zh = "甲认证中心", en = "{ALPHA_NAME}" }}
certificates = ["certs/alpha.pem"]
policy_oids = ["1.2.156.112559.1.1.1"]
cps_url = "https://alpha.example/cps.pdf"
licence = {{ number = "ECP-2024-001", issuing_authority = "工业和信息化部", issued = "2024-03-01T00:00:00Z" }}
[[domestic.status]]
status = "granted"
from = "2024-03-01T00:00:00Z"
{alpha_status}
"#
    );
    if foreign {
        s.push_str(
            r#"
[[foreign]]
name = { en = "Gamma Trust Services" }
jurisdiction = "HK"
certificates = ["certs/gamma.der"]
approval = { decision = "MIIT-2026-3", decided = "2026-09-20T00:00:00Z", basis = "reciprocity", valid_from = "2026-09-20T00:00:00Z", valid_until = "2029-09-20T00:00:00Z", policy_oids = ["1.3.6.1.4.1.99999.1"], algorithms = [{ family = "ec-p256", min_bits = 256 }], key_usages = ["digitalSignature"], ekus = ["emailProtection"] }
[[foreign.status]]
status = "granted"
from = "2026-09-20T00:00:00Z"
"#,
        );
    }
    s
}

fn fixture(name: &str) -> Fixture {
    let dir = common::scratch(&format!("tl-{name}"));
    let signer = key_and_cert(&dir, "signer", "MIIT trust list signer", false);
    key_and_cert(&dir, "other", "Someone else", false);
    std::fs::create_dir_all(dir.join("src/certs")).unwrap();
    let alpha = key_and_cert(&dir.join("src/certs"), "alpha", "Alpha Root CA", true);
    let gamma_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let gamma = params("Gamma Root", true).self_signed(&gamma_key).unwrap();
    std::fs::write(dir.join("src/certs/gamma.der"), gamma.der()).unwrap();
    std::fs::write(
        dir.join("src/v1.toml"),
        source(1, "2026-09-01T00:00:00Z", "2027-03-01T00:00:00Z", "", false),
    )
    .unwrap();
    std::fs::write(
        dir.join("src/v2.toml"),
        source(
            2,
            "2026-10-01T00:00:00Z",
            "2027-04-01T00:00:00Z",
            "[[domestic.status]]\nstatus = \"suspended\"\nfrom = \"2026-09-15T00:00:00Z\"\n",
            true,
        ),
    )
    .unwrap();
    Fixture { dir, signer, alpha }
}

impl Fixture {
    fn run(&self, args: &[&str]) -> Output {
        huren(&self.dir, args)
    }

    /// `tl build SOURCE --key KEY --cert CERT -o OUT EXTRA…`.
    fn build_with(&self, source: &str, key: &str, cert: &str, out: &str, extra: &[&str]) -> Output {
        let mut a = vec![
            "tl", "build", source, "--key", key, "--cert", cert, "-o", out,
        ];
        a.extend_from_slice(extra);
        self.run(&a)
    }

    /// `tl build SOURCE -o OUT` with the fixture's signer, at 2026-10-01.
    fn build(&self, source: &str, out: &str, extra: &[&str]) -> Output {
        let mut a = vec!["--time", "2026-10-01T00:00:00Z"];
        a.extend_from_slice(extra);
        self.build_with(source, "signer.key", "signer.pem", out, &a)
    }

    /// `tl verify LIST --signer SIGNERS… --time TIME EXTRA…`.
    fn verify(&self, list: &str, signers: &[&str], time: &str, extra: &[&str]) -> Output {
        let mut a = vec!["tl", "verify", list, "--signer"];
        a.extend_from_slice(signers);
        a.extend(["--time", time]);
        a.extend_from_slice(extra);
        self.run(&a)
    }

    /// `tl render v2.xml -o OUT EXTRA… --time 2026-10-02T00:00:00Z`.
    fn render(&self, out: &str, extra: &[&str]) -> Output {
        let mut a = vec!["tl", "render", "v2.xml", "-o", out];
        a.extend_from_slice(extra);
        a.extend(["--time", "2026-10-02T00:00:00Z"]);
        self.run(&a)
    }

    fn built(&self) {
        expect(&self.build("src/v1.toml", "v1.xml", &[]), 0);
        expect(
            &self.build("src/v2.toml", "v2.xml", &["--previous", "v1.xml"]),
            0,
        );
    }
}

// ---------------------------------------------------------------------------------------
// build + verify.

#[test]
fn build_writes_a_signed_list_and_its_sha2_that_verifies() {
    let f = fixture("build");
    let out = f.build("src/v1.toml", "v1.xml", &[]);
    expect(&out, 0);
    let summary = stdout(&out);
    let xml = std::fs::read(f.dir.join("v1.xml")).unwrap();
    let digest = sha256_hex(&xml);
    assert!(summary.contains("sequence 1"), "{summary}");
    assert!(summary.contains("1 CA service"), "{summary}");
    assert!(summary.contains(&digest), "{summary}");
    // .sha2: the hex digest alone, as the EU publishes it (DSS decodes the whole file).
    let sha2 = std::fs::read_to_string(f.dir.join("v1.xml.sha2")).unwrap();
    assert_eq!(sha2, digest);
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(&f.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains(".tmp-")), "{names:?}");

    let out = f.verify("v1.xml", &["signer.pem"], "2026-09-02T00:00:00Z", &JSON);
    expect(&out, 0);
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["reason"], Value::Null);
    assert_eq!(v["territory"], "CN");
    assert_eq!(v["sequence"], 1);
    assert_eq!(v["version"], 6);
    assert_eq!(v["issued"], "2026-09-01T00:00:00Z");
    assert_eq!(v["nextUpdate"], "2027-03-01T00:00:00Z");
    assert_eq!(v["closed"], false);
    assert_eq!(v["signer"]["sha256"], sha256_hex(&f.signer));
    assert!(
        v["signer"]["subject"]
            .as_str()
            .unwrap()
            .contains("MIIT trust list signer")
    );
    assert_eq!(
        v["signatureAlgorithm"],
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
    );
    assert_eq!(v["sha256"], digest);
    assert_eq!(v["via"], Value::Null);
    assert_eq!(v["pivots"], serde_json::json!([]));
    assert_eq!(v["providers"], 1);
    assert_eq!(v["services"], 1);

    // Text form, and the signer given as DER.
    let der_path = f.dir.join("signer.der");
    std::fs::write(&der_path, &f.signer).unwrap();
    let out = f.verify("v1.xml", &["signer.der"], "2026-09-02T00:00:00Z", &[]);
    expect(&out, 0);
    assert!(stdout(&out).starts_with("VALID\n"), "{}", stdout(&out));
    assert!(stdout(&out).contains("CN sequence 1"));
}

#[test]
fn verify_refuses_a_wrong_signer_an_altered_file_and_an_expired_list() {
    let f = fixture("verify");
    f.built();
    // A signer that is not pinned: exit 1, the reason names it by SHA-256.
    let out = f.verify("v1.xml", &["other.pem"], "2026-09-02T00:00:00Z", &JSON);
    expect(&out, 1);
    let v = json(&out);
    assert_eq!(v["valid"], false);
    let reason = v["reason"].as_str().unwrap();
    assert!(reason.contains("not pinned"), "{reason}");
    assert!(reason.contains(&sha256_hex(&f.signer)), "{reason}");
    assert_eq!(v["sequence"], Value::Null);

    // Several signer files after one --signer, the right one among them.
    let out = f.verify(
        "v1.xml",
        &["other.pem", "signer.pem"],
        "2026-09-02T00:00:00Z",
        &[],
    );
    expect(&out, 0);

    // An altered file.
    let xml = std::fs::read_to_string(f.dir.join("v1.xml")).unwrap();
    assert!(xml.contains("ECP-2024-001"));
    std::fs::write(
        f.dir.join("altered.xml"),
        xml.replace("ECP-2024-001", "ECP-2024-666"),
    )
    .unwrap();
    let out = f.verify("altered.xml", &["signer.pem"], "2026-09-02T00:00:00Z", &[]);
    expect(&out, 1);
    let text = stdout(&out);
    assert!(text.starts_with("INVALID: signature refused"), "{text}");

    // Not a trust list at all: invalid, not a usage error.
    std::fs::write(f.dir.join("junk.xml"), "<a/>").unwrap();
    let out = f.run(&["tl", "verify", "junk.xml", "--signer", "signer.pem"]);
    expect(&out, 1);

    // Past NextUpdate: expired.
    let out = f.verify("v1.xml", &["signer.pem"], "2027-04-01T00:00:00Z", &JSON);
    expect(&out, 1);
    let v = json(&out);
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .contains("expired since 2027-03-01T00:00:00Z"),
        "{v}"
    );
    assert_eq!(v["sequence"], 1, "an expired list still reports its facts");

    // Before it was issued.
    let out = f.verify("v1.xml", &["signer.pem"], "2026-08-01T00:00:00Z", &[]);
    expect(&out, 1);
}

#[test]
fn build_refuses_a_sequence_that_does_not_increase_and_leaves_no_file() {
    let f = fixture("previous");
    f.built();
    // v1 again after v1 (equal), and after v2 (higher): exit 1, nothing written.
    for prev in ["v1.xml", "v2.xml"] {
        let out = f.build("src/v1.toml", "again.xml", &["--previous", prev]);
        expect(&out, 1);
        assert!(
            stderr(&out).contains("not greater than"),
            "{}",
            stderr(&out)
        );
        assert!(!f.dir.join("again.xml").exists());
        assert!(!f.dir.join("again.xml.sha2").exists());
    }
    // An unreadable previous list is a usage error.
    expect(
        &f.build("src/v2.toml", "x.xml", &["--previous", "missing.xml"]),
        64,
    );
}

#[test]
fn build_refuses_invalid_sources_and_mismatched_keys() {
    let f = fixture("bad-source");
    // Issue time after NextUpdate: semantically invalid.
    std::fs::write(
        f.dir.join("src/late.toml"),
        source(3, "2027-05-01T00:00:00Z", "2027-04-01T00:00:00Z", "", false),
    )
    .unwrap();
    let out = f.build("src/late.toml", "late.xml", &[]);
    expect(&out, 1);
    assert!(stderr(&out).contains("next_update"), "{}", stderr(&out));
    assert!(!f.dir.join("late.xml").exists());
    // Not TOML at all: 64.
    std::fs::write(f.dir.join("src/broken.toml"), "[scheme\nsequence = ").unwrap();
    let out = f.build("src/broken.toml", "b.xml", &[]);
    expect(&out, 64);
    assert!(stderr(&out).contains("not TOML"), "{}", stderr(&out));
    // A certificate file the source names is missing: 64.
    let v1 = std::fs::read_to_string(f.dir.join("src/v1.toml")).unwrap();
    std::fs::write(
        f.dir.join("src/missing-cert.toml"),
        v1.replace("certs/alpha.pem", "certs/nope.pem"),
    )
    .unwrap();
    let out = f.build("src/missing-cert.toml", "m.xml", &[]);
    expect(&out, 64);
    assert!(stderr(&out).contains("nope.pem"), "{}", stderr(&out));
    // The key of another certificate: 1.
    let out = f.build_with("src/v1.toml", "other.key", "signer.pem", "k.xml", &[]);
    expect(&out, 1);
    assert!(stderr(&out).contains("does not belong"), "{}", stderr(&out));
    // A certificate given as the key: 64.
    let out = f.build_with("src/v1.toml", "signer.pem", "signer.pem", "k.xml", &[]);
    expect(&out, 64);
    assert!(!f.dir.join("k.xml").exists());
}

/// Runs `openssl GENKEY…` (which writes `NAME.key`), checks that the key is the PEM `LABEL`
/// OpenSSL writes, and writes `NAME.pem`: a certificate with fixed dates for the same key,
/// named `CN=cn` (rcgen takes the key as PKCS#8 DER, converted into `NAME.p8`).
fn openssl_signer(f: &Fixture, name: &str, genkey: &[&str], label: &str, cn: &str) {
    let (key_file, p8_file) = (format!("{name}.key"), format!("{name}.p8"));
    common::openssl(&f.dir, genkey);
    let key = std::fs::read_to_string(f.dir.join(&key_file)).unwrap();
    assert!(key.contains(&format!("BEGIN {label}")), "{key}");
    common::openssl(
        &f.dir,
        &[
            "pkcs8", "-topk8", "-nocrypt", "-in", &key_file, "-outform", "DER", "-out", &p8_file,
        ],
    );
    let p8 = std::fs::read(f.dir.join(&p8_file)).unwrap();
    let kp = KeyPair::try_from(p8.as_slice()).unwrap();
    let cert = params(cn, false).self_signed(&kp).unwrap();
    std::fs::write(
        f.dir.join(format!("{name}.pem")),
        pem("CERTIFICATE", cert.der()),
    )
    .unwrap();
}

/// Builds `OUT` from `src/v1.toml` with `NAME.key` and `NAME.pem` at 2026-09-01 and verifies
/// it against `NAME.pem` a day later: both succeed. Returns the verification's JSON.
fn build_and_verify_with(f: &Fixture, name: &str, out: &str) -> Value {
    let (key, cert) = (format!("{name}.key"), format!("{name}.pem"));
    let built = f.build_with(
        "src/v1.toml",
        &key,
        &cert,
        out,
        &["--time", "2026-09-01T00:00:00Z"],
    );
    expect(&built, 0);
    let verified = f.verify(out, &[&cert], "2026-09-02T00:00:00Z", &JSON);
    expect(&verified, 0);
    json(&verified)
}

#[test]
fn build_takes_an_openssl_sec1_key_with_parameters() {
    let f = fixture("sec1");
    openssl_signer(
        &f,
        "sec1",
        &[
            "ecparam",
            "-genkey",
            "-name",
            "prime256v1",
            "-out",
            "sec1.key",
        ],
        "EC PRIVATE KEY",
        "SEC1 signer",
    );
    // Signed outside the certificate's validity: refused.
    let out = f.build_with(
        "src/v1.toml",
        "sec1.key",
        "sec1.pem",
        "s.xml",
        &["--time", "2041-01-01T00:00:00Z"],
    );
    expect(&out, 1);
    assert!(
        stderr(&out).contains("not at the signing time"),
        "{}",
        stderr(&out)
    );
    let v = build_and_verify_with(&f, "sec1", "s.xml");
    assert_eq!(
        v["signatureAlgorithm"],
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
    );
}

#[test]
fn build_takes_an_openssl_pkcs1_rsa_key() {
    let f = fixture("pkcs1");
    openssl_signer(
        &f,
        "rsa",
        &["genrsa", "-traditional", "-out", "rsa.key", "2048"],
        "RSA PRIVATE KEY",
        "RSA signer",
    );
    let v = build_and_verify_with(&f, "rsa", "r.xml");
    assert_eq!(
        v["signatureAlgorithm"],
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    );
}

#[test]
fn unreadable_input_and_bad_usage_exit_64() {
    let f = fixture("usage");
    f.built();
    let cases = [
        "tl verify missing.xml --signer signer.pem",
        "tl verify v1.xml --signer missing.pem",
        "tl verify v1.xml --signer src/v1.toml",
        "tl verify v1.xml",
        "tl verify v1.xml --signer signer.pem --time yesterday",
        "tl verify v1.xml --signer signer.pem --format yaml",
        "tl verify v1.xml --signer signer.pem --via missing.xml",
        "tl verify v1.xml --signer signer.pem --pivot missing.xml",
        "tl frobnicate",
        "tl",
        "tl show missing.xml",
        "tl show src/v1.toml",
        "tl diff v1.xml",
        "tl diff v1.xml missing.xml",
        "tl render v1.xml",
        "tl render missing.xml -o site",
        "tl render v1.xml -o site --lang fr",
        "tl build src/v1.toml --key signer.key -o x.xml",
        "tl build src/missing.toml --key signer.key --cert signer.pem -o x.xml",
        "tl build src/v1.toml --key missing.key --cert signer.pem -o x.xml",
    ];
    for case in cases {
        let args: Vec<&str> = case.split(' ').collect();
        let out = f.run(&args);
        assert_eq!(
            out.status.code(),
            Some(64),
            "{args:?}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        assert!(!stderr(&out).trim().is_empty(), "{args:?}: no message");
    }
    // One clear line naming the file.
    let out = f.run(&["tl", "show", "missing.xml"]);
    let err = stderr(&out);
    assert!(
        err.starts_with("huren tl show: cannot read list file missing.xml"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

// ---------------------------------------------------------------------------------------
// show, diff, render.

#[test]
fn show_summarises_without_checking_the_signature() {
    let f = fixture("show");
    f.built();
    let out = f.run(&["tl", "show", "v2.xml"]);
    expect(&out, 0);
    let t = stdout(&out);
    for want in [
        "(signature not checked; use tl verify)",
        "territory: CN   sequence: 2",
        "next update: 2027-04-01T00:00:00Z",
        "suspended since 2026-09-15T00:00:00Z",
        "licence ECP-2024-001 by 工业和信息化部, 2024-03-01 to 2029-03-01",
        "approval MIIT-2026-3",
        "key usages: digitalSignature",
        "filed policies: 1.2.156.112559.1.1.1",
        "CPS: https://alpha.example/cps.pdf",
    ] {
        assert!(t.contains(want), "{want:?} in\n{t}");
    }
    let v = json(&f.run(&["tl", "show", "v2.xml", "--format", "json"]));
    assert_eq!(v["signatureChecked"], false);
    assert_eq!(v["sequence"], 2);
    assert_eq!(v["closed"], false);
    let alpha = &v["providers"][0]["services"][0];
    assert_eq!(alpha["status"], "suspended");
    assert_eq!(alpha["licence"]["number"], "ECP-2024-001");
    assert_eq!(alpha["licence"]["expires"], "2029-03-01T00:00:00Z");
    assert_eq!(alpha["history"][0]["status"], "granted");
    let gamma = &v["providers"][1]["services"][0];
    assert_eq!(gamma["approval"]["decision"], "MIIT-2026-3");
    assert_eq!(gamma["approval"]["ekus"][0], "1.3.6.1.5.5.7.3.4");
}

#[test]
fn diff_reports_status_changes_and_approvals_with_diff_exit_codes() {
    let f = fixture("diff");
    f.built();
    expect(&f.run(&["tl", "diff", "v1.xml", "v1.xml"]), 0);
    let out = f.run(&["tl", "diff", "v1.xml", "v2.xml"]);
    expect(&out, 1);
    let t = stdout(&out);
    for want in [
        "scheme: sequence 1 → 2",
        &format!("~ changed: {ALPHA_NAME} — {ALPHA_NAME} [CA/PKC] licence ECP-2024-001"),
        "    status granted → suspended since 2026-09-15T00:00:00Z",
        "+ added: Gamma Trust Services — Gamma Trust Services [CA/PKC] approval MIIT-2026-3",
    ] {
        assert!(t.contains(want), "{want:?} in\n{t}");
    }
    let out = f.run(&["tl", "diff", "v1.xml", "v2.xml", "--format", "json"]);
    expect(&out, 1);
    let v = json(&out);
    assert_eq!(v["identical"], false);
    assert_eq!(v["old"]["sequence"], 1);
    assert_eq!(v["new"]["sequence"], 2);
    assert!(
        v["scheme"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["field"] == "sequence" && c["from"] == 1 && c["to"] == 2)
    );
    let services = v["services"].as_array().unwrap();
    let alpha = services.iter().find(|s| s["change"] == "changed").unwrap();
    assert_eq!(alpha["licence"], "ECP-2024-001");
    assert_eq!(alpha["certificates"][0], sha256_hex(&f.alpha));
    assert!(
        alpha["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| { c["kind"] == "status" && c["from"] == "granted" && c["to"] == "suspended" })
    );
    let gamma = services.iter().find(|s| s["change"] == "added").unwrap();
    assert_eq!(gamma["approval"], "MIIT-2026-3");
    // Backwards: Gamma was removed.
    let v = json(&f.run(&["tl", "diff", "v2.xml", "v1.xml", "--format", "json"]));
    assert!(
        v["services"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["change"] == "removed" && s["name"] == "Gamma Trust Services")
    );
}

#[test]
fn render_writes_an_escaped_directory_and_refuses_an_unverified_list_when_asked() {
    let f = fixture("render");
    f.built();
    // Without --signer: rendered, with the banner.
    let out = f.render("site", &[]);
    expect(&out, 0);
    let index = std::fs::read_to_string(f.dir.join("site/index.html")).unwrap();
    let page_path = f.dir.join(format!("site/ca/{}.html", sha256_hex(&f.alpha)));
    let page = std::fs::read_to_string(&page_path).unwrap();
    for html in [&index, &page] {
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<html lang=\"zh-CN\">"));
        assert!(html.contains("Signature not checked"));
        assert!(!html.contains("<script>"), "unescaped script");
        assert!(!html.contains("<script "), "unescaped script");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("src=\"http"), "no external assets");
    }
    assert!(index.contains("<caption>"));
    assert!(index.contains("<th scope=\"col\">"));
    assert!(index.contains("ECP-2024-001"));
    assert!(index.contains("MIIT-2026-3"));
    assert!(index.contains("suspended"));
    assert!(index.contains(&format!("ca/{}.html", sha256_hex(&f.alpha))));
    assert!(page.contains(&sha256_hex(&f.alpha)));
    assert!(page.contains("Alpha Root CA"));
    assert!(page.contains("Status history"));
    assert_eq!(
        std::fs::read_dir(f.dir.join("site/ca")).unwrap().count(),
        2,
        "one page per CA"
    );

    // With the wrong --signer: refused, nothing written.
    let out = f.render("site2", &["--signer", "other.pem"]);
    expect(&out, 1);
    assert!(stderr(&out).contains("not pinned"), "{}", stderr(&out));
    assert!(!f.dir.join("site2").exists());

    // With the right one, English only.
    let out = f.render("site3", &["--signer", "signer.pem", "--lang", "en"]);
    expect(&out, 0);
    let index = std::fs::read_to_string(f.dir.join("site3/index.html")).unwrap();
    assert!(index.contains("<html lang=\"en\">"));
    assert!(index.contains("Signature verified"));
    assert!(!index.contains("许可证编号"));
}

// ---------------------------------------------------------------------------------------
// Genuine EU lists.

use common::eu_tl;

/// `--signer` followed by every file of a keystore, sorted.
fn keystore_args(dir: &Path, name: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir.join("keystores").join(name))
        .unwrap()
        .map(|e| {
            format!(
                "keystores/{name}/{}",
                e.unwrap().file_name().to_string_lossy()
            )
        })
        .filter(|f| f.ends_with(".der"))
        .collect();
    files.sort();
    let mut a = vec!["--signer".to_string()];
    a.extend(files);
    a
}

/// `tl verify LIST SIGNERS… --time TIME EXTRA…`, `SIGNERS` from [`keystore_args`].
fn eu_verify(dir: &Path, list: &str, signers: &[String], time: &str, extra: &[&str]) -> Output {
    let mut a = vec!["tl", "verify", list];
    a.extend(signers.iter().map(String::as_str));
    a.extend(["--time", time]);
    a.extend_from_slice(extra);
    huren(dir, &a)
}

const LOTL_390: &str = "current/eu-lotl-390.xml";
const LOTL_TIME: &str = "2026-08-03T13:16:38Z";

#[test]
fn eu_lotl_390_verifies_against_the_2026_official_journal_set() {
    let Some(dir) = eu_tl("tl verify on EU LOTL 390") else {
        return;
    };
    let oj = keystore_args(&dir, "oj-2026");
    let out = eu_verify(&dir, LOTL_390, &oj, LOTL_TIME, &JSON);
    expect(&out, 0);
    let v = json(&out);
    assert_eq!(v["territory"], "EU");
    assert_eq!(v["sequence"], 390);
    assert_eq!(
        v["signer"]["sha256"],
        "e0a620fbb6747362bb933ac44169d676a553444716cf5f31605f12a22b8396b1"
    );
    assert_eq!(
        v["sha256"],
        "3692a6df1e2c7c8d8b92b1643998d0ca0820c80551f42e8ef7c38c1cd85f8a83"
    );
}

#[test]
fn the_list_may_follow_the_signers() {
    let Some(dir) = eu_tl("tl verify with LIST after --signer") else {
        return;
    };
    let oj = keystore_args(&dir, "oj-2026");
    // `--signer A B … LIST.xml`: the last value is the list.
    let mut a: Vec<&str> = vec!["tl", "verify", "--time", LOTL_TIME];
    a.extend(oj.iter().map(String::as_str));
    a.push(LOTL_390);
    expect(&huren(&dir, &a), 0);
    // Repeated --signer flags, list last.
    let mut a: Vec<String> = vec!["tl".into(), "verify".into()];
    for f in &oj[1..] {
        a.extend(["--signer".into(), f.clone()]);
    }
    a.push(LOTL_390.into());
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let out = huren(&dir, &a);
    // At the default time (now) the list may have expired; either way it was found and read.
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    assert!(stdout(&out).contains("390"), "{}", stdout(&out));
    // Signers only, no list: bad usage.
    let mut a: Vec<&str> = vec!["tl", "verify"];
    a.extend(oj[..2].iter().map(String::as_str));
    expect(&huren(&dir, &a), 64);
}

#[test]
fn eu_member_lists_via_the_lotl() {
    let Some(dir) = eu_tl("tl verify --via on EU member lists") else {
        return;
    };
    let oj = keystore_args(&dir, "oj-2026");
    // `--via LOTL 390` and `extra`.
    let member = |list: &str, time: &str, extra: &[&str]| {
        let mut a = vec!["--via", LOTL_390];
        a.extend_from_slice(extra);
        eu_verify(&dir, list, &oj, time, &a)
    };
    // SE at its issue time: valid via LOTL 390.
    let out = member("current/SE_TSL_SE.xml", "2026-08-19T13:56:19Z", &JSON);
    expect(&out, 0);
    let v = json(&out);
    assert_eq!(v["territory"], "SE");
    assert_eq!(v["sequence"], 62);
    assert_eq!(v["via"]["territory"], "EU");
    assert_eq!(v["via"]["sequence"], 390);
    // HR: its signer is not pinned by LOTL 390.
    let out = member("current/HR_TSL_HR.xml", LOTL_TIME, &[]);
    expect(&out, 1);
    let t = stdout(&out);
    assert!(t.starts_with("INVALID: "), "{t}");
    assert!(t.contains("not pinned"), "{t}");
    assert!(
        t.contains("a0f6c5d283c50d411ae38866274caeac534f42c0d0df7bdeec793682ad7e3793"),
        "{t}"
    );
    // IE on 2026-11-25: past its NextUpdate of 2026-10-07.
    let out = member("current/IE_TSL_IE.xml", "2026-11-25T00:00:00Z", &[]);
    expect(&out, 1);
    assert!(
        stdout(&out).contains("expired since 2026-10-07T13:22:34Z"),
        "{}",
        stdout(&out)
    );
    // UK: a closed list stays valid.
    let out = member("current/UK_TSL_UK.xml", "2026-11-25T00:00:00Z", &JSON);
    expect(&out, 0);
    let v = json(&out);
    assert_eq!(v["closed"], true);
    assert_eq!(v["nextUpdate"], Value::Null);
}

#[test]
fn eu_pivot_chain_from_the_2019_official_journal_set() {
    let Some(dir) = eu_tl("tl verify --pivot on the EU pivot chain") else {
        return;
    };
    let oj2019 = keystore_args(&dir, "oj-2019");
    let mut pivots = Vec::new();
    for p in ["282", "300", "335", "341"] {
        pivots.push("--pivot".to_string());
        pivots.push(format!("pivots/eu-lotl-pivot-{p}.xml"));
    }
    let mut extra: Vec<&str> = pivots.iter().map(String::as_str).collect();
    extra.extend(JSON);
    let out = eu_verify(&dir, LOTL_390, &oj2019, LOTL_TIME, &extra);
    expect(&out, 0);
    let v = json(&out);
    let seqs: Vec<u64> = v["pivots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["sequence"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, [282, 300, 335, 341]);
    assert_eq!(v["pivots"][0]["issued"], "2021-02-09T09:00:00Z");
    assert_eq!(v["sequence"], 390);
    // Without the pivots, the 2019 set does not sign LOTL 390.
    let out = eu_verify(&dir, LOTL_390, &oj2019, LOTL_TIME, &[]);
    expect(&out, 1);
    // A pivot out of order breaks the chain.
    let out = eu_verify(
        &dir,
        LOTL_390,
        &oj2019,
        LOTL_TIME,
        &[
            "--pivot",
            "pivots/eu-lotl-pivot-300.xml",
            "--pivot",
            "pivots/eu-lotl-pivot-282.xml",
        ],
    );
    expect(&out, 1);
    assert!(stdout(&out).contains("pivot"), "{}", stdout(&out));
}

#[test]
fn eu_show_and_diff_on_genuine_lists() {
    let Some(dir) = eu_tl("tl show/diff on EU lists") else {
        return;
    };
    let out = huren(&dir, &["tl", "show", "current/SE_TSL_SE.xml"]);
    expect(&out, 0);
    let t = stdout(&out);
    assert!(t.contains("territory: SE   sequence: 62"), "{t}");
    assert!(
        t.contains("EU https://ec.europa.eu/tools/lotl/eu-lotl.xml"),
        "{t}"
    );
    let out = huren(
        &dir,
        &[
            "tl",
            "diff",
            "pivots/eu-lotl-pivot-335.xml",
            "pivots/eu-lotl-pivot-341.xml",
            "--format",
            "json",
        ],
    );
    expect(&out, 1);
    let v = json(&out);
    assert_eq!(v["old"]["sequence"], 335);
    // The EU pointer of 341 pins other LOTL signers (the key change the pivot announces).
    let eu_ptr = v["pointers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["territory"] == "EU" && p["change"] == "changed")
        .expect("the EU pointer changed");
    assert!(eu_ptr["changes"].as_array().unwrap().iter().any(|c| {
        c["kind"] == "signers"
            && !c["added"].as_array().unwrap().is_empty()
            && !c["removed"].as_array().unwrap().is_empty()
    }));
}
