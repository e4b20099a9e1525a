//! `waqup chat`, the terminal client, against a real `waqup serve` process: scripted
//! input on stdin, one line per turn.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Output, Stdio};
use std::sync::atomic::Ordering;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::fake_llm::FakeLlm;
use crate::helpers::{PASSWORD, expect_status};
use crate::process::{Server, waqup};

/// Longest a whole scripted conversation may take, generation included.
const CHAT_TIMEOUT: Duration = Duration::from_secs(90);
const EMAIL: &str = "chat@example.com";

/// A server on the embedded defaults (placeholder speech: no speech engine needed)
/// with one account holding a few credits.
fn server_with_an_account(extra: &[(&'static str, String)]) -> (TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    let created = waqup()
        .args([
            "admin",
            "create-user",
            "--email",
            EMAIL,
            "--password",
            PASSWORD,
        ])
        .args(["--credits", "3"])
        .current_dir(dir.path())
        .output()
        .expect("run waqup admin create-user");
    assert!(created.status.success(), "{}", text(&created.stderr));
    let mut env = HashMap::from([("WAQUP_TTS_PROVIDER", "placeholder".to_owned())]);
    env.extend(extra.iter().cloned());
    let server = Server::start(dir.path(), &env);
    (dir, server)
}

/// Runs `waqup chat ARGS` in `dir` with `input` as its stdin (a file: not a terminal)
/// and waits for it to exit.
async fn chat(dir: &Path, args: &[&str], input: &str) -> Output {
    let script = dir.join("script.txt");
    std::fs::write(&script, input).unwrap();
    let mut command = tokio::process::Command::from(waqup());
    command
        .arg("chat")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::from(std::fs::File::open(&script).unwrap()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let child = command.spawn().expect("start waqup chat");
    tokio::time::timeout(CHAT_TIMEOUT, child.wait_with_output())
        .await
        .expect("waqup chat exits in time")
        .expect("wait for waqup chat")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn signed_in_args<'a>(server: &'a Server, password: &'a str) -> Vec<&'a str> {
    vec![
        "--url",
        &server.base,
        "--email",
        EMAIL,
        "--password",
        password,
    ]
}

async fn log_in(client: &reqwest::Client, server: &Server) -> String {
    let response = client
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({ "email": EMAIL, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    expect_status(response, StatusCode::OK).await["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn get(client: &reqwest::Client, server: &Server, token: &str, path: &str) -> Value {
    let response = client
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    expect_status(response, StatusCode::OK).await
}

#[actix_web::test]
async fn a_scripted_chat_creates_an_affirmation_and_saves_its_audio() {
    let (dir, server) = server_with_an_account(&[]);
    let out = dir.path().join("item.mp3");
    let mut args = signed_in_args(&server, PASSWORD);
    let out_arg = out.to_str().unwrap();
    args.extend(["--content-type", "affirmation", "--out", out_arg]);

    let output = chat(
        dir.path(),
        &args,
        "I want to feel more confident at work\nyes\n",
    )
    .await;

    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(
        output.status.success(),
        "exit {}\nstdout:\n{stdout}\nstderr:\n{stderr}\nserver:\n{}",
        output.status,
        server.log()
    );
    // The conversation as the person saw it: greeting, summary, generation, file.
    for expected in [
        "[signed in as chat@example.com]",
        "[Greeting -> IntentDiscovery]",
        "> I want to feel more confident at work",
        "[IntentDiscovery -> Confirmation]",
        "> yes",
        "[Confirmation -> Generating]",
        "[generating: audio",
        &format!("saved {}", out.display()),
    ] {
        assert!(stdout.contains(expected), "no {expected:?} in:\n{stdout}");
    }
    assert!(stdout.contains("guide: Hello!"), "{stdout}");

    // The file is the item's audio, byte for byte, and it decodes.
    let saved = std::fs::read(&out).expect("the audio was saved");
    assert!(saved.len() > 10_000, "{} bytes", saved.len());
    let pcm = waqup::audio::decode(&saved).expect("the saved file is audio");
    assert!(pcm.seconds() > 1.0, "{} s", pcm.seconds());

    let client = reqwest::Client::new();
    let token = log_in(&client, &server).await;
    let library = get(&client, &server, &token, "/api/v1/content").await;
    let items = library["content_items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{library}");
    let id = items[0]["id"].as_str().unwrap();
    let item = get(&client, &server, &token, &format!("/api/v1/content/{id}")).await;
    assert_eq!(item["status"], "ready");
    assert!(stdout.contains(item["title"].as_str().unwrap()), "{stdout}");
    let audio = client
        .get(server.url(item["audio_url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(audio.status(), StatusCode::OK);
    assert_eq!(audio.bytes().await.unwrap().as_ref(), saved.as_slice());
    let balance = get(&client, &server, &token, "/api/v1/credits/balance").await;
    assert_eq!(balance["balance"], 2, "one credit charged");
}

/// With a model configured the guide's replies stream: each is shown once, on one
/// line, as its pieces arrive.
#[actix_web::test]
async fn streamed_replies_are_shown_once_as_they_arrive() {
    let llm = FakeLlm::start();
    llm.set(|b| b.slots = json!({ "intent": "confidence" }));
    llm.state.chunk_delay_ms.store(1, Ordering::Relaxed);
    let reply = llm.state.behaviour.lock().unwrap().reply_text.clone();
    let (dir, server) = server_with_an_account(&[("WAQUP_LLM_BASE_URL", llm.base_url.clone())]);
    let mut args = signed_in_args(&server, PASSWORD);
    args.extend(["--content-type", "affirmation"]);

    let output = chat(dir.path(), &args, "more confidence please\n/quit\n").await;

    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    let guide_lines: Vec<&str> = stdout
        .lines()
        .filter(|line| line.starts_with("guide: "))
        .collect();
    // The greeting and the summary.
    assert_eq!(guide_lines.len(), 2, "{stdout}");
    for line in guide_lines {
        assert_eq!(line, format!("guide: {reply}"), "{stdout}");
    }
    assert!(llm.state.reply_requests.load(Ordering::Relaxed) >= 2);
    assert!(stdout.contains("[left the conversation]"), "{stdout}");
}

#[actix_web::test]
async fn a_wrong_password_shows_the_servers_refusal() {
    let (dir, server) = server_with_an_account(&[]);
    let args = signed_in_args(&server, "not the right password");

    let output = chat(dir.path(), &args, "").await;

    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(stderr.contains("INVALID_CREDENTIALS"), "{stderr}");
    assert!(!text(&output.stdout).contains("signed in"));
    // The refusal was the server's: the right password works.
    let client = reqwest::Client::new();
    log_in(&client, &server).await;
}

#[actix_web::test]
async fn input_that_ends_before_the_item_is_made_is_an_error() {
    let (dir, server) = server_with_an_account(&[]);
    let mut args = signed_in_args(&server, PASSWORD);
    args.extend(["--content-type", "affirmation"]);

    let output = chat(dir.path(), &args, "I want to feel calm\n").await;

    assert!(!output.status.success(), "{}", text(&output.stdout));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("input ended before the item was made"),
        "{stderr}"
    );
    // Nothing was created or charged.
    let client = reqwest::Client::new();
    let token = log_in(&client, &server).await;
    let balance = get(&client, &server, &token, "/api/v1/credits/balance").await;
    assert_eq!(balance["balance"], 3);
}

#[actix_web::test]
async fn a_server_that_is_not_there_cannot_be_reached() {
    let dir = tempfile::tempdir().unwrap();
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");

    let output = chat(
        dir.path(),
        &["--url", &url, "--email", EMAIL, "--password", PASSWORD],
        "",
    )
    .await;

    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(stderr.contains(&format!("cannot reach {url}")), "{stderr}");
}

/// `--register` creates the account and signs it in; an address that has an account
/// already is refused with the server's code.
#[actix_web::test]
async fn register_creates_an_account_or_shows_the_servers_refusal() {
    let (dir, server) = server_with_an_account(&[]);
    let fresh = [
        "--url",
        &server.base,
        "--register",
        "--email",
        "new@example.com",
        "--password",
        PASSWORD,
        "--content-type",
        "ritual",
    ];

    let output = chat(dir.path(), &fresh, "/quit\n").await;

    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    assert!(
        stdout.contains("[signed in as new@example.com]"),
        "{stdout}"
    );
    assert!(stdout.contains("personal ritual"), "{stdout}");

    let mut taken = signed_in_args(&server, PASSWORD);
    taken.push("--register");
    let output = chat(dir.path(), &taken, "").await;

    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(stderr.contains("EMAIL_TAKEN"), "{stderr}");
}
