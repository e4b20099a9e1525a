//! `SessionActor`: one conversation. It owns the dialogue machine and its log, talks to
//! at most one socket (the newest wins), and outlives that socket: a dropped connection
//! or a REST client carries on with the same actor, and a node that restarts rehydrates
//! it from its snapshot.

mod core;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix::prelude::*;
use actix_web::http::StatusCode;
use futures_util::StreamExt;
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use self::core::TurnOutcome;
pub use self::core::{Core, Outlet, missed_generation_event};
use super::protocol::{ChatMessage, ServerFrame, code};
use super::registry::{Finished, SessionRegistry, Unregister};
use super::{Deps, GenerationEvent};
use crate::conversation::{Delivery, Reply, Sentences, Speaker, Voice};
use crate::domain::{ContentType, Tone};
use crate::error::ApiError;
use crate::providers::llm::ChatTurn;
use crate::providers::tts::voices;
use crate::state_machine::{Event, Refusal, SlotName, State, Utterance, prompts};

/// A session with no socket and no activity for this long stops (its snapshot stays,
/// until the session's TTL). Never later than the TTL, so an expired session is gone.
const IDLE_TIMEOUT: Duration = Duration::from_secs(300);
const IDLE_CHECK_INTERVAL: Duration = Duration::from_secs(30);
/// A generating session asks the store this often whether its item is done, in case the
/// event was lost on the way.
const GENERATION_CHECK_INTERVAL: Duration = Duration::from_secs(10);
/// Longest reply, whatever the stream does.
const MAX_REPLY_DURATION: Duration = Duration::from_secs(120);
/// WebSocket close code sent to a socket replaced by a newer one, or whose session
/// moved to another node.
pub const CLOSE_SUPERSEDED: u16 = 4001;
/// Close code when the account was suspended or deleted.
pub const CLOSE_ACCOUNT_BLOCKED: u16 = 4003;

/// What the actor sends to its socket.
#[derive(Debug)]
pub enum Outbound {
    Frame(ServerFrame),
    /// Close the socket, if it still serves `session_id` (it may have moved on).
    Close {
        session_id: Uuid,
        code: u16,
        reason: &'static str,
    },
    /// Close the socket whatever it serves (the account was blocked).
    Shut {
        code: u16,
        reason: &'static str,
    },
    /// A piece of a spoken reply: sent unless `stop` was raised (a barge-in) before the
    /// socket got to it.
    Speech {
        part: SpeechPart,
        stop: Arc<AtomicBool>,
    },
}

/// What a spoken reply sends.
#[derive(Debug)]
pub enum SpeechPart {
    /// `reply_audio`: `sent` runs once it is written (the person may hear it now).
    Opening {
        frame: ServerFrame,
        sent: OnSent,
    },
    Audio(actix_web::web::Bytes),
    Frame(ServerFrame),
}

/// Runs when a frame has been written to the socket.
pub struct OnSent(pub Box<dyn FnOnce() + Send>);

impl std::fmt::Debug for OnSent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnSent")
    }
}

/// The socket attached to a session.
#[derive(Clone)]
pub struct SocketLink {
    pub id: u64,
    pub tx: mpsc::Sender<Outbound>,
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("no such conversation")]
    NotFound,
    #[error("this conversation has expired; start a new one")]
    Expired,
    #[error("this conversation continues on another connection")]
    Moved,
    #[error("too many conversations are open; finish or cancel one first")]
    Limit,
    #[error("the conversation is busy; try again")]
    Busy,
    /// The actor stopped between lookup and delivery (idle, evicted): open it again.
    #[error("the conversation was put away; try again")]
    Stopped,
    #[error("the item to revise was not found or is not ready")]
    SourceNotFound,
    #[error(transparent)]
    Internal(anyhow::Error),
}

