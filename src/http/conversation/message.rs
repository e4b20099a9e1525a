use actix_web::web;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::run;
use super::ws::MAX_MESSAGE_CHARS;
use crate::actors::ClientCommand;
use crate::auth::AuthUser;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageRequest {
    pub session_id: Uuid,
    #[schema(example = "I want something calming for the evening")]
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageResponse {
    pub session_id: Uuid,
    #[schema(example = "ContextGathering")]
    pub state: &'static str,
    pub response: String,
    #[schema(value_type = Object)]
    pub context: Value,
}

/// Says something in a conversation and returns the guide's reply.
#[utoipa::path(
    post, path = "/api/v1/conversation/message", tag = "conversation",
    security(("bearer" = [])),
    request_body = MessageRequest,
    responses(
        (status = 200, body = MessageResponse),
        (status = 401, body = ErrorEnvelope),
        (status = 404, description = "`SESSION_NOT_FOUND`", body = ErrorEnvelope),
        (status = 410, description = "`SESSION_EXPIRED`", body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR`: empty or too long", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(session_id = %body.session_id))]
pub async fn message(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<MessageRequest>,
) -> Result<web::Json<MessageResponse>, ApiError> {
    let body = body.into_inner();
    if body.message.trim().is_empty() {
        return Err(ApiError::validation("message", "is empty"));
    }
    if body.message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ApiError::validation(
            "message",
            format!("is longer than {MAX_MESSAGE_CHARS} characters"),
        ));
    }
    let reply = run(
        &state.engine,
        &user,
        body.session_id,
        ClientCommand::Message(body.message),
    )
    .await?;
    Ok(web::Json(MessageResponse {
        session_id: reply.session_id,
        state: reply.state,
        response: reply.text,
        context: reply.context,
    }))
}
