//! What each load session does: the scenarios, driven by the state each `response`
//! reports, with the person's side written as natural sentences.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::time::Instant;
use uuid::Uuid;

use super::client::{Failure, Socket, Target};
use super::stats::{Latency, Stats};

/// What the sessions do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scenario {
    /// From `start` to the summary in natural sentences, then `cancel` (or, with
    /// `--generate`, `confirm` and wait for the item), and again.
    Dialogue,
    /// One long conversation per session: the summary, then change after change.
    Chat,
    /// Open a conversation and hold the socket, with a heartbeat.
    Idle,
    /// Like `dialogue`, but the socket drops every two turns and a new one resumes.
    Resume,
    /// Like `dialogue`, spoken: each message is a recorded utterance streamed as binary
    /// frames and `audio_end`, and replies are voiced (`speak: true`).
    Voice,
}

impl Scenario {
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Dialogue => "dialogue",
            Scenario::Chat => "chat",
            Scenario::Idle => "idle",
            Scenario::Resume => "resume",
            Scenario::Voice => "voice",
        }
    }
}

/// A pause between turns, drawn evenly from `min..=max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThinkTime {
    pub min: Duration,
    pub max: Duration,
}

impl ThinkTime {
    /// `500ms..2s`, `1s`, `0`.
    pub fn parse(text: &str) -> Result<ThinkTime, String> {
        let (min, max) = match text.split_once("..") {
            Some((min, max)) => (parse_duration(min)?, parse_duration(max)?),
            None => {
                let one = parse_duration(text)?;
                (one, one)
            }
        };
        if min > max {
            return Err(format!("{text}: the first bound is larger than the second"));
        }
        Ok(ThinkTime { min, max })
    }

    fn draw(&self, rng: &mut StdRng) -> Duration {
        if self.max.is_zero() {
            return Duration::ZERO;
        }
        rng.random_range(self.min..=self.max)
    }
}

/// `250ms`, `30s`, `5m`, `1h`; a bare number is seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration (like 250ms, 30s, 5m)"))?;
    let seconds = match unit.trim() {
        "ms" => value / 1000.0,
        "" | "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        other => return Err(format!("unknown unit `{other}` in `{text}` (ms, s, m, h)")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("`{text}`: {e}"))
}

/// What every session of a run shares.
pub struct RunContext {
    pub target: Target,
    pub tokens: Vec<String>,
    pub source_ips: Vec<IpAddr>,
    pub stats: Stats,
    pub scenario: Scenario,
    pub content_type: &'static str,
    pub generate: bool,
    pub think: ThinkTime,
    /// With `--rate`: the time between one session's turns.
    pub pacing: Option<Duration>,
    pub heartbeat: Duration,
    pub turn_timeout: Duration,
    pub generation_timeout: Duration,
    /// `voice`: the WAV every message is spoken with.
    pub utterance: Option<Arc<Vec<u8>>>,
}

/// Bytes of an utterance per binary frame (under the server's 64 KiB frame limit).
const UTTERANCE_FRAME_BYTES: usize = 32 * 1024;

/// Turns after which a dialogue that has not reached its summary is cancelled.
const MAX_STEPS: u32 = 12;

const INTENTS: &[&str] = &[
    "I keep waking up at night and can't get back to sleep",
    "I want to feel more confident before presentations at work",
    "I'd like to feel calmer in the mornings before the kids wake up",
    "something to help me focus when I start studying",
    "I want to be kinder to myself after a long day",
    "help me let go of stress after work",
];
const CONTEXTS: &[&str] = &[
    "work has been really busy lately and my evenings feel rushed",
    "I just moved to a new city and I'm still settling in",
    "I have exams in two weeks and my mind keeps racing",
    "I'm training for a marathon and want a steadier mind",
];
const DETAILS: &[&str] = &[
    "in the evening, about ten minutes",
    "in the morning, five minutes is enough",
    "before bed, fifteen minutes please",
];
const STYLES: &[&str] = &[
    "a calm, slow voice please",
    "no preference",
    "a warm and gentle tone",
];

