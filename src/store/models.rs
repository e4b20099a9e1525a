//! Records as the store hands them out, and the inputs that create them.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde_json::Value;
use uuid::Uuid;

use crate::domain::{
    ContentType, Credits, Depth, Email, LedgerType, PreferenceChanges, Preferences, Role,
    UserStatus,
};

/// An account.
#[derive(Debug, Clone)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    /// argon2id PHC string; redacted in `Debug`.
    pub password_hash: SecretString,
    pub role: Role,
    pub status: UserStatus,
    pub display_name: Option<String>,
    pub preferences: Preferences,
    pub credit_balance: Credits,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug)]
pub struct NewUser {
    pub id: Uuid,
    pub email: Email,
    pub password_hash: String,
    pub role: Role,
    pub display_name: Option<String>,
    pub preferences: Preferences,
    /// Credits the account starts with, recorded as one `grant` ledger row.
    pub initial_credits: Credits,
    pub now: DateTime<Utc>,
}

/// Changes to a profile; `None` keeps a field as it is.
#[derive(Debug, Default)]
pub struct ProfileUpdate {
    /// `Some(None)` clears the display name.
    pub display_name: Option<Option<String>>,
    /// Merged into the stored preferences inside the update's transaction.
    pub preferences: PreferenceChanges,
    pub now: DateTime<Utc>,
}

/// A refresh token about to be stored. Only the SHA-256 of the opaque token is kept.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub id: Uuid,
    pub token_hash: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The outcome of presenting a refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// The token was fresh; the replacement now stands in its family.
    Rotated { user_id: Uuid },
    /// No token has this hash.
    Unknown,
    /// Past its expiry; nothing changed.
    Expired,
    /// Already used or revoked: the whole family is now revoked.
    Reused { user_id: Uuid },
    /// The owner is suspended; nothing changed.
    Suspended { user_id: Uuid },
}

#[derive(Debug, Clone)]
pub struct LedgerEntry {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: LedgerType,
    pub amount: Credits,
    pub balance_after: Credits,
    pub content_item_id: Option<Uuid>,
    pub content_type: Option<String>,
    /// Free-form context: `pack_id`, `reason`, ...
    pub metadata: Value,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewLedgerEntry {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: LedgerType,
    pub amount: Credits,
    pub content_item_id: Option<Uuid>,
    pub content_type: Option<String>,
    pub metadata: Value,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditSummary {
    pub balance: Credits,
    /// Set aside by generations in progress; available = balance - held.
    pub held: Credits,
    /// Whether any credit has been spent yet.
    pub has_consumed: bool,
    pub last_transaction_at: Option<DateTime<Utc>>,
}

/// Where an item is in its life.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ContentStatus {
    Generating,
    Ready,
    Failed,
}

impl ContentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ContentStatus::Generating => "generating",
            ContentStatus::Ready => "ready",
            ContentStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<ContentStatus> {
        match s {
            "generating" => Some(ContentStatus::Generating),
            "ready" => Some(ContentStatus::Ready),
            "failed" => Some(ContentStatus::Failed),
            _ => None,
        }
    }
}

/// A generated affirmation, guided meditation or ritual. (Serialisable for the cache.)
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ContentItem {
    pub id: Uuid,
    pub user_id: Uuid,
    pub content_type: ContentType,
    pub status: ContentStatus,
    pub title: Option<String>,
    pub content_text: Option<String>,
    pub structure: Value,
    /// The slots it was made from.
    pub context: Value,
    pub tags: Vec<String>,
    pub depth: Option<Depth>,
    pub duration_seconds: Option<i64>,
    pub version: i64,
    pub parent_id: Option<Uuid>,
    pub session_id: Option<Uuid>,
    pub cost: Credits,
    pub voice_id: Option<String>,
    /// The key of the audio object (playback URLs are signed from it per request).
    pub audio_url: Option<String>,
    /// Seconds, rounded.
    pub audio_duration: Option<i64>,
    /// `mp3` or `ogg`.
    pub audio_format: Option<String>,
    pub metadata: Value,
    /// The library folder the owner filed it in.
    pub folder: Option<String>,
    pub play_count: i64,
    pub last_played_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set when the owner deleted it (it is then gone from every route).
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A confirmed generation: the hold, the item and its job, created together.
#[derive(Debug, Clone)]
pub struct NewGeneration {
    pub user_id: Uuid,
    pub session_id: Option<Uuid>,
    /// One per confirmation: the same key finds the same reservation.
    pub hold_key: String,
    pub cost: Credits,
    pub content_type: ContentType,
    /// The slots, kept on the item.
    pub context: Value,
    /// The item this is a new version of.
    pub parent_id: Option<Uuid>,
    pub content_id: Uuid,
    pub hold_id: Uuid,
    pub job_id: Uuid,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerationIds {
    pub content_id: Uuid,
    pub job_id: Uuid,
}

/// The outcome of reserving credits for a generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    Created(GenerationIds),
    /// This confirmation was already reserved: nothing new was held.
    Existing(GenerationIds),
    /// Available credits (balance minus open holds) do not cover the cost.
    Insufficient {
        required: Credits,
        available: Credits,
    },
}

/// The stage a job runs next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStage {
    Text,
    Audio,
    Capture,
    Done,
}

impl JobStage {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStage::Text => "text",
            JobStage::Audio => "audio",
            JobStage::Capture => "capture",
            JobStage::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<JobStage> {
        match s {
            "text" => Some(JobStage::Text),
            "audio" => Some(JobStage::Audio),
            "capture" => Some(JobStage::Capture),
            "done" => Some(JobStage::Done),
            _ => None,
        }
    }
}

