//! `/ws/conversation`: one task per socket. It forwards client frames to the session
//! actor and relays the actor's frames back; the session outlives the socket.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use actix::{Actor, Addr, Handler, Message};
use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{AggregatedMessage, AggregatedMessageStream, CloseCode, CloseReason, ProtocolError};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::actors::protocol::{ClientFrame, ServerFrame, code};
use crate::actors::{
    Attach, Backlog, ClientCommand, Command, Create, Detach, Engine, Open, Outbound, SessionActor,
    SessionError, SessionView, SocketJoin, SocketLeave, SocketLink, SpeechPart,
};
use crate::audio::{MAX_UTTERANCE_BYTES, UtteranceError, UtteranceFormat, check_utterance};
use crate::auth::AuthUser;
use crate::domain::Role;
use crate::error::ApiError;
use crate::providers::stt::{SttError, Transcriber};
use crate::ratelimit::RateLimiter;
use crate::state::AppState;

/// Largest frame accepted; larger ones close the socket with 1009.
pub const MAX_FRAME_BYTES: usize = 64 * 1024;
/// Longest message text, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4_000;
/// How often the server pings.
const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(10);
/// A client silent (no frame, no pong) for this long is gone.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);
/// Frames queued for a socket before the session starts dropping them.
const OUTBOUND_BUFFER: usize = 512;

static NEXT_SOCKET_ID: AtomicU64 = AtomicU64::new(1);

