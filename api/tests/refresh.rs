//! The live-list refresher against a loopback HTTP server of the test's own: a good list is
//! swapped in; a bad signature, an unpinned signer, a lower sequence number, a server
//! error, a timeout and a `.sha2` mismatch change nothing but the list's `last_error` and
//! the counters; ETag gives 304; a restart with the network down serves from the state
//! directory; past NextUpdate + grace the snapshot is not usable.
#![allow(clippy::disallowed_methods)] // tests read and write files

use arc_swap::ArcSwapOption;
use axum::http::{HeaderMap, StatusCode, Uri};
use huren::refresh::{Fetchable, Origin, Outcome, Refresher, SourceSpec};
use huren::server::state::{Clock, Loaded, RefreshTrigger, TrustHandle};
use huren_trustlists::sign::{ListSigner, SigningKey, sign_list};
use huren_trustlists::verify::PinnedSigners;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

// ---------------------------------------------------------------------------------------
// Lists.

fn tv(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testvectors/trustlists")
        .join(rel)
}

fn t(s: &str) -> i64 {
    huren_validator::parse_rfc3339(s).expect("a time")
}

fn pem_block(text: &str) -> &str {
    &text[text.find("-----BEGIN").expect("a PEM block")..]
}

fn demo_signer_der() -> Vec<u8> {
    let pem = std::fs::read(tv("miit-demo-signer.pem")).unwrap();
    huren_validator::pem::decode_all(&pem, huren_validator::pem::CERTIFICATE_LABELS)
        .unwrap()
        .remove(0)
}

fn demo_signer() -> ListSigner {
    let key = std::fs::read_to_string(tv("miit-demo-signer-key.pem")).unwrap();
    let key = SigningKey::from_pem(pem_block(&key)).expect("the demo key loads");
    ListSigner::new(key, demo_signer_der()).expect("the key fits")
}

/// A signer nobody pinned.
fn other_signer() -> ListSigner {
    let kp = rcgen::KeyPair::generate().unwrap();
    let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name
        .push(rcgen::DnType::CommonName, "Not the MIIT signer");
    p.not_before = rcgen::date_time_ymd(2024, 1, 1);
    p.not_after = rcgen::date_time_ymd(2040, 1, 1);
    let cert = p.self_signed(&kp).unwrap();
    let key = SigningKey::from_der(&kp.serialize_der()).unwrap();
    ListSigner::new(key, cert.der().to_vec()).unwrap()
}

/// The demo MIIT list with another sequence number and NextUpdate, signed by `signer`.
fn miit_list(sequence: u64, next_update: &str, signer: &ListSigner) -> Vec<u8> {
    let text = std::fs::read_to_string(tv("miit-demo.toml")).unwrap();
    let text = text
        .replace("sequence = 1\n", &format!("sequence = {sequence}\n"))
        .replace(
            "next_update = \"2030-12-31T23:59:59Z\"",
            &format!("next_update = \"{next_update}\""),
        );
    let source = huren_trustlists::parse_source(&text).expect("the demo source parses");
    let list = source
        .to_list(&|p: &str| {
            std::fs::read(tv(p)).map_err(|e| huren_trustlists::Error::Build {
                message: e.to_string(),
            })
        })
        .expect("the demo source builds");
    let unsigned = huren_trustlists::write_list(&list).unwrap();
    sign_list(
        &unsigned,
        signer,
        t("2026-01-01T00:00:00Z"),
        &aws_lc_rs::rand::SystemRandom::new(),
    )
    .expect("signs")
    .into_bytes()
}

fn sha256_hex(b: &[u8]) -> String {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, b)
        .as_ref()
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

// ---------------------------------------------------------------------------------------
// A loopback HTTP server serving fixed responses.

#[derive(Clone, Default)]
struct Resp {
    status: u16,
    body: Vec<u8>,
    etag: Option<String>,
    delay_ms: u64,
}

fn ok(body: Vec<u8>) -> Resp {
    Resp {
        status: 200,
        body,
        ..Resp::default()
    }
}

#[derive(Clone, Default)]
struct Server {
    routes: Arc<Mutex<HashMap<String, Resp>>>,
    not_modified: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
}

impl Server {
    fn set(&self, path: &str, r: Resp) {
        self.routes.lock().unwrap().insert(path.to_string(), r);
    }
    fn remove(&self, path: &str) {
        self.routes.lock().unwrap().remove(path);
    }
}

