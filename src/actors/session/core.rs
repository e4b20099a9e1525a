//! The state of one conversation and what a turn does with it. The actor hands its
//! [`Core`] to one turn at a time; a turn feeds the machine and performs its effects.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use statig::prelude::*;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::{OnSent, Outbound, SessionError, SpeechPart};
use crate::actors::protocol::{CRISIS_RESOURCES, ChatMessage, ContentView, ServerFrame, code};
use crate::actors::{BusMessage, Deps, Reserve, RunJob};
use crate::conversation::Clip;
use crate::domain::ContentType;
use crate::providers::llm::ChatTurn;
use crate::state_machine::{
    Dialogue, Effect, Event, Refusal, RiskLevel, SafetyAssessment, State, Utterance, state_name,
};
use crate::store::{ConversationRecord, GenerationIds, NewCrisisAlert, NewGeneration, Reservation};
use crate::text::truncate_chars;
use crate::time::now;

/// Messages kept in a snapshot; older ones live on in the conversation record.
const MAX_LOGGED_MESSAGES: usize = 100;
/// Messages of history given to the LLM with a reply.
const REPLY_HISTORY: usize = 12;
/// Characters of a crisis message kept on its alert.
const ALERT_CONTEXT_CHARS: usize = 500;
/// Bytes of reply audio per binary frame (two seconds of MP3 at 64 kbit/s): a barge-in
/// cuts the audio at most this far into a sentence.
const AUDIO_FRAME_BYTES: usize = 16 * 1024;

/// Where frames for the attached socket go (nowhere when none is attached).
#[derive(Clone)]
pub struct Outlet {
    pub session_id: Uuid,
    pub tx: Option<mpsc::Sender<Outbound>>,
}

impl Outlet {
    pub fn send(&self, frame: ServerFrame) {
        let Some(tx) = &self.tx else { return };
        match tx.try_send(Outbound::Frame(frame)) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
                tracing::warn!(session_id = %self.session_id, "socket is not reading; frame dropped");
                metrics::counter!("ws_frames_dropped_total").increment(1);
            }
            // The socket has gone; the session goes on without it (a resume catches up).
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    }

    /// Sends one voiced sentence: `reply_audio`, its bytes in binary frames, then
    /// `reply_audio_end`. Waits while the socket is behind (audio is never dropped
    /// half-way); false when there is no socket to hear it.
    pub async fn speak(
        &self,
        clip: &Clip,
        seq: u64,
        text: String,
        sent: OnSent,
        stop: &Arc<AtomicBool>,
    ) -> bool {
        let Some(tx) = &self.tx else {
            return false;
        };
        let session_id = self.session_id;
        let part = |part| Outbound::Speech {
            part,
            stop: stop.clone(),
        };
        let opening = ServerFrame::ReplyAudio {
            session_id,
            format: clip.format.as_str(),
            sample_rate: clip.sample_rate,
            seq,
            text,
        };
        let opening = SpeechPart::Opening {
            frame: opening,
            sent,
        };
        if tx.send(part(opening)).await.is_err() {
            return false;
        }
        let mut offset = 0;
        while offset < clip.bytes.len() {
            let end = (offset + AUDIO_FRAME_BYTES).min(clip.bytes.len());
            let chunk = clip.bytes.slice(offset..end);
            if tx.send(part(SpeechPart::Audio(chunk))).await.is_err() {
                return false;
            }
            offset = end;
        }
        let closing = ServerFrame::ReplyAudioEnd { session_id, seq };
        tx.send(part(SpeechPart::Frame(closing))).await.is_ok()
    }
}

