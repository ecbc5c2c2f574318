//! Per-client rate limiting of the validation endpoints (`limits.rate_per_client`): a token
//! bucket per client address, refilled at the configured rate up to the burst. A request
//! that finds the bucket empty is answered at once with 429 `RATE_LIMITED` and a
//! `Retry-After` of the seconds until a token is back; nothing else is done for it.
//!
//! The buckets live in a bounded cache (the least recently used clients are forgotten, which
//! only ever gives a client a full bucket again), so that many addresses cannot exhaust
//! memory. Clients are told apart by the connection's peer address: behind a proxy that is
//! the proxy's, so set the limit there instead, or leave it off (the default).

use moka::sync::Cache;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How many client addresses are remembered.
const CLIENTS: u64 = 65_536;

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The limiter: off when `rate` is 0.
#[derive(Clone)]
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Option<Cache<IpAddr, Arc<Mutex<Bucket>>>>,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("rate", &self.rate)
            .field("burst", &self.burst)
            .finish()
    }
}

impl RateLimiter {
    /// At most `rate` requests a second per client on average, `burst` at once (at least 1).
    /// `rate` 0 turns the limiter off.
    pub fn new(rate: u32, burst: u32) -> Self {
        RateLimiter {
            rate: f64::from(rate),
            burst: f64::from(burst.max(1)),
            buckets: (rate > 0).then(|| {
                Cache::builder()
                    .max_capacity(CLIENTS)
                    .time_to_idle(Duration::from_secs(600))
                    .build()
            }),
        }
    }

    /// Takes a token for `client` at `now`: `Ok` when there was one, else the whole seconds
    /// until there will be (at least 1).
    pub fn take(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        let Some(buckets) = &self.buckets else {
            return Ok(());
        };
        let bucket = buckets.get_with(client, || {
            Arc::new(Mutex::new(Bucket {
                tokens: self.burst,
                at: now,
            }))
        });
        let mut b = match bucket.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
        b.tokens = (b.tokens + elapsed * self.rate).min(self.burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - b.tokens) / self.rate;
            Err((wait.ceil() as u64).max(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_refill_per_client() {
        let l = RateLimiter::new(2, 3);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let t = Instant::now();
        for _ in 0..3 {
            assert_eq!(l.take(a, t), Ok(()));
        }
        assert_eq!(l.take(a, t), Err(1));
        // Another client has its own bucket.
        assert_eq!(l.take(b, t), Ok(()));
        // Half a second gives one token back at 2 a second.
        assert_eq!(l.take(a, t + Duration::from_millis(500)), Ok(()));
        assert_eq!(l.take(a, t + Duration::from_millis(500)), Err(1));
        // Never more than the burst, however long the wait.
        let later = t + Duration::from_secs(3600);
        for _ in 0..3 {
            assert_eq!(l.take(a, later), Ok(()));
        }
        assert!(l.take(a, later).is_err());
    }

    #[test]
    fn off_when_the_rate_is_zero() {
        let l = RateLimiter::new(0, 0);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let t = Instant::now();
        for _ in 0..1000 {
            assert_eq!(l.take(a, t), Ok(()));
        }
    }

    #[test]
    fn slow_rates_wait_whole_seconds() {
        let l = RateLimiter::new(1, 1);
        let a: IpAddr = "2001:db8::1".parse().unwrap();
        let t = Instant::now();
        assert_eq!(l.take(a, t), Ok(()));
        assert_eq!(l.take(a, t), Err(1));
        assert_eq!(l.take(a, t + Duration::from_millis(999)), Err(1));
        assert_eq!(l.take(a, t + Duration::from_millis(1999)), Ok(()));
    }
}