impl SessionError {
    pub fn code(&self) -> &'static str {
        match self {
            SessionError::NotFound | SessionError::SourceNotFound => code::SESSION_NOT_FOUND,
            SessionError::Expired => code::SESSION_EXPIRED,
            SessionError::Moved => code::SESSION_MOVED,
            SessionError::Limit => code::SESSION_LIMIT,
            SessionError::Busy | SessionError::Stopped => code::SESSION_BUSY,
            SessionError::Internal(_) => code::INTERNAL_ERROR,
        }
    }

    /// The message safe to show a client.
    pub fn public_message(&self) -> String {
        match self {
            SessionError::Internal(_) => "an internal error occurred".to_owned(),
            other => other.to_string(),
        }
    }
}

impl From<SessionError> for ApiError {
    fn from(e: SessionError) -> Self {
        let status = match &e {
            SessionError::NotFound | SessionError::SourceNotFound => StatusCode::NOT_FOUND,
            SessionError::Expired => StatusCode::GONE,
            SessionError::Moved | SessionError::Busy | SessionError::Stopped => {
                StatusCode::CONFLICT
            }
            SessionError::Limit => StatusCode::TOO_MANY_REQUESTS,
            SessionError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        match e {
            SessionError::Internal(source) => ApiError::unexpected(source),
            other => ApiError::new(status, other.code(), other.public_message()),
        }
    }
}

impl From<super::Panicked> for SessionError {
    fn from(e: super::Panicked) -> Self {
        SessionError::Internal(e.into())
    }
}

impl From<MailboxError> for SessionError {
    fn from(e: MailboxError) -> Self {
        match e {
            MailboxError::Closed => SessionError::Stopped,
            MailboxError::Timeout => SessionError::Busy,
        }
    }
}

/// What a client can ask of a session.
#[derive(Debug, Clone)]
pub enum ClientCommand {
    /// Greet (the first turn of a new session).
    Begin,
    Message(String),
    Confirm,
    Edit(SlotName),
    Cancel,
    /// Stop the reply being said.
    Interrupt,
    /// Ask for spoken replies (or stop them).
    Voice(bool),
}

/// The reply a turn ended with (for the REST mirror).
#[derive(Debug, Clone)]
pub struct TurnReply {
    pub session_id: Uuid,
    pub text: String,
    pub state: &'static str,
    pub context: Value,
    pub content_id: Option<Uuid>,
    pub refused: Option<Refusal>,
    pub interrupted: bool,
}

/// A turn; `reply_to` receives the reply once it has been said in full.
#[derive(Message)]
#[rtype(result = "Result<(), SessionError>")]
pub struct Command {
    pub user_id: Uuid,
    pub command: ClientCommand,
    pub reply_to: Option<oneshot::Sender<TurnReply>>,
    /// Counts the command in the mailbox backlog until it is handled or dropped.
    pub queued: Backlog,
}

/// One message waiting in an actor's mailbox, for the `actor_mailbox_backlog` gauge:
/// counted when made, uncounted when handled or dropped with a stopped actor.
pub struct Backlog(&'static str);

impl Backlog {
    pub fn enter(actor: &'static str) -> Backlog {
        metrics::gauge!("actor_mailbox_backlog", "actor" => actor).increment(1.0);
        Backlog(actor)
    }
}

impl Drop for Backlog {
    fn drop(&mut self) {
        metrics::gauge!("actor_mailbox_backlog", "actor" => self.0).decrement(1.0);
    }
}

/// Where a conversation stands.
#[derive(Debug, Clone)]
pub struct SessionView {
    pub session_id: Uuid,
    pub content_type: ContentType,
    pub state: &'static str,
    pub context: Value,
    /// The item this conversation made, once it is being made.
    pub content_id: Option<Uuid>,
    pub messages: Vec<ChatMessage>,
}

impl SessionView {
    pub fn of(core: &Core) -> SessionView {
        SessionView {
            session_id: core.id,
            content_type: core.content_type(),
            state: core.state(),
            context: core.context(),
            content_id: core.dialogue().content_id,
            messages: core.messages.clone(),
        }
    }
}

/// Attach a socket (the previous one is closed with 4001).
#[derive(Message)]
#[rtype(result = "Result<SessionView, SessionError>")]
pub struct Attach {
    pub user_id: Uuid,
    pub link: SocketLink,
}

/// The socket went away.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Detach {
    pub socket_id: u64,
}

#[derive(Message)]
#[rtype(result = "Result<SessionView, SessionError>")]
pub struct View {
    pub user_id: Uuid,
}

/// A generation of this session moved on.
#[derive(Message)]
#[rtype(result = "Result<(), SessionError>")]
pub(crate) struct Generation(pub GenerationEvent);

/// Another node took the session over at snapshot `version`.
#[derive(Message)]
#[rtype(result = "()")]
pub(crate) struct Evicted {
    pub version: u64,
}

/// The account was suspended or deleted: the actor stops (its sockets are closed by the
/// registry).
#[derive(Message)]
#[rtype(result = "()")]
pub(crate) struct Blocked;

/// After rehydration: learn how a generation ended while nobody held the session.
#[derive(Message)]
#[rtype(result = "Result<(), SessionError>")]
pub(crate) struct CatchUp;

/// The reply being said, cancellable by `interrupt`.
struct ReplyTask {
    handle: SpawnHandle,
    /// The task reading the stream (a tokio task, so a panic in it stays there).
    task: tokio::task::AbortHandle,
    said: Arc<Mutex<Said>>,
    /// Raised when the reply is cut: the socket drops its audio still queued.
    stop: Arc<AtomicBool>,
    reply_to: Option<oneshot::Sender<TurnReply>>,
    refused: Option<Refusal>,
}

/// How far a reply got.
#[derive(Default)]
struct Said {
    /// Its text so far.
    text: String,
    /// Spoken replies: the sentences whose audio has begun.
    voiced: String,
    /// Whether the reply is being voiced (false again once voicing failed).
    speaking: bool,
}

impl Said {
    /// What the person has had of the reply: all its text, or, when it was cut while
    /// being voiced, the sentences they began to hear.
    fn kept(&self, interrupted: bool) -> String {
        if interrupted && self.speaking {
            self.voiced.clone()
        } else {
            self.text.clone()
        }
    }
}

/// What starts a turn.
enum TurnInput {
    Event(Event),
    Message(String),
    CatchUp,
}

pub struct SessionActor {
    /// Lent to one turn at a time (turns are atomic: no other message runs meanwhile).
    core: Option<Core>,
    session_id: Uuid,
    deps: Arc<Deps>,
    registry: Addr<SessionRegistry>,
    socket: Option<SocketLink>,
    reply: Option<ReplyTask>,
    /// Clips of spoken replies sent so far (their `seq`).
    clips: Arc<AtomicU64>,
    last_activity: Instant,
}

impl SessionActor {
    pub fn new(core: Core, deps: Arc<Deps>, registry: Addr<SessionRegistry>) -> Self {
        Self {
            session_id: core.id,
            core: Some(core),
            deps,
            registry,
            socket: None,
            reply: None,
            clips: Arc::new(AtomicU64::new(0)),
            last_activity: Instant::now(),
        }
    }

