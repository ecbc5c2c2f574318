//! Live trust lists: fetch, verify, build the snapshot, swap it in — or change nothing.
//!
//! For each configured source the [`Refresher`]
//!
//! 1. fetches the list: a file, the bundled demo, or an `http(s)` URL with reqwest (a
//!    timeout per fetch, a size cap of [`MAX_LIST_BYTES`] like the parser's, redirects only
//!    to http(s) and never from https down to http, `If-None-Match` with the last ETag — a
//!    304 keeps the list held — and `<url>.sha2`, when the publisher has one, compared
//!    with the SHA-256 of the body);
//! 2. verifies it against the source's pinned signers at the clock's now
//!    ([`huren_trustlists::verify::verify`]) and refuses a TSLSequenceNumber lower than the
//!    one held for that source (rollback), across restarts too (the held list is on disk);
//! 3. follows the source's `foreign` locations through the pointers of the list it just
//!    verified ([`huren_trustlists::pointers::verify_via`]); each foreign list is trusted only inside the approval its
//!    pointer carries, so a pointer or approval that MIIT withdrew drops that list even when
//!    the foreign server is down;
//! 4. builds the snapshot from every list held and swaps it into the [`TrustHandle`]
//!    atomically, with `usable_until` = the earliest NextUpdate + that source's grace.
//!
//! A refresh that fails (network, size, `.sha2`, signature, unpinned signer, parse, lower
//! sequence number) changes nothing but a log line, the list's `last_error` and
//! `last_fetch` in `/v1/trust-lists`, and the [`RefreshCounters`].
//!
//! The last good bytes of every list are kept in the state directory (written to a
//! temporary file and renamed over the old one); at start-up, before any network, they are
//! verified again and served under the same NextUpdate + grace rule, so a restart without
//! network serves from the last good snapshot — and never from a stale one.

use crate::config::{Config, ListRoleConfig, ListSource, Location, read_certificates};
use crate::error_chain;
use crate::server::state::{
    Clock, ListStatus, Loaded, RefreshCounters, RefreshTrigger, SourceReport, TrustHandle,
};
use huren_trustlists::model::Approval;
use huren_trustlists::pointers::verify_approved;
use huren_trustlists::snapshot::{ListRole, build_snapshot};
use huren_trustlists::verify::{PinnedSigners, VerifiedTrustList, verify};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, watch};

/// The largest list fetched (the XML parser's limit is the same).
pub const MAX_LIST_BYTES: usize = 64 << 20;

/// The largest `.sha2` file read.
const MAX_SHA2_BYTES: usize = 1024;

/// The most redirects followed.
const MAX_REDIRECTS: usize = 5;

/// The bundled demo list (DEMO ONLY: its signer's key is published).
pub const DEMO_LIST: &[u8] = include_bytes!("../../testvectors/trustlists/miit-demo.xml");
/// The signer the bundled demo list is pinned to.
pub const DEMO_SIGNER: &[u8] = include_bytes!("../../testvectors/trustlists/miit-demo-signer.pem");
/// The foreign scheme's list the demo list points to (territory XA).
pub const DEMO_FOREIGN_LIST: &[u8] =
    include_bytes!("../../testvectors/trustlists/foreign-scheme.xml");

/// Where a list's bytes come from.
#[derive(Clone, Debug)]
pub enum Origin {
    /// An `http://` or `https://` URL.
    Url(reqwest::Url),
    /// A file.
    File(PathBuf),
    /// Bytes built into the binary (the bundled demo).
    Embedded(&'static [u8]),
}

impl Origin {
    fn from_location(l: Location) -> Origin {
        match l {
            Location::Url(u) => Origin::Url(u),
            Location::File(p) => Origin::File(p),
        }
    }
}

/// One list to fetch: where from, and its display text.
#[derive(Clone, Debug)]
pub struct Fetchable {
    /// The location as configured (for logs and `/v1/trust-lists`).
    pub text: String,
    /// Where the bytes come from.
    pub origin: Origin,
}

/// One trust-list source, ready to fetch: the configuration with its signers read.
#[derive(Clone, Debug)]
pub struct SourceSpec {
    /// The configured name.
    pub name: String,
    /// The list.
    pub location: Fetchable,
    /// The pinned signers.
    pub pinned: PinnedSigners,
    /// MIIT or scheme.
    pub role: ListRoleConfig,
    /// Time between refreshes.
    pub refresh: Duration,
    /// Seconds after NextUpdate during which the list still serves.
    pub grace_secs: i64,
    /// Timeout of one fetch.
    pub fetch_timeout: Duration,
    /// The foreign lists followed through this list's pointers.
    pub foreign: Vec<Fetchable>,
}

impl SourceSpec {
    /// The source a configuration entry describes (its signer files are read here).
    pub fn from_config(s: &ListSource) -> Result<SourceSpec, String> {
        let fetchable = |text: &str| -> Result<Fetchable, String> {
            Ok(Fetchable {
                text: text.to_string(),
                origin: Origin::from_location(Location::parse(text)?),
            })
        };
        let mut certs = Vec::new();
        for p in &s.signers {
            certs.extend(read_certificates(p)?);
        }
        Ok(SourceSpec {
            name: s.name.clone(),
            location: fetchable(&s.location)?,
            pinned: PinnedSigners::new(certs).map_err(|e| e.to_string())?,
            role: s.role,
            refresh: Duration::from_secs(s.refresh_secs.max(1)),
            grace_secs: i64::try_from(s.grace_secs).unwrap_or(i64::MAX),
            fetch_timeout: Duration::from_millis(s.fetch_timeout_ms.max(1)),
            foreign: s
                .foreign
                .iter()
                .map(|f| fetchable(f))
                .collect::<Result<_, _>>()?,
        })
    }

