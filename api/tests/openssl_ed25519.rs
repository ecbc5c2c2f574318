//! Ed25519 and ECDSA P-384 chains made by the OpenSSL CLI validate in huren, and a leaf signed
//! by another key under the same issuer name does not.

mod common;

use common::{huren_json, openssl, scratch};
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
    std::fs::write(
        d.join("ee.ext"),
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n",
    )
    .unwrap();
    openssl(
        d,
        &[
            "req",
            "-x509",
            "-new",
            "-key",
            "root.key",
            "-subj",
            &format!("/CN={kind} Root"),
            "-days",
            "3650",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-out",
            "root.pem",
        ],
    );
    openssl(
        d,
        &[
            "req",
            "-new",
            "-key",
            "ee.key",
            "-subj",
            &format!("/CN={kind} Leaf"),
            "-out",
            "ee.csr",
        ],
    );
    openssl(
        d,
        &[
            "x509", "-req", "-in", "ee.csr", "-CA", "root.pem", "-CAkey", "root.key", "-days",
            "365", "-extfile", "ee.ext", "-out", "ee.pem",
        ],
    );
    let v = validate(d, "ee.pem");
    assert_eq!(v["status"], "VALID", "{kind}: {v:#}");
    // The same issuer name, another key: the signature must not verify.
    openssl(
        d,
        &[
            "req",
            "-x509",
            "-new",
            "-key",
            "other.key",
            "-subj",
            &format!("/CN={kind} Root"),
            "-days",
            "3650",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-out",
            "other.pem",
        ],
    );
    openssl(
        d,
        &[
            "x509",
            "-req",
            "-in",
            "ee.csr",
            "-CA",
            "other.pem",
            "-CAkey",
            "other.key",
            "-days",
            "365",
            "-extfile",
            "ee.ext",
            "-out",
            "ee-other.pem",
        ],
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
