//! A local server that speaks two speech APIs with real audio: OpenAI's
//! `POST /v1/audio/speech` (raw 24 kHz PCM or WAV) and ElevenLabs'
//! `POST /v1/text-to-speech/{voice_id}` (MP3). Failures and latency are scripted;
//! requests are counted and the last one kept.

use std::f64::consts::TAU;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::{Value, json};
use waqup::audio::{self, Assembly, Pcm, Piece};

pub const ELEVENLABS_KEY: &str = "xi-test-key";
/// Seconds of "speech" per word (150 words a minute).
pub const SECONDS_PER_WORD: f64 = 0.4;

#[derive(Default)]
pub struct TtsState {
    /// Answer this many next requests with HTTP 500.
    pub fail_next: AtomicUsize,
    /// Answer every request with HTTP 500.
    pub fail_all: AtomicBool,
    /// Wait this long before answering.
    pub delay_ms: AtomicU64,
    pub openai_requests: AtomicUsize,
    pub elevenlabs_requests: AtomicUsize,
    /// The JSON body of the last request.
    pub last_body: Mutex<Value>,
    /// The voice (OpenAI `voice`, or the ElevenLabs path) of every request.
    pub voices: Mutex<Vec<String>>,
}

pub struct FakeTts {
    /// What `WAQUP_TTS_BASE_URL` should be.
    pub openai_base_url: String,
    /// What `WAQUP_ELEVENLABS_BASE_URL` should be.
    pub elevenlabs_base_url: String,
    pub state: Arc<TtsState>,
    handle: ServerHandle,
}

impl Drop for FakeTts {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

impl FakeTts {
    pub fn start() -> FakeTts {
        let state = Arc::new(TtsState::default());
        let shared = web::Data::from(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(shared.clone())
                .route("/v1/audio/speech", web::post().to(openai_speech))
                .route(
                    "/v1/text-to-speech/{voice_id}",
                    web::post().to(elevenlabs_speech),
                )
        })
        .workers(2)
        .bind(("127.0.0.1", 0))
        .expect("bind the fake TTS");
        let addr = server.addrs()[0];
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        FakeTts {
            openai_base_url: format!("http://{addr}/v1"),
            elevenlabs_base_url: format!("http://{addr}"),
            state,
            handle,
        }
    }

    pub fn requests(&self) -> usize {
        self.state.openai_requests.load(Ordering::Relaxed)
            + self.state.elevenlabs_requests.load(Ordering::Relaxed)
    }
}

/// A voice-like signal as long as `text` takes to say: a wavering tone shaped into
/// syllables.
pub fn speech_for(text: &str, sample_rate: u32) -> Pcm {
    let words = text.split_whitespace().count().max(1);
    let seconds = words as f64 * SECONDS_PER_WORD;
    let n = (seconds * f64::from(sample_rate)) as usize;
    let samples = (0..n)
        .map(|i| {
            let t = i as f64 / f64::from(sample_rate);
            let pitch = 180.0 + 30.0 * (TAU * 0.7 * t).sin();
            let syllables = (TAU * 4.0 * t).sin().abs();
            (9000.0 * syllables * (TAU * pitch * t).sin()) as i16
        })
        .collect();
    Pcm {
        sample_rate,
        samples,
    }
}

/// Sleeps the scripted delay, then says whether this request must fail.
async fn scripted_failure(state: &TtsState) -> bool {
    let delay = state.delay_ms.load(Ordering::Relaxed);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    state.fail_all.load(Ordering::Relaxed)
        || state
            .fail_next
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_ok()
}

fn openai_error(status: u16, message: &str) -> HttpResponse {
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap()).json(json!({
        "error": { "message": message, "type": "invalid_request_error", "param": null, "code": null }
    }))
}

async fn openai_speech(state: web::Data<TtsState>, body: web::Json<Value>) -> HttpResponse {
    state.openai_requests.fetch_add(1, Ordering::Relaxed);
    *state.last_body.lock().unwrap() = body.0.clone();
    let (Some(input), Some(voice), Some(_model)) = (
        body["input"].as_str(),
        body["voice"].as_str(),
        body["model"].as_str(),
    ) else {
        return openai_error(400, "model, input and voice are required");
    };
    state.voices.lock().unwrap().push(voice.to_owned());
    if scripted_failure(&state).await {
        return openai_error(500, "the fake is failing on purpose");
    }
    let speech = speech_for(input, 24_000);
    match body["response_format"].as_str().unwrap_or("mp3") {
        "pcm" => {
            let bytes: Vec<u8> = speech
                .samples
                .iter()
                .flat_map(|s| s.to_le_bytes())
                .collect();
            HttpResponse::Ok().content_type("audio/pcm").body(bytes)
        }
        "wav" => HttpResponse::Ok()
            .content_type("audio/wav")
            .body(audio::to_wav(&speech)),
        other => openai_error(400, &format!("the fake does not make {other}")),
    }
}

async fn elevenlabs_speech(
    state: web::Data<TtsState>,
    request: HttpRequest,
    voice_id: web::Path<String>,
    query: web::Query<std::collections::HashMap<String, String>>,
    body: web::Json<Value>,
) -> HttpResponse {
    state.elevenlabs_requests.fetch_add(1, Ordering::Relaxed);
    *state.last_body.lock().unwrap() = body.0.clone();
    state.voices.lock().unwrap().push(voice_id.into_inner());
    let key = request
        .headers()
        .get("xi-api-key")
        .and_then(|v| v.to_str().ok());
    if key != Some(ELEVENLABS_KEY) {
        return HttpResponse::Unauthorized().json(json!({
            "detail": { "status": "invalid_api_key", "message": "Invalid API key" }
        }));
    }
    let (Some(text), Some(_model)) = (body["text"].as_str(), body["model_id"].as_str()) else {
        return HttpResponse::UnprocessableEntity().json(json!({
            "detail": [{ "loc": ["body", "text"], "msg": "field required", "type": "value_error.missing" }]
        }));
    };
    if query.get("output_format").map(String::as_str) != Some("mp3_44100_128") {
        return HttpResponse::BadRequest().json(json!({
            "detail": { "status": "invalid_output_format", "message": "the fake makes mp3_44100_128" }
        }));
    }
    if scripted_failure(&state).await {
        return HttpResponse::InternalServerError().json(json!({
            "detail": { "status": "internal_error", "message": "the fake is failing on purpose" }
        }));
    }
    let speech = speech_for(text, 44_100);
    let options = Assembly {
        sample_rate: 44_100,
        ..Assembly::default()
    };
    let mp3 = audio::assemble(vec![Piece::Speech(speech)], &options).expect("encode mp3");
    HttpResponse::Ok()
        .content_type("audio/mpeg")
        .body(mp3.bytes)
}
