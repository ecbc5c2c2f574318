//! Lists huren signs verify with two independent implementations: `xmlsec1 --verify`
//! (libxmlsec1, Debian package xmlsec1) and signxml's XAdES verifier (lxml + signxml from
//! PyPI, `scripts/verify_signxml.py`). The test command installs both; in CI a missing peer
//! fails the test, elsewhere it is skipped and named.
#![allow(clippy::disallowed_methods)]

mod common;

use huren_trustlists::model::{MultiLang, TrustList};
use huren_trustlists::sign::{ListSigner, SigningKey, sign_list};
use huren_trustlists::verify::{PinnedSigners, verify};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A document that exercises canonicalisation: several prefixes and a default namespace,
/// attributes in unsorted order, non-ASCII text, escaped characters, CRLF line ends, a
/// comment and a processing instruction.
const HAND_WRITTEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<!-- published by the demo operator -->\r\n<TrustServiceStatusList xmlns=\"http://uri.etsi.org/02231/v2#\" xmlns:tslx=\"http://uri.etsi.org/02231/v2/additionaltypes#\" xmlns:unused=\"urn:unused\" TSLTag=\"http://uri.etsi.org/19612/TSLTag\" Id=\"tsl\">\r\n  <SchemeInformation>\r\n    <TSLVersionIdentifier>6</TSLVersionIdentifier>\r\n    <TSLSequenceNumber>3</TSLSequenceNumber>\r\n    <SchemeOperatorName><Name xml:lang=\"zh\">工业和信息化部 &amp; 测试</Name><Name xml:lang=\"en\">Ministry &lt;demo&gt; \"quoted\"</Name></SchemeOperatorName>\r\n    <?huren note?>\r\n    <tslx:MimeType z=\"1\" a=\"2\">application/vnd.etsi.tsl+xml</tslx:MimeType>\r\n  </SchemeInformation>\r\n</TrustServiceStatusList>\r\n";

fn peers_required() -> bool {
    common::corpora_required()
}

fn have(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn scratch() -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("interop");
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn pem(label: &str, der: &[u8]) -> String {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der).unwrap()
}

fn signers() -> Vec<(&'static str, ListSigner, Vec<u8>)> {
    [
        ("rsa", &rcgen::PKCS_RSA_SHA256),
        ("p256", &rcgen::PKCS_ECDSA_P256_SHA256),
        ("p384", &rcgen::PKCS_ECDSA_P384_SHA384),
    ]
    .into_iter()
    .map(|(name, alg)| {
        let kp = rcgen::KeyPair::generate_for(alg).unwrap();
        let mut params = rcgen::CertificateParams::new(vec![]).unwrap();
        params.distinguished_name.push(
            rcgen::DnType::CommonName,
            format!("interop list signer {name}"),
        );
        params.not_before = rcgen::date_time_ymd(2025, 1, 1);
        params.not_after = rcgen::date_time_ymd(2035, 1, 1);
        let cert = params.self_signed(&kp).unwrap();
        let key = SigningKey::from_der(&kp.serialize_der()).unwrap();
        let der = cert.der().to_vec();
        (name, ListSigner::new(key, der.clone()).unwrap(), der)
    })
    .collect()
}

fn model_list() -> TrustList {
    let mut l = TrustList::default();
    l.version = 6;
    l.sequence = 5;
    l.issued = 1_790_000_000;
    l.next_update = Some(1_800_000_000);
    l.scheme_territory = Some("CN".into());
    l.operator = MultiLang::single("zh", "工业和信息化部").with("en", "MIIT");
    l.scheme_name = MultiLang::single("en", "CN: trusted list of licensed and approved CAs");
    l
}

#[test]
fn signed_lists_verify_with_xmlsec1_and_signxml() {
    let xmlsec = have("xmlsec1", &["--version"]);
    let signxml = have("python3", &["-c", "import lxml, signxml"]);
    if !(xmlsec && signxml) {
        let msg = format!(
            "SKIPPED interop with xmlsec1 ({}) and signxml ({}): run the test command, which installs them",
            if xmlsec { "present" } else { "missing" },
            if signxml { "present" } else { "missing" }
        );
        if peers_required() {
            panic!("{msg} (required in CI)");
        }
        eprintln!("{msg}");
        common::record_skip("interop xmlsec1 signxml", &msg);
        return;
    }
    let dir = scratch();
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let written = huren_trustlists::write::write_list(&model_list()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/verify_signxml.py");
    for (name, signer, cert) in signers() {
        for (doc_name, unsigned) in [("hand", HAND_WRITTEN), ("model", written.as_str())] {
            let signed = sign_list(unsigned, &signer, 1_790_000_100, &rng).unwrap();
            // Our own verifier, pinned.
            let pinned = PinnedSigners::new(vec![cert.clone()]).unwrap();
            if doc_name == "model" {
                let v = verify(signed.as_bytes(), &pinned, 1_790_000_200)
                    .unwrap_or_else(|e| panic!("{name}/{doc_name}: {e}"));
                assert_eq!(v.list().sequence, 5);
            }
            let file = dir.join(format!("{doc_name}-{name}.xml"));
            let cert_file = dir.join(format!("{name}.pem"));
            std::fs::write(&file, &signed).unwrap();
            std::fs::write(&cert_file, pem("CERTIFICATE", &cert)).unwrap();

            let out = Command::new("xmlsec1")
                .arg("--verify")
                .arg("--enabled-reference-uris")
                .arg("empty,same-doc")
                .arg("--trusted-pem")
                .arg(&cert_file)
                .arg("--id-attr:Id")
                .arg("http://uri.etsi.org/01903/v1.3.2#:SignedProperties")
                .arg(&file)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "xmlsec1 refused {name}/{doc_name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let out = Command::new("python3")
                .arg(&script)
                .arg(&file)
                .arg(&cert_file)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "signxml refused {name}/{doc_name}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );

            // Both peers refuse an altered copy (so they are really checking).
            let altered = signed.replacen("<TSLSequenceNumber>", "<TSLSequenceNumber>9", 1);
            let bad = dir.join(format!("{doc_name}-{name}-altered.xml"));
            std::fs::write(&bad, &altered).unwrap();
            let out = Command::new("xmlsec1")
                .args([
                    "--verify",
                    "--enabled-reference-uris",
                    "empty,same-doc",
                    "--trusted-pem",
                ])
                .arg(&cert_file)
                .args([
                    "--id-attr:Id",
                    "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
                ])
                .arg(&bad)
                .output()
                .unwrap();
            assert!(!out.status.success(), "xmlsec1 accepted an altered list");
            let out = Command::new("python3")
                .arg(&script)
                .arg(&bad)
                .arg(&cert_file)
                .output()
                .unwrap();
            assert!(!out.status.success(), "signxml accepted an altered list");
        }
    }
}
