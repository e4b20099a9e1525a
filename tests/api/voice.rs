//! Voice: every generated item becomes audio that plays, lasts what was asked, is
//! stored under its key, and costs nothing when speech fails.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;
use waqup::audio::AudioFormat;
use waqup::blob::BlobKey;
use waqup::domain::{Pace, Tone};
use waqup::generation::narration::{NarrationRequest, Narrator};
use waqup::providers::tts::voices;

use crate::backend_tests;
use crate::conversation::{balance, fetch, grant};
use crate::fake_tts::{ELEVENLABS_KEY, FakeTts};
use crate::helpers::{Backend, TestApp, Tokens, expect_status};

backend_tests!(
    a_ten_minute_meditation_plays_for_ten_minutes,
    speech_failing_on_every_try_fails_the_item_and_refunds,
    speech_failing_once_is_retried_and_charged_once,
);

/// Fetches an item's audio URL as a player would; returns the decoded seconds.
pub async fn play(app: &TestApp, item: &Value) -> f64 {
    let bytes = fetch_audio(app, item).await;
    let pcm = waqup::audio::decode(&bytes).expect("the audio decodes");
    assert!(
        pcm.samples.iter().any(|s| s.unsigned_abs() > 1000),
        "silent audio"
    );
    pcm.seconds()
}

