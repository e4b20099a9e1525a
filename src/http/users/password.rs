use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::domain::MAX_PASSWORD_INPUT_BYTES;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// Not `Debug`: it carries passwords.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    /// Same strength rule as at registration.
    pub new_password: String,
}

/// Changes the caller's password. Every sign-in of the account ends (refresh tokens are
/// revoked); sign in again with the new password.
#[utoipa::path(
    post, path = "/api/v1/users/me/password", tag = "users",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Password changed"),
        (status = 401, body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR`: wrong current password or weak new one", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn change_password(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let ChangePasswordRequest {
        current_password,
        new_password,
    } = body.into_inner();
    if current_password.len() > MAX_PASSWORD_INPUT_BYTES {
        return Err(ApiError::validation("current_password", "is incorrect"));
    }
    state
        .accounts
        .change_password(auth.id, current_password, &new_password)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
