//! Helpers shared by the interoperability tests: running the OpenSSL CLI (a peer nobody on
//! this project wrote) and the `huren` binary.
#![allow(dead_code)] // each test binary uses a part

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../../../validator/tests/common/corpora.rs"]
mod corpora;
#[allow(unused_imports)] // each test binary uses a part
pub use corpora::*;

/// Runs `openssl ARGS` in `dir`; fails the test with OpenSSL's message if it fails.
pub fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl must be installed (the test command installs it)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `huren ARGS` in `dir` and parses its JSON answer.
pub fn huren_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_huren"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run huren");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("huren {args:?}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("huren-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// Extensions of a CA certificate.
pub const CA_EXT: &str =
    "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n";
/// Extensions of an end-entity signing certificate.
pub const SIGNING_EE_EXT: &str = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n";

/// Writes `out`, a self-signed CA certificate for `key` named `CN=cn`.
pub fn self_signed_ca(dir: &Path, key: &str, cn: &str, out: &str) {
    let subject = format!("/CN={cn}");
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-new",
            "-key",
            key,
            "-subj",
            &subject,
            "-days",
            "3650",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-out",
            out,
        ],
    );
}

/// Writes `out`, a certificate for `key` named `CN=cn` with the extensions `ext`, issued by
/// the certificate `ca_pem` with its key `ca_key`.
pub fn issue(dir: &Path, key: &str, cn: &str, ca_pem: &str, ca_key: &str, ext: &str, out: &str) {
    let (csr, ext_file, subject) = (
        format!("{out}.csr"),
        format!("{out}.ext"),
        format!("/CN={cn}"),
    );
    std::fs::write(dir.join(&ext_file), ext).expect("write extensions");
    openssl(
        dir,
        &["req", "-new", "-key", key, "-subj", &subject, "-out", &csr],
    );
    openssl(
        dir,
        &[
            "x509", "-req", "-in", &csr, "-CA", ca_pem, "-CAkey", ca_key, "-days", "365",
            "-extfile", &ext_file, "-out", out,
        ],
    );
}
