//! The command line: `waqup serve`, `waqup migrate`, `waqup admin create-user(s)`, and
//! the clients: `waqup load` and `waqup chat`.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

use crate::auth::{Accounts, AuthError, JwtKeys, SignUp, WELCOME_CREDITS};
use crate::cache::MemoryCache;
use crate::chat::ChatArgs;
use crate::config::{Config, ConfigFile};
use crate::domain::{Email, Password, Role};
use crate::load::accounts::{BulkUsers, create_users};
use crate::load::{LoadArgs, parse_duration};
use crate::startup::Application;
use crate::store;
use crate::telemetry::init_tracing;

/// Not `Debug`: `admin create-user` carries a password.
#[derive(Parser)]
#[command(
    name = "waqup",
    version,
    about = "waQup engine: voice-first wellness backend"
)]
pub struct Cli {
    /// Configuration file (TOML); default: ./waqup.toml when it exists.
    #[arg(long, global = true, env = "WAQUP_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the server (applies pending migrations first).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Administrative tasks on the store.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Load test a server: many WebSocket sessions, measured (see docs/benchmarks.md).
    Load(Box<LoadArgs>),
    /// Talk to a server from the terminal: sign in, converse, save the item's audio.
    Chat(Box<ChatArgs>),
}

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create an account directly in the store and print its id.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        #[arg(long, value_enum, default_value_t = RoleArg::User)]
        role: RoleArg,
        /// Credits the account starts with (recorded as a `grant` ledger row).
        #[arg(long, default_value_t = WELCOME_CREDITS, value_parser = clap::value_parser!(i64).range(0..=1_000_000))]
        credits: i64,
    },
    /// Create many accounts at once for load runs (one shared password hash) and write
    /// their emails and access tokens, signed with this configuration's secret, to a file.
    CreateUsers {
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
        count: u64,
        /// The tokens file (JSON) to write; `waqup load --tokens FILE` reads it.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long, value_enum, default_value_t = RoleArg::User)]
        role: RoleArg,
        #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(i64).range(0..=1_000_000_000))]
        credits: i64,
        /// How long the access tokens stay valid (e.g. 2h, 1d is 24h).
        #[arg(long, value_parser = parse_duration, default_value = "24h")]
        token_ttl: std::time::Duration,
        /// The password every account shares (random when omitted; written to the file).
        #[arg(long)]
        password: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    User,
    Creator,
    Admin,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::User => Role::User,
            RoleArg::Creator => Role::Creator,
            RoleArg::Admin => Role::Admin,
        }
    }
}

/// Runs a parsed command line: the server's commands on an actix system, the clients
/// on a multi-threaded tokio runtime (they use both cores).
pub fn execute(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Some(Command::Load(_) | Command::Chat(_)) => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("start the runtime")?
            .block_on(run(cli)),
        _ => actix_web::rt::System::new().block_on(run(cli)),
    }
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let file = match &cli.config {
        Some(path) => ConfigFile::Explicit(path),
        None => ConfigFile::Default,
    };
    let command = cli.command.unwrap_or(Command::Serve);
    // The terminal client needs no configuration.
    if let Command::Chat(args) = command {
        return crate::chat::run(*args).await;
    }
    let config = Config::load(file)?;
    match command {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            init_tracing(config.log_format, &config.log_filter);
            let store = store::connect(&config).await?;
            store.migrate().await.context("apply database migrations")?;
            store.close().await;
            tracing::info!(store = %config.database_url, "migrations applied");
            Ok(())
        }
        // Quiet: the output of an admin command is its result (an id), on stdout.
        Command::Admin { command } => admin(config, command).await,
        Command::Load(args) => crate::load::command(*args, &config).await,
        Command::Chat(_) => unreachable!("handled above"),
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    init_tracing(config.log_format, &config.log_filter);
    let store_url = config.database_url.to_string();
    let redis = config
        .redis_url
        .as_ref()
        .map_or_else(|| "in-process".to_owned(), ToString::to_string);
    let app = Application::build(config).await?;
    tracing::info!(
        store = %store_url,
        cache = %redis,
        "waQup engine listening on http://{}",
        app.addr()
    );
    app.run_until_stopped().await
}

async fn admin(config: Config, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::CreateUser {
            email,
            password,
            role,
            credits,
        } => {
            let email = Email::parse(&email)?;
            let password = Password::parse(&password, &email)?;
            let store = store::connect(&config).await?;
            store.migrate().await.context("apply database migrations")?;
            // Creating an account signs nothing; a throwaway key satisfies the service.
            let keys = JwtKeys::new(&[0u8; 32]).map_err(anyhow::Error::msg)?;
            let accounts = Accounts::new(
                store.clone(),
                keys.into(),
                std::sync::Arc::new(MemoryCache::new()),
            );
            let created = accounts
                .create_account(SignUp {
                    email,
                    password,
                    display_name: None,
                    role: role.into(),
                    initial_credits: credits,
                })
                .await;
            store.close().await;
            match created {
                Ok(user) => {
                    println!("{}", user.id);
                    Ok(())
                }
                Err(AuthError::EmailTaken) => {
                    anyhow::bail!("an account with this email already exists")
                }
                Err(e) => Err(e.into()),
            }
        }
        AdminCommand::CreateUsers {
            count,
            out,
            role,
            credits,
            token_ttl,
            password,
        } => {
            let started = std::time::Instant::now();
            let file = create_users(
                &config,
                BulkUsers {
                    count: usize::try_from(count)?,
                    role: role.into(),
                    credits,
                    token_ttl,
                    password,
                },
            )
            .await?;
            file.write(&out)?;
            eprintln!(
                "{count} accounts made in {:.1} s; tokens valid until {} written to {}",
                started.elapsed().as_secs_f64(),
                file.expires_at,
                out.display()
            );
            Ok(())
        }
    }
}
