//! `waqup load` against a real server (every scenario, both backends), and its open
//! model against a scripted socket server: the rate is kept and latency counts from
//! when each turn was due.

use std::time::Duration;

use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;
use waqup::domain::Role;
use waqup::load::accounts::{BulkUsers, create_users};
use waqup::load::{LoadArgs, Report, run};

use crate::helpers::{Backend, TestApp};

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    args: LoadArgs,
}

fn args(url: &str, extra: &[&str]) -> LoadArgs {
    let mut argv = vec!["load", "--url", url, "--quiet"];
    argv.extend_from_slice(extra);
    Cli::parse_from(argv).args
}

async fn tokens(app: &TestApp, count: usize) -> Vec<String> {
    let file = create_users(
        &app.state.config,
        BulkUsers {
            count,
            role: Role::User,
            credits: 10_000,
            token_ttl: Duration::from_secs(600),
            password: None,
        },
    )
    .await
    .expect("load accounts");
    file.accounts.into_iter().map(|a| a.access_token).collect()
}

fn assert_clean(report: &Report) {
    assert_eq!(report.errors, 0, "{}", report.table());
    assert_eq!(report.sessions_dropped, 0, "{}", report.table());
    assert_eq!(
        report.sessions_opened,
        report.sessions as u64,
        "{}",
        report.table()
    );
    assert!(
        report.latency_ms.contains_key("connect"),
        "{}",
        report.table()
    );
}

async fn every_scenario_runs_clean(backend: Backend) {
    let Some(app) = TestApp::builder(backend)
        .env("WAQUP_MAX_SESSIONS_PER_USER", "100")
        .folder_blobs()
        .spawn()
        .await
    else {
        return;
    };
    let tokens = tokens(&app, 3).await;
    let url = app.address.as_str();

    // Dialogue: conversations reach their summary and are cancelled, again and again.
    let report = run(
        args(
            url,
            &[
                "--scenario",
                "dialogue",
                "--sessions",
                "12",
                "--duration",
                "2s",
            ],
        ),
        tokens.clone(),
    )
    .await
    .unwrap();
    assert_clean(&report);
    assert!(report.conversations >= 12, "{}", report.table());
    let turn = &report.latency_ms["turn"];
    assert_eq!(turn.count, report.turns);
    assert!(turn.p50 <= turn.p99 && turn.p99 <= turn.max);
    assert!(report.turns_per_second > 0.0);

    // Chat: one long conversation per session, change after change at the summary.
    let report = run(
        args(
            url,
            &["--scenario", "chat", "--sessions", "4", "--duration", "1s"],
        ),
        tokens.clone(),
    )
    .await
    .unwrap();
    assert_clean(&report);
    assert_eq!(report.conversations, 4, "{}", report.table());
    assert!(report.turns > 12, "{}", report.table());

    // Idle: sockets held with heartbeats, each with its session actor.
    let report = run(
        args(
            url,
            &[
                "--scenario",
                "idle",
                "--sessions",
                "6",
                "--duration",
                "1s",
                "--heartbeat",
                "200ms",
            ],
        ),
        tokens.clone(),
    )
    .await
    .unwrap();
    assert_clean(&report);
    assert!(report.heartbeats >= 6, "{}", report.table());
    assert_eq!(report.peak_open, 6);

    // Resume: the socket drops every two turns and a new one carries on.
    let report = run(
        args(
            url,
            &[
                "--scenario",
                "resume",
                "--sessions",
                "3",
                "--duration",
                "2s",
            ],
        ),
        tokens.clone(),
    )
    .await
    .unwrap();
    assert_eq!(report.errors, 0, "{}", report.table());
    assert!(report.resumes >= 3, "{}", report.table());
    assert!(report.latency_ms.contains_key("resume"));

    // Dialogue to the item: confirm, wait for `generation_complete`.
    let report = run(
        args(
            url,
            &[
                "--scenario",
                "dialogue",
                "--generate",
                "--content-type",
                "affirmation",
                "--sessions",
                "2",
                "--duration",
                "2s",
            ],
        ),
        tokens.clone(),
    )
    .await
    .unwrap();
    assert_eq!(report.errors, 0, "{}", report.table());
    assert!(report.generations >= 2, "{}", report.table());
    assert_eq!(report.latency_ms["generation"].count, report.generations);

    // The server's side of the run.
    let metrics = app.get("/metrics", None).await.text().await.unwrap();
    for name in [
        "sessions_live",
        "ws_connections",
        "conversation_turns_total",
        "turn_duration_seconds_bucket",
        "actor_mailbox_backlog",
    ] {
        assert!(metrics.contains(name), "{name} missing from /metrics");
    }

    // A server limit shows as errors by code, with what to change.
    let report = run(
        args(
            url,
            &["--scenario", "chat", "--sessions", "4", "--duration", "1s"],
        ),
        vec!["not-a-token".to_owned()],
    )
    .await
    .unwrap();
    assert_eq!(report.errors, 4, "{}", report.table());
    assert_eq!(report.errors_by_code["HTTP_401"], 4);
}

#[actix_web::test]
async fn every_scenario_runs_clean_embedded() {
    every_scenario_runs_clean(Backend::Embedded).await;
}

#[actix_web::test]
async fn every_scenario_runs_clean_with_services() {
    every_scenario_runs_clean(Backend::Services).await;
}

