use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::AuthResponse;
use crate::auth::{SignUp, WELCOME_CREDITS};
use crate::domain::{DisplayName, Email, Password, Role};
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// Not `Debug`: it carries a password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(example = "user@example.com")]
    pub email: String,
    /// 10 to 128 characters, at least 5 different ones, not a common password and not
    /// containing the email name.
    #[schema(example = "correct horse battery staple")]
    pub password: String,
    /// Optional name shown to others (1 to 60 characters).
    pub display_name: Option<String>,
}

/// Creates an account holding one free credit and signs it in.
#[utoipa::path(
    post, path = "/api/v1/auth/register", tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Account created and signed in", body = AuthResponse),
        (status = 400, description = "Malformed body", body = ErrorEnvelope),
        (status = 409, description = "`EMAIL_TAKEN`", body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR`: bad email or weak password", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn register(
    state: web::Data<AppState>,
    body: web::Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let email = Email::parse(&body.email)?;
    let password = Password::parse(&body.password, &email)?;
    let display_name = body
        .display_name
        .as_deref()
        .map(DisplayName::parse)
        .transpose()?;
    let session = state
        .accounts
        .register(SignUp {
            email,
            password,
            display_name,
            role: Role::User,
            initial_credits: WELCOME_CREDITS,
        })
        .await?;
    Ok(HttpResponse::Created().json(AuthResponse::from(session)))
}
