//! Helpers shared by the interoperability tests: running the OpenSSL CLI (a peer nobody on
//! this project wrote) and the `huren` binary.
#![allow(dead_code)] // each test binary uses a part

use std::path::{Path, PathBuf};
use std::process::Command;

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
