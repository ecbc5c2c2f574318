//! Deterministic test-vector generator for huren's certificate-chain validator.
//!
//! [`generate`] writes `demo/` (an SM2 demo chain), `chains/` (one
//! directory per validation case with its expected verdict) and `trustlists/`
//! (the signed demo MIIT trust list, its TOML source, a foreign scheme's list
//! and chains under their CAs with expected verdicts) below an output
//! directory; [`check`] regenerates into a temporary directory and compares
//! byte for byte with the checked-in files. Everything is derived from fixed
//! seeds and a fixed epoch, so the output never changes unless the code (or a
//! pinned cryptography dependency) does: RSA key generation in particular
//! depends on the `rsa`/`crypto-primes` versions locked in `Cargo.lock`.
//!
//! [`make_openssl_sm2_chain`] builds an independent SM2 chain with the
//! `openssl` command-line tool, for interoperability tests; [`openssl_sm2_key`] and
//! [`openssl_sm2_cert`] make single SM2 keys and certificates the same way.

#![forbid(unsafe_code)]

mod cases;
mod cert;
mod keys;
mod openssl_sm2;
mod render;
mod tl;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

pub use openssl_sm2::{
    OPENSSL_SM2_CA_SUBJECT, OPENSSL_SM2_LEAF_SUBJECT, OPENSSL_SM2_ROOT_SUBJECT, SM2_DISTID,
    Sm2Cert, make_openssl_sm2_chain, openssl_sm2_cert, openssl_sm2_key,
};

/// The sub-directories of the output directory that the generator owns.
pub const OUTPUT_DIRS: [&str; 4] = ["demo", "chains", "trustlists", "interop"];

/// The directory holding the checked-in vectors: this crate's directory.
#[must_use]
pub fn default_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds every output file in memory, keyed by its path relative to the
/// output directory (with `/` separators), e.g. `chains/sm2-revoked/crls.pem`.
#[must_use]
pub fn generate_files() -> BTreeMap<String, Vec<u8>> {
    let vectors = cases::build();
    let mut files = render::render(&vectors);
    files.extend(tl::render(&vectors.demo));
    files
}

/// Writes all vectors below `out`, replacing each of [`OUTPUT_DIRS`] below it.
///
/// # Errors
///
/// Returns any I/O error from removing or writing files.
pub fn generate(out: &Path) -> io::Result<()> {
    let files = generate_files();
    for dir in OUTPUT_DIRS {
        let path = out.join(dir);
        if path.exists() {
            fs::remove_dir_all(&path)?;
        }
    }
    for (rel, contents) in &files {
        let path = out.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, contents)?;
    }
    Ok(())
}

/// One difference between freshly generated and checked-in vectors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Difference {
    /// The file exists in both places with different contents.
    Differs(String),
    /// The generator writes this file but it is not checked in.
    Missing(String),
    /// This file is checked in but the generator no longer writes it.
    Extra(String),
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Differs(p) => write!(f, "differs: {p}"),
            Self::Missing(p) => write!(f, "missing (not checked in): {p}"),
            Self::Extra(p) => write!(f, "extra (no longer generated): {p}"),
        }
    }
}

/// Lists the files below `root/dir` for each of [`OUTPUT_DIRS`], as relative
/// paths with `/` separators.
fn list_files(root: &Path) -> io::Result<BTreeSet<String>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) -> io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                walk(root, &path, out)?;
            } else {
                let rel = path.strip_prefix(root).expect("path below root");
                let rel: Vec<_> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(rel.join("/"));
            }
        }
        Ok(())
    }
    let mut files = BTreeSet::new();
    for dir in OUTPUT_DIRS {
        let path = root.join(dir);
        if path.is_dir() {
            walk(root, &path, &mut files)?;
        }
    }
    Ok(files)
}

/// Compares the trees [`OUTPUT_DIRS`] below `generated` and `checked_in`.
///
/// # Errors
///
/// Returns any I/O error from reading either tree.
pub fn compare_dirs(generated: &Path, checked_in: &Path) -> io::Result<Vec<Difference>> {
    let new = list_files(generated)?;
    let old = list_files(checked_in)?;
    let mut diffs = Vec::new();
    for rel in new.union(&old) {
        match (new.contains(rel), old.contains(rel)) {
            (true, false) => diffs.push(Difference::Missing(rel.clone())),
            (false, true) => diffs.push(Difference::Extra(rel.clone())),
            _ => {
                if fs::read(generated.join(rel))? != fs::read(checked_in.join(rel))? {
                    diffs.push(Difference::Differs(rel.clone()));
                }
            }
        }
    }
    Ok(diffs)
}

/// A temporary directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> io::Result<Self> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("huren-testvectors-{}-{n}", std::process::id()));
        if path.exists() {
            fs::remove_dir_all(&path)?;
        }
        fs::create_dir_all(&path)?;
        Ok(Self(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Regenerates all vectors into a temporary directory and compares them with
/// those checked in below `dir`. An empty result means no drift.
///
/// # Errors
///
/// Returns any I/O error from writing the temporary tree or reading either
/// tree.
pub fn check(dir: &Path) -> io::Result<Vec<Difference>> {
    let tmp = TempDir::new()?;
    generate(&tmp.0)?;
    compare_dirs(&tmp.0, dir)
}
