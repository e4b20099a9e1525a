use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::get::signed;
use crate::auth::AuthUser;
use crate::domain::ContentType;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use crate::store::Share;

/// The path of the public view of a share link.
pub const SHARED_PATH: &str = "/api/v1/shared";

/// An item's share link, as its owner sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShareView {
    /// The secret part of the link.
    pub token: String,
    /// Where anyone with the link sees the item (`{public_url}/api/v1/shared/{token}`).
    pub url: String,
    pub created_at: DateTime<Utc>,
}

fn share_view(state: &AppState, share: Share) -> ShareView {
    ShareView {
        url: format!(
            "{}{SHARED_PATH}/{}",
            state.config.public_url.as_deref().unwrap_or(""),
            share.token
        ),
        token: share.token,
        created_at: share.created_at,
    }
}

/// Creates the item's share link, or answers the one it already has (200). Anyone
/// with the link can read the item's title and text and play its audio; nothing else
/// of the owner shows.
#[utoipa::path(
    post, path = "/api/v1/content/{id}/share", tag = "sharing",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The item")),
    responses(
        (status = 201, description = "Created", body = ShareView),
        (status = 200, description = "The link the item already had", body = ShareView),
        (status = 401, body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONTENT_NOT_READY`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(content_id = %id))]
pub async fn create_share(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (share, created) = state.library.share(auth.id, id.into_inner()).await?;
    let view = share_view(&state, share);
    Ok(if created {
        tracing::info!("share link created");
        HttpResponse::Created().json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}

/// The item's active share link.
#[utoipa::path(
    get, path = "/api/v1/content/{id}/share", tag = "sharing",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The item")),
    responses(
        (status = 200, body = ShareView),
        (status = 401, body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: no such item, or it is not shared", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(content_id = %id))]
pub async fn get_share(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<ShareView>, ApiError> {
    let share = state.library.active_share(auth.id, id.into_inner()).await?;
    Ok(web::Json(share_view(&state, share)))
}

/// Revokes the item's share link: from this answer on, the link shows nothing.
#[utoipa::path(
    delete, path = "/api/v1/content/{id}/share", tag = "sharing",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The item")),
    responses(
        (status = 204, description = "Revoked (or there was no link)"),
        (status = 401, body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(content_id = %id))]
pub async fn revoke_share(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    state.library.unshare(auth.id, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// What a share link shows: the item, nothing of its owner.
#[derive(Debug, Serialize, ToSchema)]
pub struct SharedContentView {
    pub content_type: ContentType,
    pub title: Option<String>,
    pub content_text: Option<String>,
    /// Seconds.
    pub duration: Option<i64>,
    /// A playback URL signed for this answer.
    pub audio_url: Option<String>,
    pub audio_url_expires_at: Option<DateTime<Utc>>,
    pub audio_format: Option<String>,
    pub shared_at: DateTime<Utc>,
}

/// The item behind a share link. No sign-in; a revoked link, a deleted item or an
/// unknown token answer 404.
#[utoipa::path(
    get, path = "/api/v1/shared/{token}", tag = "sharing",
    params(("token" = String, Path, description = "The link's token")),
    responses(
        (status = 200, body = SharedContentView),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn shared_content(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (share, item) = state.library.shared(&token).await?;
    let view = signed(&state, item).await;
    Ok(HttpResponse::Ok()
        // The answer holds a short-lived signed URL and must stop at revocation.
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(SharedContentView {
            content_type: view.content_type,
            title: view.title,
            content_text: view.content_text,
            duration: view.duration,
            audio_url: view.audio_url,
            audio_url_expires_at: view.audio_url_expires_at,
            audio_format: view.audio_format,
            shared_at: share.created_at,
        }))
}
