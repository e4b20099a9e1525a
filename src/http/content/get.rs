use actix_web::web;
use uuid::Uuid;

use crate::actors::protocol::ContentView;
use crate::auth::AuthUser;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// One item of the caller's library, with a fresh playback URL for its audio. Another
/// user's item answers 404.
#[utoipa::path(
    get, path = "/api/v1/content/{id}", tag = "content",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The item")),
    responses(
        (status = 200, body = ContentView),
        (status = 401, body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(content_id = %id))]
pub async fn get_content(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<ContentView>, ApiError> {
    let item = state
        .store
        .content_item(id.into_inner(), user.id)
        .await?
        .ok_or_else(|| ApiError::not_found("content item"))?;
    let view = ContentView::signed(item, state.blobs.as_ref(), state.config.media_url_ttl).await;
    Ok(web::Json(view))
}
