//! The demo MIIT trust list (`trustlists/`): it verifies against its pinned signer (with
//! huren and with xmlsec1), its TOML source rebuilds it byte for byte, and every chain under
//! it gives exactly the status, code, warnings and anchor outcome its `expected.json` states.

use std::path::{Path, PathBuf};
use std::process::Command;

use huren_trustlists::pointers::{verify_approved, verify_via};
use huren_trustlists::sign::{ListSigner, SigningKey, sign_list};
use huren_trustlists::snapshot::{ListRole, build_snapshot};
use huren_trustlists::verify::{PinnedSigners, VerifiedTrustList, verify};
use huren_validator::{
    Certificate, KeyUsageBit, Oid, PolicyInputs, Report, SignatureMemo, ValidationOptions,
    parse_rfc3339, pem, validate,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

fn dir() -> PathBuf {
    huren_testvectors::default_dir().join("trustlists")
}

fn read(rel: &str) -> Vec<u8> {
    let p = dir().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
}

/// The DER certificates of a PEM file (none for an empty file).
fn certs(bytes: &[u8]) -> Vec<Vec<u8>> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Vec::new();
    }
    pem::decode_all(bytes, pem::CERTIFICATE_LABELS).expect("PEM certificates")
}

fn signer_der(rel: &str) -> Vec<u8> {
    certs(&read(rel)).remove(0)
}

fn time(s: &str) -> i64 {
    parse_rfc3339(s).unwrap_or_else(|| panic!("bad time {s:?}"))
}

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
    trust_list: String,
    signer: String,
    foreign_scheme: Option<String>,
    expected: Outcome,
    anchor: Option<AnchorExpected>,
}

#[derive(Deserialize)]
struct Outcome {
    status: String,
    code: String,
    warnings: Vec<String>,
}

#[derive(Deserialize, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
struct AnchorExpected {
    kind: String,
    territory: String,
    reference: String,
    status_at_validation_time: String,
    status_at_issuance: String,
    successor: Option<String>,
}

/// The MIIT list verified at `t` against the signer the case names.
fn miit_at(exp: &Expected, t: i64) -> VerifiedTrustList {
    let pinned = PinnedSigners::new(vec![signer_der(&exp.signer)]).expect("signer parses");
    verify(&read(&exp.trust_list), &pinned, t)
        .unwrap_or_else(|e| panic!("{} does not verify: {e}", exp.trust_list))
}

fn run_case(case: &Path) -> Result<(), String> {
    let exp: Expected =
        serde_json::from_slice(&std::fs::read(case.join("expected.json")).expect("expected.json"))
            .expect("expected.json parses");
    let t = time(&exp.time);
    let miit = miit_at(&exp, t);
    let foreign = exp.foreign_scheme.as_ref().map(|f| {
        verify_approved(&read(f), &miit, t)
            .unwrap_or_else(|e| panic!("{f} does not verify through the MIIT pointer: {e}"))
    });
    let mut lists = vec![(&miit, ListRole::Miit)];
    if let Some((f, approval)) = &foreign {
        lists.push((f, ListRole::ForeignScheme(approval.clone())));
    }
    let snapshot = build_snapshot(&lists);

    let leaf = Certificate::from_der(&certs(&std::fs::read(case.join("leaf.pem")).unwrap())[0])
        .expect("leaf parses");
    // Omitted when the leaf's issuer is the listed CA itself.
    let intermediates: Vec<Certificate> = std::fs::read(case.join("intermediates.pem"))
        .map(|b| certs(&b))
        .unwrap_or_default()
        .iter()
        .map(|d| Certificate::from_der(d).expect("intermediate parses"))
        .collect();
    let mut o = ValidationOptions::at(t);
    o.key_usage = exp
        .key_usage
        .iter()
        .map(|k| KeyUsageBit::from_name(k).expect("key usage name"))
        .collect();
    o.extended_key_usage = exp
        .eku
        .iter()
        .map(|e| Oid::parse(e).expect("OID"))
        .collect();
    o.policy = PolicyInputs {
        initial_policy_set: exp
            .policies
            .iter()
            .map(|e| Oid::parse(e).expect("OID"))
            .collect(),
        require_explicit_policy: exp.require_explicit_policy,
        inhibit_policy_mapping: exp.inhibit_policy_mapping,
        inhibit_any_policy: exp.inhibit_any_policy,
    };
    assert_eq!(exp.revocation, "off", "trust-list cases carry no CRLs");
    let r = validate(
        &leaf,
        &intermediates,
        snapshot.anchors(),
        &[],
        &o,
        &SignatureMemo::new(64),
    );
    check(&exp, &r)
}

