//! `TestApp`: the application on a free port, with a fresh database per test.
//!
//! `Backend::Embedded` is SQLite in a temporary directory with the in-process cache.
//! `Backend::Services` is PostgreSQL (a new database on the server named by
//! `WAQUP_TEST_DATABASE_URL`), Redis (`WAQUP_TEST_REDIS_URL`, with a key prefix of
//! its own) and S3 (a new bucket on the S3-compatible server at `WAQUP_TEST_S3_ENDPOINT`,
//! signed in with `WAQUP_TEST_S3_ACCESS_KEY_ID` / `WAQUP_TEST_S3_SECRET_ACCESS_KEY`);
//! when none is set the test is skipped, unless `WAQUP_TEST_REQUIRE_SERVICES=1`, which
//! turns a missing service into a failure.

use std::collections::HashMap;
use std::sync::Once;

use actix_web::dev::ServerHandle;
use actix_web::web;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use sqlx::Connection;
use tempfile::TempDir;
use uuid::Uuid;
use waqup::config::Config;
use waqup::startup::Application;
use waqup::state::AppState;

pub const TEST_JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123456789";
pub const PASSWORD: &str = "correct horse battery staple";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite file + in-process cache and rate limiter.
    Embedded,
    /// PostgreSQL, Redis and/or S3 from `WAQUP_TEST_DATABASE_URL` /
    /// `WAQUP_TEST_REDIS_URL` / `WAQUP_TEST_S3_ENDPOINT`.
    Services,
}

/// Generates one `#[actix_web::test]` per backend for each listed `async fn(Backend)`.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[actix_web::test]
            async fn embedded() {
                super::$name($crate::helpers::Backend::Embedded).await
            }
            #[actix_web::test]
            async fn services() {
                super::$name($crate::helpers::Backend::Services).await
            }
        }
    )*};
}

pub fn services_required() -> bool {
    std::env::var("WAQUP_TEST_REQUIRE_SERVICES").is_ok_and(|v| v == "1" || v == "true")
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

pub fn test_database_url() -> Option<String> {
    env_var("WAQUP_TEST_DATABASE_URL")
}

pub fn test_redis_url() -> Option<String> {
    env_var("WAQUP_TEST_REDIS_URL")
}

/// The S3-compatible test server and its credentials.
#[derive(Debug, Clone)]
pub struct TestS3 {
    pub endpoint: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl TestS3 {
    /// A client with the test credentials (path-style, as the app uses with an endpoint).
    pub fn client(&self) -> aws_sdk_s3::Client {
        use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
        let config = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(&self.endpoint)
            .force_path_style(true)
            .credentials_provider(Credentials::new(
                &self.access_key_id,
                &self.secret_access_key,
                None,
                None,
                "waqup-tests",
            ))
            .build();
        aws_sdk_s3::Client::from_conf(config)
    }
}

pub fn test_s3() -> Option<TestS3> {
    let endpoint = env_var("WAQUP_TEST_S3_ENDPOINT")?;
    let credential = |name: &str| {
        env_var(name).unwrap_or_else(|| panic!("WAQUP_TEST_S3_ENDPOINT is set but {name} is not"))
    };
    Some(TestS3 {
        endpoint,
        access_key_id: credential("WAQUP_TEST_S3_ACCESS_KEY_ID"),
        secret_access_key: credential("WAQUP_TEST_S3_SECRET_ACCESS_KEY"),
    })
}

/// Says why a services test does nothing here, or fails when services are required.
/// Whether the `espeak-ng` program runs here.
pub fn espeak_installed() -> bool {
    std::process::Command::new("espeak-ng")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

pub fn skip(what: &str) {
    assert!(
        !services_required(),
        "WAQUP_TEST_REQUIRE_SERVICES is set but {what} is not configured"
    );
    eprintln!("skipped: {what} is not configured");
}

fn init_logs() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if let Some(filter) = env_var("TEST_LOG") {
            waqup::telemetry::init_tracing(waqup::config::LogFormat::Pretty, &filter);
        }
    });
}

