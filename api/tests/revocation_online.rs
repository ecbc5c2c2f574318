//! Online revocation against peers no one here wrote: `openssl ocsp` responders (started as
//! child processes on a free loopback port, killed at the end of each test) and a loopback
//! HTTP server of the test's own serving CRLs made by rcgen, OCSP responses made by
//! `openssl ocsp`, and the broken answers (slow, garbage, redirect, oversized). The chains
//! are made at test time by rcgen with authorityInfoAccess (id-ad-ocsp) and
//! cRLDistributionPoints pointing at them; the root is a licensed CA on a trust list signed
//! with the demo signer, served by the in-process service (`app(state)`), whose clock is
//! stopped at the test's start (or moved, for staleness).
//!
//! Hierarchy: Test Root (anchor, trust list) → Test Sub CA (its CDP: the root's CRL on the
//! loopback server) → leaves. `openssl ocsp -CA sub.pem` answers for the leaves.
#![allow(clippy::disallowed_methods)] // tests read and write files and start processes

use arc_swap::ArcSwapOption;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, Uri, header};
use base64ct::Encoding as _;
use huren::config::{Config, PolicyConfig, RevocationConfig};
use huren::revocation::OnlineRevocation;
use huren::server::app;
use huren::server::state::{AppState, FixedClock, Loaded, NoRefresh, TrustHandle};
use huren_testvectors::{SM2_DISTID, Sm2Cert};
use huren_trustlists::sign::{ListSigner, SigningKey, sign_list};
use huren_trustlists::snapshot::{ListRole, build_snapshot};
use huren_trustlists::verify::{PinnedSigners, verify};
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CrlDistributionPoint,
    CustomExtension, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod, KeyPair,
    KeyUsagePurpose, RevocationReason, RevokedCertParams, SerialNumber,
};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tower::ServiceExt;

// ---------------------------------------------------------------------------------------
// Time, DER, files.

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn odt(t: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(t).unwrap()
}

/// `YYMMDDHHMMSSZ`, as openssl's index file writes times.
fn index_time(t: i64) -> String {
    let d = odt(t);
    format!(
        "{:02}{:02}{:02}{:02}{:02}{:02}Z",
        d.year() % 100,
        u8::from(d.month()),
        d.day(),
        d.hour(),
        d.minute(),
        d.second()
    )
}

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else if n < 0x100 {
        out.extend([0x81, n as u8]);
    } else {
        out.extend([0x82, (n >> 8) as u8, n as u8]);
    }
    out.extend_from_slice(content);
    out
}

/// authorityInfoAccess with one id-ad-ocsp URI per URL.
fn aia(urls: &[String]) -> CustomExtension {
    let mut seq = Vec::new();
    for u in urls {
        let mut ad = der(0x06, &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01]);
        ad.extend(der(0x86, u.as_bytes()));
        seq.extend(der(0x30, &ad));
    }
    CustomExtension::from_oid_content(&[1, 3, 6, 1, 5, 5, 7, 1, 1], der(0x30, &seq))
}

/// certificatePolicies with 1.2.156.999001.1.1 (Art. 21 (7): an end entity under a
/// trust-list anchor names its certificate policy).
fn policies() -> CustomExtension {
    let oid = der(0x06, &[0x2a, 0x81, 0x1c, 0xbc, 0xfc, 0x59, 0x01, 0x01]);
    CustomExtension::from_oid_content(&[2, 5, 29, 32], der(0x30, &der(0x30, &oid)))
}

fn pem(label: &str, der: &[u8]) -> String {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der).unwrap()
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "huren-revocation-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------------------
// The PKI, made at test time.

struct Ca {
    issuer: Issuer<'static, KeyPair>,
    der: Vec<u8>,
    key_der: Vec<u8>,
}

struct Leaf {
    der: Vec<u8>,
    serial: Vec<u8>,
}

/// The serial number of the leaf numbered `n` ([`make_leaf`]).
fn leaf_serial(n: u8) -> Vec<u8> {
    vec![0x1a, n]
}

fn params(cn: &str, serial: Vec<u8>, base: i64) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, cn);
    p.distinguished_name
        .push(DnType::OrganizationName, "Huren Revocation Test");
    p.not_before = odt(base - 86_400);
    p.not_after = odt(base + 30 * 86_400);
    p.serial_number = Some(SerialNumber::from(serial));
    p.use_authority_key_identifier_extension = true;
    p.key_identifier_method = KeyIdMethod::Sha256;
    p
}

fn make_ca(cn: &str, serial: u8, parent: Option<&Ca>, crl: Option<String>, base: i64) -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut p = params(cn, vec![0x01, serial], base);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    if let Some(u) = crl {
        p.crl_distribution_points = vec![CrlDistributionPoint { uris: vec![u] }];
    }
    let cert = match parent {
        Some(parent) => p.signed_by(&key, &parent.issuer).unwrap(),
        None => p.self_signed(&key).unwrap(),
    };
    let key_der = key.serialize_der();
    Ca {
        der: cert.der().to_vec(),
        key_der,
        issuer: Issuer::new(p, key),
    }
}

/// A leaf (or, with `ocsp_signing`, a delegated OCSP responder) issued by `ca`.
fn make_leaf(
    cn: &str,
    serial: u8,
    ca: &Ca,
    ocsp: &[String],
    crl: &[String],
    ekus: Vec<ExtendedKeyUsagePurpose>,
) -> (Leaf, KeyPair) {
    let key = KeyPair::generate().unwrap();
    let s = leaf_serial(serial);
    let mut p = params(cn, s.clone(), now());
    p.is_ca = IsCa::NoCa;
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    p.extended_key_usages = ekus;
    p.custom_extensions.push(policies());
    if !ocsp.is_empty() {
        p.custom_extensions.push(aia(ocsp));
    }
    if !crl.is_empty() {
        p.crl_distribution_points = vec![CrlDistributionPoint { uris: crl.to_vec() }];
    }
    let cert = p.signed_by(&key, &ca.issuer).unwrap();
    (
        Leaf {
            der: cert.der().to_vec(),
            serial: s,
        },
        key,
    )
}

