//! Spoken replies on the conversation socket: each sentence of a reply is voiced as it
//! streams (`reply_audio`, binary frames, `reply_audio_end`), `interrupt` cuts the audio
//! and keeps only what was sent, and the whole voice loop runs against local fakes of
//! the transcription, chat and speech APIs, or on the defaults with espeak-ng.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use waqup::audio::{Pcm, decode, to_wav, tone};

use crate::backend_tests;
use crate::fake_llm::FakeLlm;
use crate::fake_stt::FakeStt;
use crate::fake_tts::{FakeTts, SECONDS_PER_WORD};
use crate::helpers::{Backend, TestApp, espeak_installed, skip};
use crate::process::Server;
use crate::ws::{Frame, WsClient, connect};

backend_tests!(a_spoken_turn_is_heard_answered_and_voiced);

const SAID: &str = "I want to feel calm and confident before my exams";
const REPLY: &str = "Thank you for telling me that. Let us find a calm place together. \
                     Take one slow breath in and let it go. What would you like to feel today?";

/// One voiced sentence as received.
#[derive(Debug)]
struct Clip {
    seq: u64,
    text: String,
    format: String,
    bytes: Vec<u8>,
    ended: bool,
}

/// Everything a turn sent, up to its `response`.
#[derive(Debug, Default)]
struct Turn {
    /// The frames in order; a binary frame shows as `{"type": "binary"}`.
    frames: Vec<Value>,
    clips: Vec<Clip>,
    response: Value,
}

impl Turn {
    fn position(&self, kind: &str) -> Option<usize> {
        self.frames.iter().position(|f| f["type"] == kind)
    }

    fn last_position(&self, kind: &str) -> Option<usize> {
        self.frames.iter().rposition(|f| f["type"] == kind)
    }

    fn spoken(&self) -> String {
        let texts: Vec<&str> = self.clips.iter().map(|c| c.text.as_str()).collect();
        texts.join(" ")
    }
}

/// Reads one frame into `turn`; true at the `response`. Audio must come inside a clip.
fn take(turn: &mut Turn, frame: Frame) -> bool {
    match frame {
        Frame::Binary(bytes) => {
            let clip = turn.clips.last_mut().expect("audio only after reply_audio");
            assert!(!clip.ended, "audio after reply_audio_end");
            clip.bytes.extend(bytes);
            turn.frames.push(json!({ "type": "binary" }));
            false
        }
        Frame::Json(frame) => {
            match frame["type"].as_str() {
                Some("reply_audio") => {
                    if let Some(last) = turn.clips.last() {
                        assert!(last.ended, "a clip began before the last one ended");
                    }
                    assert_eq!(frame["sample_rate"], 24_000);
                    turn.clips.push(Clip {
                        seq: frame["seq"].as_u64().unwrap(),
                        text: frame["text"].as_str().unwrap().to_owned(),
                        format: frame["format"].as_str().unwrap().to_owned(),
                        bytes: Vec::new(),
                        ended: false,
                    });
                }
                Some("reply_audio_end") => {
                    let clip = turn.clips.last_mut().expect("an open clip");
                    assert_eq!(frame["seq"].as_u64(), Some(clip.seq));
                    clip.ended = true;
                }
                Some("error") => panic!("the turn failed: {frame}"),
                _ => {}
            }
            let done = frame["type"] == "response";
            if done {
                turn.response = frame.clone();
            }
            turn.frames.push(frame);
            done
        }
    }
}

async fn turn(ws: &mut WsClient) -> Turn {
    let mut turn = Turn::default();
    while !take(&mut turn, ws.next_any().await) {}
    turn
}

/// The audio of a clip, decoded.
fn heard(clip: &Clip) -> Pcm {
    assert!(clip.ended, "clip {} never ended", clip.seq);
    assert_eq!(clip.format, "mp3");
    decode(&clip.bytes).unwrap_or_else(|e| panic!("clip {} does not decode: {e}", clip.seq))
}