/// A PostgreSQL database that exists for one test and is dropped after it.
pub struct TestDatabase {
    admin_url: String,
    pub name: String,
    pub url: String,
}

impl TestDatabase {
    pub async fn create(admin_url: &str) -> TestDatabase {
        let name = format!("waqup_test_{}", Uuid::new_v4().simple());
        let mut admin = sqlx::PgConnection::connect(admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL server: {e}"));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut admin)
            .await
            .expect("create test database");
        admin.close().await.ok();
        TestDatabase {
            admin_url: admin_url.to_owned(),
            url: with_database(admin_url, &name),
            name,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop is synchronous: a short-lived runtime on its own thread does the cleanup.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                    )))
                    .execute(&mut admin)
                    .await;
                }
            });
        })
        .join();
    }
}

/// An S3 bucket that exists for one test; emptied and removed after it.
pub struct TestBucket {
    s3: TestS3,
    pub name: String,
}

impl TestBucket {
    pub async fn create(s3: &TestS3) -> TestBucket {
        let name = format!("waqup-test-{}", Uuid::new_v4().simple());
        s3.client()
            .create_bucket()
            .bucket(&name)
            .send()
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "cannot create a bucket on the test S3 server {}: {}",
                    s3.endpoint,
                    aws_sdk_s3::error::DisplayErrorContext(&e)
                )
            });
        TestBucket {
            s3: s3.clone(),
            name,
        }
    }
}

impl Drop for TestBucket {
    fn drop(&mut self) {
        let s3 = self.s3.clone();
        let name = self.name.clone();
        // As for the database: a runtime of its own, on its own thread. Failures are
        // ignored (the test server's data lives in a temporary directory).
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                let client = s3.client();
                let mut token = None;
                loop {
                    let Ok(page) = client
                        .list_objects_v2()
                        .bucket(&name)
                        .set_continuation_token(token)
                        .send()
                        .await
                    else {
                        break;
                    };
                    for object in page.contents() {
                        if let Some(key) = object.key() {
                            let _ = client.delete_object().bucket(&name).key(key).send().await;
                        }
                    }
                    token = page.next_continuation_token().map(str::to_owned);
                    if token.is_none() {
                        break;
                    }
                }
                let _ = client.delete_bucket().bucket(&name).send().await;
            });
        })
        .join();
    }
}

/// Replaces the database name of a PostgreSQL URL.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// Builds a [`TestApp`]; `env` entries override the test defaults.
pub struct TestAppBuilder {
    backend: Backend,
    env: HashMap<String, String>,
    s3: bool,
}

