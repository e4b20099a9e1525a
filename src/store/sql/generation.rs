use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sqlx::types::Json;
use uuid::Uuid;

use super::credits::LedgerWrites;
use super::{impl_for_backends, lock_user};
use crate::domain::LedgerType;
use crate::store::{
    ContentItem, ContentStatus, Finish, GeneratedAudio, GeneratedText, GenerationIds,
    GenerationStore, Job, JobStage, MAX_JOB_CLAIMS, NewGeneration, NewLedgerEntry, Reservation,
    StoreError, StoreResult,
};

/// The columns of [`ContentRow`], for `concat!` into statements.
macro_rules! content_columns {
    () => {
        "id, user_id, content_type, status, title, content_text, structure, context, tags, depth, \
         duration_seconds, version, parent_id, session_id, cost, voice_id, audio_url, \
         audio_duration, audio_format, metadata, folder, play_count, last_played_at, created_at, \
         updated_at, deleted_at"
    };
}
pub(super) use content_columns;

#[derive(sqlx::FromRow)]
pub(super) struct ContentRow {
    id: Uuid,
    user_id: Uuid,
    content_type: String,
    status: String,
    title: Option<String>,
    content_text: Option<String>,
    structure: Json<Value>,
    context: Json<Value>,
    tags: Json<Value>,
    depth: Option<String>,
    duration_seconds: Option<i64>,
    version: i64,
    parent_id: Option<Uuid>,
    session_id: Option<Uuid>,
    cost: i64,
    voice_id: Option<String>,
    audio_url: Option<String>,
    audio_duration: Option<i64>,
    audio_format: Option<String>,
    metadata: Json<Value>,
    folder: Option<String>,
    play_count: i64,
    last_played_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
}

impl TryFrom<ContentRow> for ContentItem {
    type Error = StoreError;

