//! Where conversation snapshots live between turns, processes and nodes.
//!
//! A snapshot is written compare-and-set on its version, so two nodes that both think
//! they own a session can never overwrite each other: the stale one fails and stops.
//! Ownership is a lease (`session:{id}:owner`) the newest node takes; while another
//! node holds it, a save fails even at the right version.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use async_trait::async_trait;
use dashmap::DashMap;
use redis::Script;
use redis::aio::ConnectionManager;
use uuid::Uuid;

use crate::batch::Batcher;

/// Every this many writes, the in-process store forgets expired sessions.
const SWEEP_EVERY: u64 = 1_000;

#[async_trait]
pub trait SessionStore: Send + Sync + 'static {
    /// The snapshot of a session and its version, if it has not expired.
    async fn load(&self, id: Uuid) -> anyhow::Result<Option<(u64, Arc<[u8]>)>>;
    /// Stores `data` as version `expected + 1` if the stored version is still
    /// `expected` (0 when there is none yet) and no other owner holds a live lease, and
    /// renews `owner`'s lease; false when someone else wrote first or took the session.
    async fn save(
        &self,
        id: Uuid,
        expected: u64,
        data: Vec<u8>,
        ttl: Duration,
        owner: &str,
    ) -> anyhow::Result<bool>;
    /// Makes `node` the owner of the session and returns the previous owner.
    async fn take_ownership(
        &self,
        id: Uuid,
        node: &str,
        ttl: Duration,
    ) -> anyhow::Result<Option<String>>;
}

struct Stored {
    version: u64,
    data: Arc<[u8]>,
    expires: Instant,
}

/// Snapshots of one process.
#[derive(Default)]
pub struct MemorySessionStore {
    snapshots: DashMap<Uuid, Stored>,
    owners: DashMap<Uuid, (String, Instant)>,
    writes: AtomicU64,
}

impl MemorySessionStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn sweep(&self, now: Instant) {
        self.snapshots.retain(|_, s| s.expires > now);
        self.owners.retain(|_, (_, expires)| *expires > now);
    }
}

#[async_trait]
impl SessionStore for MemorySessionStore {
    async fn load(&self, id: Uuid) -> anyhow::Result<Option<(u64, Arc<[u8]>)>> {
        let now = Instant::now();
        Ok(self
            .snapshots
            .get(&id)
            .filter(|s| s.expires > now)
            .map(|s| (s.version, s.data.clone())))
    }

    async fn save(
        &self,
        id: Uuid,
        expected: u64,
        data: Vec<u8>,
        ttl: Duration,
        owner: &str,
    ) -> anyhow::Result<bool> {
        let now = Instant::now();
        if self.writes.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.sweep(now);
        }
        let mut entry = self.snapshots.entry(id).or_insert_with(|| Stored {
            version: 0,
            data: Arc::from(Vec::new()),
            expires: now,
        });
        let current = if entry.expires > now || entry.version == 0 {
            entry.version
        } else {
            0
        };
        let taken = self
            .owners
            .get(&id)
            .is_some_and(|held| held.0 != owner && held.1 > now);
        if current != expected || taken {
            return Ok(false);
        }
        *entry = Stored {
            version: expected + 1,
            data: Arc::from(data),
            expires: now + ttl,
        };
        drop(entry);
        self.owners.insert(id, (owner.to_owned(), now + ttl));
        Ok(true)
    }

    async fn take_ownership(
        &self,
        id: Uuid,
        node: &str,
        ttl: Duration,
    ) -> anyhow::Result<Option<String>> {
        let now = Instant::now();
        let previous = self
            .owners
            .insert(id, (node.to_owned(), now + ttl))
            .filter(|(_, expires)| *expires > now)
            .map(|(owner, _)| owner);
        Ok(previous)
    }
}

/// Compare-and-set of a snapshot hash `{v, d}` by the session's owner (or anyone when
/// no lease is live), renewing the lease with it; returns 1 when written.
const SAVE_SCRIPT: &str = r#"
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current ~= tonumber(ARGV[1]) then
  return 0
end
local owner = redis.call('GET', KEYS[2])
if owner and owner ~= ARGV[4] then
  return 0
end
redis.call('HSET', KEYS[1], 'v', tostring(current + 1), 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[3])
return 1
"#;

