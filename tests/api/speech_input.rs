//! Speech in: binary frames carry an utterance, `audio_end` closes it, a transcription
//! API (a local fake speaking OpenAI's multipart API) hears it, and the text goes on as
//! a message. Bad audio gets a clear error and leaves the session as it was.

use serde_json::json;
use tokio_tungstenite::tungstenite::Message;
use waqup::audio::{Pcm, to_wav, tone};

use crate::backend_tests;
use crate::fake_stt::FakeStt;
use crate::helpers::{Backend, TestApp};
use crate::ws::WsClient;

backend_tests!(a_spoken_utterance_is_transcribed_and_answered);

const SAID: &str = "I want to feel calm and confident before my exams";
/// Binary frames of this size (under the 64 KiB frame limit).
const CHUNK: usize = 32 * 1024;

async fn app_with_stt(backend: Backend, stt: &FakeStt) -> Option<TestApp> {
    TestApp::builder(backend)
        .transcription_api(stt)
        .spawn()
        .await
}

/// Sends `audio` as binary frames, then `audio_end`.
async fn speak(ws: &mut WsClient, session_id: &str, audio: &[u8], format: &str) {
    for chunk in audio.chunks(CHUNK) {
        ws.send_raw(Message::Binary(chunk.to_vec().into())).await;
    }
    ws.send(json!({ "type": "audio_end", "session_id": session_id, "format": format }))
        .await;
}

/// The `transcript` of the utterance just sent; an `error` before it fails the test.
async fn heard(ws: &mut WsClient) -> serde_json::Value {
    loop {
        let frame = ws.recv().await;
        match frame["type"].as_str() {
            Some("transcript") => return frame,
            Some("error") => panic!("the utterance was refused: {frame}"),
            _ => {}
        }
    }
}