async fn start(server: Server) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
        let server = server.clone();
        async move {
            server.requests.fetch_add(1, Ordering::SeqCst);
            let r = server.routes.lock().unwrap().get(uri.path()).cloned();
            let Some(r) = r else {
                return (StatusCode::NOT_FOUND, HeaderMap::new(), Vec::new());
            };
            if r.delay_ms > 0 {
                tokio::time::sleep(Duration::from_millis(r.delay_ms)).await;
            }
            let mut h = HeaderMap::new();
            if let Some(e) = &r.etag {
                h.insert("etag", e.parse().unwrap());
                if headers.get("if-none-match").and_then(|v| v.to_str().ok()) == Some(e) {
                    server.not_modified.fetch_add(1, Ordering::SeqCst);
                    return (StatusCode::NOT_MODIFIED, h, Vec::new());
                }
            }
            (StatusCode::from_u16(r.status).unwrap(), h, r.body)
        }
    });
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}"), task)
}

// ---------------------------------------------------------------------------------------
// The refresher under test.

struct TestClock(AtomicI64);

impl Clock for TestClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

fn spec(url: &str, grace: i64) -> SourceSpec {
    SourceSpec {
        name: "miit".into(),
        location: Fetchable {
            text: url.into(),
            origin: Origin::Url(url.parse().unwrap()),
        },
        pinned: PinnedSigners::new(vec![demo_signer_der()]).unwrap(),
        role: huren::config::ListRoleConfig::Miit,
        refresh: Duration::from_secs(3600),
        grace_secs: grace,
        fetch_timeout: Duration::from_millis(500),
        foreign: Vec::new(),
    }
}

struct Rig {
    refresher: Arc<Refresher>,
    trust: TrustHandle,
    clock: Arc<TestClock>,
}

fn rig(spec: SourceSpec, state_dir: Option<PathBuf>) -> Rig {
    let trust: TrustHandle = Arc::new(ArcSwapOption::empty());
    let clock = Arc::new(TestClock(AtomicI64::new(t("2026-06-01T00:00:00Z"))));
    let refresher = Refresher::new(vec![spec], state_dir, trust.clone(), clock.clone()).unwrap();
    Rig {
        refresher,
        trust,
        clock,
    }
}

impl Rig {
    fn loaded(&self) -> Arc<Loaded> {
        self.trust.load_full().expect("a snapshot is loaded")
    }
    fn sequence(&self) -> u64 {
        self.loaded().lists[0].sequence
    }
    fn snapshot_id(&self) -> String {
        self.loaded().snapshot.id().to_string()
    }
    fn last_error(&self) -> Option<String> {
        self.loaded().lists[0].last_error.clone()
    }
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("huren-refresh-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

// ---------------------------------------------------------------------------------------
// Tests.

#[tokio::test]
async fn a_good_list_is_loaded_and_bad_ones_change_nothing() {
    let server = Server::default();
    let (base, _task) = start(server.clone()).await;
    let url = format!("{base}/miit.xml");
    let r = rig(spec(&url, 3600), None);

    // Nothing served yet: a 404 is a failure, and nothing is loaded.
    let e = r.refresher.refresh_source(0).await.unwrap_err();
    assert!(e.contains("404"), "{e}");
    assert!(r.trust.load_full().is_none());
    // The source's status says why, though no list was ever loaded (`/v1/trust-lists`).
    let sources = RefreshTrigger::sources(&*r.refresher);
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0].name, "miit");
    assert_eq!(sources[0].location, url);
    assert_eq!(sources[0].sequence, None);
    assert_eq!(sources[0].last_fetch, Some(t("2026-06-01T00:00:00Z")));
    assert_eq!(sources[0].last_error.as_deref(), Some(e.as_str()));

    // A good list.
    let signer = demo_signer();
    let good = miit_list(2, "2030-12-31T23:59:59Z", &signer);
    server.set("/miit.xml", ok(good.clone()));
    assert_eq!(r.refresher.refresh_source(0).await, Ok(Outcome::Updated));
    let l = r.loaded();
    assert_eq!(l.lists[0].sequence, 2);
    assert_eq!(l.lists[0].sha256, sha256_hex(&good));
    assert_eq!(l.lists[0].last_error, None);
    assert!(l.lists[0].anchors > 0);
    let sources = RefreshTrigger::sources(&*r.refresher);
    assert_eq!(
        (sources[0].sequence, sources[0].last_error.as_deref()),
        (Some(2), None)
    );
    assert_eq!(
        l.usable_until,
        Some(t("2030-12-31T23:59:59Z") + 3600),
        "NextUpdate + grace"
    );
    let id = r.snapshot_id();

