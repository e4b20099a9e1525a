use actix_web::http::StatusCode;
use actix_web::web;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::get::signed;
use crate::auth::AuthUser;
use crate::domain::ContentType;
use crate::error::{ApiError, ErrorEnvelope, code};
use crate::state::AppState;
use crate::store::ContentStatus;
use crate::time::now;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Text,
    Audio,
    /// The default.
    #[default]
    Both,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `text`, `audio` or `both` (default).
    #[param(inline)]
    pub format: Option<ExportFormat>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContentExport {
    pub id: Uuid,
    pub content_type: ContentType,
    pub title: Option<String>,
    /// With `text` or `both`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// With `audio` or `both`: a download URL signed for this answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_url_expires_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_format: Option<String>,
    pub exported_at: DateTime<Utc>,
}

/// The item's script, its audio, or both, to keep outside the app.
#[utoipa::path(
    get, path = "/api/v1/content/{id}/export", tag = "content",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The item"), ExportQuery),
    responses(
        (status = 200, body = ContentExport),
        (status = 400, description = "`INVALID_QUERY`: unknown format", body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONTENT_NOT_READY`, or `AUDIO_NOT_AVAILABLE` for an audio export of an item without audio", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(content_id = %id))]
pub async fn export_content(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    query: web::Query<ExportQuery>,
) -> Result<web::Json<ContentExport>, ApiError> {
    let format = query.format.unwrap_or_default();
    let item = state.library.item(auth.id, id.into_inner()).await?;
    if item.status != ContentStatus::Ready {
        return Err(crate::library::not_ready());
    }
    if format == ExportFormat::Audio && item.audio_url.is_none() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            code::AUDIO_NOT_AVAILABLE,
            "this item has no audio; export it as text",
        ));
    }
    let view = signed(&state, item).await;
    let with_audio = format != ExportFormat::Text;
    Ok(web::Json(ContentExport {
        id: view.id,
        content_type: view.content_type,
        title: view.title,
        text: view.content_text.filter(|_| format != ExportFormat::Audio),
        audio_url: view.audio_url.filter(|_| with_audio),
        audio_url_expires_at: view.audio_url_expires_at.filter(|_| with_audio),
        audio_format: view.audio_format.filter(|_| with_audio),
        exported_at: now(),
    }))
}
