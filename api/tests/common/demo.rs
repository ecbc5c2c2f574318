//! The bundled demo trust list loaded as the refresher loads it, and a service state over it
//! with a stopped clock: shared by the page tests (included with `#[path]`).
#![allow(dead_code)] // each test binary uses a part

use arc_swap::ArcSwapOption;
use huren::config::Config;
use huren::server::state::{
    AppState, FixedClock, Loaded, NoRefresh, NoRevocationSource, TrustHandle,
};
use huren_trustlists::snapshot::{ListRole, build_snapshot};
use huren_trustlists::verify::{PinnedSigners, verify};
use huren_validator::{parse_rfc3339, pem};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A file of the workspace as text.
pub fn read(p: &str) -> String {
    std::fs::read_to_string(root().join(p)).unwrap()
}

/// 2026-06-01T00:00:00Z: every demo chain is at its documented outcome.
pub fn now() -> i64 {
    parse_rfc3339("2026-06-01T00:00:00Z").unwrap()
}

/// The bundled demo list and the foreign scheme it points to, verified at `at`.
pub fn demo_loaded(at: i64) -> Loaded {
    let signer = std::fs::read(root().join("testvectors/trustlists/miit-demo-signer.pem")).unwrap();
    let der = pem::decode_all(&signer, pem::CERTIFICATE_LABELS).unwrap();
    let pinned = PinnedSigners::new(der).unwrap();
    let bytes = std::fs::read(root().join("testvectors/trustlists/miit-demo.xml")).unwrap();
    let v = verify(&bytes, &pinned, at).unwrap();
    let foreign = std::fs::read(root().join("testvectors/trustlists/foreign-scheme.xml")).unwrap();
    let (f, approval) = huren_trustlists::pointers::verify_approved(&foreign, &v, at).unwrap();
    let snapshot = build_snapshot(&[
        (&v, ListRole::Miit),
        (&f, ListRole::ForeignScheme(approval)),
    ]);
    let usable_until = snapshot.next_update();
    Loaded::new(snapshot, Vec::new(), at, usable_until, Arc::new(vec![v]))
}

/// The service's state over `loaded`, its clock stopped at [`now`].
pub fn demo_state(config: Config, loaded: Option<Loaded>) -> (AppState, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::at(now()));
    let trust: TrustHandle = Arc::new(ArcSwapOption::from(loaded.map(Arc::new)));
    let state = AppState::new(
        config,
        trust,
        clock.clone(),
        Arc::new(NoRevocationSource),
        Arc::new(NoRefresh),
    )
    .unwrap();
    (state, clock)
}