/// One conversation.
pub struct Core {
    pub id: Uuid,
    pub user_id: Uuid,
    pub machine: StateMachine<Dialogue>,
    /// The log; changed only through [`Core::log`], which keeps `encoded` beside it.
    pub messages: Vec<ChatMessage>,
    /// Each message of the log as JSON, encoded once when logged: a snapshot is stored
    /// every turn, and a long conversation's log is most of it.
    encoded: Vec<String>,
    /// The version of the snapshot last stored.
    pub version: u64,
    pub speak: bool,
    pub created_at: DateTime<Utc>,
    /// The risk of the last message, for the `safety` frame.
    last_risk: RiskLevel,
    /// When the snapshot was last stored (its TTL runs from then).
    pub saved_at: std::time::Instant,
}

/// What is kept in the session store (written by [`Core::encode`] in the same shape).
#[derive(Deserialize)]
struct Snapshot {
    session_id: Uuid,
    user_id: Uuid,
    machine: StateMachine<Dialogue>,
    messages: Vec<ChatMessage>,
    speak: bool,
    created_at: DateTime<Utc>,
}

/// What a turn did, beyond the utterances to say.
#[derive(Debug, Default)]
pub struct TurnOutcome {
    pub said: Vec<Utterance>,
    pub refused: Option<Refusal>,
}

impl Core {
    pub fn new(id: Uuid, user_id: Uuid, dialogue: Dialogue, speak: bool) -> Core {
        Core {
            id,
            user_id,
            machine: dialogue.state_machine(),
            messages: Vec::new(),
            encoded: Vec::new(),
            version: 0,
            speak,
            created_at: now(),
            last_risk: RiskLevel::None,
            saved_at: std::time::Instant::now(),
        }
    }

    /// A core from a stored snapshot.
    pub fn restore(version: u64, bytes: &[u8]) -> anyhow::Result<Core> {
        let snapshot: Snapshot = serde_json::from_slice(bytes)?;
        let encoded = snapshot
            .messages
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<_, _>>()?;
        Ok(Core {
            id: snapshot.session_id,
            user_id: snapshot.user_id,
            machine: snapshot.machine,
            messages: snapshot.messages,
            encoded,
            version,
            speak: snapshot.speak,
            created_at: snapshot.created_at,
            last_risk: RiskLevel::None,
            saved_at: std::time::Instant::now(),
        })
    }

