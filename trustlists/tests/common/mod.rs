//! Shared helpers for the trust-list tests: where the EU corpus lives, and its manifest.
#![allow(dead_code, clippy::disallowed_methods)] // each test binary uses a part; tests read files

#[path = "../../../validator/tests/common/corpora.rs"]
mod corpora;
pub use corpora::*;

/// One row of `MANIFEST.tsv`.
#[derive(Clone, Debug)]
pub struct Entry {
    pub file: String,
    pub sha256: String,
    pub territory: String,
    pub version: u32,
    pub sequence: u64,
    pub issued: String,
    pub next_update: Option<String>,
    pub signature: String,
    pub xades: String,
    pub pinned_by: String,
    pub signer_sha256: String,
}

/// The manifest's rows.
pub fn manifest(dir: &std::path::Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 12, "manifest row: {l}");
            Entry {
                file: f[0].into(),
                sha256: f[2].into(),
                territory: f[3].into(),
                version: f[4].parse().unwrap(),
                sequence: f[5].parse().unwrap(),
                issued: f[6].into(),
                next_update: (!f[7].starts_with('(')).then(|| f[7].to_string()),
                signature: f[8].into(),
                xades: f[9].into(),
                pinned_by: f[10].into(),
                signer_sha256: f[11].into(),
            }
        })
        .collect()
}

/// The DER certificates of a keystore directory (`keystores/oj-2019`, …).
pub fn keystore(dir: &std::path::Path, name: &str) -> Vec<Vec<u8>> {
    let mut files: Vec<_> = std::fs::read_dir(dir.join("keystores").join(name))
        .expect("keystore")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

/// SHA-256 hex.
pub fn sha256_hex(b: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}
