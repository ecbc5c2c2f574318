//! The service's shared state: the current trust snapshot (swapped atomically), the caches,
//! the configuration and the seams to the outside (clock, revocation, refresh).
//!
//! Handlers read the snapshot with one atomic load and never block a refresh; a refresh
//! builds a new [`Loaded`] off to the side and swaps it in whole, or changes nothing.

use arc_swap::ArcSwapOption;
use huren_trustlists::VerifiedTrustList;
use huren_trustlists::snapshot::Snapshot;
use huren_validator::SignatureMemo;
use serde_json::value::RawValue;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::cache::{Intermediates, ResultCache};
use super::metrics::Metrics;
use super::policy::Policies;
use crate::config::Config;
use crate::revocation::{EvidenceRequest, FetchedEvidence};

/// The source of the current time (Unix seconds). The service passes it to the engine; tests
/// replace it.
pub trait Clock: Send + Sync + 'static {
    /// Now, Unix seconds.
    fn now(&self) -> i64;
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    }
}

/// One list of the snapshot, as `/v1/trust-lists` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListStatus {
    /// The configured name of the source.
    pub name: String,
    /// Where it comes from (URL or file path).
    pub location: String,
    /// Scheme operator (English name, else the first).
    pub operator: String,
    /// SchemeTerritory.
    pub territory: String,
    /// TSLSequenceNumber.
    pub sequence: u64,
    /// ListIssueDateTime.
    pub issued: i64,
    /// NextUpdate (`None`: closed list).
    pub next_update: Option<i64>,
    /// Anchors taken from it.
    pub anchors: usize,
    /// SHA-256 of the verified bytes, hex.
    pub sha256: String,
    /// The signer certificate's SHA-256, hex.
    pub signer_sha256: String,
    /// When it was last fetched (successfully or not), Unix seconds.
    pub last_fetch: Option<i64>,
    /// The error of the last fetch, if it failed (the snapshot then kept the last good
    /// list).
    pub last_error: Option<String>,
}

/// A verified, loaded trust snapshot: the anchor index and what it was built from.
#[derive(Debug)]
pub struct Loaded {
    /// The anchor index.
    pub snapshot: Snapshot,
    /// Each list.
    pub lists: Vec<ListStatus>,
    /// When it was built, Unix seconds.
    pub loaded_at: i64,
    /// Past this instant (the earliest NextUpdate plus the configured grace) every answer is
    /// INDETERMINATE `TRUST_LIST_EXPIRED` and `/readyz` fails. `None`: every list is closed.
    pub usable_until: Option<i64>,
    /// The answers' `trustSnapshot` object, rendered once.
    snapshot_json: Box<RawValue>,
    /// The verified lists the configured sources gave (not the foreign lists reached
    /// through pointers), in source order: what the HTML directory (`/directory`) shows.
    pub directory: Arc<Vec<VerifiedTrustList>>,
    /// Whether an anchor has a successor with supply points (Art. 31): then a chain that
    /// names no revocation endpoint of its own may still be asked about.
    pub has_successor_endpoints: bool,
}

impl Loaded {
    /// A loaded snapshot; `directory`: the verified source lists it was built from (see
    /// [`Loaded::directory`]).
    pub fn new(
        snapshot: Snapshot,
        lists: Vec<ListStatus>,
        loaded_at: i64,
        usable_until: Option<i64>,
        directory: Arc<Vec<VerifiedTrustList>>,
    ) -> Self {
        let snapshot_json =
            serde_json::value::to_raw_value(&crate::render::snapshot_json(&snapshot))
                .unwrap_or_else(|_| RawValue::NULL.to_owned());
        let has_successor_endpoints =
            crate::revocation::any_successor_endpoints(snapshot.anchors());
        Loaded {
            snapshot,
            lists,
            loaded_at,
            usable_until,
            snapshot_json,
            directory,
            has_successor_endpoints,
        }
    }

    /// Whether answers may rest on this snapshot at `now`.
    pub fn usable_at(&self, now: i64) -> bool {
        self.usable_until.is_none_or(|u| now <= u)
    }

    /// The `trustSnapshot` object of answers resting on it.
    pub fn snapshot_json(&self) -> &RawValue {
        &self.snapshot_json
    }
}

