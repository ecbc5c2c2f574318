//! The HTTP API driven in process (`app(state)` with tower's `oneshot`, no socket), over the
//! bundled demo trust list and a stopped clock.

use arc_swap::ArcSwapOption;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use huren::config::{Config, PolicyConfig};
use huren::server::app;
use huren::server::state::{
    AppState, FixedClock, Loaded, NoRefresh, NoRevocationSource, RefreshTrigger, TrustHandle,
};
use huren_trustlists::snapshot::{ListRole, build_snapshot};
use huren_trustlists::verify::{PinnedSigners, verify};
use huren_validator::{parse_rfc3339, pem};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tower::ServiceExt;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(p: &str) -> String {
    std::fs::read_to_string(root().join(p)).unwrap()
}

/// 2026-06-01T00:00:00Z: the demo chain is valid, the withdrawn CA is withdrawn.
fn now() -> i64 {
    parse_rfc3339("2026-06-01T00:00:00Z").unwrap()
}

fn demo_loaded() -> Loaded {
    let signer = std::fs::read(root().join("testvectors/trustlists/miit-demo-signer.pem")).unwrap();
    let der = pem::decode_all(&signer, pem::CERTIFICATE_LABELS).unwrap();
    let pinned = PinnedSigners::new(der).unwrap();
    let bytes = std::fs::read(root().join("testvectors/trustlists/miit-demo.xml")).unwrap();
    let v = verify(&bytes, &pinned, now()).unwrap();
    let snapshot = build_snapshot(&[(&v, ListRole::Miit)]);
    let usable_until = snapshot.next_update();
    Loaded::new(snapshot, Vec::new(), now(), usable_until, Arc::new(vec![v]))
}

#[derive(Default)]
struct CountingRefresh(AtomicUsize);

impl RefreshTrigger for CountingRefresh {
    fn trigger(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

struct Service {
    app: Router,
    clock: Arc<FixedClock>,
    trust: TrustHandle,
}

fn service_with(
    config: Config,
    loaded: Option<Loaded>,
    refresh: Arc<dyn RefreshTrigger>,
) -> Service {
    let clock = Arc::new(FixedClock::at(now()));
    let trust: TrustHandle = Arc::new(ArcSwapOption::from(loaded.map(Arc::new)));
    let state = AppState::new(
        config,
        trust.clone(),
        clock.clone(),
        Arc::new(NoRevocationSource),
        refresh,
    )
    .unwrap();
    Service {
        app: app(state),
        clock,
        trust,
    }
}

fn service() -> Service {
    service_with(Config::default(), Some(demo_loaded()), Arc::new(NoRefresh))
}

async fn call(app: &Router, req: Request<Body>) -> (StatusCode, HeaderMap, Bytes) {
    let r = app.clone().oneshot(req).await.unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let body = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, headers, body)
}

fn post(path: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .unwrap()
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

async fn post_json(app: &Router, path: &str, v: &Value) -> (StatusCode, HeaderMap, Value) {
    let (s, h, b) = call(app, post(path, serde_json::to_vec(v).unwrap())).await;
    let v = serde_json::from_slice(&b)
        .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&b)));
    (s, h, v)
}

fn demo_request() -> Value {
    json!({
        "certificate": read("testvectors/demo/leaf.pem"),
        "intermediates": [read("testvectors/demo/intermediates.pem")],
    })
}

fn assert_problem(status: StatusCode, h: &HeaderMap, v: &Value, want: StatusCode, code: &str) {
    assert_eq!(status, want, "{v:#}");
    assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
    assert_eq!(v["code"], code, "{v:#}");
    assert_eq!(v["status"], want.as_u16());
    assert!(v["type"].is_string() && v["title"].is_string() && v["detail"].is_string());
}

