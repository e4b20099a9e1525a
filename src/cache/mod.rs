//! Key-value cache with per-entry TTL: Redis when configured, else in-process.
//!
//! Callers use logical keys from seed 001 (`user:{id}:profile`, ...); the Redis adapter
//! adds the configured prefix. The cache is an optimisation: a failing cache is logged
//! and read around, never turned into a failed request.

mod memory;
mod redis;
mod sessions;

use std::time::Duration;

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
    async fn delete(&self, key: &str) -> anyhow::Result<()>;
    async fn ping(&self) -> anyhow::Result<()>;
}

/// Reads and decodes a cached JSON value; a miss, a cache error or a stale shape all
/// answer `None` (the caller then reads the store). Counts hits and misses.
pub async fn get_json<T: DeserializeOwned>(cache: &dyn Cache, key: &str) -> Option<T> {
    let value = match cache.get(key).await {
        Ok(Some(bytes)) => serde_json::from_slice(&bytes).ok(),
        Ok(None) => None,
        Err(e) => {
            tracing::warn!(error = %e, key, "cache read failed");
            None
        }
    };
    let result = if value.is_some() { "hit" } else { "miss" };
    metrics::counter!("cache_requests_total", "backend" => cache.kind(), "result" => result)
        .increment(1);
    value
}

/// Stores a JSON value; failures are logged and ignored.
pub async fn set_json<T: Serialize>(cache: &dyn Cache, key: &str, value: &T, ttl: Duration) {
    let bytes = match serde_json::to_vec(value) {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::warn!(error = %e, key, "cache value not serialisable");
            return;
        }
    };
    if let Err(e) = cache.set(key, bytes, ttl).await {
        tracing::warn!(error = %e, key, "cache write failed");
    }
}

/// Removes a key after a write; failures are logged (the TTL bounds any staleness).
pub async fn invalidate(cache: &dyn Cache, key: &str) {
    if let Err(e) = cache.delete(key).await {
        tracing::warn!(error = %e, key, "cache invalidation failed");
    }
}