/// The current snapshot, swapped atomically. `None` until the first list verified.
pub type TrustHandle = Arc<ArcSwapOption<Loaded>>;

/// Revocation evidence the handlers ask for, beyond what the caller supplied:
/// [`crate::revocation::OnlineRevocation`] fetches it (CRLs and OCSP, cached); with
/// [`NoRevocationSource`] only the caller's evidence is used, and the policy decides what a
/// missing status means.
///
/// The handler awaits [`RevocationSource::evidence_for`] before the validation that uses
/// it, for the path the validator chose with revocation off (only when that answer is
/// VALID: see [`crate::revocation`]).
pub trait RevocationSource: Send + Sync + 'static {
    /// Whether this source can add anything (when not, the handler skips the validation
    /// with revocation off that finds the path to ask about). Default: yes.
    fn enabled(&self) -> bool {
        true
    }

    /// Evidence for the certificates of `req.path` below the anchor, from caches or the
    /// network, each CRL and OCSP response labelled with its source, and the fetches that
    /// failed.
    fn evidence_for<'a>(
        &'a self,
        req: EvidenceRequest<'a>,
    ) -> Pin<Box<dyn Future<Output = FetchedEvidence> + Send + 'a>>;

    /// Evidence the source already holds, without fetching, for the certificates of `chain`
    /// (end entity first, as the caller sent it) under each issuer they may have: another
    /// certificate of the chain or an anchor of `anchors` whose subject is their issuer.
    /// The handler validates once with it and keeps that answer only when it is VALID with
    /// every certificate's status decided; otherwise it finds the path with revocation off
    /// and asks [`RevocationSource::evidence_for`] about it. Default: nothing held.
    fn held_for<'a>(
        &'a self,
        _chain: &'a [Arc<huren_validator::Certificate>],
        _anchors: &'a huren_validator::AnchorSet,
    ) -> Pin<Box<dyn Future<Output = FetchedEvidence> + Send + 'a>> {
        Box::pin(std::future::ready(FetchedEvidence::default()))
    }

    /// Called when evidence from [`RevocationSource::held_for`] decided an answer (for the
    /// cache-hit counters). Default: nothing.
    fn held_used(&self, _evidence: &FetchedEvidence) {}

    /// Registers this source's metrics (cache hits, fetches, latencies, failures) in the
    /// service's registry. Default: none.
    fn register_metrics(&self, _registry: &mut prometheus_client::registry::Registry) {}

    /// Called after the validation that used this source's evidence for `path` (the
    /// [`EvidenceRequest::path`]), with its report: evidence held for a certificate the
    /// validator found no answer for (`REVOCATION_UNAVAILABLE`: a bad signature, an
    /// unauthorised responder, …) should not be served again until its nextUpdate.
    /// Default: nothing.
    fn refused<'a>(
        &'a self,
        _path: &'a [Arc<huren_validator::Certificate>],
        _report: &'a huren_validator::Report,
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>> {
        Box::pin(std::future::ready(()))
    }
}

/// No revocation source: only caller-supplied evidence is used.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoRevocationSource;

impl RevocationSource for NoRevocationSource {
    fn enabled(&self) -> bool {
        false
    }

    fn evidence_for<'a>(
        &'a self,
        _req: EvidenceRequest<'a>,
    ) -> Pin<Box<dyn Future<Output = FetchedEvidence> + Send + 'a>> {
        Box::pin(std::future::ready(FetchedEvidence::default()))
    }
}

/// Asks the refresher to fetch and verify every source now (`POST /v1/admin/refresh`).
pub trait RefreshTrigger: Send + Sync + 'static {
    /// Starts a refresh; returns without waiting for it.
    fn trigger(&self);

    /// What the refresher has done so far (for `/metrics`). Default: nothing.
    fn counters(&self) -> RefreshCounters {
        RefreshCounters::default()
    }

    /// The fetch status of each configured list, whether or not it ever verified (for
    /// `/v1/trust-lists`). Default: none.
    fn sources(&self) -> Vec<SourceReport> {
        Vec::new()
    }
}

/// The fetch status of one configured list (a source, or a foreign list it follows).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceReport {
    /// The configured name (`name/TERRITORY` or `name/#k` for a foreign list).
    pub name: String,
    /// Where it comes from (URL or file path).
    pub location: String,
    /// The sequence number of the verified list held, if one is.
    pub sequence: Option<u64>,
    /// When it was last fetched, Unix seconds.
    pub last_fetch: Option<i64>,
    /// Why the last fetch failed, if it did.
    pub last_error: Option<String>,
}

