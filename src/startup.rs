//! Builds the application from its configuration: store, cache, blob store, rate
//! limiter, token keys, then the HTTP server on a bound listener (port 0 picks a free port).

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use anyhow::{Context, bail};
use base64::Engine as _;
use rand::RngCore;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use secrecy::{ExposeSecret, SecretString};

use crate::actors::{Bus, Engine, EngineParts};
use crate::audio::Bed;
use crate::audit::Audit;
use crate::auth::{Accounts, JwtKeys, MIN_SECRET_BYTES, warm_up_password_hashing};
use crate::blob;
use crate::cache::{
    Cache, MemoryCache, MemorySessionStore, RedisCache, RedisSessionStore, SessionStore,
};
use crate::config::{Config, SecretUrl, StoreKind};
use crate::conversation::{Speaker, Understanding, Voice};
use crate::generation::ContentWriter;
use crate::generation::narration::Narrator;
use crate::http::{self, middleware};
use crate::library::Library;
use crate::market::Catalog;
use crate::payments::Payments;
use crate::providers::llm::Llm;
use crate::providers::payments;
use crate::providers::tts;
use crate::ratelimit::{MemoryLimiter, RateLimiter, RedisLimiter};
use crate::state::AppState;
use crate::store;
use crate::telemetry::metrics_handle;

/// The sandbox's webhook secret when none is configured: derived from the JWT secret,
/// so every node of a deployment signs and checks alike.
fn sandbox_webhook_secret(jwt_secret: &[u8]) -> SecretString {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(jwt_secret)
        .expect("HMAC takes keys of any length");
    mac.update(b"waqup sandbox webhook secret");
    format!("whsec_{}", hex::encode(mac.finalize().into_bytes())).into()
}

/// Name of the generated JWT secret in the data directory (SQLite only).
const JWT_SECRET_FILE: &str = "jwt_secret";
const REDIS_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REDIS_RESPONSE_TIMEOUT: Duration = Duration::from_secs(2);
/// How often histogram buckets of the metrics registry are compacted.
const METRICS_UPKEEP_INTERVAL: Duration = Duration::from_secs(10);

/// A built, listening application.
pub struct Application {
    addr: SocketAddr,
    server: Server,
    state: web::Data<AppState>,
}