    fn outlet(&self) -> Outlet {
        Outlet {
            session_id: self.session_id,
            tx: self.socket.as_ref().map(|s| s.tx.clone()),
        }
    }

    /// Answers the REST caller waiting for this turn, if any.
    fn answer(
        &self,
        reply_to: Option<oneshot::Sender<TurnReply>>,
        text: String,
        refused: Option<Refusal>,
        interrupted: bool,
    ) {
        if let Some(tx) = reply_to
            && let Some(reply) = self.reply_of(text, refused, interrupted)
        {
            let _ = tx.send(reply);
        }
    }

    fn reply_of(
        &self,
        text: String,
        refused: Option<Refusal>,
        interrupted: bool,
    ) -> Option<TurnReply> {
        let core = self.core.as_ref()?;
        Some(TurnReply {
            session_id: core.id,
            text,
            state: core.state(),
            context: core.context(),
            content_id: core.dialogue().content_id,
            refused,
            interrupted,
        })
    }

    /// Runs one turn with the core; the mailbox waits until it is done.
    fn turn(
        &mut self,
        input: TurnInput,
        reply_to: Option<oneshot::Sender<TurnReply>>,
    ) -> AtomicResponse<Self, Result<(), SessionError>> {
        let Some(mut core) = self.core.take() else {
            return AtomicResponse::new(Box::pin(fut::ready(Err(SessionError::Busy))));
        };
        let deps = self.deps.clone();
        let outlet = self.outlet();
        let started = Instant::now();
        let kind = match &input {
            TurnInput::Message(_) => "message",
            TurnInput::Event(_) => "event",
            TurnInput::CatchUp => "catch_up",
        };
        let work = async move {
            let event = match input {
                TurnInput::Event(event) => Some(event),
                TurnInput::Message(text) => {
                    core.log("user", &text);
                    let asking = core.dialogue().asking;
                    let message = deps
                        .understanding
                        .read(&text, core.content_type(), asking)
                        .await;
                    Some(Event::Message(message))
                }
                TurnInput::CatchUp => missed_generation_event(&core, &deps).await,
            };
            let result = match event {
                Some(event) => core.apply(&deps, &outlet, event).await,
                None => Ok(TurnOutcome::default()),
            };
            (core, result)
        };
        AtomicResponse::new(Box::pin(super::offload(work).into_actor(self).map(
            move |turned, act, ctx| {
                let Ok((core, result)) = turned else {
                    // The conversation lives on in its last snapshot.
                    act.lost_core(ctx);
                    return Err(SessionError::Internal(anyhow::anyhow!("the turn failed")));
                };
                if crate::state_machine::is_terminal(core.machine.state()) {
                    // Over: it no longer counts against the user's open conversations.
                    act.registry.do_send(Finished {
                        session_id: act.session_id,
                        user_id: core.user_id,
                    });
                }
                act.core = Some(core);
                metrics::counter!("conversation_turns_total", "kind" => kind).increment(1);
                metrics::histogram!("turn_duration_seconds", "kind" => kind)
                    .record(started.elapsed().as_secs_f64());
                match result {
                    Ok(outcome) => {
                        act.say(ctx, outcome, reply_to);
                        Ok(())
                    }
                    Err(SessionError::Moved) => {
                        act.moved(ctx);
                        Err(SessionError::Moved)
                    }
                    Err(e) => {
                        tracing::error!(session_id = %act.session_id, error = %e, "turn failed");
                        Err(e)
                    }
                }
            },
        )))
    }

