use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::history::PracticeEventView;
use crate::actors::protocol::ContentView;
use crate::auth::{AuthError, AuthUser};
use crate::domain::MAX_PASSWORD_INPUT_BYTES;
use crate::error::{ApiError, ErrorEnvelope};
use crate::http::credits::TransactionView;
use crate::state::AppState;
use crate::time::now;

/// The version of the export's layout; raised when a section changes shape.
const EXPORT_VERSION: u32 = 1;

/// An item in an export: the item as the API shows it, and when it was deleted.
#[derive(Serialize)]
struct ExportedItem {
    #[serde(flatten)]
    item: ContentView,
    deleted_at: Option<DateTime<Utc>>,
}

/// Everything stored about the caller, as one JSON document (downloaded as
/// `waqup-export.json`): `profile`, `preferences`, `credits`, `content` (with texts and
/// signed audio URLs, deleted items included), `conversations`, `practice`,
/// `credit_ledger`, `purchases`, `shares` and `safety_alerts`.
#[utoipa::path(
    get, path = "/api/v1/users/me/export", tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The whole export", body = Object),
        (status = 401, body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn export_me(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> Result<HttpResponse, ApiError> {
    let data = state.library.export(auth.id).await?;
    let purchases = state.store.all_purchases_of_user(auth.id).await?;
    let mut content = Vec::with_capacity(data.content.len());
    for item in data.content {
        let deleted_at = item.deleted_at;
        let item =
            ContentView::signed(item, state.blobs.as_ref(), state.config.media_url_ttl).await;
        content.push(ExportedItem { item, deleted_at });
    }
    let user = data.user;
    let document = json!({
        "export_version": EXPORT_VERSION,
        "exported_at": now(),
        "profile": {
            "id": user.id,
            "email": user.email,
            "role": user.role,
            "status": user.status,
            "display_name": user.display_name,
            "created_at": user.created_at,
            "updated_at": user.updated_at,
        },
        "preferences": user.preferences,
        "credits": {
            "balance": data.credits.balance,
            "held": data.credits.held,
        },
        "content": content,
        "conversations": data.conversations.into_iter().map(|c| json!({
            "id": c.id,
            "session_id": c.session_id,
            "content_type": c.content_type,
            "messages": c.messages,
            "final_state": c.final_state,
            "resulting_content_id": c.resulting_content_id,
            "created_at": c.created_at,
            "completed_at": c.completed_at,
        })).collect::<Vec<Value>>(),
        "practice": data.practice.into_iter().map(PracticeEventView::from).collect::<Vec<_>>(),
        "credit_ledger": data.ledger.into_iter().map(TransactionView::from).collect::<Vec<_>>(),
        "purchases": purchases.into_iter().map(crate::http::payments::PurchaseView::from).collect::<Vec<_>>(),
        "shares": data.shares.into_iter().map(|s| json!({
            "content_id": s.content_id,
            "token": s.token,
            "created_at": s.created_at,
            "revoked_at": s.revoked_at,
        })).collect::<Vec<Value>>(),
        "safety_alerts": data.crisis_alerts.into_iter().map(|a| json!({
            "id": a.id,
            "session_id": a.session_id,
            "severity": a.severity,
            "trigger_type": a.trigger_type,
            "signals": a.signals,
            "message": a.context,
            "status": a.status,
            "created_at": a.created_at,
        })).collect::<Vec<Value>>(),
    });
    tracing::info!(event = "data_exported", "personal data exported");
    Ok(HttpResponse::Ok()
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename("waqup-export.json".into())],
        })
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(document))
}

/// Not `Debug`: it carries a password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAccountRequest {
    /// The account's password, asked again.
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountDeleted {
    /// `deleted`.
    pub status: &'static str,
}

/// Deletes the account and everything of it: content and its audio, practice, share
/// links, conversations and sign-ins. The credit ledger keeps its rows (balances are
/// sums of it) under an anonymous account with no email, password, name or preferences;
/// crisis alerts keep their review trail without the message. The email can sign up
/// again as a new account.
#[utoipa::path(
    delete, path = "/api/v1/users/me", tag = "users",
    security(("bearer" = [])),
    request_body = DeleteAccountRequest,
    responses(
        (status = 200, body = AccountDeleted),
        (status = 400, description = "`INVALID_BODY`", body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR`: wrong password", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn delete_me(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: actix_web::HttpRequest,
    body: web::Json<DeleteAccountRequest>,
) -> Result<web::Json<AccountDeleted>, ApiError> {
    let wrong = || ApiError::validation("password", "is incorrect");
    let password = body.into_inner().password;
    if password.len() > MAX_PASSWORD_INPUT_BYTES {
        return Err(wrong());
    }
    match state.accounts.confirm_password(auth.id, password).await {
        Err(AuthError::WrongPassword) => return Err(wrong()),
        other => other?,
    };
    state.library.delete_account(auth.id).await?;
    state.engine.block_account(auth.id).await;
    state
        .audit
        .record(
            crate::audit::Actor::user(&auth, crate::http::client_ip(&req, &state)),
            crate::audit::action::ACCOUNT_DELETED,
            Some(("user", auth.id.to_string())),
            json!({}),
        )
        .await;
    Ok(web::Json(AccountDeleted { status: "deleted" }))
}
