use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// Not `Debug`: it carries a token.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogoutRequest {
    pub refresh_token: String,
}

/// Ends a sign-in: its refresh tokens stop working. Access tokens already issued stay
/// valid until they expire (at most 15 minutes). Unknown tokens are accepted silently.
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "auth",
    request_body = LogoutRequest,
    responses(
        (status = 204, description = "Signed out"),
        (status = 400, description = "Malformed body", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn logout(
    state: web::Data<AppState>,
    body: web::Json<LogoutRequest>,
) -> Result<HttpResponse, ApiError> {
    state.accounts.log_out(&body.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}
