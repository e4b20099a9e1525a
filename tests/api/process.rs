//! The `waqup` binary itself: defaults, PostgreSQL + Redis, the CLI, shared rate limits
//! across processes, and graceful shutdown.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{
    PASSWORD, TEST_JWT_SECRET, TestDatabase, espeak_installed, expect_error, expect_status, skip,
    test_database_url, test_redis_url,
};

const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

pub fn waqup() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_waqup"));
    // Only what a test sets: nothing inherited from the developer's shell.
    for (key, _) in std::env::vars() {
        if key.starts_with("WAQUP_") {
            command.env_remove(key);
        }
    }
    command
        .env("WAQUP_LOG_FORMAT", "pretty")
        .env("WAQUP_LOG", "info");
    command
}

/// A `waqup serve` process; killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(dir: &Path, env: &HashMap<&str, String>) -> Server {
        let mut command = waqup();
        command
            .arg("serve")
            .current_dir(dir)
            .env("WAQUP_BIND", "127.0.0.1:0")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("start waqup serve");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let log = log.clone();
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Some(rest) = line.split("listening on http://").nth(1) {
                        let addr = rest
                            .split_whitespace()
                            .next()
                            .unwrap_or_default()
                            .to_owned();
                        let _ = tx.send(addr);
                    }
                    log.lock().unwrap().push(line);
                }
            });
        }
        match rx.recv_timeout(STARTUP_TIMEOUT) {
            Ok(addr) => Server {
                child,
                base: format!("http://{addr}"),
                log,
            },
            Err(_) => {
                let _ = child.kill();
                panic!("server did not start:\n{}", log.lock().unwrap().join("\n"));
            }
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends SIGTERM and waits for the process to exit.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "no exit after SIGTERM:\n{}",
                self.log.lock().unwrap().join("\n")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Server {
    /// SIGKILL: the process dies with whatever it was doing.
    pub fn kill(mut self) {
        self.child.kill().expect("kill the server");
        self.child.wait().expect("reap the server");
    }

    /// Signs up a new account; its access token.
    pub async fn sign_up(&self, client: &reqwest::Client) -> String {
        let email = format!("{}@example.com", Uuid::new_v4().simple());
        let registered = client
            .post(self.url("/api/v1/auth/register"))
            .json(&serde_json::json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        expect_status(registered, StatusCode::CREATED).await["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = waqup();
    command.args(args).current_dir(dir);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run waqup")
}

async fn get(client: &reqwest::Client, url: String) -> reqwest::Response {
    client.get(url).send().await.expect("request")
}

#[actix_web::test]
async fn serve_with_no_config_uses_the_embedded_defaults_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &HashMap::new());
    let client = reqwest::Client::new();
    expect_status(get(&client, server.url("/healthz")).await, StatusCode::OK).await;
    let ready = expect_status(get(&client, server.url("/readyz")).await, StatusCode::OK).await;
    assert_eq!(ready["checks"]["store"]["backend"], "sqlite");
    assert_eq!(ready["checks"]["cache"]["backend"], "memory");
    assert!(dir.path().join("data/waqup.db").is_file());
    assert!(dir.path().join("data/jwt_secret").is_file());
    let status = server.terminate();
    assert!(status.success(), "exit status {status}");
}

/// With espeak-ng installed and nothing configured, a generated affirmation is spoken
/// by it: real speech, stored in the data folder, played through a signed URL.
#[actix_web::test]
async fn with_no_config_espeak_speaks_a_generated_affirmation() {
    if !espeak_installed() {
        skip("espeak-ng");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &HashMap::new());
    let client = reqwest::Client::new();
    let voices = expect_status(
        get(&client, server.url("/api/v1/voices")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(voices["provider"], "espeak");
    let token = server.sign_up(&client).await;
    let post = |path: &str, body: serde_json::Value| {
        client
            .post(server.url(path))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let started = post(
        "/api/v1/conversation/start",
        serde_json::json!({ "content_type": "affirmation", "intent": "confidence" }),
    )
    .await
    .unwrap();
    let session_id = expect_status(started, StatusCode::CREATED).await["session_id"].clone();
    let done = post(
        "/api/v1/conversation/complete",
        serde_json::json!({ "session_id": session_id, "confirm": true }),
    )
    .await
    .unwrap();
    let content_id = expect_status(done, StatusCode::OK).await["content_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let deadline = Instant::now() + Duration::from_secs(60);
    let item = loop {
        let response = client
            .get(server.url(&format!("/api/v1/content/{content_id}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let item = expect_status(response, StatusCode::OK).await;
        if item["status"] != "generating" {
            break item;
        }
        assert!(
            Instant::now() < deadline,
            "still generating:\n{}",
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(item["status"], "ready", "{item}\n{}", server.log());
    assert_eq!(item["metadata"]["audio"]["provider"], "espeak");
    assert_eq!(item["metadata"]["audio"]["voice_available"], true);
    let url = item["audio_url"].as_str().unwrap();
    assert!(url.starts_with("/media/audio/"), "{url}");
    let audio = get(&client, server.url(url)).await;
    assert_eq!(audio.status(), StatusCode::OK);
    let pcm = waqup::audio::decode(&audio.bytes().await.unwrap()).unwrap();
    let seconds = pcm.seconds();
    assert!((seconds - item["audio_duration"].as_f64().unwrap()).abs() <= 1.0);
    // Speech: loud enough, and its loudness comes and goes (a tone bed would not).
    let windows: Vec<f64> = pcm
        .samples
        .chunks(pcm.sample_rate as usize / 10)
        .map(|w| (w.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>() / w.len() as f64).sqrt())
        .collect();
    let loud = windows.iter().filter(|&&rms| rms > 1500.0).count();
    let quiet = windows.iter().filter(|&&rms| rms < 100.0).count();
    assert!(
        loud > 20 && quiet > 20,
        "loud {loud}, quiet {quiet} of {}",
        windows.len()
    );
    assert!(dir.path().join("data/blobs/audio").is_dir());
    assert!(server.terminate().success());
}

#[actix_web::test]
async fn serve_on_postgres_and_redis() {
    let (Some(pg), Some(redis)) = (test_database_url(), test_redis_url()) else {
        skip("WAQUP_TEST_DATABASE_URL and WAQUP_TEST_REDIS_URL");
        return;
    };
    let database = TestDatabase::create(&pg).await;
    let dir = tempfile::tempdir().unwrap();
    let env = HashMap::from([
        ("WAQUP_DATABASE_URL", database.url.clone()),
        ("WAQUP_REDIS_URL", redis),
        (
            "WAQUP_REDIS_KEY_PREFIX",
            format!("test:{}:", Uuid::new_v4().simple()),
        ),
        ("WAQUP_JWT_SECRET", TEST_JWT_SECRET.to_owned()),
    ]);
    let server = Server::start(dir.path(), &env);
    let client = reqwest::Client::new();
    let ready = expect_status(get(&client, server.url("/readyz")).await, StatusCode::OK).await;
    assert_eq!(ready["checks"]["store"]["backend"], "postgres");
    assert_eq!(ready["checks"]["cache"]["backend"], "redis");

    let credentials = serde_json::json!({ "email": "pg@example.com", "password": PASSWORD });
    let response = client
        .post(server.url("/api/v1/auth/register"))
        .json(&credentials)
        .send()
        .await
        .unwrap();
    expect_status(response, StatusCode::CREATED).await;
    let response = client
        .post(server.url("/api/v1/auth/login"))
        .json(&credentials)
        .send()
        .await
        .unwrap();
    let login = expect_status(response, StatusCode::OK).await;
    let me = client
        .get(server.url("/api/v1/users/me"))
        .bearer_auth(login["token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_status(me, StatusCode::OK).await["email"],
        "pg@example.com"
    );
    // Nothing was written to the embedded store.
    assert!(!dir.path().join("data/waqup.db").exists());
    assert!(server.terminate().success());
}

#[test]
fn postgres_without_a_jwt_secret_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        dir.path(),
        &["serve"],
        &[
            ("WAQUP_DATABASE_URL", "postgres://127.0.0.1:1/waqup"),
            ("WAQUP_BIND", "127.0.0.1:0"),
        ],
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("WAQUP_JWT_SECRET must be set"), "{stderr}");
}

#[test]
fn bad_configuration_is_reported_before_anything_starts() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        dir.path(),
        &["serve"],
        &[("WAQUP_RATE_LIMIT_PER_MINUTE", "many")],
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("WAQUP_RATE_LIMIT_PER_MINUTE"), "{stderr}");

    std::fs::write(dir.path().join("custom.toml"), "bind = 7").unwrap();
    let output = run(dir.path(), &["--config", "custom.toml", "migrate"], &[]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("custom.toml"));
}

#[actix_web::test]
async fn migrate_and_admin_create_user() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["migrate"], &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.path().join("data/waqup.db").is_file());

    let create = |email: &str, password: &str, extra: &[&str]| {
        let mut args = vec![
            "admin",
            "create-user",
            "--email",
            email,
            "--password",
            password,
        ];
        args.extend_from_slice(extra);
        run(dir.path(), &args, &[])
    };
    let output = create(
        "Admin@Example.com",
        PASSWORD,
        &["--role", "admin", "--credits", "5"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let id: Uuid = String::from_utf8(output.stdout)
        .unwrap()
        .trim()
        .parse()
        .expect("prints the id");

    let output = create("admin@example.com", PASSWORD, &[]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("already exists"));
    let output = create("weak@example.com", "short", &[]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("password"));
    let output = create("x@example.com", PASSWORD, &["--role", "root"]);
    assert!(!output.status.success());
    let output = create("x@example.com", PASSWORD, &["--credits", "-3"]);
    assert!(!output.status.success());

    // The account works on the server, with its role and credits.
    let server = Server::start(dir.path(), &HashMap::new());
    let client = reqwest::Client::new();
    let credentials = serde_json::json!({ "email": "admin@example.com", "password": PASSWORD });
    let response = client
        .post(server.url("/api/v1/auth/login"))
        .json(&credentials)
        .send()
        .await
        .unwrap();
    let login = expect_status(response, StatusCode::OK).await;
    assert_eq!(login["user"]["id"], id.to_string());
    assert_eq!(login["user"]["role"], "admin");
    let token = login["token"].as_str().unwrap();
    let balance = client
        .get(server.url("/api/v1/credits/balance"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(expect_status(balance, StatusCode::OK).await["balance"], 5);
    let ledger = client
        .get(server.url("/api/v1/credits/transactions"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let ledger = expect_status(ledger, StatusCode::OK).await;
    assert_eq!(ledger["transactions"][0]["type"], "grant");
    assert_eq!(ledger["transactions"][0]["amount"], 5);
}

/// Two `waqup serve` processes on one Redis draw from one budget per client.
#[actix_web::test]
async fn two_processes_share_one_rate_limit_budget() {
    let Some(redis) = test_redis_url() else {
        skip("WAQUP_TEST_REDIS_URL");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let env = HashMap::from([
        ("WAQUP_REDIS_URL", redis),
        (
            "WAQUP_REDIS_KEY_PREFIX",
            format!("test:{}:", Uuid::new_v4().simple()),
        ),
        ("WAQUP_RATE_LIMIT_PER_MINUTE", "10".to_owned()),
        ("WAQUP_JWT_SECRET", TEST_JWT_SECRET.to_owned()),
    ]);
    let a = Server::start(dir.path(), &env);
    let b = Server::start(dir.path(), &env);
    assert_ne!(a.base, b.base);
    let client = reqwest::Client::new();

    // Anonymous requests from one IP: 6 on A, then 6 on B; only 10 fit in the budget.
    for _ in 0..6 {
        expect_error(
            get(&client, a.url("/api/v1/users/me")).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
        )
        .await;
    }
    for _ in 0..4 {
        expect_error(
            get(&client, b.url("/api/v1/users/me")).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
        )
        .await;
    }
    for server in [&b, &a] {
        let response = get(&client, server.url("/api/v1/users/me")).await;
        assert!(response.headers().contains_key("retry-after"));
        expect_error(response, StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED").await;
    }
}