/// Upgrades to a WebSocket. The access token comes in `Authorization: Bearer` or `?token=`.
pub async fn conversation_socket(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<HttpResponse, ApiError> {
    let (response, session, stream) = actix_ws::handle(&req, body).map_err(|e| {
        ApiError::new(
            actix_web::http::StatusCode::BAD_REQUEST,
            crate::error::code::BAD_REQUEST,
            format!("expected a WebSocket upgrade: {e}"),
        )
    })?;
    let stream = stream
        .max_frame_size(MAX_FRAME_BYTES)
        .aggregate_continuations()
        .max_continuation_size(MAX_FRAME_BYTES);
    let (heard_tx, heard_rx) = mpsc::channel(1);
    let connection = Connection {
        id: NEXT_SOCKET_ID.fetch_add(1, Ordering::Relaxed),
        user,
        engine: state.engine.clone(),
        limiter: state.limiter.clone(),
        attached: None,
        transcriber: state.transcriber.clone(),
        utterance: Utterance::default(),
        hearing: false,
        heard: heard_tx,
        timing: VoiceTiming::default(),
    };
    actix_web::rt::spawn(connection.run(session, stream, heard_rx));
    Ok(response)
}

/// A frame, or a message assembled from continuation frames, over the size limit (the
/// latter arrives as an I/O error that only its text tells apart).
fn too_large(e: &ProtocolError) -> bool {
    match e {
        ProtocolError::Overflow => true,
        ProtocolError::Io(io) => io.to_string().contains("maximum continuation size"),
        _ => false,
    }
}

struct Connection {
    id: u64,
    user: AuthUser,
    engine: Engine,
    limiter: Option<Arc<dyn RateLimiter>>,
    attached: Option<(Uuid, Addr<SessionActor>)>,
    transcriber: Option<Transcriber>,
    /// The utterance being received (binary frames until `audio_end`).
    utterance: Utterance,
    /// An utterance is being transcribed.
    hearing: bool,
    /// Where transcriptions come back to this socket's loop.
    heard: mpsc::Sender<Heard>,
    timing: VoiceTiming,
}

/// Latency of the turn an utterance began, from its end (`audio_end`) to what the
/// person gets back: the `transcript`, the first words of the reply (a delta, a whole
/// response or a voiced sentence's caption), the first byte of reply audio.
#[derive(Default)]
struct VoiceTiming {
    /// When the utterance being answered ended, until its reply is complete.
    ended: Option<Instant>,
    text_seen: bool,
    audio_seen: bool,
}

impl VoiceTiming {
    fn ended(&mut self, at: Instant) {
        *self = VoiceTiming {
            ended: Some(at),
            ..VoiceTiming::default()
        };
    }

    fn transcribed(&self) {
        if let Some(ended) = self.ended {
            metrics::histogram!("voice_transcript_seconds").record(ended.elapsed().as_secs_f64());
        }
    }

    /// A frame went to the socket.
    fn saw(&mut self, frame: &ServerFrame) {
        let Some(ended) = self.ended else { return };
        let words = matches!(
            frame,
            ServerFrame::ResponseDelta { .. }
                | ServerFrame::Response { .. }
                | ServerFrame::ReplyAudio { .. }
        );
        if words && !self.text_seen {
            self.text_seen = true;
            metrics::histogram!("voice_reply_text_seconds").record(ended.elapsed().as_secs_f64());
        }
        // The reply is over (a reply cut by this turn's own barge-in ends `interrupted`).
        if matches!(
            frame,
            ServerFrame::Response {
                interrupted: false,
                ..
            }
        ) {
            self.ended = None;
        }
    }

    /// Reply audio went to the socket.
    fn heard_audio(&mut self) {
        if let Some(ended) = self.ended
            && !self.audio_seen
        {
            self.audio_seen = true;
            metrics::histogram!("voice_reply_audio_seconds").record(ended.elapsed().as_secs_f64());
        }
    }
}

/// Audio received for one utterance.
#[derive(Default)]
struct Utterance {
    bytes: Vec<u8>,
    /// It outgrew [`MAX_UTTERANCE_BYTES`]; the rest of it is dropped.
    overflow: bool,
}

impl Connection {
    async fn run(
        mut self,
        mut session: actix_ws::Session,
        mut stream: AggregatedMessageStream,
        mut heard: mpsc::Receiver<Heard>,
    ) {
        metrics::gauge!("ws_connections").increment(1.0);
        let (tx, mut rx) = mpsc::channel::<Outbound>(OUTBOUND_BUFFER);
        self.engine.registry.do_send(SocketJoin {
            socket_id: self.id,
            user_id: self.user.id,
            admin: self.user.role == Role::Admin,
            tx: tx.clone(),
        });
        let mut heartbeat = tokio::time::interval(HEARTBEAT_INTERVAL);
        let mut last_heard = Instant::now();
        let reason = loop {
            tokio::select! {
                incoming = stream.recv() => {
                    let message = match incoming {
                        None => break None,
                        Some(Err(e)) if too_large(&e) => break Some(close(CloseCode::Size, "frame too large")),
                        Some(Err(_)) => break Some(close(CloseCode::Protocol, "protocol error")),
                        Some(Ok(message)) => message,
                    };
                    last_heard = Instant::now();
                    let reply = match message {
                        AggregatedMessage::Text(text) => self.on_text(&text, &tx).await,
                        AggregatedMessage::Binary(bytes) => self.on_audio(&bytes),
                        AggregatedMessage::Ping(bytes) => {
                            if session.pong(&bytes).await.is_err() { break None; }
                            None
                        }
                        AggregatedMessage::Pong(_) => None,
                        AggregatedMessage::Close(reason) => break reason,
                    };
                    if let Some(frame) = reply
                        && send(&mut session, &frame).await.is_err()
                    {
                        break None;
                    }
                }
                outgoing = rx.recv() => match outgoing {
                    Some(Outbound::Frame(frame)) => {
                        if send(&mut session, &frame).await.is_err() { break None; }
                        self.timing.saw(&frame);
                    }
                    // A reply cut by a barge-in: what it still had queued goes nowhere.
                    Some(Outbound::Speech { stop, .. }) if stop.load(Ordering::Acquire) => {}
                    Some(Outbound::Speech { part: SpeechPart::Opening { frame, sent }, .. }) => {
                        if send(&mut session, &frame).await.is_err() { break None; }
                        (sent.0)();
                        self.timing.saw(&frame);
                    }
                    Some(Outbound::Speech { part: SpeechPart::Frame(frame), .. }) => {
                        if send(&mut session, &frame).await.is_err() { break None; }
                    }
                    Some(Outbound::Speech { part: SpeechPart::Audio(bytes), .. }) => {
                        if session.binary(bytes).await.is_err() { break None; }
                        self.timing.heard_audio();
                    }
                    Some(Outbound::Close { session_id, code, reason }) => {
                        // Only for the conversation this socket still serves.
                        if self.attached.as_ref().is_some_and(|(id, _)| *id == session_id) {
                            self.attached = None;
                            break Some(close(CloseCode::Other(code), reason));
                        }
                    }
                    Some(Outbound::Shut { code, reason }) => {
                        break Some(close(CloseCode::Other(code), reason));
                    }
                    None => break None,
                },
                Some(heard) = heard.recv() => {
                    if let Some(frame) = self.heard(heard, &tx).await
                        && send(&mut session, &frame).await.is_err()
                    {
                        break None;
                    }
                }
                _ = heartbeat.tick() => {
                    if last_heard.elapsed() > CLIENT_TIMEOUT {
                        break Some(close(CloseCode::Away, "no answer to pings"));
                    }
                    if session.ping(b"").await.is_err() { break None; }
                }
            }
        };
        if let Some((_, addr)) = self.attached.take() {
            addr.do_send(Detach { socket_id: self.id });
        }
        self.engine
            .registry
            .do_send(SocketLeave { socket_id: self.id });
        let _ = session.close(reason).await;
        metrics::gauge!("ws_connections").decrement(1.0);
    }

    /// Handles one text frame; returns the frame to answer with, if any (the session's
    /// own frames arrive through the outbound channel).
    async fn on_text(&mut self, text: &str, tx: &mpsc::Sender<Outbound>) -> Option<ServerFrame> {
        let frame: ClientFrame = match serde_json::from_str(text) {
            Ok(frame) => frame,
            Err(e) => {
                return Some(ServerFrame::error(
                    code::INVALID_FRAME,
                    format!("not a frame this server understands: {e}"),
                    None,
                ));
            }
        };
        let outcome = match frame {
            ClientFrame::Ping => return Some(ServerFrame::Pong),
            ClientFrame::Start {
                content_type,
                intent,
                content_id,
                speak,
            } => {
                // Without a voice the conversation goes on in text, and the client is told.
                if speak && !self.voice_available() {
                    let _ = tx.try_send(Outbound::Frame(voice_unavailable(None)));
                }
                let speak = speak && self.voice_available();
                self.start(content_type, intent, content_id, speak, tx)
                    .await
            }
            ClientFrame::Resume { session_id } => self.resume(session_id, tx).await,
            ClientFrame::Message {
                session_id,
                content,
            } => {
                if content.chars().count() > MAX_MESSAGE_CHARS {
                    return Some(ServerFrame::error(
                        code::MESSAGE_TOO_LONG,
                        format!("messages are limited to {MAX_MESSAGE_CHARS} characters"),
                        Some(session_id),
                    ));
                }
                if content.trim().is_empty() {
                    return Some(ServerFrame::error(
                        code::INVALID_FRAME,
                        "the message is empty",
                        Some(session_id),
                    ));
                }
                self.command(session_id, ClientCommand::Message(content))
                    .await
            }
            ClientFrame::Confirm { session_id } => {
                self.command(session_id, ClientCommand::Confirm).await
            }
            ClientFrame::Edit { session_id, slot } => {
                self.command(session_id, ClientCommand::Edit(slot)).await
            }
            ClientFrame::Cancel { session_id } => {
                self.command(session_id, ClientCommand::Cancel).await
            }
            ClientFrame::Interrupt { session_id } => {
                self.command(session_id, ClientCommand::Interrupt).await
            }
            ClientFrame::Voice { session_id, speak } => {
                if speak && !self.voice_available() {
                    return Some(voice_unavailable(Some(session_id)));
                }
                self.command(session_id, ClientCommand::Voice(speak)).await
            }
            ClientFrame::AudioEnd {
                session_id,
                format,
                sample_rate,
            } => self.audio_end(session_id, &format, sample_rate),
        };
        outcome.unwrap_or_else(|refusal| Some(refusal.into_frame()))
    }

    async fn attach(
        &mut self,
        session_id: Uuid,
        addr: Addr<SessionActor>,
        tx: &mpsc::Sender<Outbound>,
    ) -> Result<SessionView, Refusal> {
        if let Some((previous, old)) = self.attached.take()
            && previous != session_id
        {
            old.do_send(Detach { socket_id: self.id });
        }
        let link = SocketLink {
            id: self.id,
            tx: tx.clone(),
        };
        let view = ask(
            &addr,
            Attach {
                user_id: self.user.id,
                link,
            },
        )
        .await
        .map_err(|e| Refusal::Session(e, Some(session_id)))?;
        self.attached = Some((session_id, addr));
        Ok(view)
    }

    async fn start(
        &mut self,
        content_type: crate::domain::ContentType,
        intent: Option<crate::state_machine::Intent>,
        content_id: Option<Uuid>,
        speak: bool,
        tx: &mpsc::Sender<Outbound>,
    ) -> Result<Option<ServerFrame>, Refusal> {
        self.limit().await?;
        let (session_id, addr) = ask(
            &self.engine.registry,
            Create {
                user_id: self.user.id,
                content_type,
                intent,
                content_id,
                speak,
                home: actix::Arbiter::current(),
            },
        )
        .await
        .map_err(|e| Refusal::Session(e, None))?;
        let view = self.attach(session_id, addr.clone(), tx).await?;
        let started = ServerFrame::Started {
            session_id,
            content_type: view.content_type,
            state: view.state,
        };
        let _ = tx.try_send(Outbound::Frame(started));
        send_command(&addr, self.user.id, ClientCommand::Begin)
            .await
            .map_err(|e| Refusal::Session(e, Some(session_id)))?;
        Ok(None)
    }

    async fn resume(
        &mut self,
        session_id: Uuid,
        tx: &mpsc::Sender<Outbound>,
    ) -> Result<Option<ServerFrame>, Refusal> {
        // The actor found may stop before it is reached (the last socket of a finished
        // conversation has just left it): then once more, which rehydrates it.
        let mut again = true;
        let view = loop {
            let addr = ask(
                &self.engine.registry,
                Open {
                    user_id: self.user.id,
                    session_id,
                    home: actix::Arbiter::current(),
                },
            )
            .await
            .map_err(|e| Refusal::Session(e, Some(session_id)))?;
            match self.attach(session_id, addr, tx).await {
                Err(Refusal::Session(SessionError::Stopped, _)) if std::mem::take(&mut again) => {}
                attached => break attached?,
            }
        };
        Ok(Some(ServerFrame::Resumed {
            session_id,
            content_type: view.content_type,
            state: view.state,
            context: view.context,
            content_id: view.content_id,
            messages: view.messages,
        }))
    }

    async fn command(
        &mut self,
        session_id: Uuid,
        command: ClientCommand,
    ) -> Result<Option<ServerFrame>, Refusal> {
        let addr = self.attached_to(session_id)?;
        if !matches!(command, ClientCommand::Interrupt | ClientCommand::Voice(_)) {
            self.limit().await?;
        }
        send_command(&addr, self.user.id, command)
            .await
            .map_err(|e| Refusal::Session(e, Some(session_id)))?;
        Ok(None)
    }

    /// Whether replies can be spoken: a voice (not the placeholder tone) is configured.
    fn voice_available(&self) -> bool {
        self.engine.deps.speaker.available()
    }

    /// The session this socket serves, when it is `session_id`.
    fn attached_to(&self, session_id: Uuid) -> Result<Addr<SessionActor>, Refusal> {
        match &self.attached {
            Some((attached, addr)) if *attached == session_id => Ok(addr.clone()),
            Some(_) => Err(Refusal::Frame(ServerFrame::error(
                code::SESSION_MISMATCH,
                "this socket is attached to another conversation; send resume first",
                Some(session_id),
            ))),
            None => Err(Refusal::Frame(ServerFrame::error(
                code::NO_SESSION,
                "no conversation on this socket; send start or resume first",
                Some(session_id),
            ))),
        }
    }

    /// A binary frame: a piece of the utterance that `audio_end` will close.
    fn on_audio(&mut self, bytes: &[u8]) -> Option<ServerFrame> {
        if self.transcriber.is_none() {
            return Some(ServerFrame::error(
                code::STT_NOT_CONFIGURED,
                "voice input needs a speech-to-text provider; send text messages",
                self.attached.as_ref().map(|(id, _)| *id),
            ));
        }
        if self.utterance.overflow {
            return None;
        }
        if self.utterance.bytes.len() + bytes.len() > MAX_UTTERANCE_BYTES {
            // Keep nothing of it; `audio_end` reports it.
            self.utterance = Utterance {
                overflow: true,
                ..Utterance::default()
            };
            return None;
        }
        self.utterance.bytes.extend_from_slice(bytes);
        None
    }

    /// The end of an utterance: checked and transcribed off this loop (which goes on
    /// relaying frames, pings and a barge-in meanwhile); [`Connection::heard`] carries
    /// the text on. One utterance at a time per socket.
    fn audio_end(
        &mut self,
        session_id: Uuid,
        format: &str,
        sample_rate: Option<u32>,
    ) -> Result<Option<ServerFrame>, Refusal> {
        let ended = Instant::now();
        let utterance = std::mem::take(&mut self.utterance);
        let refuse = |code: &'static str, message: String| {
            Refusal::Frame(ServerFrame::error(code, message, Some(session_id)))
        };
        let Some(transcriber) = self.transcriber.clone() else {
            return Err(refuse(
                code::STT_NOT_CONFIGURED,
                "voice input needs a speech-to-text provider; send text messages".into(),
            ));
        };
        self.attached_to(session_id)?;
        let format = UtteranceFormat::parse(format).ok_or_else(|| {
            refuse(
                code::INVALID_AUDIO,
                format!("unknown audio format `{format}`; send wav, pcm16, ogg or webm"),
            )
        })?;
        if utterance.overflow {
            return Err(refuse(
                code::AUDIO_TOO_LARGE,
                UtteranceError::TooLarge.to_string(),
            ));
        }
        if self.hearing {
            return Err(refuse(
                code::SESSION_BUSY,
                "the last utterance is still being transcribed; wait for its transcript".into(),
            ));
        }
        self.hearing = true;
        let (heard, limiter, user_id) = (self.heard.clone(), self.limiter.clone(), self.user.id);
        actix_web::rt::spawn(async move {
            let text = async {
                let checked = check(format, utterance.bytes, sample_rate).await?;
                limit(limiter.as_deref(), user_id).await?;
                transcribe(&transcriber, checked).await
            }
            .await
            .map_err(|(code, message)| ServerFrame::error(code, message, Some(session_id)));
            let _ = heard
                .send(Heard {
                    session_id,
                    ended,
                    text,
                })
                .await;
        });
        Ok(None)
    }

    /// An utterance came back from transcription: say what was heard (`transcript`)
    /// and carry the text on as a message; or answer why it could not be.
    async fn heard(&mut self, heard: Heard, tx: &mpsc::Sender<Outbound>) -> Option<ServerFrame> {
        self.hearing = false;
        let Heard {
            session_id,
            ended,
            text,
        } = heard;
        let text = match text {
            Ok(text) => text,
            Err(frame) => return Some(frame),
        };
        let addr = match self.attached_to(session_id) {
            Ok(addr) => addr,
            Err(refusal) => return Some(refusal.into_frame()),
        };
        let _ = tx.try_send(Outbound::Frame(ServerFrame::Transcript {
            session_id,
            text: text.clone(),
        }));
        self.timing.ended(ended);
        self.timing.transcribed();
        send_command(&addr, self.user.id, ClientCommand::Message(text))
            .await
            .err()
            .map(|e| Refusal::Session(e, Some(session_id)).into_frame())
    }

    /// Counts a frame against the user's rate limit.
    async fn limit(&self) -> Result<(), Refusal> {
        let session_id = self.attached.as_ref().map(|(id, _)| *id);
        limit(self.limiter.as_deref(), self.user.id)
            .await
            .map_err(|(code, message)| {
                Refusal::Frame(ServerFrame::error(code, message, session_id))
            })
    }
}