    /// The bundled demo: `miit-demo.xml` pinned to `miit-demo-signer.pem`, and the foreign
    /// scheme it points to. DEMO ONLY.
    pub fn demo() -> SourceSpec {
        let signer =
            huren_validator::pem::decode_all(DEMO_SIGNER, huren_validator::pem::CERTIFICATE_LABELS)
                .unwrap_or_default();
        SourceSpec {
            name: "demo".into(),
            location: Fetchable {
                text: "bundled:miit-demo.xml".into(),
                origin: Origin::Embedded(DEMO_LIST),
            },
            pinned: PinnedSigners::new(signer).unwrap_or_default(),
            role: ListRoleConfig::Miit,
            refresh: Duration::from_secs(86_400),
            grace_secs: 0,
            fetch_timeout: Duration::from_secs(1),
            foreign: vec![Fetchable {
                text: "bundled:foreign-scheme.xml".into(),
                origin: Origin::Embedded(DEMO_FOREIGN_LIST),
            }],
        }
    }
}

/// A verified list held for a source, with the bytes it was verified from.
#[derive(Clone)]
struct HeldList {
    verified: VerifiedTrustList,
    bytes: Arc<Vec<u8>>,
    etag: Option<String>,
    /// For a foreign list: the approval its pointer carries.
    approval: Option<Approval>,
}

/// Fetch status of one list.
#[derive(Clone, Debug, Default)]
struct FetchStatus {
    last_fetch: Option<i64>,
    last_error: Option<String>,
}

/// What is held for one source.
#[derive(Default)]
struct SourceHeld {
    main: Option<HeldList>,
    main_status: FetchStatus,
    foreign: Vec<Option<HeldList>>,
    foreign_status: Vec<FetchStatus>,
}

/// What a fetch brought back.
enum Fetched {
    /// 304: the list held is current.
    NotModified,
    /// A body.
    Body {
        bytes: Vec<u8>,
        etag: Option<String>,
    },
}

#[derive(Default)]
struct Counters {
    attempts: AtomicU64,
    failures: AtomicU64,
    unchanged: AtomicU64,
    swaps: AtomicU64,
    last_success: Mutex<Option<i64>>,
    last_failure: Mutex<Option<i64>>,
}

/// The outcome of one source's refresh.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A new list (or a new foreign list) was verified and swapped in.
    Updated,
    /// 304, or the same bytes as held: nothing to do.
    Unchanged,
}

/// The live-list refresher: holds the last good lists, refreshes them, and swaps snapshots
/// into the [`TrustHandle`]. Also the [`RefreshTrigger`] of `POST /v1/admin/refresh`.
pub struct Refresher {
    sources: Vec<SourceSpec>,
    state_dir: Option<PathBuf>,
    trust: TrustHandle,
    clock: Arc<dyn Clock>,
    http: reqwest::Client,
    held: tokio::sync::Mutex<Vec<SourceHeld>>,
    /// The inputs of the snapshot last built (digests, in order) and when it was built.
    built: Mutex<Option<(Vec<[u8; 32]>, i64)>>,
    counters: Counters,
    notify: Notify,
    rounds: watch::Sender<u64>,
    /// The fetch status of every list, as of the last refresh.
    reports: Mutex<Vec<SourceReport>>,
}

