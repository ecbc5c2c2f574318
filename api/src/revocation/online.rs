//! [`OnlineRevocation`]: the revocation source of `huren serve` and `huren validate
//! --online` — caches, single-flight fetches, the fetch budget and the metrics.

use super::http::{FetchError, Http};
use super::{
    EvidenceRequest, FetchFailure, FetchedEvidence, Kind, crl_urls, decided_by_caller, has_ocsp,
    is_crl_url, ocsp_urls,
};
use crate::config::RevocationConfig;
use crate::server::state::{Clock, RevocationSource};
use huren_validator::ocsp::request_der;
use huren_validator::{
    AnchorSet, CertId, Certificate, CheckResult, Code, Crl, HashAlg, OcspCertStatus, OcspResponse,
    Report, RevocationPolicy, pem,
};
use moka::future::Cache;
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The longest OCSP GET URL (RFC 5019 §5).
const OCSP_GET_MAX_URL: usize = 255;

/// The length of an OCSP nonce (RFC 8954 §2.1: 1 to 32 octets; 32 recommended).
const NONCE_LEN: usize = 32;

/// Why a fetch gave nothing usable.
#[derive(Clone, Debug)]
struct Failure {
    reason: &'static str,
    message: String,
    server_down: bool,
}

impl From<FetchError> for Failure {
    fn from(e: FetchError) -> Self {
        Failure {
            reason: e.reason(),
            server_down: e.server_down(),
            message: e.to_string(),
        }
    }
}

impl Failure {
    fn new(reason: &'static str, message: impl Into<String>) -> Self {
        Failure {
            reason,
            message: message.into(),
            server_down: false,
        }
    }
}

/// What a cache holds for a key.
#[derive(Debug)]
enum Held<T> {
    /// Evidence, usable until `expires` (its nextUpdate, or sooner): `value` labelled with
    /// the URL it was fetched from, `cached` the same labelled `cache URL` (what a later
    /// validation is handed).
    Data {
        value: T,
        cached: T,
        url: String,
        expires: i64,
    },
    /// A failed fetch, remembered until `until`.
    Failed {
        url: String,
        failure: Failure,
        until: i64,
    },
}

#[derive(Debug)]
struct Entry<T> {
    held: Held<T>,
    /// How long moka keeps it (the clock's seconds are checked again on every read).
    ttl: Duration,
    /// Weight for the memory bound.
    bytes: u32,
}

impl<T> Entry<T> {
    fn current(&self, now: i64) -> bool {
        match &self.held {
            Held::Data { expires, .. } => now < *expires,
            Held::Failed { until, .. } => now < *until,
        }
    }
}

struct ByEntry;

impl<K, T> moka::Expiry<K, Arc<Entry<T>>> for ByEntry {
    fn expire_after_create(
        &self,
        _key: &K,
        value: &Arc<Entry<T>>,
        _created_at: Instant,
    ) -> Option<Duration> {
        Some(value.ttl)
    }
}

type Labels1 = [(&'static str, &'static str); 1];
type Labels2 = [(&'static str, &'static str); 2];

/// The counters and the latency histogram of online revocation.
#[derive(Clone)]
struct RevocationMetrics {
    hits: Family<Labels1, Counter>,
    misses: Family<Labels1, Counter>,
    negative_hits: Family<Labels1, Counter>,
    coalesced: Family<Labels1, Counter>,
    fetches: Family<Labels2, Counter>,
    failures: Family<Labels2, Counter>,
    latency: Family<Labels1, Histogram, fn() -> Histogram>,
    refused: Family<Labels1, Counter>,
    budget_exhausted: Counter,
    held_answers: Counter,
    deadline_passed: Counter,
}

fn latency_histogram() -> Histogram {
    // 5 ms … ~10 s.
    Histogram::new(exponential_buckets(0.005, 2.0, 12))
}

impl Default for RevocationMetrics {
    fn default() -> Self {
        RevocationMetrics {
            hits: Family::default(),
            misses: Family::default(),
            negative_hits: Family::default(),
            coalesced: Family::default(),
            fetches: Family::default(),
            failures: Family::default(),
            latency: Family::new_with_constructor(latency_histogram),
            refused: Family::default(),
            budget_exhausted: Counter::default(),
            held_answers: Counter::default(),
            deadline_passed: Counter::default(),
        }
    }
}

