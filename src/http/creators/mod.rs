//! `/api/v1/creators/me`: becoming a creator, the creator's packs (draft -> published ->
//! archived), their analytics and earnings.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit::{Actor, action};
use crate::auth::AuthUser;
use crate::domain::{
    Interval, InvalidField, PackStatus, PageParams, Pagination, PriceType, Role, amount_to_cents,
    cents_to_amount,
};
use crate::error::{ApiError, ErrorEnvelope};
use crate::http::catalog::PackView;
use crate::http::content::parse_tags;
use crate::library::UserProfile;
use crate::state::AppState;
use crate::store::{NewPack, PackStats, PackUpdate};
use crate::time::now;

const MAX_TITLE_CHARS: usize = 120;
const MAX_DESCRIPTION_CHARS: usize = 4000;
const MAX_PACK_ITEMS: usize = 50;
const MAX_URL_CHARS: usize = 1000;
/// The smallest price a payment provider takes.
const MIN_PRICE_CENTS: i64 = 50;

fn creator(user: &AuthUser) -> Result<(), ApiError> {
    user.require_role(&[Role::Creator, Role::Admin])
}

/// Makes the caller a creator. An administrator stays one; asking twice changes nothing.
#[utoipa::path(
    post, path = "/api/v1/creators/me", tag = "creators",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The profile with its new role", body = UserProfile),
        (status = 401, body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn become_creator(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
) -> Result<web::Json<UserProfile>, ApiError> {
    let (profile, changed) = state.catalog.become_creator(user.id).await?;
    if changed {
        state.accounts.standing_changed(user.id).await;
        state
            .audit
            .record(
                Actor::user(&user, crate::http::client_ip(&req, &state)),
                action::ROLE_CHANGED,
                Some(("user", user.id.to_string())),
                json!({ "from": "user", "to": "creator", "by": "self" }),
            )
            .await;
    }
    Ok(web::Json(UserProfile::from(profile)))
}

/// A pack's price as sent: `price_type`, `price_amount` and, for subscriptions,
/// `subscription_interval`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PackRequest {
    pub title: Option<String>,
    pub description: Option<String>,
    pub price_type: Option<PriceType>,
    /// In the currency's main unit, e.g. `9.99`; 0 for free packs.
    pub price_amount: Option<f64>,
    /// Required for subscriptions.
    pub subscription_interval: Option<Interval>,
    /// An `https://` image URL; `null` removes it.
    #[serde(default, deserialize_with = "crate::domain::present")]
    #[schema(value_type = Option<String>)]
    pub cover_url: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    /// The creator's own ready items, in order (at most 50).
    pub item_ids: Option<Vec<Uuid>>,
}

fn text_field(
    value: Option<String>,
    field: &'static str,
    min: usize,
    max: usize,
) -> Result<Option<String>, InvalidField> {
    value
        .map(|v| {
            let v = v.trim().to_owned();
            let chars = v.chars().count();
            if chars < min || chars > max || v.chars().any(|c| c.is_control() && c != '\n') {
                Err(InvalidField::new(
                    field,
                    format!("{min} to {max} characters, no control characters"),
                ))
            } else {
                Ok(v)
            }
        })
        .transpose()
}

fn cover(value: Option<String>) -> Result<Option<String>, InvalidField> {
    value
        .map(|url| {
            let url = url.trim().to_owned();
            let ok = (url.starts_with("https://") || url.starts_with("http://"))
                && url.len() <= MAX_URL_CHARS
                && !url.chars().any(char::is_whitespace);
            if ok {
                Ok(url)
            } else {
                Err(InvalidField::new(
                    "cover_url",
                    "an http(s) URL of at most 1000 characters",
                ))
            }
        })
        .transpose()
}

fn items(value: Option<Vec<Uuid>>) -> Result<Option<Vec<Uuid>>, InvalidField> {
    value
        .map(|ids| {
            let mut unique = Vec::with_capacity(ids.len());
            for id in ids {
                if unique.contains(&id) {
                    return Err(InvalidField::new("item_ids", "an item appears twice"));
                }
                unique.push(id);
            }
            if unique.len() > MAX_PACK_ITEMS {
                return Err(InvalidField::new(
                    "item_ids",
                    format!("at most {MAX_PACK_ITEMS} items"),
                ));
            }
            Ok(unique)
        })
        .transpose()
}

