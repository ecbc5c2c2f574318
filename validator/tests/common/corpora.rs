//! Where the external corpora live and what happens when one is missing: shared by the
//! integration tests of every crate (included with `#[path]`), so that skipping and
//! requiring corpora behave the same everywhere.
#![allow(dead_code, clippy::disallowed_methods)] // each test binary uses a part; tests read files

use std::path::PathBuf;

/// The external test-data directory: `$HUREN_TESTDATA`, else `../shared/testdata` beside the
/// workspace.
pub fn testdata_dir() -> PathBuf {
    match std::env::var_os("HUREN_TESTDATA") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/testdata"),
    }
}

/// Whether missing corpora must fail the run (CI, or `HUREN_REQUIRE_CORPORA=1`).
pub fn corpora_required() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
        || std::env::var_os("HUREN_REQUIRE_CORPORA").is_some_and(|v| v == "1")
}

/// Returns the path of a corpus file, or `None` after saying plainly that the test is skipped
/// (panics instead when corpora are required).
pub fn corpus(rel: &str, what: &str) -> Option<PathBuf> {
    let p = testdata_dir().join(rel);
    if p.exists() {
        return Some(p);
    }
    let msg = format!(
        "SKIPPED {what}: {} not found. Put the corpora in ../shared/testdata beside the clone or set HUREN_TESTDATA (see README, 'Test corpora').",
        p.display()
    );
    if corpora_required() {
        panic!("{msg} (corpora are required in CI)");
    }
    eprintln!("{msg}");
    record_skip(what, &msg);
    None
}

/// Records that a test was skipped for want of a corpus: one marker file per test under
/// `target/tmp/skipped/`, which the test command counts and names in its summary.
pub fn record_skip(what: &str, msg: &str) {
    // Integration tests have CARGO_TARGET_TMPDIR; other includers (benches) record nothing.
    let Some(tmp) = option_env!("CARGO_TARGET_TMPDIR") else {
        return;
    };
    let dir = std::path::Path::new(tmp).join("skipped");
    let name: String = what
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join(name), format!("{msg}\n"));
}

/// The genuine EU trusted-list corpus directory (`eu-tl/`), or `None` after saying plainly
/// that the test is skipped (panics instead when corpora are required).
pub fn eu_tl(what: &str) -> Option<PathBuf> {
    corpus("eu-tl/MANIFEST.tsv", what).and_then(|p| p.parent().map(PathBuf::from))
}
