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
//! **Admission**: while the cache has room, every answer is kept. Once it is nearly full
//! (15/16 of the byte bound), an answer is kept only when its key was missed before (a
//! doorkeeper, as in W-TinyLFU: a table of key fingerprints, one slot per entry of the
//! bound): a chain seen once is not worth evicting another answer for, and under a stream
//! of distinct chains the cache stops churning — each insertion that evicts costs more than
//! the validation of a leaf under a known intermediate. A chain asked for twice is kept
//! from its second answer on.
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
    /// The byte bound.
    capacity: u64,
    /// Fingerprints of keys whose answer was not kept (see the module's "Admission").
    doorkeeper: Arc<[AtomicU64]>,
    hits: Arc<AtomicU64>,
    misses: Arc<AtomicU64>,
    bypassed: Arc<AtomicU64>,
    declined: Arc<AtomicU64>,
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
        let slots = if cache.is_some() {
            entries.clamp(1024, 1 << 22) as usize
        } else {
            0
        };
        ResultCache {
            cache,
            capacity: bytes,
            doorkeeper: (0..slots).map(|_| AtomicU64::new(0)).collect(),
            hits: Arc::default(),
            misses: Arc::default(),
            bypassed: Arc::default(),
            declined: Arc::default(),
        }
    }

    /// Whether `key` was offered before (and remembers it now).
    fn seen_before(&self, key: &Key) -> bool {
        let word = |i: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&key[i..i + 8]);
            u64::from_le_bytes(b)
        };
        // Never 0, the empty slot.
        let fingerprint = word(0) | 1;
        let slot = (word(8) % self.doorkeeper.len() as u64) as usize;
        self.doorkeeper[slot].swap(fingerprint, Ordering::Relaxed) == fingerprint
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

    /// Keeps an answer (ignored when it is already past its `nextUpdate` at `now`, and, when
    /// the cache is nearly full, the first time its key is offered: see the module's
    /// "Admission").
    pub fn insert(&self, key: Key, entry: Entry, now: i64) {
        let Some(c) = &self.cache else {
            return;
        };
        if entry.expires_at <= now {
            return;
        }
        let nearly_full = c.weighted_size() >= self.capacity - self.capacity / 16;
        if nearly_full && !self.seen_before(&key) {
            self.declined.fetch_add(1, Ordering::Relaxed);
            return;
        }
        c.insert(key, Arc::new(entry));
    }

    /// Hits, misses and bypasses so far.
    pub fn counters(&self) -> (u64, u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
            self.bypassed.load(Ordering::Relaxed),
        )
    }

    /// Answers not kept because the cache was nearly full and their key was new.
    pub fn declined(&self) -> u64 {
        self.declined.load(Ordering::Relaxed)
    }

    /// Runs moka's pending maintenance (entry counts and weights are exact afterwards).
    pub fn sync(&self) {
        if let Some(c) = &self.cache {
            c.run_pending_tasks();
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u32) -> Key {
        let mut b = KeyBuilder::new();
        b.field(&n.to_be_bytes());
        b.finish()
    }

    fn entry(now: i64) -> Entry {
        Entry::new(
            Bytes::from(vec![b'x'; 1000]),
            Counter::default(),
            now,
            now + 600,
        )
    }

    #[test]
    fn every_answer_is_kept_while_there_is_room_then_only_repeated_ones() {
        let now = 1_800_000_000;
        // 16 entries of ~1 KB at most.
        let c = ResultCache::new(16, 16 * 1160);
        for n in 0..8 {
            c.insert(key(n), entry(now), now);
        }
        c.sync();
        for n in 0..8 {
            assert!(
                c.get(&key(n), now).is_some(),
                "{n} kept while there is room"
            );
        }
        assert_eq!(c.declined(), 0);
        let mut declined = Vec::new();
        for n in 8..40 {
            let before = c.declined();
            c.insert(key(n), entry(now), now);
            c.sync();
            if c.declined() > before {
                declined.push(n);
            }
        }
        assert!(
            !declined.is_empty(),
            "new chains are declined once nearly full"
        );
        assert!(c.bytes() <= 16 * 1160);
        for n in &declined {
            assert!(c.get(&key(*n), now).is_none());
        }
        // A chain declined once is admitted when it comes again (the last one: its slot in
        // the doorkeeper was not taken by another since).
        let before = c.declined();
        c.insert(key(*declined.last().unwrap()), entry(now), now);
        c.sync();
        assert_eq!(c.declined(), before, "the second offer is admitted");
        // (moka may still refuse it for a hotter entry; it was offered, not declined here.)
        // Expired answers are never kept.
        c.insert(key(1000), entry(now - 700), now);
        assert!(c.get(&key(1000), now).is_none());
    }

    #[test]
    fn a_disabled_cache_keeps_nothing() {
        let now = 1_800_000_000;
        let c = ResultCache::new(0, 1 << 20);
        c.insert(key(1), entry(now), now);
        assert!(c.get(&key(1), now).is_none());
        assert_eq!(c.declined(), 0);
    }
}
