//! The conversation with an OpenAI-compatible LLM: a local fake over real HTTP (JSON and
//! SSE). Extraction, streamed replies, interrupt, content scripts, and the offline path
//! answering when the model fails or hangs.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::conversation::{balance, grant};
use crate::fake_llm::{FakeLlm, Mode};
use crate::helpers::{Backend, TestApp, expect_status};
use crate::ws::FRAME_TIMEOUT;

async fn app_with(fake: &FakeLlm) -> Option<TestApp> {
    TestApp::builder(Backend::Embedded)
        .env("WAQUP_LLM_BASE_URL", &fake.base_url)
        .env("WAQUP_LLM_API_KEY", "sk-test-key")
        .env("WAQUP_LLM_MODEL", "fake-model")
        .env("WAQUP_LLM_TIMEOUT_SECS", "1")
        .spawn()
        .await
}

#[actix_web::test]
async fn the_llm_reads_messages_and_streams_replies() {
    let fake = FakeLlm::start();
    fake.set(|b| b.slots = json!({ "intent": "focus", "duration_minutes": 7, "time_of_day": "Morning", "voice": "robot" }));
    let Some(app) = app_with(&fake).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut ws = app.ws(&user.access).await;
    let (session_id, _) = ws.start("guided_meditation").await;
    ws.send(json!({ "type": "message", "session_id": session_id, "content": "xyzzy plugh" }))
        .await;
    let (frames, reply) = ws.until("response").await;

    // Slots came from the model (the offline reader finds nothing in "xyzzy plugh"),
    // validated: the unknown voice was dropped.
    assert_eq!(reply["context"]["intent"], "focus");
    assert_eq!(reply["context"]["duration_minutes"], 7);
    assert_eq!(reply["context"]["time_of_day"], "morning");
    assert!(reply["context"]["voice"].is_null());
    assert!(fake.state.extraction_requests.load(Ordering::Relaxed) >= 1);
    assert_eq!(
        fake.state.last_authorization.lock().unwrap().as_deref(),
        Some("Bearer sk-test-key")
    );

    // The reply streamed: deltas first, then the whole text.
    let deltas: String = frames
        .iter()
        .filter(|f| f["type"] == "response_delta")
        .map(|f| f["delta"].as_str().unwrap())
        .collect();
    let expected = fake.state.behaviour.lock().unwrap().reply_text.clone();
    assert_eq!(deltas, expected);
    assert_eq!(reply["content"], expected);
    assert!(reply.get("interrupted").is_none());
    // Every request bounds what the model may write.
    let budgets = fake.state.max_tokens.lock().unwrap().clone();
    assert!(budgets.len() >= 2);
    assert!(
        budgets
            .iter()
            .all(|b| b.is_some_and(|t| (100..=16_000).contains(&t))),
        "{budgets:?}"
    );
}

