//! The command line: `waqup serve`, `waqup migrate`, `waqup admin create-user`.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

use crate::auth::{Accounts, AuthError, JwtKeys, SignUp, WELCOME_CREDITS};
use crate::cache::MemoryCache;
use crate::config::{Config, ConfigFile};
use crate::domain::{Email, Password, Role};
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

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let file = match &cli.config {
        Some(path) => ConfigFile::Explicit(path),
        None => ConfigFile::Default,
    };
    let config = Config::load(file)?;
    match cli.command.unwrap_or(Command::Serve) {
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
    }
}
