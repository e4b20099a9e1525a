//! Configuration: defaults in code < optional `waqup.toml` < `WAQUP_*` environment.
//!
//! Loading is pure (the environment is passed in as a lookup function) so every layer
//! and every error message is unit-tested. I/O that depends on the result, such as
//! reading or creating the JWT secret file, happens in `startup`.

use std::fmt;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// The file read when `--config` is not given, if it exists in the working directory.
pub const DEFAULT_CONFIG_FILE: &str = "waqup.toml";

/// Default rate limit per user (or per IP when anonymous), requests per minute.
pub const DEFAULT_RATE_LIMIT_PER_MINUTE: u32 = 300;
/// Default largest accepted JSON body.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;
/// Default size of the database connection pool.
pub const DEFAULT_DB_MAX_CONNECTIONS: u32 = 16;
/// Default grace period for in-flight requests on SIGTERM.
pub const DEFAULT_SHUTDOWN_TIMEOUT_SECS: u64 = 30;
/// Default model asked when an LLM is configured.
pub const DEFAULT_LLM_MODEL: &str = "gpt-4o-mini";
/// Used when only an API key is given.
pub const DEFAULT_LLM_BASE_URL: &str = "https://api.openai.com/v1";
/// Default wait for the LLM during a conversation turn before the offline path answers.
pub const DEFAULT_LLM_TIMEOUT_SECS: u64 = 8;
/// Default life of an untouched conversation (seed: `session:{id}` TTL 1 hour).
pub const DEFAULT_SESSION_TTL_SECS: u64 = 3600;
/// Default lease of a generation job (renewed every third of it while it runs).
pub const DEFAULT_JOB_LEASE_SECS: u64 = 30;
/// Generation jobs one node runs at once; more wait in the store, queued.
pub const DEFAULT_MAX_RUNNING_JOBS: usize = 256;
const MAX_RUNNING_JOBS_LIMIT: usize = 10_000;
const MIN_JOB_LEASE_SECS: u64 = 3;
/// Default speech model of an OpenAI-compatible TTS API.
pub const DEFAULT_TTS_MODEL: &str = "gpt-4o-mini-tts";
pub const DEFAULT_STT_MODEL: &str = "whisper-1";
pub const DEFAULT_STT_TIMEOUT_SECS: u64 = 30;
pub const DEFAULT_ELEVENLABS_BASE_URL: &str = "https://api.elevenlabs.io";
pub const DEFAULT_ELEVENLABS_MODEL: &str = "eleven_multilingual_v2";
/// Default longest wait for one sentence of speech.
pub const DEFAULT_TTS_TIMEOUT_SECS: u64 = 60;
/// Default sentences spoken at once on one node, across its generations.
pub const DEFAULT_TTS_CONCURRENCY: usize = 8;
/// Default number of conversations one user may hold open at once.
pub const DEFAULT_MAX_SESSIONS_PER_USER: usize = 5;
/// Default region of the S3 client (S3-compatible servers mostly ignore it).
pub const DEFAULT_S3_REGION: &str = "us-east-1";
/// Default life of a playback URL.
pub const DEFAULT_MEDIA_URL_TTL_SECS: u64 = 3600;
const MIN_MEDIA_URL_TTL_SECS: u64 = 10;
/// S3 refuses pre-signed URLs that live longer than a week.
const MAX_MEDIA_URL_TTL_SECS: u64 = 7 * 24 * 3600;

/// The effective configuration of one process.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address the HTTP server binds (`host:port`; port 0 picks a free one).
    pub bind: String,
    /// Where the embedded defaults keep their files (SQLite database, secrets, blobs).
    pub data_dir: PathBuf,
    /// `sqlite://...` or `postgres://...`.
    pub database_url: DatabaseUrl,
    /// Redis for caches, rate limits and (later) session state; `None` keeps them in-process.
    pub redis_url: Option<SecretUrl>,
    /// Prefix for every Redis key, so several deployments (or test runs) can share a server.
    pub redis_key_prefix: String,
    /// HMAC secret for access tokens; `None` means "generate and keep in the data dir" (SQLite only).
    pub jwt_secret: Option<SecretString>,
    pub log_format: LogFormat,
    /// `tracing` filter directives, e.g. `info` or `waqup=debug,sqlx=warn`.
    pub log_filter: String,
    /// Requests per minute per user (per IP when anonymous); 0 disables rate limiting.
    pub rate_limit_per_minute: u32,
    /// Origins allowed by CORS; empty allows none, `*` allows any.
    pub cors_origins: Vec<String>,
    /// Use the first `X-Forwarded-For` address as the client IP (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    pub max_body_bytes: usize,
    pub db_max_connections: u32,
    /// HTTP worker threads; `None` uses one per core.
    pub workers: Option<usize>,
    pub shutdown_timeout_secs: u64,
    /// Credits each content type costs.
    pub costs: Costs,
    /// An OpenAI-compatible API for understanding, replies and content; `None` is offline.
    pub llm: Option<LlmConfig>,
    pub max_sessions_per_user: usize,
    /// This process's name in session leases and job leases (unique per node).
    pub node_id: String,
    /// A node that stops renewing a generation job's lease loses the job after this.
    pub job_lease: std::time::Duration,
    /// A conversation untouched this long expires (seed: 1 hour).
    pub session_ttl: std::time::Duration,
    /// Whether this node runs generation jobs (an API-only node leaves them to others).
    pub run_jobs: bool,
    /// Generation jobs this node runs at once.
    pub max_running_jobs: usize,
    /// Audio in an S3-compatible store; `None` keeps it in `{data_dir}/blobs`.
    pub s3: Option<S3Config>,
    /// How long a playback URL (pre-signed S3 GET or signed `/media/...`) stays valid.
    pub media_url_ttl: std::time::Duration,
    /// Public origin of this API (e.g. `https://api.example.com`, no trailing `/`), put
    /// in front of `/media/...` URLs; `None` answers the path alone.
    pub public_url: Option<String>,
    /// Which voice speaks generated items, and how to reach it.
    pub tts: TtsConfig,
    /// Speech input (an OpenAI-compatible transcription API); `None` answers
    /// `audio_end` with `STT_NOT_CONFIGURED`.
    pub stt: Option<SttConfig>,
    /// How finished tracks are encoded.
    pub audio_format: crate::audio::AudioFormat,
    /// A soft tone bed under every track.
    pub audio_bed: bool,
    /// Payments: Stripe or the local sandbox, credit packs, creators' share.
    pub payments: PaymentsConfig,
}

/// How payments are taken and what they buy.
#[derive(Clone, Debug)]
pub struct PaymentsConfig {
    /// Stripe's keys; `None` runs the local sandbox provider.
    pub stripe: Option<StripeConfig>,
    /// The secret the sandbox signs its webhooks with (`WAQUP_STRIPE_WEBHOOK_SECRET`
    /// when set without a Stripe key, else derived from the JWT secret).
    pub sandbox_webhook_secret: Option<SecretString>,
    /// How old a webhook's signed timestamp may be.
    pub webhook_tolerance: std::time::Duration,
    /// The creator's share of each sale, in percent.
    pub creator_share_percent: i64,
    /// Lowercase ISO code of the currency prices are in.
    pub currency: String,
    /// Credits and price (cents) of the starter, seeker and architect packs.
    pub credit_packs: [(i64, i64); 3],
}

#[derive(Clone, Debug)]
pub struct StripeConfig {
    pub secret_key: SecretString,
    pub webhook_secret: SecretString,
    /// Where the API is (tests point it at a local server); `None` is Stripe's.
    pub api_base: Option<String>,
}

/// Where audio objects go when they go to S3 (or an S3-compatible server).
#[derive(Clone, Debug)]
pub struct S3Config {
    pub bucket: String,
    /// A custom endpoint such as `http://127.0.0.1:9000`; `None` is AWS.
    pub endpoint: Option<String>,
    pub region: String,
    /// `http://host/bucket/key` rather than `http://bucket.host/key`.
    pub path_style: bool,
    /// `None` uses the usual AWS chain (`AWS_ACCESS_KEY_ID`, profiles, instance roles).
    pub credentials: Option<S3Credentials>,
}