    /// Says what the turn decided: the whole text, or the LLM's words as they come;
    /// voiced sentence by sentence when the socket asked for spoken replies.
    fn say(
        &mut self,
        ctx: &mut Context<Self>,
        outcome: TurnOutcome,
        reply_to: Option<oneshot::Sender<TurnReply>>,
    ) {
        let Some(core) = &self.core else { return };
        if outcome.said.is_empty() {
            self.answer(reply_to, String::new(), outcome.refused, false);
            return;
        }
        let cost = self.deps.costs.of(core.content_type());
        let text = prompts::render_all(&outcome.said, core.dialogue(), cost);
        // Templates are said as they are: safety words must reach the person intact.
        let streams = !verbatim(core, &outcome.said) && self.deps.voice.streams();
        let outlet = self.outlet();
        let speaking = (core.speak && outlet.tx.is_some() && self.deps.speaker.available())
            .then(|| delivery(core));
        self.finish_reply(ctx, true, false);
        if !streams && speaking.is_none() {
            // Nothing to stream, nothing to voice, nothing to cut.
            self.deliver(ctx, text, outcome.refused, false, reply_to, true);
            return;
        }
        // After the reply cut above is in the log.
        let history = streams.then(|| self.core.as_ref().map(Core::history).unwrap_or_default());
        let said = Arc::new(Mutex::new(Said {
            speaking: speaking.is_some(),
            ..Said::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (sentences, heard) = mpsc::unbounded_channel();
        let writing = write_reply(
            self.deps.voice.clone(),
            history,
            text,
            outlet.clone(),
            said.clone(),
            speaking.is_some().then_some(sentences),
        );
        let voicing = speaking.map(|delivery| {
            voice_reply(
                Voicing {
                    speaker: self.deps.speaker.clone(),
                    delivery,
                    outlet,
                    said: said.clone(),
                    stop: stop.clone(),
                    clips: self.clips.clone(),
                },
                heard,
            )
        });
        let task = tokio::spawn(async move {
            match voicing {
                Some(voicing) => {
                    futures_util::join!(writing, voicing);
                }
                None => writing.await,
            }
        });
        let abort = task.abort_handle();
        let handle = ctx.spawn(
            super::joined(task)
                .into_actor(self)
                .map(|_, act, ctx| act.finish_reply(ctx, false, true)),
        );
        self.reply = Some(ReplyTask {
            handle,
            task: abort,
            said,
            stop,
            reply_to,
            refused: outcome.refused,
        });
    }

    /// Ends the reply in flight: logs what was said and sends the final `response`.
    fn finish_reply(&mut self, ctx: &mut Context<Self>, interrupted: bool, save: bool) {
        let Some(task) = self.reply.take() else {
            return;
        };
        if interrupted {
            task.stop.store(true, Ordering::Release);
            task.task.abort();
            ctx.cancel_future(task.handle);
        }
        let text = lock(&task.said).kept(interrupted);
        self.deliver(ctx, text, task.refused, interrupted, task.reply_to, save);
    }

    /// Logs a reply, sends its `response` frame and answers the REST caller waiting.
    fn deliver(
        &mut self,
        ctx: &mut Context<Self>,
        text: String,
        refused: Option<Refusal>,
        interrupted: bool,
        reply_to: Option<oneshot::Sender<TurnReply>>,
        save: bool,
    ) {
        let outlet = self.outlet();
        let Some(core) = &mut self.core else { return };
        if !text.is_empty() {
            core.log("assistant", &text);
        }
        outlet.send(ServerFrame::Response {
            session_id: core.id,
            content: text.clone(),
            state: core.state(),
            context: core.context(),
            interrupted,
        });
        self.answer(reply_to, text, refused, interrupted);
        if save {
            self.save_log(ctx);
        }
    }

    /// Stores the snapshot with the reply in its log.
    fn save_log(&mut self, ctx: &mut Context<Self>) {
        let Some(mut core) = self.core.take() else {
            return;
        };
        let deps = self.deps.clone();
        let work = async move {
            let saved = core.save(&deps).await;
            (core, saved)
        };
        ctx.wait(super::offload(work).into_actor(self).map(|saved, act, ctx| {
            let Ok((core, saved)) = saved else {
                act.lost_core(ctx);
                return;
            };
            act.core = Some(core);
            match saved {
                Ok(()) => {}
                Err(SessionError::Moved) => act.moved(ctx),
                Err(e) => tracing::warn!(session_id = %act.session_id, error = %e, "saving the session log failed"),
            }
        }));
    }

    /// A panic took the state: stop, so that the next open rehydrates the last snapshot.
    fn lost_core(&mut self, ctx: &mut Context<Self>) {
        tracing::error!(session_id = %self.session_id, "session state lost to a panic; stopping");
        ctx.stop();
    }

    /// Another node owns the session now: close the socket and stop.
    fn moved(&mut self, ctx: &mut Context<Self>) {
        tracing::info!(session_id = %self.session_id, "session moved to another node");
        if let Some(socket) = self.socket.take() {
            let _ = socket.tx.try_send(Outbound::Close {
                session_id: self.session_id,
                code: CLOSE_SUPERSEDED,
                reason: "the conversation moved to another connection",
            });
        }
        ctx.stop();
    }
}

/// Whether a reply must be the template's own words, never a model's: safety
/// messages (their resources and advice must reach the person intact), and anything
/// said during a safety hold (the conversation that led to it goes to no model).
fn verbatim(core: &Core, said: &[Utterance]) -> bool {
    matches!(core.machine.state(), State::SafetyHold {})
        || said.iter().any(|u| {
            matches!(
                u,
                Utterance::SafetyHold | Utterance::SupportNote | Utterance::GenerationBlocked
            )
        })
}

fn lock<T>(value: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    value
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// How replies sound in this conversation: the voice, pace and tone asked so far.
fn delivery(core: &Core) -> Delivery {
    let slots = &core.dialogue().slots;
    Delivery {
        voice: voices::choose(slots.voice, None),
        pace: slots.pace.unwrap_or_default(),
        tone: slots.tone.unwrap_or(Tone::Warm),
    }
}

/// Writes a reply: the LLM's words as they stream (with `history`), else `text` whole.
/// Each sentence goes on to `sentences` as soon as it is complete.
async fn write_reply(
    voice: Voice,
    history: Option<Vec<ChatTurn>>,
    text: String,
    outlet: Outlet,
    said: Arc<Mutex<Said>>,
    sentences: Option<mpsc::UnboundedSender<String>>,
) {
    let mut splitter = Sentences::default();
    let pass_on = |piece: &str, splitter: &mut Sentences| {
        if let Some(tx) = &sentences {
            for sentence in splitter.push(piece) {
                let _ = tx.send(sentence);
            }
        }
    };
    let reply = match history {
        Some(history) => voice.reply(&history, text).await,
        None => Reply::Whole(text),
    };
    match reply {
        Reply::Whole(text) => {
            pass_on(&text, &mut splitter);
            lock(&said).text = text;
        }
        Reply::Streamed {
            mut stream,
            fallback,
            stall,
        } => {
            // A stream silent for `stall` is cut: the person hears what came.
            let started = Instant::now();
            loop {
                let wait = stall.min(MAX_REPLY_DURATION.saturating_sub(started.elapsed()));
                let piece = match tokio::time::timeout(wait, stream.next()).await {
                    Ok(Some(piece)) => piece,
                    Ok(None) => break,
                    Err(_) => {
                        tracing::warn!("reply stream stalled; cut short");
                        break;
                    }
                };
                match piece {
                    Ok(delta) => {
                        pass_on(&delta, &mut splitter);
                        lock(&said).text.push_str(&delta);
                        outlet.send(ServerFrame::ResponseDelta {
                            session_id: outlet.session_id,
                            delta,
                        });
                    }
                    Err(e) => {
                        tracing::warn!(error = format!("{e:#}"), "reply stream broke off");
                        break;
                    }
                }
            }
            let mut said = lock(&said);
            if said.text.trim().is_empty() {
                pass_on(&fallback, &mut splitter);
                said.text = fallback;
            }
        }
    }
    if let (Some(tx), Some(rest)) = (&sentences, splitter.finish()) {
        let _ = tx.send(rest);
    }
}

/// What voicing a reply needs.
struct Voicing {
    speaker: Speaker,
    delivery: Delivery,
    outlet: Outlet,
    said: Arc<Mutex<Said>>,
    stop: Arc<AtomicBool>,
    /// The session's clip counter.
    clips: Arc<AtomicU64>,
}

/// Voices the sentences of a reply as they come, in order: the next one is
/// synthesized while this one is sent.
async fn voice_reply(voicing: Voicing, sentences: mpsc::UnboundedReceiver<String>) {
    let Voicing {
        speaker,
        delivery,
        outlet,
        said,
        stop,
        clips,
    } = voicing;
    let sentences = futures_util::stream::unfold(sentences, |mut rx| async move {
        rx.recv().await.map(|sentence| (sentence, rx))
    });
    let voiced = sentences
        .map(|sentence| {
            let speaker = speaker.clone();
            async move {
                let clip = speaker.clip(&sentence, delivery).await;
                (sentence, clip)
            }
        })
        .buffered(2);
    futures_util::pin_mut!(voiced);
    while let Some((sentence, clip)) = voiced.next().await {
        let clip = match clip {
            Ok(clip) => clip,
            Err(e) => {
                tracing::warn!(session_id = %outlet.session_id, error = format!("{e:#}"), "voicing a reply failed; the rest is text only");
                metrics::counter!("reply_audio_errors_total").increment(1);
                lock(&said).speaking = false;
                outlet.send(ServerFrame::error(
                    code::REPLY_AUDIO_FAILED,
                    "this reply could not be voiced; its text is shown",
                    Some(outlet.session_id),
                ));
                return;
            }
        };
        if stop.load(Ordering::Acquire) {
            return;
        }
        // Kept as said once its first frame is on the socket, not before: a barge-in
        // drops what is still queued, and the person never heard that.
        let said = said.clone();
        let words = sentence.clone();
        let sent = OnSent(Box::new(move || {
            let mut said = lock(&said);
            if !said.voiced.is_empty() {
                said.voiced.push(' ');
            }
            said.voiced.push_str(&words);
        }));
        let seq = clips.fetch_add(1, Ordering::Relaxed) + 1;
        metrics::counter!("reply_audio_clips_total").increment(1);
        if !outlet.speak(&clip, seq, sentence, sent, &stop).await {
            return;
        }
    }
}

impl Actor for SessionActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        metrics::gauge!("sessions_live").increment(1.0);
        let idle_timeout = IDLE_TIMEOUT.min(self.deps.session_ttl);
        let check_every = IDLE_CHECK_INTERVAL.min(idle_timeout / 2);
        let ttl = self.deps.session_ttl;
        ctx.run_interval(check_every, move |act, ctx| {
            if act.socket.is_none()
                && act.reply.is_none()
                && act.last_activity.elapsed() > idle_timeout
            {
                tracing::debug!(session_id = %act.session_id, "idle session stops; its snapshot stays");
                ctx.stop();
                return;
            }
            // A socket held open keeps its conversation alive.
            if act.socket.is_some()
                && act.core.as_ref().is_some_and(|c| c.saved_at.elapsed() > ttl / 2)
            {
                act.save_log(ctx);
            }
        });
        ctx.run_interval(GENERATION_CHECK_INTERVAL, |act, ctx| {
            if act.core.as_ref().is_some_and(Core::is_generating) {
                ctx.notify(CatchUp);
            }
        });
    }

    fn stopped(&mut self, ctx: &mut Context<Self>) {
        if let Some(reply) = self.reply.take() {
            reply.task.abort();
        }
        metrics::gauge!("sessions_live").decrement(1.0);
        self.registry.do_send(Unregister {
            session_id: self.session_id,
            addr: ctx.address(),
        });
    }
}

impl Handler<Command> for SessionActor {
    type Result = AtomicResponse<Self, Result<(), SessionError>>;

    fn handle(&mut self, msg: Command, ctx: &mut Context<Self>) -> Self::Result {
        let Command {
            user_id,
            command,
            reply_to,
            queued,
        } = msg;
        drop(queued);
        let done = |result| AtomicResponse::new(Box::pin(fut::ready(result)));
        let Some(core) = &mut self.core else {
            return done(Err(SessionError::Busy));
        };
        if core.user_id != user_id {
            return done(Err(SessionError::NotFound));
        }
        self.last_activity = Instant::now();
        let input = match command {
            ClientCommand::Interrupt => {
                self.finish_reply(ctx, true, true);
                self.answer(reply_to, String::new(), None, true);
                return done(Ok(()));
            }
            ClientCommand::Voice(speak) => {
                core.speak = speak;
                self.answer(reply_to, String::new(), None, false);
                return done(Ok(()));
            }
            ClientCommand::Begin => TurnInput::Event(Event::Begin),
            ClientCommand::Message(text) => TurnInput::Message(text),
            ClientCommand::Confirm => TurnInput::Event(Event::Confirm),
            ClientCommand::Edit(slot) => TurnInput::Event(Event::Edit(slot)),
            ClientCommand::Cancel => TurnInput::Event(Event::Cancel),
        };
        // A new turn cuts the reply in flight (barge-in); the turn stores the snapshot.
        self.finish_reply(ctx, true, false);
        self.turn(input, reply_to)
    }
}

impl Handler<Generation> for SessionActor {
    type Result = AtomicResponse<Self, Result<(), SessionError>>;

    fn handle(&mut self, Generation(event): Generation, _: &mut Context<Self>) -> Self::Result {
        let event = match event {
            GenerationEvent::Progress { stage, percent } => {
                Event::GenerationProgress { stage, percent }
            }
            GenerationEvent::Succeeded { content_id } => Event::GenerationSucceeded { content_id },
            GenerationEvent::Failed { code, refunded, .. } => {
                Event::GenerationFailed { code, refunded }
            }
        };
        self.turn(TurnInput::Event(event), None)
    }
}

impl Handler<CatchUp> for SessionActor {
    type Result = AtomicResponse<Self, Result<(), SessionError>>;

    fn handle(&mut self, _: CatchUp, _: &mut Context<Self>) -> Self::Result {
        self.turn(TurnInput::CatchUp, None)
    }
}

impl Handler<Attach> for SessionActor {
    type Result = Result<SessionView, SessionError>;

    fn handle(&mut self, msg: Attach, ctx: &mut Context<Self>) -> Self::Result {
        let core = self.core.as_ref().ok_or(SessionError::Busy)?;
        if core.user_id != msg.user_id {
            return Err(SessionError::NotFound);
        }
        if let Some(old) = self.socket.replace(msg.link.clone())
            && old.id != msg.link.id
        {
            let _ = old.tx.try_send(Outbound::Close {
                session_id: self.session_id,
                code: CLOSE_SUPERSEDED,
                reason: "a newer connection took over this conversation",
            });
        }
        self.last_activity = Instant::now();
        if core.is_generating() {
            // A generation may have ended while nobody held the session: the socket
            // hears how (after the view it is about to receive).
            ctx.notify(CatchUp);
        }
        Ok(SessionView::of(core))
    }
}

impl Handler<Detach> for SessionActor {
    type Result = ();

    fn handle(&mut self, msg: Detach, ctx: &mut Context<Self>) {
        if self.socket.as_ref().is_some_and(|s| s.id == msg.socket_id) {
            self.socket = None;
            self.last_activity = Instant::now();
            // A finished conversation left by its socket has nothing more to do: its
            // snapshot answers a later resume or view. (Otherwise a client that goes
            // from one conversation to the next would keep every old actor alive until
            // the idle timeout.)
            let finished = self
                .core
                .as_ref()
                .is_some_and(|core| crate::state_machine::is_terminal(core.machine.state()));
            if finished && self.reply.is_none() {
                ctx.stop();
            }
        }
    }
}

impl Handler<View> for SessionActor {
    type Result = Result<SessionView, SessionError>;

    fn handle(&mut self, msg: View, _: &mut Context<Self>) -> Self::Result {
        let core = self.core.as_ref().ok_or(SessionError::Busy)?;
        if core.user_id != msg.user_id {
            return Err(SessionError::NotFound);
        }
        Ok(SessionView::of(core))
    }
}

impl Handler<Blocked> for SessionActor {
    type Result = ();

    fn handle(&mut self, _: Blocked, ctx: &mut Context<Self>) {
        tracing::info!(session_id = %self.session_id, "account blocked; session stopped");
        self.socket = None;
        ctx.stop();
    }
}

impl Handler<Evicted> for SessionActor {
    type Result = ();

    fn handle(&mut self, msg: Evicted, ctx: &mut Context<Self>) {
        if self
            .core
            .as_ref()
            .is_some_and(|core| core.version < msg.version)
        {
            self.moved(ctx);
        }
    }
}
