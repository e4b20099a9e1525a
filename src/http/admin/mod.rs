//! `/api/v1/admin` (role `admin`): accounts (search, suspend, restore, role), crisis
//! alerts and their review, the audit log, archiving any pack. Every change is audited.

use std::collections::HashMap;

use actix_web::{HttpRequest, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::audit::{Actor, action};
use crate::auth::AuthUser;
use crate::domain::{PackStatus, PageParams, Pagination, Role, UserStatus};
use crate::error::{ApiError, ErrorEnvelope};
use crate::http::catalog::PackView;
use crate::state::AppState;
use crate::store::{AlertReview, AuditEntry, AuditQuery, CrisisAlert, User, UserQuery};
use crate::time::now;

const MAX_NOTES_CHARS: usize = 4000;

fn admin(user: &AuthUser) -> Result<(), ApiError> {
    user.require_role(&[Role::Admin])
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminUserView {
    pub id: Uuid,
    pub email: String,
    pub display_name: Option<String>,
    pub role: Role,
    pub status: UserStatus,
    pub credit_balance: i64,
    pub created_at: DateTime<Utc>,
}

impl From<User> for AdminUserView {
    fn from(u: User) -> Self {
        AdminUserView {
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            role: u.role,
            status: u.status,
            credit_balance: u.credit_balance,
            created_at: u.created_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsersParams {
    /// Part of the email or display name.
    pub search: Option<String>,
    pub role: Option<Role>,
    pub status: Option<UserStatus>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UsersResponse {
    pub users: Vec<AdminUserView>,
    pub pagination: Pagination,
}

/// Accounts, newest first, searched by email or name.
#[utoipa::path(
    get, path = "/api/v1/admin/users", tag = "admin",
    security(("bearer" = [])),
    params(PageParams, UsersParams),
    responses(
        (status = 200, body = UsersResponse),
        (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope),
    )
)]
pub async fn list_users(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageParams>,
    params: web::Query<UsersParams>,
) -> Result<web::Json<UsersResponse>, ApiError> {
    admin(&user)?;
    let page = page.parse()?;
    let params = params.into_inner();
    let search = params
        .search
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    if search.as_ref().is_some_and(|s| s.chars().count() > 100) {
        return Err(ApiError::validation("search", "at most 100 characters"));
    }
    let (users, total) = state
        .store
        .list_users(
            &UserQuery {
                search,
                role: params.role,
                status: params.status,
            },
            page,
        )
        .await?;
    Ok(web::Json(UsersResponse {
        users: users.into_iter().map(AdminUserView::from).collect(),
        pagination: Pagination::new(page, total),
    }))
}

async fn set_status(
    state: &AppState,
    admin_user: &AuthUser,
    req: &HttpRequest,
    id: Uuid,
    status: UserStatus,
) -> Result<web::Json<AdminUserView>, ApiError> {
    admin(admin_user)?;
    if id == admin_user.id && status == UserStatus::Suspended {
        return Err(ApiError::validation(
            "id",
            "administrators cannot suspend themselves",
        ));
    }
    state
        .accounts
        .set_status(id, status)
        .await
        .map_err(|e| match e {
            crate::auth::AuthError::UnknownAccount => ApiError::not_found("user"),
            other => other.into(),
        })?;
    if status == UserStatus::Suspended {
        // Sign-ins were revoked with the status; live sockets close on every node.
        state.engine.block_account(id).await;
    }
    state
        .audit
        .record(
            Actor::user(admin_user, crate::http::client_ip(req, state)),
            if status == UserStatus::Suspended {
                action::USER_SUSPENDED
            } else {
                action::USER_RESTORED
            },
            Some(("user", id.to_string())),
            json!({}),
        )
        .await;
    let user = state
        .store
        .user_by_id(id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    Ok(web::Json(AdminUserView::from(user)))
}

/// Suspends an account: its sign-ins end, its tokens stop working and its sockets close
/// at once.
#[utoipa::path(
    post, path = "/api/v1/admin/users/{id}/suspend", tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The account")),
    responses(
        (status = 200, body = AdminUserView),
        (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR`: suspending oneself", body = ErrorEnvelope),
    )
)]
pub async fn suspend_user(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<web::Json<AdminUserView>, ApiError> {
    set_status(&state, &user, &req, id.into_inner(), UserStatus::Suspended).await
}

/// Restores a suspended account (it signs in again).
#[utoipa::path(
    post, path = "/api/v1/admin/users/{id}/restore", tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The account")),
    responses(
        (status = 200, body = AdminUserView),
        (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope),
    )
)]
pub async fn restore_user(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<web::Json<AdminUserView>, ApiError> {
    set_status(&state, &user, &req, id.into_inner(), UserStatus::Active).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleRequest {
    pub role: Role,
}

/// Changes an account's role; it applies to the account's next request.
#[utoipa::path(
    patch, path = "/api/v1/admin/users/{id}", tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The account")),
    request_body = RoleRequest,
    responses(
        (status = 200, body = AdminUserView),
        (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope),
    )
)]
pub async fn set_role(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<RoleRequest>,
) -> Result<web::Json<AdminUserView>, ApiError> {
    admin(&user)?;
    let id = id.into_inner();
    let before = state
        .store
        .user_by_id(id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    let updated = state.store.set_role(id, body.role, now()).await?;
    state.accounts.standing_changed(id).await;
    state
        .audit
        .record(
            Actor::user(&user, crate::http::client_ip(&req, &state)),
            action::ROLE_CHANGED,
            Some(("user", id.to_string())),
            json!({ "from": before.role, "to": body.role, "by": "admin" }),
        )
        .await;
    Ok(web::Json(AdminUserView::from(updated)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertView {
    pub id: Uuid,
    pub user_id: Uuid,
    /// The person's email (in lists; absent once the account is deleted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_email: Option<String>,
    pub session_id: Option<Uuid>,
    pub severity: String,
    pub trigger_type: String,
    pub signals: Vec<String>,
    /// The message that raised it, shortened (gone once the account is deleted).
    pub context: Option<String>,
    pub status: String,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub resolution_notes: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<CrisisAlert> for AlertView {
    fn from(a: CrisisAlert) -> Self {
        AlertView {
            id: a.id,
            user_id: a.user_id,
            user_email: None,
            session_id: a.session_id,
            severity: a.severity,
            trigger_type: a.trigger_type,
            signals: a.signals,
            context: a.context,
            status: a.status,
            reviewed_by: a.reviewed_by,
            reviewed_at: a.reviewed_at,
            resolution_notes: a.resolution_notes,
            created_at: a.created_at,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    Pending,
    Reviewed,
    Resolved,
    Escalated,
}

impl AlertStatus {
    fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Pending => "pending",
            AlertStatus::Reviewed => "reviewed",
            AlertStatus::Resolved => "resolved",
            AlertStatus::Escalated => "escalated",
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlertsParams {
    pub status: Option<AlertStatus>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertsResponse {
    pub alerts: Vec<AlertView>,
    pub pagination: Pagination,
}

/// Crisis alerts, newest first.
#[utoipa::path(
    get, path = "/api/v1/admin/crisis-alerts", tag = "admin",
    security(("bearer" = [])),
    params(PageParams, AlertsParams),
    responses(
        (status = 200, body = AlertsResponse),
        (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope),
    )
)]
pub async fn list_alerts(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageParams>,
    params: web::Query<AlertsParams>,
) -> Result<web::Json<AlertsResponse>, ApiError> {
    admin(&user)?;
    let page = page.parse()?;
    let (alerts, total) = state
        .store
        .crisis_alerts(params.status.map(AlertStatus::as_str), page)
        .await?;
    let mut people: Vec<Uuid> = alerts.iter().map(|a| a.user_id).collect();
    people.sort_unstable();
    people.dedup();
    let emails: HashMap<Uuid, String> =
        futures_util::future::try_join_all(people.iter().map(|id| state.store.user_by_id(*id)))
            .await?
            .into_iter()
            .flatten()
            .map(|u| (u.id, u.email))
            .collect();
    Ok(web::Json(AlertsResponse {
        alerts: alerts
            .into_iter()
            .map(|a| {
                let email = emails.get(&a.user_id).cloned();
                AlertView {
                    user_email: email,
                    ..AlertView::from(a)
                }
            })
            .collect(),
        pagination: Pagination::new(page, total),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertReviewRequest {
    /// `reviewed`, `resolved` or `escalated`.
    pub status: AlertStatus,
    /// What was done (at most 4000 characters).
    pub notes: Option<String>,
}

/// Records an administrator's review of a crisis alert.
#[utoipa::path(
    patch, path = "/api/v1/admin/crisis-alerts/{id}", tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The alert")),
    request_body = AlertReviewRequest,
    responses(
        (status = 200, body = AlertView),
        (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope),
    )
)]
pub async fn review_alert(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<AlertReviewRequest>,
) -> Result<web::Json<AlertView>, ApiError> {
    admin(&user)?;
    let body = body.into_inner();
    if body.status == AlertStatus::Pending {
        return Err(ApiError::validation(
            "status",
            "a review is reviewed, resolved or escalated",
        ));
    }
    let notes = body
        .notes
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    if notes
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NOTES_CHARS)
    {
        return Err(ApiError::validation("notes", "at most 4000 characters"));
    }
    let alert = state
        .store
        .review_crisis_alert(AlertReview {
            id: id.into_inner(),
            reviewer_id: user.id,
            status: body.status.as_str().to_owned(),
            notes,
            now: now(),
        })
        .await
        .map_err(|e| match e {
            crate::store::StoreError::NotFound => ApiError::not_found("crisis alert"),
            other => other.into(),
        })?;
    state
        .audit
        .record(
            Actor::user(&user, crate::http::client_ip(&req, &state)),
            action::ALERT_REVIEWED,
            Some(("crisis_alert", alert.id.to_string())),
            json!({ "status": alert.status }),
        )
        .await;
    Ok(web::Json(AlertView::from(alert)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// e.g. `auth.login_failed`, `admin.user_suspended`, `payment.refund_applied`.
    pub action: Option<String>,
    pub actor_id: Option<Uuid>,
    pub target_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditResponse {
    pub entries: Vec<AuditEntry>,
    pub pagination: Pagination,
}

/// The audit log, newest first.
#[utoipa::path(
    get, path = "/api/v1/admin/audit-log", tag = "admin",
    security(("bearer" = [])),
    params(PageParams, AuditParams),
    responses(
        (status = 200, body = AuditResponse),
        (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope),
    )
)]
pub async fn audit_log(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageParams>,
    params: web::Query<AuditParams>,
) -> Result<web::Json<AuditResponse>, ApiError> {
    admin(&user)?;
    let page = page.parse()?;
    let params = params.into_inner();
    let (entries, total) = state
        .store
        .audit_log(
            &AuditQuery {
                action: params.action,
                actor_id: params.actor_id,
                target_id: params.target_id,
            },
            page,
        )
        .await?;
    Ok(web::Json(AuditResponse {
        entries,
        pagination: Pagination::new(page, total),
    }))
}

/// Archives any pack (it leaves the catalog; buyers keep it).
#[utoipa::path(
    post, path = "/api/v1/admin/packs/{id}/archive", tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The pack")),
    responses(
        (status = 200, body = PackView),
        (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope),
    )
)]
pub async fn archive_pack(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<web::Json<PackView>, ApiError> {
    admin(&user)?;
    let pack = state
        .catalog
        .set_status(None, id.into_inner(), PackStatus::Archived)
        .await?;
    state
        .audit
        .record(
            Actor::user(&user, crate::http::client_ip(&req, &state)),
            action::PACK_ARCHIVED,
            Some(("pack", pack.id.to_string())),
            json!({ "creator_id": pack.creator_id }),
        )
        .await;
    Ok(web::Json(PackView::from(pack)))
}
