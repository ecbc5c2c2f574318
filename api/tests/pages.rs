//! The HTML pages (`/`, `/directory`, `/directory/{sha256}`, `/interop`) driven in process
//! (`app(state)` with tower's `oneshot`), over the bundled demo trust list and a clock stopped
//! at 2026-06-01T00:00:00Z.

#[path = "common/demo.rs"]
mod demo;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use demo::{demo_loaded, demo_state, now, read};
use huren::config::Config;
use huren::server::app;
use huren::server::state::{FixedClock, Loaded};
use huren_validator::{parse_rfc3339, pem};
use std::sync::Arc;
use tower::ServiceExt;

struct Service {
    app: Router,
    clock: Arc<FixedClock>,
}

fn service_with(config: Config, loaded: Option<Loaded>) -> Service {
    let (state, clock) = demo_state(config, loaded);
    Service {
        app: app(state),
        clock,
    }
}

fn service() -> Service {
    service_with(Config::default(), Some(demo_loaded(now())))
}

async fn call(app: &Router, req: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let r = app.clone().oneshot(req).await.unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let body: Bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}

async fn get(app: &Router, path: &str) -> (StatusCode, HeaderMap, String) {
    call(app, Request::get(path).body(Body::empty()).unwrap()).await
}

async fn get_lang(app: &Router, path: &str, accept: &str) -> (StatusCode, HeaderMap, String) {
    let req = Request::get(path)
        .header(header::ACCEPT_LANGUAGE, accept)
        .body(Body::empty())
        .unwrap();
    call(app, req).await
}

/// A multipart/form-data body: text fields, then files (name, file name, bytes).
fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----huren-test-boundary-7d3f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, file, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_multipart(
    app: &Router,
    path: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> (StatusCode, HeaderMap, String) {
    let (ct, body) = multipart(fields, files);
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body))
        .unwrap();
    call(app, req).await
}

/// Percent-encodes a form value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn post_form(
    app: &Router,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, HeaderMap, String) {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect();
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.join("&")))
        .unwrap();
    call(app, req).await
}

