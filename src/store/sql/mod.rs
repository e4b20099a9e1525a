//! SQL shared by both backends, written once and run through sqlx on either.
//!
//! [`SqlStore<DB>`] implements every repository trait for any [`Backend`]; the bounds
//! that let sqlx run the same statements on PostgreSQL and SQLite are stated once, in
//! [`impl_for_backends!`]. Statements use `$N` placeholders, which both dialects accept.

mod admin;
mod conversations;
mod credits;
mod generation;
mod library;
mod market;
mod payments;
mod tokens;
mod users;

use sqlx::migrate::Migrator;
use sqlx::{Database, Pool, Transaction};

use super::{Repository, StoreResult};
use crate::config::StoreKind;

/// What differs between the backends beyond the SQL they share.
pub trait Backend: Database {
    const KIND: StoreKind;
    /// Opens a transaction that will write. SQLite takes the write lock at once
    /// (`BEGIN IMMEDIATE`) so two writers never deadlock upgrading a read lock.
    const BEGIN_WRITE: &'static str;
    /// Within a write transaction, reads a user's `preferences` and holds the user's
    /// row until commit. Every change to a user's sign-ins takes this lock first, so a
    /// revocation can never miss a token that a concurrent refresh is inserting.
    /// (SQLite's write transaction already excludes every other writer.)
    const LOCK_USER: &'static str;
    /// Ends a `SELECT` whose rows the transaction will change: PostgreSQL locks them
    /// (SQLite's write transaction already excludes every other writer).
    const LOCK_ROWS: &'static str;
    /// Ends the subquery that picks free generation jobs: PostgreSQL locks them and
    /// skips rows other nodes are claiming.
    const SKIP_LOCKED: &'static str;
    /// A condition: the JSON array in `column` holds every string of the JSON array
    /// bound as `param` (true for an empty one).
    fn tags_contain_all(column: &str, param: &str) -> String;
    /// Full-text search of packs (aliased `p`) for the text bound as `param`: a join to
    /// add, a condition, and a rank (higher is better).
    fn pack_search(param: &str) -> PackSearch;
    /// The search text as the backend's query takes it; `None` when nothing searchable
    /// is left (no word characters).
    fn search_text(words: &str) -> Option<String>;
    fn migrator() -> &'static Migrator;
    fn rows_affected(result: &Self::QueryResult) -> u64;
}

/// The pieces of a full-text pack search ([`Backend::pack_search`]).
pub struct PackSearch {
    pub join: String,
    pub condition: String,
    pub rank: String,
}

/// The words of a search, split on anything that is not a letter or digit.
pub(super) fn search_words(words: &str) -> Vec<&str> {
    words
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_SEARCH_WORDS)
        .collect()
}

/// Words of a search past this many are ignored.
const MAX_SEARCH_WORDS: usize = 16;

/// The repository over one sqlx pool (two for SQLite: many readers, one writer).
pub struct SqlStore<DB: Database> {
    reader: Pool<DB>,
    writer: Pool<DB>,
}

impl<DB: Backend> SqlStore<DB> {
    pub(crate) fn new(reader: Pool<DB>, writer: Pool<DB>) -> Self {
        Self { reader, writer }
    }

    async fn begin_write(&self) -> Result<Transaction<'static, DB>, sqlx::Error> {
        self.writer.begin_with(DB::BEGIN_WRITE).await
    }
}

/// Takes the user's row lock ([`Backend::LOCK_USER`]); `NotFound` when there is no such user
/// (or the account was deleted).
async fn lock_user<DB>(tx: &mut Transaction<'static, DB>, id: uuid::Uuid) -> StoreResult<()>
where
    DB: Backend,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    DB::Arguments: sqlx::IntoArguments<DB>,
    for<'q> uuid::Uuid: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let found = sqlx::query(DB::LOCK_USER)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    found.map(|_| ()).ok_or(super::StoreError::NotFound)
}

/// Implements a repository trait for `SqlStore<DB>` on every backend, with the sqlx
/// bounds the shared statements need (the column and parameter types we use).
macro_rules! impl_for_backends {
    ($trait:path { $($body:tt)* }) => {
        #[async_trait::async_trait]
        impl<DB> $trait for $crate::store::sql::SqlStore<DB>
        where
            DB: $crate::store::sql::Backend,
            for<'c> &'c mut <DB as sqlx::Database>::Connection: sqlx::Executor<'c, Database = DB>,
            for<'c> &'c sqlx::Pool<DB>: sqlx::Executor<'c, Database = DB>,
            <DB as sqlx::Database>::Arguments: sqlx::IntoArguments<DB>,
            <DB as sqlx::Database>::Connection: sqlx::migrate::Migrate,
            for<'r> &'r str: sqlx::ColumnIndex<<DB as sqlx::Database>::Row>,
            usize: sqlx::ColumnIndex<<DB as sqlx::Database>::Row>,
            for<'q> uuid::Uuid: sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
            for<'q> String: sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
            for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
            for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
            for<'q> bool: sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
            for<'q> chrono::DateTime<chrono::Utc>:
                sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
            for<'q> sqlx::types::Json<serde_json::Value>:
                sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
            for<'q> Option<uuid::Uuid>: sqlx::Encode<'q, DB>,
            for<'q> Option<i64>: sqlx::Encode<'q, DB>,
            for<'q> Option<chrono::DateTime<chrono::Utc>>: sqlx::Encode<'q, DB>,
            for<'q> Option<String>: sqlx::Encode<'q, DB>,
            for<'q> Option<&'q str>: sqlx::Encode<'q, DB>,
            for<'q> Option<sqlx::types::Json<serde_json::Value>>: sqlx::Encode<'q, DB>,
        {
            $($body)*
        }
    };
}
pub(crate) use impl_for_backends;
pub use library::NOT_READY;

impl_for_backends!(Repository {
    fn kind(&self) -> StoreKind {
        DB::KIND
    }

    async fn migrate(&self) -> StoreResult<()> {
        DB::migrator()
            .run(&self.writer)
            .await
            .map_err(|e| anyhow::Error::new(e).context("apply migrations"))?;
        Ok(())
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }

    async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
});