    /// The snapshot as [`Snapshot`] JSON, with the log copied from its encoded messages.
    fn encode(&self) -> anyhow::Result<Vec<u8>> {
        let log: usize = self.encoded.iter().map(|m| m.len() + 1).sum();
        let mut out = Vec::with_capacity(log + 1024);
        out.extend_from_slice(b"{\"session_id\":");
        serde_json::to_writer(&mut out, &self.id)?;
        out.extend_from_slice(b",\"user_id\":");
        serde_json::to_writer(&mut out, &self.user_id)?;
        out.extend_from_slice(b",\"machine\":");
        serde_json::to_writer(&mut out, &self.machine)?;
        out.extend_from_slice(b",\"messages\":[");
        for (i, message) in self.encoded.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(message.as_bytes());
        }
        out.extend_from_slice(b"],\"speak\":");
        serde_json::to_writer(&mut out, &self.speak)?;
        out.extend_from_slice(b",\"created_at\":");
        serde_json::to_writer(&mut out, &self.created_at)?;
        out.push(b'}');
        Ok(out)
    }

    pub fn dialogue(&self) -> &Dialogue {
        self.machine.inner()
    }

    pub fn content_type(&self) -> ContentType {
        self.dialogue().content_type
    }

    pub fn state(&self) -> &'static str {
        state_name(self.machine.state())
    }

    pub fn is_generating(&self) -> bool {
        matches!(self.machine.state(), State::Generating {})
    }

    /// What clients see of the dialogue: the content type and the slots so far.
    pub fn context(&self) -> Value {
        let dialogue = self.dialogue();
        let mut context = serde_json::to_value(&dialogue.slots).unwrap_or_else(|_| json!({}));
        if let Value::Object(map) = &mut context {
            map.insert("content_type".into(), json!(dialogue.content_type));
            if let Some(content_id) = dialogue.content_id {
                map.insert("content_id".into(), json!(content_id));
            }
        }
        context
    }

    pub fn log(&mut self, role: &str, content: &str) {
        let message = ChatMessage {
            role: role.to_owned(),
            content: content.to_owned(),
            at: now(),
        };
        // Strings and a timestamp: encoding cannot fail.
        self.encoded
            .push(serde_json::to_string(&message).unwrap_or_default());
        self.messages.push(message);
        if self.messages.len() > MAX_LOGGED_MESSAGES {
            let excess = self.messages.len() - MAX_LOGGED_MESSAGES;
            self.messages.drain(..excess);
            self.encoded.drain(..excess);
        }
    }

    /// The recent conversation, for the LLM.
    pub fn history(&self) -> Vec<ChatTurn> {
        let start = self.messages.len().saturating_sub(REPLY_HISTORY);
        self.messages[start..]
            .iter()
            .map(|m| ChatTurn {
                role: if m.role == "user" {
                    "user"
                } else {
                    "assistant"
                },
                content: m.content.clone(),
            })
            .collect()
    }

    /// Stores the snapshot (compare-and-set on the version). `Moved` when another node
    /// wrote since: this one no longer owns the session.
    pub async fn save(&mut self, deps: &Deps) -> Result<(), SessionError> {
        let bytes = self.encode().map_err(SessionError::Internal)?;
        match deps
            .sessions
            .save(
                self.id,
                self.version,
                bytes,
                deps.session_ttl,
                &deps.node_id,
            )
            .await
        {
            Ok(true) => {
                self.version += 1;
                self.saved_at = std::time::Instant::now();
                Ok(())
            }
            Ok(false) => Err(SessionError::Moved),
            Err(e) => Err(SessionError::Internal(e.context("save session snapshot"))),
        }
    }

    /// Feeds an event to the machine and performs the effects, including those of the
    /// events they cause (a reservation's outcome), then stores the snapshot (unless
    /// the event was only a generation's progress, which changes nothing stored).
    pub async fn apply(
        &mut self,
        deps: &Deps,
        outlet: &Outlet,
        event: Event,
    ) -> Result<TurnOutcome, SessionError> {
        if let Event::Message(message) = &event {
            self.last_risk = message.safety.level;
        }
        let store = !matches!(event, Event::GenerationProgress { .. });
        let mut outcome = TurnOutcome::default();
        let mut queue = VecDeque::from([event]);
        while let Some(event) = queue.pop_front() {
            let before = self.state();
            let mut effects = Vec::new();
            self.machine.handle_with_context(&event, &mut effects);
            let after = self.state();
            if before != after {
                metrics::counter!("dialogue_transitions_total", "to" => after).increment(1);
                outlet.send(ServerFrame::StateChanged {
                    session_id: self.id,
                    from: before,
                    to: after,
                });
            }
            for effect in effects {
                self.perform(deps, outlet, effect, &mut queue, &mut outcome)
                    .await;
            }
        }
        if store {
            self.save(deps).await?;
        }
        Ok(outcome)
    }

    async fn perform(
        &mut self,
        deps: &Deps,
        outlet: &Outlet,
        effect: Effect,
        queue: &mut VecDeque<Event>,
        outcome: &mut TurnOutcome,
    ) {
        match effect {
            Effect::Say(utterance) => outcome.said.push(utterance),
            Effect::StartGeneration { attempt } => {
                let event = self.reserve(deps, outlet, attempt).await;
                if let Event::GenerationRefused(refusal) = &event {
                    outcome.refused = Some(*refusal);
                }
                queue.push_back(event);
            }
            Effect::Progress { stage, percent } => outlet.send(ServerFrame::GenerationProgress {
                session_id: self.id,
                stage,
                percent,
            }),
            Effect::Finished { content_id } => {
                match deps.store.content_item(content_id, self.user_id).await {
                    Ok(Some(item)) => outlet.send(ServerFrame::GenerationComplete {
                        session_id: self.id,
                        content: Box::new(
                            ContentView::signed(item, deps.blobs.as_ref(), deps.media_url_ttl)
                                .await,
                        ),
                    }),
                    Ok(None) => tracing::warn!(%content_id, "finished item not found"),
                    Err(e) => tracing::error!(error = %e, "loading the finished item failed"),
                }
            }
            Effect::Failed { code, refunded } => outlet.send(ServerFrame::GenerationFailed {
                session_id: self.id,
                message: if refunded {
                    "the item could not be created; no credits were used".into()
                } else {
                    "the item could not be created".into()
                },
                code,
                refunded,
            }),
            Effect::RaiseAlert(assessment) => self.raise_alert(deps, assessment).await,
            Effect::ShowResources => outlet.send(ServerFrame::Safety {
                session_id: self.id,
                level: self.last_risk,
                resources: CRISIS_RESOURCES,
            }),
            Effect::Close => self.keep_record(deps).await,
        }
    }

    /// Holds the credits of a confirmation and queues its job.
    async fn reserve(&self, deps: &Deps, outlet: &Outlet, attempt: u32) -> Event {
        let dialogue = self.dialogue();
        let content_type = dialogue.content_type;
        let new = NewGeneration {
            user_id: self.user_id,
            session_id: Some(self.id),
            hold_key: format!("{}:{attempt}", self.id),
            cost: deps.costs.of(content_type),
            content_type,
            context: serde_json::to_value(&dialogue.slots).unwrap_or_else(|_| json!({})),
            parent_id: dialogue.source_content_id,
            content_id: Uuid::now_v7(),
            hold_id: Uuid::now_v7(),
            job_id: Uuid::now_v7(),
            now: now(),
        };
        match deps.credits.send(Reserve(new)).await {
            // Reserved before (a retried confirmation): it may have ended already.
            Ok(Ok(Reservation::Existing(ids))) => {
                match item_outcome(deps, self.user_id, ids.content_id).await {
                    Some(ended) => ended,
                    None => self.generation_started(deps, outlet, ids),
                }
            }
            Ok(Ok(Reservation::Created(ids))) => self.generation_started(deps, outlet, ids),
            Ok(Ok(Reservation::Insufficient {
                required,
                available,
            })) => {
                outlet.send(ServerFrame::error(
                    code::INSUFFICIENT_CREDITS,
                    format!("this needs {required} credits; {available} available"),
                    Some(self.id),
                ));
                Event::GenerationRefused(Refusal::InsufficientCredits {
                    required,
                    available,
                })
            }
            Ok(Err(e)) => self.reservation_failed(anyhow::Error::new(e)),
            Err(e) => self.reservation_failed(anyhow::Error::new(e)),
        }
    }

    fn generation_started(&self, deps: &Deps, outlet: &Outlet, ids: GenerationIds) -> Event {
        outlet.send(ServerFrame::GenerationStarted {
            session_id: self.id,
            content_id: ids.content_id,
            estimated_time: deps.writer.estimated_seconds() + deps.narrator.estimated_seconds(),
        });
        deps.jobs.do_send(RunJob { job_id: ids.job_id });
        Event::GenerationStarted {
            content_id: ids.content_id,
        }
    }

    fn reservation_failed(&self, error: anyhow::Error) -> Event {
        tracing::error!(session_id = %self.id, error = format!("{error:#}"), "credit reservation failed");
        // Whether it was held is unknown: back to the summary with the same attempt, so a
        // retry finds that hold instead of making a second one.
        Event::GenerationRefused(Refusal::Unavailable)
    }

    async fn raise_alert(&self, deps: &Deps, assessment: SafetyAssessment) {
        let last_user_message = self
            .messages
            .iter()
            .rev()
            .find(|m| m.role == "user")
            .map(|m| truncate_chars(&m.content, ALERT_CONTEXT_CHARS))
            .unwrap_or_default();
        let severity = serde_json::to_value(assessment.level)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "high".to_owned());
        let trigger_type = assessment
            .category
            .and_then(|c| serde_json::to_value(c).ok())
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "distress".to_owned());
        let alert = NewCrisisAlert {
            id: Uuid::now_v7(),
            user_id: self.user_id,
            session_id: Some(self.id),
            severity,
            trigger_type,
            signals: assessment.signals,
            context: last_user_message,
            now: now(),
        };
        let pushed = json!({
            "id": alert.id,
            "user_id": alert.user_id,
            "session_id": alert.session_id,
            "severity": alert.severity,
            "trigger_type": alert.trigger_type,
            "detected_signals": alert.signals,
            "created_at": alert.now,
        });
        metrics::counter!("crisis_alerts_total", "severity" => alert.severity.clone()).increment(1);
        if let Err(e) = deps.store.insert_crisis_alert(alert).await {
            tracing::error!(error = %e, session_id = %self.id, "storing a crisis alert failed");
        }
        deps.bus
            .publish(BusMessage::CrisisAlert { alert: pushed })
            .await;
    }

    /// Writes the finished conversation to the `conversations` table.
    async fn keep_record(&self, deps: &Deps) {
        let record = ConversationRecord {
            id: Uuid::now_v7(),
            user_id: self.user_id,
            session_id: self.id,
            content_type: self.content_type(),
            messages: json!(self.messages),
            state: serde_json::to_value(&self.machine).unwrap_or_else(|_| json!({})),
            final_state: self.state().to_owned(),
            resulting_content_id: self
                .dialogue()
                .content_id
                .filter(|_| matches!(self.machine.state(), State::Complete {})),
            created_at: self.created_at,
            completed_at: now(),
        };
        match deps.archive.submit(record).await {
            Some(Ok(())) => {}
            Some(Err(e)) => {
                tracing::error!(error = %e, session_id = %self.id, "storing the conversation failed");
            }
            None => tracing::error!(session_id = %self.id, "the conversation archive has stopped"),
        }
    }
}