#[derive(Clone, Debug)]
pub struct S3Credentials {
    pub access_key_id: String,
    pub secret_access_key: SecretString,
}

/// Which text-to-speech provider speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TtsChoice {
    /// ElevenLabs or the OpenAI speech API when their credentials are set, else
    /// espeak-ng when installed, else the placeholder tone.
    Auto,
    OpenAi,
    ElevenLabs,
    Espeak,
    Placeholder,
}

impl std::str::FromStr for TtsChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Self::Auto),
            "openai" => Ok(Self::OpenAi),
            "elevenlabs" => Ok(Self::ElevenLabs),
            "espeak" => Ok(Self::Espeak),
            "placeholder" => Ok(Self::Placeholder),
            other => Err(format!(
                "expected auto, openai, elevenlabs, espeak or placeholder, got `{other}`"
            )),
        }
    }
}

/// Text-to-speech settings.
#[derive(Clone, Debug)]
pub struct TtsConfig {
    pub provider: TtsChoice,
    /// An OpenAI-compatible API; `None` uses the LLM's (or OpenAI's) URL.
    pub openai_base_url: Option<String>,
    pub openai_api_key: Option<SecretString>,
    pub openai_model: String,
    pub elevenlabs_base_url: String,
    pub elevenlabs_api_key: Option<SecretString>,
    pub elevenlabs_model: String,
    /// The `espeak-ng` program.
    pub espeak_path: String,
    /// Longest wait for one sentence.
    pub timeout: std::time::Duration,
    /// Sentences spoken at once on this node, across its generations.
    pub concurrency: usize,
}

/// How to reach the speech-to-text API (`POST {base_url}/audio/transcriptions`).
#[derive(Clone, Debug)]
pub struct SttConfig {
    pub base_url: String,
    pub api_key: Option<SecretString>,
    pub model: String,
    /// Longest wait for one utterance's transcript.
    pub timeout: std::time::Duration,
}

/// Credits per content type (defaults: affirmation 1, guided meditation 2, ritual 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Costs {
    pub affirmation: i64,
    pub guided_meditation: i64,
    pub ritual: i64,
}

impl Costs {
    pub fn of(&self, content_type: crate::domain::ContentType) -> i64 {
        match content_type {
            crate::domain::ContentType::Affirmation => self.affirmation,
            crate::domain::ContentType::GuidedMeditation => self.guided_meditation,
            crate::domain::ContentType::Ritual => self.ritual,
        }
    }
}

/// How to reach the LLM.
#[derive(Clone, Debug)]
pub struct LlmConfig {
    pub base_url: String,
    pub api_key: Option<SecretString>,
    pub model: String,
    /// Longest wait during a conversation turn.
    pub timeout: std::time::Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

impl std::str::FromStr for LogFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pretty" => Ok(Self::Pretty),
            "json" => Ok(Self::Json),
            other => Err(format!("expected `pretty` or `json`, got `{other}`")),
        }
    }
}

/// Which relational store a database URL selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreKind {
    Sqlite,
    Postgres,
}

impl StoreKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StoreKind::Sqlite => "sqlite",
            StoreKind::Postgres => "postgres",
        }
    }
}

/// A URL that may carry a password: `Debug` and `Display` mask it.
#[derive(Clone)]
pub struct SecretUrl(SecretString);

impl SecretUrl {
    pub fn new(url: impl Into<String>) -> Self {
        Self(SecretString::from(url.into()))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Display for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact_url_password(self.expose()))
    }
}

impl fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

/// The database URL, checked to select a supported store.
#[derive(Clone, Debug)]
pub struct DatabaseUrl {
    url: SecretUrl,
    kind: StoreKind,
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        let kind = if url.starts_with("sqlite:") {
            StoreKind::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            StoreKind::Postgres
        } else {
            return Err(format!(
                "unsupported database URL `{}`: use `sqlite://PATH` or `postgres://...`",
                redact_url_password(url)
            ));
        };
        Ok(Self {
            url: SecretUrl::new(url),
            kind,
        })
    }

    pub fn kind(&self) -> StoreKind {
        self.kind
    }

    pub fn expose(&self) -> &str {
        self.url.expose()
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.url.fmt(f)
    }
}

/// Replaces the password of `scheme://user:password@host` (and of a `password=` query
/// parameter) with `***`.
pub fn redact_url_password(url: &str) -> String {
    redact_query_password(&redact_userinfo_password(url))
}

fn redact_query_password(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let masked: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{base}?{}", masked.join("&"))
}

fn redact_userinfo_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_owned();
    };
    let userinfo = &authority[..at];
    let masked = match userinfo.find(':') {
        Some(colon) => format!("{}:***", &userinfo[..colon]),
        None if userinfo.is_empty() => String::new(),
        // `redis://secret@host` carries the password alone.
        None if url.starts_with("redis") => "***".to_owned(),
        None => userinfo.to_owned(),
    };
    format!("{}{}@{}", &url[..scheme_end + 3], masked, &rest[at + 1..])
}

/// A configuration problem, reported before anything starts.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    ReadFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid config file {path}: {message}")]
    ParseFile { path: PathBuf, message: String },
    #[error("invalid value for {key}: {message}")]
    Invalid { key: &'static str, message: String },
}

/// One layer of settings; unset fields fall through to the layer below.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Layer {
    bind: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    redis_url: Option<String>,
    redis_key_prefix: Option<String>,
    jwt_secret: Option<String>,
    log_format: Option<LogFormat>,
    log: Option<String>,
    rate_limit_per_minute: Option<u32>,
    cors_origins: Option<Vec<String>>,
    trust_forwarded_for: Option<bool>,
    max_body_bytes: Option<usize>,
    db_max_connections: Option<u32>,
    workers: Option<usize>,
    shutdown_timeout_secs: Option<u64>,
    cost_affirmation: Option<i64>,
    cost_guided_meditation: Option<i64>,
    cost_ritual: Option<i64>,
    llm_base_url: Option<String>,
    llm_api_key: Option<String>,
    llm_model: Option<String>,
    llm_timeout_secs: Option<u64>,
    max_sessions_per_user: Option<usize>,
    node_id: Option<String>,
    job_lease_secs: Option<u64>,
    session_ttl_secs: Option<u64>,
    run_jobs: Option<bool>,
    max_running_jobs: Option<usize>,
    s3_bucket: Option<String>,
    s3_endpoint: Option<String>,
    s3_region: Option<String>,
    s3_path_style: Option<bool>,
    s3_access_key_id: Option<String>,
    s3_secret_access_key: Option<String>,
    media_url_ttl_secs: Option<u64>,
    public_url: Option<String>,
    stt_base_url: Option<String>,
    stt_api_key: Option<String>,
    stt_model: Option<String>,
    stt_timeout_secs: Option<u64>,
    tts_provider: Option<TtsChoice>,
    tts_base_url: Option<String>,
    tts_api_key: Option<String>,
    tts_model: Option<String>,
    elevenlabs_base_url: Option<String>,
    elevenlabs_api_key: Option<String>,
    elevenlabs_model: Option<String>,
    espeak_path: Option<String>,
    tts_timeout_secs: Option<u64>,
    tts_concurrency: Option<usize>,
    audio_format: Option<crate::audio::AudioFormat>,
    audio_bed: Option<bool>,
    stripe_secret_key: Option<String>,
    stripe_webhook_secret: Option<String>,
    stripe_api_base: Option<String>,
    webhook_tolerance_secs: Option<u64>,
    creator_share_percent: Option<i64>,
    currency: Option<String>,
    credit_pack_starter_credits: Option<i64>,
    credit_pack_starter_price_cents: Option<i64>,
    credit_pack_seeker_credits: Option<i64>,
    credit_pack_seeker_price_cents: Option<i64>,
    credit_pack_architect_credits: Option<i64>,
    credit_pack_architect_price_cents: Option<i64>,
}