/// A generation job claimed by this node (its lease is ours until it expires).
#[derive(Debug, Clone)]
pub struct Job {
    pub id: Uuid,
    /// The claim's lease token: what every later step of this run presents.
    pub lease: String,
    pub content_id: Uuid,
    pub user_id: Uuid,
    pub session_id: Option<Uuid>,
    pub stage: JobStage,
    pub attempts: i64,
    pub content_type: ContentType,
    pub context: Value,
    pub parent_id: Option<Uuid>,
    pub cost: Credits,
}

/// The audio stage's result.
#[derive(Debug, Clone)]
pub struct GeneratedAudio {
    /// The object key the audio was stored under.
    pub key: String,
    pub seconds: f64,
    pub format: String,
    pub voice_id: String,
    /// Merged into the item's metadata under `audio`: provider, whether a voice spoke.
    pub details: Value,
}

/// The text stage's result.
#[derive(Debug, Clone)]
pub struct GeneratedText {
    pub title: String,
    pub text: String,
    pub structure: Value,
    pub tags: Vec<String>,
    pub depth: Depth,
    pub duration_seconds: i64,
}

/// The outcome of charging a finished job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish {
    /// The hold became a `consumption` ledger row; the item is ready.
    Charged { balance_after: Credits },
    /// Charged before (a resumed job): nothing changed.
    AlreadyCharged,
    /// Another node holds the job now.
    LeaseLost,
}

/// A conversation as kept when it ends.
#[derive(Debug, Clone)]
pub struct ConversationRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub content_type: ContentType,
    pub messages: Value,
    pub state: Value,
    pub final_state: String,
    pub resulting_content_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub completed_at: DateTime<Utc>,
}

/// A crisis alert as reviewers see it.
#[derive(Debug, Clone)]
pub struct CrisisAlert {
    pub id: Uuid,
    pub user_id: Uuid,
    pub session_id: Option<Uuid>,
    pub severity: String,
    pub trigger_type: String,
    pub signals: Vec<String>,
    pub context: Option<String>,
    /// `pending`, `reviewed`, `resolved` or `escalated`.
    pub status: String,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub resolution_notes: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewCrisisAlert {
    pub id: Uuid,
    pub user_id: Uuid,
    pub session_id: Option<Uuid>,
    /// `low`, `medium`, `high` or `critical`.
    pub severity: String,
    /// `suicide`, `self_harm`, `violence` or `distress`.
    pub trigger_type: String,
    pub signals: Vec<String>,
    /// The message that raised it, shortened.
    pub context: String,
    pub now: DateTime<Utc>,
}

/// The order of a library listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContentSort {
    /// Newest first.
    #[default]
    Recent,
    /// Most recently played first; never played last.
    LastPlayed,
    /// Most played first.
    MostPlayed,
    /// By title, A to Z.
    Title,
}

/// Filters of a library listing; every one present must hold.
#[derive(Debug, Clone, Default)]
pub struct ContentQuery {
    pub content_type: Option<ContentType>,
    pub depth: Option<Depth>,
    /// `None`: ready and generating items (failed ones only when asked for).
    pub status: Option<ContentStatus>,
    /// Items carrying every one of these tags.
    pub tags: Vec<String>,
    pub folder: Option<String>,
    /// Words the title contains, case-insensitively.
    pub title_contains: Option<String>,
    pub sort: ContentSort,
}

/// Changes to an item's title, tags or folder; `None` keeps a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ContentUpdate {
    pub title: Option<String>,
    pub tags: Option<Vec<String>>,
    /// `Some(None)` takes the item out of its folder.
    pub folder: Option<Option<String>>,
    pub now: DateTime<Utc>,
}

/// One play of an item, completed or not.
#[derive(Debug, Clone)]
pub struct PracticeEvent {
    pub id: Uuid,
    pub user_id: Uuid,
    pub content_id: Uuid,
    pub content_type: ContentType,
    /// The item's title when the event was read.
    pub content_title: Option<String>,
    pub started_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    /// Seconds practised, set on completion.
    pub duration_seconds: Option<i64>,
    /// The device and context the client reported.
    pub metadata: Value,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewPractice {
    pub id: Uuid,
    pub user_id: Uuid,
    pub content_id: Uuid,
    pub started_at: DateTime<Utc>,
    pub metadata: Value,
    pub now: DateTime<Utc>,
}

/// A play recorded, and the item's play count after it.
#[derive(Debug, Clone)]
pub struct PracticeStarted {
    pub event: PracticeEvent,
    pub play_count: i64,
}

#[derive(Debug, Clone)]
pub struct PracticeCompletion {
    pub event_id: Uuid,
    pub user_id: Uuid,
    pub content_id: Uuid,
    pub completed_at: DateTime<Utc>,
    /// Seconds practised; when absent, the time since the start, at most the item's length.
    pub duration_seconds: Option<i64>,
}

/// The outcome of completing a practice.
#[derive(Debug, Clone)]
pub enum Completion {
    Completed(PracticeEvent),
    /// Completed before: the first completion stands, nothing changed.
    AlreadyCompleted(PracticeEvent),
    /// `completed_at` is earlier than the play's start.
    BeforeStart {
        started_at: DateTime<Utc>,
    },
}

/// What the stats of a user are computed from.
#[derive(Debug, Clone)]
pub struct PracticeRecord {
    pub content_type: ContentType,
    pub completed_at: DateTime<Utc>,
    pub duration_seconds: i64,
}

/// A share link of an item.
#[derive(Debug, Clone)]
pub struct Share {
    pub id: Uuid,
    pub content_id: Uuid,
    pub user_id: Uuid,
    /// The secret part of the link.
    pub token: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NewShare {
    pub id: Uuid,
    pub content_id: Uuid,
    pub user_id: Uuid,
    pub token: String,
    pub now: DateTime<Utc>,
}
