//! Key-value cache with per-entry TTL: Redis when configured, else in-process.
//!
//! Callers use logical keys from seed 001 (`user:{id}:profile`, ...); the Redis adapter
//! adds the configured prefix. The cache is an optimisation: a failing cache is logged
//! and read around, never turned into a failed request.

pub mod keys;
mod memory;
mod redis;
mod sessions;

use std::time::{Duration, Instant};

use async_trait::async_trait;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use self::memory::MemoryCache;
pub use self::redis::RedisCache;
pub use self::sessions::{MemorySessionStore, RedisSessionStore, SessionStore};

#[async_trait]
pub trait Cache: Send + Sync + 'static {
    /// `memory` or `redis`, for logs and `/readyz`.
    fn kind(&self) -> &'static str;
    async fn get(&self, key: &str) -> anyhow::Result<Option<Vec<u8>>>;
    async fn set(&self, key: &str, value: Vec<u8>, ttl: Duration) -> anyhow::Result<()>;
    /// Stores the value only when the key holds nothing; true when it was stored.
    async fn set_if_absent(&self, key: &str, value: Vec<u8>, ttl: Duration)
    -> anyhow::Result<bool>;
    async fn delete(&self, key: &str) -> anyhow::Result<()>;
    async fn ping(&self) -> anyhow::Result<()>;
}

/// How long the fence an invalidation leaves in place of a value stands.
///
/// Cache-aside has a race: a reader loads the old row, a writer commits and removes the
/// key, then the reader stores the old row, stale until its TTL. Here a write leaves a
/// fence instead of removing the key, and readers only ever fill an empty key
/// ([`Cache::set_if_absent`]) and only when their load began less than `FENCE` ago.
/// A reader that loaded before the commit started before the fence was set, so it
/// either meets the fence or gives up filling: what a read after a write returns is
/// never older than the write.
pub const FENCE: Duration = Duration::from_secs(10);
/// A reader whose load took longer than this does not fill (margin for clock rates).
const FILL_DEADLINE: Duration = Duration::from_secs(8);
/// The fence's value: not JSON, so no reader can mistake it for a value.
const FENCE_MARK: &[u8] = b"\0fence";

/// The answer of [`lookup`]: the cached value, or a ticket to fill the key after loading.
pub enum Lookup<T> {
    Hit(T),
    Miss(Ticket),
}

/// Permission to fill one key after a miss, valid for a load that began at the lookup.
pub struct Ticket {
    key: String,
    started: Instant,
    /// The key holds a fence: filling would fail, so it is not tried.
    fenced: bool,
}

/// Reads a cached JSON value. A miss, a fence, a cache error or a stale shape all miss
/// (the caller loads from the store, then may [`fill`]). Counts hits and misses per
/// `keyspace` (`content`, `profile`, ...) for `/metrics`.
pub async fn lookup<T: DeserializeOwned>(
    cache: &dyn Cache,
    keyspace: &'static str,
    key: &str,
) -> Lookup<T> {
    let started = Instant::now();
    let mut fenced = false;
    let value = match cache.get(key).await {
        Ok(Some(bytes)) if bytes == FENCE_MARK => {
            fenced = true;
            None
        }
        Ok(Some(bytes)) => serde_json::from_slice(&bytes).ok(),
        Ok(None) => None,
        Err(e) => {
            tracing::warn!(error = %e, key, "cache read failed");
            None
        }
    };
    let result = if value.is_some() { "hit" } else { "miss" };
    metrics::counter!(
        "cache_requests_total",
        "backend" => cache.kind(),
        "keyspace" => keyspace,
        "result" => result
    )
    .increment(1);
    match value {
        Some(value) => Lookup::Hit(value),
        None => Lookup::Miss(Ticket {
            key: key.to_owned(),
            started,
            fenced,
        }),
    }
}

/// Stores what was loaded after a miss, unless a write fenced the key meanwhile or the
/// load took too long (see [`FENCE`]). Failures are logged and ignored.
pub async fn fill<T: Serialize>(cache: &dyn Cache, ticket: Ticket, value: &T, ttl: Duration) {
    if ticket.fenced || ticket.started.elapsed() >= FILL_DEADLINE {
        return;
    }
    let bytes = match serde_json::to_vec(value) {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::warn!(error = %e, key = ticket.key, "cache value not serialisable");
            return;
        }
    };
    if let Err(e) = cache.set_if_absent(&ticket.key, bytes, ttl).await {
        tracing::warn!(error = %e, key = ticket.key, "cache write failed");
    }
}

/// Fences a key after a committed write (see [`FENCE`]); failures are logged.
pub async fn invalidate(cache: &dyn Cache, key: &str) {
    if let Err(e) = cache.set(key, FENCE_MARK.to_vec(), FENCE).await {
        tracing::warn!(error = %e, key, "cache invalidation failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read(cache: &MemoryCache, key: &str) -> Lookup<String> {
        lookup::<String>(cache, "test", key).await
    }

    #[tokio::test]
    async fn a_fill_after_a_write_is_refused() {
        let cache = MemoryCache::new();
        // A reader misses and loads the old value...
        let Lookup::Miss(slow) = read(&cache, "k").await else {
            panic!("empty cache hit")
        };
        // ...a writer commits and fences the key...
        invalidate(&cache, "k").await;
        // ...the slow reader's fill of the old value does not land.
        fill(&cache, slow, &"old".to_owned(), Duration::from_secs(60)).await;
        let Lookup::Miss(fenced) = read(&cache, "k").await else {
            panic!("a fenced key hit")
        };
        // A reader that meets the fence does not fill either: the fence stands.
        fill(&cache, fenced, &"new".to_owned(), Duration::from_secs(60)).await;
        assert!(matches!(read(&cache, "k").await, Lookup::Miss(_)));
    }

    #[tokio::test]
    async fn a_miss_is_filled_once_and_then_hits() {
        let cache = MemoryCache::new();
        let Lookup::Miss(ticket) = read(&cache, "k").await else {
            panic!("empty cache hit")
        };
        fill(&cache, ticket, &"v1".to_owned(), Duration::from_secs(60)).await;
        match read(&cache, "k").await {
            Lookup::Hit(v) => assert_eq!(v, "v1"),
            Lookup::Miss(_) => panic!("filled key missed"),
        }
        // A second reader that missed earlier cannot overwrite the stored value.
        let late = Ticket {
            key: "k".into(),
            started: Instant::now(),
            fenced: false,
        };
        fill(&cache, late, &"v0".to_owned(), Duration::from_secs(60)).await;
        assert!(matches!(read(&cache, "k").await, Lookup::Hit(v) if v == "v1"));
    }

    #[tokio::test]
    async fn a_slow_load_does_not_fill() {
        let cache = MemoryCache::new();
        let slow = Ticket {
            key: "k".into(),
            started: Instant::now() - FILL_DEADLINE,
            fenced: false,
        };
        fill(&cache, slow, &"v".to_owned(), Duration::from_secs(60)).await;
        assert!(matches!(read(&cache, "k").await, Lookup::Miss(_)));
    }
}
