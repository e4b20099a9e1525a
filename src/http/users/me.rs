use actix_web::web;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::domain::{DisplayName, PreferencesPatch};
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use crate::store::ProfileUpdate;
use crate::time::now;

pub use crate::library::UserProfile;

/// A partial update: absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    /// New display name; `null` removes it.
    #[serde(default, deserialize_with = "crate::domain::present")]
    #[schema(value_type = Option<String>, nullable)]
    pub display_name: Option<Option<String>>,
    pub preferences: Option<PreferencesPatch>,
}

/// The caller's profile and preferences (cached for 15 minutes under
/// `user:{id}:profile`, refreshed by every change).
#[utoipa::path(
    get, path = "/api/v1/users/me", tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, body = UserProfile),
        (status = 401, description = "`UNAUTHORIZED`, `INVALID_TOKEN` or `TOKEN_EXPIRED`", body = ErrorEnvelope),
        (status = 403, description = "`ACCOUNT_SUSPENDED`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_me(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> Result<web::Json<UserProfile>, ApiError> {
    Ok(web::Json(state.library.profile(auth.id).await?))
}

/// Updates the display name and preferences (voice, pace, tone, time zone).
#[utoipa::path(
    put, path = "/api/v1/users/me", tag = "users",
    security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "The updated profile", body = UserProfile),
        (status = 400, description = "Malformed body or unknown field", body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_me(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<UpdateMeRequest>,
) -> Result<web::Json<UserProfile>, ApiError> {
    let body = body.into_inner();
    let display_name = body
        .display_name
        .map(|name| {
            name.map(|n| DisplayName::parse(&n).map(DisplayName::into_inner))
                .transpose()
        })
        .transpose()?;
    let preferences = body
        .preferences
        .map(PreferencesPatch::parse)
        .transpose()?
        .unwrap_or_default();
    if display_name.is_none() && preferences.is_empty() {
        return get_me(state, auth).await;
    }
    let user = state
        .store
        .update_profile(
            auth.id,
            ProfileUpdate {
                display_name,
                preferences,
                now: now(),
            },
        )
        .await?;
    state.library.profile_changed(auth.id).await;
    Ok(web::Json(user.into()))
}
