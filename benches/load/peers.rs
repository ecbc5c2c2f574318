//! The peer servers, each run in its own process (`load --peer KIND --listen ADDR --root
//! FILE`) on a default multi-threaded tokio runtime, as `huren serve` is:
//!
//! * `bare`: `POST /v1/validate` reads the body and ignores it;
//! * `webpki`: parses the JSON body, decodes the PEM certificates and verifies the chain with
//!   rustls-webpki (`EndEntityCert::verify_for_usage`, the root as the only `TrustAnchor`,
//!   the current time) on every request;
//! * `webpki-cached`: the same behind a moka result cache keyed by the SHA-256 of the
//!   chain's certificate strings as sent (a hit parses the JSON and hashes, nothing more).

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, TrustAnchor, UnixTime};
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;
use webpki::{ALL_VERIFICATION_ALGS, EndEntityCert, KeyUsage};

/// The peers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Reads and ignores the body.
    Bare,
    /// Verifies every request.
    Webpki,
    /// Verifies, behind a result cache.
    WebpkiCached,
}

impl Kind {
    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Bare => "bare",
            Kind::Webpki => "webpki",
            Kind::WebpkiCached => "webpki-cached",
        }
    }

    /// From the command-line name.
    pub fn from_name(s: &str) -> Option<Self> {
        [Kind::Bare, Kind::Webpki, Kind::WebpkiCached]
            .into_iter()
            .find(|k| k.name() == s)
    }
}

/// The request fields the webpki peers read (the rest of the body is ignored).
#[derive(Deserialize)]
struct Req {
    certificate: String,
    #[serde(default)]
    intermediates: Vec<String>,
}

struct Verifier {
    anchors: Vec<TrustAnchor<'static>>,
    cache: Option<moka::sync::Cache<[u8; 32], bool>>,
}

/// A certificate as sent: PEM, else base64 DER.
fn decode(s: &str) -> Option<CertificateDer<'static>> {
    if s.contains("-----BEGIN") {
        return CertificateDer::from_pem_slice(s.as_bytes()).ok();
    }
    let b64: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    base64_decode(&b64).map(CertificateDer::from)
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let s = s.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for c in s.chunks(4) {
        let mut n = 0u32;
        for (k, &b) in c.iter().enumerate() {
            n |= val(b)? << (18 - 6 * k);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..c.len()]);
    }
    Some(out)
}

impl Verifier {
    fn verify(&self, req: &Req) -> bool {
        let Some(leaf) = decode(&req.certificate) else {
            return false;
        };
        let Some(inters) = req
            .intermediates
            .iter()
            .map(|s| decode(s))
            .collect::<Option<Vec<_>>>()
        else {
            return false;
        };
        let Ok(ee) = EndEntityCert::try_from(&leaf) else {
            return false;
        };
        ee.verify_for_usage(
            ALL_VERIFICATION_ALGS,
            &self.anchors,
            &inters,
            UnixTime::now(),
            KeyUsage::client_auth(),
            None,
            None,
        )
        .is_ok()
    }

    fn answer(&self, body: &[u8]) -> Response {
        let Ok(req) = serde_json::from_slice::<Req>(body) else {
            return (StatusCode::BAD_REQUEST, "bad JSON").into_response();
        };
        let valid = match &self.cache {
            None => self.verify(&req),
            Some(cache) => {
                let key = chain_digest(&req);
                match cache.get(&key) {
                    Some(v) => v,
                    None => {
                        let v = self.verify(&req);
                        cache.insert(key, v);
                        v
                    }
                }
            }
        };
        let text = if valid {
            r#"{"status":"VALID"}"#
        } else {
            r#"{"status":"INVALID"}"#
        };
        ([(header::CONTENT_TYPE, "application/json")], text).into_response()
    }
}

/// SHA-256 over the certificate strings as sent, each preceded by its length.
fn chain_digest(req: &Req) -> [u8; 32] {
    let mut ctx = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256);
    for s in std::iter::once(&req.certificate).chain(&req.intermediates) {
        ctx.update(&(s.len() as u64).to_be_bytes());
        ctx.update(s.as_bytes());
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

async fn bare(_body: Bytes) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"status":"OK"}"#,
    )
        .into_response()
}

async fn verifying(State(v): State<Arc<Verifier>>, body: Bytes) -> Response {
    v.answer(&body)
}

/// Runs peer `kind` on `listen` until killed; `root` is the anchor's DER.
pub fn serve(kind: Kind, listen: SocketAddr, root: Vec<u8>) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async move {
        let ready = get(|| async { "ready" });
        let app = match kind {
            Kind::Bare => Router::new().route("/v1/validate", post(bare)),
            Kind::Webpki | Kind::WebpkiCached => {
                let der = CertificateDer::from(root);
                let anchor = webpki::anchor_from_trusted_cert(&der)
                    .expect("the root is a webpki anchor")
                    .to_owned();
                let cache = (kind == Kind::WebpkiCached)
                    .then(|| moka::sync::Cache::builder().max_capacity(100_000).build());
                let v = Arc::new(Verifier {
                    anchors: vec![anchor],
                    cache,
                });
                Router::new()
                    .route("/v1/validate", post(verifying))
                    .with_state(v)
            }
        }
        .route("/readyz", ready);
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .unwrap_or_else(|e| panic!("bind {listen}: {e}"));
        axum::serve(listener, app).await.expect("serve");
    });
}