    // The same bytes again: unchanged.
    assert_eq!(r.refresher.refresh_source(0).await, Ok(Outcome::Unchanged));

    // A bad signature (one byte of the signed content changed).
    let text = String::from_utf8(good.clone()).unwrap();
    let tampered = text.replacen("Demo Licensed CA", "Demo Licensed CB", 1);
    assert_ne!(text, tampered);
    server.set("/miit.xml", ok(tampered.into_bytes()));
    let e = r.refresher.refresh_source(0).await.unwrap_err();
    assert_eq!(r.snapshot_id(), id, "a bad signature changes nothing");
    assert_eq!(r.last_error(), Some(e.clone()));

    // An unpinned signer.
    server.set(
        "/miit.xml",
        ok(miit_list(3, "2030-12-31T23:59:59Z", &other_signer())),
    );
    let e = r.refresher.refresh_source(0).await.unwrap_err();
    assert!(e.contains("pinned"), "{e}");
    assert_eq!(r.snapshot_id(), id);
    assert_eq!(r.sequence(), 2);

    // A lower sequence number (a genuine, older list): a rollback.
    server.set(
        "/miit.xml",
        ok(miit_list(1, "2030-12-31T23:59:59Z", &signer)),
    );
    let e = r.refresher.refresh_source(0).await.unwrap_err();
    assert!(e.contains("rollback"), "{e}");
    assert_eq!(r.sequence(), 2);

    // Not a list at all.
    server.set("/miit.xml", ok(b"<html>maintenance</html>".to_vec()));
    r.refresher.refresh_source(0).await.unwrap_err();
    assert_eq!(r.snapshot_id(), id);

    // A server error.
    server.set(
        "/miit.xml",
        Resp {
            status: 503,
            ..Resp::default()
        },
    );
    let e = r.refresher.refresh_source(0).await.unwrap_err();
    assert!(e.contains("503"), "{e}");
    assert_eq!(r.snapshot_id(), id);

    // A timeout (the spec allows 500 ms).
    server.set(
        "/miit.xml",
        Resp {
            delay_ms: 3000,
            ..ok(miit_list(4, "2030-12-31T23:59:59Z", &signer))
        },
    );
    let started = std::time::Instant::now();
    let e = r.refresher.refresh_source(0).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(2500), "{e}");
    assert_eq!(r.snapshot_id(), id);
    let l = r.loaded();
    assert!(l.lists[0].last_error.is_some());
    assert_eq!(l.lists[0].last_fetch, Some(r.clock.now()));

    let c = r.refresher.counters();
    assert_eq!(c.attempts, 9);
    assert_eq!(c.failures, 7);
    assert_eq!(c.unchanged, 1);
    assert_eq!(c.swaps, 1);
    assert_eq!(RefreshTrigger::counters(&*r.refresher), c);

    // A newer list replaces it, and the error is cleared.
    server.set(
        "/miit.xml",
        ok(miit_list(5, "2030-12-31T23:59:59Z", &signer)),
    );
    assert_eq!(r.refresher.refresh_source(0).await, Ok(Outcome::Updated));
    assert_eq!(r.sequence(), 5);
    assert_eq!(r.last_error(), None);
    assert_ne!(r.snapshot_id(), id);
}