fn check(exp: &Expected, r: &Report) -> Result<(), String> {
    let warnings: Vec<&str> = r.warnings.iter().map(|w| w.code.as_str()).collect();
    let anchor = r.anchor.as_ref().map(|a| AnchorExpected {
        kind: a.kind.as_str().to_string(),
        territory: a.provenance.territory.clone(),
        reference: a.provenance.reference.clone().unwrap_or_default(),
        status_at_validation_time: a.status_at_validation_time.clone(),
        status_at_issuance: a.status_at_issuance.clone(),
        successor: a.successor.clone(),
    });
    let mut wrong = Vec::new();
    if r.status.as_str() != exp.expected.status || r.code.as_str() != exp.expected.code {
        wrong.push(format!(
            "expected {} {}, got {} {} ({})",
            exp.expected.status, exp.expected.code, r.status, r.code, r.message
        ));
    }
    if warnings != exp.expected.warnings {
        wrong.push(format!(
            "expected warnings {:?}, got {warnings:?}",
            exp.expected.warnings
        ));
    }
    if anchor != exp.anchor {
        wrong.push(format!("expected anchor {:?}, got {anchor:?}", exp.anchor));
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("; "))
    }
}

#[test]
fn every_chain_gives_its_expected_result() {
    let chains = dir().join("chains");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&chains)
        .expect("trustlists/chains")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.json").exists())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 15,
        "expected the trust-list cases in {}",
        chains.display()
    );
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            run_case(c)
                .err()
                .map(|e| format!("{}: {e}", c.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} trust-list cases disagree:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[test]
fn demo_list_verifies_against_its_signer_and_only_it() {
    let xml = read("miit-demo.xml");
    let signer = signer_der("miit-demo-signer.pem");
    let t = time("2026-06-01T00:00:00Z");
    let v = verify(&xml, &PinnedSigners::new(vec![signer.clone()]).unwrap(), t).unwrap();
    let list = v.list();
    assert_eq!(list.scheme_territory.as_deref(), Some("CN"));
    assert_eq!(list.issued, time("2026-01-01T00:00:00Z"));
    assert_eq!(list.next_update, Some(time("2030-12-31T23:59:59Z")));
    assert_eq!(v.signing_time(), Some(time("2026-01-01T00:00:00Z")));
    assert_eq!(v.signer(), signer.as_slice());
    // The published digest.
    let sha2 = String::from_utf8(read("miit-demo.xml.sha2")).unwrap();
    assert_eq!(sha2.trim(), v.sha256_hex());
    assert_eq!(
        sha2.trim(),
        Sha256::digest(&xml)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    // Another signer (the foreign scheme's) is refused.
    let other = signer_der("foreign-scheme-signer.pem");
    assert!(verify(&xml, &PinnedSigners::new(vec![other]).unwrap(), t).is_err());
    // Altered content is refused.
    let text = String::from_utf8(xml).unwrap();
    let altered = text.replacen("ECS-2023-007", "ECS-2023-008", 1);
    assert_ne!(altered, text);
    assert!(
        verify(
            altered.as_bytes(),
            &PinnedSigners::new(vec![signer]).unwrap(),
            t
        )
        .is_err()
    );
}

#[test]
fn foreign_scheme_is_reached_only_through_the_pointer() {
    let t = time("2026-06-01T00:00:00Z");
    let miit = verify(
        &read("miit-demo.xml"),
        &PinnedSigners::new(vec![signer_der("miit-demo-signer.pem")]).unwrap(),
        t,
    )
    .unwrap();
    let xa = verify_via(&read("foreign-scheme.xml"), &miit, t).unwrap();
    assert_eq!(xa.list().scheme_territory.as_deref(), Some("XA"));
    assert_eq!(
        xa.signer(),
        signer_der("foreign-scheme-signer.pem").as_slice()
    );
    let pointer = miit
        .list()
        .pointers_for("XA")
        .next()
        .expect("pointer to XA");
    let approval = pointer.approval.as_ref().expect("approval on the pointer");
    assert_eq!(approval.decision, "MIIT-FS-2025-002");
    // The MIIT signer does not sign the XA list.
    assert!(
        verify(
            &read("foreign-scheme.xml"),
            &PinnedSigners::new(vec![signer_der("miit-demo-signer.pem")]).unwrap(),
            t
        )
        .is_err()
    );
}

/// The source and the demo key rebuild the published list byte for byte (what
/// `huren tl build` does, at the generator's signing time).
#[test]
fn source_rebuilds_the_list() {
    let toml = String::from_utf8(read("miit-demo.toml")).unwrap();
    let source = huren_trustlists::parse_source(&toml).expect("source parses");
    let list = source
        .to_list(&|p: &str| {
            std::fs::read(dir().join(p)).map_err(|e| huren_trustlists::Error::Build {
                message: format!("{p}: {e}"),
            })
        })
        .expect("source builds");
    let unsigned = huren_trustlists::write_list(&list).expect("list serialises");
    let key_pem = String::from_utf8(read("miit-demo-signer-key.pem")).unwrap();
    assert!(key_pem.starts_with("DEMO ONLY"), "the demo key is labelled");
    let key = SigningKey::from_pem(&key_pem).expect("demo key loads (the label is a PEM preamble)");
    let signer = ListSigner::new(key, signer_der("miit-demo-signer.pem")).expect("key fits cert");
    let signed = sign_list(
        &unsigned,
        &signer,
        time("2026-01-01T00:00:00Z"),
        &aws_lc_rs::rand::SystemRandom::new(),
    )
    .expect("signs");
    assert!(
        signed.as_bytes() == read("miit-demo.xml").as_slice(),
        "miit-demo.toml signed with the demo key does not give miit-demo.xml"
    );
}

fn xmlsec1_available() -> bool {
    Command::new("xmlsec1").arg("--version").output().is_ok()
}

fn ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

/// xmlsec1 (libxmlsec1, an independent XMLDSig implementation) verifies both lists.
#[test]
fn xmlsec1_verifies_the_lists() {
    if !xmlsec1_available() {
        assert!(!ci(), "xmlsec1 is required in CI (apt-get install xmlsec1)");
        let msg = "SKIPPED xmlsec1_verifies_the_lists: xmlsec1 is not installed (apt-get install xmlsec1)";
        eprintln!("{msg}");
        // One marker per skipped test, which the test command counts in its summary.
        let skipped = Path::new(env!("CARGO_TARGET_TMPDIR")).join("skipped");
        let _ = std::fs::create_dir_all(&skipped);
        let _ = std::fs::write(skipped.join("testvectors-xmlsec1"), format!("{msg}\n"));
        return;
    }
    for (list, signer) in [
        ("miit-demo.xml", "miit-demo-signer.pem"),
        ("foreign-scheme.xml", "foreign-scheme-signer.pem"),
    ] {
        let out = Command::new("xmlsec1")
            .current_dir(dir())
            .args([
                "--verify",
                "--trusted-pem",
                signer,
                "--id-attr:Id",
                "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
                list,
            ])
            .output()
            .expect("runs xmlsec1");
        assert!(
            out.status.success(),
            "xmlsec1 refuses {list}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
