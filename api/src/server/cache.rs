//! The result cache: rendered answers keyed by what decides them, so that a repeated chain
//! is answered without PEM decoding, parsing or path building.
//!
//! **Key**: SHA-256 over, length-prefixed: the certificate, each intermediate and each
//! caller-supplied CRL *as sent* (the raw JSON strings), the policy id and version, the
//! snapshot id, the validation-time bucket (the requested time, or now rounded down to
//! [`TIME_BUCKET_SECS`] when none was requested) and the usage (key usages, EKUs, server
//! name) as sent.
//!
//! **Lifetime**: until the answer's `nextUpdate` — the earliest of the report's `validUntil`
//! (a certificate's notAfter, a CRL's nextUpdate, the next anchor status change, licence or
//! approval end), the snapshot's `usable_until` (NextUpdate + grace) and now plus the TTL cap
//! — checked against the service clock on every hit, and enforced by moka for memory.
//!
//! **Size**: bounded both in entries and in bytes (`cache.results`, `cache.results_mib`): an
//! entry weighs its body's length, and at least the byte bound divided by the entry bound.
//!
//! A second, small cache keeps **parsed intermediates** by their text as sent: a CA
//! certificate shared by millions of leaves is decoded, parsed and its key prepared once.

use aws_lc_rs::digest;
use axum::body::Bytes;
use huren_validator::Certificate;
use moka::sync::Cache;
use prometheus_client::metrics::counter::Counter;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The validation-time bucket when the request names no time: answers for "now" are shared
/// for up to this many seconds (never past their `nextUpdate`).
pub const TIME_BUCKET_SECS: i64 = 60;

/// The longest any answer is cached or declared cacheable (`nextUpdate` ≤ now + this).
pub const TTL_CAP_SECS: i64 = 3600;

/// The longest a retryable INDETERMINATE answer is cached.
pub const RETRYABLE_TTL_SECS: i64 = 60;

/// A cache key.
pub type Key = [u8; 32];

/// A cached answer: the rendered JSON and until when it may be served (Unix seconds).
#[derive(Debug)]
pub struct Entry {
    /// The answer body (`application/json`).
    pub body: Bytes,
    /// The answer's `nextUpdate`.
    pub expires_at: i64,
    /// The outcome counter of the answer's status and code (counted again on every hit).
    pub outcome: Counter,
    /// Seconds the entry may live, as computed when it was made (for moka's expiry).
    ttl_secs: u64,
}

impl Entry {
    /// An entry valid until `expires_at`, made at `now`.
    pub fn new(body: Bytes, outcome: Counter, now: i64, expires_at: i64) -> Self {
        Entry {
            body,
            expires_at,
            outcome,
            ttl_secs: expires_at.saturating_sub(now).max(0) as u64,
        }
    }
}

/// What an entry costs beside its body (key, expiry, moka's bookkeeping), bytes.
const ENTRY_OVERHEAD: u64 = 160;

struct PerEntry;

impl moka::Expiry<Key, Arc<Entry>> for PerEntry {
    fn expire_after_create(
        &self,
        _key: &Key,
        value: &Arc<Entry>,
        _created_at: std::time::Instant,
    ) -> Option<Duration> {
        Some(Duration::from_secs(value.ttl_secs))
    }
}

/// The result cache and its counters.
#[derive(Clone)]
pub struct ResultCache {
    cache: Option<Cache<Key, Arc<Entry>>>,
    hits: Arc<AtomicU64>,
    misses: Arc<AtomicU64>,
    bypassed: Arc<AtomicU64>,
}

impl std::fmt::Debug for ResultCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResultCache")
            .field("entries", &self.entries())
            .finish()
    }
}

/// A key under construction.
pub struct KeyBuilder(digest::Context);

impl KeyBuilder {
    /// A fresh key (versioned, so that a change of layout never meets old entries).
    pub fn new() -> Self {
        let mut c = digest::Context::new(&digest::SHA256);
        c.update(b"huren-result-v1");
        KeyBuilder(c)
    }

    /// Adds one length-prefixed field.
    pub fn field(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(&(bytes.len() as u64).to_be_bytes());
        self.0.update(bytes);
        self
    }