#[tokio::test]
async fn demo_chain_is_valid_with_its_licence() {
    let s = service();
    let (st, h, v) = post_json(&s.app, "/v1/validate", &demo_request()).await;
    assert_eq!(st, StatusCode::OK, "{v:#}");
    assert_eq!(h[header::CONTENT_TYPE], "application/json");
    assert!(h.contains_key("x-request-id"));
    assert_eq!(v["status"], "VALID", "{v:#}");
    assert_eq!(v["code"], "OK");
    assert_eq!(v["retryable"], false);
    assert_eq!(v["validationTime"], "2026-06-01T00:00:00Z");
    assert_eq!(v["producedAt"], "2026-06-01T00:00:00Z");
    assert_eq!(v["policy"], json!({"id": "default", "version": "1"}));
    assert_eq!(v["anchor"]["licence"], "ECS-2026-001");
    assert_eq!(v["anchor"]["kind"], "domestic");
    assert_eq!(v["path"].as_array().unwrap().len(), 3);
    assert!(v["checks"].as_array().unwrap().len() > 3);
    assert!(v["warnings"].is_array() && v["revocation"].is_array());
    assert_eq!(v["etsi"]["indication"], "TOTAL-PASSED");
    let snap = &v["trustSnapshot"];
    assert!(snap["id"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(snap["lists"][0]["territory"], "CN");
    assert_eq!(snap["lists"][0]["sequence"], 1);
    // nextUpdate: the earliest of the leaf's notAfter, the list's usable_until and
    // now + 1 h; here now + 1 h.
    assert_eq!(v["nextUpdate"], "2026-06-01T01:00:00Z");
    // The same chain as base64 DER.
    let der = |p: &str| {
        let d = pem::decode_all(read(p).as_bytes(), pem::CERTIFICATE_LABELS).unwrap();
        <base64ct::Base64 as base64ct::Encoding>::encode_string(&d[0])
    };
    let req = json!({
        "certificate": der("testvectors/demo/leaf.pem"),
        "intermediates": [der("testvectors/demo/intermediates.pem")],
        "usage": {"keyUsage": ["digitalSignature"]},
        "policy": "default",
    });
    let (st, _, v) = post_json(&s.app, "/v1/validate", &req).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["status"], "VALID", "{v:#}");
}

#[tokio::test]
async fn withdrawn_ca_is_not_trusted_at_time() {
    let s = service();
    let req = json!({
        "certificate": read("testvectors/trustlists/chains/withdrawn-issued-while-granted/leaf.pem"),
        "validationTime": "2026-06-01T00:00:00Z",
        "usage": {"keyUsage": ["digitalSignature"]},
    });
    let (st, _, v) = post_json(&s.app, "/v1/validate", &req).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["status"], "INVALID", "{v:#}");
    assert_eq!(v["code"], "ANCHOR_NOT_TRUSTED_AT_TIME");
    assert_eq!(v["anchor"]["statusAtValidationTime"], "withdrawn");
    assert_eq!(v["anchor"]["statusAtIssuance"], "granted");
    assert_eq!(
        v["etsi"],
        json!({"indication": "INDETERMINATE", "subIndication": "NO_CERTIFICATE_CHAIN_FOUND"})
    );
}

#[tokio::test]
async fn batch_keeps_order_with_item_problems() {
    let s = service();
    let withdrawn = json!({
        "certificate": read("testvectors/trustlists/chains/withdrawn-issued-while-granted/leaf.pem"),
    });
    let req =
        json!({"items": [demo_request(), {"certificate": "hello"}, withdrawn, {"policy": 5}]});
    let (st, _, v) = post_json(&s.app, "/v1/validate/batch", &req).await;
    assert_eq!(st, StatusCode::OK, "{v:#}");
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    for (i, it) in items.iter().enumerate() {
        assert_eq!(it["index"], i);
    }
    assert_eq!(items[0]["result"]["status"], "VALID");
    assert_eq!(items[1]["problem"]["code"], "INVALID_REQUEST");
    assert_eq!(items[2]["result"]["code"], "ANCHOR_NOT_TRUSTED_AT_TIME");
    assert_eq!(items[3]["problem"]["code"], "INVALID_REQUEST");
    // Over the batch limit: refused whole.
    let mut cfg = Config::default();
    cfg.limits.batch_size = 2;
    let s = service_with(cfg, Some(demo_loaded()), Arc::new(NoRefresh));
    let (st, h, v) = post_json(&s.app, "/v1/validate/batch", &req).await;
    assert_problem(
        st,
        &h,
        &v,
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
    );
}

