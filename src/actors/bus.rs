//! Events between nodes: session evictions, generation progress for a session that
//! lives elsewhere, crisis alerts for admins. In-process by default; Redis pub/sub when
//! configured, so every node sees every event (its own included).

use std::time::Duration;

use anyhow::Context;
use futures_util::StreamExt;
use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::broadcast;
use uuid::Uuid;

/// Events a slow subscriber may fall behind by before it starts missing some.
const BUS_CAPACITY: usize = 4096;
/// Wait before resubscribing after the Redis connection dropped.
const RESUBSCRIBE_DELAY: Duration = Duration::from_secs(1);

/// How a generation is going, for the session that asked for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GenerationEvent {
    Progress {
        stage: String,
        percent: u8,
    },
    Succeeded {
        content_id: Uuid,
    },
    Failed {
        code: String,
        message: String,
        refunded: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BusMessage {
    /// `owner` now holds the session, at snapshot `version`: any other node whose actor
    /// is older drops it.
    Evict {
        session_id: Uuid,
        owner: String,
        version: u64,
    },
    Generation {
        session_id: Uuid,
        event: GenerationEvent,
    },
    CrisisAlert {
        alert: Value,
    },
    /// The account was suspended or deleted: every node closes its sockets and stops its
    /// conversations.
    AccountBlocked {
        user_id: Uuid,
    },
}

#[derive(Clone)]
pub struct Bus {
    local: broadcast::Sender<BusMessage>,
    redis: Option<(ConnectionManager, String)>,
}

impl Bus {
    /// A bus for this process only.
    pub fn in_process() -> Bus {
        Bus {
            local: broadcast::channel(BUS_CAPACITY).0,
            redis: None,
        }
    }

    /// A bus over Redis pub/sub on channel `{prefix}bus`.
    pub fn redis(client: redis::Client, manager: ConnectionManager, prefix: &str) -> Bus {
        let channel = format!("{prefix}bus");
        let local = broadcast::channel(BUS_CAPACITY).0;
        actix_web::rt::spawn(relay(client, channel.clone(), local.clone()));
        Bus {
            local,
            redis: Some((manager, channel)),
        }
    }

    pub async fn publish(&self, message: BusMessage) {
        match &self.redis {
            None => {
                let _ = self.local.send(message);
            }
            Some((manager, channel)) => {
                let result: anyhow::Result<()> = async {
                    let payload = serde_json::to_string(&message).context("encode bus message")?;
                    let mut redis = manager.clone();
                    redis::cmd("PUBLISH")
                        .arg(channel)
                        .arg(payload)
                        .query_async::<i64>(&mut redis)
                        .await
                        .context("redis PUBLISH")?;
                    Ok(())
                }
                .await;
                if let Err(e) = result {
                    tracing::warn!(error = %e, "bus publish failed");
                }
            }
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<BusMessage> {
        self.local.subscribe()
    }
}

/// Copies Redis messages onto the local channel, resubscribing when the link drops.
async fn relay(client: redis::Client, channel: String, local: broadcast::Sender<BusMessage>) {
    loop {
        match subscribe(&client, &channel).await {
            Ok(mut pubsub) => {
                let mut messages = pubsub.on_message();
                while let Some(message) = messages.next().await {
                    let Ok(payload) = message.get_payload::<String>() else {
                        continue;
                    };
                    match serde_json::from_str::<BusMessage>(&payload) {
                        Ok(event) => {
                            let _ = local.send(event);
                        }
                        Err(e) => tracing::warn!(error = %e, "unreadable bus message"),
                    }
                }
                tracing::warn!("bus subscription ended; resubscribing");
            }
            Err(e) => tracing::warn!(error = %e, "bus subscription failed; retrying"),
        }
        tokio::time::sleep(RESUBSCRIBE_DELAY).await;
    }
}

async fn subscribe(client: &redis::Client, channel: &str) -> anyhow::Result<redis::aio::PubSub> {
    let mut pubsub = client
        .get_async_pubsub()
        .await
        .context("redis pub/sub connection")?;
    pubsub.subscribe(channel).await.context("redis SUBSCRIBE")?;
    Ok(pubsub)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn in_process_subscribers_see_published_messages() {
        let bus = Bus::in_process();
        let mut rx = bus.subscribe();
        let message = BusMessage::Evict {
            session_id: Uuid::now_v7(),
            owner: "node-b".into(),
            version: 3,
        };
        bus.publish(message.clone()).await;
        assert_eq!(rx.recv().await.unwrap(), message);
    }
}
