//! The conversation protocol: JSON frames on `/ws/conversation`, and the shapes the
//! REST mirror answers with.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::blob::{BlobKey, BlobStore};
use crate::domain::{ContentType, Depth};
use crate::state_machine::{Intent, RiskLevel, SlotName};
use crate::store::{ContentItem, ContentStatus};

/// Frames a client sends.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    Start {
        content_type: ContentType,
        intent: Option<Intent>,
        /// Make a new version of this item (the return loop).
        content_id: Option<Uuid>,
        #[serde(default)]
        speak: bool,
    },
    Resume {
        session_id: Uuid,
    },
    Message {
        session_id: Uuid,
        content: String,
    },
    Confirm {
        session_id: Uuid,
    },
    Edit {
        session_id: Uuid,
        slot: SlotName,
    },
    Cancel {
        session_id: Uuid,
    },
    Interrupt {
        session_id: Uuid,
    },
    Voice {
        session_id: Uuid,
        speak: bool,
    },
    AudioEnd {
        session_id: Uuid,
        format: String,
        /// The rate of raw `pcm16` audio (default 16000).
        #[serde(default)]
        sample_rate: Option<u32>,
    },
    Ping,
}

/// One line of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChatMessage {
    /// `user` or `assistant`.
    #[schema(example = "user")]
    pub role: String,
    pub content: String,
    pub at: DateTime<Utc>,
}

/// A crisis line or service shown with a `safety` frame.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Resource {
    pub name: &'static str,
    pub contact: &'static str,
    pub region: &'static str,
    pub available: &'static str,
}

/// Where to turn in a crisis. Shown with every safety hold.
pub const CRISIS_RESOURCES: &[Resource] = &[
    Resource {
        name: "Emergency services",
        contact: "Call 112 (Europe) or 911 (US and Canada), or your local emergency number",
        region: "worldwide",
        available: "24/7",
    },
    Resource {
        name: "988 Suicide & Crisis Lifeline",
        contact: "Call or text 988",
        region: "United States",
        available: "24/7",
    },
    Resource {
        name: "Samaritans",
        contact: "Call 116 123",
        region: "United Kingdom and Ireland",
        available: "24/7",
    },
    Resource {
        name: "Find a Helpline",
        contact: "https://findahelpline.com",
        region: "worldwide",
        available: "directory of free, confidential helplines",
    },
];

/// A generated item as clients see it (also `GET /api/v1/content/{id}`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContentView {
    pub id: Uuid,
    pub content_type: ContentType,
    pub status: ContentStatus,
    pub title: Option<String>,
    pub content_text: Option<String>,
    pub depth: Option<Depth>,
    /// Length in seconds (estimated from the script until the audio exists).
    pub duration: Option<i64>,
    pub tags: Vec<String>,
    pub version: i64,
    pub parent_id: Option<Uuid>,
    /// A playback URL signed for this answer; it expires at `audio_url_expires_at`.
    pub audio_url: Option<String>,
    pub audio_url_expires_at: Option<DateTime<Utc>>,
    /// Seconds of audio.
    pub audio_duration: Option<i64>,
    /// `mp3` or `ogg`.
    pub audio_format: Option<String>,
    /// The catalogue voice that reads it.
    pub voice_id: Option<String>,
    #[schema(value_type = Object)]
    pub structure: Value,
    /// What it was made from.
    #[schema(value_type = Object)]
    pub context: Value,
    /// `audio`: the provider, and whether a voice was available (`voice_available`).
    #[schema(value_type = Object)]
    pub metadata: Value,
    /// The library folder it is filed in.
    pub folder: Option<String>,
    /// Plays so far (replay is free).
    pub play_count: i64,
    pub last_played_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ContentView {
    /// The view of `item` with a fresh playback URL for its audio, valid for `ttl`. A URL
    /// that cannot be signed is left out (and logged); the rest of the item still shows.
    pub async fn signed(
        item: ContentItem,
        blobs: &dyn BlobStore,
        ttl: std::time::Duration,
    ) -> ContentView {
        let key = item.audio_url.as_deref().map(BlobKey::parse);
        let mut view = ContentView::from(item);
        match key {
            None => {}
            Some(Err(e)) => {
                tracing::error!(content_id = %view.id, error = %e, "stored audio key is invalid")
            }
            Some(Ok(key)) => match blobs.playback_url(&key, ttl).await {
                Ok(url) => {
                    view.audio_url = Some(url);
                    view.audio_url_expires_at = Some(
                        crate::time::now() + chrono::Duration::from_std(ttl).unwrap_or_default(),
                    );
                }
                Err(e) => {
                    tracing::error!(content_id = %view.id, error = %e, "signing a playback URL failed")
                }
            },
        }
        view
    }
}

