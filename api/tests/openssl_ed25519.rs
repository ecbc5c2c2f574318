//! Ed25519 and ECDSA P-384 chains made by the OpenSSL CLI validate in huren, and a leaf signed
//! by another key under the same issuer name does not.

mod common;

use common::{SIGNING_EE_EXT, huren_json, issue, openssl, scratch, self_signed_ca};
use std::path::Path;

fn validate(dir: &Path, leaf: &str) -> serde_json::Value {
    huren_json(
        dir,
        &[
            "validate",
            leaf,
            "--anchor",
            "root.pem",
            "--key-usage",
            "digitalSignature",
            "--format",
            "json",
        ],
    )
}

fn chain(kind: &str, keygen: &[&str]) {
    let dir = scratch(kind);
    let d = dir.as_path();
    for k in ["root", "ee", "other"] {
        let out = format!("{k}.key");
        let mut args = vec!["genpkey"];
        args.extend_from_slice(keygen);
        args.extend_from_slice(&["-out", &out]);
        openssl(d, &args);
    }
    let (root, leaf) = (format!("{kind} Root"), format!("{kind} Leaf"));
    self_signed_ca(d, "root.key", &root, "root.pem");
    issue(
        d,
        "ee.key",
        &leaf,
        "root.pem",
        "root.key",
        SIGNING_EE_EXT,
        "ee.pem",
    );
    let v = validate(d, "ee.pem");
    assert_eq!(v["status"], "VALID", "{kind}: {v:#}");
    // The same issuer name, another key: the signature must not verify.
    self_signed_ca(d, "other.key", &root, "other.pem");
    issue(
        d,
        "ee.key",
        &leaf,
        "other.pem",
        "other.key",
        SIGNING_EE_EXT,
        "ee-other.pem",
    );
    let v = validate(d, "ee-other.pem");
    assert_eq!(v["code"], "BAD_SIGNATURE", "{kind}: {v:#}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ed25519_chain() {
    chain("ed25519", &["-algorithm", "ED25519"]);
}

#[test]
fn ecdsa_p384_chain() {
    chain(
        "p384",
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
    );
}
