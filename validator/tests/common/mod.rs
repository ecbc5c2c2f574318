//! Shared helpers for the integration tests: where the external corpora live.

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
    None
}
