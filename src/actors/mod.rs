//! The actors of the conversation engine.
//!
//! - [`SessionRegistry`]: which sessions live on this node; starts, rehydrates and
//!   evicts [`SessionActor`]s; routes bus events to them; fans crisis alerts out to
//!   connected admins.
//! - [`SessionActor`]: one conversation: the dialogue machine, its log, its socket.
//! - [`CreditActor`]: credit holds for confirmed generations.
//! - [`JobRunner`]: claims generation jobs (new ones, and those whose node died) and
//!   runs each in a [`ContentGenActor`].

pub mod bus;
mod content_gen;
mod credits;
mod jobs;
pub mod protocol;
mod registry;
mod session;

use std::future::Future;
use std::sync::Arc;

use actix::{Actor, Addr};

pub use bus::{Bus, BusMessage, GenerationEvent};
pub use content_gen::ContentGenActor;
pub use credits::{CreditActor, Reserve};
pub use jobs::{JobRunner, RunJob};
pub use registry::{Create, Open, Peek, SessionRegistry, SocketJoin, SocketLeave};
pub use session::{
    Attach, Backlog, ClientCommand, Command, Detach, Outbound, SessionActor, SessionError,
    SessionView, SocketLink, SpeechPart, TurnReply, View,
};

use crate::batch::Batcher;
use crate::blob::BlobStore;
use crate::cache::SessionStore;
use crate::config::Costs;
use crate::conversation::{Speaker, Understanding, Voice};
use crate::generation::ContentWriter;
use crate::generation::narration::Narrator;
use crate::store::{ConversationRecord, Repository, StoreError};

/// What the actors share: the parts the engine was built from (reached through
/// `Deref`) and the shared actors.
pub struct Deps {
    parts: EngineParts,
    pub credits: Addr<CreditActor>,
    pub jobs: Addr<JobRunner>,
    /// Writes finished conversations to the store, many to a transaction.
    pub archive: Batcher<ConversationRecord, Result<(), String>>,
}

/// Finished conversations written in one transaction, at most.
const ARCHIVE_BATCH: usize = 256;

/// The writer of finished conversations: each caller waits for its own row, and the
/// rows of many sessions share a transaction (one writer is all SQLite has).
fn archive(store: Arc<dyn Repository>) -> Batcher<ConversationRecord, Result<(), String>> {
    Batcher::start("conversations", ARCHIVE_BATCH, 2, move |records| {
        let store = store.clone();
        async move {
            let count = records.len();
            match store.save_conversations(records).await {
                Ok(()) => vec![Ok(()); count],
                Err(e) => vec![Err(format!("{e:#}")); count],
            }
        }
    })
}

impl std::ops::Deref for Deps {
    type Target = EngineParts;

    fn deref(&self) -> &EngineParts {
        &self.parts
    }
}

/// Runs an actor's I/O as a tokio task. What it holds (database connections) is then
/// dropped inside the runtime even if the actor system stops first, and a panic in it
/// stays in the task: the actor gets [`Panicked`] back and its arbiter's other actors
/// live on.
pub async fn offload<F>(work: F) -> Result<F::Output, Panicked>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    joined(tokio::spawn(work)).await
}

/// Waits for a spawned task as [`offload`] does (for callers that keep its handle).
pub async fn joined<T>(task: tokio::task::JoinHandle<T>) -> Result<T, Panicked> {
    match task.await {
        Ok(output) => Ok(output),
        Err(e) if e.is_panic() => {
            let payload = e.into_panic();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            tracing::error!(panic = %message, "an actor task panicked");
            metrics::counter!("actor_task_panics_total").increment(1);
            Err(Panicked(message))
        }
        // Cancelled: aborted, or the runtime is shutting down; nothing waits for it.
        Err(_) => std::future::pending().await,
    }
}

/// [`offload`] for work that returns a `Result`: a panic becomes its error.
pub async fn offload_try<F, T, E>(work: F) -> Result<T, E>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: From<Panicked> + Send + 'static,
{
    offload(work).await?
}

/// An offloaded task panicked; the panic's message.
#[derive(Debug, thiserror::Error)]
#[error("a background task panicked: {0}")]
pub struct Panicked(String);

impl From<Panicked> for StoreError {
    fn from(e: Panicked) -> Self {
        StoreError::Other(e.into())
    }
}

/// Handles to the running actors.
#[derive(Clone)]
pub struct Engine {
    pub registry: Addr<SessionRegistry>,
    pub deps: Arc<Deps>,
}

/// What the engine is built from.
pub struct EngineParts {
    pub store: Arc<dyn Repository>,
    pub sessions: Arc<dyn SessionStore>,
    pub bus: Bus,
    pub understanding: Understanding,
    pub voice: Voice,
    pub writer: ContentWriter,
    /// Speaks scripts into audio files.
    pub narrator: Narrator,
    /// Voices replies, sentence by sentence, for sessions that asked for it.
    pub speaker: Speaker,
    /// Where audio files are kept.
    pub blobs: Arc<dyn BlobStore>,
    /// How long a signed playback URL stays valid.
    pub media_url_ttl: std::time::Duration,
    pub costs: Costs,
    pub node_id: String,
    pub max_sessions_per_user: usize,
    /// How long a job stays ours without renewal.
    pub job_lease: std::time::Duration,
    /// How long an untouched conversation lives.
    pub session_ttl: std::time::Duration,
    /// Whether this node runs generation jobs.
    pub run_jobs: bool,
    /// Generation jobs this node runs at once; more wait in the store, queued.
    pub max_running_jobs: usize,
}

impl Engine {
    /// Starts the actors on the current actix system.
    pub fn start(parts: EngineParts) -> Engine {
        let credits = CreditActor::new(parts.store.clone()).start();
        let jobs = JobRunner::create(|_| JobRunner::new());
        let deps = Arc::new(Deps {
            archive: archive(parts.store.clone()),
            parts,
            credits,
            jobs: jobs.clone(),
        });
        jobs.do_send(jobs::Begin { deps: deps.clone() });
        let registry = SessionRegistry::new(deps.clone()).start();
        Engine { registry, deps }
    }

    /// Closes every socket and stops every conversation of the account, on every node
    /// (after a suspension or a deletion).
    pub async fn block_account(&self, user_id: uuid::Uuid) {
        self.deps
            .parts
            .bus
            .publish(bus::BusMessage::AccountBlocked { user_id })
            .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn offloaded_panics_come_back_as_errors() {
        let panicked = offload(async { panic!("boom {}", 7) }).await;
        assert_eq!(
            panicked.unwrap_err().to_string(),
            "a background task panicked: boom 7"
        );
        assert_eq!(offload(async { 5 }).await.unwrap(), 5);
        let as_store: Result<(), StoreError> =
            offload_try(async { panic!("static message") }).await;
        assert!(
            matches!(as_store, Err(StoreError::Other(e)) if e.to_string().contains("static message"))
        );
    }
}