impl Layer {
    /// Fields of `top` win over fields of `self`.
    fn overlay(self, top: Layer) -> Layer {
        Layer {
            bind: top.bind.or(self.bind),
            data_dir: top.data_dir.or(self.data_dir),
            database_url: top.database_url.or(self.database_url),
            redis_url: top.redis_url.or(self.redis_url),
            redis_key_prefix: top.redis_key_prefix.or(self.redis_key_prefix),
            jwt_secret: top.jwt_secret.or(self.jwt_secret),
            log_format: top.log_format.or(self.log_format),
            log: top.log.or(self.log),
            rate_limit_per_minute: top.rate_limit_per_minute.or(self.rate_limit_per_minute),
            cors_origins: top.cors_origins.or(self.cors_origins),
            trust_forwarded_for: top.trust_forwarded_for.or(self.trust_forwarded_for),
            max_body_bytes: top.max_body_bytes.or(self.max_body_bytes),
            db_max_connections: top.db_max_connections.or(self.db_max_connections),
            workers: top.workers.or(self.workers),
            shutdown_timeout_secs: top.shutdown_timeout_secs.or(self.shutdown_timeout_secs),
            cost_affirmation: top.cost_affirmation.or(self.cost_affirmation),
            cost_guided_meditation: top.cost_guided_meditation.or(self.cost_guided_meditation),
            cost_ritual: top.cost_ritual.or(self.cost_ritual),
            llm_base_url: top.llm_base_url.or(self.llm_base_url),
            llm_api_key: top.llm_api_key.or(self.llm_api_key),
            llm_model: top.llm_model.or(self.llm_model),
            llm_timeout_secs: top.llm_timeout_secs.or(self.llm_timeout_secs),
            max_sessions_per_user: top.max_sessions_per_user.or(self.max_sessions_per_user),
            node_id: top.node_id.or(self.node_id),
            job_lease_secs: top.job_lease_secs.or(self.job_lease_secs),
            session_ttl_secs: top.session_ttl_secs.or(self.session_ttl_secs),
            run_jobs: top.run_jobs.or(self.run_jobs),
            max_running_jobs: top.max_running_jobs.or(self.max_running_jobs),
            s3_bucket: top.s3_bucket.or(self.s3_bucket),
            s3_endpoint: top.s3_endpoint.or(self.s3_endpoint),
            s3_region: top.s3_region.or(self.s3_region),
            s3_path_style: top.s3_path_style.or(self.s3_path_style),
            s3_access_key_id: top.s3_access_key_id.or(self.s3_access_key_id),
            s3_secret_access_key: top.s3_secret_access_key.or(self.s3_secret_access_key),
            media_url_ttl_secs: top.media_url_ttl_secs.or(self.media_url_ttl_secs),
            public_url: top.public_url.or(self.public_url),
            tts_provider: top.tts_provider.or(self.tts_provider),
            stt_base_url: top.stt_base_url.or(self.stt_base_url),
            stt_api_key: top.stt_api_key.or(self.stt_api_key),
            stt_model: top.stt_model.or(self.stt_model),
            stt_timeout_secs: top.stt_timeout_secs.or(self.stt_timeout_secs),
            tts_base_url: top.tts_base_url.or(self.tts_base_url),
            tts_api_key: top.tts_api_key.or(self.tts_api_key),
            tts_model: top.tts_model.or(self.tts_model),
            elevenlabs_base_url: top.elevenlabs_base_url.or(self.elevenlabs_base_url),
            elevenlabs_api_key: top.elevenlabs_api_key.or(self.elevenlabs_api_key),
            elevenlabs_model: top.elevenlabs_model.or(self.elevenlabs_model),
            espeak_path: top.espeak_path.or(self.espeak_path),
            tts_timeout_secs: top.tts_timeout_secs.or(self.tts_timeout_secs),
            tts_concurrency: top.tts_concurrency.or(self.tts_concurrency),
            audio_format: top.audio_format.or(self.audio_format),
            audio_bed: top.audio_bed.or(self.audio_bed),
            stripe_secret_key: top.stripe_secret_key.or(self.stripe_secret_key),
            stripe_webhook_secret: top.stripe_webhook_secret.or(self.stripe_webhook_secret),
            stripe_api_base: top.stripe_api_base.or(self.stripe_api_base),
            webhook_tolerance_secs: top.webhook_tolerance_secs.or(self.webhook_tolerance_secs),
            creator_share_percent: top.creator_share_percent.or(self.creator_share_percent),
            currency: top.currency.or(self.currency),
            credit_pack_starter_credits: top
                .credit_pack_starter_credits
                .or(self.credit_pack_starter_credits),
            credit_pack_starter_price_cents: top
                .credit_pack_starter_price_cents
                .or(self.credit_pack_starter_price_cents),
            credit_pack_seeker_credits: top
                .credit_pack_seeker_credits
                .or(self.credit_pack_seeker_credits),
            credit_pack_seeker_price_cents: top
                .credit_pack_seeker_price_cents
                .or(self.credit_pack_seeker_price_cents),
            credit_pack_architect_credits: top
                .credit_pack_architect_credits
                .or(self.credit_pack_architect_credits),
            credit_pack_architect_price_cents: top
                .credit_pack_architect_price_cents
                .or(self.credit_pack_architect_price_cents),
        }
    }