async fn a_spoken_utterance_is_transcribed_and_answered(backend: Backend) {
    let stt = FakeStt::start(SAID);
    let Some(app) = app_with_stt(backend, &stt).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut ws = app.ws(&user.access).await;
    let (session_id, _) = ws.start("affirmation").await;

    // 2.5 s of 22.05 kHz audio: a real WAV of about 110 KB, so several frames.
    let wav = to_wav(&tone(2.5, 22_050));
    assert!(wav.len() > 3 * CHUNK);
    speak(&mut ws, &session_id, &wav, "wav").await;
    let transcript = heard(&mut ws).await;
    assert_eq!(transcript["text"], SAID);
    assert_eq!(transcript["session_id"], session_id.as_str());
    // Heard as a typed message would be: the details it names move to the summary.
    let reply = ws.until("response").await.1;
    assert_eq!(reply["state"], "Confirmation", "{reply}");

    // What the API received: the WAV itself, named so, with the configured model.
    let uploads = stt.uploads();
    assert_eq!(uploads.len(), 1);
    let (name, model, seconds) = &uploads[0];
    assert_eq!(name, "utterance.wav");
    assert_eq!(model, "whisper-1");
    assert!((seconds.unwrap() - 2.5).abs() < 0.01, "{seconds:?}");

    // The transcript is in the conversation's log like a typed message.
    let state = app
        .get(
            &format!("/api/v1/conversation/state?session_id={session_id}"),
            Some(&user.access),
        )
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let said: Vec<&str> = state["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "user")
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(said, [SAID]);
}

#[actix_web::test]
async fn raw_pcm_and_browser_recordings_are_uploaded_as_their_format() {
    let stt = FakeStt::start("something for sleep");
    let Some(app) = app_with_stt(Backend::Embedded, &stt).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut ws = app.ws(&user.access).await;
    let (session_id, _) = ws.start("guided_meditation").await;

    // One second of 16 kHz PCM: sent raw, uploaded as WAV of that length.
    let pcm = tone(1.0, 16_000);
    let raw: Vec<u8> = pcm.samples.iter().flat_map(|s| s.to_le_bytes()).collect();
    speak(&mut ws, &session_id, &raw, "pcm16").await;
    assert_eq!(heard(&mut ws).await["text"], "something for sleep");
    ws.until("response").await;

    // A WebM recording (as Chrome's MediaRecorder makes) goes as it is.
    let mut webm = vec![0x1A, 0x45, 0xDF, 0xA3];
    webm.extend(std::iter::repeat_n(7u8, 5000));
    speak(&mut ws, &session_id, &webm, "webm").await;
    assert_eq!(heard(&mut ws).await["text"], "something for sleep");
    ws.until("response").await;

    let uploads = stt.uploads();
    assert_eq!(uploads[0].0, "utterance.wav");
    assert!((uploads[0].2.unwrap() - 1.0).abs() < 0.01);
    assert_eq!(uploads[1].0, "utterance.webm");
}

#[actix_web::test]
async fn bad_audio_gets_clear_errors_and_the_session_survives() {
    let stt = FakeStt::start(SAID);
    let Some(app) = app_with_stt(Backend::Embedded, &stt).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut ws = app.ws(&user.access).await;
    let (session_id, _) = ws.start("affirmation").await;

    let noise: Vec<u8> = (0..100_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    // 50 MB of audio, in frames under the frame limit.
    let huge = vec![0u8; 50 * 1024 * 1024];
    let silence = to_wav(&Pcm {
        sample_rate: 16_000,
        samples: Vec::new(),
    });
    let cases: Vec<(&[u8], &str, &str)> = vec![
        (&noise, "wav", "INVALID_AUDIO"),
        (&noise, "ogg", "INVALID_AUDIO"),
        (&noise, "webm", "INVALID_AUDIO"),
        (&noise, "mp4", "INVALID_AUDIO"),
        (&[1, 2, 3], "pcm16", "INVALID_AUDIO"),
        (&huge, "wav", "AUDIO_TOO_LARGE"),
        (&[], "wav", "AUDIO_EMPTY"),
        (&silence, "wav", "AUDIO_EMPTY"),
    ];
    for (audio, format, code) in cases {
        speak(&mut ws, &session_id, audio, format).await;
        let (_, error) = ws.until("error").await;
        assert_eq!(error["code"], code, "{format}: {error}");
        assert!(!error["message"].as_str().unwrap().is_empty());
    }
    // Nothing bad reached the API, and the conversation is where it was.
    assert_eq!(stt.requests(), 0);
    let reply = ws.say(&session_id, "gratitude").await;
    assert_eq!(reply["state"], "Confirmation");

    // The API failing is a clear error too; the next utterance works again.
    stt.state
        .fail
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let (session_id, _) = ws.start("affirmation").await;
    let wav = to_wav(&tone(1.0, 16_000));
    speak(&mut ws, &session_id, &wav, "wav").await;
    let failed = ws.until("error").await.1;
    assert_eq!(failed["code"], "STT_FAILED");
    // The provider's own words (and where it lives) stay in the log.
    let message = failed["message"].as_str().unwrap();
    assert!(
        !message.contains("overloaded") && !message.contains("127.0.0.1"),
        "{message}"
    );
    stt.state
        .fail
        .store(false, std::sync::atomic::Ordering::Relaxed);
    speak(&mut ws, &session_id, &wav, "wav").await;
    assert_eq!(heard(&mut ws).await["text"], SAID);
    assert_eq!(ws.until("response").await.1["state"], "Confirmation");
}

/// A transcription runs off the socket's loop: the socket answers other frames while
/// it waits, and a second utterance meanwhile is refused, not queued behind it.
#[actix_web::test]
async fn the_socket_stays_responsive_while_an_utterance_is_transcribed() {
    let stt = FakeStt::start(SAID);
    stt.state
        .delay_ms
        .store(1_500, std::sync::atomic::Ordering::Relaxed);
    let Some(app) = app_with_stt(Backend::Embedded, &stt).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut ws = app.ws(&user.access).await;
    let (session_id, _) = ws.start("affirmation").await;
    let wav = to_wav(&tone(1.0, 16_000));
    speak(&mut ws, &session_id, &wav, "wav").await;
    ws.send(json!({ "type": "ping" })).await;
    assert_eq!(ws.recv().await["type"], "pong");
    speak(&mut ws, &session_id, &wav, "wav").await;
    let busy = ws.recv().await;
    assert_eq!(busy["code"], "SESSION_BUSY", "{busy}");
    assert_eq!(heard(&mut ws).await["text"], SAID);
    assert_eq!(ws.until("response").await.1["state"], "Confirmation");
    assert_eq!(stt.requests(), 1);
}
