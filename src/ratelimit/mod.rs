//! Request rate limits: the generic cell rate algorithm (GCRA), per key.
//!
//! The algorithm is the pure [`Gcra::check`]; [`MemoryLimiter`] keeps each key's state
//! in this process, [`RedisLimiter`] runs the same arithmetic in a Redis script so every
//! node sharing the Redis draws from one budget.

mod memory;
mod redis;

use std::time::Duration;

use async_trait::async_trait;

pub use self::memory::MemoryLimiter;
pub use self::redis::RedisLimiter;

const MICROS_PER_MINUTE: u64 = 60_000_000;

/// The verdict for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    /// Requests that could still be made right now.
    pub remaining: u64,
    /// When refused: how long until one request is allowed again.
    pub retry_after: Duration,
}

/// A limit of `per_minute` requests per minute, all of which may be used at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gcra {
    /// Microseconds one request "costs" (the emission interval).
    emission: u64,
    /// Microseconds of credit a key may hold: the whole minute's budget.
    tolerance: u64,
}

impl Gcra {
    pub fn per_minute(per_minute: u32) -> Gcra {
        let per_minute = u64::from(per_minute.max(1));
        let emission = (MICROS_PER_MINUTE / per_minute).max(1);
        Gcra {
            emission,
            tolerance: emission * per_minute,
        }
    }

    pub fn emission_micros(&self) -> u64 {
        self.emission
    }

    pub fn tolerance_micros(&self) -> u64 {
        self.tolerance
    }

    /// Decides a request at `now` given the key's theoretical arrival time (`tat`), and
    /// returns the new `tat` to store when the request is allowed.
    pub fn check(&self, tat: Option<u64>, now: u64) -> (Decision, Option<u64>) {
        let tat = tat.unwrap_or(now).max(now);
        let new_tat = tat + self.emission;
        let allow_at = new_tat.saturating_sub(self.tolerance);
        if now < allow_at {
            let decision = Decision {
                allowed: false,
                remaining: 0,
                retry_after: Duration::from_micros(allow_at - now),
            };
            return (decision, None);
        }
        let decision = Decision {
            allowed: true,
            remaining: (self.tolerance - (new_tat - now)) / self.emission,
            retry_after: Duration::ZERO,
        };
        (decision, Some(new_tat))
    }
}

/// Where the state of the keys lives.
#[async_trait]
pub trait RateLimiter: Send + Sync + 'static {
    async fn check(&self, key: &str) -> anyhow::Result<Decision>;
    fn limit_per_minute(&self) -> u32;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `n` requests at `now` and returns how many were allowed.
    fn burst(gcra: &Gcra, tat: &mut Option<u64>, now: u64, n: usize) -> usize {
        (0..n)
            .filter(|_| {
                let (decision, next) = gcra.check(*tat, now);
                if next.is_some() {
                    *tat = next;
                }
                decision.allowed
            })
            .count()
    }

    #[test]
    fn the_whole_budget_is_available_at_once() {
        let gcra = Gcra::per_minute(10);
        let mut tat = None;
        assert_eq!(burst(&gcra, &mut tat, 0, 25), 10);
    }

    #[test]
    fn remaining_counts_down() {
        let gcra = Gcra::per_minute(3);
        let mut tat = None;
        let remaining: Vec<u64> = (0..3)
            .map(|_| {
                let (d, next) = gcra.check(tat, 1_000);
                tat = next;
                d.remaining
            })
            .collect();
        assert_eq!(remaining, vec![2, 1, 0]);
    }

    #[test]
    fn refused_requests_learn_when_to_retry() {
        let gcra = Gcra::per_minute(60);
        let mut tat = None;
        burst(&gcra, &mut tat, 0, 60);
        let (decision, next) = gcra.check(tat, 0);
        assert!(!decision.allowed);
        assert_eq!(next, None);
        assert_eq!(decision.retry_after, Duration::from_secs(1));
        // One emission interval later exactly one more request fits.
        assert_eq!(burst(&gcra, &mut tat, 1_000_000, 3), 1);
    }

    #[test]
    fn budget_refills_over_a_minute() {
        let gcra = Gcra::per_minute(10);
        let mut tat = None;
        burst(&gcra, &mut tat, 0, 10);
        assert_eq!(burst(&gcra, &mut tat, 30_000_000, 20), 5);
        assert_eq!(burst(&gcra, &mut tat, 120_000_000, 20), 10);
    }

    #[test]
    fn huge_limits_do_not_divide_by_zero() {
        let gcra = Gcra::per_minute(u32::MAX);
        assert_eq!(gcra.emission_micros(), 1);
        let (decision, _) = gcra.check(None, 5);
        assert!(decision.allowed);
    }
}