    fn from_toml(path: &Path, text: &str) -> Result<Layer, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::ParseFile {
            path: path.to_owned(),
            message: e.message().to_owned(),
        })
    }

    /// Reads `WAQUP_*` variables; empty values count as unset.
    fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Layer, ConfigError> {
        let get = |key: &str| env(key).filter(|v| !v.trim().is_empty());
        Ok(Layer {
            bind: get("WAQUP_BIND"),
            data_dir: get("WAQUP_DATA_DIR").map(PathBuf::from),
            database_url: get("WAQUP_DATABASE_URL"),
            redis_url: get("WAQUP_REDIS_URL"),
            redis_key_prefix: get("WAQUP_REDIS_KEY_PREFIX"),
            jwt_secret: get("WAQUP_JWT_SECRET"),
            log_format: parse_env(&get, "WAQUP_LOG_FORMAT")?,
            log: get("WAQUP_LOG"),
            rate_limit_per_minute: parse_env(&get, "WAQUP_RATE_LIMIT_PER_MINUTE")?,
            cors_origins: get("WAQUP_CORS_ORIGINS").map(|v| split_list(&v)),
            trust_forwarded_for: parse_env(&get, "WAQUP_TRUST_FORWARDED_FOR")?,
            max_body_bytes: parse_env(&get, "WAQUP_MAX_BODY_BYTES")?,
            db_max_connections: parse_env(&get, "WAQUP_DB_MAX_CONNECTIONS")?,
            workers: parse_env(&get, "WAQUP_WORKERS")?,
            shutdown_timeout_secs: parse_env(&get, "WAQUP_SHUTDOWN_TIMEOUT_SECS")?,
            cost_affirmation: parse_env(&get, "WAQUP_COST_AFFIRMATION")?,
            cost_guided_meditation: parse_env(&get, "WAQUP_COST_GUIDED_MEDITATION")?,
            cost_ritual: parse_env(&get, "WAQUP_COST_RITUAL")?,
            llm_base_url: get("WAQUP_LLM_BASE_URL"),
            llm_api_key: get("WAQUP_LLM_API_KEY"),
            llm_model: get("WAQUP_LLM_MODEL"),
            llm_timeout_secs: parse_env(&get, "WAQUP_LLM_TIMEOUT_SECS")?,
            max_sessions_per_user: parse_env(&get, "WAQUP_MAX_SESSIONS_PER_USER")?,
            node_id: get("WAQUP_NODE_ID"),
            job_lease_secs: parse_env(&get, "WAQUP_JOB_LEASE_SECS")?,
            session_ttl_secs: parse_env(&get, "WAQUP_SESSION_TTL_SECS")?,
            run_jobs: parse_env(&get, "WAQUP_RUN_JOBS")?,
            max_running_jobs: parse_env(&get, "WAQUP_MAX_RUNNING_JOBS")?,
            s3_bucket: get("WAQUP_S3_BUCKET"),
            s3_endpoint: get("WAQUP_S3_ENDPOINT"),
            s3_region: get("WAQUP_S3_REGION"),
            s3_path_style: parse_env(&get, "WAQUP_S3_PATH_STYLE")?,
            s3_access_key_id: get("WAQUP_S3_ACCESS_KEY_ID"),
            s3_secret_access_key: get("WAQUP_S3_SECRET_ACCESS_KEY"),
            media_url_ttl_secs: parse_env(&get, "WAQUP_MEDIA_URL_TTL_SECS")?,
            public_url: get("WAQUP_PUBLIC_URL"),
            tts_provider: parse_env(&get, "WAQUP_TTS_PROVIDER")?,
            stt_base_url: get("WAQUP_STT_BASE_URL"),
            stt_api_key: get("WAQUP_STT_API_KEY"),
            stt_model: get("WAQUP_STT_MODEL"),
            stt_timeout_secs: parse_env(&get, "WAQUP_STT_TIMEOUT_SECS")?,
            tts_base_url: get("WAQUP_TTS_BASE_URL"),
            tts_api_key: get("WAQUP_TTS_API_KEY"),
            tts_model: get("WAQUP_TTS_MODEL"),
            elevenlabs_base_url: get("WAQUP_ELEVENLABS_BASE_URL"),
            elevenlabs_api_key: get("WAQUP_ELEVENLABS_API_KEY"),
            elevenlabs_model: get("WAQUP_ELEVENLABS_MODEL"),
            espeak_path: get("WAQUP_ESPEAK_PATH"),
            tts_timeout_secs: parse_env(&get, "WAQUP_TTS_TIMEOUT_SECS")?,
            tts_concurrency: parse_env(&get, "WAQUP_TTS_CONCURRENCY")?,
            audio_format: parse_env(&get, "WAQUP_AUDIO_FORMAT")?,
            audio_bed: parse_env(&get, "WAQUP_AUDIO_BED")?,
            stripe_secret_key: get("WAQUP_STRIPE_SECRET_KEY"),
            stripe_webhook_secret: get("WAQUP_STRIPE_WEBHOOK_SECRET"),
            stripe_api_base: get("WAQUP_STRIPE_API_BASE"),
            webhook_tolerance_secs: parse_env(&get, "WAQUP_WEBHOOK_TOLERANCE_SECS")?,
            creator_share_percent: parse_env(&get, "WAQUP_CREATOR_SHARE_PERCENT")?,
            currency: get("WAQUP_CURRENCY"),
            credit_pack_starter_credits: parse_env(&get, "WAQUP_CREDIT_PACK_STARTER_CREDITS")?,
            credit_pack_starter_price_cents: parse_env(
                &get,
                "WAQUP_CREDIT_PACK_STARTER_PRICE_CENTS",
            )?,
            credit_pack_seeker_credits: parse_env(&get, "WAQUP_CREDIT_PACK_SEEKER_CREDITS")?,
            credit_pack_seeker_price_cents: parse_env(
                &get,
                "WAQUP_CREDIT_PACK_SEEKER_PRICE_CENTS",
            )?,
            credit_pack_architect_credits: parse_env(&get, "WAQUP_CREDIT_PACK_ARCHITECT_CREDITS")?,
            credit_pack_architect_price_cents: parse_env(
                &get,
                "WAQUP_CREDIT_PACK_ARCHITECT_PRICE_CENTS",
            )?,
        })
    }
}

fn parse_env<T>(
    get: &dyn Fn(&str) -> Option<String>,
    key: &'static str,
) -> Result<Option<T>, ConfigError>
where
    T: std::str::FromStr,
    T::Err: fmt::Display,
{
    get(key)
        .map(|raw| {
            raw.trim().parse::<T>().map_err(|e| ConfigError::Invalid {
                key,
                message: format!("`{raw}`: {e}"),
            })
        })
        .transpose()
}

fn split_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An `http://` or `https://` URL, without its trailing `/`.
fn http_url(key: &'static str, url: &str) -> Result<String, ConfigError> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['?', '#', ' ']) => Ok(url.to_owned()),
        _ => Err(ConfigError::Invalid {
            key,
            message: format!("`{url}` is not an http:// or https:// URL"),
        }),
    }
}