async fn start_speaking(ws: &mut WsClient, content_type: &str) -> String {
    ws.send(json!({ "type": "start", "content_type": content_type, "speak": true }))
        .await;
    let (_, started) = ws.until("started").await;
    started["session_id"].as_str().unwrap().to_owned()
}

async fn utter(ws: &mut WsClient, session_id: &str, wav: &[u8]) {
    for chunk in wav.chunks(32 * 1024) {
        ws.send_raw(Message::Binary(chunk.to_vec().into())).await;
    }
    ws.send(json!({ "type": "audio_end", "session_id": session_id, "format": "wav" }))
        .await;
}

/// The count of a histogram in `/metrics`.
async fn observations(app: &TestApp, histogram: &str) -> f64 {
    let metrics = app.get("/metrics", None).await.text().await.unwrap();
    let name = format!("{histogram}_count");
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(&name)?.trim().parse().ok())
        .unwrap_or(0.0)
}

/// A test app with the fakes of the transcription, chat and speech APIs.
async fn voice_app(
    backend: Backend,
    stt: &FakeStt,
    llm: &FakeLlm,
    tts: &FakeTts,
) -> Option<TestApp> {
    TestApp::builder(backend)
        .transcription_api(stt)
        .env("WAQUP_LLM_BASE_URL", &llm.base_url)
        .env("WAQUP_LLM_API_KEY", "sk-test")
        .env("WAQUP_LLM_MODEL", "fake-model")
        .env("WAQUP_LLM_TIMEOUT_SECS", "10")
        .speech_api(tts)
        .spawn()
        .await
}

async fn a_spoken_turn_is_heard_answered_and_voiced(backend: Backend) {
    let (stt, llm, tts) = (FakeStt::start(SAID), FakeLlm::start(), FakeTts::start());
    // A word every 60 ms: the reply takes over a second to write.
    llm.state.chunk_delay_ms.store(60, Ordering::Relaxed);
    let Some(app) = voice_app(backend, &stt, &llm, &tts).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut ws = app.ws(&user.access).await;
    let session_id = start_speaking(&mut ws, "affirmation").await;

    // The greeting is voiced too.
    let greeting = turn(&mut ws).await;
    assert!(!greeting.clips.is_empty(), "{:?}", greeting.frames);
    assert_eq!(greeting.spoken(), greeting.response["content"]);

    llm.set(|b| b.reply_text = REPLY.into());
    let wav = to_wav(&tone(2.0, 16_000));
    utter(&mut ws, &session_id, &wav).await;
    let (_, transcript) = ws.until("transcript").await;
    assert_eq!(transcript["text"], SAID);
    let answer = turn(&mut ws).await;

    // The words stream, and the sentences are voiced in order as they complete.
    assert_eq!(answer.response["content"], REPLY);
    assert!(answer.response.get("interrupted").is_none());
    let texts: Vec<&str> = answer.clips.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Thank you for telling me that.",
            "Let us find a calm place together.",
            "Take one slow breath in and let it go.",
            "What would you like to feel today?"
        ]
    );
    let first_seq = greeting.clips.last().unwrap().seq + 1;
    for (i, clip) in answer.clips.iter().enumerate() {
        assert_eq!(clip.seq, first_seq + i as u64);
        // Real audio of the sentence: the fake speaks 0.4 s a word.
        let pcm = heard(clip);
        let words = clip.text.split_whitespace().count() as f64;
        assert!(
            (pcm.seconds() - words * SECONDS_PER_WORD).abs() < 0.5,
            "{}: {} s",
            clip.text,
            pcm.seconds()
        );
    }
    // The first sentence was heard before the model had finished writing.
    let first_audio = answer.position("binary").unwrap();
    let last_delta = answer.last_position("response_delta").unwrap();
    assert!(first_audio < last_delta, "{:?}", answer.frames);
    assert!(answer.position("response_delta").unwrap() < first_audio);

    // The turn's latency, from the end of the utterance, is in the metrics.
    for histogram in [
        "voice_transcript_seconds",
        "voice_reply_text_seconds",
        "voice_reply_audio_seconds",
    ] {
        assert!(observations(&app, histogram).await >= 1.0, "{histogram}");
    }
}

