use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use redis::AsyncCommands;
use redis::aio::ConnectionManager;

use super::Cache;

/// The shared cache of every node on one Redis.
pub struct RedisCache {
    redis: ConnectionManager,
    prefix: String,
}

impl RedisCache {
    pub fn new(redis: ConnectionManager, prefix: String) -> Self {
        Self { redis, prefix }
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

#[async_trait]
impl Cache for RedisCache {
    fn kind(&self) -> &'static str {
        "redis"
    }

    async fn get(&self, key: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let mut redis = self.redis.clone();
        redis.get(self.key(key)).await.context("redis GET")
    }

    async fn set(&self, key: &str, value: Vec<u8>, ttl: Duration) -> anyhow::Result<()> {
        let mut redis = self.redis.clone();
        redis
            .pset_ex::<_, _, ()>(self.key(key), value, millis(ttl))
            .await
            .context("redis PSETEX")
    }

    async fn set_if_absent(
        &self,
        key: &str,
        value: Vec<u8>,
        ttl: Duration,
    ) -> anyhow::Result<bool> {
        let mut redis = self.redis.clone();
        let stored: Option<String> = redis::cmd("SET")
            .arg(self.key(key))
            .arg(value)
            .arg("NX")
            .arg("PX")
            .arg(millis(ttl))
            .query_async(&mut redis)
            .await
            .context("redis SET NX")?;
        Ok(stored.is_some())
    }

    async fn delete(&self, key: &str) -> anyhow::Result<()> {
        let mut redis = self.redis.clone();
        redis.del::<_, ()>(self.key(key)).await.context("redis DEL")
    }

    async fn ping(&self) -> anyhow::Result<()> {
        let mut redis = self.redis.clone();
        redis::cmd("PING")
            .query_async::<String>(&mut redis)
            .await
            .context("redis PING")?;
        Ok(())
    }
}

/// A TTL in whole milliseconds, at least 1 (Redis refuses 0).
fn millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}