/// The bytes behind an item's (absolute or path-only) playback URL.
pub async fn fetch_audio(app: &TestApp, item: &Value) -> Vec<u8> {
    let url = item["audio_url"].as_str().expect("an audio URL");
    let url = if url.starts_with('/') {
        app.url(url)
    } else {
        url.to_owned()
    };
    let response = app.client.get(url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let format = item["audio_format"].as_str().unwrap();
    let expected = if format == "mp3" {
        "audio/mpeg"
    } else {
        "audio/ogg"
    };
    assert_eq!(content_type, expected);
    response.bytes().await.unwrap().to_vec()
}

async fn post(app: &TestApp, user: &Tokens, path: &str, body: Value) -> reqwest::Response {
    app.send_json(reqwest::Method::POST, path, Some(&user.access), &body)
        .await
}

/// Over the REST mirror: a practice of `content_type` for `intent`, told `details`,
/// confirmed. Returns the new item's id.
async fn confirm(app: &TestApp, user: &Tokens, content_type: &str, details: &[&str]) -> String {
    let started = post(
        app,
        user,
        "/api/v1/conversation/start",
        json!({ "content_type": content_type, "intent": "sleep" }),
    )
    .await;
    let started = expect_status(started, StatusCode::CREATED).await;
    let session_id = started["session_id"].as_str().unwrap().to_owned();
    for line in details {
        let said = post(
            app,
            user,
            "/api/v1/conversation/message",
            json!({ "session_id": session_id, "message": line }),
        )
        .await;
        expect_status(said, StatusCode::OK).await;
    }
    let done = post(
        app,
        user,
        "/api/v1/conversation/complete",
        json!({ "session_id": session_id, "confirm": true }),
    )
    .await;
    let done = expect_status(done, StatusCode::OK).await;
    done["content_id"].as_str().unwrap().to_owned()
}

/// Polls the item until it is no longer generating.
async fn finished(app: &TestApp, user: &Tokens, content_id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let item = fetch(app, user, &format!("/api/v1/content/{content_id}")).await;
        if item["status"] != "generating" {
            return item;
        }
        assert!(Instant::now() < deadline, "still generating: {item}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn a_ten_minute_meditation_plays_for_ten_minutes(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    grant(&app, user.user_id, 1).await;
    let content_id = confirm(
        &app,
        &user,
        "guided_meditation",
        &["ten minutes before bed", "a calm male voice, slowly"],
    )
    .await;
    let item = finished(&app, &user, &content_id).await;
    assert_eq!(item["status"], "ready", "{item}");
    assert_eq!(item["context"]["duration_minutes"], 10);
    assert_eq!(item["voice_id"], "river", "{item}");
    let duration = item["audio_duration"].as_i64().unwrap();
    let played = play(&app, &item).await;
    assert!(
        (played - duration as f64).abs() <= 1.0,
        "{played} vs {duration}"
    );
    assert!(
        (540.0..=660.0).contains(&played),
        "a 10-minute meditation lasts {played} s"
    );
    assert!(item["audio_url_expires_at"].is_string());
    assert_eq!(
        balance(&app, &user).await["balance"],
        0,
        "charged its 2 credits"
    );

    // Stored under audio/{user}/{item}/{version}.{ext}.
    let key = BlobKey::audio(
        user.user_id,
        content_id.parse().unwrap(),
        1,
        item["audio_format"].as_str().unwrap(),
    );
    let blobs = &app.state.blobs;
    assert!(blobs.exists(&key).await.unwrap(), "no object at {key}");
    let expected_store =
        if backend == Backend::Services && std::env::var("WAQUP_TEST_S3_ENDPOINT").is_ok() {
            "s3"
        } else {
            "folder"
        };
    assert_eq!(blobs.kind(), expected_store);
    assert_eq!(
        blobs.get(&key).await.unwrap().unwrap(),
        fetch_audio(&app, &item).await
    );

    // Each read signs a fresh URL; an altered one is refused.
    let url = item["audio_url"].as_str().unwrap();
    let altered = if let Some(at) = url.find("X-Amz-Signature=") {
        let mut altered = url.to_owned();
        let i = at + "X-Amz-Signature=".len();
        let flipped = if &url[i..=i] == "0" { "1" } else { "0" };
        altered.replace_range(i..=i, flipped);
        altered
    } else {
        url.replacen(&content_id, &Uuid::new_v4().to_string(), 1)
    };
    let altered = if altered.starts_with('/') {
        app.url(&altered)
    } else {
        altered
    };
    let refused = app.client.get(altered).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

/// An app that speaks through the fake ElevenLabs API.
async fn with_fake_elevenlabs(backend: Backend, fake: &FakeTts) -> Option<TestApp> {
    TestApp::builder(backend)
        .env("WAQUP_TTS_PROVIDER", "elevenlabs")
        .env("WAQUP_ELEVENLABS_BASE_URL", &fake.elevenlabs_base_url)
        .env("WAQUP_ELEVENLABS_API_KEY", ELEVENLABS_KEY)
        .spawn()
        .await
}

async fn speech_failing_on_every_try_fails_the_item_and_refunds(backend: Backend) {
    let fake = FakeTts::start();
    fake.state.fail_all.store(true, Ordering::Relaxed);
    let Some(app) = with_fake_elevenlabs(backend, &fake).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut ws = app.ws(&user.access).await;
    ws.send(json!({ "type": "start", "content_type": "affirmation", "intent": "calm" }))
        .await;
    let session_id = ws.until("started").await.1["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    ws.until("response").await;
    ws.send(json!({ "type": "confirm", "session_id": session_id }))
        .await;
    let content_id = ws.until("generation_started").await.1["content_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let failed = ws.until("generation_failed").await.1;
    assert_eq!(failed["refunded"], true, "{failed}");
    let item = fetch(&app, &user, &format!("/api/v1/content/{content_id}")).await;
    assert_eq!(item["status"], "failed");
    assert!(item["audio_url"].is_null());
    let balance = balance(&app, &user).await;
    assert_eq!(balance["balance"], 1, "nothing charged: {balance}");
    assert_eq!(balance["held"], 0, "the hold was released: {balance}");
    // The first sentence to fail was tried three times; the others were dropped then.
    assert!(fake.requests() >= 3, "{} requests", fake.requests());
}

async fn speech_failing_once_is_retried_and_charged_once(backend: Backend) {
    let fake = FakeTts::start();
    fake.state.fail_next.store(1, Ordering::Relaxed);
    let Some(app) = with_fake_elevenlabs(backend, &fake).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let content_id = confirm(&app, &user, "affirmation", &[]).await;
    let item = finished(&app, &user, &content_id).await;
    assert_eq!(item["status"], "ready", "{item}");
    assert_eq!(item["metadata"]["audio"]["provider"], "elevenlabs");
    assert_eq!(item["metadata"]["audio"]["voice_available"], true);
    let sentences = item["metadata"]["audio"]["sentences"].as_u64().unwrap() as usize;
    assert_eq!(fake.requests(), sentences + 1, "one retry");
    play(&app, &item).await;
    let balance = balance(&app, &user).await;
    assert_eq!(balance["balance"], 0);
    assert_eq!(balance["held"], 0);
    let ledger = fetch(
        &app,
        &user,
        "/api/v1/credits/transactions?transaction_type=consumption",
    )
    .await;
    assert_eq!(ledger["pagination"]["total"], 1, "charged once");
}

#[actix_web::test]
async fn the_preferred_voice_pace_and_tone_reach_the_openai_speech_api() {
    let fake = FakeTts::start();
    let app = TestApp::builder(Backend::Embedded)
        .speech_api(&fake)
        .env("WAQUP_AUDIO_FORMAT", "ogg")
        .spawn()
        .await
        .unwrap();
    let catalogue = expect_status(app.get("/api/v1/voices", None).await, StatusCode::OK).await;
    assert_eq!(catalogue["provider"], "openai");
    assert_eq!(catalogue["voice_available"], true);
    let ids: Vec<&str> = catalogue["voices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"cedar") && ids.contains(&catalogue["default_voice"].as_str().unwrap()));
    assert!(
        catalogue["voices"][0].get("openai").is_none(),
        "provider voices stay inside"
    );

    let user = app.signed_up_user().await;
    let updated = app
        .send_json(
            reqwest::Method::PUT,
            "/api/v1/users/me",
            Some(&user.access),
            &json!({ "preferences": { "voice_id": "cedar", "pace": "slower", "tone": "grounding" } }),
        )
        .await;
    expect_status(updated, StatusCode::OK).await;
    let content_id = confirm(&app, &user, "affirmation", &[]).await;
    let item = finished(&app, &user, &content_id).await;
    assert_eq!(item["status"], "ready", "{item}");
    assert_eq!(item["voice_id"], "cedar");
    assert_eq!(item["audio_format"], "ogg");
    let voices = fake.state.voices.lock().unwrap().clone();
    assert!(
        !voices.is_empty() && voices.iter().all(|v| v == "echo"),
        "{voices:?}"
    );
    let body = fake.state.last_body.lock().unwrap().clone();
    assert_eq!(body["response_format"], "pcm");
    assert!(body["speed"].as_f64().unwrap() < 0.9, "{body}");
    assert!(
        body["instructions"].as_str().unwrap().contains("grounded"),
        "{body}"
    );
    let played = play(&app, &item).await;
    assert!((played - item["audio_duration"].as_f64().unwrap()).abs() <= 1.0);
}

#[actix_web::test]
async fn spoken_sentences_are_cached_by_text_voice_and_provider() {
    let fake = FakeTts::start();
    let config = waqup::config::Config::from_sources(None, &|key| match key {
        "WAQUP_TTS_PROVIDER" => Some("openai".into()),
        "WAQUP_TTS_BASE_URL" => Some(fake.openai_base_url.clone()),
        _ => None,
    })
    .unwrap();
    let tts = waqup::providers::tts::from_config(&config.tts)
        .await
        .unwrap();
    let narrator = Narrator::new(tts, 2, AudioFormat::Mp3, None);
    let script = "Welcome. Breathe in slowly. [pause 3s] Let your shoulders soften. Rest here.";
    let request = |voice: &'static str| NarrationRequest {
        script,
        voice: voices::voice(voice).unwrap(),
        pace: Pace::Moderate,
        tone: Tone::Calm,
        target_seconds: None,
    };
    let first = narrator.narrate(request("aurora"), None).await.unwrap();
    assert_eq!(first.sentences, 4);
    assert_eq!(fake.requests(), 4);
    let again = narrator.narrate(request("aurora"), None).await.unwrap();
    assert_eq!(
        fake.requests(),
        4,
        "the same sentences in the same voice are cached"
    );
    assert_eq!(again.bytes, first.bytes);
    narrator.narrate(request("river"), None).await.unwrap();
    assert_eq!(fake.requests(), 8, "another voice speaks again");
}
