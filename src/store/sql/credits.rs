use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::types::Json;
use uuid::Uuid;

use super::impl_for_backends;
use crate::domain::{LedgerType, PageRequest};
use crate::store::{
    CreditStore, CreditSummary, LedgerEntry, NewLedgerEntry, StoreError, StoreResult,
};

macro_rules! ledger_columns {
    () => {
        "id, user_id, transaction_type, amount, balance_after, content_item_id, content_type, \
         metadata, created_at"
    };
}

#[derive(sqlx::FromRow)]
struct LedgerRow {
    id: Uuid,
    user_id: Uuid,
    transaction_type: String,
    amount: i64,
    balance_after: i64,
    content_item_id: Option<Uuid>,
    content_type: Option<String>,
    metadata: Json<Value>,
    created_at: DateTime<Utc>,
}

impl TryFrom<LedgerRow> for LedgerEntry {
    type Error = StoreError;

    fn try_from(row: LedgerRow) -> Result<Self, Self::Error> {
        Ok(LedgerEntry {
            kind: row.transaction_type.parse().map_err(|e: String| {
                StoreError::Other(anyhow::anyhow!("ledger {}: {e}", row.id))
            })?,
            id: row.id,
            user_id: row.user_id,
            amount: row.amount,
            balance_after: row.balance_after,
            content_item_id: row.content_item_id,
            content_type: row.content_type,
            metadata: row.metadata.0,
            created_at: row.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    credit_balance: i64,
    held: i64,
    has_consumed: bool,
    last_transaction_at: Option<DateTime<Utc>>,
}

impl_for_backends!(CreditStore {
    async fn credit_summary(&self, user_id: Uuid) -> StoreResult<CreditSummary> {
        let row: SummaryRow = sqlx::query_as(
            "SELECT u.credit_balance, \
               (SELECT CAST(COALESCE(SUM(h.amount), 0) AS BIGINT) FROM credit_holds h \
                WHERE h.user_id = u.id AND h.status = 'open') AS held, \
               EXISTS (SELECT 1 FROM credit_transactions c \
                       WHERE c.user_id = u.id AND c.transaction_type = 'consumption') \
                 AS has_consumed, \
               (SELECT MAX(c.created_at) FROM credit_transactions c WHERE c.user_id = u.id) \
                 AS last_transaction_at \
             FROM users u WHERE u.id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.reader)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(CreditSummary {
            balance: row.credit_balance,
            held: row.held,
            has_consumed: row.has_consumed,
            last_transaction_at: row.last_transaction_at,
        })
    }

    async fn list_ledger(
        &self,
        user_id: Uuid,
        kind: Option<LedgerType>,
        page: PageRequest,
    ) -> StoreResult<(Vec<LedgerEntry>, u64)> {
        let kind = kind.map(LedgerType::as_str);
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM credit_transactions \
             WHERE user_id = $1 AND ($2 IS NULL OR transaction_type = $2)",
        )
        .bind(user_id)
        .bind(kind)
        .fetch_one(&self.reader)
        .await?;
        let rows: Vec<LedgerRow> = sqlx::query_as(concat!(
            "SELECT ",
            ledger_columns!(),
            " FROM credit_transactions \
             WHERE user_id = $1 AND ($2 IS NULL OR transaction_type = $2) \
             ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
        ))
        .bind(user_id)
        .bind(kind)
        .bind(i64::from(page.limit()))
        .bind(page.offset())
        .fetch_all(&self.reader)
        .await?;
        let entries = rows
            .into_iter()
            .map(LedgerEntry::try_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((entries, u64::try_from(total).unwrap_or(0)))
    }

    async fn ledger_of_user(&self, user_id: Uuid) -> StoreResult<Vec<LedgerEntry>> {
        let rows: Vec<LedgerRow> = sqlx::query_as(concat!(
            "SELECT ",
            ledger_columns!(),
            " FROM credit_transactions WHERE user_id = $1 ORDER BY created_at, id"
        ))
        .bind(user_id)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter().map(LedgerEntry::try_from).collect()
    }

    #[tracing::instrument(skip_all, fields(user_id = %entry.user_id, kind = entry.kind.as_str(), amount = entry.amount))]
    async fn append_ledger(&self, entry: NewLedgerEntry) -> StoreResult<LedgerEntry> {
        let mut tx = self.begin_write().await?;
        let row = <Self as LedgerWrites<DB>>::apply(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(row)
    }
});

/// Ledger writes inside a caller's transaction (a generation's charge, a purchase).
#[async_trait::async_trait]
pub(super) trait LedgerWrites<DB: sqlx::Database> {
    /// Moves the balance by the entry's amount and records the row with its
    /// `balance_after`; `Conflict` when the balance would go below zero.
    async fn apply(
        tx: &mut sqlx::Transaction<'static, DB>,
        entry: NewLedgerEntry,
    ) -> StoreResult<LedgerEntry>;
}

impl_for_backends!(LedgerWrites<DB> {
    async fn apply(
        tx: &mut sqlx::Transaction<'static, DB>,
        entry: NewLedgerEntry,
    ) -> StoreResult<LedgerEntry> {
        let balance: Option<i64> = sqlx::query_scalar(
            "UPDATE users SET credit_balance = credit_balance + $2 \
             WHERE id = $1 AND credit_balance + $2 >= 0 RETURNING credit_balance",
        )
        .bind(entry.user_id)
        .bind(entry.amount)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(balance_after) = balance else {
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT credit_balance FROM users WHERE id = $1")
                    .bind(entry.user_id)
                    .fetch_optional(&mut **tx)
                    .await?;
            return Err(match exists {
                Some(_) => StoreError::Conflict("insufficient credits".into()),
                None => StoreError::NotFound,
            });
        };
        let row: LedgerRow = sqlx::query_as(concat!(
            "INSERT INTO credit_transactions (id, user_id, transaction_type, amount, balance_after, \
             content_item_id, content_type, metadata, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ",
            ledger_columns!()
        ))
        .bind(entry.id)
        .bind(entry.user_id)
        .bind(entry.kind.as_str())
        .bind(entry.amount)
        .bind(balance_after)
        .bind(entry.content_item_id)
        .bind(entry.content_type)
        .bind(Json(entry.metadata))
        .bind(entry.now)
        .fetch_one(&mut **tx)
        .await?;
        row.try_into()
    }
});