impl std::fmt::Debug for Refresher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Refresher")
            .field("sources", &self.sources.len())
            .field("state_dir", &self.state_dir)
            .finish_non_exhaustive()
    }
}

/// A refresher that cannot start.
#[derive(Debug)]
pub struct RefreshError(pub String);

impl std::fmt::Display for RefreshError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RefreshError {}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

fn hex(bytes: &[u8]) -> String {
    huren_validator::cert::hex(bytes)
}

/// A file name for `name` in the state directory: readable, and distinct for distinct
/// names.
fn file_stem(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    format!("{safe}-{}", &hex(&sha256(name.as_bytes()))[..12])
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename,
/// so a reader sees the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn http_client() -> Result<reqwest::Client, RefreshError> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        let next = attempt.url().scheme().to_string();
        let downgrade = attempt
            .previous()
            .last()
            .is_some_and(|p| p.scheme() == "https")
            && next == "http";
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
        } else if next != "http" && next != "https" {
            attempt.error(format!(
                "a redirect to a {next}: URL was refused (http and https only)"
            ))
        } else if downgrade {
            attempt.error("a redirect from https to http was refused")
        } else {
            attempt.follow()
        }
    });
    reqwest::Client::builder()
        .redirect(policy)
        .user_agent(concat!("huren/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| RefreshError(format!("cannot set up the HTTP client: {e}")))
}

/// Reads a response body, refusing one larger than `max`.
async fn read_capped(mut resp: reqwest::Response, max: usize) -> Result<Vec<u8>, String> {
    if let Some(n) = resp.content_length()
        && n > max as u64
    {
        return Err(format!(
            "the response is {n} bytes, more than the {max} accepted"
        ));
    }
    let mut out = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| format!("reading the body failed: {}", error_chain(&e)))?
    {
        if out.len() + chunk.len() > max {
            return Err(format!(
                "the response is larger than the {max} bytes accepted"
            ));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// Parses a `.sha2` file: 64 hex digits (surrounding white space and a trailing file name
/// tolerated).
fn parse_sha2(body: &[u8]) -> Option<[u8; 32]> {
    let text = std::str::from_utf8(body).ok()?;
    let token = text.split_whitespace().next()?;
    if token.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(token.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

impl Refresher {
    /// A refresher over `sources`, keeping the last good lists in `state_dir` (created if
    /// missing), swapping snapshots into `trust`, reading the time from `clock`.
    pub fn new(
        sources: Vec<SourceSpec>,
        state_dir: Option<PathBuf>,
        trust: TrustHandle,
        clock: Arc<dyn Clock>,
    ) -> Result<Arc<Refresher>, RefreshError> {
        if let Some(d) = &state_dir {
            std::fs::create_dir_all(d).map_err(|e| {
                RefreshError(format!(
                    "cannot create the state directory {}: {e}",
                    d.display()
                ))
            })?;
        }
        let held = sources
            .iter()
            .map(|s| SourceHeld {
                foreign: vec![None; s.foreign.len()],
                foreign_status: vec![FetchStatus::default(); s.foreign.len()],
                ..SourceHeld::default()
            })
            .collect();
        Ok(Arc::new(Refresher {
            sources,
            state_dir,
            trust,
            clock,
            http: http_client()?,
            held: tokio::sync::Mutex::new(held),
            built: Mutex::new(None),
            counters: Counters::default(),
            notify: Notify::new(),
            rounds: watch::channel(0).0,
            reports: Mutex::new(Vec::new()),
        }))
    }

    /// The refresher a configuration describes: its sources, or the bundled demo when it
    /// names none.
    pub fn from_config(
        config: &Config,
        trust: TrustHandle,
        clock: Arc<dyn Clock>,
    ) -> Result<Arc<Refresher>, RefreshError> {
        let sources = if config.trust_lists.is_empty() {
            vec![SourceSpec::demo()]
        } else {
            config
                .trust_lists
                .iter()
                .map(|s| {
                    SourceSpec::from_config(s)
                        .map_err(|e| RefreshError(format!("trust list {:?}: {e}", s.name)))
                })
                .collect::<Result<_, _>>()?
        };
        Refresher::new(sources, config.state_dir.clone(), trust, clock)
    }

    /// The sources.
    pub fn sources(&self) -> &[SourceSpec] {
        &self.sources
    }

    /// The counters so far.
    pub fn counters(&self) -> RefreshCounters {
        RefreshCounters {
            attempts: self.counters.attempts.load(Ordering::Relaxed),
            failures: self.counters.failures.load(Ordering::Relaxed),
            unchanged: self.counters.unchanged.load(Ordering::Relaxed),
            swaps: self.counters.swaps.load(Ordering::Relaxed),
            last_success: self.counters.last_success.lock().map_or(None, |g| *g),
            last_failure: self.counters.last_failure.lock().map_or(None, |g| *g),
        }
    }

    // -------------------------------------------------------------------------------
    // The state directory.

    fn main_path(&self, i: usize) -> Option<PathBuf> {
        let d = self.state_dir.as_ref()?;
        Some(d.join(format!("{}.xml", file_stem(&self.sources[i].name))))
    }

    fn foreign_path(&self, i: usize, j: usize) -> Option<PathBuf> {
        let d = self.state_dir.as_ref()?;
        let loc = &self.sources[i].foreign[j].text;
        Some(d.join(format!(
            "{}.foreign-{}.xml",
            file_stem(&self.sources[i].name),
            &hex(&sha256(loc.as_bytes()))[..12]
        )))
    }

    fn persist(&self, path: Option<PathBuf>, list: &HeldList) {
        let Some(path) = path else { return };
        if let Err(e) = write_atomic(&path, &list.bytes) {
            tracing::warn!(file = %path.display(), error = %e, "cannot keep the list in the state directory");
        }
        let etag_path = path.with_extension("etag");
        let r = match &list.etag {
            Some(t) => write_atomic(&etag_path, t.as_bytes()),
            None => match std::fs::remove_file(&etag_path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
        };
        if let Err(e) = r {
            tracing::warn!(file = %etag_path.display(), error = %e, "cannot keep the ETag in the state directory");
        }
    }

    fn read_kept(path: &Path) -> Option<(Vec<u8>, Option<String>)> {
        let bytes = std::fs::read(path).ok()?;
        if bytes.len() > MAX_LIST_BYTES {
            return None;
        }
        let etag = std::fs::read_to_string(path.with_extension("etag"))
            .ok()
            .filter(|t| !t.is_empty() && t.len() < 1024);
        Some((bytes, etag))
    }

    /// Loads the lists kept in the state directory, verified again at now, and swaps in
    /// the snapshot they make (no network). Returns how many lists were loaded.
    pub async fn load_from_disk(&self) -> usize {
        if self.state_dir.is_none() {
            return 0;
        }
        let now = self.clock.now();
        let mut held = self.held.lock().await;
        let mut loaded = 0;
        for i in 0..self.sources.len() {
            let spec = &self.sources[i];
            let Some((bytes, etag)) = self.main_path(i).and_then(|p| Self::read_kept(&p)) else {
                continue;
            };
            let main = match verify(&bytes, &spec.pinned, now) {
                Ok(v) => v,
                Err(e) => {
                    tracing::warn!(source = %spec.name, error = %e, "the list kept on disk does not verify; ignored");
                    continue;
                }
            };
            tracing::info!(source = %spec.name, sequence = main.list().sequence, "loaded the last good list from the state directory");
            loaded += 1;
            for j in 0..spec.foreign.len() {
                let Some((fb, fe)) = self.foreign_path(i, j).and_then(|p| Self::read_kept(&p))
                else {
                    continue;
                };
                match verify_foreign(&fb, &main, now) {
                    Ok((v, approval)) => {
                        loaded += 1;
                        held[i].foreign[j] = Some(HeldList {
                            verified: v,
                            bytes: Arc::new(fb),
                            etag: fe,
                            approval: Some(approval),
                        });
                    }
                    Err(e) => {
                        tracing::warn!(source = %spec.name, foreign = %spec.foreign[j].text, error = %e, "the foreign list kept on disk does not verify; ignored");
                    }
                }
            }
            held[i].main = Some(HeldList {
                verified: main,
                bytes: Arc::new(bytes),
                etag,
                approval: None,
            });
        }
        self.publish(&held, now);
        loaded
    }

    // -------------------------------------------------------------------------------
    // Fetching.

    async fn fetch(
        &self,
        what: &Fetchable,
        etag: Option<&str>,
        timeout: Duration,
    ) -> Result<Fetched, String> {
        match &what.origin {
            Origin::Embedded(b) => Ok(Fetched::Body {
                bytes: b.to_vec(),
                etag: None,
            }),
            Origin::File(p) => {
                let meta = tokio::fs::metadata(p)
                    .await
                    .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
                if meta.len() > MAX_LIST_BYTES as u64 {
                    return Err(format!(
                        "{} is {} bytes, more than the {MAX_LIST_BYTES} accepted",
                        p.display(),
                        meta.len()
                    ));
                }
                let bytes = tokio::fs::read(p)
                    .await
                    .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
                if bytes.len() > MAX_LIST_BYTES {
                    return Err(format!(
                        "{} is larger than the {MAX_LIST_BYTES} bytes accepted",
                        p.display()
                    ));
                }
                Ok(Fetched::Body { bytes, etag: None })
            }
            Origin::Url(url) => self.fetch_url(url, etag, timeout).await,
        }
    }

    async fn fetch_url(
        &self,
        url: &reqwest::Url,
        etag: Option<&str>,
        timeout: Duration,
    ) -> Result<Fetched, String> {
        let mut req = self.http.get(url.clone()).timeout(timeout);
        if let Some(t) = etag {
            req = req.header(reqwest::header::IF_NONE_MATCH, t);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| format!("GET {url}: {}", error_chain(&e)))?;
        let status = resp.status();
        if status == reqwest::StatusCode::NOT_MODIFIED && etag.is_some() {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            return Err(format!("GET {url}: HTTP {status}"));
        }
        let new_etag = resp
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .filter(|t| !t.is_empty() && t.len() < 1024)
            .map(str::to_string);
        let bytes = read_capped(resp, MAX_LIST_BYTES)
            .await
            .map_err(|e| format!("GET {url}: {e}"))?;
        // The publisher's digest beside the list, when it has one.
        if let Some(expected) = self.fetch_sha2(url, timeout).await? {
            let got = sha256(&bytes);
            if got != expected {
                return Err(format!(
                    "GET {url}: the body's SHA-256 {} differs from the {} published in {url}.sha2",
                    hex(&got),
                    hex(&expected)
                ));
            }
        }
        Ok(Fetched::Body {
            bytes,
            etag: new_etag,
        })
    }

    /// `<url>.sha2`: `Ok(None)` when there is none (404, 410) or it cannot be fetched (the
    /// signature is what protects the list; the digest guards against a torn
    /// publication); an error when it is there but is not a SHA-256.
    async fn fetch_sha2(
        &self,
        url: &reqwest::Url,
        timeout: Duration,
    ) -> Result<Option<[u8; 32]>, String> {
        let mut sha2_url = url.clone();
        sha2_url.set_path(&format!("{}.sha2", url.path()));
        let resp = match self
            .http
            .get(sha2_url.clone())
            .timeout(timeout)
            .send()
            .await
        {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(url = %sha2_url, error = %error_chain(&e), "cannot fetch the .sha2 digest; going on without it");
                return Ok(None);
            }
        };
        let status = resp.status();
        if status == reqwest::StatusCode::NOT_FOUND || status == reqwest::StatusCode::GONE {
            return Ok(None);
        }
        if !status.is_success() {
            tracing::warn!(url = %sha2_url, %status, "cannot fetch the .sha2 digest; going on without it");
            return Ok(None);
        }
        let body = read_capped(resp, MAX_SHA2_BYTES)
            .await
            .map_err(|e| format!("GET {sha2_url}: {e}"))?;
        parse_sha2(&body)
            .map(Some)
            .ok_or_else(|| format!("GET {sha2_url}: not a SHA-256 in hex"))
    }

    // -------------------------------------------------------------------------------
    // Refreshing.

    /// Refreshes every source once, in order. Returns each one's outcome.
    pub async fn refresh_all(&self) -> Vec<Result<Outcome, String>> {
        let mut out = Vec::with_capacity(self.sources.len());
        for i in 0..self.sources.len() {
            out.push(self.refresh_source(i).await);
        }
        self.rounds.send_modify(|r| *r += 1);
        out
    }

    /// Waits until `n` rounds of [`Refresher::refresh_all`] have completed.
    pub async fn wait_rounds(&self, n: u64) {
        let mut rx = self.rounds.subscribe();
        let _ = rx.wait_for(|r| *r >= n).await;
    }

    /// Refreshes source `i`: fetch, verify, follow its foreign lists, swap — or change
    /// nothing but its status.
    pub async fn refresh_source(&self, i: usize) -> Result<Outcome, String> {
        let Some(spec) = self.sources.get(i) else {
            return Err(format!("no source #{i}"));
        };
        self.counters.attempts.fetch_add(1, Ordering::Relaxed);
        let mut held = self.held.lock().await;
        let now = self.clock.now();
        let result = self.refresh_locked(spec, i, &mut held[i], now).await;
        let h = &mut held[i];
        h.main_status.last_fetch = Some(now);
        match &result {
            Ok(o) => {
                h.main_status.last_error = None;
                if *o == Outcome::Unchanged {
                    self.counters.unchanged.fetch_add(1, Ordering::Relaxed);
                }
                if let Ok(mut g) = self.counters.last_success.lock() {
                    *g = Some(now);
                }
                tracing::info!(source = %spec.name, outcome = ?o, "trust list refreshed");
            }
            Err(e) => {
                h.main_status.last_error = Some(e.clone());
                self.counters.failures.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut g) = self.counters.last_failure.lock() {
                    *g = Some(now);
                }
                tracing::warn!(source = %spec.name, location = %spec.location.text, error = %e, "trust-list refresh failed; the last good list stays");
            }
        }
        self.publish_blocking(&held, now);
        self.record_reports(&held);
        result
    }

    /// [`Self::publish`] from a task: on a multi-threaded runtime the worker hands its other
    /// tasks over first (`block_in_place`), so that building a snapshot of thousands of
    /// anchors (~150 ms for 5,000) does not hold up the requests queued behind it.
    fn publish_blocking(&self, held: &[SourceHeld], now: i64) {
        let multi = tokio::runtime::Handle::try_current()
            .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
        if multi {
            tokio::task::block_in_place(|| self.publish(held, now));
        } else {
            self.publish(held, now);
        }
    }

    /// Keeps the fetch status of every list for `/v1/trust-lists`.
    fn record_reports(&self, held: &[SourceHeld]) {
        let mut out = Vec::new();
        for (spec, h) in self.sources.iter().zip(held) {
            out.push(SourceReport {
                name: spec.name.clone(),
                location: spec.location.text.clone(),
                sequence: h.main.as_ref().map(|m| m.verified.list().sequence),
                last_fetch: h.main_status.last_fetch,
                last_error: h.main_status.last_error.clone(),
            });
            for (k, f) in spec.foreign.iter().enumerate() {
                let held = h.foreign.get(k).and_then(Option::as_ref);
                let st = h.foreign_status.get(k).cloned().unwrap_or_default();
                let territory = held
                    .and_then(|l| l.verified.list().scheme_territory.clone())
                    .unwrap_or_else(|| format!("#{}", k + 1));
                out.push(SourceReport {
                    name: format!("{}/{territory}", spec.name),
                    location: f.text.clone(),
                    sequence: held.map(|l| l.verified.list().sequence),
                    last_fetch: st.last_fetch,
                    last_error: st.last_error,
                });
            }
        }
        match self.reports.lock() {
            Ok(mut g) => *g = out,
            Err(p) => *p.into_inner() = out,
        }
    }

    async fn refresh_locked(
        &self,
        spec: &SourceSpec,
        i: usize,
        h: &mut SourceHeld,
        now: i64,
    ) -> Result<Outcome, String> {
        // The list itself.
        let fetched = self
            .fetch(
                &spec.location,
                h.main.as_ref().and_then(|m| m.etag.as_deref()),
                spec.fetch_timeout,
            )
            .await?;
        let (main, main_changed) = match fetched {
            Fetched::NotModified => match &h.main {
                Some(m) => (m.clone(), false),
                None => return Err("304 Not Modified for a list not held".into()),
            },
            Fetched::Body { bytes, etag } => match &h.main {
                Some(m) if m.verified.sha256() == &sha256(&bytes) => {
                    let mut m = m.clone();
                    m.etag = etag;
                    (m, false)
                }
                _ => {
                    let pinned = spec.pinned.clone();
                    let bytes = Arc::new(bytes);
                    let b = bytes.clone();
                    let verified = tokio::task::spawn_blocking(move || verify(&b, &pinned, now))
                        .await
                        .map_err(|e| format!("verification did not complete: {e}"))?
                        .map_err(|e| format!("{}: {e}", spec.location.text))?;
                    if let Some(old) = &h.main {
                        let (held_seq, new_seq) =
                            (old.verified.list().sequence, verified.list().sequence);
                        if new_seq < held_seq {
                            return Err(format!(
                                "{}: sequence number {new_seq} is lower than the {held_seq} held; refused as a rollback",
                                spec.location.text
                            ));
                        }
                    }
                    (
                        HeldList {
                            verified,
                            bytes,
                            etag,
                            approval: None,
                        },
                        true,
                    )
                }
            },
        };

        // Its foreign lists, each verified through this list's pointers.
        let mut foreign = h.foreign.clone();
        let mut foreign_status = h.foreign_status.clone();
        let mut foreign_changed = false;
        for (j, f) in spec.foreign.iter().enumerate() {
            let old = h.foreign[j].clone();
            let st = &mut foreign_status[j];
            st.last_fetch = Some(now);
            let fetched = self
                .fetch(
                    f,
                    old.as_ref().and_then(|o| o.etag.as_deref()),
                    spec.fetch_timeout,
                )
                .await;
            let mut errors = Vec::new();
            // Candidates: the new bytes, else those held (re-verified through the new list).
            let mut candidates: Vec<(Arc<Vec<u8>>, Option<String>, bool)> = Vec::new();
            match fetched {
                Ok(Fetched::Body { bytes, etag }) => {
                    let same = old
                        .as_ref()
                        .is_some_and(|o| o.verified.sha256() == &sha256(&bytes));
                    candidates.push((Arc::new(bytes), etag, !same));
                }
                Ok(Fetched::NotModified) => {}
                Err(e) => errors.push(e),
            }
            if let Some(o) = &old {
                candidates.push((o.bytes.clone(), o.etag.clone(), false));
            }
            let mut chosen = None;
            for (bytes, etag, is_new) in candidates {
                match verify_foreign(&bytes, &main.verified, now) {
                    Ok((v, approval)) => {
                        if is_new
                            && let Some(o) = &old
                            && v.list().sequence < o.verified.list().sequence
                        {
                            errors.push(format!(
                                "{}: sequence number {} is lower than the {} held; refused as a rollback",
                                f.text,
                                v.list().sequence,
                                o.verified.list().sequence
                            ));
                            continue;
                        }
                        chosen = Some(HeldList {
                            verified: v,
                            bytes,
                            etag,
                            approval: Some(approval),
                        });
                        break;
                    }
                    Err(e) => errors.push(format!("{}: {e}", f.text)),
                }
            }
            let changed = match (&chosen, &old) {
                (Some(c), Some(o)) => {
                    c.verified.sha256() != o.verified.sha256() || c.approval != o.approval
                }
                (None, None) => false,
                _ => true,
            };
            if chosen.is_none() && old.is_some() {
                tracing::warn!(source = %spec.name, foreign = %f.text, "the foreign list no longer verifies through the current list; dropped");
            }
            foreign_changed |= changed;
            st.last_error = if errors.is_empty() {
                None
            } else {
                Some(errors.join("; "))
            };
            if let Some(e) = &st.last_error {
                tracing::warn!(source = %spec.name, foreign = %f.text, error = %e, "foreign list refresh failed");
            }
            foreign[j] = chosen;
        }

        // Commit: keep on disk, then in memory (the snapshot is rebuilt by `publish`).
        if main_changed || h.main.as_ref().is_some_and(|m| m.etag != main.etag) {
            self.persist(self.main_path(i), &main);
        }
        for (j, f) in foreign.iter().enumerate() {
            if let Some(f) = f {
                let was = h.foreign[j].as_ref().is_some_and(|o| {
                    o.verified.sha256() == f.verified.sha256() && o.etag == f.etag
                });
                if !was {
                    self.persist(self.foreign_path(i, j), f);
                }
            }
        }
        h.main = Some(main);
        h.foreign = foreign;
        h.foreign_status = foreign_status;
        Ok(if main_changed || foreign_changed {
            Outcome::Updated
        } else {
            Outcome::Unchanged
        })
    }

    /// Builds the [`Loaded`] of every list held and stores it: a new snapshot when the
    /// inputs changed, else the same snapshot with the fetch statuses updated.
    fn publish(&self, held: &[SourceHeld], now: i64) {
        let mut inputs: Vec<(&VerifiedTrustList, ListRole)> = Vec::new();
        let mut meta: Vec<(String, String, FetchStatus, i64)> = Vec::new();
        let mut directory: Vec<&VerifiedTrustList> = Vec::new();
        for (spec, h) in self.sources.iter().zip(held) {
            let Some(main) = &h.main else { continue };
            let role = match spec.role {
                ListRoleConfig::Miit => ListRole::Miit,
                ListRoleConfig::Scheme => ListRole::Scheme,
            };
            inputs.push((&main.verified, role));
            directory.push(&main.verified);
            meta.push((
                spec.name.clone(),
                spec.location.text.clone(),
                h.main_status.clone(),
                spec.grace_secs,
            ));
            for (j, f) in h.foreign.iter().enumerate() {
                let Some(f) = f else { continue };
                let Some(approval) = &f.approval else {
                    continue;
                };
                inputs.push((&f.verified, ListRole::ForeignScheme(approval.clone())));
                meta.push((
                    format!(
                        "{}/{}",
                        spec.name,
                        f.verified.list().scheme_territory.as_deref().unwrap_or("?")
                    ),
                    spec.foreign[j].text.clone(),
                    h.foreign_status[j].clone(),
                    spec.grace_secs,
                ));
            }
        }
        if inputs.is_empty() {
            return;
        }
        let digests: Vec<[u8; 32]> = inputs.iter().map(|(v, _)| *v.sha256()).collect();
        let current = self.trust.load_full();
        let mut built = match self.built.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let same = built.as_ref().is_some_and(|(d, _)| *d == digests) && current.is_some();
        let (snapshot, loaded_at, directory) = match (&current, same) {
            (Some(c), true) => (
                c.snapshot.clone(),
                built.as_ref().map_or(now, |(_, t)| *t),
                c.directory.clone(),
            ),
            _ => (
                build_snapshot(&inputs),
                now,
                Arc::new(directory.into_iter().cloned().collect()),
            ),
        };
        let lists: Vec<ListStatus> = inputs
            .iter()
            .zip(&meta)
            .zip(snapshot.lists())
            .map(|(((v, _), (name, location, st, _)), summary)| {
                let l = v.list();
                ListStatus {
                    name: name.clone(),
                    location: location.clone(),
                    operator: l.operator.get("en").unwrap_or_default().to_string(),
                    territory: l.scheme_territory.clone().unwrap_or_default(),
                    sequence: l.sequence,
                    issued: l.issued,
                    next_update: l.next_update,
                    anchors: summary.anchors,
                    sha256: v.sha256_hex(),
                    signer_sha256: summary.signer_sha256.clone(),
                    last_fetch: st.last_fetch,
                    last_error: st.last_error.clone(),
                }
            })
            .collect();
        let usable_until = inputs
            .iter()
            .zip(&meta)
            .filter_map(|((v, _), (_, _, _, grace))| {
                v.list().next_update.map(|n| n.saturating_add(*grace))
            })
            .min();
        if !same {
            self.counters.swaps.fetch_add(1, Ordering::Relaxed);
            tracing::info!(snapshot = %snapshot.id(), lists = lists.len(), anchors = snapshot.anchors().len(), "trust snapshot swapped in");
        }
        *built = Some((digests, loaded_at));
        self.trust.store(Some(Arc::new(Loaded::new(
            snapshot,
            lists,
            loaded_at,
            usable_until,
            directory,
        ))));
    }

    /// Runs the refresher: a first round at once, then each source at its interval, and
    /// every source whenever [`RefreshTrigger::trigger`] is called. Never returns.
    pub async fn run(self: Arc<Self>) {
        use tokio::time::Instant;
        self.refresh_all().await;
        let mut next: Vec<Instant> = self
            .sources
            .iter()
            .map(|s| Instant::now() + s.refresh)
            .collect();
        loop {
            let due = next
                .iter()
                .min()
                .copied()
                .unwrap_or_else(|| Instant::now() + Duration::from_secs(86_400));
            tokio::select! {
                () = tokio::time::sleep_until(due) => {
                    let now = Instant::now();
                    for (i, n) in next.iter_mut().enumerate() {
                        if *n <= now {
                            let _ = self.refresh_source(i).await;
                            *n = Instant::now() + self.sources[i].refresh;
                        }
                    }
                    self.rounds.send_modify(|r| *r += 1);
                }
                () = self.notify.notified() => {
                    tracing::info!("refresh requested");
                    self.refresh_all().await;
                    let now = Instant::now();
                    for (n, s) in next.iter_mut().zip(&self.sources) {
                        *n = now + s.refresh;
                    }
                }
            }
        }
    }

    /// Spawns [`Refresher::run`] on the current tokio runtime.
    pub fn spawn(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(self.clone().run())
    }
}

/// Verifies a foreign list through the pointers of `main` and finds the approval its
/// pointer carries.
fn verify_foreign(
    bytes: &[u8],
    main: &VerifiedTrustList,
    now: i64,
) -> Result<(VerifiedTrustList, Approval), String> {
    verify_approved(bytes, main, now).map_err(|e| e.to_string())
}

impl RefreshTrigger for Refresher {
    fn trigger(&self) {
        self.notify.notify_one();
    }

    fn counters(&self) -> RefreshCounters {
        Refresher::counters(self)
    }

    fn sources(&self) -> Vec<SourceReport> {
        match self.reports.lock() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }
}
