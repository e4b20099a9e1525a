use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::turn;
use crate::actors::{ClientCommand, Create, SessionError};
use crate::auth::AuthUser;
use crate::domain::ContentType;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use crate::state_machine::Intent;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRequest {
    pub content_type: ContentType,
    /// Known already; otherwise the conversation discovers it.
    pub intent: Option<Intent>,
    /// Make a new version of this item of the caller's library.
    pub content_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StartResponse {
    pub session_id: Uuid,
    pub content_type: ContentType,
    #[schema(example = "IntentDiscovery")]
    pub state: &'static str,
    /// The guide's first words.
    pub message: String,
    #[schema(value_type = Object)]
    pub context: Value,
}

/// Starts a conversation that creates an affirmation, guided meditation or ritual.
#[utoipa::path(
    post, path = "/api/v1/conversation/start", tag = "conversation",
    security(("bearer" = [])),
    request_body = StartRequest,
    responses(
        (status = 201, body = StartResponse),
        (status = 400, description = "Malformed body", body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope),
        (status = 404, description = "`SESSION_NOT_FOUND`: the item to revise is not in the library", body = ErrorEnvelope),
        (status = 429, description = "`SESSION_LIMIT` or `RATE_LIMITED`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn start(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<StartRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (session_id, addr) = state
        .engine
        .registry
        .send(Create {
            user_id: user.id,
            content_type: body.content_type,
            intent: body.intent,
            content_id: body.content_id,
            speak: false,
            home: actix::Arbiter::current(),
        })
        .await
        .map_err(SessionError::from)??;
    tracing::Span::current().record("session_id", tracing::field::display(session_id));
    let reply = turn(&addr, &user, ClientCommand::Begin).await?;
    Ok(HttpResponse::Created().json(StartResponse {
        session_id,
        content_type: reply
            .context
            .get("content_type")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or(body.content_type),
        state: reply.state,
        message: reply.text,
        context: reply.context,
    }))
}
