//! The JSON text frames of `/ws/conversation`, as a client writes and reads them (see
//! `docs/protocol.md`). Only the fields this client uses are read; unknown frame types
//! are kept as [`ServerFrame::Other`] so that a newer server does not break it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::ContentType;
use crate::state_machine::SlotName;

/// Frames the client sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// A new conversation.
    Start { content_type: ContentType },
    /// What the person says.
    Message { session_id: Uuid, content: String },
    /// Create the item from the summary (a plain "yes" does the same).
    Confirm { session_id: Uuid },
    /// Change one detail.
    Edit { session_id: Uuid, slot: SlotName },
    /// End the conversation without an item.
    Cancel { session_id: Uuid },
}

/// Frames the server sends.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// The conversation exists; its id goes in every later frame.
    Started { session_id: Uuid, state: String },
    /// A piece of a reply, as the guide writes it.
    ResponseDelta { delta: String },
    /// The whole reply of a turn (already shown piece by piece if deltas came).
    Response {
        content: String,
        /// The dialogue state after the turn.
        state: String,
        #[serde(default)]
        interrupted: bool,
    },
    /// The dialogue moved on.
    StateChanged { from: String, to: String },
    /// Credits are held and the item is being made.
    GenerationStarted {
        content_id: Uuid,
        /// Seconds until it should be ready.
        estimated_time: u32,
    },
    /// `stage` is `text`, `audio`, `upload` or `capture`.
    GenerationProgress { stage: String, percent: u8 },
    /// The item is ready and charged.
    GenerationComplete { content: Item },
    /// The item could not be made; `refunded` says the hold was released.
    GenerationFailed {
        code: String,
        message: String,
        refunded: bool,
    },
    /// Crisis resources: shown with every safety hold and when distress is heard.
    Safety {
        level: String,
        resources: Vec<Resource>,
    },
    /// The last frame was not carried out; the socket stays open.
    Error { code: String, message: String },
    /// Anything else (`pong`, `resumed`, frames of newer servers).
    #[serde(other)]
    Other,
}

/// A generated item (the fields this client reads of `GET /api/v1/content/{id}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Item {
    pub id: Uuid,
    pub title: Option<String>,
    /// A signed playback URL, usually a path on the server; it expires.
    pub audio_url: Option<String>,
    /// `mp3` or `ogg`.
    pub audio_format: Option<String>,
    /// Seconds of audio.
    pub audio_duration: Option<i64>,
}

/// A crisis line or service.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Resource {
    pub name: String,
    pub contact: String,
    pub region: String,
    pub available: String,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::actors::protocol::{self, CRISIS_RESOURCES};
    use crate::state_machine::RiskLevel;

    #[test]
    fn the_server_reads_every_client_frame() {
        let session_id = Uuid::now_v7();
        let frames = [
            ClientFrame::Start {
                content_type: ContentType::GuidedMeditation,
            },
            ClientFrame::Message {
                session_id,
                content: "hello".into(),
            },
            ClientFrame::Confirm { session_id },
            ClientFrame::Edit {
                session_id,
                slot: SlotName::TimeOfDay,
            },
            ClientFrame::Cancel { session_id },
        ];
        for frame in frames {
            let text = serde_json::to_string(&frame).unwrap();
            let read: protocol::ClientFrame = serde_json::from_str(&text).expect(&text);
            let same = match (&frame, read) {
                (
                    ClientFrame::Start { content_type },
                    protocol::ClientFrame::Start {
                        content_type: read, ..
                    },
                ) => *content_type == read,
                (
                    ClientFrame::Message { content, .. },
                    protocol::ClientFrame::Message {
                        content: read,
                        session_id: id,
                    },
                ) => *content == read && id == session_id,
                (
                    ClientFrame::Confirm { .. },
                    protocol::ClientFrame::Confirm { session_id: id },
                ) => id == session_id,
                (
                    ClientFrame::Edit { slot, .. },
                    protocol::ClientFrame::Edit {
                        slot: read,
                        session_id: id,
                    },
                ) => *slot == read && id == session_id,
                (ClientFrame::Cancel { .. }, protocol::ClientFrame::Cancel { session_id: id }) => {
                    id == session_id
                }
                _ => false,
            };
            assert!(same, "{text}");
        }
    }

    #[test]
    fn the_servers_frames_read() {
        let session_id = Uuid::now_v7();
        let cases = [
            (
                protocol::ServerFrame::Started {
                    session_id,
                    content_type: ContentType::Ritual,
                    state: "Greeting",
                },
                ServerFrame::Started {
                    session_id,
                    state: "Greeting".into(),
                },
            ),
            (
                protocol::ServerFrame::Response {
                    session_id,
                    content: "Hello".into(),
                    state: "IntentDiscovery",
                    context: json!({"intent": null}),
                    interrupted: false,
                },
                ServerFrame::Response {
                    content: "Hello".into(),
                    state: "IntentDiscovery".into(),
                    interrupted: false,
                },
            ),
            (
                protocol::ServerFrame::StateChanged {
                    session_id,
                    from: "Confirmation",
                    to: "Generating",
                },
                ServerFrame::StateChanged {
                    from: "Confirmation".into(),
                    to: "Generating".into(),
                },
            ),
            (
                protocol::ServerFrame::GenerationProgress {
                    session_id,
                    stage: "audio".into(),
                    percent: 57,
                },
                ServerFrame::GenerationProgress {
                    stage: "audio".into(),
                    percent: 57,
                },
            ),
            (
                protocol::ServerFrame::error("RATE_LIMITED", "slow down", Some(session_id)),
                ServerFrame::Error {
                    code: "RATE_LIMITED".into(),
                    message: "slow down".into(),
                },
            ),
            (protocol::ServerFrame::Pong, ServerFrame::Other),
            (
                protocol::ServerFrame::CrisisAlert {
                    alert: json!({"id": 1}),
                },
                ServerFrame::Other,
            ),
        ];
        for (sent, expected) in cases {
            let text = serde_json::to_string(&sent).unwrap();
            let read: ServerFrame = serde_json::from_str(&text).expect(&text);
            assert_eq!(read, expected, "{text}");
        }
        let safety = protocol::ServerFrame::Safety {
            session_id,
            level: RiskLevel::High,
            resources: CRISIS_RESOURCES,
        };
        let read: ServerFrame =
            serde_json::from_str(&serde_json::to_string(&safety).unwrap()).unwrap();
        let ServerFrame::Safety { resources, .. } = read else {
            panic!("{read:?}");
        };
        assert_eq!(resources.len(), CRISIS_RESOURCES.len());
        assert_eq!(resources[0].name, CRISIS_RESOURCES[0].name);
    }
}
