use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use async_trait::async_trait;
use dashmap::DashMap;

use super::{Decision, Gcra, RateLimiter};

/// Every this many checks, keys whose budget is full again are forgotten.
const SWEEP_EVERY: u64 = 10_000;

/// Per-key GCRA state in this process.
pub struct MemoryLimiter {
    gcra: Gcra,
    per_minute: u32,
    started: Instant,
    tats: DashMap<String, u64>,
    checks: AtomicU64,
}

impl MemoryLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self {
            gcra: Gcra::per_minute(per_minute),
            per_minute,
            started: Instant::now(),
            tats: DashMap::new(),
            checks: AtomicU64::new(0),
        }
    }

    fn now_micros(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX)
    }

    pub fn tracked_keys(&self) -> usize {
        self.tats.len()
    }
}

#[async_trait]
impl RateLimiter for MemoryLimiter {
    async fn check(&self, key: &str) -> anyhow::Result<Decision> {
        let now = self.now_micros();
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.tats.retain(|_, tat| *tat > now);
        }
        // The shard stays locked from read to write, so concurrent requests of one key
        // never overwrite each other's spending.
        let mut tat = self.tats.entry(key.to_owned()).or_insert(now);
        let (decision, next) = self.gcra.check(Some(*tat), now);
        if let Some(next) = next {
            *tat = next;
        }
        Ok(decision)
    }

    fn limit_per_minute(&self) -> u32 {
        self.per_minute
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn keys_have_separate_budgets() {
        let limiter = MemoryLimiter::new(2);
        for _ in 0..2 {
            assert!(limiter.check("a").await.unwrap().allowed);
        }
        assert!(!limiter.check("a").await.unwrap().allowed);
        assert!(limiter.check("b").await.unwrap().allowed);
        assert_eq!(limiter.tracked_keys(), 2);
    }
}