/// Drives one session.
pub struct Driver {
    run: Arc<RunContext>,
    index: usize,
    stop: watch::Receiver<bool>,
    socket: Option<Socket>,
    session_id: Option<Uuid>,
    next_due: Option<Instant>,
    rng: StdRng,
    /// `generation_complete` came before the reply it follows.
    generated_early: bool,
}

impl Driver {
    pub fn new(run: Arc<RunContext>, index: usize, stop: watch::Receiver<bool>) -> Driver {
        let next_due = run.pacing.map(|every| {
            // Sessions start their schedules spread over one interval.
            let mut rng = StdRng::seed_from_u64(index as u64);
            Instant::now() + every.mul_f64(rng.random::<f64>())
        });
        Driver {
            rng: StdRng::seed_from_u64(index as u64 ^ 0x5eed),
            run,
            index,
            stop,
            socket: None,
            session_id: None,
            next_due,
            generated_early: false,
        }
    }

    pub async fn run(mut self) {
        let outcome = match self.open().await {
            Ok(()) => match self.run.scenario {
                Scenario::Idle => self.idle().await,
                _ => self.converse().await,
            },
            Err(e) => Err(e),
        };
        match outcome {
            Ok(()) | Err(Failure::Stopped) => {}
            Err(failure) => self.fail(&failure),
        }
        if let Some(socket) = self.socket.take() {
            self.run.stats.socket_closed();
            socket.close().await;
        }
    }

    fn stats(&self) -> &Stats {
        &self.run.stats
    }

