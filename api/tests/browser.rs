//! The HTML pages in a real browser: the service (`app(state)` over the bundled demo list,
//! its clock stopped at 2026-06-01T00:00:00Z so that verdicts and screenshots do not drift)
//! on a loopback port, headless Chromium driven through chromedriver with W3C WebDriver.
//! Opens the directory, filters it, opens a CA, checks chains on the interop page by paste
//! and by upload, reads the verdicts and deviations from the DOM, switches the language, and
//! saves a screenshot of each page under `docs/screenshots/`.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`scripts/test.sh` installs them). Without
//! them the test says it is skipped and why, and passes — except in CI (`CI=true`), where it
//! fails.
//!
//! The WebDriver client is the few commands used here over reqwest (already a dependency):
//! the crates (fantoccini, thirtyfour) would add duplicate major versions of http, cookie,
//! base64 and icu, or switch on serde_json's `preserve_order` for every test build.

mod common;
#[path = "common/demo.rs"]
mod demo;

use demo::{read, root};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process killed when the test ends, however it ends.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Whether this run must not skip (the same rule as the corpora's).
fn required() -> bool {
    common::corpora_required()
}

/// The path of a program: the Debian location, else the first on `PATH`.
fn program(debian: &str, names: &[&str]) -> Option<PathBuf> {
    let p = PathBuf::from(debian);
    if p.is_file() {
        return Some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| names.iter().map(move |n| d.join(n)))
        .find(|p| p.is_file())
}

/// A free loopback port (bound, then released for the child to take).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The service over the demo list on a loopback port picked by the system; its base URL.
async fn start_service() -> String {
    let (state, _) = demo::demo_state(
        huren::config::Config::default(),
        Some(demo::demo_loaded(demo::now())),
    );
    let app = huren::server::app(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await;
    });
    format!("http://{addr}")
}