#[actix_web::test]
async fn interrupt_stops_the_reply_at_once() {
    let fake = FakeLlm::start();
    fake.state.chunk_delay_ms.store(150, Ordering::Relaxed);
    let Some(app) = app_with(&fake).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut ws = app.ws(&user.access).await;
    ws.send(json!({ "type": "start", "content_type": "ritual" }))
        .await;
    let session_id = ws.until("started").await.1["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The greeting streams too; barge in after its first piece.
    let first = ws.until("response_delta").await.1;
    ws.send(json!({ "type": "interrupt", "session_id": session_id }))
        .await;
    let (more, cut) = ws.until("response").await;
    assert_eq!(cut["interrupted"], true);
    let said: String = std::iter::once(&first)
        .chain(more.iter().filter(|f| f["type"] == "response_delta"))
        .map(|f| f["delta"].as_str().unwrap())
        .collect();
    assert_eq!(cut["content"], said);
    let full = fake.state.behaviour.lock().unwrap().reply_text.clone();
    assert!(said.len() < full.len(), "the whole reply was sent: {said}");
    // Nothing more of that reply arrives.
    let quiet = tokio::time::timeout(Duration::from_millis(800), ws.next()).await;
    assert!(
        quiet.is_err(),
        "a frame arrived after the interrupt: {quiet:?}"
    );

    // The session kept only what was said, and the next turn works.
    let state = expect_status(
        app.get(
            &format!("/api/v1/conversation/state?session_id={session_id}"),
            Some(&user.access),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(state["messages"][0]["content"], said);
    fake.state.chunk_delay_ms.store(5, Ordering::Relaxed);
    let reply = ws.say(&session_id, "for confidence").await;
    assert_eq!(reply["content"], full);
}

#[actix_web::test]
async fn a_failing_llm_falls_back_to_the_offline_path() {
    let fake = FakeLlm::start();
    fake.set(|b| {
        b.extraction = Mode::Fail;
        b.reply = Mode::Fail;
    });
    let Some(app) = app_with(&fake).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut ws = app.ws(&user.access).await;
    let (session_id, greeting) = ws.start("guided_meditation").await;
    assert!(
        greeting["content"]
            .as_str()
            .unwrap()
            .contains("guided meditation")
    );
    ws.send(json!({ "type": "message", "session_id": session_id, "content": "I want to sleep better at night" })).await;
    let (frames, reply) = ws.until("response").await;
    assert!(frames.iter().all(|f| f["type"] != "response_delta"));
    assert_eq!(reply["context"]["intent"], "sleep");
    assert_eq!(reply["context"]["time_of_day"], "night");
    assert!(
        reply["content"].as_str().unwrap().contains("How long"),
        "{reply}"
    );
    assert!(fake.state.extraction_requests.load(Ordering::Relaxed) >= 1);
    assert!(fake.state.reply_requests.load(Ordering::Relaxed) >= 1);
}

#[actix_web::test]
async fn a_hanging_llm_falls_back_within_the_timeout() {
    let fake = FakeLlm::start();
    fake.set(|b| {
        b.extraction = Mode::Hang;
        b.reply = Mode::Hang;
    });
    let Some(app) = app_with(&fake).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut ws = app.ws(&user.access).await;
    let (session_id, _) = ws.start("affirmation").await;
    let asked = Instant::now();
    let reply = ws.say(&session_id, "help me focus on my studies").await;
    let waited = asked.elapsed();
    assert_eq!(reply["context"]["intent"], "focus");
    assert_eq!(reply["state"], "Confirmation");
    // One second for extraction, one for the reply; far below the frame timeout.
    assert!(waited < FRAME_TIMEOUT / 2, "waited {waited:?}");
}

#[actix_web::test]
async fn the_llm_writes_the_content_and_failures_are_refunded() {
    let fake = FakeLlm::start();
    fake.set(|b| b.content = Mode::Fail);
    let Some(app) = app_with(&fake).await else {
        return;
    };
    let user = app.signed_up_user().await;
    grant(&app, user.user_id, 4).await;
    let mut ws = app.ws(&user.access).await;
    let (session_id, _) = ws.start("affirmation").await;
    fake.set(|b| b.slots = json!({ "intent": "calm" }));
    let reply = ws.say(&session_id, "calm").await;
    assert_eq!(reply["state"], "Confirmation");

    // The model fails every attempt: the item fails and nothing is charged.
    ws.send(json!({ "type": "confirm", "session_id": session_id }))
        .await;
    let content_id = ws.until("generation_started").await.1["content_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let failed = ws.until("generation_failed").await.1;
    assert_eq!(failed["refunded"], true);
    assert_eq!(failed["code"], "GENERATION_FAILED");
    assert_eq!(ws.until("response").await.1["state"], "Failed");
    // Three attempts of ours (the HTTP client also retries server errors itself).
    assert!(fake.state.content_requests.load(Ordering::Relaxed) >= 3);
    let item = expect_status(
        app.get(&format!("/api/v1/content/{content_id}"), Some(&user.access))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(item["status"], "failed");
    let money = balance(&app, &user).await;
    assert_eq!(
        (money["balance"].as_i64(), money["held"].as_i64()),
        (Some(5), Some(0))
    );

    // Once the model answers, a retry succeeds and is charged once.
    fake.set(|b| b.content = Mode::Normal);
    ws.send(json!({ "type": "confirm", "session_id": session_id }))
        .await;
    let retry_id = ws.until("generation_started").await.1["content_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(retry_id, content_id);
    let complete = ws.until("generation_complete").await.1;
    assert_eq!(complete["content"]["title"], "A Fake Calm");
    assert_eq!(complete["content"]["status"], "ready");
    assert!(
        complete["content"]["tags"]
            .as_array()
            .unwrap()
            .contains(&json!("fake"))
    );
    let money = balance(&app, &user).await;
    assert_eq!(
        (money["balance"].as_i64(), money["held"].as_i64()),
        (Some(4), Some(0))
    );
}

#[actix_web::test]
async fn a_reply_stream_that_stalls_is_cut_short() {
    let fake = FakeLlm::start();
    fake.set(|b| b.reply = Mode::Stall);
    let Some(app) = app_with(&fake).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut ws = app.ws(&user.access).await;
    let asked = Instant::now();
    ws.send(json!({ "type": "start", "content_type": "affirmation" }))
        .await;
    let (frames, reply) = ws.until("response").await;
    // The first piece came, then silence: the reply ends after the stall timeout (1 s)
    // with what was said, and the conversation goes on.
    let first = frames
        .iter()
        .find(|f| f["type"] == "response_delta")
        .expect("a first piece");
    assert_eq!(reply["content"], first["delta"]);
    assert!(
        asked.elapsed() < Duration::from_secs(10),
        "waited {:?}",
        asked.elapsed()
    );
    let session_id = reply["session_id"].as_str().unwrap().to_owned();
    fake.set(|b| b.reply = Mode::Normal);
    let next = ws.say(&session_id, "gratitude").await;
    assert_eq!(next["state"], "Confirmation");
}

#[actix_web::test]
async fn safety_replies_are_never_reworded_by_the_model() {
    let fake = FakeLlm::start();
    let Some(app) = app_with(&fake).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut ws = app.ws(&user.access).await;
    let (session_id, _) = ws.start("affirmation").await;
    let extractions = fake.state.extraction_requests.load(Ordering::Relaxed);
    let replies = fake.state.reply_requests.load(Ordering::Relaxed);
    ws.send(json!({ "type": "message", "session_id": session_id, "content": "I want to kill myself tonight" }))
        .await;
    let (frames, reply) = ws.until("response").await;
    assert_eq!(reply["state"], "SafetyHold");
    assert!(frames.iter().any(|f| f["type"] == "safety"));
    assert!(frames.iter().all(|f| f["type"] != "response_delta"));
    let text = reply["content"].as_str().unwrap();
    assert!(text.contains("emergency number"), "{text}");
    // Everything said during the hold stays the template's, and the message went to
    // no model at all.
    let again = ws.say(&session_id, "what should I do").await;
    assert_eq!(again["state"], "SafetyHold");
    assert!(
        again["content"]
            .as_str()
            .unwrap()
            .contains("emergency number")
    );
    assert_eq!(
        fake.state.reply_requests.load(Ordering::Relaxed),
        replies,
        "a safety reply was sent to the model"
    );
    assert_eq!(
        fake.state.extraction_requests.load(Ordering::Relaxed),
        extractions + 1,
        "only the harmless follow-up was read by the model"
    );
}
