//! The conversation engine over a real WebSocket and its REST mirror.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};
use uuid::Uuid;
use waqup::domain::LedgerType;
use waqup::store::NewLedgerEntry;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, Tokens, expect_error, expect_status};
use crate::ws::{Incoming, WsClient};

backend_tests!(
    each_content_type_over_websocket_to_a_finished_item,
    the_rest_mirror_reaches_the_same_conversation,
    twenty_parallel_confirms_with_one_credit_charge_once,
    a_dropped_socket_resumes_the_same_conversation,
    high_risk_holds_the_conversation_and_alerts_admins,
);

/// Gives a user credits, as a purchase would.
pub async fn grant(app: &TestApp, user_id: Uuid, credits: i64) {
    app.state
        .store
        .append_ledger(NewLedgerEntry {
            id: Uuid::now_v7(),
            user_id,
            kind: LedgerType::Purchase,
            amount: credits,
            content_item_id: None,
            content_type: None,
            metadata: json!({ "pack_id": "test" }),
            now: waqup::time::now(),
        })
        .await
        .unwrap();
}

pub async fn balance(app: &TestApp, user: &Tokens) -> Value {
    fetch(app, user, "/api/v1/credits/balance").await
}

/// What a person says to reach the summary, per content type.
fn script(content_type: &str) -> &'static [&'static str] {
    match content_type {
        "affirmation" => &["I'd like to feel more confident before my job interview"],
        "guided_meditation" => &[
            "Something to help me sleep",
            "before bed, around ten minutes",
            "a gentle female voice please",
        ],
        _ => &[
            "I want a ritual for gratitude",
            "I've been so busy that I forget what's good in my life",
            "in the morning",
            "fifteen minutes",
            "no preference",
        ],
    }
}

/// Talks a conversation to its summary; returns the session id.
async fn talk_to_summary(ws: &mut WsClient, content_type: &str) -> String {
    let (session_id, greeting) = ws.start(content_type).await;
    assert!(
        greeting["content"].as_str().unwrap().len() > 20,
        "{greeting}"
    );
    let mut last = greeting;
    for line in script(content_type) {
        last = ws.say(&session_id, line).await;
    }
    assert_eq!(last["state"], "Confirmation", "{content_type}: {last}");
    session_id
}

/// Talks an affirmation into existence over a socket (the user's one welcome credit
/// pays for it) and waits for the finished conversation to be kept; the item's id.
pub async fn talked_affirmation(app: &TestApp, user: &Tokens) -> String {
    let mut ws = app.ws(&user.access).await;
    let session_id = talk_to_summary(&mut ws, "affirmation").await;
    ws.send(json!({ "type": "confirm", "session_id": session_id }))
        .await;
    let (_, complete) = ws.until("generation_complete").await;
    let (_, done) = ws.until("response").await;
    assert_eq!(done["state"], "Complete");
    complete["content"]["id"].as_str().unwrap().to_owned()
}

