use actix_web::web;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::actors::protocol::ChatMessage;
use crate::actors::{Peek, SessionError};
use crate::auth::AuthUser;
use crate::domain::ContentType;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StateQuery {
    pub session_id: Uuid,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StateResponse {
    pub session_id: Uuid,
    pub content_type: ContentType,
    #[schema(example = "PracticeDetails")]
    pub state: &'static str,
    #[schema(value_type = Object)]
    pub context: Value,
    /// The item this conversation made, once it is being made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_id: Option<Uuid>,
    pub messages: Vec<ChatMessage>,
}

/// Where a conversation stands, with its messages.
#[utoipa::path(
    get, path = "/api/v1/conversation/state", tag = "conversation",
    security(("bearer" = [])),
    params(StateQuery),
    responses(
        (status = 200, body = StateResponse),
        (status = 401, body = ErrorEnvelope),
        (status = 404, description = "`SESSION_NOT_FOUND`", body = ErrorEnvelope),
        (status = 410, description = "`SESSION_EXPIRED`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(session_id = %query.session_id))]
pub async fn state(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<StateQuery>,
) -> Result<web::Json<StateResponse>, ApiError> {
    // A read: it does not take the session over from the node that holds it.
    let view = state
        .engine
        .registry
        .send(Peek {
            user_id: user.id,
            session_id: query.session_id,
        })
        .await
        .map_err(SessionError::from)??;
    Ok(web::Json(StateResponse {
        session_id: view.session_id,
        content_type: view.content_type,
        state: view.state,
        context: view.context,
        content_id: view.content_id,
        messages: view.messages,
    }))
}