impl TestAppBuilder {
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.insert(key.to_owned(), value.to_owned());
        self
    }

    /// Speech by a fake OpenAI-compatible speech API.
    pub fn speech_api(self, tts: &crate::fake_tts::FakeTts) -> Self {
        self.env("WAQUP_TTS_PROVIDER", "openai")
            .env("WAQUP_TTS_BASE_URL", &tts.openai_base_url)
            .env("WAQUP_TTS_API_KEY", "sk-test")
    }

    /// Transcription by a fake OpenAI-compatible transcription API.
    pub fn transcription_api(self, stt: &crate::fake_stt::FakeStt) -> Self {
        self.env("WAQUP_STT_BASE_URL", &stt.base_url)
            .env("WAQUP_STT_API_KEY", "sk-test")
    }

    /// Keeps blobs in the local folder even when a test S3 server is configured (for
    /// the `/media` route, which only the folder store serves).
    pub fn folder_blobs(mut self) -> Self {
        self.s3 = false;
        self
    }

    /// `None` (after printing why) when the backend's services are not configured.
    pub async fn spawn(self) -> Option<TestApp> {
        init_logs();
        let data_dir = tempfile::tempdir().expect("temporary data dir");
        let mut env: HashMap<String, String> = HashMap::from([
            ("WAQUP_BIND".into(), "127.0.0.1:0".into()),
            (
                "WAQUP_DATA_DIR".into(),
                data_dir.path().display().to_string(),
            ),
            ("WAQUP_JWT_SECRET".into(), TEST_JWT_SECRET.into()),
            ("WAQUP_RATE_LIMIT_PER_MINUTE".into(), "0".into()),
            ("WAQUP_WORKERS".into(), "1".into()),
            ("WAQUP_DB_MAX_CONNECTIONS".into(), "4".into()),
            ("WAQUP_SHUTDOWN_TIMEOUT_SECS".into(), "1".into()),
        ]);
        let mut database = None;
        let mut bucket = None;
        if self.backend == Backend::Services {
            let (pg, redis) = (test_database_url(), test_redis_url());
            let s3 = test_s3();
            if pg.is_none() && redis.is_none() && s3.is_none() {
                skip("WAQUP_TEST_DATABASE_URL, WAQUP_TEST_REDIS_URL or WAQUP_TEST_S3_ENDPOINT");
                return None;
            }
            if services_required() {
                assert!(pg.is_some(), "WAQUP_TEST_DATABASE_URL is required");
                assert!(redis.is_some(), "WAQUP_TEST_REDIS_URL is required");
                assert!(s3.is_some(), "WAQUP_TEST_S3_ENDPOINT is required");
            }
            if let Some(admin_url) = pg {
                let db = TestDatabase::create(&admin_url).await;
                env.insert("WAQUP_DATABASE_URL".into(), db.url.clone());
                database = Some(db);
            }
            if let Some(redis) = redis {
                env.insert("WAQUP_REDIS_URL".into(), redis);
                env.insert(
                    "WAQUP_REDIS_KEY_PREFIX".into(),
                    format!("test:{}:", Uuid::new_v4().simple()),
                );
            }
            if let Some(s3) = s3.filter(|_| self.s3) {
                let created = TestBucket::create(&s3).await;
                env.extend([
                    ("WAQUP_S3_BUCKET".into(), created.name.clone()),
                    ("WAQUP_S3_ENDPOINT".into(), s3.endpoint.clone()),
                    ("WAQUP_S3_ACCESS_KEY_ID".into(), s3.access_key_id.clone()),
                    (
                        "WAQUP_S3_SECRET_ACCESS_KEY".into(),
                        s3.secret_access_key.clone(),
                    ),
                ]);
                bucket = Some(created);
            }
        }
        env.extend(self.env);
        let config = Config::from_sources(None, &|key| env.get(key).cloned()).expect("test config");
        let app = Application::build(config)
            .await
            .expect("build the application");
        let address = format!("http://{}", app.addr());
        let state = app.state();
        let handle = app.handle();
        actix_web::rt::spawn(app.run_until_stopped());
        Some(TestApp {
            address,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("http client"),
            state,
            handle,
            bucket,
            _database: database,
            _data_dir: data_dir,
        })
    }
}

/// A running application and a client for it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: web::Data<AppState>,
    handle: ServerHandle,
    /// The app's S3 bucket (services backend with `WAQUP_TEST_S3_ENDPOINT`).
    pub bucket: Option<TestBucket>,
    // Dropped after the server is told to stop (fields drop in order).
    _database: Option<TestDatabase>,
    _data_dir: TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // The stop command is sent at once; the returned future only waits for it.
        drop(self.handle.stop(false));
    }
}

/// Tokens of a signed-in test user.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub user_id: Uuid,
    pub email: String,
    pub access: String,
    pub refresh: String,
}