async fn each_content_type_over_websocket_to_a_finished_item(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    grant(&app, user.user_id, 9).await;
    let costs = [("affirmation", 1), ("guided_meditation", 2), ("ritual", 3)];
    let mut expected_balance = 10;
    for (content_type, cost) in costs {
        let mut ws = app.ws(&user.access).await;
        let session_id = talk_to_summary(&mut ws, content_type).await;
        ws.send(json!({ "type": "confirm", "session_id": session_id }))
            .await;
        let (before, started) = ws.until("generation_started").await;
        assert!(
            before
                .iter()
                .any(|f| f["type"] == "state_changed" && f["to"] == "Generating"),
            "{before:?}"
        );
        let content_id = started["content_id"].as_str().unwrap().to_owned();
        let (progress, complete) = ws.until("generation_complete").await;
        assert!(
            progress.iter().any(|f| f["type"] == "generation_progress"),
            "{progress:?}"
        );
        let item = &complete["content"];
        assert_eq!(item["id"], content_id);
        assert_eq!(item["status"], "ready");
        assert_eq!(item["content_type"], content_type);
        let text = item["content_text"].as_str().unwrap();
        assert!(text.contains("[pause"), "{content_type}: no pause marks");
        assert!(!item["title"].as_str().unwrap().is_empty());
        let (_, done) = ws.until("response").await;
        assert_eq!(done["state"], "Complete");
        let record = app
            .state
            .store
            .conversations_of_user(user.user_id)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.session_id.to_string() == session_id)
            .expect("the finished conversation is kept");
        assert_eq!(record.final_state, "Complete");
        assert_eq!(
            record.resulting_content_id.map(|id| id.to_string()),
            Some(content_id.clone())
        );
        assert!(record.messages.as_array().unwrap().len() >= 2 * script(content_type).len());

        // The item over REST.
        let fetched = fetch(&app, &user, &format!("/api/v1/content/{content_id}")).await;
        assert_eq!(fetched["content_text"], item["content_text"]);
        assert_eq!(fetched["status"], "ready");
        let minutes = fetched["context"]["duration_minutes"].as_i64().unwrap();
        let seconds = fetched["duration"].as_i64().unwrap();
        assert!(
            (seconds - minutes * 60).abs() <= minutes * 60 / 10 + 5,
            "{content_type}: {seconds} s for {minutes} min"
        );
        // The audio plays, and lasts what it says and what was asked.
        let played = crate::voice::play(&app, &fetched).await;
        assert!(
            (played - seconds as f64).abs() <= 1.0,
            "{content_type}: decoded {played} s, audio_duration {seconds} s"
        );
        assert!(
            (played - (minutes * 60) as f64).abs() <= (minutes * 6) as f64,
            "{content_type}: {played} s for {minutes} min"
        );
        assert!(item["audio_url"].is_string(), "{item}");

        // Charged exactly the cost, and the ledger says why.
        expected_balance -= cost;
        let balance = balance(&app, &user).await;
        assert_eq!(balance["balance"], expected_balance, "{content_type}");
        assert_eq!(balance["held"], 0);
        let ledger = fetch(&app, &user, "/api/v1/credits/transactions?limit=1").await;
        let row = &ledger["transactions"][0];
        assert_eq!(row["type"], "consumption");
        assert_eq!(row["amount"], -cost);
        assert_eq!(row["balance_after"], expected_balance);
        assert_eq!(row["ritual_id"], content_id);
        assert_eq!(row["content_type"], content_type);
        ws.close().await;
    }
    // Another user cannot see the items.
    let other = app.signed_up_user().await;
    let ledger = fetch(
        &app,
        &user,
        "/api/v1/credits/transactions?transaction_type=consumption",
    )
    .await;
    for row in ledger["transactions"].as_array().unwrap() {
        let id = row["ritual_id"].as_str().unwrap();
        expect_error(
            app.get(&format!("/api/v1/content/{id}"), Some(&other.access))
                .await,
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        )
        .await;
    }
}

async fn post(app: &TestApp, user: &Tokens, path: &str, body: Value) -> reqwest::Response {
    app.send_json(Method::POST, path, Some(&user.access), &body)
        .await
}

/// Gets and expects 200; the JSON body.
pub async fn fetch(app: &TestApp, user: &Tokens, path: &str) -> Value {
    expect_status(app.get(path, Some(&user.access)).await, StatusCode::OK).await
}

/// Starts a conversation over REST; the JSON body.
async fn start(app: &TestApp, user: &Tokens, body: Value) -> Value {
    call(
        app,
        user,
        "/api/v1/conversation/start",
        body,
        StatusCode::CREATED,
    )
    .await
}

/// Posts and expects `status`; the JSON body.
async fn call(app: &TestApp, user: &Tokens, path: &str, body: Value, status: StatusCode) -> Value {
    expect_status(post(app, user, path, body).await, status).await
}