/// S3 settings: a bucket selects S3; the rest only make sense with one.
fn s3_config(
    bucket: Option<String>,
    endpoint: Option<String>,
    region: Option<String>,
    path_style: Option<bool>,
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
) -> Result<Option<S3Config>, ConfigError> {
    let credentials = match (access_key_id, secret_access_key) {
        (None, None) => None,
        (Some(access_key_id), Some(secret)) => Some(S3Credentials {
            access_key_id,
            secret_access_key: SecretString::from(secret),
        }),
        (Some(_), None) => {
            return Err(ConfigError::Invalid {
                key: "WAQUP_S3_SECRET_ACCESS_KEY",
                message: "must be set with WAQUP_S3_ACCESS_KEY_ID (both or neither)".into(),
            });
        }
        (None, Some(_)) => {
            return Err(ConfigError::Invalid {
                key: "WAQUP_S3_ACCESS_KEY_ID",
                message: "must be set with WAQUP_S3_SECRET_ACCESS_KEY (both or neither)".into(),
            });
        }
    };
    let Some(bucket) = bucket else {
        // Settings for a store that is not selected are a mistake, not a silent default.
        if endpoint.is_some() || region.is_some() || path_style.is_some() || credentials.is_some() {
            return Err(ConfigError::Invalid {
                key: "WAQUP_S3_BUCKET",
                message: "required when other WAQUP_S3_* settings are given".into(),
            });
        }
        return Ok(None);
    };
    let bucket = bucket.trim().to_owned();
    let valid_bucket = (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && bucket.as_bytes()[0].is_ascii_alphanumeric()
        && bucket.as_bytes()[bucket.len() - 1].is_ascii_alphanumeric();
    if !valid_bucket {
        return Err(ConfigError::Invalid {
            key: "WAQUP_S3_BUCKET",
            message: format!(
                "`{bucket}` is not a bucket name (3-63 lower-case letters, digits, `.` and `-`)"
            ),
        });
    }
    let endpoint = endpoint
        .map(|url| http_url("WAQUP_S3_ENDPOINT", &url))
        .transpose()?;
    Ok(Some(S3Config {
        bucket,
        // Custom servers (MinIO, s3s, ...) rarely have per-bucket host names.
        path_style: path_style.unwrap_or(endpoint.is_some()),
        endpoint,
        region: region.unwrap_or_else(|| DEFAULT_S3_REGION.to_owned()),
        credentials,
    }))
}

/// Where the configuration file comes from.
pub enum ConfigFile<'a> {
    /// `--config FILE`: must exist.
    Explicit(&'a Path),
    /// `waqup.toml` in the working directory, read when present.
    Default,
}

impl Config {
    /// Loads the configuration of this process from its file and environment.
    pub fn load(file: ConfigFile<'_>) -> Result<Config, ConfigError> {
        let (path, required) = match file {
            ConfigFile::Explicit(path) => (path.to_owned(), true),
            ConfigFile::Default => (PathBuf::from(DEFAULT_CONFIG_FILE), false),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => return Err(ConfigError::ReadFile { path, source }),
        };
        let file = text.map(|text| (path, text));
        Self::from_sources(
            file.as_ref().map(|(p, t)| (p.as_path(), t.as_str())),
            &|key| std::env::var(key).ok(),
        )
    }

    /// Builds the configuration from a file's text and an environment lookup.
    pub fn from_sources(
        file: Option<(&Path, &str)>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let file_layer = match file {
            Some((path, text)) => Layer::from_toml(path, text)?,
            None => Layer::default(),
        };
        Self::finish(file_layer.overlay(Layer::from_env(env)?))
    }

    fn finish(mut layer: Layer) -> Result<Config, ConfigError> {
        let tts = tts_config(&mut layer)?;
        let stt = stt_config(&mut layer)?;
        let payments = payments_config(&mut layer)?;
        let data_dir = layer.data_dir.unwrap_or_else(|| PathBuf::from("./data"));
        let database_url = match layer.database_url {
            Some(url) => DatabaseUrl::parse(&url).map_err(|message| ConfigError::Invalid {
                key: "WAQUP_DATABASE_URL",
                message,
            })?,
            None => {
                DatabaseUrl::parse(&format!("sqlite://{}", data_dir.join("waqup.db").display()))
                    .expect("a sqlite URL always parses")
            }
        };
        let redis_url = layer
            .redis_url
            .map(|url| {
                if url.starts_with("redis://") || url.starts_with("rediss://") {
                    Ok(SecretUrl::new(url))
                } else {
                    Err(ConfigError::Invalid {
                        key: "WAQUP_REDIS_URL",
                        message: format!(
                            "`{}` is not a redis:// or rediss:// URL",
                            redact_url_password(&url)
                        ),
                    })
                }
            })
            .transpose()?;
        let max_body_bytes = layer.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES);
        if max_body_bytes < 1024 {
            return Err(ConfigError::Invalid {
                key: "WAQUP_MAX_BODY_BYTES",
                message: "must be at least 1024".into(),
            });
        }
        let db_max_connections = layer
            .db_max_connections
            .unwrap_or(DEFAULT_DB_MAX_CONNECTIONS);
        if db_max_connections == 0 {
            return Err(ConfigError::Invalid {
                key: "WAQUP_DB_MAX_CONNECTIONS",
                message: "must be at least 1".into(),
            });
        }
        if layer.workers == Some(0) {
            return Err(ConfigError::Invalid {
                key: "WAQUP_WORKERS",
                message: "must be at least 1".into(),
            });
        }
        let costs = Costs {
            affirmation: layer.cost_affirmation.unwrap_or(1),
            guided_meditation: layer.cost_guided_meditation.unwrap_or(2),
            ritual: layer.cost_ritual.unwrap_or(3),
        };
        for (key, cost) in [
            ("WAQUP_COST_AFFIRMATION", costs.affirmation),
            ("WAQUP_COST_GUIDED_MEDITATION", costs.guided_meditation),
            ("WAQUP_COST_RITUAL", costs.ritual),
        ] {
            if cost < 1 {
                return Err(ConfigError::Invalid {
                    key,
                    message: "must be at least 1".into(),
                });
            }
        }
        let llm = match (layer.llm_base_url, layer.llm_api_key) {
            (None, None) => None,
            (base_url, api_key) => Some(LlmConfig {
                base_url: base_url
                    .unwrap_or_else(|| DEFAULT_LLM_BASE_URL.to_owned())
                    .trim_end_matches('/')
                    .to_owned(),
                api_key: api_key.map(SecretString::from),
                model: layer
                    .llm_model
                    .unwrap_or_else(|| DEFAULT_LLM_MODEL.to_owned()),
                timeout: std::time::Duration::from_secs(
                    layer
                        .llm_timeout_secs
                        .unwrap_or(DEFAULT_LLM_TIMEOUT_SECS)
                        .max(1),
                ),
            }),
        };
        if llm.as_ref().is_some_and(|l| {
            !(l.base_url.starts_with("http://") || l.base_url.starts_with("https://"))
        }) {
            return Err(ConfigError::Invalid {
                key: "WAQUP_LLM_BASE_URL",
                message: "must be an http:// or https:// URL".into(),
            });
        }
        let s3 = s3_config(
            layer.s3_bucket,
            layer.s3_endpoint,
            layer.s3_region,
            layer.s3_path_style,
            layer.s3_access_key_id,
            layer.s3_secret_access_key,
        )?;
        let media_url_ttl_secs = layer
            .media_url_ttl_secs
            .unwrap_or(DEFAULT_MEDIA_URL_TTL_SECS);
        if !(MIN_MEDIA_URL_TTL_SECS..=MAX_MEDIA_URL_TTL_SECS).contains(&media_url_ttl_secs) {
            return Err(ConfigError::Invalid {
                key: "WAQUP_MEDIA_URL_TTL_SECS",
                message: format!(
                    "must be between {MIN_MEDIA_URL_TTL_SECS} and {MAX_MEDIA_URL_TTL_SECS} \
                     (a week, the longest S3 pre-signs)"
                ),
            });
        }
        let public_url = layer
            .public_url
            .map(|url| http_url("WAQUP_PUBLIC_URL", &url))
            .transpose()?;
        let max_sessions_per_user = layer
            .max_sessions_per_user
            .unwrap_or(DEFAULT_MAX_SESSIONS_PER_USER);
        if max_sessions_per_user == 0 {
            return Err(ConfigError::Invalid {
                key: "WAQUP_MAX_SESSIONS_PER_USER",
                message: "must be at least 1".into(),
            });
        }
        let max_running_jobs = layer.max_running_jobs.unwrap_or(DEFAULT_MAX_RUNNING_JOBS);
        if !(1..=MAX_RUNNING_JOBS_LIMIT).contains(&max_running_jobs) {
            return Err(ConfigError::Invalid {
                key: "WAQUP_MAX_RUNNING_JOBS",
                message: format!("must be between 1 and {MAX_RUNNING_JOBS_LIMIT}"),
            });
        }
        Ok(Config {
            payments,
            s3,
            media_url_ttl: std::time::Duration::from_secs(media_url_ttl_secs),
            public_url,
            costs,
            llm,
            tts,
            stt,
            audio_format: layer.audio_format.unwrap_or(crate::audio::AudioFormat::Mp3),
            audio_bed: layer.audio_bed.unwrap_or(false),
            max_sessions_per_user,
            node_id: layer
                .node_id
                .unwrap_or_else(|| format!("node-{}", uuid::Uuid::new_v4().simple())),
            job_lease: std::time::Duration::from_secs(
                layer
                    .job_lease_secs
                    .unwrap_or(DEFAULT_JOB_LEASE_SECS)
                    .max(MIN_JOB_LEASE_SECS),
            ),
            run_jobs: layer.run_jobs.unwrap_or(true),
            max_running_jobs,
            session_ttl: std::time::Duration::from_secs(
                layer
                    .session_ttl_secs
                    .unwrap_or(DEFAULT_SESSION_TTL_SECS)
                    .max(1),
            ),
            bind: layer.bind.unwrap_or_else(|| "127.0.0.1:8080".to_owned()),
            data_dir,
            database_url,
            redis_url,
            redis_key_prefix: layer.redis_key_prefix.unwrap_or_default(),
            jwt_secret: layer.jwt_secret.map(SecretString::from),
            log_format: layer.log_format.unwrap_or(LogFormat::Pretty),
            log_filter: layer.log.unwrap_or_else(|| "info".to_owned()),
            rate_limit_per_minute: layer
                .rate_limit_per_minute
                .unwrap_or(DEFAULT_RATE_LIMIT_PER_MINUTE),
            cors_origins: layer.cors_origins.unwrap_or_default(),
            trust_forwarded_for: layer.trust_forwarded_for.unwrap_or(false),
            max_body_bytes,
            db_max_connections,
            workers: layer.workers,
            shutdown_timeout_secs: layer
                .shutdown_timeout_secs
                .unwrap_or(DEFAULT_SHUTDOWN_TIMEOUT_SECS),
        })
    }
}

/// Default creators' share of a sale, in percent.
pub const DEFAULT_CREATOR_SHARE_PERCENT: i64 = 70;
/// Default age a webhook's signature may have (Stripe's libraries use five minutes).
pub const DEFAULT_WEBHOOK_TOLERANCE_SECS: u64 = 300;
/// Default credits and price in cents of the starter, seeker and architect packs.
pub const DEFAULT_CREDIT_PACKS: [(i64, i64); 3] = [(3, 499), (10, 1499), (30, 3999)];

