use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::types::Json;
use uuid::Uuid;

use super::impl_for_backends;
use crate::store::{
    ConversationRecord, ConversationStore, CrisisAlert, NewCrisisAlert, StoreError, StoreResult,
};

#[derive(sqlx::FromRow)]
struct ConversationRow {
    id: Uuid,
    user_id: Uuid,
    session_id: Uuid,
    content_type: String,
    messages: Json<Value>,
    state: Json<Value>,
    final_state: String,
    resulting_content_id: Option<Uuid>,
    created_at: DateTime<Utc>,
    completed_at: DateTime<Utc>,
}

impl TryFrom<ConversationRow> for ConversationRecord {
    type Error = StoreError;

    fn try_from(row: ConversationRow) -> Result<Self, Self::Error> {
        Ok(ConversationRecord {
            content_type: row.content_type.parse().map_err(|e: String| {
                StoreError::Other(anyhow::anyhow!("conversation {}: {e}", row.id))
            })?,
            id: row.id,
            user_id: row.user_id,
            session_id: row.session_id,
            messages: row.messages.0,
            state: row.state.0,
            final_state: row.final_state,
            resulting_content_id: row.resulting_content_id,
            created_at: row.created_at,
            completed_at: row.completed_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct AlertRow {
    id: Uuid,
    user_id: Uuid,
    session_id: Option<Uuid>,
    severity: String,
    trigger_type: String,
    detected_signals: Json<Value>,
    context: Option<String>,
    status: String,
    reviewed_by: Option<Uuid>,
    reviewed_at: Option<DateTime<Utc>>,
    resolution_notes: Option<String>,
    created_at: DateTime<Utc>,
}

/// The columns of [`AlertRow`], for `concat!` into statements.
macro_rules! alert_columns {
    () => {
        "id, user_id, session_id, severity, trigger_type, detected_signals, context, status, \
         reviewed_by, reviewed_at, resolution_notes, created_at"
    };
}
pub(super) use alert_columns;

impl TryFrom<AlertRow> for CrisisAlert {
    type Error = StoreError;

    fn try_from(row: AlertRow) -> Result<Self, Self::Error> {
        Ok(CrisisAlert {
            signals: serde_json::from_value(row.detected_signals.0)
                .map_err(|e| StoreError::Other(anyhow::anyhow!("alert {}: {e}", row.id)))?,
            id: row.id,
            user_id: row.user_id,
            session_id: row.session_id,
            severity: row.severity,
            trigger_type: row.trigger_type,
            context: row.context,
            status: row.status,
            reviewed_by: row.reviewed_by,
            reviewed_at: row.reviewed_at,
            resolution_notes: row.resolution_notes,
            created_at: row.created_at,
        })
    }
}

impl_for_backends!(ConversationStore {
    #[tracing::instrument(skip_all, fields(records = records.len()))]
    async fn save_conversations(&self, records: Vec<ConversationRecord>) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for record in records {
            sqlx::query(
                "INSERT INTO conversations (id, user_id, session_id, content_type, messages, \
                 state, final_state, resulting_content_id, created_at, completed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (session_id) DO UPDATE SET messages = excluded.messages, \
                   state = excluded.state, final_state = excluded.final_state, \
                   resulting_content_id = excluded.resulting_content_id, \
                   completed_at = excluded.completed_at",
            )
            .bind(record.id)
            .bind(record.user_id)
            .bind(record.session_id)
            .bind(record.content_type.as_str())
            .bind(Json(record.messages))
            .bind(Json(record.state))
            .bind(record.final_state)
            .bind(record.resulting_content_id)
            .bind(record.created_at)
            .bind(record.completed_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(user_id = %alert.user_id, severity = %alert.severity))]
    async fn insert_crisis_alert(&self, alert: NewCrisisAlert) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO crisis_alerts (id, user_id, session_id, severity, trigger_type, \
             detected_signals, context, status, resources_shown, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $9)",
        )
        .bind(alert.id)
        .bind(alert.user_id)
        .bind(alert.session_id)
        .bind(alert.severity)
        .bind(alert.trigger_type)
        .bind(Json(serde_json::json!(alert.signals)))
        .bind(alert.context)
        .bind(true)
        .bind(alert.now)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn conversations_of_user(&self, user_id: Uuid) -> StoreResult<Vec<ConversationRecord>> {
        let rows: Vec<ConversationRow> = sqlx::query_as(
            "SELECT id, user_id, session_id, content_type, messages, state, final_state, \
             resulting_content_id, created_at, completed_at FROM conversations \
             WHERE user_id = $1 ORDER BY created_at DESC, id DESC",
        )
        .bind(user_id)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter().map(ConversationRecord::try_from).collect()
    }

    async fn crisis_alerts_of_user(&self, user_id: Uuid) -> StoreResult<Vec<CrisisAlert>> {
        let rows: Vec<AlertRow> = sqlx::query_as(concat!(
            "SELECT ",
            alert_columns!(),
            " FROM crisis_alerts WHERE user_id = $1 ORDER BY created_at DESC, id DESC"
        ))
        .bind(user_id)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter().map(CrisisAlert::try_from).collect()
    }
});
