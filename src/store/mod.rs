//! The relational store: one [`Repository`] trait, implemented for PostgreSQL and SQLite.
//!
//! The SQL both dialects agree on is written once in [`sql`] and runs on either backend
//! through sqlx; what differs (connection options, migrations, how a write transaction
//! starts) lives in [`postgres`] and [`sqlite`]. Every repository error is one of
//! [`StoreError`]'s three arms and is mapped to HTTP in one place.

mod market;
mod models;
mod postgres;
mod sql;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::config::{Config, StoreKind};
use crate::domain::{LedgerType, PageRequest, UserStatus};
use crate::error::ApiError;

pub use market::{
    AdminStore, AlertReview, AuditEntry, AuditQuery, Candidate, CatalogQuery, EventOutcome,
    MarketStore, NewPack, NewPurchase, NewReview, Pack, PackStats, PackUpdate, PaymentEffect,
    PaymentStore, Purchase, PurchaseKind, ReceivedEvent, Review, Reward, RewardTerms, UserQuery,
    conflict,
};
pub use models::{
    Completion, ContentItem, ContentQuery, ContentSort, ContentStatus, ContentUpdate,
    ConversationRecord, CreditSummary, CrisisAlert, Finish, GeneratedAudio, GeneratedText,
    GenerationIds, IssuedToken, Job, JobStage, LedgerEntry, NewCrisisAlert, NewGeneration,
    NewLedgerEntry, NewPractice, NewShare, NewUser, PracticeCompletion, PracticeEvent,
    PracticeRecord, PracticeStarted, ProfileUpdate, Reservation, Rotation, Share, User,
};
pub use sql::{Backend, NOT_READY, SqlStore};

/// What can go wrong in a repository call.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken; the text names what clashed.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(db.constraint().unwrap_or("unique").to_owned())
            }
            other => StoreError::Other(anyhow::Error::new(other).context("database query")),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found("resource"),
            StoreError::Conflict(what) => ApiError::new(
                actix_web::http::StatusCode::CONFLICT,
                crate::error::code::CONFLICT,
                format!("conflicts with an existing record ({what})"),
            ),
            StoreError::Other(e) => ApiError::unexpected(e),
        }
    }
}

