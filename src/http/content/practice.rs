use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Duration, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::error::{ApiError, ErrorEnvelope, code};
use crate::state::AppState;
use crate::store::{Completion, PracticeCompletion};
use crate::time::{now, stored};

/// How far ahead of the server's clock a client's time may be.
const CLOCK_SKEW: Duration = Duration::minutes(5);
/// How far back a play may be recorded (plays made offline are synced later).
const MAX_BACKDATE: Duration = Duration::days(30);
/// Longest practice one completion may report.
const MAX_DURATION_SECS: i64 = 24 * 60 * 60;
const MAX_DEVICE_CHARS: usize = 64;
const MAX_CONTEXT_CHARS: usize = 200;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlayRequest {
    /// When playback started (default: now); up to 30 days back.
    pub started_at: Option<DateTime<Utc>>,
    /// The device it plays on, e.g. `ios` (at most 64 characters).
    pub device: Option<String>,
    /// Where or when, in the person's words (at most 200 characters).
    pub context: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlayResponse {
    pub practice_event_id: Uuid,
    /// `started`.
    pub status: &'static str,
    pub started_at: DateTime<Utc>,
    /// The item's plays, this one included.
    pub play_count: i64,
}

/// A body that may be left out: empty means the defaults.
fn optional_body<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            code::INVALID_BODY,
            format!("the JSON body does not match the expected shape: {e}"),
        )
    })
}

fn not_after_now(at: DateTime<Utc>, field: &'static str) -> Result<(), ApiError> {
    if at > now() + CLOCK_SKEW {
        return Err(ApiError::validation(field, "is in the future"));
    }
    Ok(())
}

fn short_text(
    value: Option<String>,
    field: &'static str,
    max: usize,
) -> Result<Option<String>, ApiError> {
    match value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) {
        Some(v) if v.chars().count() > max || v.chars().any(char::is_control) => {
            Err(ApiError::validation(
                field,
                format!("at most {max} characters, no control characters"),
            ))
        }
        other => Ok(other),
    }
}

/// Records a play of a ready item. Replay is free and unlimited; each play adds one to
/// the item's `play_count`. The body may be left out.
#[utoipa::path(
    post, path = "/api/v1/content/{id}/play", tag = "practice",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The item")),
    request_body(content = PlayRequest, description = "Optional"),
    responses(
        (status = 201, body = PlayResponse),
        (status = 400, description = "`INVALID_BODY`", body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONTENT_NOT_READY`", body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR`: `started_at` in the future or too old", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(content_id = %id))]
pub async fn play(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let request: PlayRequest = optional_body(&body)?;
    let started_at = request.started_at.map_or_else(now, stored);
    not_after_now(started_at, "started_at")?;
    if started_at < now() - MAX_BACKDATE {
        return Err(ApiError::validation(
            "started_at",
            "is more than 30 days ago",
        ));
    }
    let mut metadata = serde_json::Map::new();
    if let Some(device) = short_text(request.device, "device", MAX_DEVICE_CHARS)? {
        metadata.insert("device".into(), device.into());
    }
    if let Some(context) = short_text(request.context, "context", MAX_CONTEXT_CHARS)? {
        metadata.insert("context".into(), context.into());
    }
    let started = state
        .library
        .play(auth.id, id.into_inner(), started_at, metadata.into())
        .await?;
    metrics::counter!("practice_plays_total").increment(1);
    Ok(HttpResponse::Created().json(PlayResponse {
        practice_event_id: started.event.id,
        status: "started",
        started_at: started.event.started_at,
        play_count: started.play_count,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteRequest {
    /// The event `play` answered; it must be a play of this item by the caller.
    pub practice_event_id: Uuid,
    /// Default: now. Not before the play started.
    pub completed_at: Option<DateTime<Utc>>,
    /// Seconds practised (0 to 86400); default: the time since the start, at most the
    /// item's length.
    pub duration: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompleteResponse {
    pub practice_event_id: Uuid,
    /// `completed`.
    pub status: &'static str,
    pub started_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    /// Seconds practised.
    pub duration: Option<i64>,
    /// True when it had been completed before (the first completion stands).
    pub already_completed: bool,
}

/// Completes a play. Completing twice changes nothing and answers the first completion.
#[utoipa::path(
    post, path = "/api/v1/content/{id}/complete", tag = "practice",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The item")),
    request_body = CompleteRequest,
    responses(
        (status = 200, body = CompleteResponse),
        (status = 400, description = "`INVALID_BODY`", body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: no such play of this item by the caller", body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR`: completed before it started, in the future, or a duration out of range", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(content_id = %id))]
pub async fn complete(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: web::Json<CompleteRequest>,
) -> Result<web::Json<CompleteResponse>, ApiError> {
    let body = body.into_inner();
    let completed_at = body.completed_at.map_or_else(now, stored);
    not_after_now(completed_at, "completed_at")?;
    if let Some(duration) = body.duration
        && !(0..=MAX_DURATION_SECS).contains(&duration)
    {
        return Err(ApiError::validation(
            "duration",
            format!("must be 0 to {MAX_DURATION_SECS} seconds"),
        ));
    }
    let outcome = state
        .library
        .complete(PracticeCompletion {
            event_id: body.practice_event_id,
            user_id: auth.id,
            content_id: id.into_inner(),
            completed_at,
            duration_seconds: body.duration,
        })
        .await?;
    let (event, already_completed) = match outcome {
        Completion::Completed(event) => {
            metrics::counter!("practice_completions_total").increment(1);
            (event, false)
        }
        Completion::AlreadyCompleted(event) => (event, true),
        Completion::BeforeStart { started_at } => {
            return Err(ApiError::validation(
                "completed_at",
                format!("is before the play started ({started_at})"),
            ));
        }
    };
    Ok(web::Json(CompleteResponse {
        practice_event_id: event.id,
        status: "completed",
        started_at: event.started_at,
        completed_at: event.completed_at,
        duration: event.duration_seconds,
        already_completed,
    }))
}
