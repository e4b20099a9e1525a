//! A local server that speaks OpenAI's transcription API: `POST
//! /v1/audio/transcriptions`, a multipart form with `file` and `model`, answered with
//! `{"text": ...}`. It reads the uploaded audio as a real API would: a WAV must decode
//! (its length is kept for the test), an Ogg or WebM file must carry its signature;
//! anything else is a 400 in OpenAI's error shape.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::json;

#[derive(Default)]
pub struct SttState {
    /// What every transcription says.
    pub transcript: Mutex<String>,
    /// Answer with HTTP 500.
    pub fail: AtomicBool,
    /// Milliseconds to wait before answering (a remote model's time).
    pub delay_ms: AtomicU64,
    pub requests: AtomicUsize,
    /// `(file name, model, seconds when WAV)` of each upload.
    pub uploads: Mutex<Vec<(String, String, Option<f64>)>>,
}

pub struct FakeStt {
    /// What `WAQUP_STT_BASE_URL` should be.
    pub base_url: String,
    pub state: Arc<SttState>,
    handle: ServerHandle,
}

impl Drop for FakeStt {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

impl FakeStt {
    pub fn start(transcript: &str) -> FakeStt {
        let state = Arc::new(SttState {
            transcript: Mutex::new(transcript.to_owned()),
            ..SttState::default()
        });
        let shared = web::Data::from(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(shared.clone())
                .app_data(web::PayloadConfig::new(64 << 20))
                .route("/v1/audio/transcriptions", web::post().to(transcribe))
        })
        .workers(1)
        .bind(("127.0.0.1", 0))
        .expect("bind the fake STT");
        let addr = server.addrs()[0];
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        FakeStt {
            base_url: format!("http://{addr}/v1"),
            state,
            handle,
        }
    }

    pub fn requests(&self) -> usize {
        self.state.requests.load(Ordering::Relaxed)
    }

    pub fn uploads(&self) -> Vec<(String, String, Option<f64>)> {
        self.state.uploads.lock().unwrap().clone()
    }
}

fn invalid(message: &str) -> HttpResponse {
    HttpResponse::BadRequest().json(json!({
        "error": { "message": message, "type": "invalid_request_error", "param": "file", "code": null }
    }))
}

async fn transcribe(
    state: web::Data<SttState>,
    req: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    state.requests.fetch_add(1, Ordering::Relaxed);
    let delay = state.delay_ms.load(Ordering::Relaxed);
    if delay > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
    }
    if state.fail.load(Ordering::Relaxed) {
        return HttpResponse::InternalServerError().json(
            json!({ "error": { "message": "the model is overloaded", "type": "server_error" } }),
        );
    }
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some(boundary) = content_type.split("boundary=").nth(1) else {
        return invalid("expected multipart/form-data");
    };
    let parts = multipart(&body, boundary.trim_matches('"'));
    let model = parts
        .iter()
        .find(|p| p.name == "model")
        .map(|p| String::from_utf8_lossy(&p.body).into_owned());
    let Some(file) = parts.iter().find(|p| p.name == "file") else {
        return invalid("no file part");
    };
    let Some(model) = model else {
        return invalid("no model part");
    };
    let file_name = file.file_name.clone().unwrap_or_default();
    let seconds = if file_name.ends_with(".wav") {
        match waqup::audio::decode(&file.body) {
            Ok(pcm) => Some(pcm.seconds()),
            Err(e) => return invalid(&format!("the WAV does not decode: {e}")),
        }
    } else if file_name.ends_with(".ogg") && file.body.starts_with(b"OggS")
        || file_name.ends_with(".webm") && file.body.starts_with(&[0x1A, 0x45, 0xDF, 0xA3])
    {
        None
    } else {
        return invalid("unsupported file format");
    };
    state
        .uploads
        .lock()
        .unwrap()
        .push((file_name, model, seconds));
    let text = state.transcript.lock().unwrap().clone();
    // As OpenAI answers whisper-1: the text and the seconds billed.
    let billed = seconds.unwrap_or(1.0).ceil();
    HttpResponse::Ok().json(json!({
        "text": text,
        "usage": { "type": "duration", "seconds": billed }
    }))
}

struct Part {
    name: String,
    file_name: Option<String>,
    body: Vec<u8>,
}

/// The parts of a multipart body (RFC 7578), read the plain way.
fn multipart(body: &[u8], boundary: &str) -> Vec<Part> {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut rest = body;
    while let Some(start) = find(rest, &delimiter) {
        rest = &rest[start + delimiter.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        let Some(end) = find(rest, &delimiter) else {
            break;
        };
        let part = &rest[..end];
        let Some(split) = find(part, b"\r\n\r\n") else {
            continue;
        };
        let headers = String::from_utf8_lossy(&part[..split]).into_owned();
        let disposition = headers
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
            .unwrap_or_default();
        let mut content = &part[split + 4..];
        if content.ends_with(b"\r\n") {
            content = &content[..content.len() - 2];
        }
        let param = |key: &str| {
            disposition
                .split(';')
                .map(str::trim)
                .find_map(|p| p.strip_prefix(&format!("{key}=")))
                .map(|v| v.trim_matches('"').to_owned())
        };
        parts.push(Part {
            name: param("name").unwrap_or_default(),
            file_name: param("filename"),
            body: content.to_vec(),
        });
    }
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