fn crl(ca: &Ca, this: i64, next: i64, revoked: &[&Leaf]) -> Vec<u8> {
    CertificateRevocationListParams {
        this_update: odt(this),
        next_update: odt(next),
        crl_number: SerialNumber::from(vec![0x01]),
        issuing_distribution_point: None,
        revoked_certs: revoked
            .iter()
            .map(|l| RevokedCertParams {
                serial_number: SerialNumber::from(l.serial.clone()),
                revocation_time: odt(this - 60),
                reason_code: Some(RevocationReason::KeyCompromise),
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(&ca.issuer)
    .unwrap()
    .der()
    .to_vec()
}

/// The test PKI and the loopback server its certificates point at.
struct Pki {
    base: i64,
    dir: TempDir,
    root: Ca,
    sub: Ca,
    web: Web,
    /// The loopback server's `http://127.0.0.1:PORT`.
    url: String,
}

impl Pki {
    async fn new() -> Pki {
        let base = now();
        let web = Web::default();
        let url = web.start().await;
        let root = make_ca("Test Root", 1, None, None, base);
        let sub = make_ca(
            "Test Sub CA",
            2,
            Some(&root),
            Some(format!("{url}/root.crl")),
            base,
        );
        // The root's CRL: the sub CA is not on it; current for a week.
        web.set(
            "/root.crl",
            Route::ok(crl(&root, base - 3600, base + 7 * 86_400, &[])),
        );
        let dir = TempDir::new("pki");
        dir.write("sub.pem", pem("CERTIFICATE", &sub.der));
        dir.write("sub.key", pem("PRIVATE KEY", &sub.key_der));
        Pki {
            base,
            dir,
            root,
            sub,
            web,
            url,
        }
    }

    fn leaf(&self, cn: &str, serial: u8, ocsp: &[String], crl: &[String]) -> Leaf {
        make_leaf(cn, serial, &self.sub, ocsp, crl, Vec::new()).0
    }

    /// The lines of `openssl ca`'s database for the leaves [`Pki::leaf`] makes with these
    /// numbers: valid (`V`), or revoked (`R`, keyCompromise an hour before the base time).
    fn index(&self, leaves: &[(u8, bool)]) -> String {
        let exp = index_time(self.base + 30 * 86_400);
        let mut out = String::new();
        for &(n, revoked) in leaves {
            let s: String = leaf_serial(n).iter().map(|b| format!("{b:02X}")).collect();
            // Subjects are unique in openssl's index (unique_subject).
            if revoked {
                out.push_str(&format!(
                    "R\t{exp}\t{},keyCompromise\t{s}\tunknown\t/CN=leaf-{s}\n",
                    index_time(self.base - 3600),
                ));
            } else {
                out.push_str(&format!("V\t{exp}\t\t{s}\tunknown\t/CN=leaf-{s}\n"));
            }
        }
        out
    }

    /// A delegated responder issued by `ca` (`OCSPSigning` when `authorised`), written as
    /// `NAME.pem` and `NAME.key`.
    fn responder_cert(&self, name: &str, ca: &Ca, authorised: bool) -> (PathBuf, PathBuf) {
        let ekus = if authorised {
            vec![ExtendedKeyUsagePurpose::OcspSigning]
        } else {
            vec![ExtendedKeyUsagePurpose::ClientAuth]
        };
        let (cert, key) = make_leaf(name, 0x70, ca, &[], &[], ekus);
        (
            self.dir
                .write(&format!("{name}.pem"), pem("CERTIFICATE", &cert.der)),
            self.dir.write(
                &format!("{name}.key"),
                pem("PRIVATE KEY", &key.serialize_der()),
            ),
        )
    }

    /// `openssl ocsp` answering for the sub CA's leaves from `index`, signed by the
    /// authorised delegated responder.
    fn responder(&self, index: &str, extra: &[&str]) -> Responder {
        let (cert, key) = self.responder_cert("resp-ok", &self.sub, true);
        Responder::start(
            &self.dir,
            index,
            &self.dir.path("sub.pem"),
            &cert,
            &key,
            extra,
        )
    }

    /// An OCSP response made by `openssl ocsp` (no nonce) for `leaf`, from `index`.
    fn offline_response(&self, leaf: &Leaf, index: &str) -> Vec<u8> {
        let (cert, key) = self.responder_cert("resp-offline", &self.sub, true);
        let leaf_pem = self
            .dir
            .write("offline-leaf.pem", pem("CERTIFICATE", &leaf.der));
        let idx = self.dir.write("offline-index.txt", index);
        let req = self.dir.path("offline-req.der");
        let resp = self.dir.path("offline-resp.der");
        let out = Command::new("openssl")
            .args(["ocsp", "-no_nonce", "-issuer"])
            .arg(self.dir.path("sub.pem"))
            .arg("-cert")
            .arg(&leaf_pem)
            .arg("-reqout")
            .arg(&req)
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = Command::new("openssl")
            .arg("ocsp")
            .arg("-index")
            .arg(&idx)
            .arg("-CA")
            .arg(self.dir.path("sub.pem"))
            .arg("-rsigner")
            .arg(&cert)
            .arg("-rkey")
            .arg(&key)
            .arg("-reqin")
            .arg(&req)
            .arg("-respout")
            .arg(&resp)
            .args(["-ndays", "1"])
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read(&resp).unwrap()
    }
}

// ---------------------------------------------------------------------------------------
// `openssl ocsp` as a child process.

struct Responder {
    child: Child,
    url: String,
    /// openssl's stderr (printed when a test fails).
    log: PathBuf,
}

impl Responder {
    fn start(
        dir: &TempDir,
        index: &str,
        ca: &Path,
        rsigner: &Path,
        rkey: &Path,
        extra: &[&str],
    ) -> Responder {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let idx = dir.write(&format!("index-{n}.txt"), index);
        let log = dir.path(&format!("openssl-{n}.log"));
        // Port 0: openssl binds a free port and prints it on stdout (`ACCEPT [::]:PORT PID=…`).
        let mut child = Command::new("openssl")
            .args(["ocsp", "-port", "0", "-index"])
            .arg(&idx)
            .arg("-CA")
            .arg(ca)
            .arg("-rsigner")
            .arg(rsigner)
            .arg("-rkey")
            .arg(rkey)
            .args(["-ndays", "1", "-ignore_err"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("openssl is installed (scripts/test.sh installs it)");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.strip_prefix("ACCEPT ")
                    && let Some(tx) = tx.take()
                {
                    let addr = rest.split_whitespace().next().unwrap_or("");
                    let port: u16 = addr.rsplit(':').next().unwrap_or("").parse().unwrap_or(0);
                    let _ = tx.send(port);
                }
                // Keep draining, so that openssl never blocks on a full pipe.
            }
        });
        let port = match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(p) if p != 0 => p,
            other => {
                let _ = child.kill();
                panic!("openssl ocsp did not start listening: {other:?}");
            }
        };
        // It listens before it prints ACCEPT. (No probe connection: the responder serves
        // one connection at a time, and one that sends nothing would hold it up.)
        Responder {
            child,
            url: format!("http://127.0.0.1:{port}/"),
            log,
        }
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!(
                "openssl ocsp at {}:\n{}",
                self.url,
                std::fs::read_to_string(&self.log).unwrap_or_default()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// The loopback server: fixed answers per path, counted.

#[derive(Clone, Default)]
struct Route {
    status: u16,
    body: Vec<u8>,
    delay_ms: u64,
    location: Option<String>,
}

impl Route {
    fn ok(body: Vec<u8>) -> Route {
        Route {
            status: 200,
            body,
            ..Route::default()
        }
    }
    fn slow(body: Vec<u8>, delay_ms: u64) -> Route {
        Route {
            delay_ms,
            ..Route::ok(body)
        }
    }
}

#[derive(Clone, Default)]
struct Web {
    routes: Arc<Mutex<HashMap<String, Route>>>,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

impl Web {
    fn set(&self, path: &str, r: Route) {
        self.routes.lock().unwrap().insert(path.to_string(), r);
    }
    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
    async fn start(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let web = self.clone();
        let app = Router::new().fallback(move |uri: Uri| {
            let web = web.clone();
            async move {
                *web.hits
                    .lock()
                    .unwrap()
                    .entry(uri.path().to_string())
                    .or_default() += 1;
                let r = web.routes.lock().unwrap().get(uri.path()).cloned();
                let Some(r) = r else {
                    return (StatusCode::NOT_FOUND, HeaderMap::new(), Vec::new());
                };
                if r.delay_ms > 0 {
                    tokio::time::sleep(Duration::from_millis(r.delay_ms)).await;
                }
                let mut h = HeaderMap::new();
                if let Some(l) = &r.location {
                    h.insert(header::LOCATION, HeaderValue::from_str(l).unwrap());
                }
                (StatusCode::from_u16(r.status).unwrap(), h, r.body)
            }
        });
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        format!("http://{addr}")
    }
}

/// A loopback URL where nothing listens.
fn closed_port_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    format!("http://127.0.0.1:{port}/")
}

// ---------------------------------------------------------------------------------------
// The service: the root on a trust list signed by the demo signer.

fn tv(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testvectors/trustlists")
        .join(rel)
}

fn loaded(root_der: &[u8], at: i64) -> Loaded {
    let entry = r#"
[[domestic]]
name = { en = "Test Root CA" }
website = "https://test-root.example/"
certificates = ["root.pem"]
licence = { number = "ECS-TEST-001", issuing_authority = "MIIT", issued = "2026-01-01T00:00:00Z" }
[[domestic.status]]
status = "granted"
from = "2026-01-01T00:00:00Z"
"#;
    let root = root_der.to_vec();
    loaded_from(entry, &|_p: &str| root.clone(), at)
}

/// A MIIT-role list of the demo's scheme with the `[[domestic]]` entries of `entries`
/// (certificate files resolved by `file`), signed by the demo signer, loaded at `at`.
fn loaded_from(entries: &str, file: &dyn Fn(&str) -> Vec<u8>, at: i64) -> Loaded {
    let demo = std::fs::read_to_string(tv("miit-demo.toml")).unwrap();
    let scheme = &demo[..demo.find("[[domestic]]").unwrap()];
    let text = format!("{scheme}{entries}");
    let source = huren_trustlists::parse_source(&text).expect("the source parses");
    let list = source
        .to_list(&|p: &str| Ok(file(p)))
        .expect("the source builds");
    let unsigned = huren_trustlists::write_list(&list).unwrap();
    let key = std::fs::read_to_string(tv("miit-demo-signer-key.pem")).unwrap();
    let key = SigningKey::from_pem(&key[key.find("-----BEGIN").unwrap()..]).unwrap();
    let signer_pem = std::fs::read(tv("miit-demo-signer.pem")).unwrap();
    let signer_der =
        huren_validator::pem::decode_all(&signer_pem, huren_validator::pem::CERTIFICATE_LABELS)
            .unwrap()
            .remove(0);
    let signer = ListSigner::new(key, signer_der.clone()).unwrap();
    let signed = sign_list(
        &unsigned,
        &signer,
        huren_validator::parse_rfc3339("2026-01-01T00:00:00Z").unwrap(),
        &aws_lc_rs::rand::SystemRandom::new(),
    )
    .unwrap();
    let pinned = PinnedSigners::new(vec![signer_der]).unwrap();
    let v = verify(signed.as_bytes(), &pinned, now()).expect("the test list verifies");
    let snapshot = build_snapshot(&[(&v, ListRole::Miit)]);
    let until = snapshot.next_update();
    Loaded::new(snapshot, Vec::new(), at, until, Arc::new(vec![v]))
}

fn policy(id: &str, revocation: &str) -> PolicyConfig {
    PolicyConfig {
        id: id.into(),
        version: "1".into(),
        description: String::new(),
        profile: "rfc5280".into(),
        revocation: revocation.into(),
        policy_oids: Vec::new(),
        key_usages: Vec::new(),
        ekus: Vec::new(),
    }
}

struct Svc {
    app: Router,
    source: OnlineRevocation,
    clock: Arc<FixedClock>,
}

fn fast() -> RevocationConfig {
    RevocationConfig {
        timeout_ms: 1500,
        ..RevocationConfig::default()
    }
}

fn service_at(pki: &Pki, cfg: RevocationConfig, at: i64) -> Svc {
    service_on(loaded(&pki.root.der, at), cfg, at)
}

fn service_on(l: Loaded, cfg: RevocationConfig, at: i64) -> Svc {
    let clock = Arc::new(FixedClock::at(at));
    let trust: TrustHandle = Arc::new(ArcSwapOption::from(Some(Arc::new(l))));
    let mut config = Config {
        policies: vec![
            policy("require", "require"),
            policy("prefer", "prefer"),
            policy("off", "off"),
        ],
        revocation: cfg,
        ..Config::default()
    };
    // Every request is computed (the result cache would hide the fetches counted here).
    config.cache.results = 0;
    let source = OnlineRevocation::new(&cfg, clock.clone()).unwrap();
    let state = AppState::new(
        config,
        trust,
        clock.clone(),
        Arc::new(source.clone()),
        Arc::new(NoRefresh),
    )
    .unwrap();
    Svc {
        app: app(state),
        source,
        clock,
    }
}

fn service(pki: &Pki, cfg: RevocationConfig) -> Svc {
    service_at(pki, cfg, pki.base)
}

fn request(pki: &Pki, leaf: &Leaf, policy: &str) -> Value {
    json!({
        "certificate": pem("CERTIFICATE", &leaf.der),
        "intermediates": [pem("CERTIFICATE", &pki.sub.der)],
        "policy": policy,
    })
}

async fn post(app: &Router, path: &str, body: &Value) -> Value {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(serde_json::to_vec(body).unwrap()))
        .unwrap();
    let r = app.clone().oneshot(req).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let b = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .unwrap();
    serde_json::from_slice(&b).unwrap()
}

async fn validate(svc: &Svc, body: &Value) -> Value {
    post(&svc.app, "/v1/validate", body).await
}

async fn metrics(svc: &Svc) -> String {
    let r = svc
        .app
        .clone()
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let b = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .unwrap();
    String::from_utf8(b.to_vec()).unwrap()
}

fn metric(text: &str, line_start: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(line_start))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

#[track_caller]
fn assert_outcome(v: &Value, status: &str, code: &str) {
    assert_eq!(v["status"], status, "{v:#}");
    assert_eq!(v["code"], code, "{v:#}");
}

/// Everything the answer says about revocation: the message, the REVOCATION checks, the
/// warnings and the revocation entries (a failed path keeps its checks, not its entries).
fn revocation_text(v: &Value) -> String {
    let mut out = vec![v["message"].as_str().unwrap_or("").to_string()];
    for c in v["checks"].as_array().into_iter().flatten() {
        if c["id"] == "REVOCATION" {
            out.push(c["message"].as_str().unwrap_or("").to_string());
        }
    }
    for w in v["warnings"].as_array().into_iter().flatten() {
        out.push(w["message"].as_str().unwrap_or("").to_string());
    }
    for e in v["revocation"].as_array().into_iter().flatten() {
        out.push(e.to_string());
    }
    out.join("\n")
}

/// The revocation entry of path index `i`.
fn entry(v: &Value, i: u64) -> &Value {
    v["revocation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["certIndex"] == i)
        .unwrap_or_else(|| panic!("no revocation entry {i}: {v:#}"))
}

// ---------------------------------------------------------------------------------------
// The cases.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn good_revoked_and_unknown_from_openssl_ocsp() {
    let pki = Pki::new().await;
    // The responder's URL is known once it listens; the leaves are made after.
    let good_serial = 0x10;
    let revoked_serial = 0x11;
    let index = pki.index(&[(good_serial, false), (revoked_serial, true)]);
    let ocsp = pki.responder(&index, &[]);
    let good = pki.leaf("good", good_serial, std::slice::from_ref(&ocsp.url), &[]);
    let revoked = pki.leaf(
        "revoked",
        revoked_serial,
        std::slice::from_ref(&ocsp.url),
        &[],
    );
    let unknown = pki.leaf("unknown", 0x12, std::slice::from_ref(&ocsp.url), &[]);
    let svc = service(&pki, fast());

    let v = validate(&svc, &request(&pki, &good, "require")).await;
    assert_outcome(&v, "VALID", "OK");
    let e = entry(&v, 0);
    assert_eq!(e["outcome"], "good", "{v:#}");
    assert_eq!(e["source"], ocsp.url.as_str(), "{v:#}");
    assert!(
        e["thisUpdate"].is_string() && e["nextUpdate"].is_string(),
        "{v:#}"
    );
    // The sub CA: good on the root's CRL, fetched from the loopback server.
    let e = entry(&v, 1);
    assert_eq!(e["outcome"], "good", "{v:#}");
    assert_eq!(e["source"], format!("{}/root.crl", pki.url), "{v:#}");
    assert!(
        e["thisUpdate"].is_string() && e["nextUpdate"].is_string(),
        "{v:#}"
    );

    let v = validate(&svc, &request(&pki, &revoked, "require")).await;
    assert_outcome(&v, "INVALID", "CERT_REVOKED");
    assert!(revocation_text(&v).contains("keyCompromise"), "{v:#}");

    // Again, from the caches: the good leaf in one validation, the revoked one through the
    // path search (a held answer is only ever a VALID one), with the same outcome.
    let mut fresh = request(&pki, &good, "require");
    fresh["fresh"] = true.into();
    let v = validate(&svc, &fresh).await;
    assert_outcome(&v, "VALID", "OK");
    assert_eq!(
        entry(&v, 0)["source"],
        format!("cache {}", ocsp.url),
        "{v:#}"
    );
    assert_eq!(
        entry(&v, 1)["source"],
        format!("cache {}/root.crl", pki.url),
        "{v:#}"
    );
    let mut fresh = request(&pki, &revoked, "require");
    fresh["fresh"] = true.into();
    let v = validate(&svc, &fresh).await;
    assert_outcome(&v, "INVALID", "CERT_REVOKED");
    assert_eq!(
        entry(&v, 0)["source"],
        format!("cache {}", ocsp.url),
        "{v:#}"
    );
    let m = metrics(&svc).await;
    assert_eq!(
        metric(&m, "huren_revocation_held_answers_total"),
        1.0,
        "{m}"
    );

    let v = validate(&svc, &request(&pki, &unknown, "require")).await;
    assert_outcome(&v, "INDETERMINATE", "REVOCATION_UNKNOWN");
    assert!(revocation_text(&v).contains(&ocsp.url), "{v:#}");

    // The same under prefer: unknown is a soft failure (from the cache now).
    let v = validate(&svc, &request(&pki, &unknown, "prefer")).await;
    assert_outcome(&v, "VALID", "OK");
    assert_eq!(entry(&v, 0)["outcome"], "unknown", "{v:#}");
    assert_eq!(
        entry(&v, 0)["source"],
        format!("cache {}", ocsp.url),
        "{v:#}"
    );
    assert!(
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "REVOCATION_SOFT_FAILED"),
        "{v:#}"
    );

    // Off: nothing is fetched.
    let before = pki.web.hits("/root.crl");
    let v = validate(&svc, &request(&pki, &good, "off")).await;
    assert_outcome(&v, "VALID", "OK");
    assert_eq!(pki.web.hits("/root.crl"), before);

    let m = metrics(&svc).await;
    assert!(
        metric(
            &m,
            "huren_revocation_fetches_total{kind=\"ocsp\",outcome=\"ok\"}"
        ) >= 3.0,
        "{m}"
    );
    assert!(
        m.contains("huren_revocation_fetch_duration_seconds_bucket"),
        "{m}"
    );
    assert!(m.contains("huren_revocation_cache_ocsp_entries"), "{m}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responder_down_slow_and_garbage_are_unavailable_fast() {
    let pki = Pki::new().await;
    pki.web.set("/slow", Route::slow(b"late".to_vec(), 5_000));
    pki.web
        .set("/garbage", Route::ok(b"this is not DER".to_vec()));
    let down = pki.leaf("down", 0x20, &[closed_port_url()], &[]);
    let slow = pki.leaf("slow", 0x21, &[format!("{}/slow", pki.url)], &[]);
    let garbage = pki.leaf("garbage", 0x22, &[format!("{}/garbage", pki.url)], &[]);
    let svc = service(
        &pki,
        RevocationConfig {
            timeout_ms: 300,
            ..RevocationConfig::default()
        },
    );

    for (leaf, what) in [
        (&down, "cannot connect"),
        (&slow, "no complete answer within 300 ms"),
        (&garbage, "malformed OCSP response"),
    ] {
        let started = Instant::now();
        let v = validate(&svc, &request(&pki, leaf, "require")).await;
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{what}: too slow"
        );
        assert_outcome(&v, "INDETERMINATE", "REVOCATION_UNAVAILABLE");
        assert!(
            v["message"].as_str().unwrap().contains(what),
            "{what}: {v:#}"
        );
        assert_eq!(v["retryable"], true, "{v:#}");

        // prefer: VALID with the soft failure, the entry saying what happened.
        let v = validate(&svc, &request(&pki, leaf, "prefer")).await;
        assert_outcome(&v, "VALID", "OK");
        let e = entry(&v, 0);
        assert_eq!(e["outcome"], "unavailable", "{v:#}");
        assert!(e["detail"].as_str().unwrap_or("").contains(what), "{v:#}");
        assert!(
            e["detail"]
                .as_str()
                .unwrap_or("")
                .contains("remembered failure"),
            "{v:#}"
        );
    }
    // The failures are remembered: the slow responder was asked once for two validations.
    assert_eq!(pki.web.hits("/slow"), 1);
    assert_eq!(pki.web.hits("/garbage"), 1);
    let m = metrics(&svc).await;
    assert!(
        metric(
            &m,
            "huren_revocation_fetch_failures_total{kind=\"ocsp\",reason=\"timeout\"}"
        ) >= 1.0,
        "{m}"
    );
    assert!(
        metric(
            &m,
            "huren_revocation_cache_negative_hits_total{kind=\"ocsp\"}"
        ) >= 3.0,
        "{m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_signer_and_unauthorised_delegated_responder_are_refused() {
    let pki = Pki::new().await;
    let serial = 0x30;
    let index = pki.index(&[(serial, false)]);
    // A responder certificate from another CA (with OCSPSigning), and one from the right CA
    // without OCSPSigning.
    let other = make_ca("Other CA", 9, None, None, pki.base);
    let (wrong_cert, wrong_key) = pki.responder_cert("resp-wrong", &other, true);
    let (noeku_cert, noeku_key) = pki.responder_cert("resp-noeku", &pki.sub, false);
    let sub = pki.dir.path("sub.pem");
    let wrong = Responder::start(&pki.dir, &index, &sub, &wrong_cert, &wrong_key, &[]);
    let noeku = Responder::start(&pki.dir, &index, &sub, &noeku_cert, &noeku_key, &[]);
    let svc = service(&pki, fast());
    for r in [&wrong, &noeku] {
        let leaf = pki.leaf("leaf", serial, std::slice::from_ref(&r.url), &[]);
        let v = validate(&svc, &request(&pki, &leaf, "prefer")).await;
        assert_outcome(&v, "VALID", "OK");
        let e = entry(&v, 0);
        assert_eq!(e["outcome"], "unavailable", "{v:#}");
        assert!(e["source"].as_str().unwrap().contains(&r.url), "{v:#}");
        let v = validate(&svc, &request(&pki, &leaf, "require")).await;
        assert_outcome(&v, "INDETERMINATE", "REVOCATION_UNAVAILABLE");
        // What the validator refused is not served again from the cache.
        assert!(
            v["message"].as_str().unwrap().contains("not accepted"),
            "{v:#}"
        );
        svc.source.clear();
    }

    // With a CRL beside the refused responder: the next validation falls back to it.
    pki.web.set(
        "/sub.crl",
        Route::ok(crl(&pki.sub, pki.base - 60, pki.base + 3600, &[])),
    );
    let leaf = pki.leaf(
        "fallback",
        serial,
        std::slice::from_ref(&wrong.url),
        &[format!("{}/sub.crl", pki.url)],
    );
    let v = validate(&svc, &request(&pki, &leaf, "require")).await;
    assert_outcome(&v, "INDETERMINATE", "REVOCATION_UNAVAILABLE");
    let v = validate(&svc, &request(&pki, &leaf, "require")).await;
    assert_outcome(&v, "VALID", "OK");
    assert_eq!(
        entry(&v, 0)["source"],
        format!("{}/sub.crl", pki.url),
        "{v:#}"
    );
    let m = metrics(&svc).await;
    assert!(
        metric(&m, "huren_revocation_refused_total{kind=\"ocsp\"}") >= 3.0,
        "{m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_ocsp_response_and_crl_past_next_update() {
    let pki = Pki::new().await;
    let serial = 0x40;
    let index = pki.index(&[(serial, false)]);
    // openssl gives nextUpdate = now + 1 day; the service's clock is two days ahead.
    let ocsp = pki.responder(&index, &[]);
    let leaf = pki.leaf("stale-ocsp", serial, std::slice::from_ref(&ocsp.url), &[]);
    let svc = service_at(&pki, fast(), pki.base + 2 * 86_400);
    let v = validate(&svc, &request(&pki, &leaf, "require")).await;
    assert_outcome(&v, "INDETERMINATE", "REVOCATION_STALE");
    let v = validate(&svc, &request(&pki, &leaf, "prefer")).await;
    assert_eq!(entry(&v, 0)["outcome"], "stale", "{v:#}");

    // A CRL past its nextUpdate, at the test's time.
    pki.web.set(
        "/stale.crl",
        Route::ok(crl(&pki.sub, pki.base - 2 * 86_400, pki.base - 3600, &[])),
    );
    let leaf = pki.leaf("stale-crl", 0x41, &[], &[format!("{}/stale.crl", pki.url)]);
    let svc = service(&pki, fast());
    let v = validate(&svc, &request(&pki, &leaf, "require")).await;
    assert_outcome(&v, "INDETERMINATE", "REVOCATION_STALE");
    // Stale data is kept like a failure (briefly), not refetched at once.
    let v = validate(&svc, &request(&pki, &leaf, "require")).await;
    assert_outcome(&v, "INDETERMINATE", "REVOCATION_STALE");
    assert_eq!(pki.web.hits("/stale.crl"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crls_from_the_distribution_points_decide_and_bound_the_answer() {
    let pki = Pki::new().await;
    let good = pki.leaf("crl-good", 0x50, &[], &[format!("{}/sub.crl", pki.url)]);
    let revoked = pki.leaf("crl-revoked", 0x51, &[], &[format!("{}/sub.crl", pki.url)]);
    // Current for ten minutes: the answer may not be kept longer.
    pki.web.set(
        "/sub.crl",
        Route::ok(crl(&pki.sub, pki.base - 60, pki.base + 600, &[&revoked])),
    );
    let svc = service(&pki, fast());
    let v = validate(&svc, &request(&pki, &good, "require")).await;
    assert_outcome(&v, "VALID", "OK");
    assert_eq!(entry(&v, 0)["source"], format!("{}/sub.crl", pki.url));
    let next = huren_validator::parse_rfc3339(v["nextUpdate"].as_str().unwrap()).unwrap();
    assert!(next <= pki.base + 600, "{v:#}");
    let v = validate(&svc, &request(&pki, &revoked, "require")).await;
    assert_outcome(&v, "INVALID", "CERT_REVOKED");
    // From the cache.
    let v = validate(&svc, &request(&pki, &good, "require")).await;
    assert_eq!(entry(&v, 0)["source"], format!("cache {}/sub.crl", pki.url));
    assert_eq!(pki.web.hits("/sub.crl"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cache_entries_live_until_next_update_never_longer_than_the_cap() {
    let pki = Pki::new().await;
    let url = format!("{}/short.crl", pki.url);
    let leaf = pki.leaf("ttl", 0x55, &[], std::slice::from_ref(&url));
    let b = pki.base;
    pki.web
        .set("/short.crl", Route::ok(crl(&pki.sub, b - 60, b + 600, &[])));
    let svc = service(
        &pki,
        RevocationConfig {
            max_cache_secs: 300,
            negative_cache_secs: 30,
            ..fast()
        },
    );
    let body = request(&pki, &leaf, "require");
    assert_outcome(&validate(&svc, &body).await, "VALID", "OK");
    svc.clock.set(b + 299);
    assert_outcome(&validate(&svc, &body).await, "VALID", "OK");
    assert_eq!(pki.web.hits("/short.crl"), 1, "kept within max_cache_secs");
    // Past max_cache_secs (nextUpdate is later): fetched again.
    svc.clock.set(b + 301);
    assert_outcome(&validate(&svc, &body).await, "VALID", "OK");
    assert_eq!(pki.web.hits("/short.crl"), 2);
    // Past the CRL's nextUpdate (before max_cache_secs from the second fetch): fetched
    // again, and the server now fails; the failure is remembered for 30 s.
    pki.web.set(
        "/short.crl",
        Route {
            status: 503,
            ..Route::default()
        },
    );
    svc.clock.set(b + 601);
    let v = validate(&svc, &body).await;
    assert_outcome(&v, "INDETERMINATE", "REVOCATION_UNAVAILABLE");
    assert!(v["message"].as_str().unwrap().contains("HTTP 503"), "{v:#}");
    assert_eq!(pki.web.hits("/short.crl"), 3);
    svc.clock.set(b + 630);
    let v = validate(&svc, &body).await;
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("remembered failure"),
        "{v:#}"
    );
    assert_eq!(pki.web.hits("/short.crl"), 3);
    // The failure is forgotten; the server is back.
    pki.web.set(
        "/short.crl",
        Route::ok(crl(&pki.sub, b + 600, b + 1200, &[])),
    );
    svc.clock.set(b + 632);
    assert_outcome(&validate(&svc, &body).await, "VALID", "OK");
    assert_eq!(pki.web.hits("/short.crl"), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_validations_make_one_fetch_and_the_next_uses_the_cache() {
    let pki = Pki::new().await;
    let serial = 0x60;
    let index = pki.index(&[(serial, false)]);
    let leaf = pki.leaf("shared", serial, &[format!("{}/ocsp", pki.url)], &[]);
    // A real openssl-made response, served slowly, so the validations overlap.
    let resp = pki.offline_response(&leaf, &index);
    pki.web.set("/ocsp", Route::slow(resp, 300));
    pki.web.set(
        "/root.crl",
        Route::slow(
            crl(&pki.root, pki.base - 3600, pki.base + 7 * 86_400, &[]),
            300,
        ),
    );
    let svc = service(&pki, fast());
    let body = request(&pki, &leaf, "require");
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let app = svc.app.clone();
        let body = body.clone();
        set.spawn(async move { post(&app, "/v1/validate", &body).await });
    }
    while let Some(v) = set.join_next().await {
        assert_outcome(&v.unwrap(), "VALID", "OK");
    }
    assert_eq!(pki.web.hits("/ocsp"), 1, "one OCSP fetch for 8 validations");
    assert_eq!(
        pki.web.hits("/root.crl"),
        1,
        "one CRL fetch for 8 validations"
    );

    // The next validation fetches nothing.
    let v = validate(&svc, &body).await;
    assert_outcome(&v, "VALID", "OK");
    assert_eq!(pki.web.hits("/ocsp"), 1);
    assert_eq!(pki.web.hits("/root.crl"), 1);
    assert_eq!(
        entry(&v, 0)["source"],
        format!("cache {}/ocsp", pki.url),
        "{v:#}"
    );
    let m = metrics(&svc).await;
    assert!(
        metric(&m, "huren_revocation_cache_hits_total{kind=\"ocsp\"}") >= 1.0,
        "{m}"
    );
    // Decided by what the caches held, in one validation.
    assert_eq!(
        metric(&m, "huren_revocation_held_answers_total"),
        1.0,
        "{m}"
    );
    assert!(
        metric(
            &m,
            "huren_revocation_fetches_total{kind=\"ocsp\",outcome=\"ok\"}"
        ) == 1.0,
        "{m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nonce_is_sent_and_must_come_back() {
    let pki = Pki::new().await;
    let serial = 0x70;
    let index = pki.index(&[(serial, false), (0x73, false)]);
    let ocsp = pki.responder(&index, &[]);
    let cfg = RevocationConfig {
        nonce: true,
        ..fast()
    };
    // openssl echoes the nonce.
    let leaf = pki.leaf("nonce", serial, std::slice::from_ref(&ocsp.url), &[]);
    let svc = service(&pki, cfg);
    let v = validate(&svc, &request(&pki, &leaf, "require")).await;
    assert_outcome(&v, "VALID", "OK");
    // A pre-made response has none (or another one): refused.
    let replay = pki.leaf("replay", 0x73, &[format!("{}/replay", pki.url)], &[]);
    let resp = pki.offline_response(&replay, &index);
    pki.web.set("/replay", Route::ok(resp));
    let v = validate(&svc, &request(&pki, &replay, "require")).await;
    assert_outcome(&v, "INDETERMINATE", "REVOCATION_UNAVAILABLE");
    assert!(v["message"].as_str().unwrap().contains("nonce"), "{v:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caller_evidence_comes_first_and_unverified_chains_fetch_nothing() {
    let pki = Pki::new().await;
    let serial = 0x71;
    let index = pki.index(&[(serial, false)]);
    let leaf = pki.leaf("caller", serial, &[format!("{}/never", pki.url)], &[]);
    let resp = pki.offline_response(&leaf, &index);
    let root_crl = crl(&pki.root, pki.base - 3600, pki.base + 86_400, &[]);
    let svc = service(&pki, fast());
    let mut body = request(&pki, &leaf, "require");
    body["revocation"] = json!({
        "ocspResponses": [pem("OCSP RESPONSE", &resp)],
        "crls": [base64ct::Base64::encode_string(&root_crl)],
    });
    let v = validate(&svc, &body).await;
    assert_outcome(&v, "VALID", "OK");
    assert_eq!(entry(&v, 0)["source"], "caller OCSP", "{v:#}");
    assert_eq!(entry(&v, 1)["source"], "caller CRL", "{v:#}");
    assert_eq!(pki.web.hits("/never"), 0);
    assert_eq!(pki.web.hits("/root.crl"), 0);

    // A leaf that does not chain to the anchor: its URLs are not contacted.
    let stranger_ca = make_ca("Stranger CA", 8, None, None, pki.base);
    let (stranger, _) = make_leaf(
        "stranger",
        0x72,
        &stranger_ca,
        &[format!("{}/ssrf", pki.url)],
        &[format!("{}/ssrf.crl", pki.url)],
        Vec::new(),
    );
    let v = validate(
        &svc,
        &json!({ "certificate": pem("CERTIFICATE", &stranger.der), "policy": "require" }),
    )
    .await;
    assert_outcome(&v, "INDETERMINATE", "NO_PATH_TO_TRUST_ANCHOR");
    assert_eq!(pki.web.hits("/ssrf") + pki.web.hits("/ssrf.crl"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_budget_redirects_and_size() {
    let pki = Pki::new().await;
    // max_fetches = 1: the leaf's CRL or the sub CA's, not both.
    pki.web.set(
        "/sub.crl",
        Route::ok(crl(&pki.sub, pki.base - 60, pki.base + 3600, &[])),
    );
    let leaf = pki.leaf("budget", 0x80, &[], &[format!("{}/sub.crl", pki.url)]);
    let svc = service(
        &pki,
        RevocationConfig {
            max_fetches: 1,
            ..fast()
        },
    );
    let v = validate(&svc, &request(&pki, &leaf, "require")).await;
    assert_outcome(&v, "INDETERMINATE", "REVOCATION_UNAVAILABLE");
    assert_eq!(pki.web.hits("/sub.crl") + pki.web.hits("/root.crl"), 1);
    assert!(revocation_text(&v).contains("max_fetches"), "{v:#}");

    // A redirect to another scheme, and a CRL over the size cap.
    pki.web.set(
        "/redirect.crl",
        Route {
            status: 302,
            location: Some("ftp://127.0.0.1/ca.crl".into()),
            ..Route::default()
        },
    );
    pki.web.set("/big.crl", Route::ok(vec![0x30; 200_000]));
    let svc = service(
        &pki,
        RevocationConfig {
            max_bytes: 100_000,
            ..fast()
        },
    );
    for (path, what) in [
        ("/redirect.crl", "redirect"),
        ("/big.crl", "larger than the 100000 bytes"),
    ] {
        let leaf = pki.leaf("limits", 0x81, &[], &[format!("{}{path}", pki.url)]);
        let v = validate(&svc, &request(&pki, &leaf, "require")).await;
        assert_outcome(&v, "INDETERMINATE", "REVOCATION_UNAVAILABLE");
        assert!(
            v["message"].as_str().unwrap().contains(what),
            "{what}: {v:#}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// The command line.

fn huren(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_huren"))
        .args(args)
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_online_and_ocsp_response_files() {
    let pki = Pki::new().await;
    let index = pki.index(&[(0x90, false), (0x91, true)]);
    let ocsp = pki.responder(&index, &[]);
    let good = pki.leaf("cli-good", 0x90, std::slice::from_ref(&ocsp.url), &[]);
    let revoked = pki.leaf("cli-revoked", 0x91, std::slice::from_ref(&ocsp.url), &[]);
    let down = pki.leaf("cli-down", 0x92, &[closed_port_url()], &[]);
    let d = &pki.dir;
    let root = d.write("root.pem", pem("CERTIFICATE", &pki.root.der));
    let sub = d.path("sub.pem");
    let files: Vec<PathBuf> = [(&good, "good"), (&revoked, "revoked"), (&down, "down")]
        .iter()
        .map(|(l, n)| d.write(&format!("cli-{n}.pem"), pem("CERTIFICATE", &l.der)))
        .collect();
    let run = move |leaf: PathBuf, extra: Vec<std::ffi::OsString>| {
        let mut args: Vec<std::ffi::OsString> = vec![
            "validate".into(),
            leaf.into(),
            "--intermediate".into(),
            sub.clone().into(),
            "--anchor".into(),
            root.clone().into(),
        ];
        args.extend(extra);
        let refs: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        huren(&refs)
    };
    let online = || -> Vec<std::ffi::OsString> {
        vec![
            "--online".into(),
            "--revocation".into(),
            "require".into(),
            "--format".into(),
            "json".into(),
        ]
    };
    let (f0, f1, f2) = (files[0].clone(), files[1].clone(), files[2].clone());
    let run2 = run.clone();
    let outs = tokio::task::spawn_blocking(move || {
        vec![run2(f0, online()), run2(f1, online()), run2(f2, online())]
    })
    .await
    .unwrap();
    let codes: Vec<Option<i32>> = outs.iter().map(|o| o.status.code()).collect();
    assert_eq!(
        codes,
        vec![Some(0), Some(1), Some(2)],
        "{}",
        outs.iter()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .collect::<Vec<_>>()
            .join("\n")
    );
    let v: Value = serde_json::from_slice(&outs[0].stdout).unwrap();
    assert_eq!(entry(&v, 0)["source"], ocsp.url.as_str(), "{v:#}");
    let v: Value = serde_json::from_slice(&outs[2].stdout).unwrap();
    assert!(
        v["message"].as_str().unwrap().contains("cannot connect"),
        "{v:#}"
    );

    // By hand: an OCSP response (DER, and PEM) and the root's CRL, no network.
    let resp = pki.offline_response(&good, &index);
    let der_file = d.write("good-resp.der", &resp);
    let pem_file = d.write("good-resp.pem", pem("OCSP RESPONSE", &resp));
    let crl_file = d.write(
        "root.crl",
        crl(&pki.root, pki.base - 3600, pki.base + 86_400, &[]),
    );
    let garbage = d.write("garbage.der", b"garbage");
    let f0 = files[0].clone();
    let outs = tokio::task::spawn_blocking(move || {
        let by_hand = |resp: &Path| -> Vec<std::ffi::OsString> {
            vec![
                "--ocsp-response".into(),
                resp.into(),
                "--crl".into(),
                crl_file.clone().into(),
                "--revocation".into(),
                "require".into(),
            ]
        };
        vec![
            run(f0.clone(), by_hand(&der_file)),
            run(f0.clone(), by_hand(&pem_file)),
            run(f0, by_hand(&garbage)),
        ]
    })
    .await
    .unwrap();
    assert_eq!(outs[0].status.code(), Some(0), "{outs:?}");
    assert_eq!(outs[1].status.code(), Some(0), "{outs:?}");
    assert_eq!(outs[2].status.code(), Some(64), "{outs:?}");
    assert!(String::from_utf8_lossy(&outs[2].stderr).contains("garbage.der"));
    assert!(outs[2].stdout.is_empty());
}

#[test]
fn revocation_configuration_and_environment() {
    let c = Config::from_toml(
        "[revocation]\nonline = false\ntimeout_ms = 500\nmax_bytes = 1000\nmax_fetches = 2\ndeadline_ms = 700\nnonce = true\nocsp_get = false\nmax_cache_secs = 60\nnegative_cache_secs = 5\ncache_mib = 8\n",
    )
    .unwrap();
    assert_eq!(
        c.revocation,
        RevocationConfig {
            online: false,
            timeout_ms: 500,
            max_bytes: 1000,
            max_fetches: 2,
            deadline_ms: 700,
            nonce: true,
            ocsp_get: false,
            max_cache_secs: 60,
            negative_cache_secs: 5,
            cache_mib: 8,
        }
    );
    let d = RevocationConfig::default();
    assert!(d.online && !d.nonce);
    assert_eq!((d.max_cache_secs, d.negative_cache_secs), (3600, 30));
    let e = Config::from_toml("[revocation]\nnonse = true\n").unwrap_err();
    assert!(e.to_string().contains("nonse"), "{e}");
    let env = |k: &str| match k {
        "HUREN_REVOCATION_NONCE" => Some("true".to_string()),
        "HUREN_REVOCATION_ONLINE" => Some("off".to_string()),
        "HUREN_REVOCATION_MAX_CACHE_SECS" => Some("120".to_string()),
        _ => None,
    };
    let c = Config::load(None, &env).unwrap();
    assert!(c.revocation.nonce && !c.revocation.online);
    assert_eq!(c.revocation.max_cache_secs, 120);
    let bad = |k: &str| (k == "HUREN_REVOCATION_NONCE").then(|| "maybe".to_string());
    let e = Config::load(None, &bad).unwrap_err();
    assert!(e.to_string().contains("HUREN_REVOCATION_NONCE"), "{e}");
    let e = Config::from_toml("[revocation]\ndeadline_ms = 0\n").unwrap_err();
    assert!(e.to_string().contains("deadline_ms"), "{e}");
    let env = |k: &str| (k == "HUREN_REVOCATION_DEADLINE_MS").then(|| "1500".to_string());
    assert_eq!(
        Config::load(None, &env).unwrap().revocation.deadline_ms,
        1500
    );
}

/// Art. 31: the root's business is taken over by a successor that the list names, with the
/// successor's own entry giving its OCSP responder as a supply point. The status of the
/// root's certificates is asked there, and the successor's signed answer is accepted and
/// named in the report; without the successor on the list the same leaf (it names no
/// responder of its own) has no status to be found.
#[tokio::test]
async fn a_taken_over_ca_is_answered_for_by_its_successor() {
    let pki = Pki::new().await;
    let base = pki.base;
    let successor = make_ca("Test Successor", 9, None, None, base);
    let succ_pem = pki
        .dir
        .write("successor.pem", pem("CERTIFICATE", &successor.der));
    let succ_key = pki
        .dir
        .write("successor.key", pem("PRIVATE KEY", &successor.key_der));
    let (good_serial, revoked_serial) = (0x30, 0x31);
    let index = pki.index(&[(good_serial, false), (revoked_serial, true)]);
    // The successor's responder: CertIDs of the sub CA's leaves, signed with the successor's
    // own key.
    let ocsp = Responder::start(
        &pki.dir,
        &index,
        &pki.dir.path("sub.pem"),
        &succ_pem,
        &succ_key,
        &[],
    );
    let good = pki.leaf("taken-over-good", good_serial, &[], &[]);
    let revoked = pki.leaf("taken-over-revoked", revoked_serial, &[], &[]);
    let taken_over = huren_validator::fmt_time(base + 2 * 86_400);
    let entries = format!(
        r#"
[[domestic]]
name = {{ en = "Test Root CA" }}
website = "https://test-root.example/"
certificates = ["root.pem"]
licence = {{ number = "ECS-TEST-001", issuing_authority = "MIIT", issued = "2026-01-01T00:00:00Z" }}
[[domestic.status]]
status = "granted"
from = "2026-01-01T00:00:00Z"
[[domestic.status]]
status = "taken-over"
from = "{taken_over}"
successor = "Test Successor CA"

[[domestic]]
name = {{ en = "Test Successor CA" }}
website = "https://test-successor.example/"
certificates = ["successor.pem"]
supply_points = ["{url}"]
licence = {{ number = "ECS-TEST-002", issuing_authority = "MIIT", issued = "2026-01-01T00:00:00Z" }}
[[domestic.status]]
status = "granted"
from = "2026-01-01T00:00:00Z"
"#,
        url = ocsp.url
    );
    let (root, succ) = (pki.root.der.clone(), successor.der.clone());
    let file = move |p: &str| {
        if p == "successor.pem" {
            succ.clone()
        } else {
            root.clone()
        }
    };
    let svc = service_on(loaded_from(&entries, &file, base), fast(), base);

    let v = validate(&svc, &request(&pki, &good, "require")).await;
    assert_outcome(&v, "VALID", "OK");
    let e = entry(&v, 0);
    assert_eq!(e["outcome"], "good", "{v:#}");
    assert_eq!(e["source"], ocsp.url.as_str(), "{v:#}");
    let check = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "REVOCATION" && c["certIndex"] == 0)
        .unwrap_or_else(|| panic!("no revocation check for the leaf: {v:#}"));
    let m = check["message"].as_str().unwrap();
    assert!(
        m.contains("successor") && m.contains("Art. 31") && m.contains("Test Successor"),
        "{m}"
    );

    let v = validate(&svc, &request(&pki, &revoked, "require")).await;
    assert_outcome(&v, "INVALID", "CERT_REVOKED");
    assert_eq!(entry(&v, 0)["outcome"], "revoked", "{v:#}");

    // The same leaf under the list without the successor: nothing names a responder.
    let plain = service(&pki, fast());
    let v = validate(&plain, &request(&pki, &good, "require")).await;
    assert_outcome(&v, "INDETERMINATE", "REVOCATION_UNAVAILABLE");
}

// ---------------------------------------------------------------------------------------
// SM2: a domestic CA made by `openssl` (SM2 with SM3 over the GM/T 0009 default ID), its
// certificates' status answered over HTTP by a responder of this test's own signing with
// the `sm2` crate, and by `openssl ocsp` itself; the responses the test signs are checked
// by `openssl ocsp` where OpenSSL can (see `sm2_ocsp_over_http`).

const SM2_CNF: &str = "\
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
[v3_ocsp]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
";

/// Runs `openssl ARGS` in `dir`; its stdout and stderr, or a panic with them.
fn openssl_in(dir: &Path, args: &[&str]) -> String {
    let (ok, text) = openssl_try(dir, args);
    assert!(ok, "openssl {args:?}: {text}");
    text
}

/// The same, for a command that may fail: its success and output.
fn openssl_try(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl is installed (scripts/test.sh installs it)");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// An SM2 certificate issued by `root.pem` (key `root.key`) in `dir` for a fresh key
/// `NAME.key`, with the extensions of `ext` (the lines of an openssl extension section);
/// written as `NAME.pem`; its DER.
fn sm2_issue(dir: &Path, name: &str, serial: &str, ext: &str) -> Vec<u8> {
    huren_testvectors::openssl_sm2_key(dir, &format!("{name}.key")).unwrap();
    let config = format!("{name}.cnf");
    std::fs::write(dir.join(&config), format!("{SM2_CNF}[ext]\n{ext}\n")).unwrap();
    huren_testvectors::openssl_sm2_cert(
        dir,
        &Sm2Cert {
            name,
            subject: &format!("/C=CN/O=Huren SM2 Test/CN={name}"),
            issuer: Some("root"),
            config: &config,
            section: "ext",
            days: "30",
            serial: Some(serial),
        },
    )
    .unwrap();
    let text = std::fs::read(dir.join(format!("{name}.pem"))).unwrap();
    huren_validator::pem::decode_all(&text, huren_validator::pem::CERTIFICATE_LABELS)
        .unwrap()
        .remove(0)
}

/// The SM2 private key in `dir/NAME.key` (PKCS#8 PEM, as openssl writes it).
fn sm2_secret(dir: &Path, name: &str) -> sm2::SecretKey {
    use sm2::pkcs8::DecodePrivateKey;
    let text = std::fs::read_to_string(dir.join(format!("{name}.key"))).unwrap();
    sm2::SecretKey::from_pkcs8_pem(&text).expect("openssl's SM2 key decodes")
}

fn generalized(t: i64) -> Vec<u8> {
    let d = odt(t);
    der(
        0x18,
        format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}Z",
            d.year(),
            u8::from(d.month()),
            d.day(),
            d.hour(),
            d.minute(),
            d.second()
        )
        .as_bytes(),
    )
}

#[derive(Clone, Copy)]
enum Answer {
    Good,
    /// Revoked at this time, keyCompromise.
    Revoked(i64),
    Unknown,
}

/// A DER `OCSPResponse` (RFC 6960 §4.2.1) answering `status` for `id`, current at `t`
/// (thisUpdate an hour before, nextUpdate a day after), the responder named `responder`
/// (its subject's DER), signed SM2-with-SM3 by `key` over the distinguishing ID `distid`,
/// carrying `certs` (DER certificates) when given.
fn sm2_response(
    id: &huren_validator::CertId,
    status: Answer,
    responder: &[u8],
    key: &sm2::SecretKey,
    distid: &str,
    certs: &[&[u8]],
    t: i64,
) -> Vec<u8> {
    use sm2::dsa::signature::Signer;
    const SHA1: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];
    const SM2_SM3: &[u8] = &[0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75];
    const OCSP_BASIC: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01];
    assert_eq!(id.hash_algorithm, huren_validator::HashAlg::Sha1);
    let cert_id = der(
        0x30,
        &[
            der(0x30, &[der(0x06, SHA1), der(0x05, &[])].concat()),
            der(0x04, &id.issuer_name_hash),
            der(0x04, &id.issuer_key_hash),
            der(0x02, &id.serial),
        ]
        .concat(),
    );
    let status = match status {
        Answer::Good => vec![0x80, 0x00],
        Answer::Unknown => vec![0x82, 0x00],
        Answer::Revoked(at) => der(
            0xA1,
            &[generalized(at), der(0xA0, &der(0x0A, &[1]))].concat(),
        ),
    };
    let single = der(
        0x30,
        &[
            cert_id,
            status,
            generalized(t - 3600),
            der(0xA0, &generalized(t + 86_400)),
        ]
        .concat(),
    );
    let tbs = der(
        0x30,
        &[der(0xA1, responder), generalized(t), der(0x30, &single)].concat(),
    );
    let signer = sm2::dsa::SigningKey::new(distid, key).expect("SM2 signing key");
    let sig: sm2::dsa::Signature = signer.sign(&tbs);
    let mut bits = vec![0u8];
    bits.extend_from_slice(&sig.to_der().to_bytes());
    let mut basic = [tbs, der(0x30, &der(0x06, SM2_SM3)), der(0x03, &bits)].concat();
    if !certs.is_empty() {
        basic.extend(der(0xA0, &der(0x30, &certs.concat())));
    }
    let bytes = der(
        0x30,
        &[der(0x06, OCSP_BASIC), der(0x04, &der(0x30, &basic))].concat(),
    );
    der(0x30, &[der(0x0A, &[0]), der(0xA0, &bytes)].concat())
}

fn sm2_request(leaf: &[u8]) -> Value {
    json!({
        "certificate": pem("CERTIFICATE", leaf),
        "intermediates": [],
        "policy": "require",
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sm2_ocsp_over_http() {
    let pki = Pki::new().await;
    let dir = pki.dir.0.clone();
    let d = dir.as_path();
    std::fs::write(d.join("sm2.cnf"), SM2_CNF).unwrap();
    huren_testvectors::openssl_sm2_key(d, "root.key").unwrap();
    huren_testvectors::openssl_sm2_cert(
        d,
        &Sm2Cert {
            name: "root",
            subject: "/C=CN/O=Huren SM2 Test/CN=Huren SM2 Root",
            issuer: None,
            config: "sm2.cnf",
            section: "v3_root",
            days: "365",
            serial: None,
        },
    )
    .unwrap();
    let root_der = huren_validator::pem::decode_all(
        &std::fs::read(d.join("root.pem")).unwrap(),
        huren_validator::pem::CERTIFICATE_LABELS,
    )
    .unwrap()
    .remove(0);
    let root = huren_validator::Certificate::from_der(&root_der).unwrap();
    let root_key = sm2_secret(d, "root");
    // A delegated responder (id-kp-OCSPSigning), and a key the root never certified.
    let responder_der = sm2_issue(
        d,
        "responder",
        "0x7001",
        "basicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = OCSPSigning",
    );
    let responder = huren_validator::Certificate::from_der(&responder_der).unwrap();
    let responder_key = sm2_secret(d, "responder");
    huren_testvectors::openssl_sm2_key(d, "stranger.key").unwrap();
    let stranger_key = sm2_secret(d, "stranger");

    // `openssl ocsp` as the root's SM2 responder: told the GM/T ID, and left at its default.
    let index = |serials: &[(&str, bool)]| {
        let exp = index_time(pki.base + 30 * 86_400);
        serials
            .iter()
            .map(|(s, revoked)| {
                if *revoked {
                    format!(
                        "R\t{exp}\t{},keyCompromise\t{s}\tunknown\t/CN=sm2-{s}\n",
                        index_time(pki.base - 3600)
                    )
                } else {
                    format!("V\t{exp}\t\t{s}\tunknown\t/CN=sm2-{s}\n")
                }
            })
            .collect::<String>()
    };
    let peer_index = index(&[("3001", false), ("3002", true)]);
    let root_pem = d.join("root.pem");
    let root_key_pem = d.join("root.key");
    let peer = Responder::start(
        &pki.dir,
        &peer_index,
        &root_pem,
        &root_pem,
        &root_key_pem,
        &["-rmd", "sm3", "-rsigopt", SM2_DISTID],
    );
    let peer_default_index = index(&[("3003", false)]);
    let peer_default = Responder::start(
        &pki.dir,
        &peer_default_index,
        &root_pem,
        &root_pem,
        &root_key_pem,
        &["-rmd", "sm3"],
    );

    let leaf_ext = |url: &str| {
        format!(
            "basicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature\ncertificatePolicies = 1.2.156.999001.1.1\nauthorityInfoAccess = OCSP;URI:{url}"
        )
    };
    let leaf = |name: &str, serial: &str, url: &str| {
        let der = sm2_issue(d, name, serial, &leaf_ext(url));
        let cert = huren_validator::Certificate::from_der(&der).unwrap();
        (der, cert)
    };
    // This test's own responder: one fixed response per leaf, at its own path.
    let own = |path: &str| format!("{}/sm2/{path}", pki.url);
    let good = leaf("good", "0x2001", &own("good"));
    let revoked = leaf("revoked", "0x2002", &own("revoked"));
    let unknown = leaf("unknown", "0x2003", &own("unknown"));
    let delegated = leaf("delegated", "0x2004", &own("delegated"));
    let stranger = leaf("stranger-signed", "0x2005", &own("stranger"));
    let empty_id = leaf("empty-id", "0x2006", &own("empty-id"));
    let peer_good = leaf("peer-good", "0x3001", &peer.url);
    let peer_revoked = leaf("peer-revoked", "0x3002", &peer.url);
    let peer_default_good = leaf("peer-default", "0x3003", &peer_default.url);

    // The certificates' notBefore is openssl's "now": the service's clock is set after it.
    let at = now() + 120;
    let root_name = root.subject().der().to_vec();
    let id = |c: &huren_validator::Certificate| {
        huren_validator::CertId::for_cert(c, &root, huren_validator::HashAlg::Sha1)
    };
    let gmt = "1234567812345678";
    let sign = |c: &huren_validator::Certificate, a: Answer| {
        sm2_response(&id(c), a, &root_name, &root_key, gmt, &[], at)
    };
    let revoked_at = at - 7200;
    let bodies = [
        ("good", sign(&good.1, Answer::Good)),
        ("revoked", sign(&revoked.1, Answer::Revoked(revoked_at))),
        ("unknown", sign(&unknown.1, Answer::Unknown)),
        (
            "delegated",
            sm2_response(
                &id(&delegated.1),
                Answer::Good,
                responder.subject().der(),
                &responder_key,
                gmt,
                &[&responder_der],
                at,
            ),
        ),
        (
            "stranger",
            sm2_response(
                &id(&stranger.1),
                Answer::Good,
                &root_name,
                &stranger_key,
                gmt,
                &[],
                at,
            ),
        ),
        (
            "empty-id",
            sm2_response(
                &id(&empty_id.1),
                Answer::Good,
                &root_name,
                &root_key,
                "",
                &[],
                at,
            ),
        ),
    ];
    for (path, body) in &bodies {
        pki.web
            .set(&format!("/sm2/{path}"), Route::ok(body.clone()));
    }

    let entry_toml = r#"
[[domestic]]
name = { en = "Huren SM2 Root CA" }
website = "https://sm2-root.example/"
certificates = ["root.pem"]
licence = { number = "ECS-SM2-001", issuing_authority = "MIIT", issued = "2026-01-01T00:00:00Z" }
[[domestic.status]]
status = "granted"
from = "2026-01-01T00:00:00Z"
"#;
    let root_copy = root_der.clone();
    let svc = service_on(
        loaded_from(entry_toml, &|_p: &str| root_copy.clone(), at),
        fast(),
        at,
    );

    // This test's responder, GM/T ID: good, revoked, unknown, a delegated responder.
    let v = validate(&svc, &sm2_request(&good.0)).await;
    assert_outcome(&v, "VALID", "OK");
    assert_eq!(entry(&v, 0)["outcome"], "good", "{v:#}");
    assert_eq!(entry(&v, 0)["source"], own("good").as_str(), "{v:#}");
    assert_eq!(v["anchor"]["licence"], "ECS-SM2-001", "{v:#}");
    let v = validate(&svc, &sm2_request(&revoked.0)).await;
    assert_outcome(&v, "INVALID", "CERT_REVOKED");
    assert!(revocation_text(&v).contains("keyCompromise"), "{v:#}");
    let v = validate(&svc, &sm2_request(&unknown.0)).await;
    assert_outcome(&v, "INDETERMINATE", "REVOCATION_UNKNOWN");
    let v = validate(&svc, &sm2_request(&delegated.0)).await;
    assert_outcome(&v, "VALID", "OK");
    assert_eq!(entry(&v, 0)["outcome"], "good", "{v:#}");
    // A key the root never certified, and the root's key over an empty ID: refused, the
    // second with the reason a CA can act on.
    let v = validate(&svc, &sm2_request(&stranger.0)).await;
    assert_outcome(&v, "INDETERMINATE", "REVOCATION_UNAVAILABLE");
    assert!(revocation_text(&v).contains("invalid signature"), "{v:#}");
    let v = validate(&svc, &sm2_request(&empty_id.0)).await;
    assert_outcome(&v, "INDETERMINATE", "REVOCATION_UNAVAILABLE");
    assert!(
        revocation_text(&v).contains("empty distinguishing ID"),
        "{v:#}"
    );

    // `openssl ocsp` answering, SM2-signed over the GM/T ID: the same outcomes as ours.
    let v = validate(&svc, &sm2_request(&peer_good.0)).await;
    assert_outcome(&v, "VALID", "OK");
    assert_eq!(entry(&v, 0)["source"], peer.url.as_str(), "{v:#}");
    let v = validate(&svc, &sm2_request(&peer_revoked.0)).await;
    assert_outcome(&v, "INVALID", "CERT_REVOKED");
    // Left at OpenSSL 3's default (an empty ID): not GM/T 0009, refused and said why.
    let v = validate(&svc, &sm2_request(&peer_default_good.0)).await;
    assert_outcome(&v, "INDETERMINATE", "REVOCATION_UNAVAILABLE");
    assert!(
        revocation_text(&v).contains("empty distinguishing ID"),
        "{v:#}"
    );

    // Cross-checks by `openssl ocsp`. It reads every response this test signs.
    for (path, body) in &bodies {
        let f = format!("own-{path}.der");
        std::fs::write(d.join(&f), body).unwrap();
        let text = openssl_in(d, &["ocsp", "-respin", &f, "-resp_text", "-noverify"]);
        assert!(text.contains("SM2-with-SM3"), "{path}: {text}");
        assert!(
            text.contains("Response Type: Basic OCSP Response"),
            "{path}: {text}"
        );
    }
    let text = openssl_in(
        d,
        &[
            "ocsp",
            "-respin",
            "own-revoked.der",
            "-resp_text",
            "-noverify",
        ],
    );
    assert!(
        text.contains("Cert Status: revoked") && text.contains("keyCompromise"),
        "{text}"
    );
    // OpenSSL 3 verifies OCSP signatures over an empty SM2 ID only (`openssl ocsp` has no
    // verification option for the ID), so the signatures are cross-checked on the same
    // responses signed over the empty ID: by the root, and by the delegated responder
    // (`-verify_other`; its certificate, signed over the GM/T ID, is taken as given with
    // `-trust_other`, since OpenSSL would check that signature over the empty ID too).
    // Signed over the empty ID by `key` under `name`, checked by `openssl ocsp` with `extra`.
    let openssl_verifies = |file: &str,
                            c: &huren_validator::Certificate,
                            name: &[u8],
                            key: &sm2::SecretKey,
                            extra: &[&str]| {
        let bytes = sm2_response(&id(c), Answer::Good, name, key, "", &[], at);
        std::fs::write(d.join(file), bytes).unwrap();
        let mut args = vec![
            "ocsp", "-respin", file, "-issuer", "root.pem", "-CAfile", "root.pem",
        ];
        args.extend_from_slice(extra);
        let (ok, text) = openssl_try(d, &args);
        (ok && text.contains("Response verify OK"), text)
    };
    let (ok, text) = openssl_verifies("x-root.der", &good.1, &root_name, &root_key, &[]);
    assert!(ok, "{text}");
    let (ok, text) = openssl_verifies(
        "x-delegated.der",
        &delegated.1,
        responder.subject().der(),
        &responder_key,
        &["-verify_other", "responder.pem", "-trust_other"],
    );
    assert!(ok, "{text}");
    // And the stranger's signature fails there as here.
    let (ok, text) = openssl_verifies("x-stranger.der", &good.1, &root_name, &stranger_key, &[]);
    assert!(!ok, "{text}");
}

/// A responder slower than `revocation.deadline_ms`: the validation is answered at the
/// deadline with the missing fetch named; the fetch goes on, and the next validation finds
/// its response in the cache.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deadline_answers_with_what_came_and_the_fetch_goes_on() {
    let pki = Pki::new().await;
    let serial = 0x61;
    let index = pki.index(&[(serial, false)]);
    let leaf = pki.leaf("late", serial, &[format!("{}/late-ocsp", pki.url)], &[]);
    let resp = pki.offline_response(&leaf, &index);
    pki.web.set("/late-ocsp", Route::slow(resp, 900));
    let svc = service(
        &pki,
        RevocationConfig {
            timeout_ms: 3000,
            deadline_ms: 300,
            ..RevocationConfig::default()
        },
    );
    let body = request(&pki, &leaf, "require");
    // Answered before the responder was (its response would have made it VALID).
    let v = validate(&svc, &body).await;
    assert_outcome(&v, "INDETERMINATE", "REVOCATION_UNAVAILABLE");
    assert!(
        revocation_text(&v).contains("no answer within the revocation deadline of 300 ms"),
        "{v:#}"
    );
    let m = metrics(&svc).await;
    assert_eq!(
        metric(&m, "huren_revocation_deadline_passed_total"),
        1.0,
        "{m}"
    );

    // The fetch went on (a validation meanwhile joins it, or is answered at its own
    // deadline); once it is in, validations are answered from the cache.
    let waited = Instant::now();
    loop {
        let v = validate(&svc, &body).await;
        if v["status"] == "VALID" {
            break;
        }
        assert!(
            waited.elapsed() < Duration::from_secs(5),
            "the late response never came in: {v:#}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let v = validate(&svc, &body).await;
    assert_outcome(&v, "VALID", "OK");
    assert_eq!(
        entry(&v, 0)["source"],
        format!("cache {}/late-ocsp", pki.url),
        "{v:#}"
    );
    assert_eq!(pki.web.hits("/late-ocsp"), 1, "one fetch in all");
}

/// RFC 5019 §5: a short OCSP request goes by GET (`URL/` + the URL-encoded base64 of the
/// request), which HTTP caches can keep; with `revocation.ocsp_get = false`, by POST.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_ocsp_requests_go_by_get() {
    use base64ct::Encoding as _;
    let pki = Pki::new().await;
    let serial = 0x62;
    let index = pki.index(&[(serial, false)]);
    let leaf = pki.leaf("by-get", serial, &[format!("{}/get-ocsp", pki.url)], &[]);
    let resp = pki.offline_response(&leaf, &index);
    let ocsp_request = huren_validator::ocsp::request_der(
        &huren_validator::Certificate::from_der(&leaf.der).unwrap(),
        &huren_validator::Certificate::from_der(&pki.sub.der).unwrap(),
        huren_validator::HashAlg::Sha1,
        None,
    );
    let encoded: String = base64ct::Base64::encode_string(&ocsp_request)
        .chars()
        .map(|c| match c {
            '+' => "%2B".to_string(),
            '/' => "%2F".to_string(),
            '=' => "%3D".to_string(),
            c => c.to_string(),
        })
        .collect();
    let get_path = format!("/get-ocsp/{encoded}");
    // Only the GET URL answers.
    pki.web.set(&get_path, Route::ok(resp));
    let body = request(&pki, &leaf, "require");

    let svc = service(&pki, fast());
    let v = validate(&svc, &body).await;
    assert_outcome(&v, "VALID", "OK");
    assert_eq!(pki.web.hits(&get_path), 1);
    assert_eq!(pki.web.hits("/get-ocsp"), 0, "no POST");

    // POST only: the responder's POST URL does not answer here.
    let svc = service(
        &pki,
        RevocationConfig {
            ocsp_get: false,
            ..fast()
        },
    );
    let v = validate(&svc, &body).await;
    assert_outcome(&v, "INDETERMINATE", "REVOCATION_UNAVAILABLE");
    assert_eq!(pki.web.hits("/get-ocsp"), 1, "one POST");
    assert_eq!(pki.web.hits(&get_path), 1, "no second GET");
}