fn payments_config(layer: &mut Layer) -> Result<PaymentsConfig, ConfigError> {
    let secret_key = layer.stripe_secret_key.take();
    let webhook_secret = layer.stripe_webhook_secret.take();
    let api_base = layer
        .stripe_api_base
        .take()
        .map(|url| http_url("WAQUP_STRIPE_API_BASE", &url))
        .transpose()?;
    let (stripe, sandbox_webhook_secret) = match (secret_key, webhook_secret) {
        (Some(secret_key), Some(webhook_secret)) => (
            Some(StripeConfig {
                secret_key: secret_key.into(),
                webhook_secret: webhook_secret.into(),
                api_base,
            }),
            None,
        ),
        (Some(_), None) => {
            return Err(ConfigError::Invalid {
                key: "WAQUP_STRIPE_WEBHOOK_SECRET",
                message: "is needed with WAQUP_STRIPE_SECRET_KEY (Stripe signs webhooks with it)"
                    .into(),
            });
        }
        (None, webhook_secret) => (None, webhook_secret.map(SecretString::from)),
    };
    let creator_share_percent = layer
        .creator_share_percent
        .unwrap_or(DEFAULT_CREATOR_SHARE_PERCENT);
    if !(0..=100).contains(&creator_share_percent) {
        return Err(ConfigError::Invalid {
            key: "WAQUP_CREATOR_SHARE_PERCENT",
            message: "must be between 0 and 100".into(),
        });
    }
    let currency = layer
        .currency
        .take()
        .unwrap_or_else(|| "usd".to_owned())
        .to_ascii_lowercase();
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(ConfigError::Invalid {
            key: "WAQUP_CURRENCY",
            message: "must be a three-letter ISO currency code such as usd".into(),
        });
    }
    let given = [
        (
            layer.credit_pack_starter_credits,
            layer.credit_pack_starter_price_cents,
            "WAQUP_CREDIT_PACK_STARTER",
        ),
        (
            layer.credit_pack_seeker_credits,
            layer.credit_pack_seeker_price_cents,
            "WAQUP_CREDIT_PACK_SEEKER",
        ),
        (
            layer.credit_pack_architect_credits,
            layer.credit_pack_architect_price_cents,
            "WAQUP_CREDIT_PACK_ARCHITECT",
        ),
    ];
    let mut credit_packs = DEFAULT_CREDIT_PACKS;
    for (i, (credits, price, key)) in given.into_iter().enumerate() {
        let (default_credits, default_price) = DEFAULT_CREDIT_PACKS[i];
        let credits = credits.unwrap_or(default_credits);
        let price = price.unwrap_or(default_price);
        if !(1..=100_000).contains(&credits) || !(50..=1_000_000).contains(&price) {
            return Err(ConfigError::Invalid {
                key,
                message: "_CREDITS must be 1 to 100000 and _PRICE_CENTS 50 to 1000000".into(),
            });
        }
        credit_packs[i] = (credits, price);
    }
    Ok(PaymentsConfig {
        stripe,
        sandbox_webhook_secret,
        webhook_tolerance: std::time::Duration::from_secs(
            layer
                .webhook_tolerance_secs
                .unwrap_or(DEFAULT_WEBHOOK_TOLERANCE_SECS)
                .max(1),
        ),
        creator_share_percent,
        currency,
        credit_packs,
    })
}

/// Speech input is on when `WAQUP_STT_BASE_URL` is set.
fn stt_config(layer: &mut Layer) -> Result<Option<SttConfig>, ConfigError> {
    let Some(base_url) = layer.stt_base_url.take() else {
        return Ok(None);
    };
    let base_url = http_url("WAQUP_STT_BASE_URL", &base_url)?;
    Ok(Some(SttConfig {
        base_url,
        api_key: layer.stt_api_key.take().map(SecretString::from),
        model: layer
            .stt_model
            .take()
            .unwrap_or_else(|| DEFAULT_STT_MODEL.to_owned()),
        timeout: std::time::Duration::from_secs(
            layer
                .stt_timeout_secs
                .unwrap_or(DEFAULT_STT_TIMEOUT_SECS)
                .max(1),
        ),
    }))
}

