use actix_web::web;
use uuid::Uuid;

use crate::actors::protocol::ContentView;
use crate::auth::AuthUser;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// One item of the caller's library (or of a pack they hold), with a fresh playback URL for its audio (the item
/// is cached for an hour under `ritual:{id}:metadata`; the URL is signed per read).
/// Another user's item answers 404.
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
    let item = state.library.viewable(user.id, id.into_inner()).await?;
    Ok(web::Json(signed(&state, item).await))
}

/// The view of an item with a playback URL signed for this answer.
pub(super) async fn signed(state: &AppState, item: crate::store::ContentItem) -> ContentView {
    ContentView::signed(item, state.blobs.as_ref(), state.config.media_url_ttl).await
}