/// A minimal W3C WebDriver client: one session, the commands this test needs.
struct Driver {
    http: reqwest::Client,
    session: String,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Driver {
    async fn send(
        http: &reqwest::Client,
        method: reqwest::Method,
        url: &str,
        body: Option<Value>,
    ) -> Value {
        let mut req = http.request(method.clone(), url);
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(serde_json::to_vec(&b).unwrap());
        }
        let r = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let status = r.status();
        let bytes = r.bytes().await.unwrap();
        let v: Value = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
            panic!(
                "{method} {url}: not JSON: {}",
                String::from_utf8_lossy(&bytes)
            )
        });
        assert!(
            status.is_success(),
            "{method} {url}: {status} {}",
            v["value"]
        );
        v["value"].clone()
    }

    async fn new(base: &str, chromium: &Path, profile: &Path) -> Driver {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "timeouts": {"implicit": 5000, "pageLoad": 20000, "script": 5000},
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,1100",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        }}});
        let v = Self::send(
            &http,
            reqwest::Method::POST,
            &format!("{base}/session"),
            Some(caps),
        )
        .await;
        let id = v["sessionId"].as_str().expect("a session id").to_string();
        Driver {
            http,
            session: format!("{base}/session/{id}"),
        }
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        Self::send(&self.http, method, &format!("{}{path}", self.session), body).await
    }

    async fn get(&self, path: &str) -> Value {
        self.cmd(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.cmd(reqwest::Method::POST, path, Some(body)).await
    }

    async fn goto(&self, url: &str) {
        self.post("/url", json!({"url": url})).await;
    }

    async fn url(&self) -> String {
        self.get("/url").await.as_str().unwrap_or("").to_string()
    }

    async fn find(&self, css: &str) -> String {
        let v = self
            .post("/element", json!({"using": "css selector", "value": css}))
            .await;
        v[ELEMENT].as_str().unwrap().to_string()
    }

    async fn find_all(&self, css: &str) -> Vec<String> {
        let v = self
            .post("/elements", json!({"using": "css selector", "value": css}))
            .await;
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e[ELEMENT].as_str().unwrap().to_string())
            .collect()
    }

    async fn text(&self, el: &str) -> String {
        self.get(&format!("/element/{el}/text"))
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    async fn text_of(&self, css: &str) -> String {
        let el = self.find(css).await;
        self.text(&el).await
    }

    async fn attr(&self, el: &str, name: &str) -> Option<String> {
        self.get(&format!("/element/{el}/attribute/{name}"))
            .await
            .as_str()
            .map(str::to_string)
    }

    async fn click(&self, css: &str) {
        let el = self.find(css).await;
        self.post(&format!("/element/{el}/click"), json!({})).await;
    }

    async fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        self.post(&format!("/element/{el}/clear"), json!({})).await;
        self.post(&format!("/element/{el}/value"), json!({"text": text}))
            .await;
    }

    /// The page's `<html lang>`.
    async fn lang(&self) -> String {
        let el = self.find("html").await;
        self.attr(&el, "lang").await.unwrap_or_default()
    }

    /// Waits until the page is the one whose URL contains `part` (a click's navigation).
    async fn wait_url(&self, part: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let u = self.url().await;
            if u.contains(part) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "still at {u}, waiting for {part}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until `css` holds text containing `want`.
    async fn wait_text(&self, css: &str, want: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let els = self.find_all(css).await;
            let mut texts = Vec::new();
            for e in &els {
                texts.push(self.text(e).await);
            }
            if let Some(t) = texts.iter().find(|t| t.contains(want)) {
                return t.clone();
            }
            assert!(
                Instant::now() < deadline,
                "no {css} with {want:?}; found {texts:?} at {}",
                self.url().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn screenshot(&self, name: &str) {
        use base64ct::Encoding as _;
        let b64 = self.get("/screenshot").await;
        let png = base64ct::Base64::decode_vec(b64.as_str().unwrap()).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        let dir = root().join("docs/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), png).unwrap();
    }

    async fn quit(&self) {
        let _ = self
            .http
            .delete(&self.session)
            .timeout(Duration::from_secs(10))
            .send()
            .await;
    }
}

async fn wait_ready(base: &str) {
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(r) = http.get(format!("{base}/status")).send().await
            && let Ok(b) = r.bytes().await
            && let Ok(v) = serde_json::from_slice::<Value>(&b)
            && v["value"]["ready"] == true
        {
            return;
        }
        assert!(Instant::now() < deadline, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_work_in_a_real_browser() {
    let started = Instant::now();
    let chromium = program("/usr/bin/chromium", &["chromium", "chromium-browser"]);
    let driver = program("/usr/bin/chromedriver", &["chromedriver"]);
    let (Some(chromium), Some(driver)) = (chromium, driver) else {
        let msg = "SKIPPED browser test: chromium or chromedriver is not installed (Debian packages chromium and chromium-driver; scripts/test.sh installs them)";
        if required() {
            panic!("{msg} — required in CI");
        }
        eprintln!("{msg}");
        common::record_skip("browser test (chromium)", msg);
        return;
    };

    let site = start_service().await;
    let port = free_port();
    let _chromedriver = Reaped(
        Command::new(&driver)
            .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&base).await;
    let profile = std::env::temp_dir().join(format!("huren-chromium-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile).unwrap();
    let d = std::sync::Arc::new(Driver::new(&base, &chromium, &profile).await);

    // The scenario runs in its own task so that, should it fail, the browser is closed
    // before the failure is reported (killing chromedriver alone would leave Chromium).
    let task = tokio::spawn({
        let d = d.clone();
        async move { run(&d, &site).await }
    });
    let result = task.await;
    d.quit().await;
    let _ = std::fs::remove_dir_all(&profile);
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
    let took = started.elapsed();
    eprintln!("browser scenario: {:.1} s", took.as_secs_f64());
    assert!(
        took < Duration::from_secs(90),
        "the browser test took {took:?}"
    );
}

async fn run(d: &Driver, site: &str) {
    // The home page links to the pages and the API.
    d.goto(&format!("{site}/?lang=en")).await;
    assert_eq!(d.lang().await, "en");
    let home = d.text_of("main").await;
    assert!(
        home.contains("openapi.json") || home.contains("OpenAPI"),
        "{home}"
    );
    d.screenshot("home.png").await;

    // The directory, in English.
    d.goto(&format!("{site}/directory?lang=en")).await;
    assert_eq!(d.lang().await, "en");
    assert_eq!(
        d.text_of("h1").await,
        "Directory of certification service providers"
    );
    let all = d.find_all("tbody th[scope=row]").await.len();
    assert_eq!(all, 11, "every CA and the approved foreign list");
    let page = d.text_of("main").await;
    assert!(page.contains("ECS-2026-001") && page.contains("MIIT-FA-2025-012"));
    assert!(page.contains("Signature verified."));
    d.screenshot("directory.png").await;

    // Filter: approved foreign CAs named XB, with the keyboard-reachable form.
    d.type_into("#q", "XB").await;
    d.click("#kind option[value=approved]").await;
    d.click("form.filter button[type=submit]").await;
    d.wait_url("q=XB").await;
    assert!(d.url().await.contains("kind=approved"));
    let count = d.wait_text("p.count", "of 11").await;
    assert_eq!(count, "3 of 11 entries shown.");
    let names = d.find_all("tbody th[scope=row] a").await;
    assert_eq!(names.len(), 3);
    for n in &names {
        assert!(d.text(n).await.contains("XB"), "filtered rows");
    }
    assert!(!d.text_of("main").await.contains("ECS-2026-001"));

    // One CA: its certificates and status history.
    d.click("a[href^='/directory/2cd1b57b']").await;
    d.wait_url("/directory/2cd1b57b").await;
    assert_eq!(d.text_of("h1").await, "Demo XB Approved CA");
    let captions: Vec<String> = {
        let mut v = Vec::new();
        for c in d.find_all("caption").await {
            v.push(d.text(&c).await);
        }
        v
    };
    assert!(
        captions.contains(&"Status history".to_string()),
        "{captions:?}"
    );
    assert!(captions.contains(&"Certificates".to_string()));
    let main = d.text_of("main").await;
    assert!(main.contains("MIIT-FA-2025-012") && main.contains("granted"));
    d.screenshot("ca.png").await;

    // The interop page: a valid chain pasted (the demo chain, under the demo list's licence
    // ECS-2026-001), any approval.
    d.goto(&format!("{site}/interop?lang=en")).await;
    assert_eq!(d.text_of("h1").await, "Interoperability check");
    let chain = format!(
        "{}{}",
        read("testvectors/demo/leaf.pem"),
        read("testvectors/demo/intermediates.pem")
    );
    d.type_into("#chain", &chain).await;
    d.click("#approval option[value='']").await;
    d.screenshot("interop-form.png").await;
    d.click("main form button[type=submit]").await;
    let summary = d.wait_text("p.summary", "chains pass").await;
    assert_eq!(summary, "1 of 1 chains pass");
    assert!(
        d.text_of("section.report dl")
            .await
            .contains("2026-06-01T00:00:00Z"),
        "validated at the service's clock"
    );
    assert_eq!(d.text_of("article.chain h2 span").await, "passes");
    assert!(d.text_of("article.chain").await.contains("No deviation."));

    // An invalid chain uploaded: every deviation from approval MIIT-FA-2025-012.
    d.goto(&format!("{site}/interop?lang=en")).await;
    let file = root()
        .join("testvectors/interop/foreign-several-deviations.pem")
        .canonicalize()
        .unwrap();
    let input = d.find("#file").await;
    d.post(
        &format!("/element/{input}/value"),
        json!({"text": file.to_string_lossy()}),
    )
    .await;
    d.click("#approval option[value='MIIT-FA-2025-012']").await;
    d.click("main form button[type=submit]").await;
    let summary = d.wait_text("p.summary", "chains pass").await;
    assert_eq!(summary, "0 of 1 chains pass");
    assert_eq!(
        d.text_of("article.chain h2").await,
        "foreign-several-deviations.pem — does not pass"
    );
    let mut deviations = Vec::new();
    for row in d.find_all("article.chain tr.error").await {
        deviations.push(d.text(&row).await);
    }
    assert!(deviations.len() >= 3, "{deviations:?}");
    let all = deviations.join("\n");
    assert!(all.contains("OUTSIDE_APPROVED_SCOPE"), "{all}");
    assert!(all.contains("1.3.6.1.4.1.99999.70.2"), "the policy: {all}");
    assert!(all.contains("P-384"), "the curve: {all}");
    assert!(all.contains("1.3.6.1.5.5.7.3.1"), "the EKU: {all}");
    d.screenshot("interop-report.png").await;

    // A valid chain uploaded under its approval.
    d.goto(&format!("{site}/interop?lang=en")).await;
    let file = root()
        .join("testvectors/interop/foreign-approved-valid.pem")
        .canonicalize()
        .unwrap();
    let input = d.find("#file").await;
    d.post(
        &format!("/element/{input}/value"),
        json!({"text": file.to_string_lossy()}),
    )
    .await;
    d.click("#approval option[value='MIIT-FA-2025-012']").await;
    d.click("main form button[type=submit]").await;
    assert_eq!(
        d.wait_text("p.summary", "chains pass").await,
        "1 of 1 chains pass"
    );

    // An invalid chain pasted: outside the approval's certificate types.
    d.goto(&format!("{site}/interop?lang=en")).await;
    d.type_into(
        "#chain",
        &read("testvectors/interop/foreign-outside-policy.pem"),
    )
    .await;
    d.click("#approval option[value='MIIT-FA-2025-012']").await;
    d.click("main form button[type=submit]").await;
    assert_eq!(
        d.wait_text("p.summary", "chains pass").await,
        "0 of 1 chains pass"
    );
    let row = d.text_of("article.chain tr.error").await;
    assert!(row.contains("OUTSIDE_APPROVED_SCOPE"), "{row}");

    // Not a certificate: the reason on the page.
    d.goto(&format!("{site}/interop?lang=en")).await;
    d.type_into("#chain", "hello, not a certificate").await;
    d.click("main form button[type=submit]").await;
    let alert = d.wait_text("[role=alert]", "not a certificate").await;
    assert!(alert.contains("This is not a certificate"), "{alert}");

    // Switch the language with the page's own link.
    d.click("header a[hreflang=zh-CN]").await;
    d.wait_url("lang=zh").await;
    assert_eq!(d.lang().await, "zh-CN");
    assert_eq!(d.text_of("h1").await, "互认检测");
    assert!(d.text_of("label[for=chain]").await.contains("粘贴证书链"));
    d.click("header nav a[href^='/directory']").await;
    d.wait_url("/directory?lang=zh").await;
    assert_eq!(d.lang().await, "zh-CN");
    assert_eq!(d.text_of("h1").await, "电子认证服务机构目录");
    d.click("header a[hreflang=en]").await;
    d.wait_url("lang=en").await;
    assert_eq!(d.lang().await, "en");
}