/// An utterance transcribed, or the error frame that answers it.
struct Heard {
    session_id: Uuid,
    /// When `audio_end` came.
    ended: Instant,
    text: Result<String, ServerFrame>,
}

/// Why something was refused: an error code and its message.
type Refused = (&'static str, String);

/// Checks an utterance on the bounded blocking pool (decoding a long WAV is CPU work).
async fn check(
    format: UtteranceFormat,
    bytes: Vec<u8>,
    sample_rate: Option<u32>,
) -> Result<crate::audio::Utterance, Refused> {
    let checked = crate::cpu::run(crate::cpu::Lane::Live, move || {
        check_utterance(format, bytes, sample_rate)
    })
    .await
    .map_err(|_| {
        (
            code::INTERNAL_ERROR,
            "the audio could not be read".to_owned(),
        )
    })?;
    checked.map_err(|e| {
        let code = match e {
            UtteranceError::Empty => code::AUDIO_EMPTY,
            UtteranceError::TooLarge | UtteranceError::TooLong(_) => code::AUDIO_TOO_LARGE,
            UtteranceError::Undecodable { .. } => code::INVALID_AUDIO,
        };
        (code, e.to_string())
    })
}

/// The text of an utterance (at most a message's length).
async fn transcribe(
    transcriber: &Transcriber,
    utterance: crate::audio::Utterance,
) -> Result<String, Refused> {
    let text = transcriber.transcribe(utterance).await.map_err(|e| {
        // The cause (which may name hosts) is logged; the client gets the kind.
        let message = match e {
            SttError::Timeout(_) => "the speech-to-text service did not answer in time",
            SttError::Rejected(_) | SttError::Failed(_) => {
                "the speech-to-text service could not transcribe this audio"
            }
        };
        (code::STT_FAILED, message.to_owned())
    })?;
    if text.is_empty() {
        return Err((
            code::AUDIO_EMPTY,
            "no speech was heard in the audio".to_owned(),
        ));
    }
    Ok(text.chars().take(MAX_MESSAGE_CHARS).collect())
}

/// Counts a frame of `user_id` against the rate limit.
async fn limit(limiter: Option<&dyn RateLimiter>, user_id: Uuid) -> Result<(), Refused> {
    let Some(limiter) = limiter else {
        return Ok(());
    };
    match limiter.check(&format!("user:{user_id}")).await {
        Ok(decision) if !decision.allowed => Err((
            code::RATE_LIMITED,
            format!(
                "too many messages; retry in {} s",
                decision.retry_after.as_secs_f64().ceil().max(1.0)
            ),
        )),
        _ => Ok(()),
    }
}

fn voice_unavailable(session_id: Option<Uuid>) -> ServerFrame {
    ServerFrame::error(
        code::VOICE_UNAVAILABLE,
        "spoken replies need a voice: install espeak-ng or configure a speech provider; \
         replies come as text",
        session_id,
    )
}

/// Why a frame was not carried out.
enum Refusal {
    Frame(ServerFrame),
    Session(SessionError, Option<Uuid>),
}

impl Refusal {
    fn into_frame(self) -> ServerFrame {
        match self {
            Refusal::Frame(frame) => frame,
            Refusal::Session(e, session_id) => {
                ServerFrame::error(e.code(), e.public_message(), session_id)
            }
        }
    }
}

async fn send_command(
    addr: &Addr<SessionActor>,
    user_id: Uuid,
    command: ClientCommand,
) -> Result<(), SessionError> {
    ask(
        addr,
        Command {
            user_id,
            command,
            reply_to: None,
            queued: Backlog::enter("session"),
        },
    )
    .await
}

/// Sends a message whose answer is a session result; a dead mailbox becomes its error.
async fn ask<A, M, T>(addr: &Addr<A>, msg: M) -> Result<T, SessionError>
where
    A: Actor<Context = actix::Context<A>> + Handler<M>,
    M: Message<Result = Result<T, SessionError>> + Send + 'static,
    T: Send + 'static,
{
    addr.send(msg).await.map_err(SessionError::from)?
}

async fn send(
    session: &mut actix_ws::Session,
    frame: &ServerFrame,
) -> Result<(), actix_ws::Closed> {
    match serde_json::to_string(frame) {
        Ok(text) => session.text(text).await,
        Err(e) => {
            tracing::error!(error = %e, "a frame could not be encoded");
            Ok(())
        }
    }
}

fn close(code: CloseCode, description: &str) -> CloseReason {
    CloseReason {
        code,
        description: Some(description.to_owned()),
    }
}