fn assert_html(status: StatusCode, h: &HeaderMap, body: &str, want: StatusCode) {
    assert_eq!(status, want, "{body}");
    assert_eq!(h[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert!(body.starts_with("<!DOCTYPE html>"), "{body}");
    assert!(
        h[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    assert!(!body.contains("<script"), "no script on any page");
    // One h1, and a switch to each language.
    assert_eq!(body.matches("<h1").count(), 1, "{body}");
    assert!(body.contains("hreflang=\"zh-CN\"") && body.contains("hreflang=\"en\""));
}

/// The body rows of the page's tables (`<tr><th scope="row">`).
fn rows(body: &str) -> usize {
    body.matches("<tr><th scope=\"row\">").count()
}

const WITHDRAWN_CA: &str = "3556ab5f40a1a3c58c9ca6e53dc40fe007b3537fe2b51801c46a3612a5b14171";

#[tokio::test]
async fn home_links_to_the_pages_and_the_api() {
    let s = service();
    let (st, h, body) = get(&s.app, "/").await;
    assert_html(st, &h, &body, StatusCode::OK);
    assert_eq!(h[header::VARY], "accept-language");
    assert!(body.contains("<html lang=\"en\">"));
    for link in ["/directory?lang=en", "/interop?lang=en", "/openapi.json"] {
        assert!(body.contains(&format!("href=\"{link}\"")), "{link}: {body}");
    }
    assert!(body.contains("CN #1, XA #3"), "{body}");
    let (st, h, body) = get(&s.app, "/?lang=zh").await;
    assert_html(st, &h, &body, StatusCode::OK);
    assert!(body.contains("<html lang=\"zh-CN\">"));
    assert!(body.contains("href=\"/directory?lang=zh\""));
    assert!(body.contains("电子认证服务机构目录"));
    // The HTML routes stay out of the OpenAPI document.
    let (_, _, doc) = get(&s.app, "/openapi.json").await;
    assert!(!doc.contains("\"/directory\"") && !doc.contains("\"/interop\""));
}

#[tokio::test]
async fn directory_lists_the_licensed_and_approved_cas() {
    let s = service();
    let (st, h, body) = get(&s.app, "/directory").await;
    assert_html(st, &h, &body, StatusCode::OK);
    assert!(body.contains("ECS-2026-001"), "{body}");
    assert!(body.contains("MIIT-FA-2025-012"));
    assert!(body.contains("Demo Licensed CA") && body.contains("Demo XB Approved CA"));
    assert!(body.contains("Signature verified."));
    // Status now at the service's clock, dates in ISO 8601.
    assert!(body.contains("<time datetime=\"2026-06-01T00:00:00Z\">2026-06-01T00:00:00Z</time>"));
    assert!(body.contains("<time datetime=\"2031-01-01T00:00:00Z\">2031-01-01</time>"));
    // Index links point at the service's CA pages, in the same language.
    assert!(
        body.contains(&format!("href=\"/directory/{WITHDRAWN_CA}?lang=en\"")),
        "{body}"
    );
    assert!(!body.contains("href=\"ca/"));
    // A labelled search form (GET) carrying the language.
    assert!(body.contains("<form class=\"filter\" method=\"get\" action=\"/directory\""));
    assert!(body.contains("<label for=\"q\">") && body.contains("id=\"q\" name=\"q\""));
    assert!(body.contains("<label for=\"kind\">") && body.contains("<label for=\"status\">"));
    assert!(body.contains("<input type=\"hidden\" name=\"lang\" value=\"en\">"));
    assert!(body.contains("11 of 11 entries shown."), "{body}");
    assert_eq!(rows(&body), 11);
}

#[tokio::test]
async fn directory_search_and_filters_narrow_the_rows() {
    let s = service();
    // By licence number.
    let (st, h, body) = get(&s.app, "/directory?q=ecs-2026-001").await;
    assert_html(st, &h, &body, StatusCode::OK);
    assert_eq!(rows(&body), 1, "{body}");
    assert!(body.contains("ECS-2026-001") && !body.contains("ECS-2023-007"));
    assert!(!body.contains("MIIT-FA-2025-012"));
    assert!(body.contains("1 of 11 entries shown."));
    assert!(body.contains("value=\"ecs-2026-001\""));
    // By name.
    let (_, _, body) = get(&s.app, "/directory?q=Withdrawn").await;
    assert_eq!(rows(&body), 2, "{body}");
    assert!(body.contains("ECS-2022-003") && body.contains("MIIT-FA-2023-009"));
    // By kind.
    let (_, _, body) = get(&s.app, "/directory?kind=approved").await;
    assert!(body.contains("MIIT-FA-2025-012") && body.contains("MIIT-FS-2025-002"));
    assert!(!body.contains("ECS-2026-001") && !body.contains("Licensed domestic"));
    assert_eq!(rows(&body), 4, "{body}");
    assert!(body.contains("<option value=\"approved\" selected>"));
    let (_, _, body) = get(&s.app, "/directory?kind=licensed").await;
    assert_eq!(rows(&body), 7, "{body}");
    assert!(!body.contains("MIIT-FA-2025-012"));
    // By status now: the approved CAs in force at 2026-06-01.
    let (_, _, body) = get(&s.app, "/directory?kind=approved&status=in-force").await;
    assert!(body.contains("MIIT-FA-2025-012") && !body.contains("MIIT-FA-2022-004"));
    assert!(!body.contains("MIIT-FA-2023-009"));
    let (_, _, body) = get(&s.app, "/directory?kind=licensed&status=not-in-force").await;
    assert!(body.contains("ECS-2023-007") && body.contains("ECS-2020-002"));
    assert!(!body.contains("ECS-2026-001"));
    // Nothing found: the tables say so.
    let (st, _, body) = get(&s.app, "/directory?q=no-such-ca").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(rows(&body), 0);
    assert!(body.contains("0 of 11 entries shown."));
    assert!(body.contains("<td colspan=\"7\">none</td>"));
    // The search text is escaped, in the field and in the language switch.
    let (_, _, body) = get(&s.app, "/directory?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert!(!body.contains("<script>"));
    assert!(body.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""));
    assert!(body.contains("q=%3Cscript%3Ealert%281%29%3C%2Fscript%3E&amp;lang=zh"));
    // An unknown filter value shows everything; a list that is not there is a 404 page.
    let (st, _, body) = get(&s.app, "/directory?kind=bogus&status=bogus&list=x").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(rows(&body), 11);
    let (st, h, body) = get(&s.app, "/directory?list=1&lang=zh").await;
    assert_html(st, &h, &body, StatusCode::NOT_FOUND);
    assert!(body.contains("没有该列表"));
}

#[tokio::test]
async fn ca_page_shows_certificates_and_status_history() {
    let s = service();
    let (st, h, body) = get(&s.app, &format!("/directory/{WITHDRAWN_CA}")).await;
    assert_html(st, &h, &body, StatusCode::OK);
    assert!(body.contains("Demo Withdrawn CA"));
    assert!(body.contains("<caption>Status history</caption>"));
    assert!(body.contains(
        "<tr><th scope=\"row\">withdrawn</th><td><time datetime=\"2025-10-01T00:00:00Z\">"
    ));
    assert!(body.contains("<tr><th scope=\"row\">granted</th>"));
    assert!(body.contains("<caption>Certificates</caption>"));
    assert!(body.contains(&format!("<code>{WITHDRAWN_CA}</code>")));
    assert!(body.contains("ECS-2022-003"));
    assert!(body.contains("<caption>Dishonesty-list restrictions (Art. 39)</caption>"));
    assert!(body.contains("href=\"/directory?lang=en\""));
    // Upper-case hex finds it too; the approved CA shows its approval and scope.
    let (st, _, _) = get(
        &s.app,
        &format!("/directory/{}", WITHDRAWN_CA.to_uppercase()),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let approved = "2cd1b57ba6eb5311eab2084847416fc846cb78c2c244593ccc44592138de8d4d";
    let (st, _, body) = get(&s.app, &format!("/directory/{approved}?lang=zh")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(body.contains("<html lang=\"zh-CN\">"));
    assert!(body.contains("MIIT-FA-2025-012") && body.contains("批准范围"));
    assert!(body.contains("状态历史"));
}

#[tokio::test]
async fn unknown_ca_is_a_404_page() {
    let s = service();
    let (st, h, body) = get(&s.app, &format!("/directory/{}", "ab".repeat(32))).await;
    assert_html(st, &h, &body, StatusCode::NOT_FOUND);
    assert!(body.contains("No such CA"));
    assert!(body.contains("href=\"/directory?lang=en\""));
    let (st, h, body) = get(&s.app, "/directory/%3Cscript%3E").await;
    assert_html(st, &h, &body, StatusCode::NOT_FOUND);
    assert!(!body.contains("<script"));
}

#[tokio::test]
async fn language_by_header_and_by_query() {
    let s = service();
    let (_, _, body) = get_lang(&s.app, "/directory", "zh-CN,zh;q=0.9,en;q=0.8").await;
    assert!(body.contains("<html lang=\"zh-CN\">"));
    assert!(body.contains("许可证编号") && !body.contains("Licence number"));
    assert!(body.contains("<input type=\"hidden\" name=\"lang\" value=\"zh\">"));
    // ?lang overrides the header.
    let (_, _, body) = get_lang(&s.app, "/directory?lang=en", "zh-CN").await;
    assert!(body.contains("<html lang=\"en\">") && body.contains("Licence number"));
    let (_, _, body) = get_lang(&s.app, "/interop?lang=zh", "en-GB").await;
    assert!(body.contains("<html lang=\"zh-CN\">") && body.contains("粘贴证书链"));
    let (_, _, body) = get_lang(&s.app, "/interop", "fr, en;q=0.5").await;
    assert!(body.contains("<html lang=\"en\">") && body.contains("Paste the chain"));
    // The switch links to this page, search kept, in the other language; the current
    // language is marked.
    let (_, _, body) = get(&s.app, "/directory?q=XB&kind=approved").await;
    assert!(
        body.contains("href=\"/directory?q=XB&amp;kind=approved&amp;lang=zh\" lang=\"zh-CN\""),
        "{body}"
    );
    assert!(body.contains("aria-current=\"true\">English</a>"));
}

#[tokio::test]
async fn interop_form_is_labelled_and_lists_the_approvals() {
    let s = service();
    let (st, h, body) = get(&s.app, "/interop").await;
    assert_html(st, &h, &body, StatusCode::OK);
    assert!(body.contains("enctype=\"multipart/form-data\""));
    for id in ["chain", "file", "approval", "policy"] {
        assert!(body.contains(&format!("<label for=\"{id}\">")), "{id}");
        assert!(body.contains(&format!("id=\"{id}\" name=\"{id}\"")), "{id}");
    }
    assert!(
        body.contains(
            "<option value=\"MIIT-FA-2025-012\">MIIT-FA-2025-012 — Demo XB Approved CA</option>"
        ),
        "{body}"
    );
    assert!(body.contains("MIIT-FA-2022-004 — Demo XB Expired-approval CA (not in force now)"));
    assert!(body.contains("<option value=\"MIIT-FS-2025-002\">"));
    assert!(body.contains("<option value=\"\">any approval or licence on the list</option>"));
}

#[tokio::test]
async fn interop_valid_chain_passes() {
    let s = service();
    let chain = read("testvectors/interop/foreign-approved-valid.pem");
    let (st, h, body) = post_multipart(
        &s.app,
        "/interop",
        &[
            ("chain", &chain),
            ("approval", "MIIT-FA-2025-012"),
            ("policy", ""),
        ],
        &[],
    )
    .await;
    assert_html(st, &h, &body, StatusCode::OK);
    assert_eq!(h[header::CACHE_CONTROL], "no-store");
    assert!(
        body.contains("<p class=\"summary pass\"><strong>1 of 1 chains pass</strong></p>"),
        "{body}"
    );
    assert!(
        body.contains("<dd>2026-06-01T00:00:00Z</dd>"),
        "the service's clock: {body}"
    );
    assert!(body.contains("<dd>MIIT-FA-2025-012</dd>"));
    assert!(body.contains("pasted chain — <span class=\"pass\">passes</span>"));
    assert!(body.contains("<code>VALID OK</code>"));
    assert!(body.contains("No deviation."));
    // The download form carries the chain back as PEM.
    assert!(body.contains("<form method=\"post\" action=\"/interop/report\">"));
    assert!(body.contains("name=\"chain\" value=\"-----BEGIN CERTIFICATE-----\n"));
    // With the approval's policy OID it still passes; under another approval it does not.
    let (_, _, body) = post_multipart(
        &s.app,
        "/interop",
        &[
            ("chain", &chain),
            ("approval", "MIIT-FA-2025-012"),
            ("policy", "1.3.6.1.4.1.99999.70.1"),
        ],
        &[],
    )
    .await;
    assert!(body.contains("summary pass"), "{body}");
    let (_, _, body) = post_multipart(
        &s.app,
        "/interop",
        &[("chain", &chain), ("approval", "MIIT-FS-2025-002")],
        &[],
    )
    .await;
    assert!(body.contains("summary fail"), "{body}");
    assert!(body.contains("ANCHOR.APPROVAL"));
}

#[tokio::test]
async fn interop_reports_every_deviation_of_an_uploaded_chain() {
    let s = service();
    let pem = read("testvectors/interop/foreign-several-deviations.pem");
    let (st, h, body) = post_multipart(
        &s.app,
        "/interop",
        &[("approval", "MIIT-FA-2025-012"), ("lang", "en")],
        &[("file", "foreign-several-deviations.pem", pem.as_bytes())],
    )
    .await;
    assert_html(st, &h, &body, StatusCode::OK);
    assert!(body.contains("summary fail"), "{body}");
    assert!(
        body.contains("foreign-several-deviations.pem — <span class=\"fail\">does not pass</span>")
    );
    assert!(body.contains("OUTSIDE_APPROVED_SCOPE"));
    // Policy, curve and EKU: each its own row with the rule and what to change.
    assert!(body.matches("<tr class=\"error\">").count() >= 3, "{body}");
    assert!(body.contains("1.3.6.1.4.1.99999.70.2"));
    assert!(body.contains("P-384"));
    assert!(body.contains("1.3.6.1.5.5.7.3.1"));
    assert!(body.contains("Art. 47–49") || body.contains("Art. 48"));
    // One DER certificate uploaded is read as well (the leaf alone: no path).
    let der = pem::decode_all(pem.as_bytes(), pem::CERTIFICATE_LABELS).unwrap();
    let (st, _, body) = post_multipart(
        &s.app,
        "/interop",
        &[("lang", "zh")],
        &[("file", "leaf.der", &der[0])],
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert!(body.contains("<html lang=\"zh-CN\">") && body.contains("未通过"));
    assert!(body.contains("leaf.der"));
}

#[tokio::test]
async fn interop_report_downloads_as_one_file() {
    let s = service();
    let chain = read("testvectors/interop/foreign-several-deviations.pem");
    let (st, h, body) = post_form(
        &s.app,
        "/interop/report",
        &[
            ("chain", &chain),
            ("approval", "MIIT-FA-2025-012"),
            ("lang", "zh"),
        ],
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(h[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert_eq!(
        h[header::CONTENT_DISPOSITION],
        "attachment; filename=\"interop-report.html\""
    );
    // What `huren interop check --format html --lang zh` writes.
    assert!(body.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(body.contains("互认检测报告") && body.contains("<style>"));
    assert!(!body.contains("<header") && !body.contains("href=\"/"));
    assert!(body.matches("<tr class=\"error\">").count() >= 3);
}

#[tokio::test]
async fn interop_refuses_a_private_key_without_echoing_it() {
    let s = service();
    let chain = read("testvectors/interop/foreign-approved-valid.pem");
    let secret = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgTOPSECRETKEYMATERIAL";
    let key = format!("-----BEGIN PRIVATE KEY-----\n{secret}\n-----END PRIVATE KEY-----\n");
    let pasted = format!("{chain}{key}");
    // Pasted with a chain, uploaded, URL-encoded, and as an encrypted key.
    let encrypted = key.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY");
    let answers = [
        post_multipart(&s.app, "/interop", &[("chain", &pasted)], &[]).await,
        post_multipart(
            &s.app,
            "/interop",
            &[],
            &[("file", "key.pem", key.as_bytes())],
        )
        .await,
        post_form(&s.app, "/interop", &[("chain", &pasted)]).await,
        post_form(&s.app, "/interop/report", &[("chain", &encrypted)]).await,
    ];
    for (st, h, body) in answers {
        assert_html(st, &h, &body, StatusCode::BAD_REQUEST);
        assert!(body.contains("holds a private key"), "{body}");
        assert!(!body.contains("TOPSECRET"), "the key is echoed: {body}");
        assert!(
            !body.contains("BEGIN CERTIFICATE"),
            "the input is echoed: {body}"
        );
        assert!(body.contains("<textarea id=\"chain\" name=\"chain\" rows=\"12\" spellcheck=\"false\" aria-describedby=\"chain-hint\"></textarea>"));
    }
}

#[tokio::test]
async fn interop_explains_bad_input() {
    let s = service();
    // Not a certificate: said, and the text given back (escaped) to correct it.
    let (st, h, body) =
        post_multipart(&s.app, "/interop", &[("chain", "hello <b>world</b>")], &[]).await;
    assert_html(st, &h, &body, StatusCode::BAD_REQUEST);
    assert!(body.contains("role=\"alert\""));
    assert!(body.contains("This is not a certificate"), "{body}");
    assert!(body.contains(">hello &lt;b&gt;world&lt;/b&gt;</textarea>"));
    // A PEM block that does not decode to a certificate.
    let bad = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
    let (st, _, body) = post_multipart(&s.app, "/interop", &[("chain", bad)], &[]).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("Certificate 1 is not a valid certificate"),
        "{body}"
    );
    // Nothing given; both given.
    let (st, _, body) = post_multipart(&s.app, "/interop", &[("chain", "  ")], &[]).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(body.contains("the form had neither"));
    let chain = read("testvectors/interop/foreign-approved-valid.pem");
    let (st, _, body) = post_multipart(
        &s.app,
        "/interop",
        &[("chain", &chain)],
        &[("file", "c.pem", chain.as_bytes())],
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(body.contains("not both"));
    // An approval that is not on the list; a policy that is not an OID.
    let (st, _, body) = post_multipart(
        &s.app,
        "/interop",
        &[("chain", &chain), ("approval", "MIIT-FA-1999-<x>")],
        &[],
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(body.contains("no such approval"));
    assert!(!body.contains("<x>"));
    let (st, _, body) = post_multipart(
        &s.app,
        "/interop",
        &[("chain", &chain), ("policy", "1.2.x")],
        &[],
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(body.contains("is not an OID"));
    assert!(body.contains("value=\"1.2.x\""));
    // In Chinese.
    let (st, _, body) =
        post_multipart(&s.app, "/interop?lang=zh", &[("chain", "garbage")], &[]).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(body.contains("这不是证书"));
}

#[tokio::test]
async fn interop_refuses_too_large_a_form() {
    let mut config = Config::default();
    config.limits.body_bytes = 16 * 1024;
    let s = service_with(config, Some(demo_loaded(now())));
    let big = vec![b'A'; 20 * 1024];
    // Declared length over the limit.
    let (st, h, body) = post_multipart(&s.app, "/interop", &[], &[("file", "big.pem", &big)]).await;
    assert_html(st, &h, &body, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body.contains("too large: at most 16384 bytes"), "{body}");
    // No declared length: the limit stops the read.
    let (ct, bytes) = multipart(&[], &[("file", "big.pem", &big)]);
    let stream = futures_util::stream::iter(
        bytes
            .chunks(4096)
            .map(|c| Ok::<_, std::io::Error>(Bytes::copy_from_slice(c)))
            .collect::<Vec<_>>(),
    );
    let req = Request::post("/interop")
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from_stream(stream))
        .unwrap();
    let (st, _, body) = call(&s.app, req).await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(body.contains("too large"));
    // URL-encoded too.
    let text = "A".repeat(20 * 1024);
    let (st, _, body) = post_form(&s.app, "/interop", &[("chain", &text)]).await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    // The API's own endpoints keep their problem answer.
    let req = Request::post("/v1/validate")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(vec![b' '; 20 * 1024]))
        .unwrap();
    let (st, h, _) = call(&s.app, req).await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
}

#[tokio::test]
async fn without_a_snapshot_the_pages_say_so() {
    let s = service_with(Config::default(), None);
    for path in [
        "/directory",
        &format!("/directory/{WITHDRAWN_CA}"),
        "/interop",
    ] {
        let (st, h, body) = get(&s.app, path).await;
        assert_html(st, &h, &body, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains("No trust list loaded"), "{path}: {body}");
        assert_eq!(h[header::RETRY_AFTER], "5");
    }
    let chain = read("testvectors/interop/foreign-approved-valid.pem");
    let (st, _, body) = post_multipart(&s.app, "/interop", &[("chain", &chain)], &[]).await;
    assert_eq!(st, StatusCode::SERVICE_UNAVAILABLE);
    assert!(!body.contains("passes"));
    let (st, _, body) = get(&s.app, "/").await;
    assert_eq!(st, StatusCode::OK);
    assert!(body.contains("No verified trust list is loaded yet."));
}

#[tokio::test]
async fn a_stale_snapshot_is_shown_under_a_warning_and_not_checked_against() {
    let s = service();
    // The demo list's NextUpdate is 2030-12-31T23:59:59Z (no grace here).
    s.clock.set(parse_rfc3339("2031-02-01T00:00:00Z").unwrap());
    let (st, h, body) = get(&s.app, "/directory").await;
    assert_html(st, &h, &body, StatusCode::OK);
    assert!(body.contains("This trust list is out of date."), "{body}");
    assert!(body.contains("TRUST_LIST_EXPIRED"));
    let (_, _, body) = get(&s.app, &format!("/directory/{WITHDRAWN_CA}")).await;
    assert!(body.contains("This trust list is out of date."));
    let chain = read("testvectors/interop/foreign-approved-valid.pem");
    let (st, _, body) = post_multipart(&s.app, "/interop", &[("chain", &chain)], &[]).await;
    assert_eq!(st, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("out of date") && !body.contains("summary pass"));
}

#[tokio::test]
async fn the_demo_chain_checks_under_any_approval_or_licence() {
    let s = service();
    let leaf = read("testvectors/demo/leaf.pem");
    let intermediates = read("testvectors/demo/intermediates.pem");
    let chain = format!("{leaf}{intermediates}");
    let (st, _, body) = post_form(&s.app, "/interop", &[("chain", &chain)]).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert!(body.contains("summary pass"), "{body}");
    assert!(body.contains("Licence ECS-2026-001"));
}