    fn fail(&self, failure: &Failure) {
        self.stats().error(&failure.code());
        if matches!(failure, Failure::Dropped(_)) {
            self.stats().dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn stopped(&self) -> bool {
        *self.stop.borrow()
    }

    async fn open(&mut self) -> Result<(), Failure> {
        let token = &self.run.tokens[self.index % self.run.tokens.len()];
        let source = (!self.run.source_ips.is_empty())
            .then(|| self.run.source_ips[self.index % self.run.source_ips.len()]);
        let started = Instant::now();
        let socket = Socket::connect(&self.run.target, token, source).await?;
        self.stats()
            .record(self.index, Latency::Connect, started.elapsed());
        self.stats().socket_opened();
        self.socket = Some(socket);
        Ok(())
    }

    fn socket(&mut self) -> Result<&mut Socket, Failure> {
        self.socket
            .as_mut()
            .ok_or_else(|| Failure::Dropped("SOCKET_CLOSED".into()))
    }

    /// Waits until the next turn may go, and answers the instant its latency counts
    /// from: when it was due (`--rate`), or when it is sent.
    async fn pace(&mut self) -> Result<Instant, Failure> {
        if self.stopped() {
            return Err(Failure::Stopped);
        }
        let (wake, due) = match (self.run.pacing, self.next_due) {
            (Some(every), Some(due)) => {
                self.next_due = Some(due + every);
                (due, Some(due))
            }
            _ => (Instant::now() + self.run.think.draw(&mut self.rng), None),
        };
        if wake > Instant::now() {
            let mut stop = self.stop.clone();
            tokio::select! {
                () = tokio::time::sleep_until(wake) => {}
                _ = stop.wait_for(|stopped| *stopped) => return Err(Failure::Stopped),
            }
        }
        Ok(due.unwrap_or_else(Instant::now))
    }

    /// Sends a frame that the server answers with a `response`; the state it reports.
    async fn turn(&mut self, frame: Value) -> Result<String, Failure> {
        let from = self.pace().await?;
        let timeout = self.run.turn_timeout;
        self.socket()?.send(&frame).await?;
        self.stats().sent.fetch_add(1, Ordering::Relaxed);
        let mut first_delta = true;
        loop {
            let incoming = self.socket()?.next(timeout).await?;
            match incoming.kind.as_str() {
                "response" => {
                    self.stats()
                        .record(self.index, Latency::Turn, from.elapsed());
                    return Ok(incoming.state.unwrap_or_default());
                }
                "response_delta" if first_delta => {
                    first_delta = false;
                    self.stats()
                        .record(self.index, Latency::FirstDelta, from.elapsed());
                }
                "started" => self.session_id = incoming.session_id,
                "binary" => {
                    self.stats()
                        .reply_audio_bytes
                        .fetch_add(incoming.audio_bytes as u64, Ordering::Relaxed);
                }
                "generation_complete" => self.generated_early = true,
                "generation_failed" | "error" => {
                    return Err(incoming.refusal("UNKNOWN"));
                }
                _ => {}
            }
        }
    }

    fn session_id(&self) -> Result<Uuid, Failure> {
        self.session_id
            .ok_or_else(|| Failure::Frame("CLIENT_NO_SESSION_ID".into()))
    }

    async fn start(&mut self) -> Result<String, Failure> {
        self.session_id = None;
        self.generated_early = false;
        let speak = self.run.scenario == Scenario::Voice;
        let frame = json!({"type": "start", "content_type": self.run.content_type, "speak": speak});
        let state = self.turn(frame).await?;
        self.session_id()?;
        Ok(state)
    }

    async fn say(&mut self, text: &str) -> Result<String, Failure> {
        if let Some(utterance) = self.run.utterance.clone() {
            return self.speak(&utterance).await;
        }
        let frame = json!({"type": "message", "session_id": self.session_id()?, "content": text});
        self.turn(frame).await
    }

    /// `voice`: streams the utterance, then waits for its transcript and the voiced
    /// reply. The three voice latencies run from `audio_end`.
    async fn speak(&mut self, utterance: &[u8]) -> Result<String, Failure> {
        let from = self.pace().await?;
        let timeout = self.run.turn_timeout;
        let end = json!({"type": "audio_end", "session_id": self.session_id()?, "format": "wav"});
        for chunk in utterance.chunks(UTTERANCE_FRAME_BYTES) {
            self.socket()?.send_binary(chunk.to_vec()).await?;
        }
        let ended = Instant::now();
        self.socket()?.send(&end).await?;
        self.stats().sent.fetch_add(1, Ordering::Relaxed);
        self.stats().utterances.fetch_add(1, Ordering::Relaxed);
        let (mut transcribed, mut worded, mut voiced) = (false, false, false);
        loop {
            let incoming = self.socket()?.next(timeout).await?;
            let first = |seen: &mut bool, latency| {
                if !std::mem::replace(seen, true) {
                    self.run.stats.record(self.index, latency, ended.elapsed());
                }
            };
            match incoming.kind.as_str() {
                "transcript" => first(&mut transcribed, Latency::Transcript),
                "response_delta" | "reply_audio" => first(&mut worded, Latency::ReplyText),
                "binary" => {
                    first(&mut voiced, Latency::ReplyAudio);
                    self.stats()
                        .reply_audio_bytes
                        .fetch_add(incoming.audio_bytes as u64, Ordering::Relaxed);
                }
                "response" => {
                    first(&mut worded, Latency::ReplyText);
                    self.stats()
                        .record(self.index, Latency::Turn, from.elapsed());
                    return Ok(incoming.state.unwrap_or_default());
                }
                "generation_complete" => self.generated_early = true,
                "generation_failed" | "error" => return Err(incoming.refusal("UNKNOWN")),
                _ => {}
            }
        }
    }

    async fn simple(&mut self, kind: &str) -> Result<String, Failure> {
        let frame = json!({"type": kind, "session_id": self.session_id()?});
        self.turn(frame).await
    }

    fn pick(&mut self, sentences: &[&'static str]) -> &'static str {
        sentences[self.rng.random_range(0..sentences.len())]
    }

    /// `dialogue`, `chat` and `resume`: conversations, one after another.
    async fn converse(&mut self) -> Result<(), Failure> {
        loop {
            let mut state = self.start().await?;
            let mut steps = 0u32;
            let mut summarized = false;
            loop {
                if self.run.scenario == Scenario::Resume && steps > 0 && steps.is_multiple_of(2) {
                    self.resume().await?;
                }
                steps += 1;
                state = match state.as_str() {
                    "Confirmation" => {
                        if !summarized {
                            summarized = true;
                            self.stats().conversations.fetch_add(1, Ordering::Relaxed);
                        }
                        match self.run.scenario {
                            Scenario::Chat => {
                                let minutes = self.rng.random_range(5..=30);
                                self.say(&format!("yes but make it {minutes} minutes"))
                                    .await?
                            }
                            _ if self.run.generate => self.generate().await?,
                            _ => self.simple("cancel").await?,
                        }
                    }
                    "Complete" | "Cancelled" => break,
                    "SafetyHold" | "Failed" => {
                        return Err(Failure::Frame(format!("CLIENT_UNEXPECTED_{state}")));
                    }
                    _ if steps > MAX_STEPS => self.simple("cancel").await?,
                    "ContextGathering" => {
                        let text = self.pick(CONTEXTS);
                        self.say(text).await?
                    }
                    "PracticeDetails" => {
                        let text = self.pick(DETAILS);
                        self.say(text).await?
                    }
                    "Personalization" => {
                        let text = self.pick(STYLES);
                        self.say(text).await?
                    }
                    _ => {
                        let text = self.pick(INTENTS);
                        self.say(text).await?
                    }
                };
            }
        }
    }

    /// `confirm`, then the item: the state after its last reply.
    async fn generate(&mut self) -> Result<String, Failure> {
        let started = Instant::now();
        let mut state = self.simple("confirm").await?;
        let timeout = self.run.generation_timeout;
        let mut complete = std::mem::take(&mut self.generated_early);
        while !complete || state != "Complete" {
            let incoming = self.socket()?.next(timeout).await?;
            match incoming.kind.as_str() {
                "generation_complete" => complete = true,
                "generation_failed" | "error" => {
                    return Err(incoming.refusal("GENERATION_FAILED"));
                }
                "response" => state = incoming.state.unwrap_or_default(),
                _ => {}
            }
            if complete && state == "Complete" {
                break;
            }
        }
        self.stats()
            .record(self.index, Latency::Generation, started.elapsed());
        self.stats().generations.fetch_add(1, Ordering::Relaxed);
        Ok(state)
    }

    /// Drops the socket without a goodbye, opens a new one and resumes.
    async fn resume(&mut self) -> Result<(), Failure> {
        if self.stopped() {
            return Err(Failure::Stopped);
        }
        if self.socket.take().is_some() {
            self.stats().socket_closed();
        }
        let started = Instant::now();
        self.open().await?;
        let frame = json!({"type": "resume", "session_id": self.session_id()?});
        let timeout = self.run.turn_timeout;
        self.socket()?.send(&frame).await?;
        loop {
            let incoming = self.socket()?.next(timeout).await?;
            match incoming.kind.as_str() {
                "resumed" => break,
                "error" => {
                    return Err(incoming.refusal("UNKNOWN"));
                }
                _ => {}
            }
        }
        self.stats()
            .record(self.index, Latency::Resume, started.elapsed());
        self.stats().resumes.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// `idle`: one conversation, then heartbeats until the run ends.
    async fn idle(&mut self) -> Result<(), Failure> {
        self.start().await?;
        let every = self.run.heartbeat;
        let first = every.mul_f64(self.rng.random::<f64>());
        let mut next = Instant::now() + first;
        let timeout = self.run.turn_timeout;
        loop {
            let mut stop = self.stop.clone();
            tokio::select! {
                () = tokio::time::sleep_until(next) => {}
                _ = stop.wait_for(|stopped| *stopped) => return Ok(()),
            }
            next += every;
            self.socket()?.send(&json!({"type": "ping"})).await?;
            loop {
                let incoming = self.socket()?.next(timeout).await?;
                if incoming.kind == "pong" {
                    break;
                }
                if incoming.kind == "error" {
                    return Err(incoming.refusal("UNKNOWN"));
                }
            }
            self.stats().heartbeats.fetch_add(1, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_think_times_parse() {
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_duration("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_duration("2").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("1.5m").unwrap(), Duration::from_secs(90));
        assert!(parse_duration("ten").is_err());
        assert!(parse_duration("5 weeks").is_err());
        let think = ThinkTime::parse("100ms..2s").unwrap();
        assert_eq!(
            (think.min, think.max),
            (Duration::from_millis(100), Duration::from_secs(2))
        );
        assert_eq!(ThinkTime::parse("0").unwrap(), ThinkTime::default());
        assert!(ThinkTime::parse("2s..1s").is_err());
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..100 {
            let d = think.draw(&mut rng);
            assert!(d >= think.min && d <= think.max);
        }
    }
}