impl Application {
    /// Connects and migrates the store, connects Redis and the blob store, and binds.
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let secret = jwt_secret(&config)?;
        let jwt = Arc::new(
            JwtKeys::new(secret.expose_secret().as_bytes())
                .map_err(|e| anyhow::anyhow!("WAQUP_JWT_SECRET: {e}"))?,
        );
        let store = store::connect(&config).await?;
        store.migrate().await.context("apply database migrations")?;
        warm_up_password_hashing().await?;
        let redis_client = match &config.redis_url {
            Some(url) => Some(connect_redis(url).await?),
            None => None,
        };
        let redis = redis_client.as_ref().map(|(_, manager)| manager.clone());
        let prefix = config.redis_key_prefix.clone();
        let cache: Arc<dyn Cache> = match &redis {
            Some(redis) => Arc::new(RedisCache::new(redis.clone(), prefix.clone())),
            None => Arc::new(MemoryCache::new()),
        };
        let (sessions, bus): (Arc<dyn SessionStore>, Bus) = match &redis_client {
            Some((client, manager)) => (
                Arc::new(RedisSessionStore::new(manager.clone(), prefix.clone())),
                Bus::redis(client.clone(), manager.clone(), &prefix),
            ),
            None => (Arc::new(MemorySessionStore::new()), Bus::in_process()),
        };
        // Media URLs are signed with a key derived from the JWT secret, so every node
        // that shares the secret can check every other node's URLs.
        let blobs = blob::connect(
            &config,
            blob::derive_signing_key(secret.expose_secret().as_bytes()),
        )
        .await?;
        let limiter: Option<Arc<dyn RateLimiter>> = match (config.rate_limit_per_minute, &redis) {
            (0, _) => None,
            (per_minute, Some(redis)) => Some(Arc::new(RedisLimiter::new(
                per_minute,
                redis.clone(),
                config.redis_key_prefix.clone(),
            ))),
            (per_minute, None) => Some(Arc::new(MemoryLimiter::new(per_minute))),
        };
        let accounts = Accounts::new(store.clone(), jwt, cache.clone());
        let llm = config.llm.as_ref().map(|llm| Arc::new(Llm::new(llm)));
        if let Some(llm_config) = &config.llm {
            tracing::info!(base_url = %llm_config.base_url, model = %llm_config.model, "LLM configured");
        }
        let tts = tts::from_config(&config.tts).await?;
        tracing::info!(
            provider = tts.name(),
            voice = tts.speaks(),
            "speech provider"
        );
        let narrator = Narrator::new(
            tts,
            config.tts.concurrency,
            config.audio_format,
            config.audio_bed.then_some(Bed::Tone),
        );
        let engine = Engine::start(EngineParts {
            store: store.clone(),
            sessions,
            bus,
            understanding: Understanding::new(llm.clone()),
            voice: Voice::new(llm.clone()),
            writer: ContentWriter::new(llm),
            speaker: Speaker::new(narrator.clone(), config.audio_format),
            narrator,
            blobs: blobs.clone(),
            media_url_ttl: config.media_url_ttl,
            costs: config.costs,
            node_id: config.node_id.clone(),
            max_sessions_per_user: config.max_sessions_per_user,
            job_lease: config.job_lease,
            session_ttl: config.session_ttl,
            run_jobs: config.run_jobs,
            max_running_jobs: config.max_running_jobs,
        });
        let listener = TcpListener::bind(&config.bind)
            .with_context(|| format!("cannot listen on {}", config.bind))?;
        let addr = listener.local_addr()?;
        let metrics = metrics_handle();
        spawn_metrics_upkeep(metrics.clone());
        let catalog = Catalog::new(store.clone(), cache.clone());
        let library = Library::new(store.clone(), cache.clone(), blobs.clone(), catalog.clone());
        let audit = Audit::new(store.clone());
        // The sandbox reaches this server on its own address (loopback for a wildcard
        // bind); buyers reach it on the public URL when one is set.
        let self_ip = match addr.ip() {
            ip if ip.is_unspecified() => std::net::IpAddr::from([127, 0, 0, 1]),
            ip => ip,
        };
        let self_base = format!("http://{}", SocketAddr::new(self_ip, addr.port()));
        let public_base = config
            .public_url
            .clone()
            .unwrap_or_else(|| self_base.clone());
        let provider = payments::from_config(
            &config.payments,
            &public_base,
            &self_base,
            sandbox_webhook_secret(secret.expose_secret().as_bytes()),
        )?;
        tracing::info!(provider = provider.0.name(), "payments provider");
        let payments = Payments::new(
            store.clone(),
            provider,
            catalog.clone(),
            audit.clone(),
            config.payments.clone(),
        );
        if config.run_jobs {
            spawn_audio_purge(library.clone());
        }
        let transcriber = config
            .stt
            .as_ref()
            .map(crate::providers::stt::Transcriber::new);
        let state = web::Data::new(AppState {
            transcriber,
            config: Arc::new(config),
            store,
            cache,
            blobs,
            library,
            catalog,
            payments,
            audit,
            accounts,
            limiter,
            metrics,
            engine,
        });
        let server = serve(listener, state.clone())?;
        Ok(Application {
            addr,
            server,
            state,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Stops the server when called (graceful: in-flight requests finish).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGINT/SIGTERM (or [`Self::handle`]'s stop), then closes the store.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let store = self.state.store.clone();
        self.server.await.context("HTTP server")?;
        tracing::info!("server stopped; closing the store");
        store.close().await;
        Ok(())
    }
}

fn serve(listener: TcpListener, state: web::Data<AppState>) -> anyhow::Result<Server> {
    let config = state.config.clone();
    let max_body = config.max_body_bytes;
    let cors_origins = config.cors_origins.clone();
    let console = web::Data::new(http::console::Console::new(
        http::console::media_origin(config.s3.as_ref()).as_deref(),
    ));
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(console.clone())
            .app_data(http::json_config(max_body))
            .app_data(web::PayloadConfig::new(max_body))
            .app_data(http::query_config())
            .app_data(http::path_config())
            .wrap(from_fn(middleware::rate_limit))
            .wrap(middleware::cors(&cors_origins))
            .wrap(from_fn(middleware::error_envelope))
            .wrap(from_fn(middleware::request_context))
            .configure(http::routes)
            .default_service(web::to(http::not_found))
    })
    .listen(listener)?
    .shutdown_timeout(config.shutdown_timeout_secs);
    if let Some(workers) = config.workers {
        server = server.workers(workers);
    }
    Ok(server.run())
}

/// A Redis connection that reconnects by itself (and its client, for pub/sub). An
/// unreachable Redis at start-up is logged (and `/readyz` answers 503) rather than fatal.
async fn connect_redis(url: &SecretUrl) -> anyhow::Result<(redis::Client, ConnectionManager)> {
    let client =
        redis::Client::open(url.expose()).with_context(|| format!("invalid Redis URL {url}"))?;
    let manager_config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(REDIS_CONNECT_TIMEOUT))
        .set_response_timeout(Some(REDIS_RESPONSE_TIMEOUT));
    let mut manager = ConnectionManager::new_lazy_with_config(client.clone(), manager_config)
        .with_context(|| format!("cannot set up Redis at {url}"))?;
    match redis::cmd("PING").query_async::<String>(&mut manager).await {
        Ok(_) => tracing::info!(redis = %url, "connected to Redis"),
        Err(e) => {
            tracing::error!(redis = %url, error = %e, "Redis is unreachable; retrying in the background")
        }
    }
    Ok((client, manager))
}