    fn try_from(row: ContentRow) -> Result<Self, Self::Error> {
        let invalid =
            |what: String| StoreError::Other(anyhow::anyhow!("content {}: {what}", row.id));
        Ok(ContentItem {
            content_type: row.content_type.parse().map_err(invalid)?,
            status: ContentStatus::parse(&row.status)
                .ok_or_else(|| invalid(format!("status {}", row.status)))?,
            depth: row
                .depth
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(invalid)?,
            tags: serde_json::from_value(row.tags.0).map_err(|e| invalid(format!("tags: {e}")))?,
            id: row.id,
            user_id: row.user_id,
            title: row.title,
            content_text: row.content_text,
            structure: row.structure.0,
            context: row.context.0,
            duration_seconds: row.duration_seconds,
            version: row.version,
            parent_id: row.parent_id,
            session_id: row.session_id,
            cost: row.cost,
            voice_id: row.voice_id,
            audio_url: row.audio_url,
            audio_duration: row.audio_duration,
            audio_format: row.audio_format,
            metadata: row.metadata.0,
            folder: row.folder,
            play_count: row.play_count,
            last_played_at: row.last_played_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
            deleted_at: row.deleted_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct JobRow {
    id: Uuid,
    lease_owner: Option<String>,
    content_item_id: Uuid,
    user_id: Uuid,
    session_id: Option<Uuid>,
    stage: String,
    attempts: i64,
    content_type: String,
    context: Json<Value>,
    parent_id: Option<Uuid>,
    cost: i64,
}

impl TryFrom<JobRow> for Job {
    type Error = StoreError;

    fn try_from(row: JobRow) -> Result<Self, Self::Error> {
        let invalid = |what: String| StoreError::Other(anyhow::anyhow!("job {}: {what}", row.id));
        Ok(Job {
            stage: JobStage::parse(&row.stage)
                .ok_or_else(|| invalid(format!("stage {}", row.stage)))?,
            content_type: row.content_type.parse().map_err(invalid)?,
            id: row.id,
            lease: row.lease_owner.unwrap_or_default(),
            content_id: row.content_item_id,
            user_id: row.user_id,
            session_id: row.session_id,
            attempts: row.attempts,
            context: row.context.0,
            parent_id: row.parent_id,
            cost: row.cost,
        })
    }
}

const JOB_BY_ID: &str = "SELECT j.id, j.lease_owner, j.content_item_id, j.user_id, j.session_id, j.stage, \
     j.attempts, c.content_type, c.context, c.parent_id, c.cost \
     FROM generation_jobs j JOIN content_items c ON c.id = j.content_item_id WHERE j.id = $1";

/// The parts of a job that `finish_job` and `fail_job` settle.
#[derive(sqlx::FromRow)]
struct Settlement {
    content_item_id: Uuid,
    content_type: String,
    session_id: Option<Uuid>,
    hold_id: Uuid,
    hold_status: String,
    amount: i64,
}

const SETTLEMENT: &str = "SELECT j.content_item_id, c.content_type, \
     j.session_id, h.id AS hold_id, h.status AS hold_status, h.amount \
     FROM generation_jobs j \
     JOIN credit_holds h ON h.id = j.hold_id \
     JOIN content_items c ON c.id = j.content_item_id \
     WHERE j.id = $1";

/// What settling a job (charging or releasing its hold) starts with.
#[async_trait::async_trait]
trait Settle<DB: sqlx::Database> {
    /// Takes the lock of the job's user, then reads the job, its hold and its item.
    async fn settlement(
        tx: &mut sqlx::Transaction<'static, DB>,
        job_id: Uuid,
    ) -> StoreResult<(Uuid, Settlement)>;
    /// Ends a running job held under `lease`; false (nothing written) if the lease is
    /// no longer this one.
    async fn end_job(
        tx: &mut sqlx::Transaction<'static, DB>,
        job_id: Uuid,
        lease: &str,
        status: &str,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Moves a running job held under `lease` from stage `from` to `to`; false (nothing
    /// written) if the lease or the stage is no longer this one.
    async fn advance(
        tx: &mut sqlx::Transaction<'static, DB>,
        job_id: Uuid,
        lease: &str,
        from: JobStage,
        to: JobStage,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
}

impl_for_backends!(Settle<DB> {
    async fn settlement(
        tx: &mut sqlx::Transaction<'static, DB>,
        job_id: Uuid,
    ) -> StoreResult<(Uuid, Settlement)> {
        let user_id: Uuid = sqlx::query_scalar("SELECT user_id FROM generation_jobs WHERE id = $1")
            .bind(job_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        lock_user(tx, user_id).await?;
        let job: Settlement = sqlx::query_as(SETTLEMENT).bind(job_id).fetch_one(&mut **tx).await?;
        Ok((user_id, job))
    }

    async fn end_job(
        tx: &mut sqlx::Transaction<'static, DB>,
        job_id: Uuid,
        lease: &str,
        status: &str,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let ended = sqlx::query(
            "UPDATE generation_jobs SET status = $3, \
             stage = CASE WHEN $3 = 'succeeded' THEN 'done' ELSE stage END, \
             lease_owner = NULL, lease_expires_at = NULL, \
             last_error = COALESCE($4, last_error), updated_at = $5 \
             WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
        )
        .bind(job_id)
        .bind(lease)
        .bind(status)
        .bind(error)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(DB::rows_affected(&ended) == 1)
    }

    async fn advance(
        tx: &mut sqlx::Transaction<'static, DB>,
        job_id: Uuid,
        lease: &str,
        from: JobStage,
        to: JobStage,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let advanced = sqlx::query(
            "UPDATE generation_jobs SET stage = $4, updated_at = $3 \
             WHERE id = $1 AND lease_owner = $2 AND status = 'running' AND stage = $5",
        )
        .bind(job_id)
        .bind(lease)
        .bind(now)
        .bind(to.as_str())
        .bind(from.as_str())
        .execute(&mut **tx)
        .await?;
        Ok(DB::rows_affected(&advanced) == 1)
    }
});

impl_for_backends!(GenerationStore {
    #[tracing::instrument(skip_all, fields(user_id = %new.user_id, cost = new.cost))]
    async fn reserve_generation(&self, new: NewGeneration) -> StoreResult<Reservation> {
        let mut tx = self.begin_write().await?;
        // The lock first: concurrent confirmations of one user queue here, so each one
        // sees the holds of those before it.
        lock_user(&mut tx, new.user_id).await?;
        let existing: Option<(Uuid, Uuid)> = sqlx::query_as(
            "SELECT h.content_item_id, j.id FROM credit_holds h \
             JOIN generation_jobs j ON j.content_item_id = h.content_item_id \
             WHERE h.hold_key = $1 AND h.user_id = $2",
        )
        .bind(new.hold_key.as_str())
        .bind(new.user_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((content_id, job_id)) = existing {
            return Ok(Reservation::Existing(GenerationIds { content_id, job_id }));
        }
        let (balance, held): (i64, i64) = sqlx::query_as(
            "SELECT u.credit_balance, \
               (SELECT CAST(COALESCE(SUM(h.amount), 0) AS BIGINT) FROM credit_holds h \
                WHERE h.user_id = u.id AND h.status = 'open') \
             FROM users u WHERE u.id = $1",
        )
        .bind(new.user_id)
        .fetch_one(&mut *tx)
        .await?;
        let available = balance - held;
        if available < new.cost {
            return Ok(Reservation::Insufficient {
                required: new.cost,
                available,
            });
        }
        let version: i64 = match new.parent_id {
            Some(parent) => {
                let parent_version: Option<i64> = sqlx::query_scalar(
                    "SELECT version FROM content_items \
                     WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL",
                )
                .bind(parent)
                .bind(new.user_id)
                .fetch_optional(&mut *tx)
                .await?;
                parent_version.ok_or(StoreError::NotFound)? + 1
            }
            None => 1,
        };
        sqlx::query(
            "INSERT INTO content_items (id, user_id, content_type, status, context, version, \
             parent_id, session_id, cost, created_at, updated_at) \
             VALUES ($1, $2, $3, 'generating', $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(new.content_id)
        .bind(new.user_id)
        .bind(new.content_type.as_str())
        .bind(Json(new.context))
        .bind(version)
        .bind(new.parent_id)
        .bind(new.session_id)
        .bind(new.cost)
        .bind(new.now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO credit_holds (id, user_id, amount, hold_key, status, content_item_id, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, 'open', $5, $6, $6)",
        )
        .bind(new.hold_id)
        .bind(new.user_id)
        .bind(new.cost)
        .bind(new.hold_key.as_str())
        .bind(new.content_id)
        .bind(new.now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO generation_jobs (id, content_item_id, user_id, hold_id, session_id, \
             stage, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'text', 'pending', $6, $6)",
        )
        .bind(new.job_id)
        .bind(new.content_id)
        .bind(new.user_id)
        .bind(new.hold_id)
        .bind(new.session_id)
        .bind(new.now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Reservation::Created(GenerationIds {
            content_id: new.content_id,
            job_id: new.job_id,
        }))
    }

    async fn claim_job(
        &self,
        job_id: Uuid,
        lease: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> StoreResult<Option<Job>> {
        let claimed = sqlx::query(
            "UPDATE generation_jobs SET status = 'running', lease_owner = $2, \
             lease_expires_at = $4, attempts = attempts + 1, updated_at = $3 \
             WHERE id = $1 AND status IN ('pending', 'running') \
               AND (lease_expires_at IS NULL OR lease_expires_at < $3) AND attempts < $5",
        )
        .bind(job_id)
        .bind(lease)
        .bind(now)
        .bind(lease_until)
        .bind(MAX_JOB_CLAIMS)
        .execute(&self.writer)
        .await?;
        if DB::rows_affected(&claimed) == 0 {
            return Ok(None);
        }
        let row: JobRow = sqlx::query_as(JOB_BY_ID)
            .bind(job_id)
            .fetch_one(&self.writer)
            .await?;
        row.try_into().map(Some)
    }

    async fn claim_free_jobs(
        &self,
        lease: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<Job>> {
        let claim = format!(
            "UPDATE generation_jobs SET status = 'running', lease_owner = $1, \
             lease_expires_at = $3, attempts = attempts + 1, updated_at = $2 \
             WHERE id IN (SELECT id FROM generation_jobs \
               WHERE status IN ('pending', 'running') \
                 AND (lease_expires_at IS NULL OR lease_expires_at < $2) AND attempts < $5 \
               ORDER BY created_at LIMIT $4{}) \
             RETURNING id",
            DB::SKIP_LOCKED
        );
        let mut tx = self.begin_write().await?;
        let ids: Vec<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(claim))
            .bind(lease)
            .bind(now)
            .bind(lease_until)
            .bind(limit)
            .bind(MAX_JOB_CLAIMS)
            .fetch_all(&mut *tx)
            .await?;
        let mut jobs = Vec::with_capacity(ids.len());
        for id in ids {
            let row: JobRow = sqlx::query_as(JOB_BY_ID).bind(id).fetch_one(&mut *tx).await?;
            jobs.push(row.try_into()?);
        }
        tx.commit().await?;
        Ok(jobs)
    }

    async fn renew_lease(
        &self,
        job_id: Uuid,
        lease: &str,
        lease_until: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let renewed = sqlx::query(
            "UPDATE generation_jobs SET lease_expires_at = $3 \
             WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
        )
        .bind(job_id)
        .bind(lease)
        .bind(lease_until)
        .execute(&self.writer)
        .await?;
        Ok(DB::rows_affected(&renewed) == 1)
    }

    #[tracing::instrument(skip_all, fields(job_id = %job_id))]
    async fn save_generated_text(
        &self,
        job_id: Uuid,
        lease: &str,
        text: GeneratedText,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        if !<Self as Settle<DB>>::advance(&mut tx, job_id, lease, JobStage::Text, JobStage::Audio, now)
            .await?
        {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE content_items SET title = $2, content_text = $3, structure = $4, tags = $5, \
             depth = $6, duration_seconds = $7, updated_at = $8, title_folded = $9 \
             WHERE id = (SELECT content_item_id FROM generation_jobs WHERE id = $1)",
        )
        .bind(job_id)
        .bind(text.title.as_str())
        .bind(text.text)
        .bind(Json(text.structure))
        .bind(Json(json!(text.tags)))
        .bind(text.depth.as_str())
        .bind(text.duration_seconds)
        .bind(now)
        .bind(crate::text::fold(&text.title))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    #[tracing::instrument(skip_all, fields(job_id = %job_id))]
    async fn save_generated_audio(
        &self,
        job_id: Uuid,
        lease: &str,
        audio: GeneratedAudio,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        if !<Self as Settle<DB>>::advance(
            &mut tx,
            job_id,
            lease,
            JobStage::Audio,
            JobStage::Capture,
            now,
        )
        .await?
        {
            return Ok(false);
        }
        let item_id: Uuid =
            sqlx::query_scalar("SELECT content_item_id FROM generation_jobs WHERE id = $1")
                .bind(job_id)
                .fetch_one(&mut *tx)
                .await?;
        let Json(mut metadata): Json<Value> =
            sqlx::query_scalar("SELECT metadata FROM content_items WHERE id = $1")
                .bind(item_id)
                .fetch_one(&mut *tx)
                .await?;
        if !metadata.is_object() {
            metadata = json!({});
        }
        metadata["audio"] = audio.details;
        metadata["audio"]["seconds"] = json!(audio.seconds);
        sqlx::query(
            "UPDATE content_items SET audio_url = $2, audio_duration = $3, audio_format = $4, \
             voice_id = $5, metadata = $6, duration_seconds = $3, updated_at = $7 WHERE id = $1",
        )
        .bind(item_id)
        .bind(audio.key)
        .bind(audio.seconds.round() as i64)
        .bind(audio.format)
        .bind(audio.voice_id)
        .bind(Json(metadata))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    #[tracing::instrument(skip_all, fields(job_id = %job_id))]
    async fn finish_job(&self, job_id: Uuid, lease: &str, now: DateTime<Utc>) -> StoreResult<Finish> {
        let mut tx = self.begin_write().await?;
        let (user_id, job) = <Self as Settle<DB>>::settlement(&mut tx, job_id).await?;
        if job.hold_status == "captured" {
            return Ok(Finish::AlreadyCharged);
        }
        // The job's row first: on PostgreSQL this waits for, or shuts out, a claim
        // running beside us, and the lease is checked at the moment of writing.
        if !<Self as Settle<DB>>::end_job(&mut tx, job_id, lease, "succeeded", None, now).await? {
            return Ok(Finish::LeaseLost);
        }
        let charged = <Self as LedgerWrites<DB>>::apply(
            &mut tx,
            NewLedgerEntry {
                id: Uuid::now_v7(),
                user_id,
                kind: LedgerType::Consumption,
                amount: -job.amount,
                content_item_id: Some(job.content_item_id),
                content_type: Some(job.content_type),
                metadata: json!({ "hold_id": job.hold_id, "session_id": job.session_id }),
                now,
            },
        )
        .await?;
        sqlx::query("UPDATE credit_holds SET status = 'captured', updated_at = $2 WHERE id = $1")
            .bind(job.hold_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE content_items SET status = 'ready', updated_at = $2 WHERE id = $1")
            .bind(job.content_item_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Finish::Charged {
            balance_after: charged.balance_after,
        })
    }

    #[tracing::instrument(skip_all, fields(job_id = %job_id))]
    async fn fail_job(
        &self,
        job_id: Uuid,
        lease: &str,
        error: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let (_, job) = <Self as Settle<DB>>::settlement(&mut tx, job_id).await?;
        if !<Self as Settle<DB>>::end_job(&mut tx, job_id, lease, "failed", Some(error), now).await? {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE credit_holds SET status = 'released', updated_at = $2 \
             WHERE id = $1 AND status = 'open'",
        )
        .bind(job.hold_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE content_items SET status = 'failed', updated_at = $2 WHERE id = $1")
            .bind(job.content_item_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn settle_abandoned_jobs(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let given_up = sqlx::query(
            "UPDATE generation_jobs SET status = 'failed', lease_owner = NULL, \
             lease_expires_at = NULL, last_error = $2, updated_at = $1 \
             WHERE status IN ('pending', 'running') AND attempts >= $3 \
               AND (lease_expires_at IS NULL OR lease_expires_at < $1)",
        )
        .bind(now)
        .bind(format!("given up after {MAX_JOB_CLAIMS} claims"))
        .bind(MAX_JOB_CLAIMS)
        .execute(&mut *tx)
        .await?;
        if DB::rows_affected(&given_up) > 0 {
            tracing::warn!(jobs = DB::rows_affected(&given_up), "gave up generation jobs");
        }
        let released = sqlx::query(
            "UPDATE credit_holds SET status = 'released', updated_at = $1 \
             WHERE status = 'open' AND NOT EXISTS (SELECT 1 FROM generation_jobs j \
               WHERE j.content_item_id = credit_holds.content_item_id \
                 AND j.status IN ('pending', 'running'))",
        )
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE content_items SET status = 'failed', updated_at = $1 \
             WHERE status = 'generating' AND NOT EXISTS (SELECT 1 FROM generation_jobs j \
               WHERE j.content_item_id = content_items.id AND j.status IN ('pending', 'running'))",
        )
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(DB::rows_affected(&released))
    }

    async fn content_item(&self, id: Uuid, user_id: Uuid) -> StoreResult<Option<ContentItem>> {
        let row: Option<ContentRow> = sqlx::query_as(concat!(
            "SELECT ",
            content_columns!(),
            " FROM content_items WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL"
        ))
        .bind(id)
        .bind(user_id)
        .fetch_optional(&self.reader)
        .await?;
        row.map(ContentItem::try_from).transpose()
    }
});