/// Saves sent in one pipeline, at most.
const MAX_BATCH: usize = 512;
/// Pipelines in flight at once; while they are, new saves gather into the next batch.
const PIPELINES_IN_FLIGHT: usize = 4;

/// One save waiting for the writer.
struct Write {
    key: String,
    expected: u64,
    data: Vec<u8>,
    ttl_ms: u64,
    owner: Arc<str>,
}

/// Snapshots shared by every node on one Redis. Saves of many sessions are batched:
/// each caller still waits for its own compare-and-set, but the writes travel
/// together in one pipeline instead of one round trip each. (One session never has two
/// saves queued, since its actor waits for each, so batches may finish in any order.)
pub struct RedisSessionStore {
    redis: ConnectionManager,
    prefix: String,
    writes: Batcher<Write, anyhow::Result<bool>>,
}

impl RedisSessionStore {
    /// Starts the batch writer (on the current tokio runtime).
    pub fn new(redis: ConnectionManager, prefix: String) -> Self {
        let script = Arc::new(Script::new(SAVE_SCRIPT));
        let writer = redis.clone();
        let writes = Batcher::start(
            "session_snapshots",
            MAX_BATCH,
            PIPELINES_IN_FLIGHT,
            move |batch| {
                let (mut redis, script) = (writer.clone(), script.clone());
                async move { save_batch(&mut redis, &script, &batch).await }
            },
        );
        Self {
            redis,
            prefix,
            writes,
        }
    }

    fn key(&self, id: Uuid) -> String {
        format!("{}session:{id}", self.prefix)
    }
}

/// Runs the batch's compare-and-sets in one pipeline (loading the script first, so a
/// restarted Redis never answers `NOSCRIPT`); one result per save.
async fn save_batch(
    redis: &mut ConnectionManager,
    script: &Script,
    batch: &[Write],
) -> Vec<anyhow::Result<bool>> {
    let invocations: Vec<_> = batch
        .iter()
        .map(|w| {
            let mut invocation = script.key(&w.key);
            invocation
                .key(format!("{}:owner", w.key))
                .arg(w.expected)
                .arg(&w.data)
                .arg(w.ttl_ms)
                .arg(&*w.owner);
            invocation
        })
        .collect();
    let mut pipe = redis::pipe();
    pipe.load_script(script).ignore();
    for invocation in &invocations {
        pipe.invoke_script(invocation);
    }
    match pipe.query_async::<Vec<i64>>(redis).await {
        Ok(written) if written.len() == batch.len() => {
            written.into_iter().map(|w| Ok(w == 1)).collect()
        }
        Ok(written) => batch
            .iter()
            .map(|_| {
                Err(anyhow::anyhow!(
                    "redis answered {} results for {} session saves",
                    written.len(),
                    batch.len()
                ))
            })
            .collect(),
        Err(e) => {
            let message = e.to_string();
            batch
                .iter()
                .map(|_| Err(anyhow::anyhow!("redis session compare-and-set: {message}")))
                .collect()
        }
    }
}

fn millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}

#[async_trait]
impl SessionStore for RedisSessionStore {
    async fn load(&self, id: Uuid) -> anyhow::Result<Option<(u64, Arc<[u8]>)>> {
        let mut redis = self.redis.clone();
        let (version, data): (Option<u64>, Option<Vec<u8>>) = redis::cmd("HMGET")
            .arg(self.key(id))
            .arg("v")
            .arg("d")
            .query_async(&mut redis)
            .await
            .context("redis HMGET session")?;
        Ok(version.zip(data).map(|(v, d)| (v, Arc::from(d))))
    }

    async fn save(
        &self,
        id: Uuid,
        expected: u64,
        data: Vec<u8>,
        ttl: Duration,
        owner: &str,
    ) -> anyhow::Result<bool> {
        let write = Write {
            key: self.key(id),
            expected,
            data,
            ttl_ms: millis(ttl),
            owner: Arc::from(owner),
        };
        self.writes
            .submit(write)
            .await
            .unwrap_or_else(|| Err(anyhow::anyhow!("the session writer has stopped")))
    }

