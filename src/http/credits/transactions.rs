use actix_web::web;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::domain::{LedgerType, PageParams, Pagination};
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use crate::store::LedgerEntry;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TransactionsQuery {
    /// Only rows of this type.
    pub transaction_type: Option<LedgerType>,
}

/// One row of the credit ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransactionView {
    pub id: Uuid,
    #[serde(rename = "type")]
    pub kind: LedgerType,
    /// Positive when credits arrive, negative when they are spent.
    #[schema(example = -1)]
    pub amount: i64,
    pub balance_after: i64,
    /// The content item the credits paid for.
    pub ritual_id: Option<Uuid>,
    pub content_type: Option<String>,
    /// The credit pack bought (`starter`, `seeker`, `architect`).
    pub pack_id: Option<String>,
    /// Why the credits moved, in words.
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<LedgerEntry> for TransactionView {
    fn from(entry: LedgerEntry) -> Self {
        let text = |key: &str| {
            entry
                .metadata
                .get(key)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        TransactionView {
            pack_id: text("pack_id"),
            reason: text("reason"),
            id: entry.id,
            kind: entry.kind,
            amount: entry.amount,
            balance_after: entry.balance_after,
            ritual_id: entry.content_item_id,
            content_type: entry.content_type,
            created_at: entry.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TransactionsResponse {
    pub transactions: Vec<TransactionView>,
    pub pagination: Pagination,
}

/// The caller's credit ledger, newest first.
#[utoipa::path(
    get, path = "/api/v1/credits/transactions", tag = "credits",
    security(("bearer" = [])),
    params(PageParams, TransactionsQuery),
    responses(
        (status = 200, body = TransactionsResponse),
        (status = 400, description = "`INVALID_QUERY`", body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR`: page or limit of 0", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn transactions(
    state: web::Data<AppState>,
    auth: AuthUser,
    page: web::Query<PageParams>,
    filter: web::Query<TransactionsQuery>,
) -> Result<web::Json<TransactionsResponse>, ApiError> {
    let page = page.parse()?;
    let (entries, total) = state
        .store
        .list_ledger(auth.id, filter.transaction_type, page)
        .await?;
    Ok(web::Json(TransactionsResponse {
        transactions: entries.into_iter().map(TransactionView::from).collect(),
        pagination: Pagination::new(page, total),
    }))
}
