//! A local server that speaks the OpenAI chat completions API (JSON and SSE streaming),
//! for tests: scripted answers, failures and latency, and a count of requests.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::web::Bytes;
use actix_web::{App, HttpResponse, HttpServer, web};
use serde_json::{Value, json};

/// How the fake answers one kind of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// HTTP 500 with an OpenAI-style error body.
    Fail,
    /// Accepts the request and never answers.
    Hang,
    /// Streams the first piece of a reply, then nothing more (the connection stays open).
    Stall,
}

pub struct Behaviour {
    pub extraction: Mode,
    pub reply: Mode,
    pub content: Mode,
    /// Slots returned for extraction requests (the fake does not read the text).
    pub slots: Value,
    /// The words of streamed replies.
    pub reply_text: String,
}

impl Default for Behaviour {
    fn default() -> Self {
        Self {
            extraction: Mode::Normal,
            reply: Mode::Normal,
            content: Mode::Normal,
            slots: json!({}),
            reply_text:
                "Hello there, this is the fake guide speaking slowly and kindly to you now.".into(),
        }
    }
}

#[derive(Default)]
pub struct FakeState {
    pub behaviour: Mutex<Behaviour>,
    pub extraction_requests: AtomicUsize,
    pub reply_requests: AtomicUsize,
    pub content_requests: AtomicUsize,
    /// Pause between streamed pieces.
    pub chunk_delay_ms: AtomicU64,
    /// Pause before a content script is answered.
    pub content_delay_ms: AtomicU64,
    /// Each streamed reply begins with a sentence of its own ("This is reply 7 for
    /// you."), so that no two replies sound the same (for benchmarks of speech).
    pub numbered_replies: AtomicBool,
    /// Bearer token of the last request.
    pub last_authorization: Mutex<Option<String>>,
    /// The `max_tokens` of every request, in order.
    pub max_tokens: Mutex<Vec<Option<u64>>>,
}

pub struct FakeLlm {
    /// What `WAQUP_LLM_BASE_URL` should be.
    pub base_url: String,
    pub state: Arc<FakeState>,
    handle: ServerHandle,
}

impl Drop for FakeLlm {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

impl FakeLlm {
    pub fn start() -> FakeLlm {
        let state = Arc::new(FakeState::default());
        state.chunk_delay_ms.store(20, Ordering::Relaxed);
        let shared = web::Data::from(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(shared.clone())
                .app_data(web::JsonConfig::default().limit(1 << 20))
                .route("/v1/chat/completions", web::post().to(chat))
        })
        .workers(1)
        .bind(("127.0.0.1", 0))
        .expect("bind the fake LLM");
        let addr = server.addrs()[0];
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        FakeLlm {
            base_url: format!("http://{addr}/v1"),
            state,
            handle,
        }
    }

    pub fn set(&self, change: impl FnOnce(&mut Behaviour)) {
        change(&mut self.state.behaviour.lock().unwrap());
    }
}

fn system_prompt(body: &Value) -> String {
    body["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["role"] == "system")
        .filter_map(|m| m["content"].as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn completion(content: String) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "fake-model",
        "choices": [{
            "index": 0,
            "message": { "role": "assistant", "content": content },
            "finish_reason": "stop"
        }],
        "usage": { "prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20 }
    }))
}

fn failure() -> HttpResponse {
    HttpResponse::InternalServerError().json(json!({
        "error": { "message": "the fake is failing on purpose", "type": "server_error", "param": null, "code": null }
    }))
}

async fn hang() -> HttpResponse {
    tokio::time::sleep(Duration::from_secs(600)).await;
    failure()
}