#[actix_web::test]
async fn interrupt_stops_the_audio_and_keeps_only_what_was_sent() {
    let (stt, llm, tts) = (FakeStt::start(SAID), FakeLlm::start(), FakeTts::start());
    llm.state.chunk_delay_ms.store(100, Ordering::Relaxed);
    tts.state.delay_ms.store(250, Ordering::Relaxed);
    let Some(app) = voice_app(Backend::Embedded, &stt, &llm, &tts).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut ws = app.ws(&user.access).await;
    let session_id = start_speaking(&mut ws, "guided_meditation").await;
    turn(&mut ws).await;

    let long = "Let us begin slowly now. Feel your feet on the floor. Let your shoulders \
                drop down. Breathe in through your nose. Breathe out through your mouth. \
                Notice the air grow warm. Let the thoughts pass by. Stay with this breath.";
    llm.set(|b| b.reply_text = long.into());
    ws.send(json!({ "type": "message", "session_id": session_id, "content": "I need to relax" }))
        .await;
    // Barge in as soon as the guide is heard.
    let mut cut = Turn::default();
    loop {
        let frame = ws.next_any().await;
        let audio = matches!(frame, Frame::Binary(_));
        assert!(!take(&mut cut, frame), "the reply ended before its audio");
        if audio {
            break;
        }
    }
    ws.send(json!({ "type": "interrupt", "session_id": session_id }))
        .await;
    let before = cut.frames.len();
    while !take(&mut cut, ws.next_any().await) {}
    let after = &cut.frames[before..];
    let audio_after = after.iter().filter(|f| f["type"] == "binary").count();
    assert!(
        audio_after <= 1,
        "audio went on after the interrupt: {after:?}"
    );
    assert!(
        after.iter().all(|f| f["type"] != "reply_audio"),
        "a new sentence began after the interrupt: {after:?}"
    );

    // Nothing more of it comes later either (the next sentence would be ready by now).
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    ws.send(json!({ "type": "ping" })).await;
    match ws.next_any().await {
        Frame::Json(frame) if frame["type"] == "pong" => {}
        frame => panic!("after the cut reply: {frame:?}"),
    }

    // The reply ends cut short, keeping the sentences sent and no more.
    let response = &cut.response;
    assert_eq!(response["interrupted"], true);
    let kept = response["content"].as_str().unwrap();
    assert_eq!(kept, cut.spoken());
    assert!(!kept.is_empty() && long.starts_with(kept) && kept.len() < long.len());
    let state = app
        .get(
            &format!("/api/v1/conversation/state?session_id={session_id}"),
            Some(&user.access),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let log = state["messages"].as_array().unwrap();
    assert_eq!(log.last().unwrap()["content"], kept);

    // The next turn is answered and voiced in full.
    let next = "Welcome back to the practice. We can carry on together.";
    llm.set(|b| b.reply_text = next.into());
    tts.state.delay_ms.store(0, Ordering::Relaxed);
    ws.send(json!({ "type": "message", "session_id": session_id, "content": "ok, go on" }))
        .await;
    let answer = turn(&mut ws).await;
    assert_eq!(answer.response["content"], next);
    assert_eq!(answer.spoken(), next);
    answer.clips.iter().for_each(|clip| drop(heard(clip)));
}

/// With no voice (the placeholder tone), asking for spoken replies says so, and the
/// conversation goes on in text. A voice that fails mid-reply leaves the words.
#[actix_web::test]
async fn without_a_working_voice_replies_come_as_text_with_a_clear_error() {
    let Some(app) = TestApp::builder(Backend::Embedded)
        .env("WAQUP_TTS_PROVIDER", "placeholder")
        .spawn()
        .await
    else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut ws = app.ws(&user.access).await;
    ws.send(json!({ "type": "start", "content_type": "affirmation", "speak": true }))
        .await;
    let (before, started) = ws.until("started").await;
    assert_eq!(before[0]["code"], "VOICE_UNAVAILABLE", "{before:?}");
    let session_id = started["session_id"].as_str().unwrap().to_owned();
    let greeting = turn(&mut ws).await;
    assert!(greeting.clips.is_empty());
    ws.send(json!({ "type": "voice", "session_id": session_id, "speak": true }))
        .await;
    assert_eq!(ws.recv().await["code"], "VOICE_UNAVAILABLE");
    let reply = ws.say(&session_id, "help me sleep better").await;
    assert!(reply["content"].as_str().is_some_and(|c| !c.is_empty()));

    let tts = FakeTts::start();
    tts.state.fail_all.store(true, Ordering::Relaxed);
    let Some(app) = TestApp::builder(Backend::Embedded)
        .speech_api(&tts)
        .spawn()
        .await
    else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut ws = app.ws(&user.access).await;
    start_speaking(&mut ws, "affirmation").await;
    let (before, greeting) = ws.until("response").await;
    let failed: Vec<&Value> = before.iter().filter(|f| f["type"] == "error").collect();
    assert_eq!(failed.len(), 1, "{before:?}");
    assert_eq!(failed[0]["code"], "REPLY_AUDIO_FAILED");
    assert!(!failed[0]["message"].as_str().unwrap().contains("fake"));
    assert!(greeting["content"].as_str().is_some_and(|c| !c.is_empty()));
    assert!(tts.requests() > 0);
}

/// The defaults with espeak-ng installed and no LLM: a conversation with spoken replies
/// from the greeting to the finished item, against the `waqup serve` binary.
#[actix_web::test]
async fn on_the_defaults_espeak_voices_a_whole_conversation() {
    if !espeak_installed() {
        skip("espeak-ng");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &HashMap::new());
    let client = reqwest::Client::new();
    let token = server.sign_up(&client).await;
    let mut ws = connect(&server.base, &token).await;
    let session_id = start_speaking(&mut ws, "affirmation").await;

    let greeting = turn(&mut ws).await;
    assert_eq!(
        words(&json!(greeting.spoken())),
        words(&greeting.response["content"])
    );
    for clip in &greeting.clips {
        assert_is_speech(&heard(clip), &clip.text);
    }

    ws.send(json!({ "type": "message", "session_id": session_id, "content": SAID }))
        .await;
    let summary = turn(&mut ws).await;
    assert_eq!(
        summary.response["state"],
        "Confirmation",
        "{}",
        server.log()
    );
    assert!(!summary.clips.is_empty());
    for clip in &summary.clips {
        assert_is_speech(&heard(clip), &clip.text);
    }

    // Voice off: what follows is text only, and the item is made.
    ws.send(json!({ "type": "voice", "session_id": session_id, "speak": false }))
        .await;
    ws.send(json!({ "type": "confirm", "session_id": session_id }))
        .await;
    loop {
        let Frame::Json(frame) = ws.next_any().await else {
            panic!("audio after the voice was turned off");
        };
        assert_ne!(frame["type"], "reply_audio");
        assert_ne!(frame["type"], "error", "{frame}");
        if frame["type"] == "generation_complete" {
            assert_eq!(frame["content"]["status"], "ready", "{frame}");
            break;
        }
    }
}

fn words(text: &Value) -> String {
    text.as_str()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Speech, not silence or a steady tone: loud enough, and its loudness comes and goes.
fn assert_is_speech(pcm: &Pcm, text: &str) {
    assert!(pcm.seconds() > 0.4, "{text}: {} s", pcm.seconds());
    let window = (pcm.sample_rate / 20) as usize;
    let levels: Vec<f64> = pcm
        .samples
        .chunks(window)
        .map(|w| (w.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>() / w.len() as f64).sqrt())
        .collect();
    let loud = levels.iter().cloned().fold(0.0, f64::max);
    let quiet = levels.iter().cloned().fold(f64::MAX, f64::min);
    assert!(loud > 1000.0, "{text}: too quiet ({loud})");
    assert!(quiet < loud / 4.0, "{text}: no pauses between sounds");
}
