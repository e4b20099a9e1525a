use actix_web::http::StatusCode;
use actix_web::web;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::run;
use crate::actors::ClientCommand;
use crate::actors::protocol::code;
use crate::auth::AuthUser;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use crate::state_machine::Refusal;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteRequest {
    pub session_id: Uuid,
    /// `true` creates the item from the summary; `false` cancels the conversation.
    pub confirm: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompleteResponse {
    /// The item being created (the seed's name for it).
    pub ritual_id: Option<Uuid>,
    pub content_id: Option<Uuid>,
    /// `generating`, `ready`, `failed` or `cancelled`.
    #[schema(example = "generating")]
    pub status: &'static str,
    /// Seconds until it should be ready.
    pub estimated_time: u32,
    pub state: &'static str,
    pub message: String,
}

/// Confirms the summary (the item is generated and charged on success), or cancels.
/// Confirming twice never charges twice.
#[utoipa::path(
    post, path = "/api/v1/conversation/complete", tag = "conversation",
    security(("bearer" = [])),
    request_body = CompleteRequest,
    responses(
        (status = 200, body = CompleteResponse),
        (status = 401, body = ErrorEnvelope),
        (status = 402, description = "`INSUFFICIENT_CREDITS`", body = ErrorEnvelope),
        (status = 404, description = "`SESSION_NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONVERSATION_NOT_READY`: details are still missing", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(session_id = %body.session_id))]
pub async fn complete(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<CompleteRequest>,
) -> Result<web::Json<CompleteResponse>, ApiError> {
    let command = if body.confirm {
        ClientCommand::Confirm
    } else {
        ClientCommand::Cancel
    };
    let reply = run(&state.engine, &user, body.session_id, command).await?;
    if let Some(Refusal::InsufficientCredits {
        required,
        available,
    }) = reply.refused
    {
        return Err(ApiError::new(
            StatusCode::PAYMENT_REQUIRED,
            code::INSUFFICIENT_CREDITS,
            reply.text,
        )
        .with_details(serde_json::json!({ "required": required, "available": available })));
    }
    let status = match reply.state {
        "Generating" => "generating",
        "Complete" => "ready",
        "Failed" => "failed",
        "Cancelled" => "cancelled",
        _ if body.confirm => {
            let message = if reply.text.is_empty() {
                "the conversation has not reached its summary yet".to_owned()
            } else {
                reply.text
            };
            return Err(
                ApiError::new(StatusCode::CONFLICT, "CONVERSATION_NOT_READY", message)
                    .with_details(serde_json::json!({ "state": reply.state })),
            );
        }
        _ => "cancelled",
    };
    Ok(web::Json(CompleteResponse {
        ritual_id: reply.content_id,
        content_id: reply.content_id,
        status,
        estimated_time: if status == "generating" {
            let deps = &state.engine.deps;
            deps.writer.estimated_seconds() + deps.narrator.estimated_seconds()
        } else {
            0
        },
        state: reply.state,
        message: reply.text,
    }))
}
