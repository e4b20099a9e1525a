use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::types::Json;
use uuid::Uuid;

use super::generation::{ContentRow, content_columns};
use super::market::{entitled, through_pack};
use super::{Backend, impl_for_backends};
use crate::domain::PageRequest;
use crate::store::{
    Completion, ContentItem, ContentQuery, ContentSort, ContentStatus, ContentUpdate, LibraryStore,
    NewPractice, NewShare, PracticeCompletion, PracticeEvent, PracticeRecord, PracticeStarted,
    Share, StoreError, StoreResult,
};

/// What a write on an item that is still being generated answers: the generation
/// writes the same fields, and its charge depends on the item.
pub const NOT_READY: &str = "content is still being generated";

macro_rules! practice_columns {
    () => {
        "e.id, e.user_id, e.content_item_id, e.content_type, c.title AS content_title, \
         e.started_at, e.completed_at, e.duration_seconds, e.metadata, e.created_at"
    };
}

#[derive(sqlx::FromRow)]
struct PracticeRow {
    id: Uuid,
    user_id: Uuid,
    content_item_id: Uuid,
    content_type: String,
    content_title: Option<String>,
    started_at: DateTime<Utc>,
    completed_at: Option<DateTime<Utc>>,
    duration_seconds: Option<i64>,
    metadata: Json<Value>,
    created_at: DateTime<Utc>,
}

impl TryFrom<PracticeRow> for PracticeEvent {
    type Error = StoreError;

    fn try_from(row: PracticeRow) -> Result<Self, Self::Error> {
        Ok(PracticeEvent {
            content_type: row.content_type.parse().map_err(|e: String| {
                StoreError::Other(anyhow::anyhow!("practice {}: {e}", row.id))
            })?,
            id: row.id,
            user_id: row.user_id,
            content_id: row.content_item_id,
            content_title: row.content_title,
            started_at: row.started_at,
            completed_at: row.completed_at,
            duration_seconds: row.duration_seconds,
            metadata: row.metadata.0,
            created_at: row.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ShareRow {
    id: Uuid,
    content_item_id: Uuid,
    user_id: Uuid,
    token: String,
    created_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
}

impl From<ShareRow> for Share {
    fn from(row: ShareRow) -> Self {
        Share {
            id: row.id,
            content_id: row.content_item_id,
            user_id: row.user_id,
            token: row.token,
            created_at: row.created_at,
            revoked_at: row.revoked_at,
        }
    }
}

const SHARE_COLUMNS: &str = "id, content_item_id, user_id, token, created_at, revoked_at";

/// The `WHERE` of a library listing. Parameters: `$1` user, `$2` type, `$3` depth,
/// `$4` status, `$5` folder, `$6` title pattern, `$7` tags (a JSON array).
fn listing_filter<DB: Backend>() -> String {
    format!(
        "user_id = $1 AND deleted_at IS NULL \
         AND ($2 IS NULL OR content_type = $2) \
         AND ($3 IS NULL OR depth = $3) \
         AND (($4 IS NULL AND status <> 'failed') OR status = $4) \
         AND ($5 IS NULL OR folder = $5) \
         AND ($6 IS NULL OR title_folded LIKE $6 ESCAPE '\\') \
         AND {}",
        DB::tags_contain_all("content_items.tags", "$7")
    )
}

fn listing_order(sort: ContentSort) -> &'static str {
    match sort {
        ContentSort::Recent => "created_at DESC, id DESC",
        ContentSort::LastPlayed => "last_played_at DESC NULLS LAST, created_at DESC, id DESC",
        ContentSort::MostPlayed => "play_count DESC, last_played_at DESC NULLS LAST, id DESC",
        ContentSort::Title => "title_folded ASC NULLS LAST, created_at DESC, id DESC",
    }
}

/// `%words%` for `LIKE`, lowercased, with the pattern's own characters escaped.
pub(super) fn like_pattern(words: &str) -> String {
    let mut pattern = String::with_capacity(words.len() + 2);
    pattern.push('%');
    for c in crate::text::fold(words).chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Why a write on an item found no row: not the caller's (or deleted), or not ready.
async fn missing_or_not_ready<DB>(
    tx: &mut sqlx::Transaction<'static, DB>,
    id: Uuid,
    user_id: Uuid,
) -> StoreError
where
    DB: Backend,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    DB::Arguments: sqlx::IntoArguments<DB>,
    for<'q> Uuid: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> String: sqlx::Decode<'q, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let status: Result<Option<String>, sqlx::Error> = sqlx::query_scalar(
        "SELECT status FROM content_items WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await;
    match status {
        Ok(Some(_)) => StoreError::Conflict(NOT_READY.into()),
        Ok(None) => StoreError::NotFound,
        Err(e) => e.into(),
    }
}

impl_for_backends!(LibraryStore {
    async fn list_content(
        &self,
        user_id: Uuid,
        query: &ContentQuery,
        page: PageRequest,
    ) -> StoreResult<(Vec<ContentItem>, u64)> {
        let filter = listing_filter::<DB>();
        let content_type = query.content_type.map(|t| t.as_str());
        let depth = query.depth.map(|d| d.as_str());
        let status = query.status.map(ContentStatus::as_str);
        let pattern = query.title_contains.as_deref().map(like_pattern);
        let tags = Json(Value::from(query.tags.clone()));
        let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM content_items WHERE {filter}"
        )))
        .bind(user_id)
        .bind(content_type)
        .bind(depth)
        .bind(status)
        .bind(query.folder.as_deref())
        .bind(pattern.as_deref())
        .bind(tags.clone())
        .fetch_one(&self.reader)
        .await?;
        let rows: Vec<ContentRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM content_items WHERE {filter} ORDER BY {} LIMIT $8 OFFSET $9",
            content_columns!(),
            listing_order(query.sort),
        )))
        .bind(user_id)
        .bind(content_type)
        .bind(depth)
        .bind(status)
        .bind(query.folder.as_deref())
        .bind(pattern.as_deref())
        .bind(tags)
        .bind(i64::from(page.limit()))
        .bind(page.offset())
        .fetch_all(&self.reader)
        .await?;
        let items = rows
            .into_iter()
            .map(ContentItem::try_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((items, u64::try_from(total).unwrap_or(0)))
    }