    /// Adds a list of fields, count first.
    pub fn list<'a>(&mut self, items: impl ExactSizeIterator<Item = &'a [u8]>) -> &mut Self {
        self.0.update(&(items.len() as u64).to_be_bytes());
        for i in items {
            self.field(i);
        }
        self
    }

    /// The key.
    pub fn finish(self) -> Key {
        let mut k = [0u8; 32];
        k.copy_from_slice(self.0.finish().as_ref());
        k
    }
}

impl Default for KeyBuilder {
    fn default() -> Self {
        KeyBuilder::new()
    }
}

impl ResultCache {
    /// A cache of at most `entries` answers taking at most `bytes` (either 0 disables it).
    pub fn new(entries: u64, bytes: u64) -> Self {
        let cache = (entries > 0 && bytes > 0).then(|| {
            // Weight = bytes, but never less than bytes / entries: then neither bound is
            // passed (moka bounds the total weight).
            let floor = (bytes / entries).max(1);
            Cache::builder()
                .max_capacity(bytes)
                .weigher(move |_k: &Key, e: &Arc<Entry>| {
                    let w = (e.body.len() as u64 + ENTRY_OVERHEAD).max(floor);
                    u32::try_from(w).unwrap_or(u32::MAX)
                })
                .time_to_live(Duration::from_secs(TTL_CAP_SECS as u64))
                .expire_after(PerEntry)
                .build()
        });
        ResultCache {
            cache,
            hits: Arc::default(),
            misses: Arc::default(),
            bypassed: Arc::default(),
        }
    }

    /// The answer for `key`, if cached and not past its `nextUpdate` at `now`.
    pub fn get(&self, key: &Key, now: i64) -> Option<Arc<Entry>> {
        let found = self
            .cache
            .as_ref()
            .and_then(|c| c.get(key))
            .filter(|e| now < e.expires_at);
        match found {
            Some(e) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                Some(e)
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    /// Counts a request that asked to bypass the cache (`fresh: true`).
    pub fn note_bypass(&self) {
        self.bypassed.fetch_add(1, Ordering::Relaxed);
    }

    /// Keeps an answer (ignored when it is already past its `nextUpdate` at `now`).
    pub fn insert(&self, key: Key, entry: Entry, now: i64) {
        if let Some(c) = &self.cache
            && entry.expires_at > now
        {
            c.insert(key, Arc::new(entry));
        }
    }

    /// Hits, misses and bypasses so far.
    pub fn counters(&self) -> (u64, u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
            self.bypassed.load(Ordering::Relaxed),
        )
    }

    /// Entries held (approximate).
    pub fn entries(&self) -> u64 {
        self.cache.as_ref().map_or(0, |c| c.entry_count())
    }

    /// Bytes held, as weighed (approximate).
    pub fn bytes(&self) -> u64 {
        self.cache.as_ref().map_or(0, |c| c.weighted_size())
    }
}

/// The certificates parsed from one `intermediates` text.
pub type Parsed = Arc<[Arc<Certificate>]>;

/// Parsed intermediate certificates keyed by the text a request sent them as (a PEM string
/// with one or more blocks, or base64 DER). Only successful parses are kept.
#[derive(Clone)]
pub struct Intermediates {
    cache: Option<Cache<Box<str>, Parsed>>,
    hits: Arc<AtomicU64>,
    misses: Arc<AtomicU64>,
}

impl std::fmt::Debug for Intermediates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Intermediates")
            .field("entries", &self.entries())
            .finish()
    }
}

impl Intermediates {
    /// A cache of at most `capacity` texts (0 disables it).
    pub fn new(capacity: u64) -> Self {
        Intermediates {
            cache: (capacity > 0).then(|| Cache::new(capacity)),
            hits: Arc::default(),
            misses: Arc::default(),
        }
    }

    /// The certificates parsed from `text` before, if kept.
    pub fn get(&self, text: &str) -> Option<Parsed> {
        let c = self.cache.as_ref()?;
        let found = c.get(text);
        let n = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        n.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Keeps the certificates parsed from `text`.
    pub fn insert(&self, text: &str, certs: Parsed) {
        if let Some(c) = &self.cache {
            c.insert(text.into(), certs);
        }
    }

    /// Hits and misses so far.
    pub fn counters(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// Entries held (approximate).
    pub fn entries(&self) -> u64 {
        self.cache.as_ref().map_or(0, |c| c.entry_count())
    }
}