async fn chat(
    state: web::Data<FakeState>,
    req: actix_web::HttpRequest,
    body: web::Json<Value>,
) -> HttpResponse {
    *state.last_authorization.lock().unwrap() = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    state
        .max_tokens
        .lock()
        .unwrap()
        .push(body["max_tokens"].as_u64());
    let system = system_prompt(&body);
    if body["stream"] == true {
        let number = state.reply_requests.fetch_add(1, Ordering::Relaxed) + 1;
        let (mode, mut text) = {
            let b = state.behaviour.lock().unwrap();
            (b.reply, b.reply_text.clone())
        };
        if state.numbered_replies.load(Ordering::Relaxed) {
            text = format!("This is reply {number} for you. {text}");
        }
        return match mode {
            Mode::Fail => failure(),
            Mode::Hang => hang().await,
            Mode::Normal => stream(text, state.chunk_delay_ms.load(Ordering::Relaxed), false),
            Mode::Stall => stream(text, state.chunk_delay_ms.load(Ordering::Relaxed), true),
        };
    }
    if system.contains("You read one message") {
        state.extraction_requests.fetch_add(1, Ordering::Relaxed);
        let (mode, slots) = {
            let b = state.behaviour.lock().unwrap();
            (b.extraction, b.slots.clone())
        };
        return match mode {
            Mode::Fail => failure(),
            Mode::Hang | Mode::Stall => hang().await,
            Mode::Normal => completion(slots.to_string()),
        };
    }
    state.content_requests.fetch_add(1, Ordering::Relaxed);
    let mode = state.behaviour.lock().unwrap().content;
    let delay = state.content_delay_ms.load(Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(delay)).await;
    match mode {
        Mode::Fail => failure(),
        Mode::Hang | Mode::Stall => hang().await,
        Mode::Normal => completion(script(&body).to_string()),
    }
}

/// A script as long as the request asks (words at 130 per minute, plus pauses).
fn script(body: &Value) -> Value {
    let brief = body["messages"][1]["content"].as_str().unwrap_or_default();
    let minutes = brief
        .split("\"duration_minutes\":")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap_or(5);
    // Two thirds speech, one third silence.
    let words = minutes * 130 * 2 / 3;
    let pauses = minutes * 60 / 3 / 20;
    let sentence = "Let your breath settle gently and notice the quiet space around you.";
    let per_sentence = sentence.split_whitespace().count() as u32;
    let mut body_text = String::new();
    let sentences = words / per_sentence;
    for i in 0..sentences {
        body_text.push_str(sentence);
        body_text.push(' ');
        if pauses > 0 && i % (sentences / pauses).max(1) == 0 {
            body_text.push_str("[pause 20s] ");
        }
    }
    json!({
        "title": "A Fake Calm",
        "sections": [
            { "kind": "opening", "text": "Welcome. This practice was written by the fake model." },
            { "kind": "body", "text": body_text.trim() },
            { "kind": "closing", "text": "Thank you for practising." }
        ],
        "tags": ["fake", "calm"]
    })
}

fn stream(text: String, delay_ms: u64, stall: bool) -> HttpResponse {
    let pieces: Vec<String> = text.split_inclusive(' ').map(str::to_owned).collect();
    let events = async_stream(pieces, delay_ms, stall);
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("cache-control", "no-cache"))
        .streaming(events)
}

fn async_stream(
    pieces: Vec<String>,
    delay_ms: u64,
    stall: bool,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    let total = pieces.len();
    futures_util::stream::unfold(
        (pieces.into_iter(), false),
        move |(mut pieces, done)| async move {
            if done {
                return None;
            }
            if stall && pieces.len() < total {
                tokio::time::sleep(Duration::from_secs(600)).await;
            }
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            match pieces.next() {
                Some(piece) => {
                    let chunk = json!({
                        "id": "chatcmpl-fake",
                        "object": "chat.completion.chunk",
                        "created": 1_700_000_000,
                        "model": "fake-model",
                        "choices": [{ "index": 0, "delta": { "content": piece }, "finish_reason": null }]
                    });
                    Some((
                        Ok(Bytes::from(format!("data: {chunk}\n\n"))),
                        (pieces, false),
                    ))
                }
                None => Some((Ok(Bytes::from_static(b"data: [DONE]\n\n")), (pieces, true))),
            }
        },
    )
}