async fn the_rest_mirror_reaches_the_same_conversation(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let started = start(&app, &user, json!({ "content_type": "guided_meditation" })).await;
    assert_eq!(started["state"], "IntentDiscovery");
    assert!(
        started["message"]
            .as_str()
            .unwrap()
            .contains("guided meditation")
    );
    let session_id = started["session_id"].as_str().unwrap().to_owned();

    // Completing before the summary: not ready yet, nothing charged.
    let early = post(
        &app,
        &user,
        "/api/v1/conversation/complete",
        json!({ "session_id": session_id, "confirm": true }),
    )
    .await;
    expect_error(early, StatusCode::CONFLICT, "CONVERSATION_NOT_READY").await;

    let reply = call(
        &app,
        &user,
        "/api/v1/conversation/message",
        json!({ "session_id": session_id, "message": "I feel anxious, I need to calm down" }),
        StatusCode::OK,
    )
    .await;
    assert_eq!(reply["context"]["intent"], "anxiety");
    assert_eq!(reply["state"], "PracticeDetails");

    // The same conversation over a socket.
    let mut ws = app.ws(&user.access).await;
    ws.send(json!({ "type": "resume", "session_id": session_id }))
        .await;
    let (_, resumed) = ws.until("resumed").await;
    assert_eq!(resumed["state"], "PracticeDetails");
    // Greeting, the repeated question of the early complete, the message and its reply.
    assert_eq!(resumed["messages"].as_array().unwrap().len(), 4);
    let on_socket = ws.say(&session_id, "in the evening for 5 minutes").await;
    assert_eq!(on_socket["state"], "Personalization");

    let state = fetch(
        &app,
        &user,
        &format!("/api/v1/conversation/state?session_id={session_id}"),
    )
    .await;
    assert_eq!(state["state"], "Personalization");
    assert_eq!(state["context"]["duration_minutes"], 5);
    assert_eq!(state["messages"].as_array().unwrap().len(), 6);

    call(
        &app,
        &user,
        "/api/v1/conversation/message",
        json!({ "session_id": session_id, "message": "no preference" }),
        StatusCode::OK,
    )
    .await;
    // One free credit; a meditation costs 2.
    let refused = post(
        &app,
        &user,
        "/api/v1/conversation/complete",
        json!({ "session_id": session_id, "confirm": true }),
    )
    .await;
    let body = expect_error(
        refused,
        StatusCode::PAYMENT_REQUIRED,
        "INSUFFICIENT_CREDITS",
    )
    .await;
    assert_eq!(
        body["error"]["details"],
        json!({ "required": 2, "available": 1 })
    );
    assert_eq!(balance(&app, &user).await["held"], 0);

    grant(&app, user.user_id, 1).await;
    let done = call(
        &app,
        &user,
        "/api/v1/conversation/complete",
        json!({ "session_id": session_id, "confirm": true }),
        StatusCode::OK,
    )
    .await;
    assert_eq!(done["status"], "generating");
    let content_id = done["content_id"].as_str().unwrap().to_owned();
    assert_eq!(done["ritual_id"], content_id);
    // Confirming again while it is being made starts nothing and charges nothing more.
    let again = call(
        &app,
        &user,
        "/api/v1/conversation/complete",
        json!({ "session_id": session_id, "confirm": true }),
        StatusCode::OK,
    )
    .await;
    assert_eq!(again["content_id"], content_id);
    let item = wait_until_ready(&app, &user, &content_id).await;
    assert_eq!(item["context"]["intent"], "anxiety");
    let balance = balance(&app, &user).await;
    assert_eq!(
        (balance["balance"].as_i64(), balance["held"].as_i64()),
        (Some(0), Some(0))
    );

    // Someone else's session, an unknown one, and bad input.
    let other = app.signed_up_user().await;
    let foreign = post(
        &app,
        &other,
        "/api/v1/conversation/message",
        json!({ "session_id": session_id, "message": "hi" }),
    )
    .await;
    expect_error(foreign, StatusCode::NOT_FOUND, "SESSION_NOT_FOUND").await;
    let foreign = app
        .get(
            &format!("/api/v1/conversation/state?session_id={session_id}"),
            Some(&other.access),
        )
        .await;
    expect_error(foreign, StatusCode::NOT_FOUND, "SESSION_NOT_FOUND").await;
    let unknown = post(
        &app,
        &user,
        "/api/v1/conversation/message",
        json!({ "session_id": Uuid::new_v4(), "message": "hi" }),
    )
    .await;
    expect_error(unknown, StatusCode::GONE, "SESSION_EXPIRED").await;
    let empty = post(
        &app,
        &user,
        "/api/v1/conversation/message",
        json!({ "session_id": session_id, "message": "  " }),
    )
    .await;
    expect_error(empty, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR").await;
    let long = post(
        &app,
        &user,
        "/api/v1/conversation/message",
        json!({ "session_id": session_id, "message": "x".repeat(4001) }),
    )
    .await;
    expect_error(long, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR").await;
    let bad_type = post(
        &app,
        &user,
        "/api/v1/conversation/start",
        json!({ "content_type": "podcast" }),
    )
    .await;
    expect_error(bad_type, StatusCode::BAD_REQUEST, "INVALID_BODY").await;
    let revise_foreign = post(
        &app,
        &other,
        "/api/v1/conversation/start",
        json!({ "content_type": "ritual", "content_id": content_id }),
    )
    .await;
    expect_error(revise_foreign, StatusCode::NOT_FOUND, "SESSION_NOT_FOUND").await;
    for path in [
        "/api/v1/conversation/start",
        "/api/v1/conversation/message",
        "/api/v1/conversation/complete",
    ] {
        let anonymous = app.post_json(path, &json!({})).await;
        expect_error(anonymous, StatusCode::UNAUTHORIZED, "UNAUTHORIZED").await;
    }

    // The return loop: a new version of the finished item.
    let revision = start(
        &app,
        &user,
        json!({ "content_type": "guided_meditation", "content_id": content_id }),
    )
    .await;
    assert_eq!(revision["state"], "Confirmation");
    assert_eq!(revision["context"]["intent"], "anxiety");
    let revision_id = revision["session_id"].as_str().unwrap();
    let changed = call(
        &app,
        &user,
        "/api/v1/conversation/message",
        json!({ "session_id": revision_id, "message": "make it 20 minutes" }),
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["context"]["duration_minutes"], 20);
    grant(&app, user.user_id, 2).await;
    let second = call(
        &app,
        &user,
        "/api/v1/conversation/complete",
        json!({ "session_id": revision_id, "confirm": true }),
        StatusCode::OK,
    )
    .await;
    let second = wait_until_ready(&app, &user, second["content_id"].as_str().unwrap()).await;
    assert_eq!(second["version"], 2);
    assert_eq!(second["parent_id"], content_id);
}

pub async fn wait_until_ready(app: &TestApp, user: &Tokens, content_id: &str) -> Value {
    for _ in 0..200 {
        let item = fetch(app, user, &format!("/api/v1/content/{content_id}")).await;
        if item["status"] != "generating" {
            assert_eq!(item["status"], "ready", "{item}");
            return item;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("item {content_id} never became ready");
}

async fn twenty_parallel_confirms_with_one_credit_charge_once(backend: Backend) {
    let Some(app) = TestApp::builder(backend)
        .env("WAQUP_MAX_SESSIONS_PER_USER", "25")
        .spawn()
        .await
    else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut sessions = Vec::new();
    for _ in 0..20 {
        let started = start(
            &app,
            &user,
            json!({ "content_type": "affirmation", "intent": "gratitude" }),
        )
        .await;
        assert_eq!(started["state"], "Confirmation");
        sessions.push(started["session_id"].as_str().unwrap().to_owned());
    }
    let confirms = sessions.iter().map(|session_id| {
        post(
            &app,
            &user,
            "/api/v1/conversation/complete",
            json!({ "session_id": session_id, "confirm": true }),
        )
    });
    let responses = futures_util::future::join_all(confirms).await;
    let mut generating = Vec::new();
    let mut refused = 0;
    for response in responses {
        match response.status() {
            StatusCode::OK => generating.push(expect_status(response, StatusCode::OK).await),
            StatusCode::PAYMENT_REQUIRED => {
                expect_error(
                    response,
                    StatusCode::PAYMENT_REQUIRED,
                    "INSUFFICIENT_CREDITS",
                )
                .await;
                refused += 1;
            }
            other => panic!(
                "unexpected status {other}: {}",
                response.text().await.unwrap()
            ),
        }
    }
    assert_eq!((generating.len(), refused), (1, 19));
    wait_until_ready(&app, &user, generating[0]["content_id"].as_str().unwrap()).await;
    let balance = balance(&app, &user).await;
    assert_eq!(balance["balance"], 0);
    assert_eq!(balance["held"], 0);
    let ledger = fetch(
        &app,
        &user,
        "/api/v1/credits/transactions?transaction_type=consumption",
    )
    .await;
    assert_eq!(ledger["pagination"]["total"], 1);
}

async fn a_dropped_socket_resumes_the_same_conversation(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut first = app.ws(&user.access).await;
    let (session_id, _) = first.start("ritual").await;
    first.say(&session_id, "something for focus").await;
    first.close().await;

    let mut second = app.ws(&user.access).await;
    second
        .send(json!({ "type": "resume", "session_id": session_id }))
        .await;
    let (_, resumed) = second.until("resumed").await;
    assert_eq!(resumed["state"], "ContextGathering");
    assert_eq!(resumed["context"]["intent"], "focus");
    assert_eq!(resumed["messages"][1]["content"], "something for focus");

    // A third socket on the same session supersedes the second (close 4001).
    let mut third = app.ws(&user.access).await;
    third
        .send(json!({ "type": "resume", "session_id": session_id }))
        .await;
    third.until("resumed").await;
    let close = second.closed().await.expect("a close frame");
    assert_eq!(close.code, CloseCode::Library(4001));

    let reply = third.say(&session_id, "skip").await;
    assert_eq!(reply["state"], "PracticeDetails");

    // Resuming what does not exist, or is someone else's.
    let other = app.signed_up_user().await;
    let mut stranger = app.ws(&other.access).await;
    stranger
        .send(json!({ "type": "resume", "session_id": session_id }))
        .await;
    let (_, error) = stranger.until("error").await;
    assert_eq!(error["code"], "SESSION_NOT_FOUND");
    stranger
        .send(json!({ "type": "resume", "session_id": Uuid::new_v4() }))
        .await;
    let (_, error) = stranger.until("error").await;
    assert_eq!(error["code"], "SESSION_EXPIRED");
}

async fn high_risk_holds_the_conversation_and_alerts_admins(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let admin_id = app
        .state
        .accounts
        .create_account(waqup::auth::SignUp {
            email: waqup::domain::Email::parse("admin@example.com").unwrap(),
            password: waqup::domain::Password::parse(
                crate::helpers::PASSWORD,
                &waqup::domain::Email::parse("admin@example.com").unwrap(),
            )
            .unwrap(),
            display_name: None,
            role: waqup::domain::Role::Admin,
            initial_credits: 0,
        })
        .await
        .unwrap()
        .id;
    let admin_login = expect_status(
        app.login("admin@example.com", crate::helpers::PASSWORD)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(admin_login["user"]["id"], admin_id.to_string());
    let mut admin = app.ws(admin_login["token"].as_str().unwrap()).await;
    admin.send(json!({ "type": "ping" })).await;
    admin.until("pong").await;

    let user = app.signed_up_user().await;
    grant(&app, user.user_id, 5).await;
    let mut ws = app.ws(&user.access).await;
    let (session_id, _) = ws.start("affirmation").await;
    ws.send(json!({ "type": "message", "session_id": session_id, "content": "honestly I just want to die" })).await;
    let (frames, reply) = ws.until("response").await;
    let safety = frames
        .iter()
        .find(|f| f["type"] == "safety")
        .expect("a safety frame");
    assert!(safety["resources"].as_array().unwrap().len() >= 3);
    assert!(matches!(
        safety["level"].as_str(),
        Some("high" | "critical")
    ));
    assert_eq!(reply["state"], "SafetyHold");

    let alert = admin.until("crisis_alert").await.1;
    assert_eq!(alert["alert"]["user_id"], user.user_id.to_string());
    assert_eq!(alert["alert"]["session_id"], session_id);
    let alerts = app
        .state
        .store
        .crisis_alerts_of_user(user.user_id)
        .await
        .unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].status, "pending");
    assert!(
        alerts[0]
            .context
            .as_deref()
            .unwrap()
            .contains("want to die")
    );

    // No generation from here, whatever is asked.
    ws.say(&session_id, "an affirmation for confidence please")
        .await;
    ws.send(json!({ "type": "confirm", "session_id": session_id }))
        .await;
    let (frames, reply) = ws.until("response").await;
    assert!(
        frames.iter().all(|f| f["type"] != "generation_started"),
        "{frames:?}"
    );
    assert_eq!(reply["state"], "SafetyHold");
    assert_eq!(balance(&app, &user).await["balance"], 6);

    // Everyday idioms do not trigger it.
    let mut ws = app.ws(&user.access).await;
    let (session_id, _) = ws.start("affirmation").await;
    let reply = ws
        .say(
            &session_id,
            "this workout is killing me, I'm dying to feel more energy",
        )
        .await;
    assert_ne!(reply["state"], "SafetyHold");
    assert_eq!(
        app.state
            .store
            .crisis_alerts_of_user(user.user_id)
            .await
            .unwrap()
            .len(),
        1
    );
}

/// Frames that are not what the protocol expects get an `error` frame (or, too big, a
/// 1009 close); the server keeps serving, and other sessions are untouched.
#[actix_web::test]
async fn malformed_frames_get_errors_and_harm_nobody() {
    let Some(app) = TestApp::spawn(Backend::Embedded).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut bystander = app.ws(&user.access).await;
    let (bystander_session, _) = bystander.start("ritual").await;

    let mut ws = app.ws(&user.access).await;
    let cases: Vec<(Message, &str)> = vec![
        (Message::Text("not json".into()), "INVALID_FRAME"),
        (Message::Text("{\"type\": 7}".into()), "INVALID_FRAME"),
        (
            Message::Text("{\"type\": \"dance\"}".into()),
            "INVALID_FRAME",
        ),
        (
            Message::Text("{\"type\": \"start\", \"content_type\": \"podcast\"}".into()),
            "INVALID_FRAME",
        ),
        (
            Message::Text("{\"type\": \"message\", \"session_id\": 12, \"content\": []}".into()),
            "INVALID_FRAME",
        ),
        (Message::Text("[]".into()), "INVALID_FRAME"),
        (
            Message::Binary(vec![0, 159, 146, 150, 255].into()),
            "STT_NOT_CONFIGURED",
        ),
    ];
    for (message, code) in cases {
        ws.send_raw(message).await;
        let (_, error) = ws.until("error").await;
        assert_eq!(error["code"], code);
    }
    // Protocol mistakes: commands before start, for another session, empty or too long.
    let someone = Uuid::new_v4();
    ws.send(json!({ "type": "message", "session_id": someone, "content": "hi" }))
        .await;
    assert_eq!(ws.until("error").await.1["code"], "NO_SESSION");
    let (session_id, _) = ws.start("affirmation").await;
    ws.send(json!({ "type": "confirm", "session_id": someone }))
        .await;
    assert_eq!(ws.until("error").await.1["code"], "SESSION_MISMATCH");
    ws.send(json!({ "type": "message", "session_id": session_id, "content": "   " }))
        .await;
    assert_eq!(ws.until("error").await.1["code"], "INVALID_FRAME");
    ws.send(json!({ "type": "message", "session_id": session_id, "content": "é".repeat(4001) }))
        .await;
    assert_eq!(ws.until("error").await.1["code"], "MESSAGE_TOO_LONG");
    ws.send(json!({ "type": "audio_end", "session_id": session_id, "format": "wav" }))
        .await;
    assert_eq!(ws.until("error").await.1["code"], "STT_NOT_CONFIGURED");
    // Still a working conversation.
    let reply = ws.say(&session_id, "gratitude").await;
    assert_eq!(reply["state"], "Confirmation");

    // A 1 MB frame closes the socket with 1009.
    ws.send_raw(Message::Text("x".repeat(1 << 20).into())).await;
    match ws.next().await {
        Incoming::Closed(Some(frame)) => assert_eq!(frame.code, CloseCode::Size),
        other => panic!("expected a 1009 close, got {other:?}"),
    }

    // The bystander never noticed.
    let reply = bystander.say(&bystander_session, "for self love").await;
    assert_eq!(reply["state"], "ContextGathering");
    expect_status(app.get("/healthz", None).await, StatusCode::OK).await;
    // And the closed session lives on for a new socket.
    let mut again = app.ws(&user.access).await;
    again
        .send(json!({ "type": "resume", "session_id": session_id }))
        .await;
    assert_eq!(again.until("resumed").await.1["state"], "Confirmation");

    // A message sent in small frames that add up to too much closes with 1009 as well.
    let mut fragmented = app.ws(&user.access).await;
    let piece = "y".repeat(32 * 1024);
    fragmented
        .send_raw(Message::Frame(Frame::message(
            piece.clone(),
            OpCode::Data(Data::Text),
            false,
        )))
        .await;
    for last in [false, true] {
        fragmented
            .send_raw(Message::Frame(Frame::message(
                piece.clone(),
                OpCode::Data(Data::Continue),
                last,
            )))
            .await;
    }
    match fragmented.next().await {
        Incoming::Closed(Some(frame)) => assert_eq!(frame.code, CloseCode::Size),
        other => panic!("expected a 1009 close, got {other:?}"),
    }
}

#[actix_web::test]
async fn sockets_need_a_valid_token() {
    let Some(app) = TestApp::spawn(Backend::Embedded).await else {
        return;
    };
    let url = format!(
        "{}/ws/conversation",
        app.address.replace("http://", "ws://")
    );
    for url in [url.clone(), format!("{url}?token=garbage")] {
        let err = tokio_tungstenite::connect_async(url).await.unwrap_err();
        match err {
            tokio_tungstenite::tungstenite::Error::Http(response) => {
                assert_eq!(response.status(), 401);
            }
            other => panic!("expected an HTTP 401, got {other:?}"),
        }
    }
    // A plain GET is not an upgrade.
    let user = app.signed_up_user().await;
    let plain = app
        .get(&format!("/ws/conversation?token={}", user.access), None)
        .await;
    assert_eq!(plain.status(), StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn an_expired_session_says_so() {
    let Some(app) = TestApp::builder(Backend::Embedded)
        .env("WAQUP_SESSION_TTL_SECS", "1")
        .spawn()
        .await
    else {
        return;
    };
    let user = app.signed_up_user().await;
    let started = start(&app, &user, json!({ "content_type": "ritual" })).await;
    let session_id = started["session_id"].as_str().unwrap().to_owned();
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let late = post(
        &app,
        &user,
        "/api/v1/conversation/message",
        json!({ "session_id": session_id, "message": "focus" }),
    )
    .await;
    expect_error(late, StatusCode::GONE, "SESSION_EXPIRED").await;
}

#[actix_web::test]
async fn edits_from_the_summary_and_the_session_cap() {
    let Some(app) = TestApp::builder(Backend::Embedded)
        .env("WAQUP_MAX_SESSIONS_PER_USER", "2")
        .spawn()
        .await
    else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut ws = app.ws(&user.access).await;
    let session_id = talk_to_summary(&mut ws, "guided_meditation").await;
    ws.send(json!({ "type": "edit", "session_id": session_id, "slot": "duration" }))
        .await;
    let (_, asked) = ws.until("response").await;
    assert_eq!(asked["state"], "PracticeDetails");
    assert!(asked["content"].as_str().unwrap().contains("How long"));
    let back = ws.say(&session_id, "twenty minutes").await;
    assert_eq!(back["state"], "Confirmation");
    assert_eq!(back["context"]["duration_minutes"], 20);
    ws.send(json!({ "type": "edit", "session_id": session_id, "slot": "mood" }))
        .await;
    assert_eq!(ws.until("error").await.1["code"], "INVALID_FRAME");

    // Two open conversations at most; a finished one no longer counts.
    let mut other = app.ws(&user.access).await;
    other.start("affirmation").await;
    other
        .send(json!({ "type": "start", "content_type": "ritual" }))
        .await;
    assert_eq!(other.until("error").await.1["code"], "SESSION_LIMIT");
    ws.send(json!({ "type": "cancel", "session_id": session_id }))
        .await;
    let (_, cancelled) = ws.until("response").await;
    assert_eq!(cancelled["state"], "Cancelled");
    let (_, greeting) = other.start("ritual").await;
    assert_eq!(greeting["state"], "IntentDiscovery");
}

/// Past the node's running-job limit, confirmed items wait their turn in the store and
/// are made one after another as jobs end, none failed.
#[actix_web::test]
async fn items_past_the_running_job_limit_wait_their_turn() {
    let tts = crate::fake_tts::FakeTts::start();
    tts.state
        .delay_ms
        .store(150, std::sync::atomic::Ordering::Relaxed);
    let Some(app) = TestApp::builder(Backend::Embedded)
        .env("WAQUP_MAX_RUNNING_JOBS", "1")
        .speech_api(&tts)
        .spawn()
        .await
    else {
        return;
    };
    let mut sockets = Vec::new();
    for _ in 0..3 {
        let user = app.signed_up_user().await;
        let mut ws = app.ws(&user.access).await;
        let session_id = talk_to_summary(&mut ws, "affirmation").await;
        sockets.push((ws, session_id));
    }
    // All three confirm at once; each socket notes when its job began (its first
    // progress) and when its item was ready.
    let runs = sockets.into_iter().map(|(mut ws, session_id)| async move {
        ws.send(json!({ "type": "confirm", "session_id": session_id }))
            .await;
        let mut began = None;
        loop {
            let frame = ws.recv().await;
            match frame["type"].as_str() {
                Some("generation_progress") => {
                    began.get_or_insert_with(std::time::Instant::now);
                }
                Some("generation_complete") => {
                    return (
                        began.expect("progress before the item"),
                        std::time::Instant::now(),
                    );
                }
                Some("generation_failed" | "error") => panic!("{frame}"),
                _ => {}
            }
        }
    });
    let mut runs = futures_util::future::join_all(runs).await;
    runs.sort_by_key(|(began, _)| *began);
    for pair in runs.windows(2) {
        let ((_, ended), (began, _)) = (pair[0], pair[1]);
        assert!(began >= ended, "two jobs ran at once: {runs:?}");
    }
}

/// The socket of a finished conversation drops and a new one resumes it at once, again
/// and again: the actor stopping as its last socket leaves never turns the resume away.
#[actix_web::test]
async fn a_finished_conversation_resumes_while_its_actor_stops() {
    let Some(app) = TestApp::spawn(Backend::Embedded).await else {
        return;
    };
    let user = app.signed_up_user().await;
    for _ in 0..150 {
        let mut ws = app.ws(&user.access).await;
        let (session_id, _) = ws.start("affirmation").await;
        ws.send(json!({ "type": "cancel", "session_id": session_id }))
            .await;
        assert_eq!(ws.until("response").await.1["state"], "Cancelled");
        // The new socket is ready before the old one drops: the resume races the stop.
        let mut again = app.ws(&user.access).await;
        drop(ws);
        again
            .send(json!({ "type": "resume", "session_id": session_id }))
            .await;
        let answer = again.recv().await;
        assert_eq!(answer["type"], "resumed", "{answer}");
        assert_eq!(answer["state"], "Cancelled");
    }
}