/// The JWT secret: configured, or (SQLite only) generated once and kept in the data dir.
pub(crate) fn jwt_secret(config: &Config) -> anyhow::Result<SecretString> {
    if let Some(secret) = &config.jwt_secret {
        return Ok(secret.clone());
    }
    if config.database_url.kind() == StoreKind::Postgres {
        bail!(
            "WAQUP_JWT_SECRET must be set when the store is PostgreSQL, so that every node \
             signs tokens with the same secret (generate one with `openssl rand -base64 48`)"
        );
    }
    load_or_create_secret(&config.data_dir.join(JWT_SECRET_FILE))
}

/// Reads the secret kept at `path`, or creates it. Creation is atomic (written aside,
/// then hard-linked into place), so processes starting together agree on one secret
/// and a crash never leaves a partial file.
fn load_or_create_secret(path: &Path) -> anyhow::Result<SecretString> {
    if !path.exists() {
        create_secret_file(path)?;
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let secret = text.trim();
    if secret.len() < MIN_SECRET_BYTES {
        bail!(
            "the JWT secret in {} is shorter than {MIN_SECRET_BYTES} bytes; delete the file \
             to generate a new one, or set WAQUP_JWT_SECRET",
            path.display()
        );
    }
    Ok(SecretString::from(secret.to_owned()))
}

fn create_secret_file(path: &Path) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create data directory {}", dir.display()))?;
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    let secret = base64::engine::general_purpose::STANDARD.encode(bytes);
    let aside = dir.join(format!(
        ".{JWT_SECRET_FILE}.{}",
        uuid::Uuid::new_v4().simple()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&aside).and_then(|mut file| {
        std::io::Write::write_all(&mut file, secret.as_bytes())?;
        file.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&aside, path));
    let _ = std::fs::remove_file(&aside);
    match linked {
        Ok(()) => {
            tracing::info!(path = %path.display(), "generated a JWT secret");
            Ok(())
        }
        // Another process created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot create {}", path.display())),
    }
}

/// How often the audio of deleted items that could not be removed at once is retried.
const AUDIO_PURGE_INTERVAL: Duration = Duration::from_secs(60);

fn spawn_audio_purge(library: Library) {
    actix_web::rt::spawn(async move {
        let mut interval = actix_web::rt::time::interval(AUDIO_PURGE_INTERVAL);
        loop {
            interval.tick().await;
            match library.purge_deleted_audio().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(removed = n, "removed the audio of deleted items"),
                Err(e) => tracing::warn!(error = %e, "removing the audio of deleted items failed"),
            }
        }
    });
}

fn spawn_metrics_upkeep(handle: metrics_exporter_prometheus::PrometheusHandle) {
    actix_web::rt::spawn(async move {
        let mut interval = actix_web::rt::time::interval(METRICS_UPKEEP_INTERVAL);
        loop {
            interval.tick().await;
            handle.run_upkeep();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_secret_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join(JWT_SECRET_FILE);
        let first = load_or_create_secret(&path).unwrap();
        let second = load_or_create_secret(&path).unwrap();
        assert_eq!(first.expose_secret(), second.expose_secret());
        assert!(first.expose_secret().len() >= 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn processes_starting_together_agree_on_one_secret() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(JWT_SECRET_FILE);
        let secrets: Vec<String> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| load_or_create_secret(&path).unwrap()))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap().expose_secret().to_owned())
                .collect()
        });
        assert!(secrets.windows(2).all(|w| w[0] == w[1]));
        // Only the secret is left in the directory.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_truncated_secret_file_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(JWT_SECRET_FILE);
        std::fs::write(&path, "short").unwrap();
        let err = load_or_create_secret(&path).unwrap_err();
        assert!(err.to_string().contains("shorter than"), "{err}");
    }

    #[test]
    fn postgres_without_a_secret_refuses_to_start() {
        let config = Config::from_sources(None, &|key| match key {
            "WAQUP_DATABASE_URL" => Some("postgres://localhost/waqup".into()),
            _ => None,
        })
        .unwrap();
        let err = jwt_secret(&config).unwrap_err();
        assert!(err.to_string().contains("WAQUP_JWT_SECRET"), "{err}");
    }
}