#[tokio::test]
async fn limits_answer_at_once() {
    let mut cfg = Config::default();
    cfg.limits.body_bytes = 1000;
    cfg.limits.chain_length = 2;
    let s = service_with(cfg, Some(demo_loaded()), Arc::new(NoRefresh));
    // Declared length over the limit: refused before the body is read (the body here
    // never ends, so reading it would hang).
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(1);
    let body = Body::from_stream(tokio_stream_from(rx));
    let req = Request::post("/v1/validate")
        .header(header::CONTENT_LENGTH, "5000000")
        .body(body)
        .unwrap();
    let r = tokio::time::timeout(std::time::Duration::from_secs(5), call(&s.app, req))
        .await
        .expect("answered at once");
    drop(tx);
    let v: Value = serde_json::from_slice(&r.2).unwrap();
    assert_problem(
        r.0,
        &r.1,
        &v,
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
    );
    // No declared length (chunked), over the limit.
    let big = vec![b' '; 5000];
    let req = Request::post("/v1/validate")
        .body(Body::from_stream(futures_once(Bytes::from(big))))
        .unwrap();
    let (st, h, b) = call(&s.app, req).await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_problem(
        st,
        &h,
        &v,
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
    );
    // Chain length.
    let req = json!({"certificate": "x", "intermediates": ["a", "b"]});
    let (st, h, v) = post_json(&s.app, "/v1/validate", &req).await;
    assert_problem(
        st,
        &h,
        &v,
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
    );
    assert!(v["detail"].as_str().unwrap().contains("at most 2"), "{v:#}");
}

/// A stream over a channel (no extra crates).
fn tokio_stream_from(
    mut rx: tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>,
) -> impl futures_core::Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

fn futures_once(b: Bytes) -> impl futures_core::Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::iter([Ok(b)])
}