fn kind(k: Kind) -> Labels1 {
    [("kind", k.as_str())]
}

/// Entry counts read at scrape time.
#[derive(Debug)]
struct CacheSizes {
    crls: Cache<String, Arc<Entry<Crl>>>,
    ocsp: Cache<CertId, Arc<Entry<OcspResponse>>>,
}

impl Collector for CacheSizes {
    fn encode(&self, mut e: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        for (name, help, v) in [
            (
                "revocation_cache_crl_entries",
                "CRLs (and remembered CRL fetch failures) held, by URL",
                self.crls.entry_count(),
            ),
            (
                "revocation_cache_ocsp_entries",
                "OCSP responses (and remembered OCSP failures) held, by CertID",
                self.ocsp.entry_count(),
            ),
        ] {
            let g = ConstGauge::new(i64::try_from(v).unwrap_or(i64::MAX));
            let m = e.encode_descriptor(name, help, None, g.metric_type())?;
            g.encode(m)?;
        }
        Ok(())
    }
}

struct Inner {
    http: Http,
    cfg: RevocationConfig,
    clock: Arc<dyn Clock>,
    crls: Cache<String, Arc<Entry<Crl>>>,
    ocsp: Cache<CertId, Arc<Entry<OcspResponse>>>,
    /// OCSP responders that did not answer (timeout, no connection, 5xx), by URL.
    down: Cache<String, Arc<Failure>>,
    metrics: RevocationMetrics,
}

/// Online revocation: fetches the CRLs and OCSP responses the certificates of a path name,
/// caches them, and hands them to the validator (see [`super`]).
#[derive(Clone)]
pub struct OnlineRevocation {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for OnlineRevocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnlineRevocation")
            .field("cfg", &self.inner.cfg)
            .finish_non_exhaustive()
    }
}

/// One certificate to find evidence for.
struct Target {
    index: usize,
    cert: Arc<Certificate>,
    issuer: Arc<Certificate>,
    ocsp: Vec<String>,
    crl: Vec<String>,
}

/// What was found for one certificate.
#[derive(Default)]
struct Found {
    crls: Vec<Crl>,
    ocsp: Vec<OcspResponse>,
    failures: Vec<FetchFailure>,
    fetches: usize,
    hits: usize,
    budget_exhausted: bool,
}

fn take(budget: &AtomicUsize) -> bool {
    budget
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
}

fn secs(n: i64) -> Duration {
    Duration::from_secs(u64::try_from(n).unwrap_or(0))
}

