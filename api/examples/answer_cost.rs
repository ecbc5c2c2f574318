//! Cost of answering `POST /v1/validate` in process (no socket): the router, the handler,
//! validation and rendering, for a load-driver workload file (one JSON request per line).
//!
//! `cargo run --release -p huren --example answer_cost -- LIST.xml SIGNER.pem REQUESTS.jsonl [N]`
use arc_swap::ArcSwapOption;
use axum::body::Body;
use axum::http::Request;
use huren::config::Config;
use huren::server::app;
use huren::server::state::{AppState, Loaded, NoRefresh, NoRevocationSource, SystemClock};
use huren_trustlists::snapshot::{ListRole, build_snapshot};
use huren_trustlists::verify::{PinnedSigners, verify};
use huren_validator::pem;
use std::sync::Arc;
use std::time::Instant;
use tower::ServiceExt;

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let [list, signer, requests] = [&a[0], &a[1], &a[2]];
    let n: usize = a.get(3).and_then(|v| v.parse().ok()).unwrap_or(50_000);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let signer = std::fs::read(signer).unwrap();
    let pinned =
        PinnedSigners::new(pem::decode_all(&signer, pem::CERTIFICATE_LABELS).unwrap()).unwrap();
    let bytes = std::fs::read(list).unwrap();
    let v = verify(&bytes, &pinned, now).unwrap();
    let snapshot = build_snapshot(&[(&v, ListRole::Miit)]);
    let until = snapshot.next_update();
    let trust = Arc::new(ArcSwapOption::from(Some(Arc::new(Loaded::new(
        snapshot,
        Vec::new(),
        now,
        until,
        Arc::new(vec![v]),
    )))));
    let state = AppState::new(
        Config::default(),
        trust,
        Arc::new(SystemClock),
        Arc::new(NoRevocationSource),
        Arc::new(NoRefresh),
    )
    .unwrap();
    let router = app(state);
    let bodies: Vec<String> = std::fs::read_to_string(requests)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        for round in 0..2 {
            let t = Instant::now();
            for i in 0..n {
                let req = Request::post("/v1/validate")
                    .header("content-type", "application/json")
                    .body(Body::from(bodies[i % bodies.len()].clone()))
                    .unwrap();
                let r = router.clone().oneshot(req).await.unwrap();
                let b = axum::body::to_bytes(r.into_body(), usize::MAX)
                    .await
                    .unwrap();
                std::hint::black_box(b);
            }
            println!("round {round}: {:?} per request", t.elapsed() / n as u32);
        }
    });
}
