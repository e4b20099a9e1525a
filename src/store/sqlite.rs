//! SQLite, the embedded default: a WAL database file with a pool of readers and one writer,
//! and its own migrations (`migrations/sqlite`).

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::Sqlite;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteQueryResult,
    SqliteSynchronous,
};

use super::sql::{Backend, PackSearch, SqlStore, search_words};
use crate::config::StoreKind;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// How long a statement waits for another process's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

impl Backend for Sqlite {
    const KIND: StoreKind = StoreKind::Sqlite;
    const LOCK_USER: &'static str =
        "SELECT preferences FROM users WHERE id = $1 AND deleted_at IS NULL";
    const LOCK_ROWS: &'static str = "";
    const SKIP_LOCKED: &'static str = "";
    const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";

    fn tags_contain_all(column: &str, param: &str) -> String {
        format!(
            "NOT EXISTS (SELECT 1 FROM json_each({param}) AS wanted \
             WHERE wanted.value NOT IN (SELECT value FROM json_each({column})))"
        )
    }

    fn pack_search(param: &str) -> PackSearch {
        PackSearch {
            join: format!(
                "JOIN (SELECT pack_id, rank FROM packs_fts WHERE packs_fts MATCH {param}) f \
                 ON f.pack_id = p.id"
            ),
            condition: "1 = 1".into(),
            // FTS5's rank is bm25, lower for better matches.
            rank: "-f.rank".into(),
        }
    }

    /// Each word quoted, so FTS5 reads it as a term and never as its query syntax; all
    /// of them must match.
    fn search_text(words: &str) -> Option<String> {
        let words = search_words(words);
        (!words.is_empty()).then(|| {
            words
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(" ")
        })
    }

    fn migrator() -> &'static Migrator {
        &MIGRATOR
    }

    fn rows_affected(result: &SqliteQueryResult) -> u64 {
        result.rows_affected()
    }
}

pub(super) async fn connect(url: &str, max_readers: u32) -> anyhow::Result<SqlStore<Sqlite>> {
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("invalid SQLite URL {url}"))?
        .create_if_missing(true)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT);
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    if in_memory {
        // One connection, kept for the life of the pool: every connection to `:memory:`
        // is a database of its own, gone when the connection closes.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .context("cannot open in-memory SQLite database")?;
        return Ok(SqlStore::new(pool.clone(), pool));
    }
    if let Some(dir) = options
        .get_filename()
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
    }
    // The writer's connection stays open for the life of the pool, which also keeps the
    // WAL files in place for the readers.
    let writer = SqlitePoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(
            options
                .clone()
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal),
        )
        .await
        .with_context(|| format!("cannot open SQLite database {url}"))?;
    let reader = SqlitePoolOptions::new()
        .max_connections(max_readers)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open SQLite database {url} for reading"))?;
    Ok(SqlStore::new(reader, writer))
}
