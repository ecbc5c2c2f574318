//! `/metrics`: Prometheus text (prometheus-client).
//!
//! Counted as they happen: requests by endpoint and status, validation outcomes by status
//! and code. Read at scrape time: result-cache hits, misses, bypasses and entries, the
//! signature memo's hits, misses and entries, the snapshot's age and time to expiry, and the
//! refresher's counters. Online revocation adds its own (`huren_revocation_*`: cache hits,
//! misses and remembered failures, fetches by outcome, failures by reason, the fetch latency
//! histogram, cache entries).

use super::cache::{Intermediates, ResultCache};
use super::state::{Clock, RefreshTrigger, RevocationSource, TrustHandle};
use huren_validator::SignatureMemo;
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::Registry;
use std::sync::Arc;

/// Labels of the request counter: the route (its template, e.g. `/v1/anchors/{sha256}`) and
/// the HTTP status.
pub type HttpLabels = [(&'static str, String); 2];

/// Labels of the outcome counter: status and code.
pub type OutcomeLabels = [(&'static str, &'static str); 2];

/// The service's metrics.
pub struct Metrics {
    registry: Registry,
    /// Requests by endpoint and status.
    pub requests: Family<HttpLabels, Counter>,
    /// Validation answers by status and code (cache hits included).
    pub outcomes: Family<OutcomeLabels, Counter>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

/// What the scrape reads from the live state.
struct Live {
    trust: TrustHandle,
    clock: Arc<dyn Clock>,
    memo: Arc<SignatureMemo>,
    results: ResultCache,
    intermediates: Intermediates,
    refresh: Arc<dyn RefreshTrigger>,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live").finish_non_exhaustive()
    }
}

fn counter(e: &mut DescriptorEncoder, name: &str, help: &str, v: u64) -> std::fmt::Result {
    let c = ConstCounter::new(v);
    let m = e.encode_descriptor(name, help, None, c.metric_type())?;
    c.encode(m)
}

fn gauge(e: &mut DescriptorEncoder, name: &str, help: &str, v: i64) -> std::fmt::Result {
    let g = ConstGauge::new(v);
    let m = e.encode_descriptor(name, help, None, g.metric_type())?;
    g.encode(m)
}

impl Collector for Live {
    fn encode(&self, mut e: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let (hits, misses, bypassed) = self.results.counters();
        counter(
            &mut e,
            "result_cache_hits",
            "Answers served from the result cache",
            hits,
        )?;
        counter(
            &mut e,
            "result_cache_misses",
            "Lookups in the result cache that found nothing current",
            misses,
        )?;
        counter(
            &mut e,
            "result_cache_bypassed",
            "Requests that asked for a fresh answer (fresh: true)",
            bypassed,
        )?;
        counter(
            &mut e,
            "result_cache_declined",
            "Answers not kept because the cache was nearly full and their chain had not been asked for before",
            self.results.declined(),
        )?;
        gauge(
            &mut e,
            "result_cache_entries",
            "Answers held in the result cache",
            self.results.entries() as i64,
        )?;
        gauge(
            &mut e,
            "result_cache_bytes",
            "Bytes held by the result cache (as weighed)",
            self.results.bytes() as i64,
        )?;
        let (hits, misses) = self.intermediates.counters();
        counter(
            &mut e,
            "intermediate_cache_hits",
            "Intermediates taken parsed from the cache",
            hits,
        )?;
        counter(
            &mut e,
            "intermediate_cache_misses",
            "Intermediates decoded and parsed",
            misses,
        )?;
        gauge(
            &mut e,
            "intermediate_cache_entries",
            "Parsed intermediates held",
            self.intermediates.entries() as i64,
        )?;
        let m = self.memo.stats();
        counter(
            &mut e,
            "signature_memo_hits",
            "Signature verifications answered by the memo",
            m.hits,
        )?;
        counter(
            &mut e,
            "signature_memo_misses",
            "Signature verifications the memo did not know",
            m.misses,
        )?;
        gauge(
            &mut e,
            "signature_memo_entries",
            "Verified signatures held by the memo",
            m.entries as i64,
        )?;
        let now = self.clock.now();
        let loaded = self.trust.load();
        gauge(
            &mut e,
            "snapshot_loaded",
            "1 when a verified trust snapshot is loaded",
            i64::from(loaded.is_some()),
        )?;
        if let Some(l) = loaded.as_ref() {
            gauge(
                &mut e,
                "snapshot_usable",
                "1 when the snapshot may be relied on now (not past NextUpdate + grace)",
                i64::from(l.usable_at(now)),
            )?;
            gauge(
                &mut e,
                "snapshot_age_seconds",
                "Seconds since the snapshot was built",
                now - l.loaded_at,
            )?;
            if let Some(u) = l.usable_until {
                gauge(
                    &mut e,
                    "snapshot_expires_in_seconds",
                    "Seconds until the snapshot is past NextUpdate + grace (negative: past)",
                    u - now,
                )?;
            }
            gauge(
                &mut e,
                "snapshot_anchors",
                "Trust anchors in the snapshot",
                l.snapshot.anchors().len() as i64,
            )?;
        }
        let r = self.refresh.counters();
        counter(
            &mut e,
            "refresh_attempts",
            "Trust-list source refreshes attempted",
            r.attempts,
        )?;
        counter(
            &mut e,
            "refresh_failures",
            "Trust-list source refreshes that failed (nothing changed)",
            r.failures,
        )?;
        counter(
            &mut e,
            "refresh_unchanged",
            "Trust-list source refreshes that found the list unchanged",
            r.unchanged,
        )?;
        counter(
            &mut e,
            "refresh_swaps",
            "Snapshots swapped in by refreshes",
            r.swaps,
        )?;
        if let Some(t) = r.last_success {
            gauge(
                &mut e,
                "refresh_last_success_timestamp_seconds",
                "When a refresh last succeeded (Unix seconds)",
                t,
            )?;
        }
        if let Some(t) = r.last_failure {
            gauge(
                &mut e,
                "refresh_last_failure_timestamp_seconds",
                "When a refresh last failed (Unix seconds)",
                t,
            )?;
        }
        Ok(())
    }
}

impl Metrics {
    /// The registry, reading the live values from these handles at each scrape.
    pub fn new(
        trust: TrustHandle,
        clock: Arc<dyn Clock>,
        memo: Arc<SignatureMemo>,
        results: ResultCache,
        intermediates: Intermediates,
        refresh: Arc<dyn RefreshTrigger>,
        revocation: &dyn RevocationSource,
    ) -> Self {
        let mut registry = Registry::with_prefix("huren");
        let requests = Family::<HttpLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by endpoint and status",
            requests.clone(),
        );
        let outcomes = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "validations",
            "Validation answers by status and code",
            outcomes.clone(),
        );
        registry.register_collector(Box::new(Live {
            trust,
            clock,
            memo,
            results,
            intermediates,
            refresh,
        }));
        revocation.register_metrics(&mut registry);
        Metrics {
            registry,
            requests,
            outcomes,
        }
    }

    /// Counts a request.
    pub fn request(&self, endpoint: &str, status: u16) {
        self.requests
            .get_or_create(&[
                ("endpoint", endpoint.to_owned()),
                ("status", status.to_string()),
            ])
            .inc();
    }

    /// The counter of validation answers with `status` and `code` (a handle: a cached
    /// answer keeps it, and counts a hit without a lookup).
    pub fn outcome(&self, status: &'static str, code: &'static str) -> Counter {
        self.outcomes
            .get_or_create(&[("status", status), ("code", code)])
            .clone()
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut s = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut s, &self.registry) {
            tracing::error!(error = %e, "cannot encode metrics");
        }
        s
    }
}