    async fn take_ownership(
        &self,
        id: Uuid,
        node: &str,
        ttl: Duration,
    ) -> anyhow::Result<Option<String>> {
        let mut redis = self.redis.clone();
        redis::cmd("SET")
            .arg(format!("{}:owner", self.key(id)))
            .arg(node)
            .arg("GET")
            .arg("PX")
            .arg(millis(ttl))
            .query_async(&mut redis)
            .await
            .context("redis session owner")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TTL: Duration = Duration::from_secs(60);

    /// The in-process store, and the Redis one when `WAQUP_TEST_REDIS_URL` is set.
    async fn stores() -> Vec<Arc<dyn SessionStore>> {
        let mut stores: Vec<Arc<dyn SessionStore>> = vec![Arc::new(MemorySessionStore::new())];
        match std::env::var("WAQUP_TEST_REDIS_URL") {
            Ok(url) if !url.is_empty() => {
                let client = redis::Client::open(url).unwrap();
                let manager = ConnectionManager::new(client).await.unwrap();
                let prefix = format!("test:{}:", Uuid::new_v4().simple());
                stores.push(Arc::new(RedisSessionStore::new(manager, prefix)));
            }
            _ => assert!(
                !std::env::var("WAQUP_TEST_REQUIRE_SERVICES")
                    .is_ok_and(|v| v == "1" || v == "true"),
                "WAQUP_TEST_REQUIRE_SERVICES is set but WAQUP_TEST_REDIS_URL is not"
            ),
        }
        stores
    }

    #[tokio::test]
    async fn writes_are_compare_and_set_on_the_version() {
        for store in stores().await {
            let id = Uuid::now_v7();
            assert!(store.load(id).await.unwrap().is_none());
            assert!(store.save(id, 0, b"one".to_vec(), TTL, "a").await.unwrap());
            assert!(
                !store
                    .save(id, 0, b"stale".to_vec(), TTL, "a")
                    .await
                    .unwrap()
            );
            assert!(store.save(id, 1, b"two".to_vec(), TTL, "a").await.unwrap());
            let (version, data) = store.load(id).await.unwrap().unwrap();
            assert_eq!((version, &*data), (2, &b"two"[..]));
        }
    }

    #[tokio::test]
    async fn concurrent_saves_each_get_their_own_answer() {
        for store in stores().await {
            let ids: Vec<Uuid> = (0..300).map(|_| Uuid::now_v7()).collect();
            // Many sessions at once (one batch or a few on Redis), each with a fresh
            // save and a stale one: every caller hears its own outcome.
            let saves = ids.iter().flat_map(|id| {
                let store = store.clone();
                let id = *id;
                [0u64, 7].map(move |expected| {
                    let store = store.clone();
                    async move {
                        let data = format!("{id}:{expected}").into_bytes();
                        (
                            expected,
                            store.save(id, expected, data, TTL, "a").await.unwrap(),
                        )
                    }
                })
            });
            let outcomes = futures_util::future::join_all(saves).await;
            assert_eq!(outcomes.len(), 600);
            for (expected, written) in outcomes {
                assert_eq!(written, expected == 0);
            }
            for id in &ids {
                let (version, data) = store.load(*id).await.unwrap().unwrap();
                assert_eq!((version, &*data), (1, format!("{id}:0").as_bytes()));
            }
        }
    }

    #[tokio::test]
    async fn snapshots_expire() {
        for store in stores().await {
            let id = Uuid::now_v7();
            store
                .save(id, 0, b"x".to_vec(), Duration::from_millis(20), "a")
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_millis(40)).await;
            assert!(store.load(id).await.unwrap().is_none());
            // An expired session starts again from version 0, by anyone.
            assert!(store.save(id, 0, b"y".to_vec(), TTL, "b").await.unwrap());
        }
    }

    #[tokio::test]
    async fn ownership_moves_to_the_newest_node() {
        for store in stores().await {
            let id = Uuid::now_v7();
            assert_eq!(store.take_ownership(id, "a", TTL).await.unwrap(), None);
            // Saving renews the writer's lease.
            assert!(store.save(id, 0, b"x".to_vec(), TTL, "a").await.unwrap());
            assert_eq!(
                store.take_ownership(id, "b", TTL).await.unwrap().as_deref(),
                Some("a")
            );
            // The old owner cannot write even at the current version; the new one can.
            assert!(!store.save(id, 1, b"old".to_vec(), TTL, "a").await.unwrap());
            assert!(store.save(id, 1, b"new".to_vec(), TTL, "b").await.unwrap());
            let (version, data) = store.load(id).await.unwrap().unwrap();
            assert_eq!((version, &*data), (2, &b"new"[..]));
        }
    }
}