/// The item without a playback URL (see [`ContentView::signed`]).
impl From<ContentItem> for ContentView {
    fn from(item: ContentItem) -> Self {
        ContentView {
            id: item.id,
            content_type: item.content_type,
            status: item.status,
            title: item.title,
            content_text: item.content_text,
            depth: item.depth,
            duration: item.audio_duration.or(item.duration_seconds),
            tags: item.tags,
            version: item.version,
            parent_id: item.parent_id,
            audio_url: None,
            audio_url_expires_at: None,
            audio_duration: item.audio_duration,
            audio_format: item.audio_format,
            voice_id: item.voice_id,
            structure: item.structure,
            context: item.context,
            metadata: item.metadata,
            folder: item.folder,
            play_count: item.play_count,
            last_played_at: item.last_played_at,
            created_at: item.created_at,
            updated_at: item.updated_at,
        }
    }
}

/// Frames the server sends.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    Started {
        session_id: Uuid,
        content_type: ContentType,
        state: &'static str,
    },
    Resumed {
        session_id: Uuid,
        content_type: ContentType,
        state: &'static str,
        context: Value,
        #[serde(skip_serializing_if = "Option::is_none")]
        content_id: Option<Uuid>,
        messages: Vec<ChatMessage>,
    },
    /// What was heard in an utterance, before it is answered as a message.
    Transcript {
        session_id: Uuid,
        text: String,
    },
    ResponseDelta {
        session_id: Uuid,
        delta: String,
    },
    /// One spoken sentence of a reply follows as binary frames: a whole `format` file
    /// (`mp3` or `ogg`), closed by `reply_audio_end` with the same `seq`.
    ReplyAudio {
        session_id: Uuid,
        format: &'static str,
        sample_rate: u32,
        /// Counts the clips of a session from 1.
        seq: u64,
        /// The sentence it says (a caption).
        text: String,
    },
    ReplyAudioEnd {
        session_id: Uuid,
        seq: u64,
    },
    Response {
        session_id: Uuid,
        content: String,
        state: &'static str,
        context: Value,
        /// The reply was cut short by `interrupt`; `content` is what was said.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        interrupted: bool,
    },
    StateChanged {
        session_id: Uuid,
        from: &'static str,
        to: &'static str,
    },
    GenerationStarted {
        session_id: Uuid,
        content_id: Uuid,
        /// Seconds until it should be ready.
        estimated_time: u32,
    },
    GenerationProgress {
        session_id: Uuid,
        stage: String,
        percent: u8,
    },
    GenerationComplete {
        session_id: Uuid,
        content: Box<ContentView>,
    },
    GenerationFailed {
        session_id: Uuid,
        code: String,
        message: String,
        refunded: bool,
    },
    Safety {
        session_id: Uuid,
        level: RiskLevel,
        resources: &'static [Resource],
    },
    /// To connected admins: a crisis alert was raised.
    CrisisAlert {
        alert: Value,
    },
    Error {
        code: &'static str,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        session_id: Option<Uuid>,
    },
    Pong,
}

impl ServerFrame {
    pub fn error(code: &'static str, message: impl Into<String>, session_id: Option<Uuid>) -> Self {
        ServerFrame::Error {
            code,
            message: message.into(),
            session_id,
        }
    }
}

/// Stable codes of conversation errors (frames and REST).
pub mod code {
    pub const INVALID_FRAME: &str = "INVALID_FRAME";
    pub const SESSION_EXPIRED: &str = "SESSION_EXPIRED";
    pub const SESSION_NOT_FOUND: &str = "SESSION_NOT_FOUND";
    pub const SESSION_MISMATCH: &str = "SESSION_MISMATCH";
    pub const SESSION_LIMIT: &str = "SESSION_LIMIT";
    pub const SESSION_MOVED: &str = "SESSION_MOVED";
    pub const SESSION_BUSY: &str = "SESSION_BUSY";
    pub const NO_SESSION: &str = "NO_SESSION";
    pub const MESSAGE_TOO_LONG: &str = "MESSAGE_TOO_LONG";
    pub const INSUFFICIENT_CREDITS: &str = "INSUFFICIENT_CREDITS";
    pub const STT_NOT_CONFIGURED: &str = "STT_NOT_CONFIGURED";
    pub const STT_FAILED: &str = "STT_FAILED";
    pub const AUDIO_EMPTY: &str = "AUDIO_EMPTY";
    pub const AUDIO_TOO_LARGE: &str = "AUDIO_TOO_LARGE";
    pub const INVALID_AUDIO: &str = "INVALID_AUDIO";
    pub const VOICE_UNAVAILABLE: &str = "VOICE_UNAVAILABLE";
    pub const REPLY_AUDIO_FAILED: &str = "REPLY_AUDIO_FAILED";
    pub const GENERATION_FAILED: &str = "GENERATION_FAILED";
    pub const RATE_LIMITED: &str = "RATE_LIMITED";
    pub const INTERNAL_ERROR: &str = "INTERNAL_ERROR";
}