#[tokio::test]
async fn bad_requests_are_problems_without_echo() {
    let s = service();
    let (st, h, b) = call(&s.app, post("/v1/validate", "{not json")).await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_problem(st, &h, &v, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    let (st, h, v) = post_json(&s.app, "/v1/validate", &json!({"certificate": "hello"})).await;
    assert_problem(st, &h, &v, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    assert!(
        v["detail"].as_str().unwrap().contains("certificate"),
        "{v:#}"
    );
    let file = read("testvectors/trustlists/miit-demo-signer-key.pem");
    let start = file.find("-----BEGIN PRIVATE KEY-----").unwrap();
    let key = file[start..].to_owned();
    let b64: Vec<&str> = key.lines().filter(|l| !l.starts_with("-----")).collect();
    let body = b64[1].to_owned();
    for req in [
        json!({"certificate": key}),
        json!({"certificate": read("testvectors/demo/leaf.pem"), "intermediates": [key]}),
        json!({"certificate": b64.concat()}),
        json!({"certificate": read("testvectors/demo/leaf.pem"), "fresh": key}),
    ] {
        let (st, h, b) = call(
            &s.app,
            post("/v1/validate", serde_json::to_vec(&req).unwrap()),
        )
        .await;
        let text = String::from_utf8_lossy(&b);
        assert!(!text.contains(&body), "the key was echoed: {text}");
        let v: Value = serde_json::from_slice(&b).unwrap();
        assert_problem(st, &h, &v, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
        assert!(
            v["detail"].as_str().unwrap().contains("private key"),
            "{v:#}"
        );
    }
    // Unknown fields, bad times, bad usages.
    let mut r = demo_request();
    r["validationTime"] = json!("yesterday");
    let (st, h, v) = post_json(&s.app, "/v1/validate", &r).await;
    assert_problem(st, &h, &v, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    r["validationTime"] = json!("2027-01-01T00:00:00Z");
    let (st, h, v) = post_json(&s.app, "/v1/validate", &r).await;
    assert_problem(
        st,
        &h,
        &v,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_TIME_UNSUPPORTED",
    );
    let mut r = demo_request();
    r["usage"] = json!({"keyUsage": ["signing"]});
    let (st, h, v) = post_json(&s.app, "/v1/validate", &r).await;
    assert_problem(st, &h, &v, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    let mut r = demo_request();
    r["colour"] = json!("blue");
    let (st, h, v) = post_json(&s.app, "/v1/validate", &r).await;
    assert_problem(st, &h, &v, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    assert!(v["detail"].as_str().unwrap().contains("colour"), "{v:#}");
}

#[tokio::test]
async fn policies_and_unknown_policy() {
    let cfg = Config {
        policies: vec![
            PolicyConfig {
                id: "default".into(),
                version: "7".into(),
                description: "d".into(),
                profile: "rfc5280".into(),
                revocation: "off".into(),
                policy_oids: vec![],
                key_usages: vec![],
                ekus: vec![],
            },
            PolicyConfig {
                id: "cn-esign".into(),
                version: "3".into(),
                description: "e-signatures".into(),
                profile: "rfc5280".into(),
                revocation: "prefer".into(),
                policy_oids: vec![],
                key_usages: vec!["nonRepudiation".into()],
                ekus: vec![],
            },
        ],
        ..Config::default()
    };
    let s = service_with(cfg, Some(demo_loaded()), Arc::new(NoRefresh));
    let (st, _, b) = call(&s.app, get("/v1/policies")).await;
    assert_eq!(st, StatusCode::OK);
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    let (st, _, b) = call(&s.app, get("/v1/policies/cn-esign")).await;
    assert_eq!(st, StatusCode::OK);
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(v["version"], "3");
    assert_eq!(v["keyUsages"], json!(["nonRepudiation"]));
    let (st, h, b) = call(&s.app, get("/v1/policies/nope")).await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_problem(st, &h, &v, StatusCode::NOT_FOUND, "UNKNOWN_POLICY");
    let mut r = demo_request();
    r["policy"] = json!("nope");
    let (st, h, v) = post_json(&s.app, "/v1/validate", &r).await;
    assert_problem(st, &h, &v, StatusCode::NOT_FOUND, "UNKNOWN_POLICY");
    r["policy"] = json!("cn-esign");
    let (_, _, v) = post_json(&s.app, "/v1/validate", &r).await;
    assert_eq!(v["status"], "VALID", "{v:#}");
    assert_eq!(v["policy"], json!({"id": "cn-esign", "version": "3"}));
    // A bad policy refuses the state.
    let cfg = Config {
        policies: vec![PolicyConfig {
            id: "x".into(),
            version: "1".into(),
            description: String::new(),
            profile: "nope".into(),
            revocation: "off".into(),
            policy_oids: vec![],
            key_usages: vec![],
            ekus: vec![],
        }],
        ..Config::default()
    };
    let err = AppState::new(
        cfg,
        Arc::new(ArcSwapOption::empty()),
        Arc::new(FixedClock::at(0)),
        Arc::new(NoRevocationSource),
        Arc::new(NoRefresh),
    )
    .err()
    .unwrap();
    assert!(err.contains("\"x\"") && err.contains("profile"), "{err}");
}

#[tokio::test]
async fn expired_and_missing_snapshots_fail_closed() {
    let s = service();
    let (st, _, _) = call(&s.app, get("/readyz")).await;
    assert_eq!(st, StatusCode::OK);
    // Past usable_until (the list's NextUpdate, 2030-12-31T23:59:59Z).
    s.clock.set(parse_rfc3339("2031-01-02T00:00:00Z").unwrap());
    let mut r = demo_request();
    r["validationTime"] = json!("2026-06-01T00:00:00Z");
    let (st, _, v) = post_json(&s.app, "/v1/validate", &r).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["status"], "INDETERMINATE", "{v:#}");
    assert_eq!(v["code"], "TRUST_LIST_EXPIRED");
    assert_eq!(v["retryable"], true);
    let (st, h, b) = call(&s.app, get("/readyz")).await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_problem(st, &h, &v, StatusCode::SERVICE_UNAVAILABLE, "NOT_READY");
    // No snapshot at all.
    s.trust.store(None);
    let (st, h, b) = call(&s.app, get("/readyz")).await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_problem(st, &h, &v, StatusCode::SERVICE_UNAVAILABLE, "NOT_READY");
    let (st, _, v) = post_json(&s.app, "/v1/validate", &demo_request()).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["code"], "TRUST_LIST_UNAVAILABLE", "{v:#}");
    assert_eq!(v["trustSnapshot"], Value::Null);
    // Still a 400 for a bad request.
    let (st, _, _) = post_json(&s.app, "/v1/validate", &json!({"certificate": "hello"})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let (st, _, b) = call(&s.app, get("/livez")).await;
    assert_eq!(st, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
}

fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(name) && l[name.len()..].starts_with([' ', '{']))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in\n{text}"))
}

#[tokio::test]
async fn repeated_requests_hit_the_cache_and_fresh_bypasses() {
    let s = service();
    let (_, h, a) = post_json(&s.app, "/v1/validate", &demo_request()).await;
    assert_eq!(h["x-huren-cache"], "miss");
    let (_, h, b) = post_json(&s.app, "/v1/validate", &demo_request()).await;
    assert_eq!(h["x-huren-cache"], "hit");
    assert_eq!(a, b);
    let mut r = demo_request();
    r["fresh"] = json!(true);
    let (_, h, _) = post_json(&s.app, "/v1/validate", &r).await;
    assert_eq!(h["x-huren-cache"], "bypass");
    // Another usage is another key.
    let mut r = demo_request();
    r["usage"] = json!({"keyUsage": ["nonRepudiation"]});
    let (_, h, _) = post_json(&s.app, "/v1/validate", &r).await;
    assert_eq!(h["x-huren-cache"], "miss");
    // The entry ends at nextUpdate (now + 1 h).
    s.clock.set(now() + 3600);
    let (_, h, _) = post_json(&s.app, "/v1/validate", &demo_request()).await;
    assert_eq!(h["x-huren-cache"], "miss");
    let (st, h, b) = call(&s.app, get("/metrics")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        h[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("openmetrics")
    );
    let text = String::from_utf8(b.to_vec()).unwrap();
    assert!(text.trim_end().ends_with("# EOF"), "{text}");
    for l in text.lines() {
        assert!(
            l.starts_with('#') || l.rsplit(' ').next().unwrap().parse::<f64>().is_ok(),
            "unparsable line {l:?}"
        );
    }
    assert_eq!(metric(&text, "huren_result_cache_hits_total"), 1.0);
    assert_eq!(metric(&text, "huren_result_cache_misses_total"), 3.0);
    assert_eq!(metric(&text, "huren_result_cache_bypassed_total"), 1.0);
    assert!(
        metric(&text, "huren_signature_memo_hits_total") >= 1.0,
        "{text}"
    );
    assert!(
        text.contains(r#"huren_validations_total{status="VALID",code="OK"} 5"#),
        "{text}"
    );
    assert!(
        text.contains(r#"huren_http_requests_total{endpoint="/v1/validate",status="200"} 5"#),
        "{text}"
    );
    assert_eq!(metric(&text, "huren_snapshot_loaded"), 1.0);
    assert!(metric(&text, "huren_snapshot_expires_in_seconds") > 0.0);
}

#[tokio::test]
async fn openapi_is_generated_and_lists_the_paths() {
    let s = service();
    let (st, _, b) = call(&s.app, get("/openapi.json")).await;
    assert_eq!(st, StatusCode::OK);
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert!(v["openapi"].as_str().unwrap().starts_with("3.1"));
    for p in [
        "/v1/validate",
        "/v1/validate/batch",
        "/v1/policies",
        "/v1/policies/{id}",
        "/v1/anchors",
        "/v1/anchors/{sha256}",
        "/v1/trust-lists",
        "/v1/admin/refresh",
        "/livez",
        "/readyz",
        "/metrics",
        "/openapi.json",
    ] {
        assert!(v["paths"][p].is_object(), "{p} missing");
    }
    // Every field of a real answer is in the documented schema.
    let props = &v["components"]["schemas"]["ValidationResult"]["properties"];
    let (_, _, a) = post_json(&s.app, "/v1/validate", &demo_request()).await;
    for k in a.as_object().unwrap().keys() {
        assert!(
            props[k].is_object(),
            "answer field {k} is not in the OpenAPI schema"
        );
    }
    for k in props.as_object().unwrap().keys() {
        assert!(a.get(k).is_some(), "schema field {k} is not in the answer");
    }
}

#[tokio::test]
async fn admin_refresh_needs_the_token() {
    let refresh = Arc::new(CountingRefresh::default());
    let s = service_with(Config::default(), Some(demo_loaded()), refresh.clone());
    let (st, h, b) = call(&s.app, post("/v1/admin/refresh", "")).await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_problem(st, &h, &v, StatusCode::NOT_FOUND, "NOT_FOUND");
    let cfg = Config {
        admin_token: Some("s3cret".into()),
        ..Config::default()
    };
    let s = service_with(cfg, Some(demo_loaded()), refresh.clone());
    let (st, h, b) = call(&s.app, post("/v1/admin/refresh", "")).await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_problem(st, &h, &v, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
    let req = |t: &str| {
        Request::post("/v1/admin/refresh")
            .header(header::AUTHORIZATION, format!("Bearer {t}"))
            .body(Body::empty())
            .unwrap()
    };
    let (st, h, b) = call(&s.app, req("wrong")).await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_problem(st, &h, &v, StatusCode::FORBIDDEN, "FORBIDDEN");
    assert_eq!(refresh.0.load(Ordering::SeqCst), 0);
    let (st, _, _) = call(&s.app, req("s3cret")).await;
    assert_eq!(st, StatusCode::ACCEPTED);
    assert_eq!(refresh.0.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn anchors_and_trust_lists() {
    let s = service();
    let (st, _, b) = call(&s.app, get("/v1/anchors")).await;
    assert_eq!(st, StatusCode::OK);
    let v: Value = serde_json::from_slice(&b).unwrap();
    let anchors = v["anchors"].as_array().unwrap();
    assert!(anchors.iter().all(|a| a["inForce"] == true));
    let demo = anchors
        .iter()
        .find(|a| a["licence"]["number"] == "ECS-2026-001")
        .expect("the demo CA is in force");
    assert_eq!(demo["kind"], "domestic");
    assert_eq!(demo["statusAt"]["status"], "granted");
    assert_eq!(demo["provenance"]["territory"], "CN");
    let (_, _, b) = call(&s.app, get("/v1/anchors?all=true")).await;
    let all: Value = serde_json::from_slice(&b).unwrap();
    let all = all["anchors"].as_array().unwrap();
    assert!(all.len() > anchors.len());
    let withdrawn = all
        .iter()
        .find(|a| a["licence"]["number"] == "ECS-2022-003")
        .unwrap();
    assert_eq!(withdrawn["inForce"], false);
    assert_eq!(withdrawn["statusAt"]["status"], "withdrawn");
    assert!(withdrawn["history"].as_array().unwrap().len() >= 2);
    // Before the withdrawal (2025-10-01) it was in force.
    let sha = withdrawn["sha256"].as_str().unwrap();
    let (st, _, b) = call(
        &s.app,
        get(&format!("/v1/anchors/{sha}?at=2025-06-01T00:00:00Z")),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let one: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(one["statusAt"]["status"], "granted");
    assert_eq!(one["inForce"], true);
    let (st, h, b) = call(&s.app, get(&format!("/v1/anchors/{}", "0".repeat(64)))).await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_problem(st, &h, &v, StatusCode::NOT_FOUND, "NOT_FOUND");
    let (st, h, b) = call(&s.app, get("/v1/anchors/xyz")).await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_problem(st, &h, &v, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    let (st, h, b) = call(&s.app, get("/v1/anchors?at=soon")).await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_problem(st, &h, &v, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    let (st, _, b) = call(&s.app, get("/v1/trust-lists")).await;
    assert_eq!(st, StatusCode::OK);
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert!(v["snapshot"]["id"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(v["snapshot"]["usable"], true);
    assert_eq!(v["snapshot"]["lists"][0]["territory"], "CN");
    // Unknown paths and methods are problems too.
    let (st, h, b) = call(&s.app, get("/v2/nothing")).await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_problem(st, &h, &v, StatusCode::NOT_FOUND, "NOT_FOUND");
    let (st, h, b) = call(&s.app, get("/v1/validate")).await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_problem(
        st,
        &h,
        &v,
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
    );
}

#[tokio::test]
async fn work_beyond_the_inline_budget_is_redone_with_the_full_budget() {
    // The demo chain needs two signature verifications with a cold memo (leaf by the
    // intermediate, intermediate by the anchor).
    let stats = |v: &Value| {
        (
            v["stats"]["signaturesVerified"].as_u64().unwrap(),
            v["stats"]["memoHits"].as_u64().unwrap(),
        )
    };
    for (inline, want) in [(2, (2, 0)), (1, (1, 1)), (0, (2, 0))] {
        let mut config = Config::default();
        config.limits.inline_signatures = inline;
        let s = service_with(config, Some(demo_loaded()), Arc::new(NoRefresh));
        let (st, h, v) = post_json(&s.app, "/v1/validate", &demo_request()).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(h["x-huren-cache"], "miss");
        assert_eq!(v["status"], "VALID", "inline {inline}: {v:#}");
        // With 1 inline signature, the first run verified the leaf's signature and ran out
        // on the intermediate's; the second took the first from the memo.
        assert_eq!(stats(&v), want, "inline {inline}: {:#}", v["stats"]);
    }
}

#[tokio::test]
async fn intermediates_are_parsed_once() {
    let s = service();
    let mut r = demo_request();
    for fresh in [false, true, true] {
        r["fresh"] = json!(fresh);
        let (_, _, v) = post_json(&s.app, "/v1/validate", &r).await;
        assert_eq!(v["status"], "VALID", "{v:#}");
    }
    // The same text, differently laid out, is another entry (the key is the text as sent).
    let reflowed = read("testvectors/demo/intermediates.pem").replace('\n', "\r\n");
    r["intermediates"] = json!([reflowed]);
    let (_, _, v) = post_json(&s.app, "/v1/validate", &r).await;
    assert_eq!(v["status"], "VALID", "{v:#}");
    // A text that does not parse is a request problem every time, and never kept.
    r["intermediates"] = json!(["-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"]);
    for _ in 0..2 {
        let (st, _, v) = post_json(&s.app, "/v1/validate", &r).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{v:#}");
    }
    let (_, _, b) = call(&s.app, get("/metrics")).await;
    let text = String::from_utf8(b.to_vec()).unwrap();
    assert_eq!(metric(&text, "huren_intermediate_cache_hits_total"), 2.0);
    assert_eq!(metric(&text, "huren_intermediate_cache_misses_total"), 4.0);
}

#[tokio::test]
async fn a_request_over_its_time_gets_request_timeout() {
    let mut cfg = Config::default();
    cfg.limits.request_timeout_ms = 50;
    let s = service_with(cfg, Some(demo_loaded()), Arc::new(NoRefresh));
    // A body that never ends: the request cannot finish, the limit answers it.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(1);
    let req = Request::post("/v1/validate")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(tokio_stream_from(rx)))
        .unwrap();
    let started = std::time::Instant::now();
    let (st, h, b) = tokio::time::timeout(std::time::Duration::from_secs(10), call(&s.app, req))
        .await
        .expect("answered by the time limit");
    drop(tx);
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_problem(
        st,
        &h,
        &v,
        StatusCode::SERVICE_UNAVAILABLE,
        "REQUEST_TIMEOUT",
    );
    assert_eq!(h[header::RETRY_AFTER], "1");
    assert!(started.elapsed() >= std::time::Duration::from_millis(50));
    // The service goes on answering.
    let (st, _, v) = post_json(&s.app, "/v1/validate", &demo_request()).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["status"], "VALID");
}

#[tokio::test]
async fn clients_over_the_rate_get_rate_limited_with_retry_after() {
    let mut cfg = Config::default();
    cfg.limits.rate_per_client = 1;
    cfg.limits.rate_burst = 2;
    let s = service_with(cfg, Some(demo_loaded()), Arc::new(NoRefresh));
    for _ in 0..2 {
        let (st, _, v) = post_json(&s.app, "/v1/validate", &demo_request()).await;
        assert_eq!(st, StatusCode::OK, "{v:#}");
    }
    let (st, h, v) = post_json(&s.app, "/v1/validate", &demo_request()).await;
    assert_problem(st, &h, &v, StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED");
    assert_eq!(h[header::RETRY_AFTER], "1");
    // The interop form's posts share the limit.
    let req = Request::post("/interop")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("chain=x"))
        .unwrap();
    let (st, h, _) = call(&s.app, req).await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(h[header::RETRY_AFTER], "1");
    // Other endpoints are not limited.
    let (st, _, _) = call(&s.app, get("/v1/policies")).await;
    assert_eq!(st, StatusCode::OK);
    let (st, _, _) = call(&s.app, get("/livez")).await;
    assert_eq!(st, StatusCode::OK);
}

#[tokio::test]
async fn include_chooses_the_sections_of_the_answer() {
    let s = service();
    let (_, _, full) = post_json(&s.app, "/v1/validate", &demo_request()).await;
    let mut r = demo_request();
    r["include"] = json!(["anchor"]);
    let (st, h, v) = post_json(&s.app, "/v1/validate", &r).await;
    assert_eq!(st, StatusCode::OK);
    // Another set of sections is another cache entry.
    assert_eq!(h["x-huren-cache"], "miss");
    assert_eq!(v["status"], "VALID");
    assert_eq!(v["anchor"], full["anchor"]);
    for always in [
        "code",
        "message",
        "retryable",
        "validationTime",
        "producedAt",
        "nextUpdate",
        "policy",
        "trustSnapshot",
        "validUntil",
        "etsi",
    ] {
        assert_eq!(v[always], full[always], "{always}");
    }
    for left_out in [
        "path",
        "checks",
        "revocation",
        "warnings",
        "policies",
        "stats",
    ] {
        assert!(v.get(left_out).is_none(), "{left_out} in {v:#}");
    }
    r["include"] = json!(["path", "nonsense"]);
    let (st, h, v) = post_json(&s.app, "/v1/validate", &r).await;
    assert_problem(st, &h, &v, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    assert!(v["detail"].as_str().unwrap().contains("nonsense"), "{v:#}");
}