/// The TTS settings; the OpenAI speech API falls back to the LLM's URL and key when it
/// is chosen explicitly without its own.
fn tts_config(layer: &mut Layer) -> Result<TtsConfig, ConfigError> {
    let provider = layer.tts_provider.unwrap_or(TtsChoice::Auto);
    let mut openai_base_url = layer.tts_base_url.take();
    let mut openai_api_key = layer.tts_api_key.take().map(SecretString::from);
    if provider == TtsChoice::OpenAi && openai_base_url.is_none() && openai_api_key.is_none() {
        openai_base_url = layer.llm_base_url.clone();
        openai_api_key = layer.llm_api_key.clone().map(SecretString::from);
    }
    let openai_base_url = openai_base_url.map(|url| url.trim().trim_end_matches('/').to_owned());
    for (key, url) in [
        ("WAQUP_TTS_BASE_URL", openai_base_url.as_deref()),
        (
            "WAQUP_ELEVENLABS_BASE_URL",
            layer.elevenlabs_base_url.as_deref(),
        ),
    ] {
        if url.is_some_and(|u| !(u.starts_with("http://") || u.starts_with("https://"))) {
            return Err(ConfigError::Invalid {
                key,
                message: "must be an http:// or https:// URL".into(),
            });
        }
    }
    let concurrency = layer.tts_concurrency.unwrap_or(DEFAULT_TTS_CONCURRENCY);
    if !(1..=32).contains(&concurrency) {
        return Err(ConfigError::Invalid {
            key: "WAQUP_TTS_CONCURRENCY",
            message: "must be between 1 and 32".into(),
        });
    }
    Ok(TtsConfig {
        provider,
        openai_base_url,
        openai_api_key,
        openai_model: layer
            .tts_model
            .take()
            .unwrap_or_else(|| DEFAULT_TTS_MODEL.to_owned()),
        elevenlabs_base_url: layer
            .elevenlabs_base_url
            .take()
            .unwrap_or_else(|| DEFAULT_ELEVENLABS_BASE_URL.to_owned()),
        elevenlabs_api_key: layer.elevenlabs_api_key.take().map(SecretString::from),
        elevenlabs_model: layer
            .elevenlabs_model
            .take()
            .unwrap_or_else(|| DEFAULT_ELEVENLABS_MODEL.to_owned()),
        espeak_path: layer
            .espeak_path
            .take()
            .unwrap_or_else(|| "espeak-ng".to_owned()),
        timeout: std::time::Duration::from_secs(
            layer
                .tts_timeout_secs
                .unwrap_or(DEFAULT_TTS_TIMEOUT_SECS)
                .max(1),
        ),
        concurrency,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn defaults_select_the_embedded_store() {
        let config = Config::from_sources(None, &env(&[])).unwrap();
        assert_eq!(config.bind, "127.0.0.1:8080");
        assert_eq!(config.data_dir, PathBuf::from("./data"));
        assert_eq!(config.database_url.kind(), StoreKind::Sqlite);
        assert_eq!(config.database_url.expose(), "sqlite://./data/waqup.db");
        assert!(config.redis_url.is_none());
        assert!(config.jwt_secret.is_none());
        assert_eq!(config.log_format, LogFormat::Pretty);
        assert_eq!(config.rate_limit_per_minute, DEFAULT_RATE_LIMIT_PER_MINUTE);
        assert!(config.cors_origins.is_empty());
    }

    #[test]
    fn env_wins_over_file_which_wins_over_defaults() {
        let file = r#"
            bind = "0.0.0.0:9000"
            rate_limit_per_minute = 10
            log_format = "json"
            cors_origins = ["https://a.example"]
        "#;
        let config = Config::from_sources(
            Some((Path::new("waqup.toml"), file)),
            &env(&[
                ("WAQUP_RATE_LIMIT_PER_MINUTE", "0"),
                ("WAQUP_CORS_ORIGINS", "https://b.example, https://c.example"),
            ]),
        )
        .unwrap();
        assert_eq!(config.bind, "0.0.0.0:9000");
        assert_eq!(config.log_format, LogFormat::Json);
        assert_eq!(config.rate_limit_per_minute, 0);
        assert_eq!(
            config.cors_origins,
            vec!["https://b.example", "https://c.example"]
        );
    }

    #[test]
    fn data_dir_moves_the_default_database() {
        let config =
            Config::from_sources(None, &env(&[("WAQUP_DATA_DIR", "/var/lib/waqup")])).unwrap();
        assert_eq!(
            config.database_url.expose(),
            "sqlite:///var/lib/waqup/waqup.db"
        );
    }

    #[test]
    fn postgres_url_selects_postgres() {
        let config = Config::from_sources(
            None,
            &env(&[("WAQUP_DATABASE_URL", "postgres://u:pw@db:5432/waqup")]),
        )
        .unwrap();
        assert_eq!(config.database_url.kind(), StoreKind::Postgres);
    }

    #[test]
    fn empty_env_values_count_as_unset() {
        let config = Config::from_sources(None, &env(&[("WAQUP_REDIS_URL", "")])).unwrap();
        assert!(config.redis_url.is_none());
    }

    #[test]
    fn bad_values_name_the_variable() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "WAQUP_RATE_LIMIT_PER_MINUTE",
                "lots",
                "WAQUP_RATE_LIMIT_PER_MINUTE",
            ),
            ("WAQUP_LOG_FORMAT", "xml", "WAQUP_LOG_FORMAT"),
            ("WAQUP_DATABASE_URL", "mysql://x", "WAQUP_DATABASE_URL"),
            ("WAQUP_REDIS_URL", "http://x", "WAQUP_REDIS_URL"),
            ("WAQUP_MAX_BODY_BYTES", "10", "WAQUP_MAX_BODY_BYTES"),
            ("WAQUP_WORKERS", "0", "WAQUP_WORKERS"),
        ];
        for (key, value, expected) in cases {
            let err = Config::from_sources(None, &env(&[(key, value)])).unwrap_err();
            assert!(err.to_string().contains(expected), "{key}={value}: {err}");
        }
    }

    #[test]
    fn unknown_file_keys_are_refused() {
        let err = Config::from_sources(Some((Path::new("w.toml"), "bnid = \"x\"")), &env(&[]))
            .unwrap_err();
        assert!(err.to_string().contains("bnid"), "{err}");
    }

    #[test]
    fn costs_and_the_llm() {
        let config = Config::from_sources(None, &env(&[])).unwrap();
        assert_eq!(
            config.costs,
            Costs {
                affirmation: 1,
                guided_meditation: 2,
                ritual: 3
            }
        );
        assert!(config.llm.is_none());
        let config = Config::from_sources(
            None,
            &env(&[
                ("WAQUP_COST_RITUAL", "5"),
                ("WAQUP_LLM_BASE_URL", "http://127.0.0.1:9999/v1/"),
                ("WAQUP_LLM_MODEL", "local-model"),
            ]),
        )
        .unwrap();
        assert_eq!(config.costs.ritual, 5);
        let llm = config.llm.unwrap();
        assert_eq!(llm.base_url, "http://127.0.0.1:9999/v1");
        assert_eq!(llm.model, "local-model");
        assert!(llm.api_key.is_none());
        let only_key =
            Config::from_sources(None, &env(&[("WAQUP_LLM_API_KEY", "sk-test")])).unwrap();
        assert_eq!(only_key.llm.unwrap().base_url, DEFAULT_LLM_BASE_URL);
        for (key, value) in [
            ("WAQUP_COST_AFFIRMATION", "0"),
            ("WAQUP_LLM_BASE_URL", "ftp://x"),
            ("WAQUP_MAX_SESSIONS_PER_USER", "0"),
        ] {
            let err = Config::from_sources(None, &env(&[(key, value)])).unwrap_err();
            assert!(err.to_string().contains(key), "{err}");
        }
    }

    #[test]
    fn the_example_file_is_valid() {
        let path = Path::new("waqup.example.toml");
        let text = include_str!("../waqup.example.toml");
        let config = Config::from_sources(Some((path, text)), &env(&[])).unwrap();
        assert_eq!(config.tts.provider, TtsChoice::Auto);
        assert_eq!(config.tts.concurrency, 8);
    }

    #[test]
    fn speech_settings() {
        let config = Config::from_sources(None, &env(&[])).unwrap();
        assert_eq!(config.tts.provider, TtsChoice::Auto);
        assert!(config.tts.openai_base_url.is_none());
        assert_eq!(config.tts.concurrency, DEFAULT_TTS_CONCURRENCY);
        assert_eq!(config.audio_format, crate::audio::AudioFormat::Mp3);
        assert!(!config.audio_bed);
        let config = Config::from_sources(
            None,
            &env(&[
                ("WAQUP_TTS_PROVIDER", "OpenAI"),
                ("WAQUP_LLM_BASE_URL", "http://127.0.0.1:9/v1"),
                ("WAQUP_LLM_API_KEY", "sk-llm"),
                ("WAQUP_AUDIO_FORMAT", "ogg"),
                ("WAQUP_AUDIO_BED", "true"),
            ]),
        )
        .unwrap();
        assert_eq!(config.tts.provider, TtsChoice::OpenAi);
        assert_eq!(
            config.tts.openai_base_url.as_deref(),
            Some("http://127.0.0.1:9/v1")
        );
        assert!(config.tts.openai_api_key.is_some());
        assert_eq!(config.audio_format, crate::audio::AudioFormat::Ogg);
        assert!(config.audio_bed);
        for (key, value) in [
            ("WAQUP_TTS_PROVIDER", "festival"),
            ("WAQUP_TTS_BASE_URL", "ftp://x"),
            ("WAQUP_TTS_CONCURRENCY", "0"),
            ("WAQUP_AUDIO_FORMAT", "flac"),
        ] {
            let err = Config::from_sources(None, &env(&[(key, value)])).unwrap_err();
            assert!(err.to_string().contains(key), "{err}");
        }
    }

    #[test]
    fn payments_settings() {
        let config = Config::from_sources(None, &env(&[])).unwrap();
        assert!(config.payments.stripe.is_none(), "the sandbox by default");
        assert_eq!(config.payments.credit_packs, DEFAULT_CREDIT_PACKS);
        assert_eq!(config.payments.creator_share_percent, 70);
        let config = Config::from_sources(
            None,
            &env(&[
                ("WAQUP_STRIPE_SECRET_KEY", "sk_test_1"),
                ("WAQUP_STRIPE_WEBHOOK_SECRET", "whsec_1"),
                ("WAQUP_STRIPE_API_BASE", "http://127.0.0.1:9/"),
                ("WAQUP_CREDIT_PACK_SEEKER_CREDITS", "12"),
                ("WAQUP_CURRENCY", "EUR"),
            ]),
        )
        .unwrap();
        let stripe = config.payments.stripe.as_ref().expect("stripe");
        assert_eq!(stripe.api_base.as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(config.payments.credit_packs[1], (12, 1499));
        assert_eq!(config.payments.currency, "eur");
        assert!(!format!("{config:?}").contains("sk_test_1"));
        for (pairs, key) in [
            (
                &[("WAQUP_STRIPE_SECRET_KEY", "sk_test_1")][..],
                "WAQUP_STRIPE_WEBHOOK_SECRET",
            ),
            (
                &[("WAQUP_CREATOR_SHARE_PERCENT", "101")][..],
                "WAQUP_CREATOR_SHARE_PERCENT",
            ),
            (&[("WAQUP_CURRENCY", "dollars")][..], "WAQUP_CURRENCY"),
            (
                &[("WAQUP_CREDIT_PACK_STARTER_CREDITS", "0")][..],
                "WAQUP_CREDIT_PACK_STARTER",
            ),
        ] {
            let err = Config::from_sources(None, &env(pairs)).unwrap_err();
            assert!(err.to_string().contains(key), "{err}");
        }
    }

    #[test]
    fn secrets_never_show_in_debug() {
        let config = Config::from_sources(
            None,
            &env(&[
                ("WAQUP_JWT_SECRET", "super-secret-signing-key-0123456789"),
                ("WAQUP_DATABASE_URL", "postgres://app:hunter2@db/waqup"),
                ("WAQUP_REDIS_URL", "redis://:redispw@cache:6379"),
                ("WAQUP_LLM_API_KEY", "sk-llm-secret"),
                ("WAQUP_TTS_API_KEY", "sk-tts-secret"),
                ("WAQUP_ELEVENLABS_API_KEY", "xi-secret"),
                ("WAQUP_S3_BUCKET", "waqup-audio"),
                ("WAQUP_S3_ACCESS_KEY_ID", "AKIDVISIBLE"),
                ("WAQUP_S3_SECRET_ACCESS_KEY", "s3-very-secret"),
            ]),
        )
        .unwrap();
        let debug = format!("{config:?}");
        for secret in [
            "super-secret-signing-key",
            "hunter2",
            "redispw",
            "sk-llm-secret",
            "s3-very-secret",
            "sk-tts-secret",
            "xi-secret",
        ] {
            assert!(!debug.contains(secret), "{secret} leaked: {debug}");
        }
        assert!(debug.contains("postgres://app:***@db/waqup"), "{debug}");
        // The key id is not secret; it helps tell deployments apart.
        assert!(debug.contains("AKIDVISIBLE"), "{debug}");
    }

    #[test]
    fn blobs_default_to_the_folder() {
        let config = Config::from_sources(None, &env(&[])).unwrap();
        assert!(config.s3.is_none());
        assert_eq!(
            config.media_url_ttl,
            std::time::Duration::from_secs(DEFAULT_MEDIA_URL_TTL_SECS)
        );
        assert!(config.public_url.is_none());
        let config = Config::from_sources(
            None,
            &env(&[
                ("WAQUP_MEDIA_URL_TTL_SECS", "60"),
                ("WAQUP_PUBLIC_URL", "https://api.example.com/"),
            ]),
        )
        .unwrap();
        assert_eq!(config.media_url_ttl, std::time::Duration::from_secs(60));
        assert_eq!(
            config.public_url.as_deref(),
            Some("https://api.example.com")
        );
    }

    #[test]
    fn a_bucket_selects_s3() {
        let config =
            Config::from_sources(None, &env(&[("WAQUP_S3_BUCKET", "waqup-audio")])).unwrap();
        let s3 = config.s3.unwrap();
        assert_eq!(s3.bucket, "waqup-audio");
        assert_eq!(s3.endpoint, None);
        assert_eq!(s3.region, DEFAULT_S3_REGION);
        assert!(!s3.path_style, "AWS uses virtual-hosted buckets");
        assert!(s3.credentials.is_none(), "the AWS chain supplies them");

        let config = Config::from_sources(
            None,
            &env(&[
                ("WAQUP_S3_BUCKET", "waqup-audio"),
                ("WAQUP_S3_ENDPOINT", "http://127.0.0.1:9000/"),
                ("WAQUP_S3_REGION", "eu-west-3"),
                ("WAQUP_S3_ACCESS_KEY_ID", "AKIDTEST"),
                ("WAQUP_S3_SECRET_ACCESS_KEY", "s3-secret-value"),
            ]),
        )
        .unwrap();
        let s3 = config.s3.unwrap();
        assert_eq!(s3.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(s3.region, "eu-west-3");
        assert!(s3.path_style, "a custom endpoint defaults to path style");
        let credentials = s3.credentials.unwrap();
        assert_eq!(credentials.access_key_id, "AKIDTEST");
        assert_eq!(
            credentials.secret_access_key.expose_secret(),
            "s3-secret-value"
        );

        let file = r#"
            s3_bucket = "from-file"
            s3_endpoint = "https://minio.internal"
            s3_path_style = false
            media_url_ttl_secs = 900
            public_url = "https://api.example.com"
        "#;
        let config = Config::from_sources(
            Some((Path::new("waqup.toml"), file)),
            &env(&[("WAQUP_S3_BUCKET", "from-env")]),
        )
        .unwrap();
        let s3 = config.s3.unwrap();
        assert_eq!(s3.bucket, "from-env");
        assert!(
            !s3.path_style,
            "explicit setting wins over the endpoint default"
        );
        assert_eq!(config.media_url_ttl, std::time::Duration::from_secs(900));
    }

    #[test]
    fn bad_blob_settings_name_the_variable() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[("WAQUP_S3_BUCKET", "b-1"), ("WAQUP_S3_ACCESS_KEY_ID", "id")],
                "WAQUP_S3_SECRET_ACCESS_KEY",
            ),
            (
                &[
                    ("WAQUP_S3_BUCKET", "b-1"),
                    ("WAQUP_S3_SECRET_ACCESS_KEY", "s"),
                ],
                "WAQUP_S3_ACCESS_KEY_ID",
            ),
            (&[("WAQUP_S3_ENDPOINT", "http://x:9000")], "WAQUP_S3_BUCKET"),
            (&[("WAQUP_S3_BUCKET", "Upper_Case")], "WAQUP_S3_BUCKET"),
            (&[("WAQUP_S3_BUCKET", "ab")], "WAQUP_S3_BUCKET"),
            (
                &[
                    ("WAQUP_S3_BUCKET", "b-1"),
                    ("WAQUP_S3_ENDPOINT", "127.0.0.1:9000"),
                ],
                "WAQUP_S3_ENDPOINT",
            ),
            (
                &[("WAQUP_S3_BUCKET", "b-1"), ("WAQUP_S3_PATH_STYLE", "maybe")],
                "WAQUP_S3_PATH_STYLE",
            ),
            (
                &[("WAQUP_MEDIA_URL_TTL_SECS", "9")],
                "WAQUP_MEDIA_URL_TTL_SECS",
            ),
            (
                &[("WAQUP_MEDIA_URL_TTL_SECS", "604801")],
                "WAQUP_MEDIA_URL_TTL_SECS",
            ),
            (
                &[("WAQUP_MEDIA_URL_TTL_SECS", "soon")],
                "WAQUP_MEDIA_URL_TTL_SECS",
            ),
            (
                &[("WAQUP_PUBLIC_URL", "api.example.com")],
                "WAQUP_PUBLIC_URL",
            ),
            (&[("WAQUP_PUBLIC_URL", "https://")], "WAQUP_PUBLIC_URL"),
        ];
        for (pairs, expected) in cases {
            let err = Config::from_sources(None, &env(pairs)).unwrap_err();
            assert!(err.to_string().contains(expected), "{pairs:?}: {err}");
        }
        let ok = Config::from_sources(None, &env(&[("WAQUP_MEDIA_URL_TTL_SECS", "10")]));
        assert!(ok.is_ok());
    }

    #[test]
    fn url_passwords_are_masked() {
        let cases = [
            ("postgres://u:p@h/db", "postgres://u:***@h/db"),
            ("postgres://u@h/db", "postgres://u@h/db"),
            ("redis://:pw@h:6379", "redis://:***@h:6379"),
            ("redis://pw@h:6379", "redis://***@h:6379"),
            ("sqlite://./data/waqup.db", "sqlite://./data/waqup.db"),
            (
                "postgres://h/db?sslmode=disable&password=pw",
                "postgres://h/db?sslmode=disable&password=***",
            ),
            (
                "postgres://u:p@h/db?password=pw",
                "postgres://u:***@h/db?password=***",
            ),
        ];
        for (url, masked) in cases {
            assert_eq!(redact_url_password(url), masked, "{url}");
        }
    }
}