/// The event a session missed (it was not held, or a bus event was lost): how its
/// generation ended.
pub async fn missed_generation_event(core: &Core, deps: &Deps) -> Option<Event> {
    if !core.is_generating() {
        return None;
    }
    item_outcome(deps, core.user_id, core.dialogue().content_id?).await
}

/// How an item's generation ended, if it has.
async fn item_outcome(deps: &Deps, user_id: Uuid, content_id: Uuid) -> Option<Event> {
    let item = deps.store.content_item(content_id, user_id).await.ok()??;
    match item.status {
        crate::store::ContentStatus::Ready => Some(Event::GenerationSucceeded { content_id }),
        crate::store::ContentStatus::Failed => Some(Event::GenerationFailed {
            code: code::GENERATION_FAILED.to_owned(),
            refunded: true,
        }),
        crate::store::ContentStatus::Generating => None,
    }
}

#[cfg(test)]
mod snapshot_tests {
    use super::*;
    use crate::state_machine::Personal;

    #[test]
    fn snapshots_round_trip_with_their_log() {
        let dialogue = Dialogue::new(ContentType::Ritual, Personal::default());
        let mut core = Core::new(Uuid::now_v7(), Uuid::now_v7(), dialogue, true);
        for i in 0..(MAX_LOGGED_MESSAGES + 7) {
            core.log(
                if i % 2 == 0 { "user" } else { "assistant" },
                &format!("line \"{i}\"\n"),
            );
        }
        let bytes = core.encode().unwrap();
        // The same shape a derived encoder would write.
        let value: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(value["messages"], json!(core.messages));
        assert_eq!(value["session_id"], json!(core.id));
        assert_eq!(value["speak"], json!(true));
        let restored = Core::restore(3, &bytes).unwrap();
        assert_eq!(restored.messages.len(), MAX_LOGGED_MESSAGES);
        assert_eq!(restored.messages[0].content, "line \"7\"\n");
        assert_eq!(restored.encode().unwrap(), bytes);
        assert_eq!((restored.version, restored.user_id), (3, core.user_id));
        assert_eq!(restored.state(), core.state());
    }
}
