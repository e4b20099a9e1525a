//! Accounts for a load run, made once through a fast path: one password hash shared by
//! every account, rows written straight to the store, and access tokens signed with the
//! server's own secret for as long as the run needs. A run then spends no time on
//! sign-ups or password hashing.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use futures_util::{StreamExt, TryStreamExt};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::{JwtKeys, hash_password};
use crate::config::Config;
use crate::domain::{Credits, Email, Preferences, Role};
use crate::store::{self, NewUser, Repository};
use crate::time::now;

/// Accounts written to the store at once.
const CREATE_CONCURRENCY: usize = 16;
/// The most accounts one call makes.
pub const MAX_ACCOUNTS: usize = 1_000_000;

/// What to make.
#[derive(Debug, Clone)]
pub struct BulkUsers {
    pub count: usize,
    pub role: Role,
    pub credits: Credits,
    /// How long the access tokens stay valid.
    pub token_ttl: Duration,
    /// The password every account shares (to sign in by hand); random when `None`.
    pub password: Option<String>,
}

/// One account of a load run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoadAccount {
    pub id: Uuid,
    pub email: String,
    pub access_token: String,
}

/// The tokens file (`waqup admin create-users --out`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountsFile {
    /// The password every account shares.
    pub password: String,
    pub expires_at: DateTime<Utc>,
    pub accounts: Vec<LoadAccount>,
}

impl AccountsFile {
    pub fn read(path: &Path) -> anyhow::Result<AccountsFile> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the tokens file {}", path.display()))?;
        let file: AccountsFile = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a tokens file of `waqup admin create-users`",
                path.display()
            )
        })?;
        if file.accounts.is_empty() {
            anyhow::bail!("the tokens file {} holds no accounts", path.display());
        }
        if file.expires_at <= now() {
            anyhow::bail!(
                "the tokens in {} expired at {}; make new ones with `waqup admin create-users`",
                path.display(),
                file.expires_at
            );
        }
        Ok(file)
    }

    /// Writes the file readable by its owner only (it holds live tokens).
    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let text = serde_json::to_string_pretty(self)?;
        write_private(path, text.as_bytes())
            .with_context(|| format!("cannot write the tokens file {}", path.display()))
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

/// Makes the accounts in the configured store and signs their tokens with the
/// configured secret (so the servers sharing that configuration accept them).
pub async fn create_users(config: &Config, spec: BulkUsers) -> anyhow::Result<AccountsFile> {
    anyhow::ensure!(
        (1..=MAX_ACCOUNTS).contains(&spec.count),
        "the count must be between 1 and {MAX_ACCOUNTS}"
    );
    let secret = crate::startup::jwt_secret(config)?;
    let keys = JwtKeys::new(secret.expose_secret().as_bytes()).map_err(anyhow::Error::msg)?;
    let store = store::connect(config).await?;
    store.migrate().await.context("apply database migrations")?;
    let made = create_in(store.clone(), &keys, spec).await;
    store.close().await;
    made
}

async fn create_in(
    store: Arc<dyn Repository>,
    keys: &JwtKeys,
    spec: BulkUsers,
) -> anyhow::Result<AccountsFile> {
    let password = spec
        .password
        .unwrap_or_else(|| Uuid::new_v4().simple().to_string());
    crate::domain::Password::parse(&password, &Email::parse("load@example.com")?)?;
    let password_hash = hash_password(password.clone()).await?;
    // A run's accounts share a tag, so several runs never collide on an email.
    let run = Uuid::new_v4().simple().to_string();
    let run = &run[..10];
    let issued_at = now();
    let users: Vec<(Uuid, String)> = futures_util::stream::iter(0..spec.count)
        .map(|i| {
            let store = store.clone();
            let password_hash = password_hash.clone();
            async move {
                let email = Email::parse(&format!("load-{run}-{i:06}@example.com"))?;
                let user = store
                    .create_user(NewUser {
                        id: Uuid::now_v7(),
                        email,
                        password_hash,
                        role: spec.role,
                        display_name: Some(format!("Load {i}")),
                        preferences: Preferences::default(),
                        initial_credits: spec.credits,
                        now: issued_at,
                    })
                    .await
                    .context("create a load account")?;
                anyhow::Ok((user.id, user.email))
            }
        })
        .buffered(CREATE_CONCURRENCY)
        .try_collect()
        .await?;
    let accounts = users
        .into_iter()
        .map(|(id, email)| {
            Ok(LoadAccount {
                id,
                email,
                access_token: keys.issue_for(id, spec.role, issued_at, spec.token_ttl)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let ttl = chrono::Duration::from_std(spec.token_ttl).unwrap_or(chrono::Duration::MAX);
    Ok(AccountsFile {
        password,
        expires_at: issued_at
            .checked_add_signed(ttl)
            .unwrap_or(DateTime::<Utc>::MAX_UTC),
        accounts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn accounts_are_made_with_working_tokens() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().display().to_string();
        let config = Config::from_sources(None, &|key| {
            (key == "WAQUP_DATA_DIR").then(|| data_dir.clone())
        })
        .unwrap();
        let file = create_users(
            &config,
            BulkUsers {
                count: 5,
                role: Role::User,
                credits: 40,
                token_ttl: Duration::from_secs(3 * 3600),
                password: Some("a long shared password".into()),
            },
        )
        .await
        .unwrap();
        // The tokens are signed with the secret a server on this configuration uses.
        let secret = crate::startup::jwt_secret(&config).unwrap();
        let keys = JwtKeys::new(secret.expose_secret().as_bytes()).unwrap();
        let store = store::connect(&config).await.unwrap();
        assert_eq!(file.accounts.len(), 5);
        let mut emails: Vec<_> = file.accounts.iter().map(|a| a.email.clone()).collect();
        emails.dedup();
        assert_eq!(emails.len(), 5);
        for account in &file.accounts {
            let claims = keys.verify(&account.access_token).unwrap();
            assert_eq!(claims.sub, account.id);
            assert!(claims.exp - claims.iat >= 3 * 3600);
            let user = store.user_by_id(account.id).await.unwrap().unwrap();
            assert_eq!(user.credit_balance, 40);
            assert!(
                crate::auth::verify_password(
                    "a long shared password".into(),
                    Some(user.password_hash.expose_secret().to_owned())
                )
                .await
                .unwrap()
            );
        }
        // A file round-trips; an expired one is refused with the way out.
        let path = dir.path().join("tokens.json");
        file.write(&path).unwrap();
        assert_eq!(AccountsFile::read(&path).unwrap().accounts.len(), 5);
        let mut old = file.clone();
        old.expires_at = now() - chrono::Duration::seconds(1);
        old.write(&path).unwrap();
        let err = AccountsFile::read(&path).unwrap_err().to_string();
        assert!(err.contains("create-users"), "{err}");
    }
}