/// Accounts and profiles.
#[async_trait]
pub trait UserStore {
    /// Creates the account and, when it starts with credits, their `grant` ledger row,
    /// in one transaction. `Conflict` when the email is taken.
    async fn create_user(&self, new: NewUser) -> StoreResult<User>;
    async fn user_by_id(&self, id: Uuid) -> StoreResult<Option<User>>;
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<User>>;
    /// Applies the changes; preferences are merged under the user's row lock, so two
    /// concurrent updates of different fields both land.
    async fn update_profile(&self, id: Uuid, update: ProfileUpdate) -> StoreResult<User>;
    /// Suspending also revokes every refresh token of the account, atomically.
    async fn set_user_status(
        &self,
        id: Uuid,
        status: UserStatus,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Replaces the password hash and revokes every refresh token, atomically.
    async fn set_password_hash(&self, id: Uuid, hash: &str, now: DateTime<Utc>) -> StoreResult<()>;
    /// In one transaction: removes the account's content, practice, share links,
    /// conversations, jobs, holds and sign-ins, and leaves an anonymous row (no email,
    /// password, name or preferences) that the credit ledger and crisis alerts still
    /// refer to. The account is then unknown to every other call. Returns the items it
    /// had and their audio object keys, for the caller to remove and forget.
    async fn delete_account(
        &self,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<(Uuid, Option<String>)>>;
}

/// Opaque refresh tokens, stored by hash and grouped in families (one per sign-in).
#[async_trait]
pub trait TokenStore {
    /// Stores the first token of a new family (a sign-in), and forgets the user's
    /// tokens that have expired.
    async fn insert_refresh_token(
        &self,
        user_id: Uuid,
        family_id: Uuid,
        token: &IssuedToken,
    ) -> StoreResult<()>;
    /// Exchanges the token with hash `presented` for `replacement` in the same family,
    /// atomically. A token that was already used or revoked revokes its whole family.
    async fn rotate_refresh_token(
        &self,
        presented: &str,
        replacement: &IssuedToken,
    ) -> StoreResult<Rotation>;
    /// Revokes the family of the token with this hash; false when no such token.
    async fn revoke_refresh_family(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
}

/// The credit ledger. The balance on the user row always equals the sum of the ledger.
#[async_trait]
pub trait CreditStore {
    async fn credit_summary(&self, user_id: Uuid) -> StoreResult<CreditSummary>;
    /// One page of the user's ledger, newest first, and the total number of rows.
    async fn list_ledger(
        &self,
        user_id: Uuid,
        kind: Option<LedgerType>,
        page: PageRequest,
    ) -> StoreResult<(Vec<LedgerEntry>, u64)>;
    /// Every row of the user's ledger, oldest first.
    async fn ledger_of_user(&self, user_id: Uuid) -> StoreResult<Vec<LedgerEntry>>;
    /// Appends a row and moves the balance, in one transaction. Refused (`Conflict`)
    /// when the balance would go below zero.
    async fn append_ledger(&self, entry: NewLedgerEntry) -> StoreResult<LedgerEntry>;
}

/// How many times a job is claimed before it is given up (failed, its hold released):
/// a job that keeps killing or stalling its node must not hold credits forever.
pub const MAX_JOB_CLAIMS: i64 = 5;

/// Credit holds, generated items and their durable jobs.
///
/// A job is run by whoever holds its lease; a job whose lease expired (its node died)
/// is claimed again and resumes at its recorded stage. The lease is named by `lease`,
/// a token the claimer makes unique per claim: every step checks it, so a run that lost
/// its lease (to another node, or to a later claim on the same node) cannot write over
/// the new one.
#[async_trait]
pub trait GenerationStore {
    /// In one transaction: checks available credits (balance minus open holds), holds
    /// the cost, creates the item (`generating`) and its job. The same `hold_key` again
    /// returns the first reservation.
    async fn reserve_generation(&self, new: NewGeneration) -> StoreResult<Reservation>;
    /// Takes the lease of one job if it is free (new, or its lease expired) and has been
    /// claimed fewer than [`MAX_JOB_CLAIMS`] times.
    async fn claim_job(
        &self,
        job_id: Uuid,
        lease: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> StoreResult<Option<Job>>;
    /// Takes the leases of up to `limit` free jobs, oldest first (`FOR UPDATE SKIP LOCKED`
    /// on PostgreSQL, so nodes never claim the same job).
    async fn claim_free_jobs(
        &self,
        lease: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<Job>>;
    async fn renew_lease(
        &self,
        job_id: Uuid,
        lease: &str,
        lease_until: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Stores the text and moves the job to its audio stage; false if the lease is lost.
    async fn save_generated_text(
        &self,
        job_id: Uuid,
        lease: &str,
        text: GeneratedText,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Stores where the audio is and moves the job to its capture stage; false if the
    /// lease is lost.
    async fn save_generated_audio(
        &self,
        job_id: Uuid,
        lease: &str,
        audio: GeneratedAudio,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// In one transaction: the hold becomes a `consumption` ledger row, the item `ready`.
    async fn finish_job(
        &self,
        job_id: Uuid,
        lease: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Finish>;
    /// In one transaction: the hold is released, the item `failed`; false if the lease is lost.
    async fn fail_job(
        &self,
        job_id: Uuid,
        lease: &str,
        error: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Fails the jobs whose lease expired after their last allowed claim, then releases
    /// every open hold no pending or running job will capture and fails its item.
    /// Returns how many holds were released.
    async fn settle_abandoned_jobs(&self, now: DateTime<Utc>) -> StoreResult<u64>;
    async fn content_item(&self, id: Uuid, user_id: Uuid) -> StoreResult<Option<ContentItem>>;
}

/// Finished conversations and the crisis alerts raised in them.
#[async_trait]
pub trait ConversationStore {
    /// Keeps finished conversations, in one transaction (one row per session; saving
    /// a session again replaces its row).
    async fn save_conversations(&self, records: Vec<ConversationRecord>) -> StoreResult<()>;
    async fn insert_crisis_alert(&self, alert: NewCrisisAlert) -> StoreResult<()>;
    /// The user's finished conversations, newest first.
    async fn conversations_of_user(&self, user_id: Uuid) -> StoreResult<Vec<ConversationRecord>>;
    /// The alerts raised in a user's conversations, newest first.
    async fn crisis_alerts_of_user(&self, user_id: Uuid) -> StoreResult<Vec<CrisisAlert>>;
}

/// The library: listing, editing and deleting items; practice events; share links.
///
/// Every call names the owner; another user's item is `NotFound`. Writes on an item
/// still being generated are `Conflict(NOT_READY)`.
#[async_trait]
pub trait LibraryStore {
    /// One page of the user's items (deleted ones never), and how many match in all.
    async fn list_content(
        &self,
        user_id: Uuid,
        query: &ContentQuery,
        page: PageRequest,
    ) -> StoreResult<(Vec<ContentItem>, u64)>;
    /// The user's folders and how many listed items each holds, by name.
    async fn content_folders(&self, user_id: Uuid) -> StoreResult<Vec<(String, u64)>>;
    /// Whether the item is the user's, deleted or not.
    async fn owns_content(&self, id: Uuid, user_id: Uuid) -> StoreResult<bool>;
    /// Every item of the user, deleted ones included, oldest first (for an export).
    async fn content_of_user(&self, user_id: Uuid) -> StoreResult<Vec<ContentItem>>;
    async fn update_content(
        &self,
        id: Uuid,
        user_id: Uuid,
        update: ContentUpdate,
    ) -> StoreResult<ContentItem>;
    /// Marks the item deleted and revokes its share link, in one transaction. Returns
    /// its audio object key: the caller removes the object, then [`Self::forget_audio`].
    async fn delete_content(
        &self,
        id: Uuid,
        user_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<String>>;
    /// Records that a deleted item's audio object is gone.
    async fn forget_audio(&self, id: Uuid, key: &str) -> StoreResult<()>;
    /// Deleted items whose audio object still has to be removed, oldest first.
    async fn deleted_audio(&self, limit: i64) -> StoreResult<Vec<(Uuid, String)>>;
    /// In one transaction: records a play of a ready item, adds one to its play count
    /// and moves its `last_played_at` forward.
    async fn start_practice(&self, new: NewPractice) -> StoreResult<PracticeStarted>;
    /// Completes a play of this user and item, once: `NotFound` when the event is not
    /// theirs or not of this item.
    async fn complete_practice(&self, done: PracticeCompletion) -> StoreResult<Completion>;
    /// One page of the user's practice events, newest first, optionally of one item.
    async fn practice_history(
        &self,
        user_id: Uuid,
        content_id: Option<Uuid>,
        page: PageRequest,
    ) -> StoreResult<(Vec<PracticeEvent>, u64)>;
    /// Every practice event of the user, oldest first (for an export).
    async fn practice_of_user(&self, user_id: Uuid) -> StoreResult<Vec<PracticeEvent>>;
    /// The completed practices of the user, and how many plays there were in all.
    async fn practice_records(&self, user_id: Uuid) -> StoreResult<(Vec<PracticeRecord>, u64)>;
    async fn active_share(&self, content_id: Uuid, user_id: Uuid) -> StoreResult<Option<Share>>;
    /// Creates the item's share link, or returns the one already active (`false`).
    async fn create_share(&self, new: NewShare) -> StoreResult<(Share, bool)>;
    /// Revokes the item's active link; false when it had none.
    async fn revoke_share(
        &self,
        content_id: Uuid,
        user_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// The ready, undeleted item an active link points at.
    async fn shared_content(&self, token: &str) -> StoreResult<Option<(Share, ContentItem)>>;
    async fn shares_of_user(&self, user_id: Uuid) -> StoreResult<Vec<Share>>;
}

/// Everything the application needs from its relational store.
#[async_trait]
pub trait Repository:
    UserStore
    + TokenStore
    + CreditStore
    + GenerationStore
    + ConversationStore
    + LibraryStore
    + MarketStore
    + PaymentStore
    + AdminStore
    + Send
    + Sync
    + 'static
{
    fn kind(&self) -> StoreKind;
    /// Applies the backend's pending migrations (`migrations/postgres` or `migrations/sqlite`).
    async fn migrate(&self) -> StoreResult<()>;
    /// Answers when the database answers a trivial query.
    async fn ping(&self) -> StoreResult<()>;
    /// Closes the pools, waiting for connections in use.
    async fn close(&self);
}

/// Connects to the store the configuration names (without migrating it).
pub async fn connect(config: &Config) -> anyhow::Result<Arc<dyn Repository>> {
    let url = &config.database_url;
    let store: Arc<dyn Repository> = match url.kind() {
        StoreKind::Postgres => {
            Arc::new(postgres::connect(url.expose(), config.db_max_connections).await?)
        }
        StoreKind::Sqlite => {
            Arc::new(sqlite::connect(url.expose(), config.db_max_connections).await?)
        }
    };
    Ok(store)
}
