use actix_web::web;
use serde::Deserialize;
use utoipa::ToSchema;

use super::TokenPair;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// Not `Debug`: it carries a token.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Exchanges a refresh token for a new pair. Each refresh token works once; presenting
/// one again revokes every token of that sign-in.
#[utoipa::path(
    post, path = "/api/v1/auth/refresh", tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New token pair", body = TokenPair),
        (status = 400, description = "Malformed body", body = ErrorEnvelope),
        (status = 401, description = "`INVALID_REFRESH_TOKEN`: unknown, expired, used or revoked", body = ErrorEnvelope),
        (status = 403, description = "`ACCOUNT_SUSPENDED`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn refresh(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> Result<web::Json<TokenPair>, ApiError> {
    let session = state.accounts.refresh(&body.refresh_token).await?;
    Ok(web::Json(session.into()))
}