/// The price, checked as a whole.
fn price(
    price_type: PriceType,
    amount: Option<f64>,
    interval: Option<Interval>,
) -> Result<(PriceType, i64, Option<Interval>), InvalidField> {
    let cents = amount.map(amount_to_cents).transpose()?.unwrap_or(0);
    match price_type {
        PriceType::Free if cents != 0 => {
            Err(InvalidField::new("price_amount", "a free pack costs 0"))
        }
        PriceType::Free => Ok((price_type, 0, None)),
        _ if cents < MIN_PRICE_CENTS => Err(InvalidField::new(
            "price_amount",
            "a paid pack costs at least 0.50",
        )),
        PriceType::Subscription => match interval {
            Some(interval) => Ok((price_type, cents, Some(interval))),
            None => Err(InvalidField::new(
                "subscription_interval",
                "a subscription renews monthly or annual",
            )),
        },
        PriceType::OneTime => Ok((price_type, cents, None)),
    }
}

/// Creates a draft pack of the caller's own ready items.
#[utoipa::path(
    post, path = "/api/v1/creators/me/packs", tag = "creators",
    security(("bearer" = [])),
    request_body = PackRequest,
    responses(
        (status = 201, body = PackView),
        (status = 401, body = ErrorEnvelope),
        (status = 403, description = "`FORBIDDEN`: not a creator", body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR` or `INVALID_PACK_ITEMS`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn create_pack(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<PackRequest>,
) -> Result<HttpResponse, ApiError> {
    creator(&user)?;
    let body = body.into_inner();
    let title = text_field(body.title, "title", 1, MAX_TITLE_CHARS)?
        .ok_or_else(|| ApiError::validation("title", "is required"))?;
    let price_type = body
        .price_type
        .ok_or_else(|| ApiError::validation("price_type", "is required"))?;
    let (price_type, price_cents, interval) =
        price(price_type, body.price_amount, body.subscription_interval)?;
    let pack = state
        .catalog
        .create_pack(NewPack {
            id: Uuid::now_v7(),
            creator_id: user.id,
            title,
            description: text_field(body.description, "description", 0, MAX_DESCRIPTION_CHARS)?
                .unwrap_or_default(),
            price_type,
            price_cents,
            currency: state.payments.currency().to_owned(),
            subscription_interval: interval,
            cover_url: cover(body.cover_url.flatten())?,
            tags: parse_tags(&body.tags.unwrap_or_default())?,
            item_ids: items(body.item_ids)?.unwrap_or_default(),
            now: now(),
        })
        .await?;
    tracing::info!(pack_id = %pack.id, "pack created");
    Ok(HttpResponse::Created().json(PackView::from(pack)))
}

/// Edits a draft or published pack of the caller. The price fields are checked
/// together; the items are replaced as a whole.
#[utoipa::path(
    patch, path = "/api/v1/creators/me/packs/{id}", tag = "creators",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The pack")),
    request_body = PackRequest,
    responses(
        (status = 200, body = PackView),
        (status = 401, body = ErrorEnvelope),
        (status = 403, description = "`FORBIDDEN`: not a creator", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: not the caller's pack", body = ErrorEnvelope),
        (status = 409, description = "`PACK_STATUS`: archived", body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR` or `INVALID_PACK_ITEMS`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(pack_id = %id))]
pub async fn update_pack(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: web::Json<PackRequest>,
) -> Result<web::Json<PackView>, ApiError> {
    creator(&user)?;
    let id = id.into_inner();
    let body = body.into_inner();
    let price = match (
        body.price_type,
        body.price_amount,
        body.subscription_interval,
    ) {
        (None, None, None) => None,
        (Some(price_type), amount, interval) => Some(price(price_type, amount, interval)?),
        _ => {
            return Err(ApiError::validation(
                "price_type",
                "send price_type with price_amount and subscription_interval",
            ));
        }
    };
    let update = PackUpdate {
        title: text_field(body.title, "title", 1, MAX_TITLE_CHARS)?,
        description: text_field(body.description, "description", 0, MAX_DESCRIPTION_CHARS)?,
        price,
        cover_url: body.cover_url.map(cover).transpose()?,
        tags: body.tags.as_deref().map(parse_tags).transpose()?,
        item_ids: items(body.item_ids)?,
    };
    let pack = state.catalog.update_pack(user.id, id, update).await?;
    Ok(web::Json(PackView::from(pack)))
}

