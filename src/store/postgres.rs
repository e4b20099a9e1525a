//! PostgreSQL: connection pool and migrations (`migrations/postgres`).

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::Postgres;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgQueryResult};

use super::sql::{Backend, PackSearch, SqlStore, search_words};
use crate::config::{StoreKind, redact_url_password};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a request waits for a free connection before failing.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

impl Backend for Postgres {
    const KIND: StoreKind = StoreKind::Postgres;
    const LOCK_USER: &'static str =
        "SELECT preferences FROM users WHERE id = $1 AND deleted_at IS NULL FOR UPDATE";
    const LOCK_ROWS: &'static str = " FOR UPDATE";
    const SKIP_LOCKED: &'static str = " FOR UPDATE SKIP LOCKED";
    const BEGIN_WRITE: &'static str = "BEGIN";

    fn tags_contain_all(column: &str, param: &str) -> String {
        format!("{column} @> {param}")
    }

    fn pack_search(param: &str) -> PackSearch {
        let query = format!("plainto_tsquery('english', {param})");
        PackSearch {
            join: String::new(),
            condition: format!("p.search_vector @@ {query}"),
            rank: format!("ts_rank(p.search_vector, {query})"),
        }
    }

    fn search_text(words: &str) -> Option<String> {
        let words = search_words(words);
        (!words.is_empty()).then(|| words.join(" "))
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
