use actix_web::web;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct BalanceResponse {
    /// Credits held; always the sum of the ledger.
    #[schema(example = 5)]
    pub balance: i64,
    /// Set aside for items being generated (charged when they are ready).
    pub held: i64,
    /// What a new generation can use: balance minus held.
    pub available: i64,
    /// Whether any credit has been spent yet (the free one included).
    pub free_tier_used: bool,
    pub last_transaction_at: Option<DateTime<Utc>>,
}

/// The caller's credit balance.
#[utoipa::path(
    get, path = "/api/v1/credits/balance", tag = "credits",
    security(("bearer" = [])),
    responses(
        (status = 200, body = BalanceResponse),
        (status = 401, body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn balance(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> Result<web::Json<BalanceResponse>, ApiError> {
    let summary = state.store.credit_summary(auth.id).await?;
    Ok(web::Json(BalanceResponse {
        balance: summary.balance,
        held: summary.held,
        available: summary.balance - summary.held,
        free_tier_used: summary.has_consumed,
        last_transaction_at: summary.last_transaction_at,
    }))
}