fn weight(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Whether every single response for the certificate says `unknown` (a CRL may still
/// know it).
fn only_unknown(r: &OcspResponse, cert: &Certificate, issuer: &Certificate) -> bool {
    let mut any = false;
    for s in r.responses() {
        if s.cert_id.matches(cert, issuer) {
            any = true;
            if !matches!(s.status, OcspCertStatus::Unknown) {
                return false;
            }
        }
    }
    any
}

/// `(expires, ttl)` of evidence fetched at `now` whose nextUpdate is `next`: until its
/// nextUpdate, never past it and never longer than `max_cache_secs`; evidence already past
/// its nextUpdate (stale: the validator will say so) is kept like a failure,
/// `negative_cache_secs`, so that a responder serving stale data is not asked at every
/// validation.
fn lifetime(cfg: &RevocationConfig, now: i64, next: Option<i64>) -> (i64, Duration) {
    let max = i64::try_from(cfg.max_cache_secs).unwrap_or(i64::MAX);
    let neg = i64::try_from(cfg.negative_cache_secs).unwrap_or(i64::MAX);
    if next.is_some_and(|n| n <= now) {
        return (now.saturating_add(neg), secs(neg));
    }
    let cap = now.saturating_add(max);
    let expires = next.map_or(cap, |n| n.min(cap));
    (expires, secs(expires - now))
}

fn parse_crl(bytes: &[u8]) -> Result<Crl, Failure> {
    let trimmed = bytes.trim_ascii_start();
    let der = if trimmed.starts_with(b"-----BEGIN") {
        pem::decode_all(trimmed, pem::CRL_LABELS)
            .ok()
            .and_then(|mut v| (!v.is_empty()).then(|| v.swap_remove(0)))
            .ok_or_else(|| Failure::new("malformed", "the body is PEM without an X509 CRL"))?
    } else {
        bytes.to_vec()
    };
    Crl::from_der(&der).map_err(|e| Failure::new("malformed", e.to_string()))
}

impl OnlineRevocation {
    /// A source with the limits and cache settings of `cfg`, reading the time from `clock`.
    pub fn new(cfg: &RevocationConfig, clock: Arc<dyn Clock>) -> Result<Self, String> {
        let http = Http::new(cfg)?;
        let cap = cfg.cache_mib.saturating_mul(1 << 20);
        let crls = Cache::builder()
            .max_capacity(cap)
            .weigher(|_k: &String, v: &Arc<Entry<Crl>>| v.bytes)
            .expire_after(ByEntry)
            .build();
        let ocsp = Cache::builder()
            .max_capacity(cap)
            .weigher(|_k: &CertId, v: &Arc<Entry<OcspResponse>>| v.bytes)
            .expire_after(ByEntry)
            .build();
        let down = Cache::builder()
            .max_capacity(4096)
            .time_to_live(Duration::from_secs(cfg.negative_cache_secs.max(1)))
            .build();
        Ok(OnlineRevocation {
            inner: Arc::new(Inner {
                http,
                cfg: *cfg,
                clock,
                crls,
                ocsp,
                down,
                metrics: RevocationMetrics::default(),
            }),
        })
    }

    /// Drops everything cached (tests, operators).
    pub fn clear(&self) {
        self.inner.crls.invalidate_all();
        self.inner.ocsp.invalidate_all();
        self.inner.down.invalidate_all();
    }

    /// The certificates of the path to ask about, with their issuers and URLs: those below
    /// the anchor that name an http(s) OCSP responder or CRL and that the caller's evidence
    /// does not already cover.
    fn plan(req: &EvidenceRequest<'_>) -> Vec<Target> {
        let mut out = Vec::new();
        for (index, pair) in req.path.windows(2).enumerate() {
            let (cert, issuer) = (&pair[0], &pair[1]);
            if decided_by_caller(cert, issuer, req.supplied_crls, req.supplied_ocsp, req.time) {
                continue;
            }
            let mut ocsp = ocsp_urls(cert);
            let mut crl = crl_urls(cert);
            // Art. 31: the successor of a CA taken over answers for its certificates.
            for u in req.successor_endpoints {
                let list = if is_crl_url(u) { &mut crl } else { &mut ocsp };
                if !list.contains(u) {
                    list.push(u.clone());
                }
            }
            if ocsp.is_empty() && crl.is_empty() {
                continue;
            }
            out.push(Target {
                index,
                cert: cert.clone(),
                issuer: issuer.clone(),
                ocsp,
                crl,
            });
        }
        out
    }
}

impl Inner {
    fn failure(&self, t: &Target, k: Kind, url: &str, f: &Failure, cached: bool) -> FetchFailure {
        FetchFailure {
            cert_sha256: t.cert.sha256_hex_shared(),
            kind: k,
            url: url.to_string(),
            error: f.message.clone(),
            cached,
        }
    }

    fn observe(&self, k: Kind, started: Instant, result: Result<(), &Failure>) {
        self.metrics
            .latency
            .get_or_create(&kind(k))
            .observe(started.elapsed().as_secs_f64());
        let outcome = if result.is_ok() { "ok" } else { "error" };
        self.metrics
            .fetches
            .get_or_create(&[("kind", k.as_str()), ("outcome", outcome)])
            .inc();
        if let Err(f) = result {
            self.metrics
                .failures
                .get_or_create(&[("kind", k.as_str()), ("reason", f.reason)])
                .inc();
            tracing::debug!(kind = k.as_str(), reason = f.reason, error = %f.message, "revocation fetch failed");
        }
    }

    fn failed<T>(&self, url: &str, failure: Failure) -> Arc<Entry<T>> {
        let now = self.clock.now();
        let neg = i64::try_from(self.cfg.negative_cache_secs).unwrap_or(i64::MAX);
        Arc::new(Entry {
            held: Held::Failed {
                url: url.to_string(),
                failure,
                until: now.saturating_add(neg),
            },
            ttl: secs(neg),
            bytes: weight(url.len() + 256),
        })
    }

    /// A cache entry for evidence fetched from `url` (`size` bytes, valid until `next`):
    /// kept until its nextUpdate and `revocation.max_cache_secs`, handed out labelled
    /// `cache URL` by `label`.
    fn stored<T: Clone>(
        &self,
        value: T,
        url: &str,
        next: Option<i64>,
        size: usize,
        label: fn(&mut T, String),
    ) -> Arc<Entry<T>> {
        let (expires, ttl) = lifetime(&self.cfg, self.clock.now(), next);
        let mut cached = value.clone();
        label(&mut cached, format!("cache {url}"));
        Arc::new(Entry {
            held: Held::Data {
                value,
                cached,
                url: url.to_string(),
                expires,
            },
            ttl,
            bytes: weight(size.saturating_mul(2) + url.len()),
        })
    }

    async fn fetch_crl(&self, url: &str) -> Arc<Entry<Crl>> {
        let started = Instant::now();
        let r = match self.http.get(url).await {
            Ok(bytes) => parse_crl(&bytes).map(|c| (c, bytes.len())),
            Err(e) => Err(Failure::from(e)),
        };
        self.observe(Kind::Crl, started, r.as_ref().map(|_| ()));
        match r {
            Ok((crl, size)) => {
                let next = crl.next_update();
                self.stored(crl, url, next, size, |c, s| c.set_source(s))
            }
            Err(f) => self.failed(url, f),
        }
    }

    async fn fetch_ocsp(
        &self,
        url: &str,
        cert: &Certificate,
        issuer: &Certificate,
    ) -> Arc<Entry<OcspResponse>> {
        let started = Instant::now();
        let r = self.ocsp_once(url, cert, issuer).await;
        self.observe(Kind::Ocsp, started, r.as_ref().map(|_| ()));
        match r {
            Ok((resp, next, size)) => self.stored(resp, url, next, size, |r, s| r.set_source(s)),
            Err(f) => self.failed(url, f),
        }
    }

    /// One OCSP exchange (RFC 6960 Appendix A.1, POST): the response, the earliest
    /// nextUpdate of its single responses for the certificate, and its size.
    async fn ocsp_once(
        &self,
        url: &str,
        cert: &Certificate,
        issuer: &Certificate,
    ) -> Result<(OcspResponse, Option<i64>, usize), Failure> {
        let nonce = if self.cfg.nonce {
            let mut n = [0u8; NONCE_LEN];
            getrandom::fill(&mut n)
                .map_err(|e| Failure::new("rng", format!("no nonce from the OS RNG: {e}")))?;
            Some(n)
        } else {
            None
        };
        let body = request_der(cert, issuer, HashAlg::Sha1, nonce.as_ref().map(|n| &n[..]));
        // RFC 5019 §5: GET when the whole URL fits in 255 bytes (HTTP caches can keep the
        // answer), POST otherwise, and when a nonce is sent (no cache could serve it), or
        // when the responder refuses the GET with an HTTP status.
        let get = Http::ocsp_get_url(url, &body);
        let bytes = if self.cfg.ocsp_get && nonce.is_none() && get.len() <= OCSP_GET_MAX_URL {
            match self.http.get_ocsp(&get).await {
                Err(FetchError::Status(_)) => self.http.post_ocsp(url, body).await?,
                r => r?,
            }
        } else {
            self.http.post_ocsp(url, body).await?
        };
        let resp = OcspResponse::from_der(&bytes).map_err(|e| match e {
            huren_validator::Error::OcspNotSuccessful { .. } => {
                Failure::new("not_successful", e.to_string())
            }
            e => Failure::new("malformed", e.to_string()),
        })?;
        if let Some(n) = &nonce
            && resp.nonce() != Some(&n[..])
        {
            return Err(Failure::new(
                "nonce",
                if resp.nonce().is_none() {
                    "the response carries no nonce; one was sent (revocation.nonce = true)"
                } else {
                    "the response's nonce is not the one sent (a replayed response?)"
                },
            ));
        }
        let mut covered = false;
        let mut next: Option<i64> = None;
        for s in resp.responses() {
            if s.cert_id.matches(cert, issuer) {
                covered = true;
                if let Some(n) = s.next_update {
                    next = Some(next.map_or(n, |m| m.min(n)));
                }
            }
        }
        if !covered {
            return Err(Failure::new(
                "not_covered",
                "the response has no status for this certificate (no matching CertID)",
            ));
        }
        Ok((resp, next, bytes.len()))
    }

    /// Caller → cache → network for one certificate.
    async fn resolve(&self, t: &Target, budget: &AtomicUsize) -> Found {
        let mut found = Found::default();
        let now = self.clock.now();
        let m = &self.metrics;
        let key = CertId::for_cert(&t.cert, &t.issuer, HashAlg::Sha1);

        // The caches.
        let mut ocsp_miss = false;
        if !t.ocsp.is_empty() {
            match self.ocsp.get(&key).await {
                Some(e) if e.current(now) => match &e.held {
                    Held::Data { cached, .. } => {
                        m.hits.get_or_create(&kind(Kind::Ocsp)).inc();
                        found.hits += 1;
                        let r = cached.clone();
                        let unknown = only_unknown(&r, &t.cert, &t.issuer);
                        found.ocsp.push(r);
                        if !unknown {
                            return found;
                        }
                    }
                    Held::Failed { url, failure, .. } => {
                        m.negative_hits.get_or_create(&kind(Kind::Ocsp)).inc();
                        found
                            .failures
                            .push(self.failure(t, Kind::Ocsp, url, failure, true));
                    }
                },
                stale => {
                    if stale.is_some() {
                        self.ocsp.invalidate(&key).await;
                    }
                    m.misses.get_or_create(&kind(Kind::Ocsp)).inc();
                    ocsp_miss = true;
                }
            }
        }
        let mut crl_miss = Vec::new();
        for url in &t.crl {
            match self.crls.get(url).await {
                Some(e) if e.current(now) => match &e.held {
                    Held::Data { cached, .. } => {
                        m.hits.get_or_create(&kind(Kind::Crl)).inc();
                        found.hits += 1;
                        found.crls.push(cached.clone());
                        return found;
                    }
                    Held::Failed { failure, .. } => {
                        m.negative_hits.get_or_create(&kind(Kind::Crl)).inc();
                        found
                            .failures
                            .push(self.failure(t, Kind::Crl, url, failure, true));
                    }
                },
                stale => {
                    if stale.is_some() {
                        self.crls.invalidate(url).await;
                    }
                    m.misses.get_or_create(&kind(Kind::Crl)).inc();
                    crl_miss.push(url);
                }
            }
        }

        // The network: OCSP first, then CRLs.
        if ocsp_miss {
            for (i, url) in t.ocsp.iter().enumerate() {
                if let Some(f) = self.down.get(url).await {
                    m.negative_hits.get_or_create(&kind(Kind::Ocsp)).inc();
                    found
                        .failures
                        .push(self.failure(t, Kind::Ocsp, url, &f, true));
                    continue;
                }
                if !take(budget) {
                    found.budget_exhausted = true;
                    break;
                }
                let entry = self
                    .ocsp
                    .entry(key.clone())
                    .or_insert_with(self.fetch_ocsp(url, &t.cert, &t.issuer))
                    .await;
                let fresh = entry.is_fresh();
                if fresh {
                    found.fetches += 1;
                } else {
                    budget.fetch_add(1, Ordering::SeqCst);
                    m.coalesced.get_or_create(&kind(Kind::Ocsp)).inc();
                }
                match &entry.value().held {
                    Held::Data { value, url, .. } => {
                        let mut r = value.clone();
                        r.set_source(url.clone());
                        let unknown = only_unknown(&r, &t.cert, &t.issuer);
                        found.ocsp.push(r);
                        if !unknown {
                            return found;
                        }
                        break;
                    }
                    Held::Failed {
                        url: at, failure, ..
                    } => {
                        found
                            .failures
                            .push(self.failure(t, Kind::Ocsp, at, failure, !fresh));
                        if fresh && failure.server_down {
                            self.down
                                .insert(at.clone(), Arc::new(failure.clone()))
                                .await;
                        }
                        if i + 1 < t.ocsp.len() {
                            // Let the next responder be asked (the last failure is kept).
                            self.ocsp.invalidate(&key).await;
                        }
                    }
                }
            }
        }
        for url in crl_miss {
            if !take(budget) {
                found.budget_exhausted = true;
                break;
            }
            let entry = self
                .crls
                .entry(url.clone())
                .or_insert_with(self.fetch_crl(url))
                .await;
            let fresh = entry.is_fresh();
            if fresh {
                found.fetches += 1;
            } else {
                budget.fetch_add(1, Ordering::SeqCst);
                m.coalesced.get_or_create(&kind(Kind::Crl)).inc();
            }
            match &entry.value().held {
                Held::Data { value, .. } => {
                    let mut c = value.clone();
                    c.set_source(url.clone());
                    found.crls.push(c);
                    return found;
                }
                Held::Failed { failure, .. } => {
                    found
                        .failures
                        .push(self.failure(t, Kind::Crl, url, failure, !fresh));
                }
            }
        }
        if found.budget_exhausted {
            m.budget_exhausted.inc();
        }
        found
    }
}

impl RevocationSource for OnlineRevocation {
    fn evidence_for<'a>(
        &'a self,
        req: EvidenceRequest<'a>,
    ) -> Pin<Box<dyn Future<Output = FetchedEvidence> + Send + 'a>> {
        Box::pin(async move {
            let mut out = FetchedEvidence::default();
            if req.policy == RevocationPolicy::Off || req.path.len() < 2 {
                return out;
            }
            let targets = Self::plan(&req);
            if targets.is_empty() {
                return out;
            }
            let budget = Arc::new(AtomicUsize::new(self.inner.cfg.max_fetches));
            // What to name for a certificate whose fetches miss the deadline.
            let pending: Vec<(usize, Arc<str>, Kind, String)> = targets
                .iter()
                .map(|t| {
                    let (kind, url) = match (t.ocsp.first(), t.crl.first()) {
                        (Some(u), _) => (Kind::Ocsp, u.clone()),
                        (None, Some(u)) => (Kind::Crl, u.clone()),
                        (None, None) => (Kind::Ocsp, String::new()),
                    };
                    (t.index, t.cert.sha256_hex_shared(), kind, url)
                })
                .collect();
            // Each certificate on its own task, so that one slow responder does not hold up
            // the others; dropping the set (a request timeout) aborts them.
            let mut set = tokio::task::JoinSet::new();
            for t in targets {
                let inner = self.inner.clone();
                let budget = budget.clone();
                set.spawn(async move {
                    let found = inner.resolve(&t, &budget).await;
                    (t.index, found)
                });
            }
            let deadline = tokio::time::Instant::now() + req.deadline;
            let mut all = Vec::new();
            loop {
                match tokio::time::timeout_at(deadline, set.join_next()).await {
                    Ok(Some(Ok(x))) => all.push(x),
                    Ok(Some(Err(e))) => {
                        tracing::error!(error = %e, "a revocation fetch task failed");
                    }
                    Ok(None) => break,
                    Err(_) => {
                        // Past the deadline: answer with what came in; the fetches still
                        // running go on, and what they bring is cached for the next time.
                        set.detach_all();
                        self.inner.metrics.deadline_passed.inc();
                        let ms = req.deadline.as_millis();
                        for (index, sha, kind, url) in &pending {
                            if all.iter().any(|(i, _)| i == index) {
                                continue;
                            }
                            let found = Found {
                                failures: vec![FetchFailure {
                                    cert_sha256: sha.clone(),
                                    kind: *kind,
                                    url: url.clone(),
                                    error: format!(
                                        "no answer within the revocation deadline of {ms} ms (the fetch goes on and its result will be cached)"
                                    ),
                                    cached: false,
                                }],
                                ..Found::default()
                            };
                            all.push((*index, found));
                        }
                        break;
                    }
                }
            }
            all.sort_by_key(|(i, _)| *i);
            for (_, f) in all {
                out.crls.extend(f.crls);
                out.ocsp.extend(f.ocsp);
                out.failures.extend(f.failures);
                out.fetches += f.fetches;
                out.cache_hits += f.hits;
                out.budget_exhausted |= f.budget_exhausted;
            }
            out
        })
    }

    fn held_for<'a>(
        &'a self,
        chain: &'a [Arc<Certificate>],
        anchors: &'a AnchorSet,
    ) -> Pin<Box<dyn Future<Output = FetchedEvidence> + Send + 'a>> {
        Box::pin(async move {
            let inner = &self.inner;
            let now = inner.clock.now();
            let mut out = FetchedEvidence::default();
            let mut crls_seen: Vec<String> = Vec::new();
            for (i, cert) in chain.iter().enumerate() {
                if has_ocsp(cert) {
                    let in_chain = chain
                        .iter()
                        .enumerate()
                        .filter(|(j, c)| *j != i && c.subject() == cert.issuer())
                        .map(|(_, c)| &**c);
                    let anchored = anchors
                        .by_subject(cert.issuer())
                        .map(|a| &**a.certificate());
                    for issuer in in_chain.chain(anchored) {
                        let key = CertId::for_cert(cert, issuer, HashAlg::Sha1);
                        if let Some(e) = inner.ocsp.get(&key).await
                            && e.current(now)
                            && let Held::Data { cached, .. } = &e.held
                        {
                            out.ocsp.push(cached.clone());
                            out.cache_hits += 1;
                        }
                    }
                }
                for url in crl_urls(cert) {
                    if crls_seen.contains(&url) {
                        continue;
                    }
                    if let Some(e) = inner.crls.get(&url).await
                        && e.current(now)
                        && let Held::Data { cached, .. } = &e.held
                    {
                        out.crls.push(cached.clone());
                        out.cache_hits += 1;
                    }
                    crls_seen.push(url);
                }
            }
            out
        })
    }

    fn held_used(&self, evidence: &FetchedEvidence) {
        let m = &self.inner.metrics;
        m.held_answers.inc();
        m.hits
            .get_or_create(&kind(Kind::Ocsp))
            .inc_by(evidence.ocsp.len() as u64);
        m.hits
            .get_or_create(&kind(Kind::Crl))
            .inc_by(evidence.crls.len() as u64);
    }

    fn refused<'a>(
        &'a self,
        path: &'a [Arc<Certificate>],
        report: &'a Report,
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>> {
        Box::pin(async move {
            let inner = &self.inner;
            let mut idx: Vec<usize> = report
                .revocation
                .iter()
                .filter(|e| e.outcome == "unavailable")
                .map(|e| e.cert_index)
                .chain(report.checks.iter().filter_map(|c| {
                    (c.id == "REVOCATION"
                        && c.result == CheckResult::Failed
                        && c.code == Code::RevocationUnavailable)
                        .then_some(c.cert_index)
                        .flatten()
                }))
                .collect();
            idx.sort_unstable();
            idx.dedup();
            for i in idx {
                let Some(sha) = report.path.get(i).map(|p| &p.sha256) else {
                    continue;
                };
                let Some(j) = path.iter().position(|c| c.sha256_hex() == &**sha) else {
                    continue;
                };
                let (Some(cert), Some(issuer)) = (path.get(j), path.get(j + 1)) else {
                    continue;
                };
                let key = CertId::for_cert(cert, issuer, HashAlg::Sha1);
                if let Some(e) = inner.ocsp.get(&key).await
                    && let Held::Data { url, .. } = &e.held
                {
                    let f = Failure::new(
                        "refused",
                        "the last response was not accepted by the validator (signature, responder or freshness)",
                    );
                    inner.ocsp.insert(key, inner.failed(url, f)).await;
                    inner.metrics.refused.get_or_create(&kind(Kind::Ocsp)).inc();
                }
                for url in crl_urls(cert) {
                    if let Some(e) = inner.crls.get(&url).await
                        && matches!(e.held, Held::Data { .. })
                    {
                        let f = Failure::new(
                            "refused",
                            "the last CRL fetched gave no answer the validator accepted",
                        );
                        inner.crls.insert(url.clone(), inner.failed(&url, f)).await;
                        inner.metrics.refused.get_or_create(&kind(Kind::Crl)).inc();
                    }
                }
            }
        })
    }

    fn register_metrics(&self, registry: &mut Registry) {
        let m = &self.inner.metrics;
        registry.register(
            "revocation_cache_hits",
            "Revocation evidence taken from the cache, by kind (crl, ocsp)",
            m.hits.clone(),
        );
        registry.register(
            "revocation_cache_misses",
            "Revocation cache lookups that found nothing current, by kind",
            m.misses.clone(),
        );
        registry.register(
            "revocation_cache_negative_hits",
            "Revocation lookups answered by a remembered failure (no fetch), by kind",
            m.negative_hits.clone(),
        );
        registry.register(
            "revocation_coalesced",
            "Revocation lookups that waited for a fetch another validation made, by kind",
            m.coalesced.clone(),
        );
        registry.register(
            "revocation_fetches",
            "Revocation fetches made, by kind and outcome (ok, error)",
            m.fetches.clone(),
        );
        registry.register(
            "revocation_fetch_failures",
            "Failed revocation fetches, by kind and reason (timeout, connect, http_status, too_large, redirect, scheme, malformed, not_successful, nonce, not_covered, transport)",
            m.failures.clone(),
        );
        registry.register_with_unit(
            "revocation_fetch_duration",
            "Time of one revocation fetch (connect to the end of the body), by kind",
            prometheus_client::registry::Unit::Seconds,
            m.latency.clone(),
        );
        registry.register(
            "revocation_refused",
            "Cached revocation evidence the validator did not accept, replaced by a remembered failure, by kind",
            m.refused.clone(),
        );
        registry.register(
            "revocation_fetch_budget_exhausted",
            "Certificates left without a fetch because revocation.max_fetches was reached",
            m.budget_exhausted.clone(),
        );
        registry.register(
            "revocation_deadline_passed",
            "Validations answered at revocation.deadline_ms with fetches still running (they went on, to be cached)",
            m.deadline_passed.clone(),
        );
        registry.register(
            "revocation_held_answers",
            "Answers decided in one validation by evidence already cached for the chain (no path search with revocation off, no fetch)",
            m.held_answers.clone(),
        );
        registry.register_collector(Box::new(CacheSizes {
            crls: self.inner.crls.clone(),
            ocsp: self.inner.ocsp.clone(),
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_stop_at_next_update_and_the_cap() {
        let cfg = RevocationConfig {
            max_cache_secs: 3600,
            negative_cache_secs: 30,
            ..RevocationConfig::default()
        };
        let now = 1_000_000;
        assert_eq!(lifetime(&cfg, now, Some(now + 600)), (now + 600, secs(600)));
        assert_eq!(
            lifetime(&cfg, now, Some(now + 7200)),
            (now + 3600, secs(3600))
        );
        assert_eq!(lifetime(&cfg, now, None), (now + 3600, secs(3600)));
        // Stale when fetched: kept as briefly as a failure.
        assert_eq!(lifetime(&cfg, now, Some(now - 1)), (now + 30, secs(30)));
        assert_eq!(lifetime(&cfg, now, Some(now)), (now + 30, secs(30)));
        // max_cache_secs = 0: never current (fetched at every validation, single-flight
        // still).
        let none = RevocationConfig {
            max_cache_secs: 0,
            ..cfg
        };
        assert_eq!(lifetime(&none, now, Some(now + 600)), (now, secs(0)));
        let budget = AtomicUsize::new(1);
        assert!(take(&budget));
        assert!(!take(&budget));
    }
}