    async fn content_folders(&self, user_id: Uuid) -> StoreResult<Vec<(String, u64)>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT folder, COUNT(*) FROM content_items \
             WHERE user_id = $1 AND deleted_at IS NULL AND status <> 'failed' \
               AND folder IS NOT NULL \
             GROUP BY folder ORDER BY folder",
        )
        .bind(user_id)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(folder, n)| (folder, u64::try_from(n).unwrap_or(0)))
            .collect())
    }

    async fn owns_content(&self, id: Uuid, user_id: Uuid) -> StoreResult<bool> {
        let owned: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM content_items WHERE id = $1 AND user_id = $2)",
        )
        .bind(id)
        .bind(user_id)
        .fetch_one(&self.reader)
        .await?;
        Ok(owned)
    }

    async fn content_of_user(&self, user_id: Uuid) -> StoreResult<Vec<ContentItem>> {
        let rows: Vec<ContentRow> = sqlx::query_as(concat!(
            "SELECT ",
            content_columns!(),
            " FROM content_items WHERE user_id = $1 ORDER BY created_at, id"
        ))
        .bind(user_id)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter().map(ContentItem::try_from).collect()
    }

    #[tracing::instrument(skip_all, fields(content_id = %id))]
    async fn update_content(
        &self,
        id: Uuid,
        user_id: Uuid,
        update: ContentUpdate,
    ) -> StoreResult<ContentItem> {
        let mut tx = self.begin_write().await?;
        let (set_folder, folder) = match update.folder {
            Some(folder) => (true, folder),
            None => (false, None),
        };
        let row: Option<ContentRow> = sqlx::query_as(concat!(
            "UPDATE content_items SET \
               title = COALESCE($3, title), \
               title_folded = COALESCE($8, title_folded), \
               tags = COALESCE($4, tags), \
               folder = CASE WHEN $5 THEN $6 ELSE folder END, \
               updated_at = $7 \
             WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL AND status <> 'generating' \
             RETURNING ",
            content_columns!()
        ))
        .bind(id)
        .bind(user_id)
        .bind(update.title.as_deref())
        .bind(update.tags.map(|tags| Json(Value::from(tags))))
        .bind(set_folder)
        .bind(folder)
        .bind(update.now)
        .bind(update.title.as_deref().map(crate::text::fold))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(missing_or_not_ready(&mut tx, id, user_id).await);
        };
        tx.commit().await?;
        row.try_into()
    }

    #[tracing::instrument(skip_all, fields(content_id = %id))]
    async fn delete_content(
        &self,
        id: Uuid,
        user_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<String>> {
        let mut tx = self.begin_write().await?;
        let deleted: Option<(Option<String>,)> = sqlx::query_as(
            "UPDATE content_items SET deleted_at = $3, updated_at = $3 \
             WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL AND status <> 'generating' \
             RETURNING audio_url",
        )
        .bind(id)
        .bind(user_id)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((audio,)) = deleted else {
            return Err(missing_or_not_ready(&mut tx, id, user_id).await);
        };
        sqlx::query(
            "UPDATE content_shares SET revoked_at = $2 \
             WHERE content_item_id = $1 AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(audio)
    }

    async fn forget_audio(&self, id: Uuid, key: &str) -> StoreResult<()> {
        sqlx::query(
            "UPDATE content_items SET audio_url = NULL \
             WHERE id = $1 AND audio_url = $2 AND deleted_at IS NOT NULL",
        )
        .bind(id)
        .bind(key)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn deleted_audio(&self, limit: i64) -> StoreResult<Vec<(Uuid, String)>> {
        let rows: Vec<(Uuid, String)> = sqlx::query_as(
            "SELECT id, audio_url FROM content_items \
             WHERE deleted_at IS NOT NULL AND audio_url IS NOT NULL \
             ORDER BY deleted_at LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows)
    }

    #[tracing::instrument(skip_all, fields(content_id = %new.content_id))]
    async fn start_practice(&self, new: NewPractice) -> StoreResult<PracticeStarted> {
        let mut tx = self.begin_write().await?;
        // The count moves in the row itself: concurrent plays queue on its lock and
        // each adds one.
        // The owner's item, or one of a pack the player holds.
        let played: Option<(i64, String, Option<String>)> = sqlx::query_as(concat!(
            "UPDATE content_items SET play_count = play_count + 1, \
               last_played_at = CASE WHEN last_played_at IS NULL OR last_played_at < $3 \
                                THEN $3 ELSE last_played_at END \
             WHERE id = $1 AND deleted_at IS NULL AND status = 'ready' \
               AND (user_id = $2 OR ",
            through_pack!("content_items.id", "$2", "$4"),
            ") RETURNING play_count, content_type, title"
        ))
        .bind(new.content_id)
        .bind(new.user_id)
        .bind(new.started_at)
        .bind(new.now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((play_count, content_type, title)) = played else {
            return Err(missing_or_not_ready(&mut tx, new.content_id, new.user_id).await);
        };
        sqlx::query(
            "INSERT INTO practice_events (id, user_id, content_item_id, content_type, \
             started_at, metadata, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new.id)
        .bind(new.user_id)
        .bind(new.content_id)
        .bind(content_type.as_str())
        .bind(new.started_at)
        .bind(Json(new.metadata.clone()))
        .bind(new.now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let event = PracticeRow {
            id: new.id,
            user_id: new.user_id,
            content_item_id: new.content_id,
            content_type,
            content_title: title,
            started_at: new.started_at,
            completed_at: None,
            duration_seconds: None,
            metadata: Json(new.metadata),
            created_at: new.now,
        }
        .try_into()?;
        Ok(PracticeStarted { event, play_count })
    }

    #[tracing::instrument(skip_all, fields(practice_event_id = %done.event_id))]
    async fn complete_practice(&self, done: PracticeCompletion) -> StoreResult<Completion> {
        let mut tx = self.begin_write().await?;
        let found: Option<(DateTime<Utc>, Option<DateTime<Utc>>, Option<i64>)> = sqlx::query_as(
            "SELECT e.started_at, e.completed_at, \
               COALESCE(c.audio_duration, c.duration_seconds) \
             FROM practice_events e JOIN content_items c ON c.id = e.content_item_id \
             WHERE e.id = $1 AND e.user_id = $2 AND e.content_item_id = $3 \
               AND c.deleted_at IS NULL",
        )
        .bind(done.event_id)
        .bind(done.user_id)
        .bind(done.content_id)
        .fetch_optional(&mut *tx)
        .await?;
        let (started_at, completed_at, length) = found.ok_or(StoreError::NotFound)?;
        if completed_at.is_none() {
            if done.completed_at < started_at {
                return Ok(Completion::BeforeStart { started_at });
            }
            let elapsed = (done.completed_at - started_at).num_seconds();
            let duration = done
                .duration_seconds
                .unwrap_or_else(|| length.map_or(elapsed, |length| elapsed.min(length)));
            let updated = sqlx::query(
                "UPDATE practice_events SET completed_at = $2, duration_seconds = $3 \
                 WHERE id = $1 AND completed_at IS NULL",
            )
            .bind(done.event_id)
            .bind(done.completed_at)
            .bind(duration)
            .execute(&mut *tx)
            .await?;
            let first = DB::rows_affected(&updated) == 1;
            let event = practice_event(&mut tx, done.event_id).await?;
            tx.commit().await?;
            return Ok(if first {
                Completion::Completed(event)
            } else {
                Completion::AlreadyCompleted(event)
            });
        }
        let event = practice_event(&mut tx, done.event_id).await?;
        tx.commit().await?;
        Ok(Completion::AlreadyCompleted(event))
    }

    async fn practice_history(
        &self,
        user_id: Uuid,
        content_id: Option<Uuid>,
        page: PageRequest,
    ) -> StoreResult<(Vec<PracticeEvent>, u64)> {
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM practice_events \
             WHERE user_id = $1 AND ($2 IS NULL OR content_item_id = $2)",
        )
        .bind(user_id)
        .bind(content_id)
        .fetch_one(&self.reader)
        .await?;
        let rows: Vec<PracticeRow> = sqlx::query_as(concat!(
            "SELECT ",
            practice_columns!(),
            " FROM practice_events e JOIN content_items c ON c.id = e.content_item_id \
             WHERE e.user_id = $1 AND ($2 IS NULL OR e.content_item_id = $2) \
             ORDER BY e.started_at DESC, e.id DESC LIMIT $3 OFFSET $4"
        ))
        .bind(user_id)
        .bind(content_id)
        .bind(i64::from(page.limit()))
        .bind(page.offset())
        .fetch_all(&self.reader)
        .await?;
        let events = rows
            .into_iter()
            .map(PracticeEvent::try_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((events, u64::try_from(total).unwrap_or(0)))
    }

    async fn practice_of_user(&self, user_id: Uuid) -> StoreResult<Vec<PracticeEvent>> {
        let rows: Vec<PracticeRow> = sqlx::query_as(concat!(
            "SELECT ",
            practice_columns!(),
            " FROM practice_events e JOIN content_items c ON c.id = e.content_item_id \
             WHERE e.user_id = $1 ORDER BY e.started_at, e.id"
        ))
        .bind(user_id)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter().map(PracticeEvent::try_from).collect()
    }

    async fn practice_records(&self, user_id: Uuid) -> StoreResult<(Vec<PracticeRecord>, u64)> {
        let plays: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM practice_events WHERE user_id = $1")
                .bind(user_id)
                .fetch_one(&self.reader)
                .await?;
        let rows: Vec<(String, DateTime<Utc>, i64)> = sqlx::query_as(
            "SELECT content_type, completed_at, COALESCE(duration_seconds, 0) \
             FROM practice_events WHERE user_id = $1 AND completed_at IS NOT NULL",
        )
        .bind(user_id)
        .fetch_all(&self.reader)
        .await?;
        let records = rows
            .into_iter()
            .map(|(content_type, completed_at, duration_seconds)| {
                Ok(PracticeRecord {
                    content_type: content_type
                        .parse()
                        .map_err(|e: String| StoreError::Other(anyhow::anyhow!(e)))?,
                    completed_at,
                    duration_seconds,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((records, u64::try_from(plays).unwrap_or(0)))
    }

    async fn active_share(&self, content_id: Uuid, user_id: Uuid) -> StoreResult<Option<Share>> {
        let row: Option<ShareRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {SHARE_COLUMNS} FROM content_shares \
             WHERE content_item_id = $1 AND user_id = $2 AND revoked_at IS NULL"
        )))
        .bind(content_id)
        .bind(user_id)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(Share::from))
    }

    #[tracing::instrument(skip_all, fields(content_id = %new.content_id))]
    async fn create_share(&self, new: NewShare) -> StoreResult<(Share, bool)> {
        let mut tx = self.begin_write().await?;
        // The item's row lock orders concurrent creations: the second finds the first.
        let item: Option<(String,)> = sqlx::query_as(
            "UPDATE content_items SET updated_at = updated_at \
             WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL AND status = 'ready' \
             RETURNING status",
        )
        .bind(new.content_id)
        .bind(new.user_id)
        .fetch_optional(&mut *tx)
        .await?;
        if item.is_none() {
            return Err(missing_or_not_ready(&mut tx, new.content_id, new.user_id).await);
        }
        let existing: Option<ShareRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {SHARE_COLUMNS} FROM content_shares \
             WHERE content_item_id = $1 AND revoked_at IS NULL"
        )))
        .bind(new.content_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(existing) = existing {
            return Ok((existing.into(), false));
        }
        let row: ShareRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO content_shares (id, content_item_id, user_id, token, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING {SHARE_COLUMNS}"
        )))
        .bind(new.id)
        .bind(new.content_id)
        .bind(new.user_id)
        .bind(new.token.as_str())
        .bind(new.now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((row.into(), true))
    }

    #[tracing::instrument(skip_all, fields(content_id = %content_id))]
    async fn revoke_share(
        &self,
        content_id: Uuid,
        user_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let revoked = sqlx::query(
            "UPDATE content_shares SET revoked_at = $3 \
             WHERE content_item_id = $1 AND user_id = $2 AND revoked_at IS NULL",
        )
        .bind(content_id)
        .bind(user_id)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(DB::rows_affected(&revoked) > 0)
    }

    async fn shared_content(&self, token: &str) -> StoreResult<Option<(Share, ContentItem)>> {
        let share: Option<ShareRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {SHARE_COLUMNS} FROM content_shares WHERE token = $1 AND revoked_at IS NULL"
        )))
        .bind(token)
        .fetch_optional(&self.reader)
        .await?;
        let Some(share) = share else {
            return Ok(None);
        };
        let item: Option<ContentRow> = sqlx::query_as(concat!(
            "SELECT ",
            content_columns!(),
            " FROM content_items WHERE id = $1 AND deleted_at IS NULL AND status = 'ready'"
        ))
        .bind(share.content_item_id)
        .fetch_optional(&self.reader)
        .await?;
        item.map(|item| Ok((share.into(), item.try_into()?)))
            .transpose()
    }

    async fn shares_of_user(&self, user_id: Uuid) -> StoreResult<Vec<Share>> {
        let rows: Vec<ShareRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {SHARE_COLUMNS} FROM content_shares WHERE user_id = $1 ORDER BY created_at, id"
        )))
        .bind(user_id)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.into_iter().map(Share::from).collect())
    }
});

/// One practice event, read inside a transaction.
async fn practice_event<DB>(
    tx: &mut sqlx::Transaction<'static, DB>,
    id: Uuid,
) -> StoreResult<PracticeEvent>
where
    DB: Backend,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    DB::Arguments: sqlx::IntoArguments<DB>,
    for<'q> Uuid: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'r> PracticeRow: sqlx::FromRow<'r, DB::Row>,
{
    let row: PracticeRow = sqlx::query_as(concat!(
        "SELECT ",
        practice_columns!(),
        " FROM practice_events e JOIN content_items c ON c.id = e.content_item_id \
         WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    row.try_into()
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn like_patterns_escape_their_wildcards() {
        assert_eq!(like_pattern("Evening Calm"), "%evening calm%");
        assert_eq!(like_pattern("100%_sure\\"), "%100\\%\\_sure\\\\%");
    }
}
