use actix_web::web;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::domain::{ContentType, PageParams, Pagination};
use crate::error::{ApiError, ErrorEnvelope};
use crate::library::PracticeStats;
use crate::state::AppState;
use crate::store::PracticeEvent;
use crate::time::now;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// Only plays of this item (also accepted as `content_id`).
    #[serde(alias = "content_id")]
    pub ritual_id: Option<Uuid>,
}

/// One play, completed or not.
#[derive(Debug, Serialize, ToSchema)]
pub struct PracticeEventView {
    pub id: Uuid,
    /// The item played.
    pub ritual_id: Uuid,
    pub ritual_title: Option<String>,
    pub content_type: ContentType,
    pub started_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    /// Seconds practised.
    pub duration: Option<i64>,
    /// `device` and `context` as the client reported them.
    #[schema(value_type = Object)]
    pub metadata: serde_json::Value,
}

impl From<PracticeEvent> for PracticeEventView {
    fn from(event: PracticeEvent) -> Self {
        PracticeEventView {
            id: event.id,
            ritual_id: event.content_id,
            ritual_title: event.content_title,
            content_type: event.content_type,
            started_at: event.started_at,
            completed_at: event.completed_at,
            duration: event.duration_seconds,
            metadata: event.metadata,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryResponse {
    pub practice_events: Vec<PracticeEventView>,
    pub pagination: Pagination,
}

/// The caller's plays, newest first (plays of items deleted since stay in the history).
#[utoipa::path(
    get, path = "/api/v1/users/me/history", tag = "practice",
    security(("bearer" = [])),
    params(PageParams, HistoryQuery),
    responses(
        (status = 200, body = HistoryResponse),
        (status = 400, description = "`INVALID_QUERY`", body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: the item filtered on is not the caller's", body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR`: page or limit of 0", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn history(
    state: web::Data<AppState>,
    auth: AuthUser,
    page: web::Query<PageParams>,
    query: web::Query<HistoryQuery>,
) -> Result<web::Json<HistoryResponse>, ApiError> {
    let page = page.parse()?;
    if let Some(item) = query.ritual_id {
        // Deleted items keep their history, so this looks past deletion.
        if !state.store.owns_content(item, auth.id).await? {
            return Err(ApiError::not_found("content item"));
        }
    }
    let (events, total) = state
        .store
        .practice_history(auth.id, query.ritual_id, page)
        .await?;
    Ok(web::Json(HistoryResponse {
        practice_events: events.into_iter().map(PracticeEventView::from).collect(),
        pagination: Pagination::new(page, total),
    }))
}

/// Practice totals and streaks. Days are counted in the caller's time zone (the
/// `timezone` preference, UTC by default); a day counts when a practice was completed in it.
#[utoipa::path(
    get, path = "/api/v1/users/me/stats", tag = "practice",
    security(("bearer" = [])),
    responses(
        (status = 200, body = PracticeStats),
        (status = 401, body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn stats(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> Result<web::Json<PracticeStats>, ApiError> {
    let user = state.library.profile(auth.id).await?;
    let tz: chrono_tz::Tz = user.preferences.timezone.parse().unwrap_or_else(|_| {
        tracing::warn!(timezone = %user.preferences.timezone, "stored time zone unknown; using UTC");
        chrono_tz::Tz::UTC
    });
    let (records, plays) = state.store.practice_records(auth.id).await?;
    Ok(web::Json(crate::library::stats::practice_stats(
        &records,
        plays,
        tz,
        now(),
    )))
}
