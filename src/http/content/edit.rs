use actix_web::web;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::fields::{parse_folder, parse_tags, parse_title};
use super::get::signed;
use crate::actors::protocol::ContentView;
use crate::auth::AuthUser;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use crate::store::ContentUpdate;
use crate::time::now;

/// A partial update: absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateContentRequest {
    /// 1 to 120 characters.
    pub title: Option<String>,
    /// Replaces the tags: at most 20, each 1 to 32 letters, digits, spaces, `-` or `_`
    /// (stored lowercase, without repeats).
    pub tags: Option<Vec<String>>,
    /// The folder to file it in; `null` takes it out of its folder.
    #[serde(default, deserialize_with = "crate::domain::present")]
    #[schema(value_type = Option<String>, nullable)]
    pub folder: Option<Option<String>>,
}

/// Renames, retags or refiles an item. Refused while it is being generated.
#[utoipa::path(
    patch, path = "/api/v1/content/{id}", tag = "content",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The item")),
    request_body = UpdateContentRequest,
    responses(
        (status = 200, description = "The updated item", body = ContentView),
        (status = 400, description = "`INVALID_BODY`: malformed body or unknown field", body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONTENT_NOT_READY`", body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(content_id = %id))]
pub async fn update_content(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: web::Json<UpdateContentRequest>,
) -> Result<web::Json<ContentView>, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let update = ContentUpdate {
        title: body.title.as_deref().map(parse_title).transpose()?,
        tags: body.tags.as_deref().map(parse_tags).transpose()?,
        folder: body
            .folder
            .map(|f| f.as_deref().map(parse_folder).transpose())
            .transpose()?,
        now: now(),
    };
    let item = if update.title.is_none() && update.tags.is_none() && update.folder.is_none() {
        state.library.item(auth.id, id).await?
    } else {
        state.library.update(auth.id, id, update).await?
    };
    Ok(web::Json(signed(&state, item).await))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeletedResponse {
    /// `deleted`.
    pub status: &'static str,
    pub content_item_id: Uuid,
}

/// Deletes an item: it leaves every list and route at once, its share link stops
/// working and its audio object is removed. Practice history keeps its past plays.
#[utoipa::path(
    delete, path = "/api/v1/content/{id}", tag = "content",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The item")),
    responses(
        (status = 200, body = DeletedResponse),
        (status = 401, body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND` (also when already deleted)", body = ErrorEnvelope),
        (status = 409, description = "`CONTENT_NOT_READY`: still being generated", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(content_id = %id))]
pub async fn delete_content(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<DeletedResponse>, ApiError> {
    let id = id.into_inner();
    state.library.delete(auth.id, id).await?;
    Ok(web::Json(DeletedResponse {
        status: "deleted",
        content_item_id: id,
    }))
}
