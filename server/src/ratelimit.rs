//! Per-key rate limits over a sliding window: a request is allowed when fewer than
//! `limit` requests of the same key and bucket were allowed in the last `window`.
//! Rejected requests are not recorded, so waiting `Retry-After` always frees a slot.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Which limit a route counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    Render,
    Exports,
    /// The playground's previews: generous enough for typing, apart from renders.
    Preview,
}

/// The outcome of one check, with what the headers report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Unix seconds when the next slot frees.
    pub reset: u64,
    /// Whole seconds to wait before a retry succeeds (≥ 1), when refused.
    pub retry_after: u64,
}

impl Bucket {
    /// The bucket's name in the shared window's table.
    pub fn name(self) -> &'static str {
        match self {
            Bucket::Render => "render",
            Bucket::Exports => "exports",
            Bucket::Preview => "preview",
        }
    }
}

impl Decision {
    /// The decision a count in the shared window (PostgreSQL) stands for, in the
    /// database's clock.
    pub fn of_count(c: crate::store::RateCount, limit: u32, window_ms: i64) -> Decision {
        // The oldest counted request leaves the window first.
        let frees_in_ms = c
            .oldest_ms
            .map_or(0, |oldest| (oldest + window_ms - c.now_ms).max(0));
        let frees_in = frees_in_ms as f64 / 1000.0;
        Decision {
            allowed: c.allowed,
            limit,
            remaining: limit.saturating_sub(c.used),
            reset: ((c.now_ms as f64 / 1000.0) + frees_in).ceil() as u64,
            retry_after: (frees_in.ceil() as u64).max(1),
        }
    }
}

#[derive(Debug)]
pub struct RateLimiter {
    window: Duration,
    hits: Mutex<HashMap<(i64, Bucket), VecDeque<Instant>>>,
}

impl RateLimiter {
    pub fn new(window: Duration) -> RateLimiter {
        RateLimiter {
            window,
            hits: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request of `key` against `bucket` if there is room.
    pub fn check(&self, key: i64, bucket: Bucket, limit: u32) -> Decision {
        self.check_at(key, bucket, limit, Instant::now(), unix_now())
    }

    fn check_at(&self, key: i64, bucket: Bucket, limit: u32, now: Instant, unix: f64) -> Decision {
        let mut all = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        let hits = all.entry((key, bucket)).or_default();
        while hits
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            hits.pop_front();
        }
        let allowed = (hits.len() as u32) < limit;
        if allowed {
            hits.push_back(now);
        }
        let used = hits.len() as u32;
        // The oldest counted request leaves the window first.
        let frees_in = hits.front().map_or(Duration::ZERO, |t| {
            self.window.saturating_sub(now.duration_since(*t))
        });
        Decision {
            allowed,
            limit,
            remaining: limit.saturating_sub(used),
            reset: (unix + frees_in.as_secs_f64()).ceil() as u64,
            retry_after: (frees_in.as_secs_f64().ceil() as u64).max(1),
        }
    }

    /// Drops keys idle for a whole window (keeps memory bounded).
    pub fn prune(&self) {
        let now = Instant::now();
        let mut all = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        all.retain(|_, hits| {
            hits.back()
                .is_some_and(|t| now.duration_since(*t) < self.window)
        });
    }
}

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_slides_and_refusals_do_not_count() {
        let rl = RateLimiter::new(Duration::from_secs(60));
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        for i in 0..3 {
            let d = rl.check_at(1, Bucket::Render, 3, at(i * 10), 1000.0);
            assert!(d.allowed);
            assert_eq!(d.remaining, 2 - i as u32);
        }
        // Fourth within the window: refused until the first (t=0) leaves at t=60.
        let d = rl.check_at(1, Bucket::Render, 3, at(30), 1030.0);
        assert!(!d.allowed);
        assert_eq!(d.retry_after, 30);
        assert_eq!(d.reset, 1060);
        // Refusals were not counted: at t=60 one slot is free again.
        let d = rl.check_at(1, Bucket::Render, 3, at(60), 1060.0);
        assert!(d.allowed);
        assert_eq!(d.remaining, 0);
        // Other keys and buckets are separate.
        assert!(rl.check_at(2, Bucket::Render, 3, at(60), 1060.0).allowed);
        assert!(rl.check_at(1, Bucket::Exports, 3, at(60), 1060.0).allowed);
    }
}
