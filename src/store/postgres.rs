//! PostgreSQL: connection pool and migrations (`migrations/postgres`).

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::Postgres;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgQueryResult};

use super::sql::{Backend, SqlStore};
use crate::config::{StoreKind, redact_url_password};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a request waits for a free connection before failing.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

impl Backend for Postgres {
    const KIND: StoreKind = StoreKind::Postgres;
    const LOCK_USER: &'static str =
        "SELECT preferences FROM users WHERE id = $1 AND deleted_at IS NULL FOR UPDATE";
    const SKIP_LOCKED: &'static str = " FOR UPDATE SKIP LOCKED";
    const BEGIN_WRITE: &'static str = "BEGIN";

    fn tags_contain_all(param: &str) -> String {
        format!("tags @> {param}")
    }

    fn migrator() -> &'static Migrator {
        &MIGRATOR
    }

    fn rows_affected(result: &PgQueryResult) -> u64 {
        result.rows_affected()
    }
}

pub(super) async fn connect(url: &str, max_connections: u32) -> anyhow::Result<SqlStore<Postgres>> {
    let options = PgConnectOptions::from_str(url)
        .with_context(|| format!("invalid PostgreSQL URL {}", redact_url_password(url)))?
        .application_name("waqup");
    let pool = PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options)
        .await
        .with_context(|| {
            format!(
                "cannot connect to PostgreSQL at {}",
                redact_url_password(url)
            )
        })?;
    Ok(SqlStore::new(pool.clone(), pool))
}
