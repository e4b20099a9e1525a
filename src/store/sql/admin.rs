use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::types::Json;
use uuid::Uuid;

use super::conversations::{AlertRow, alert_columns};
use super::impl_for_backends;
use super::library::like_pattern;
use super::users::{UserRow, user_columns};
use crate::domain::PageRequest;
use crate::store::market::{AdminStore, AlertReview, AuditEntry, AuditQuery, UserQuery};
use crate::store::{CrisisAlert, StoreError, StoreResult, User};

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: Uuid,
    actor_id: Option<Uuid>,
    actor_role: Option<String>,
    action: String,
    target_type: Option<String>,
    target_id: Option<String>,
    details: Json<Value>,
    ip: Option<String>,
    created_at: DateTime<Utc>,
}

/// The `WHERE` of the user search: `$1` pattern, `$2` role, `$3` status.
const USER_FILTER: &str = "deleted_at IS NULL \
     AND ($1 IS NULL OR LOWER(email) LIKE $1 ESCAPE '\\' \
          OR LOWER(COALESCE(display_name, '')) LIKE $1 ESCAPE '\\') \
     AND ($2 IS NULL OR role = $2) AND ($3 IS NULL OR status = $3)";

/// The `WHERE` of the audit log: `$1` action, `$2` actor, `$3` target.
const AUDIT_FILTER: &str = "($1 IS NULL OR action = $1) AND ($2 IS NULL OR actor_id = $2) \
     AND ($3 IS NULL OR target_id = $3)";

impl_for_backends!(AdminStore {
    async fn list_users(
        &self,
        query: &UserQuery,
        page: PageRequest,
    ) -> StoreResult<(Vec<User>, u64)> {
        let pattern = query.search.as_deref().map(like_pattern);
        let role = query.role.map(|r| r.as_str());
        let status = query.status.map(|s| s.as_str());
        let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM users WHERE {USER_FILTER}"
        )))
        .bind(pattern.as_deref())
        .bind(role)
        .bind(status)
        .fetch_one(&self.reader)
        .await?;
        let rows: Vec<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM users WHERE {USER_FILTER} \
             ORDER BY created_at DESC, id DESC LIMIT $4 OFFSET $5",
            user_columns!()
        )))
        .bind(pattern.as_deref())
        .bind(role)
        .bind(status)
        .bind(i64::from(page.limit()))
        .bind(page.offset())
        .fetch_all(&self.reader)
        .await?;
        let users = rows
            .into_iter()
            .map(User::try_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((users, u64::try_from(total).unwrap_or(0)))
    }

    async fn crisis_alerts(
        &self,
        status: Option<&str>,
        page: PageRequest,
    ) -> StoreResult<(Vec<CrisisAlert>, u64)> {
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM crisis_alerts WHERE ($1 IS NULL OR status = $1)",
        )
        .bind(status)
        .fetch_one(&self.reader)
        .await?;
        let rows: Vec<AlertRow> = sqlx::query_as(concat!(
            "SELECT ",
            alert_columns!(),
            " FROM crisis_alerts WHERE ($1 IS NULL OR status = $1) \
             ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(status)
        .bind(i64::from(page.limit()))
        .bind(page.offset())
        .fetch_all(&self.reader)
        .await?;
        let alerts = rows
            .into_iter()
            .map(CrisisAlert::try_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((alerts, u64::try_from(total).unwrap_or(0)))
    }

    #[tracing::instrument(skip_all, fields(alert_id = %review.id))]
    async fn review_crisis_alert(&self, review: AlertReview) -> StoreResult<CrisisAlert> {
        let mut tx = self.begin_write().await?;
        let row: AlertRow = sqlx::query_as(concat!(
            "UPDATE crisis_alerts SET status = $2, reviewed_by = $3, reviewed_at = $4, \
             resolution_notes = COALESCE($5, resolution_notes), updated_at = $4 \
             WHERE id = $1 RETURNING ",
            alert_columns!()
        ))
        .bind(review.id)
        .bind(&review.status)
        .bind(review.reviewer_id)
        .bind(review.now)
        .bind(review.notes.as_deref())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        row.try_into()
    }

    async fn record_audit(&self, entry: AuditEntry) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO audit_log (id, actor_id, actor_role, action, target_type, target_id, \
             details, ip, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(entry.id)
        .bind(entry.actor_id)
        .bind(entry.actor_role.as_deref())
        .bind(&entry.action)
        .bind(entry.target_type.as_deref())
        .bind(entry.target_id.as_deref())
        .bind(Json(entry.details))
        .bind(entry.ip.as_deref())
        .bind(entry.created_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn audit_log(
        &self,
        query: &AuditQuery,
        page: PageRequest,
    ) -> StoreResult<(Vec<AuditEntry>, u64)> {
        let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM audit_log WHERE {AUDIT_FILTER}"
        )))
        .bind(query.action.as_deref())
        .bind(query.actor_id)
        .bind(query.target_id.as_deref())
        .fetch_one(&self.reader)
        .await?;
        let rows: Vec<AuditRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, actor_id, actor_role, action, target_type, target_id, details, ip, \
             created_at FROM audit_log WHERE {AUDIT_FILTER} \
             ORDER BY created_at DESC, id DESC LIMIT $4 OFFSET $5"
        )))
        .bind(query.action.as_deref())
        .bind(query.actor_id)
        .bind(query.target_id.as_deref())
        .bind(i64::from(page.limit()))
        .bind(page.offset())
        .fetch_all(&self.reader)
        .await?;
        let entries = rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                actor_id: r.actor_id,
                actor_role: r.actor_role,
                action: r.action,
                target_type: r.target_type,
                target_id: r.target_id,
                details: r.details.0,
                ip: r.ip,
                created_at: r.created_at,
            })
            .collect();
        Ok((entries, u64::try_from(total).unwrap_or(0)))
    }
});