impl TestApp {
    pub fn builder(backend: Backend) -> TestAppBuilder {
        TestAppBuilder {
            backend,
            env: HashMap::new(),
            s3: true,
        }
    }

    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::builder(backend).spawn().await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> Response {
        let mut request = self.client.request(method, self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.send_json(reqwest::Method::POST, path, None, body)
            .await
    }

    pub async fn register(&self, email: &str, password: &str) -> Response {
        self.post_json(
            "/api/v1/auth/register",
            &json!({ "email": email, "password": password }),
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post_json(
            "/api/v1/auth/login",
            &json!({ "email": email, "password": password }),
        )
        .await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Response {
        self.post_json(
            "/api/v1/auth/refresh",
            &json!({ "refresh_token": refresh_token }),
        )
        .await
    }

    /// An account with this role and [`PASSWORD`], made in the store (as `waqup admin
    /// create-user` does), for roles that signing up does not give.
    pub async fn create_account(&self, email: &str, role: waqup::domain::Role) {
        let email = waqup::domain::Email::parse(email).expect("a valid email");
        self.state
            .accounts
            .create_account(waqup::auth::SignUp {
                password: waqup::domain::Password::parse(PASSWORD, &email)
                    .expect("a strong password"),
                email,
                display_name: None,
                role,
                initial_credits: 0,
            })
            .await
            .expect("create the account");
    }

    /// Registers a new user with a unique email and returns its tokens.
    pub async fn signed_up_user(&self) -> Tokens {
        let email = format!("user-{}@example.com", Uuid::new_v4().simple());
        let response = self.register(&email, PASSWORD).await;
        let body = expect_status(response, StatusCode::CREATED).await;
        tokens_of(&body, &email)
    }
}

pub fn tokens_of(body: &Value, email: &str) -> Tokens {
    Tokens {
        user_id: body["user"]["id"]
            .as_str()
            .expect("user id")
            .parse()
            .expect("uuid"),
        email: email.to_owned(),
        access: body["token"].as_str().expect("token").to_owned(),
        refresh: body["refresh_token"]
            .as_str()
            .expect("refresh token")
            .to_owned(),
    }
}

/// Asserts the status and returns the JSON body (`null` when empty).
pub async fn expect_status(response: Response, status: StatusCode) -> Value {
    let actual = response.status();
    let text = response.text().await.expect("response body");
    assert_eq!(actual, status, "unexpected status; body: {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("body is not JSON ({e}): {text}"))
    }
}

/// Asserts an error response: the status, and the envelope with this `code`.
pub async fn expect_error(response: Response, status: StatusCode, code: &str) -> Value {
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap_or_default().to_owned())
        .unwrap_or_default();
    let body = expect_status(response, status).await;
    assert!(
        content_type.starts_with("application/json"),
        "error content type {content_type}"
    );
    assert_envelope(&body);
    assert_eq!(body["error"]["code"], code, "body: {body}");
    body
}

/// The seed's error envelope: `{"error": {"code", "message", "details"?}}`, nothing else.
pub fn assert_envelope(body: &Value) {
    let object = body
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {body}"));
    assert_eq!(object.len(), 1, "envelope has extra keys: {body}");
    let error = body["error"]
        .as_object()
        .unwrap_or_else(|| panic!("no error object: {body}"));
    let code = error["code"].as_str().expect("code is a string");
    assert!(
        !code.is_empty() && code.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
        "code {code} is not SCREAMING_SNAKE_CASE"
    );
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "message missing: {body}"
    );
    for key in error.keys() {
        assert!(
            ["code", "message", "details"].contains(&key.as_str()),
            "unexpected key {key}: {body}"
        );
    }
}

#[test]
fn database_names_are_replaced() {
    let cases = [
        ("postgres://u@h:5432/postgres", "postgres://u@h:5432/x"),
        (
            "postgres://u:p@h/db?sslmode=disable",
            "postgres://u:p@h/x?sslmode=disable",
        ),
        ("postgres://h", "postgres://h/x"),
    ];
    for (url, expected) in cases {
        assert_eq!(with_database(url, "x"), expected);
    }
}