/// A socket server that answers `start` at once and every other frame after `delay`.
async fn scripted_server(delay: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let Ok(mut ws) = tokio_tungstenite::accept_async(stream).await else {
                    return;
                };
                let session = "0190d8a4-0000-7000-8000-000000000001";
                while let Some(Ok(message)) = ws.next().await {
                    let Message::Text(text) = message else {
                        continue;
                    };
                    if text.as_str().contains(r#""type":"start""#) {
                        let started = format!(
                            r#"{{"type":"started","session_id":"{session}","state":"Greeting"}}"#
                        );
                        if ws.send(Message::text(started)).await.is_err() {
                            return;
                        }
                    } else {
                        tokio::time::sleep(delay).await;
                    }
                    let response = format!(
                        r#"{{"type":"response","session_id":"{session}","content":"ok","state":"Confirmation"}}"#
                    );
                    if ws.send(Message::text(response)).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("ws://{addr}/ws/conversation")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rate_is_kept_when_the_server_keeps_up() {
    let url = scripted_server(Duration::ZERO).await;
    let report = run(
        args(
            &url,
            &[
                "--scenario",
                "chat",
                "--sessions",
                "10",
                "--rate",
                "200",
                "--duration",
                "3s",
            ],
        ),
        vec!["token".into()],
    )
    .await
    .unwrap();
    assert_eq!(report.errors, 0, "{}", report.table());
    let rate = report.rate.as_ref().unwrap();
    assert_eq!(rate.latency_from, "intended send time");
    assert!(
        (180.0..=220.0).contains(&rate.sent_per_second),
        "{}",
        report.table()
    );
    assert!(
        (180.0..=220.0).contains(&report.turns_per_second),
        "{}",
        report.table()
    );
    assert!(report.latency_ms["turn"].p50 < 50.0, "{}", report.table());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latency_counts_from_when_a_turn_was_due() {
    // One session due every 50 ms against a server that takes 100 ms: the session falls
    // further behind with every turn. Measured from the send, every turn would look
    // like 100 ms; measured from when it was due, the wait shows.
    let url = scripted_server(Duration::from_millis(100)).await;
    let report = run(
        args(
            &url,
            &[
                "--scenario",
                "chat",
                "--sessions",
                "1",
                "--rate",
                "20",
                "--duration",
                "3s",
            ],
        ),
        vec!["token".into()],
    )
    .await
    .unwrap();
    assert_eq!(report.errors, 0, "{}", report.table());
    let turn = &report.latency_ms["turn"];
    // About 30 turns over 3 s; the last was due about 1.5 s before it was answered.
    assert!((20..=40).contains(&turn.count), "{}", report.table());
    assert!(turn.p50 > 400.0, "{}", report.table());
    assert!(turn.max > 1_000.0, "{}", report.table());
    let rate = report.rate.as_ref().unwrap();
    assert!(rate.sent_per_second < 12.0, "{}", report.table());
}

crate::backend_tests!(the_voice_scenario_speaks_and_reports_voice_latencies);

/// `voice`: each message a streamed WAV, each reply voiced; the report has the three
/// voice latencies, and the server's metrics the same three histograms.
async fn the_voice_scenario_speaks_and_reports_voice_latencies(backend: Backend) {
    let stt = crate::fake_stt::FakeStt::start("I want to feel calm before my exams");
    let tts = crate::fake_tts::FakeTts::start();
    let Some(app) = TestApp::builder(backend)
        .env("WAQUP_MAX_SESSIONS_PER_USER", "100")
        .transcription_api(&stt)
        .speech_api(&tts)
        .spawn()
        .await
    else {
        return;
    };
    let tokens = tokens(&app, 2).await;
    let recording = tempfile::NamedTempFile::new().unwrap();
    let wav = waqup::audio::to_wav(&waqup::audio::tone(1.5, 16_000));
    std::fs::write(recording.path(), wav).unwrap();
    let path = recording.path().display().to_string();
    let report = run(
        args(
            app.address.as_str(),
            &[
                "--scenario",
                "voice",
                "--sessions",
                "4",
                "--duration",
                "2s",
                "--utterance",
                &path,
            ],
        ),
        tokens,
    )
    .await
    .unwrap();
    assert_clean(&report);
    assert!(report.utterances >= 4, "{}", report.table());
    assert!(report.reply_audio_kib > 0, "{}", report.table());
    for name in ["transcript", "reply_text", "reply_audio"] {
        let latency = &report.latency_ms[name];
        assert_eq!(
            latency.count,
            report.utterances,
            "{name}: {}",
            report.table()
        );
    }
    assert!(report.table().contains("reply_audio"));
    assert!(stt.requests() as u64 >= report.utterances);

    let metrics = app.get("/metrics", None).await.text().await.unwrap();
    for name in [
        "voice_transcript_seconds_count",
        "voice_reply_text_seconds_count",
        "voice_reply_audio_seconds_count",
    ] {
        assert!(metrics.contains(name), "{name} missing from /metrics");
    }

    // A recording that is not WAV is refused before any session opens.
    std::fs::write(recording.path(), b"not a recording").unwrap();
    let refused = run(
        args(
            app.address.as_str(),
            &[
                "--scenario",
                "voice",
                "--sessions",
                "1",
                "--utterance",
                &path,
            ],
        ),
        vec!["unused".to_owned()],
    )
    .await
    .unwrap_err();
    assert!(format!("{refused:#}").contains("WAV"), "{refused:#}");
}