#[tokio::test]
async fn etag_gives_304_and_sha2_is_checked() {
    let server = Server::default();
    let (base, _task) = start(server.clone()).await;
    let url = format!("{base}/tl/miit.xml");
    let r = rig(spec(&url, 0), None);
    let signer = demo_signer();
    let list = miit_list(2, "2030-12-31T23:59:59Z", &signer);
    server.set(
        "/tl/miit.xml",
        Resp {
            etag: Some("\"v2\"".into()),
            ..ok(list.clone())
        },
    );
    server.set("/tl/miit.xml.sha2", ok(sha256_hex(&list).into_bytes()));
    assert_eq!(r.refresher.refresh_source(0).await, Ok(Outcome::Updated));
    assert_eq!(server.not_modified.load(Ordering::SeqCst), 0);
    assert_eq!(r.refresher.refresh_source(0).await, Ok(Outcome::Unchanged));
    assert_eq!(
        server.not_modified.load(Ordering::SeqCst),
        1,
        "If-None-Match sent"
    );
    assert_eq!(r.last_error(), None);

    // A newer list whose .sha2 does not match: refused.
    let newer = miit_list(3, "2030-12-31T23:59:59Z", &signer);
    server.set(
        "/tl/miit.xml",
        Resp {
            etag: Some("\"v3\"".into()),
            ..ok(newer.clone())
        },
    );
    let e = r.refresher.refresh_source(0).await.unwrap_err();
    assert!(e.contains(".sha2"), "{e}");
    assert_eq!(r.sequence(), 2);

    // A .sha2 that is not a digest: refused.
    server.set("/tl/miit.xml.sha2", ok(b"not a digest".to_vec()));
    r.refresher.refresh_source(0).await.unwrap_err();
    assert_eq!(r.sequence(), 2);

    // The right digest (a trailing newline tolerated): accepted.
    server.set(
        "/tl/miit.xml.sha2",
        ok(format!("{}\n", sha256_hex(&newer)).into_bytes()),
    );
    assert_eq!(r.refresher.refresh_source(0).await, Ok(Outcome::Updated));
    assert_eq!(r.sequence(), 3);

    // No .sha2 at all (404): fine.
    server.remove("/tl/miit.xml.sha2");
    let newest = miit_list(4, "2030-12-31T23:59:59Z", &signer);
    server.set("/tl/miit.xml", ok(newest));
    assert_eq!(r.refresher.refresh_source(0).await, Ok(Outcome::Updated));
    assert_eq!(r.sequence(), 4);
}

