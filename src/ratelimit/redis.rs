use anyhow::Context;
use async_trait::async_trait;
use redis::Script;
use redis::aio::ConnectionManager;

use super::{Decision, Gcra, RateLimiter};

/// [`Gcra::check`] in Lua, on Redis's own clock so nodes with skewed clocks agree.
/// Returns `{allowed, remaining, retry_after_micros}`.
const GCRA_SCRIPT: &str = r#"
local emission = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + emission
local allow_at = new_tat - tolerance
if now < allow_at then
  return {0, 0, allow_at - now}
end
local ttl_ms = math.max(1, math.ceil((new_tat - now) / 1000))
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', ttl_ms)
return {1, math.floor((tolerance - (new_tat - now)) / emission), 0}
"#;

/// Per-key GCRA state in Redis, shared by every node.
pub struct RedisLimiter {
    gcra: Gcra,
    per_minute: u32,
    redis: ConnectionManager,
    prefix: String,
    script: Script,
}

impl RedisLimiter {
    pub fn new(per_minute: u32, redis: ConnectionManager, prefix: String) -> Self {
        Self {
            gcra: Gcra::per_minute(per_minute),
            per_minute,
            redis,
            prefix,
            script: Script::new(GCRA_SCRIPT),
        }
    }
}

#[async_trait]
impl RateLimiter for RedisLimiter {
    async fn check(&self, key: &str) -> anyhow::Result<Decision> {
        let mut redis = self.redis.clone();
        let (allowed, remaining, retry_after): (i64, i64, i64) = self
            .script
            .key(format!("{}ratelimit:{key}", self.prefix))
            .arg(self.gcra.emission_micros())
            .arg(self.gcra.tolerance_micros())
            .invoke_async(&mut redis)
            .await
            .context("redis rate-limit script")?;
        Ok(Decision {
            allowed: allowed == 1,
            remaining: u64::try_from(remaining).unwrap_or(0),
            retry_after: std::time::Duration::from_micros(u64::try_from(retry_after).unwrap_or(0)),
        })
    }

    fn limit_per_minute(&self) -> u32 {
        self.per_minute
    }
}