/// Puts a draft in the catalog (it needs at least one item).
#[utoipa::path(
    post, path = "/api/v1/creators/me/packs/{id}/publish", tag = "creators",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The pack")),
    responses(
        (status = 200, body = PackView),
        (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope),
        (status = 409, description = "`PACK_STATUS`", body = ErrorEnvelope),
    )
)]
pub async fn publish_pack(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<PackView>, ApiError> {
    creator(&user)?;
    let pack = state
        .catalog
        .set_status(Some(user.id), id.into_inner(), PackStatus::Published)
        .await?;
    Ok(web::Json(PackView::from(pack)))
}

/// Takes a pack out of the catalog for good; its buyers keep it.
#[utoipa::path(
    post, path = "/api/v1/creators/me/packs/{id}/archive", tag = "creators",
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
    id: web::Path<Uuid>,
) -> Result<web::Json<PackView>, ApiError> {
    creator(&user)?;
    let pack = state
        .catalog
        .set_status(Some(user.id), id.into_inner(), PackStatus::Archived)
        .await?;
    Ok(web::Json(PackView::from(pack)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatorPacksResponse {
    pub packs: Vec<PackView>,
    pub pagination: Pagination,
}

/// The caller's packs, every status, newest first.
#[utoipa::path(
    get, path = "/api/v1/creators/me/packs", tag = "creators",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, body = CreatorPacksResponse),
        (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope),
    )
)]
pub async fn list_packs(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageParams>,
) -> Result<web::Json<CreatorPacksResponse>, ApiError> {
    creator(&user)?;
    let page = page.parse()?;
    let (packs, total) = state.catalog.creator_packs(user.id, page).await?;
    Ok(web::Json(CreatorPacksResponse {
        packs: packs.into_iter().map(PackView::from).collect(),
        pagination: Pagination::new(page, total),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnalyticsResponse {
    pub packs: Vec<PackStats>,
    pub total_sales: i64,
    pub total_plays: i64,
    pub total_earnings_cents: i64,
}

/// Sales, plays by others and earnings per pack.
#[utoipa::path(
    get, path = "/api/v1/creators/me/analytics", tag = "creators",
    security(("bearer" = [])),
    responses(
        (status = 200, body = AnalyticsResponse),
        (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope),
    )
)]
pub async fn analytics(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<AnalyticsResponse>, ApiError> {
    creator(&user)?;
    let packs = state.store.creator_stats(user.id).await?;
    Ok(web::Json(AnalyticsResponse {
        total_sales: packs.iter().map(|p| p.sales).sum(),
        total_plays: packs.iter().map(|p| p.plays).sum(),
        total_earnings_cents: packs.iter().map(|p| p.earnings_cents).sum(),
        packs,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RewardView {
    pub id: Uuid,
    pub purchase_id: Uuid,
    pub pack_id: Option<Uuid>,
    /// `sale` or `refund`.
    pub kind: String,
    /// What the buyer paid (negative for a refund), in cents.
    pub gross_cents: i64,
    /// The creator's share, in cents.
    pub amount_cents: i64,
    pub amount: f64,
    pub currency: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EarningsTotal {
    pub currency: String,
    pub amount_cents: i64,
    pub amount: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EarningsResponse {
    /// Net of refunds, per currency.
    pub totals: Vec<EarningsTotal>,
    /// The creator's share of each sale, in percent.
    pub share_percent: i64,
    pub rewards: Vec<RewardView>,
    pub pagination: Pagination,
}

/// The caller's reward ledger: their share of each sale, refunds reversed.
#[utoipa::path(
    get, path = "/api/v1/creators/me/earnings", tag = "creators",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, body = EarningsResponse),
        (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope),
    )
)]
pub async fn earnings(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageParams>,
) -> Result<web::Json<EarningsResponse>, ApiError> {
    creator(&user)?;
    let page = page.parse()?;
    let (rewards, total, totals) = state.store.rewards(user.id, page).await?;
    Ok(web::Json(EarningsResponse {
        totals: totals
            .into_iter()
            .map(|(currency, amount_cents)| EarningsTotal {
                currency,
                amount_cents,
                amount: cents_to_amount(amount_cents),
            })
            .collect(),
        share_percent: state.config.payments.creator_share_percent,
        rewards: rewards
            .into_iter()
            .map(|r| RewardView {
                amount: cents_to_amount(r.amount_cents),
                id: r.id,
                purchase_id: r.purchase_id,
                pack_id: r.pack_id,
                kind: r.kind,
                gross_cents: r.gross_cents,
                amount_cents: r.amount_cents,
                currency: r.currency,
                created_at: r.created_at,
            })
            .collect(),
        pagination: Pagination::new(page, total),
    }))
}