#[tokio::test]
async fn a_restart_without_network_serves_from_the_state_dir() {
    let dir = scratch("restart");
    let server = Server::default();
    let (base, task) = start(server.clone()).await;
    let url = format!("{base}/miit.xml");
    let signer = demo_signer();
    server.set(
        "/miit.xml",
        Resp {
            etag: Some("\"seq2\"".into()),
            ..ok(miit_list(2, "2030-12-31T23:59:59Z", &signer))
        },
    );
    {
        let r = rig(spec(&url, 0), Some(dir.clone()));
        assert_eq!(r.refresher.load_from_disk().await, 0);
        assert_eq!(r.refresher.refresh_source(0).await, Ok(Outcome::Updated));
    }
    let kept: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(kept.iter().any(|n| n.ends_with(".xml")), "{kept:?}");
    assert!(
        !kept.iter().any(|n| n.contains(".tmp")),
        "no temporary file left: {kept:?}"
    );

    // The network goes down; a new process starts.
    task.abort();
    let _ = task.await;
    let r = rig(spec(&url, 0), Some(dir.clone()));
    assert!(r.trust.load_full().is_none());
    assert_eq!(r.refresher.load_from_disk().await, 1);
    assert_eq!(r.sequence(), 2);
    assert!(r.loaded().usable_at(r.clock.now()));
    let id = r.snapshot_id();
    let e = r.refresher.refresh_source(0).await.unwrap_err();
    assert_eq!(r.snapshot_id(), id, "a failed fetch changes nothing");
    assert_eq!(r.last_error(), Some(e));

    // The network comes back with an older list: still a rollback after the restart.
    let server2 = Server::default();
    let (base2, _task2) = start(server2.clone()).await;
    let url2 = format!("{base2}/miit.xml");
    server2.set(
        "/miit.xml",
        ok(miit_list(1, "2030-12-31T23:59:59Z", &signer)),
    );
    let r2 = rig(spec(&url2, 0), Some(dir.clone()));
    // Same source name: the same file in the state directory.
    assert_eq!(r2.refresher.load_from_disk().await, 1);
    let e = r2.refresher.refresh_source(0).await.unwrap_err();
    assert!(e.contains("rollback"), "{e}");
    assert_eq!(r2.sequence(), 2);

    // A list kept on disk whose signer is no longer pinned is not served.
    let mut s = spec(&url2, 0);
    s.pinned = PinnedSigners::new(vec![other_signer().certificate().to_vec()]).unwrap();
    let r3 = rig(s, Some(dir.clone()));
    assert_eq!(r3.refresher.load_from_disk().await, 0);
    assert!(r3.trust.load_full().is_none());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn past_next_update_plus_grace_the_snapshot_is_not_usable() {
    let dir = scratch("expiry");
    let list_file = dir.join("in").join("miit.xml");
    std::fs::create_dir_all(list_file.parent().unwrap()).unwrap();
    let signer = demo_signer();
    std::fs::write(&list_file, miit_list(2, "2026-07-01T00:00:00Z", &signer)).unwrap();
    let mut s = spec("http://unused.invalid/", 86_400);
    s.location = Fetchable {
        text: list_file.display().to_string(),
        origin: Origin::File(list_file.clone()),
    };
    let r = rig(s.clone(), Some(dir.join("state")));
    assert_eq!(r.refresher.refresh_source(0).await, Ok(Outcome::Updated));
    let until = t("2026-07-01T00:00:00Z") + 86_400;
    assert_eq!(r.loaded().usable_until, Some(until));
    assert!(r.loaded().usable_at(r.clock.now()));
    // Past NextUpdate, inside the grace: still usable.
    r.clock.0.store(until - 1, Ordering::SeqCst);
    assert!(r.loaded().usable_at(r.clock.now()));
    // Past NextUpdate + grace: not usable, and a refresh that finds the same list does not
    // make it usable.
    r.clock.0.store(until + 1, Ordering::SeqCst);
    assert!(!r.loaded().usable_at(r.clock.now()));
    assert_eq!(r.refresher.refresh_source(0).await, Ok(Outcome::Unchanged));
    assert!(!r.loaded().usable_at(r.clock.now()));

    // A restart after that instant loads the kept list (for /v1/trust-lists) under the
    // same rule: not usable.
    std::fs::remove_file(&list_file).unwrap();
    let r2 = rig(s, Some(dir.join("state")));
    r2.clock.0.store(until + 1, Ordering::SeqCst);
    assert_eq!(r2.refresher.load_from_disk().await, 1);
    assert!(!r2.loaded().usable_at(r2.clock.now()));
    r2.refresher.refresh_source(0).await.unwrap_err();
    assert!(!r2.loaded().usable_at(r2.clock.now()));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn foreign_lists_follow_the_pointers_and_the_trigger_refreshes() {
    let server = Server::default();
    let (base, _task) = start(server.clone()).await;
    let demo = std::fs::read(tv("miit-demo.xml")).unwrap();
    let foreign = std::fs::read(tv("foreign-scheme.xml")).unwrap();
    server.set("/miit.xml", ok(demo));
    server.set("/xa.xml", ok(foreign.clone()));
    let mut s = spec(&format!("{base}/miit.xml"), 0);
    let xa = format!("{base}/xa.xml");
    s.foreign = vec![Fetchable {
        text: xa.clone(),
        origin: Origin::Url(xa.parse().unwrap()),
    }];
    let r = rig(s, None);
    assert_eq!(r.refresher.refresh_source(0).await, Ok(Outcome::Updated));
    let l = r.loaded();
    assert_eq!(l.lists.len(), 2);
    assert_eq!(l.lists[1].territory, "XA");
    assert_eq!(l.lists[1].name, "miit/XA");
    assert!(l.lists[1].anchors > 0);
    let id = r.snapshot_id();

    // The foreign server fails: the foreign list held stays (it still verifies through the
    // MIIT list), with the error shown.
    server.set(
        "/xa.xml",
        Resp {
            status: 500,
            ..Resp::default()
        },
    );
    assert_eq!(r.refresher.refresh_source(0).await, Ok(Outcome::Unchanged));
    let l = r.loaded();
    assert_eq!(r.snapshot_id(), id);
    assert!(
        l.lists[1]
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("500"))
    );
    assert_eq!(l.lists[0].last_error, None);

    // A list of another signer at the foreign location: refused, the held one stays.
    server.set(
        "/xa.xml",
        ok(miit_list(9, "2030-12-31T23:59:59Z", &other_signer())),
    );
    r.refresher.refresh_source(0).await.unwrap();
    assert_eq!(r.snapshot_id(), id);
    assert!(r.loaded().lists[1].last_error.is_some());

    // POST /v1/admin/refresh's trigger: the running refresher does another round.
    server.set("/xa.xml", ok(foreign));
    let before = r.refresher.counters().attempts;
    let task = r.refresher.spawn();
    tokio::time::timeout(Duration::from_secs(10), r.refresher.wait_rounds(1))
        .await
        .unwrap();
    RefreshTrigger::trigger(&*r.refresher);
    tokio::time::timeout(Duration::from_secs(10), r.refresher.wait_rounds(2))
        .await
        .unwrap();
    task.abort();
    assert_eq!(r.refresher.counters().attempts, before + 2);
    assert_eq!(r.loaded().lists[1].last_error, None);
}
