//! argon2id hashing, run on the blocking pool so a hash never stalls a worker thread,
//! and at most [`max_concurrent_hashes`] at a time: each takes about 19 MiB and a core,
//! so a flood of sign-ins waits its turn instead of exhausting memory.

use std::sync::OnceLock;

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::{Semaphore, SemaphorePermit};

fn max_concurrent_hashes() -> usize {
    2 * std::thread::available_parallelism().map_or(1, usize::from)
}

async fn hashing_permit() -> anyhow::Result<SemaphorePermit<'static>> {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    PERMITS
        .get_or_init(|| Semaphore::new(max_concurrent_hashes()))
        .acquire()
        .await
        .context("password hashing permits")
}

/// Computes the dummy hash now, so the first sign-in with an unknown email does not
/// pay for it (and take longer than a wrong password).
pub async fn warm_up() -> anyhow::Result<()> {
    tokio::task::spawn_blocking(|| {
        dummy_hash();
    })
    .await
    .context("password hashing warm-up")
}

/// Hashes a password with argon2id (default parameters, random salt) into a PHC string.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    let _permit = hashing_permit().await?;
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| anyhow::anyhow!("argon2: {e}"))
    })
    .await
    .context("password hashing task")?
}

/// Checks a password against a PHC string. With no hash (unknown account) it checks
/// against a dummy hash, so both answers take the same time.
pub async fn verify_password(password: String, hash: Option<String>) -> anyhow::Result<bool> {
    let _permit = hashing_permit().await?;
    tokio::task::spawn_blocking(move || {
        let hash = hash.as_deref().unwrap_or_else(|| dummy_hash());
        let matched = Argon2::default()
            .verify_password(password.as_bytes(), hash)
            .is_ok();
        matched && hash != dummy_hash()
    })
    .await
    .context("password verification task")
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        Argon2::default()
            .hash_password(b"a password nobody has; used to equalise timing")
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_only_their_password() {
        let hash = hash_password("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(
            verify_password("correct horse battery".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(
            !verify_password("wrong horse battery".into(), Some(hash))
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn unknown_accounts_never_verify() {
        let known = "a password nobody has; used to equalise timing".to_owned();
        assert!(!verify_password(known, None).await.unwrap());
    }

    #[tokio::test]
    async fn salts_differ() {
        let a = hash_password("same password!".into()).await.unwrap();
        let b = hash_password("same password!".into()).await.unwrap();
        assert_ne!(a, b);
    }
}