/// The refresher's counters, for `/metrics` (`crate::refresh::Refresher` keeps them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RefreshCounters {
    /// Source refreshes attempted (one per source per round).
    pub attempts: u64,
    /// Of those, the ones that failed (network, size, `.sha2`, signature, parse, lower
    /// sequence number): each changed nothing but the list's `last_error`.
    pub failures: u64,
    /// Of those, the ones answered 304 Not Modified or with the bytes already held.
    pub unchanged: u64,
    /// Snapshots swapped in (a new verified list changed the anchors).
    pub swaps: u64,
    /// The last successful refresh, Unix seconds.
    pub last_success: Option<i64>,
    /// The last failed refresh, Unix seconds.
    pub last_failure: Option<i64>,
}

/// What every handler shares: one reference-counted [`Shared`], so that the clone axum makes
/// for every request (and every layer that holds the state) is one atomic increment.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The contents of [`AppState`].
pub struct Shared {
    /// The current snapshot.
    pub trust: TrustHandle,
    /// Verified signatures, shared by all requests.
    pub memo: Arc<SignatureMemo>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// Online revocation (fetched and cached CRLs and OCSP responses).
    pub revocation: Arc<dyn RevocationSource>,
    /// Refresh on demand.
    pub refresh: Arc<dyn RefreshTrigger>,
    /// The configuration (limits, admin token, policies as configured).
    pub config: Arc<Config>,
    /// The offered policies, compiled.
    pub policies: Arc<Policies>,
    /// Rendered answers of repeated requests.
    pub results: ResultCache,
    /// Parsed intermediates, by their text as sent.
    pub intermediates: Intermediates,
    /// The per-client rate limit of the validation endpoints.
    pub limiter: super::limit::RateLimiter,
    /// The Prometheus registry.
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// The state of a service with `config`, reading trust from `trust` (which the refresher
    /// swaps), time from `clock`, extra revocation evidence from `revocation`, and asking
    /// `refresh` for on-demand refreshes. The signature memo and the result cache are sized
    /// from `config.cache`. Fails, naming the policy and the value, when a configured policy
    /// does not compile (an unknown profile, revocation mode, OID, key usage or EKU).
    pub fn new(
        config: Config,
        trust: TrustHandle,
        clock: Arc<dyn Clock>,
        revocation: Arc<dyn RevocationSource>,
        refresh: Arc<dyn RefreshTrigger>,
    ) -> Result<AppState, String> {
        let policies = Arc::new(Policies::compile(&config.policies)?);
        let memo = Arc::new(SignatureMemo::new(config.cache.signatures));
        let results = ResultCache::new(
            config.cache.results,
            config.cache.results_mib.saturating_mul(1 << 20),
        );
        let intermediates = Intermediates::new(config.cache.intermediates);
        let limiter =
            super::limit::RateLimiter::new(config.limits.rate_per_client, config.limits.rate_burst);
        let metrics = Arc::new(Metrics::new(
            trust.clone(),
            clock.clone(),
            memo.clone(),
            results.clone(),
            intermediates.clone(),
            refresh.clone(),
            revocation.as_ref(),
        ));
        Ok(AppState(Arc::new(Shared {
            trust,
            memo,
            clock,
            revocation,
            refresh,
            config: Arc::new(config),
            policies,
            results,
            intermediates,
            limiter,
            metrics,
        })))
    }
}

/// A [`RefreshTrigger`] that does nothing (a fixed snapshot: tests, `--config` without
/// sources).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoRefresh;

impl RefreshTrigger for NoRefresh {
    fn trigger(&self) {}
}

/// A clock stopped at a given instant (tests, reproducible runs).
#[derive(Debug, Default)]
pub struct FixedClock(pub std::sync::atomic::AtomicI64);

impl FixedClock {
    /// A clock reading `t` (Unix seconds).
    pub fn at(t: i64) -> Self {
        FixedClock(std::sync::atomic::AtomicI64::new(t))
    }

    /// Moves the clock to `t`.
    pub fn set(&self, t: i64) {
        self.0.store(t, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> i64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}
