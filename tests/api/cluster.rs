//! Conversations across processes: a crash in the middle of generations, a session
//! moving from one node to another, and a session outliving a restart.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use uuid::Uuid;

use crate::fake_llm::FakeLlm;
use crate::fake_tts::FakeTts;
use crate::helpers::{
    PASSWORD, TEST_JWT_SECRET, TestDatabase, expect_status, skip, test_database_url, test_redis_url,
};
use crate::process::Server;
use crate::ws::connect;

/// A user of a server process, over HTTP.
struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Client {
    async fn sign_up(base: &str) -> Client {
        let http = reqwest::Client::new();
        let email = format!("{}@example.com", Uuid::new_v4().simple());
        let response = http
            .post(format!("{base}/api/v1/auth/register"))
            .json(&json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        let body = expect_status(response, StatusCode::CREATED).await;
        Client {
            http,
            base: base.to_owned(),
            token: body["token"].as_str().unwrap().to_owned(),
        }
    }

    fn on(&self, base: &str) -> Client {
        Client {
            http: self.http.clone(),
            base: base.to_owned(),
            token: self.token.clone(),
        }
    }

    async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    async fn get(&self, path: &str) -> Value {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        expect_status(response, StatusCode::OK).await
    }

    /// Starts an affirmation whose intent is known (straight to the summary) and confirms it.
    async fn confirm_an_affirmation(&self) -> reqwest::Response {
        let started = self
            .post(
                "/api/v1/conversation/start",
                json!({ "content_type": "affirmation", "intent": "calm" }),
            )
            .await;
        let started = expect_status(started, StatusCode::CREATED).await;
        self.post(
            "/api/v1/conversation/complete",
            json!({ "session_id": started["session_id"], "confirm": true }),
        )
        .await
    }

    /// Polls the item until it is no longer generating (failing at `deadline`).
    async fn settled(&self, content_id: &str, deadline: Instant, server: &Server) -> Value {
        loop {
            let item = self.get(&format!("/api/v1/content/{content_id}")).await;
            if item["status"] != "generating" {
                return item;
            }
            assert!(
                Instant::now() < deadline,
                "{content_id} never finished:\n{}",
                server.log()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// The ledger explains the balance: its sum, and every `balance_after`.
    async fn assert_ledger_explains_balance(&self) -> Value {
        let balance = self.get("/api/v1/credits/balance").await;
        let ledger = self.get("/api/v1/credits/transactions?limit=100").await;
        let mut rows = ledger["transactions"].as_array().unwrap().clone();
        rows.reverse();
        let mut running = 0;
        for row in &rows {
            running += row["amount"].as_i64().unwrap();
            assert_eq!(row["balance_after"].as_i64().unwrap(), running, "{row}");
        }
        assert_eq!(balance["balance"].as_i64().unwrap(), running);
        assert_eq!(balance["held"], 0, "credits still held: {balance}");
        balance
    }
}

fn server_env(
    database_url: Option<&str>,
    extra: &[(&'static str, String)],
) -> HashMap<&'static str, String> {
    let mut env = HashMap::from([
        ("WAQUP_JWT_SECRET", TEST_JWT_SECRET.to_owned()),
        ("WAQUP_RATE_LIMIT_PER_MINUTE", "0".to_owned()),
        ("WAQUP_JOB_LEASE_SECS", "3".to_owned()),
        ("WAQUP_SHUTDOWN_TIMEOUT_SECS", "1".to_owned()),
    ]);
    if let Some(url) = database_url {
        env.insert("WAQUP_DATABASE_URL", url.to_owned());
    }
    env.extend(extra.iter().cloned());
    env
}

/// SIGKILL while generations run; after a restart every job ends ready (charged
/// once) or failed (not charged), and every balance is the sum of its ledger.
async fn crash_recovery(database_url: Option<&str>) {
    let fake = FakeLlm::start();
    fake.set(|b| b.slots = json!({ "intent": "calm" }));
    fake.state.chunk_delay_ms.store(1, Ordering::Relaxed);
    // Long enough to kill the server in the middle of every job.
    fake.state.content_delay_ms.store(4_000, Ordering::Relaxed);
    let dir = tempfile::tempdir().unwrap();
    let env = server_env(
        database_url,
        &[
            ("WAQUP_LLM_BASE_URL", fake.base_url.clone()),
            ("WAQUP_LLM_TIMEOUT_SECS", "5".to_owned()),
        ],
    );
    let server = Server::start(dir.path(), &env);
    let mut users = Vec::new();
    let mut items = Vec::new();
    for _ in 0..6 {
        let user = Client::sign_up(&server.base).await;
        let done = expect_status(user.confirm_an_affirmation().await, StatusCode::OK).await;
        items.push(done["content_id"].as_str().unwrap().to_owned());
        users.push(user);
    }
    // One more confirmation by a user with no credit left: refused, nothing held.
    let refused = users[0].confirm_an_affirmation().await;
    assert_eq!(refused.status(), StatusCode::PAYMENT_REQUIRED);
    let deadline = Instant::now() + Duration::from_secs(10);
    while fake.state.content_requests.load(Ordering::Relaxed) < items.len()
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        fake.state.content_requests.load(Ordering::Relaxed),
        items.len(),
        "every job was writing"
    );
    server.kill();

    let server = Server::start(dir.path(), &env);
    let users: Vec<Client> = users.iter().map(|u| u.on(&server.base)).collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    for (user, content_id) in users.iter().zip(&items) {
        let item = user.settled(content_id, deadline, &server).await;
        let balance = user.assert_ledger_explains_balance().await;
        let consumption = user
            .get("/api/v1/credits/transactions?transaction_type=consumption")
            .await;
        match item["status"].as_str() {
            Some("ready") => {
                assert_eq!(balance["balance"], 0);
                assert_eq!(consumption["pagination"]["total"], 1);
                assert_eq!(consumption["transactions"][0]["ritual_id"], *content_id);
            }
            Some("failed") => {
                assert_eq!(balance["balance"], 1);
                assert_eq!(consumption["pagination"]["total"], 0);
            }
            other => panic!("unexpected status {other:?}"),
        }
        // The crash interrupted the text; the resumed job wrote it again.
        assert_eq!(item["title"], "A Fake Calm");
    }
    assert!(fake.state.content_requests.load(Ordering::Relaxed) >= 2 * items.len());
    assert!(server.terminate().success());
}

#[actix_web::test]
async fn sigkill_during_generation_on_sqlite() {
    crash_recovery(None).await;
}

#[actix_web::test]
async fn sigkill_during_generation_on_postgres() {
    let Some(pg) = test_database_url() else {
        skip("WAQUP_TEST_DATABASE_URL");
        return;
    };
    let database = TestDatabase::create(&pg).await;
    crash_recovery(Some(&database.url)).await;
}

/// SIGKILL while the audio of generations is being spoken; after a restart every job
/// finishes from its audio stage: the text is not written again, and each item is
/// charged once.
async fn crash_in_the_audio_stage(database_url: Option<&str>) {
    let llm = FakeLlm::start();
    llm.set(|b| b.slots = json!({ "intent": "calm" }));
    llm.state.chunk_delay_ms.store(1, Ordering::Relaxed);
    let tts = FakeTts::start();
    // Slow speech: the kill lands while every job is in its audio stage.
    tts.state.delay_ms.store(3_000, Ordering::Relaxed);
    let dir = tempfile::tempdir().unwrap();
    let env = server_env(
        database_url,
        &[
            ("WAQUP_LLM_BASE_URL", llm.base_url.clone()),
            ("WAQUP_LLM_TIMEOUT_SECS", "5".to_owned()),
            ("WAQUP_TTS_PROVIDER", "openai".to_owned()),
            ("WAQUP_TTS_BASE_URL", tts.openai_base_url.clone()),
        ],
    );
    let server = Server::start(dir.path(), &env);
    let mut users = Vec::new();
    let mut items = Vec::new();
    for _ in 0..3 {
        let user = Client::sign_up(&server.base).await;
        let done = expect_status(user.confirm_an_affirmation().await, StatusCode::OK).await;
        items.push(done["content_id"].as_str().unwrap().to_owned());
        users.push(user);
    }
    // Every job has written its text and asked for speech.
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut texts = Vec::new();
    for (user, content_id) in users.iter().zip(&items) {
        loop {
            let item = user.get(&format!("/api/v1/content/{content_id}")).await;
            if item["content_text"].is_string() {
                assert_eq!(item["status"], "generating");
                texts.push(item["content_text"].clone());
                break;
            }
            assert!(Instant::now() < deadline, "no text:\n{}", server.log());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    while tts.requests() < items.len() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(tts.requests() >= items.len(), "the jobs were speaking");
    assert_eq!(
        llm.state.content_requests.load(Ordering::Relaxed),
        items.len()
    );
    // Every job is in its audio stage right now: text stored, no audio yet.
    for (user, content_id) in users.iter().zip(&items) {
        let item = user.get(&format!("/api/v1/content/{content_id}")).await;
        assert_eq!(item["status"], "generating", "{item}");
        assert!(item["audio_url"].is_null(), "{item}");
    }
    server.kill();
    let spoken_before = tts.requests();

    tts.state.delay_ms.store(0, Ordering::Relaxed);
    let server = Server::start(dir.path(), &env);
    let users: Vec<Client> = users.iter().map(|u| u.on(&server.base)).collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    for ((user, content_id), text) in users.iter().zip(&items).zip(&texts) {
        let item = user.settled(content_id, deadline, &server).await;
        assert_eq!(item["status"], "ready", "{item}");
        assert_eq!(item["content_text"], *text, "the text was kept");
        assert!(item["audio_duration"].as_i64().unwrap() > 0);
        let balance = user.assert_ledger_explains_balance().await;
        assert_eq!(balance["balance"], 0);
        let consumption = user
            .get("/api/v1/credits/transactions?transaction_type=consumption")
            .await;
        assert_eq!(consumption["pagination"]["total"], 1, "charged once");
    }
    assert_eq!(
        llm.state.content_requests.load(Ordering::Relaxed),
        items.len(),
        "no text was written twice"
    );
    assert!(
        tts.requests() > spoken_before,
        "the audio was spoken after the restart"
    );
    assert!(server.terminate().success());
}

#[actix_web::test]
async fn sigkill_during_the_audio_stage_on_sqlite() {
    crash_in_the_audio_stage(None).await;
}

#[actix_web::test]
async fn sigkill_during_the_audio_stage_on_postgres() {
    let Some(pg) = test_database_url() else {
        skip("WAQUP_TEST_DATABASE_URL");
        return;
    };
    let database = TestDatabase::create(&pg).await;
    crash_in_the_audio_stage(Some(&database.url)).await;
}

/// Two nodes on one Redis and one PostgreSQL: a session started on A carries on on B;
/// A lets go of it (its socket is told 4001) and nothing A does can overwrite B.
#[actix_web::test]
async fn a_session_moves_from_one_node_to_another() {
    let (Some(pg), Some(redis)) = (test_database_url(), test_redis_url()) else {
        skip("WAQUP_TEST_DATABASE_URL and WAQUP_TEST_REDIS_URL");
        return;
    };
    let database = TestDatabase::create(&pg).await;
    let dir = tempfile::tempdir().unwrap();
    let prefix = format!("test:{}:", Uuid::new_v4().simple());
    let env = |node: &str| {
        server_env(
            Some(&database.url),
            &[
                ("WAQUP_REDIS_URL", redis.clone()),
                ("WAQUP_REDIS_KEY_PREFIX", prefix.clone()),
                ("WAQUP_NODE_ID", node.to_owned()),
            ],
        )
    };
    let a = Server::start(dir.path(), &env("node-a"));
    let b = Server::start(dir.path(), &env("node-b"));
    let user = Client::sign_up(&a.base).await;

    let mut on_a = connect(&a.base, &user.token).await;
    let (session_id, _) = on_a.start("ritual").await;
    let reply = on_a.say(&session_id, "a ritual for healing").await;
    assert_eq!(reply["state"], "ContextGathering");

    let mut on_b = connect(&b.base, &user.token).await;
    on_b.send(json!({ "type": "resume", "session_id": session_id }))
        .await;
    let resumed = on_b.until("resumed").await.1;
    assert_eq!(resumed["state"], "ContextGathering");
    assert_eq!(resumed["context"]["intent"], "healing");
    assert_eq!(resumed["messages"].as_array().unwrap().len(), 3);

    // A hears of the move over Redis and lets its socket go.
    let close = on_a.closed().await.expect("a close frame");
    assert_eq!(close.code, CloseCode::Library(4001));

    // A read on A does not take the session back.
    let seen = user
        .get(&format!(
            "/api/v1/conversation/state?session_id={session_id}"
        ))
        .await;
    assert_eq!(seen["state"], "ContextGathering");
    for line in [
        "after my breakup",
        "in the evening",
        "ten minutes",
        "no preference",
    ] {
        on_b.say(&session_id, line).await;
    }
    let user_b = user.on(&b.base);
    let credits = user_b.get("/api/v1/credits/balance").await;
    assert_eq!(credits["balance"], 1);
    // A ritual costs 3: give the user enough through the store of node B's database.
    let store = waqup::store::connect(
        &waqup::config::Config::from_sources(None, &|k| {
            (k == "WAQUP_DATABASE_URL").then(|| database.url.clone())
        })
        .unwrap(),
    )
    .await
    .unwrap();
    let me = user_b.get("/api/v1/users/me").await;
    store
        .append_ledger(waqup::store::NewLedgerEntry {
            id: Uuid::now_v7(),
            user_id: me["id"].as_str().unwrap().parse().unwrap(),
            kind: waqup::domain::LedgerType::Purchase,
            amount: 2,
            content_item_id: None,
            content_type: None,
            metadata: json!({}),
            now: waqup::time::now(),
        })
        .await
        .unwrap();
    store.close().await;
    on_b.send(json!({ "type": "confirm", "session_id": session_id }))
        .await;
    let complete = on_b.until("generation_complete").await.1;
    assert_eq!(complete["content"]["status"], "ready");
    assert_eq!(complete["content"]["context"]["intent"], "healing");
    let balance = user_b.assert_ledger_explains_balance().await;
    assert_eq!(balance["balance"], 0);

    // Seen from A: the same conversation, finished on B.
    let state = user
        .get(&format!(
            "/api/v1/conversation/state?session_id={session_id}"
        ))
        .await;
    assert_eq!(state["state"], "Complete");
    assert!(a.terminate().success());
    assert!(b.terminate().success());
}

/// With Redis, a conversation outlives the process; without it, it ends with it.
#[actix_web::test]
async fn a_session_outlives_a_restart_with_redis() {
    let Some(redis) = test_redis_url() else {
        skip("WAQUP_TEST_REDIS_URL");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let env = server_env(
        None,
        &[
            ("WAQUP_REDIS_URL", redis),
            (
                "WAQUP_REDIS_KEY_PREFIX",
                format!("test:{}:", Uuid::new_v4().simple()),
            ),
        ],
    );
    let first = Server::start(dir.path(), &env);
    let user = Client::sign_up(&first.base).await;
    let started = user
        .post(
            "/api/v1/conversation/start",
            json!({ "content_type": "guided_meditation" }),
        )
        .await;
    let session_id = expect_status(started, StatusCode::CREATED).await["session_id"].clone();
    let reply = user
        .post(
            "/api/v1/conversation/message",
            json!({ "session_id": session_id, "message": "help me sleep" }),
        )
        .await;
    assert_eq!(
        expect_status(reply, StatusCode::OK).await["state"],
        "PracticeDetails"
    );
    first.kill();

    let second = Server::start(dir.path(), &env);
    let user = user.on(&second.base);
    // Reads look at the snapshot; several turns at once rehydrate it once, and all
    // are answered.
    let path = format!(
        "/api/v1/conversation/state?session_id={}",
        session_id.as_str().unwrap()
    );
    let views = (0..4).map(|_| user.get(&path));
    for view in futures_util::future::join_all(views).await {
        assert_eq!(view["state"], "PracticeDetails");
    }
    let confirms = (0..3).map(|_| {
        user.post(
            "/api/v1/conversation/complete",
            json!({ "session_id": session_id, "confirm": true }),
        )
    });
    for early in futures_util::future::join_all(confirms).await {
        crate::helpers::expect_error(early, StatusCode::CONFLICT, "CONVERSATION_NOT_READY").await;
    }
    let reply = user
        .post(
            "/api/v1/conversation/message",
            json!({ "session_id": session_id, "message": "at night, 10 minutes" }),
        )
        .await;
    let reply = expect_status(reply, StatusCode::OK).await;
    assert_eq!(reply["state"], "Personalization");
    assert_eq!(reply["context"]["intent"], "sleep");
    assert!(second.terminate().success());
}

#[actix_web::test]
async fn a_generation_that_ended_unheard_is_told_on_resume() {
    let Some(redis) = test_redis_url() else {
        skip("WAQUP_TEST_REDIS_URL");
        return;
    };
    let fake = FakeLlm::start();
    fake.set(|b| b.slots = json!({ "intent": "calm" }));
    fake.state.chunk_delay_ms.store(1, Ordering::Relaxed);
    fake.state.content_delay_ms.store(3_000, Ordering::Relaxed);
    let dir = tempfile::tempdir().unwrap();
    let env = server_env(
        None,
        &[
            ("WAQUP_REDIS_URL", redis),
            (
                "WAQUP_REDIS_KEY_PREFIX",
                format!("test:{}:", Uuid::new_v4().simple()),
            ),
            ("WAQUP_LLM_BASE_URL", fake.base_url.clone()),
            ("WAQUP_LLM_TIMEOUT_SECS", "5".to_owned()),
        ],
    );
    let first = Server::start(dir.path(), &env);
    let user = Client::sign_up(&first.base).await;
    let mut ws = connect(&first.base, &user.token).await;
    ws.send(json!({ "type": "start", "content_type": "affirmation", "intent": "calm" }))
        .await;
    let session_id = ws.until("started").await.1["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(ws.until("response").await.1["state"], "Confirmation");
    ws.send(json!({ "type": "confirm", "session_id": session_id }))
        .await;
    let content_id = ws.until("generation_started").await.1["content_id"].clone();
    let deadline = Instant::now() + Duration::from_secs(10);
    while fake.state.content_requests.load(Ordering::Relaxed) == 0 {
        assert!(Instant::now() < deadline, "the job never started writing");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    first.kill();

    // The job resumes in the new process and ends while nobody holds the conversation.
    let second = Server::start(dir.path(), &env);
    let user = user.on(&second.base);
    let deadline = Instant::now() + Duration::from_secs(30);
    while user
        .get(&format!("/api/v1/content/{}", content_id.as_str().unwrap()))
        .await["status"]
        != "ready"
    {
        assert!(Instant::now() < deadline, "never ready:\n{}", second.log());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut ws = connect(&second.base, &user.token).await;
    ws.send(json!({ "type": "resume", "session_id": session_id }))
        .await;
    let resumed = ws.until("resumed").await.1;
    assert_eq!(resumed["state"], "Generating");
    assert_eq!(resumed["content_id"], content_id);
    // What the socket missed is told to it.
    let complete = ws.until("generation_complete").await.1;
    assert_eq!(complete["content"]["id"], content_id);
    assert_eq!(complete["content"]["status"], "ready");
    let state = user
        .get(&format!(
            "/api/v1/conversation/state?session_id={session_id}"
        ))
        .await;
    assert_eq!(state["state"], "Complete");
    assert_eq!(state["content_id"], content_id);
    assert!(second.terminate().success());
}

#[actix_web::test]
async fn without_redis_a_session_ends_with_its_process() {
    let dir = tempfile::tempdir().unwrap();
    let env = server_env(None, &[]);
    let first = Server::start(dir.path(), &env);
    let user = Client::sign_up(&first.base).await;
    let started = user
        .post(
            "/api/v1/conversation/start",
            json!({ "content_type": "affirmation" }),
        )
        .await;
    let session_id = expect_status(started, StatusCode::CREATED).await["session_id"].clone();
    first.kill();
    let second = Server::start(dir.path(), &env);
    let user = user.on(&second.base);
    let late = user
        .post(
            "/api/v1/conversation/message",
            json!({ "session_id": session_id, "message": "calm" }),
        )
        .await;
    crate::helpers::expect_error(late, StatusCode::GONE, "SESSION_EXPIRED").await;
    assert!(second.terminate().success());
}
