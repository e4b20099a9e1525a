use actix_web::web;
use serde::Deserialize;
use utoipa::ToSchema;

use super::AuthResponse;
use crate::audit::{Actor, action};
use crate::auth::AuthError;
use crate::domain::MAX_PASSWORD_INPUT_BYTES;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// Not `Debug`: it carries a password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "user@example.com")]
    pub email: String,
    pub password: String,
}

/// Signs in with email and password.
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = AuthResponse),
        (status = 400, description = "Malformed body", body = ErrorEnvelope),
        (status = 401, description = "`INVALID_CREDENTIALS` (same for unknown email and wrong password)", body = ErrorEnvelope),
        (status = 403, description = "`ACCOUNT_SUSPENDED`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn login(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<web::Json<AuthResponse>, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    if password.len() > MAX_PASSWORD_INPUT_BYTES {
        return Err(ApiError::validation("password", "is too long"));
    }
    match state.accounts.log_in(&email, password).await {
        Ok(session) => Ok(web::Json(session.into())),
        Err(e @ (AuthError::InvalidCredentials | AuthError::Suspended)) => {
            let ip = crate::http::client_ip(&req, &state);
            state
                .audit
                .record(
                    Actor {
                        ip,
                        ..Actor::default()
                    },
                    action::LOGIN_FAILED,
                    None,
                    serde_json::json!({
                        "email": crate::text::truncate_chars(email.trim(), 254),
                        "reason": e.to_string(),
                    }),
                )
                .await;
            Err(e.into())
        }
        Err(e) => Err(e.into()),
    }
}
