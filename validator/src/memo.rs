//! The signature-verification memo: a (key, message, signature) triple that verified once is
//! not verified again. Intermediates are shared by many leaves, so a new leaf under a known
//! intermediate costs one signature verification instead of one per certificate.
//!
//! Entries are keyed by SHA-256 over the issuer key's digest and a digest of the signature
//! algorithm, signed message and signature (collision-resistant: a memo hit must never stand
//! in for a signature that was not checked). Both digests are computed once per parsed
//! certificate, so a lookup for a kept intermediate hashes 64 bytes.
//! Only successes are remembered. Memory is bounded: at most `capacity` entries of 32 bytes,
//! evicted oldest first.

use sha2::{Digest, Sha256};
use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

/// A bounded, thread-safe memo of verified signatures.
#[derive(Debug)]
pub struct SignatureMemo {
    capacity: usize,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    set: HashSet<[u8; 32]>,
    order: VecDeque<[u8; 32]>,
    hits: u64,
    misses: u64,
}

/// Counters of a memo.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoStats {
    /// Lookups answered from the memo.
    pub hits: u64,
    /// Lookups that had to verify.
    pub misses: u64,
    /// Entries held.
    pub entries: usize,
}

impl SignatureMemo {
    /// A memo holding at most `capacity` verified triples (0 disables it).
    pub fn new(capacity: usize) -> Self {
        SignatureMemo {
            capacity,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// Whether the memo remembers anything (capacity above 0).
    pub fn enabled(&self) -> bool {
        self.capacity > 0
    }

    /// The key under which a triple is remembered.
    pub fn key(parts: &[&[u8]]) -> [u8; 32] {
        let mut h = Sha256::new();
        for p in parts {
            h.update((p.len() as u64).to_be_bytes());
            h.update(p);
        }
        h.finalize().into()
    }

    /// Whether the triple with this key verified before.
    pub fn contains(&self, key: &[u8; 32]) -> bool {
        if self.capacity == 0 {
            return false;
        }
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let hit = g.set.contains(key);
        if hit {
            g.hits += 1;
        } else {
            g.misses += 1;
        }
        hit
    }

    /// Remembers a triple that verified.
    pub fn insert(&self, key: [u8; 32]) {
        if self.capacity == 0 {
            return;
        }
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if g.set.insert(key) {
            g.order.push_back(key);
            while g.order.len() > self.capacity {
                if let Some(old) = g.order.pop_front() {
                    g.set.remove(&old);
                }
            }
        }
    }

    /// Hit and miss counters and the number of entries.
    pub fn stats(&self) -> MemoStats {
        let g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        MemoStats {
            hits: g.hits,
            misses: g.misses,
            entries: g.set.len(),
        }
    }
}

impl Default for SignatureMemo {
    /// 65,536 entries (2 MiB of keys).
    fn default() -> Self {
        SignatureMemo::new(65_536)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_and_exact() {
        let m = SignatureMemo::new(2);
        let a = SignatureMemo::key(&[b"k", b"m", b"s"]);
        let b = SignatureMemo::key(&[b"k", b"ms", b""]);
        assert_ne!(
            a, b,
            "length-prefixed parts cannot be shifted into each other"
        );
        m.insert(a);
        m.insert(b);
        m.insert(SignatureMemo::key(&[b"c"]));
        assert!(!m.contains(&a), "oldest entry evicted");
        assert!(m.contains(&b));
        assert_eq!(m.stats().entries, 2);
    }
}
