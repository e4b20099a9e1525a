//! `/api/v1/payments`: checkout for packs, the provider's webhook, the buyer's purchases;
//! `/api/v1/credits/purchase` and `/api/v1/credits/packs` for credit packs.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::domain::{CreditPack, PageParams, Pagination, PriceType, cents_to_amount};
use crate::error::{ApiError, ErrorEnvelope};
use crate::payments::{Checkout, ReturnUrls};
use crate::providers::payments::signature::SIGNATURE_HEADER;
use crate::state::AppState;
use crate::store::{EventOutcome, Purchase, User};

const MAX_URL_CHARS: usize = 2000;

/// A return URL: absolute http(s), or the default on this server.
fn return_url(
    value: Option<String>,
    field: &'static str,
    default: String,
) -> Result<String, ApiError> {
    match value.map(|v| v.trim().to_owned()) {
        None => Ok(default),
        Some(url)
            if (url.starts_with("https://") || url.starts_with("http://"))
                && url.len() <= MAX_URL_CHARS
                && !url.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Ok(url)
        }
        Some(_) => Err(ApiError::validation(
            field,
            "an absolute http(s) URL of at most 2000 characters",
        )),
    }
}

fn return_urls(
    state: &AppState,
    success_url: Option<String>,
    cancel_url: Option<String>,
) -> Result<ReturnUrls, ApiError> {
    let base = state.config.public_url.clone().unwrap_or_default();
    Ok(ReturnUrls {
        success_url: return_url(
            success_url,
            "success_url",
            format!("{base}/?checkout=success"),
        )?,
        cancel_url: return_url(
            cancel_url,
            "cancel_url",
            format!("{base}/?checkout=cancelled"),
        )?,
    })
}

async fn buyer(state: &AppState, user: &AuthUser) -> Result<User, ApiError> {
    state
        .store
        .user_by_id(user.id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutRequest {
    pub pack_id: Uuid,
    /// When sent, must be the pack's own (`one_time` or `subscription`).
    pub price_type: Option<PriceType>,
    /// Where the buyer lands after paying (default: this server's `/`).
    pub success_url: Option<String>,
    /// Where the buyer lands after giving up.
    pub cancel_url: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckoutResponse {
    /// Send the buyer here (Stripe Checkout, or the sandbox's page on this server).
    pub checkout_url: String,
    pub session_id: String,
    pub purchase_id: Uuid,
}

impl From<Checkout> for CheckoutResponse {
    fn from(checkout: Checkout) -> Self {
        CheckoutResponse {
            checkout_url: checkout.checkout_url,
            session_id: checkout.session_id,
            purchase_id: checkout.purchase.id,
        }
    }
}

/// Opens a checkout for a published pack (one time or subscription). Access follows
/// when the provider's webhook confirms the payment.
#[utoipa::path(
    post, path = "/api/v1/payments/checkout", tag = "payments",
    security(("bearer" = [])),
    request_body = CheckoutRequest,
    responses(
        (status = 201, body = CheckoutResponse),
        (status = 401, body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: no such published pack", body = ErrorEnvelope),
        (status = 409, description = "`NOT_FOR_SALE` (free, draft or archived) or `ALREADY_OWNED`", body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
        (status = 502, description = "`PAYMENT_PROVIDER_ERROR`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn checkout(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<CheckoutRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let urls = return_urls(&state, body.success_url, body.cancel_url)?;
    if let Some(wanted) = body.price_type {
        let pack = state.catalog.pack(Some(user.id), body.pack_id).await?;
        if pack.price_type != wanted {
            return Err(ApiError::validation(
                "price_type",
                format!("the pack is sold as {}", pack.price_type),
            ));
        }
    }
    let buyer = buyer(&state, &user).await?;
    let checkout = state
        .payments
        .checkout_pack(&buyer, body.pack_id, urls)
        .await?;
    Ok(HttpResponse::Created().json(CheckoutResponse::from(checkout)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditPurchaseRequest {
    pub pack_type: CreditPack,
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreditPurchaseResponse {
    pub checkout_url: String,
    pub session_id: String,
    pub purchase_id: Uuid,
    /// Credits the pack adds once paid.
    pub credits_amount: i64,
}

/// Opens a checkout for a credit pack; the credits arrive with the webhook.
#[utoipa::path(
    post, path = "/api/v1/credits/purchase", tag = "credits",
    security(("bearer" = [])),
    request_body = CreditPurchaseRequest,
    responses(
        (status = 201, body = CreditPurchaseResponse),
        (status = 400, description = "`INVALID_BODY`: unknown pack type", body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
        (status = 502, description = "`PAYMENT_PROVIDER_ERROR`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn purchase_credits(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<CreditPurchaseRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let urls = return_urls(&state, body.success_url, body.cancel_url)?;
    let buyer = buyer(&state, &user).await?;
    let checkout = state
        .payments
        .checkout_credits(&buyer, body.pack_type, urls)
        .await?;
    let credits_amount = checkout.purchase.credits;
    let checkout = CheckoutResponse::from(checkout);
    Ok(HttpResponse::Created().json(CreditPurchaseResponse {
        checkout_url: checkout.checkout_url,
        session_id: checkout.session_id,
        purchase_id: checkout.purchase_id,
        credits_amount,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreditPackView {
    pub pack_type: CreditPack,
    pub credits: i64,
    pub price_amount: f64,
    pub price_cents: i64,
    pub currency: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreditPacksResponse {
    pub packs: Vec<CreditPackView>,
}

/// The credit packs on sale and their prices.
#[utoipa::path(
    get, path = "/api/v1/credits/packs", tag = "credits",
    responses((status = 200, body = CreditPacksResponse))
)]
pub async fn credit_packs(state: web::Data<AppState>) -> web::Json<CreditPacksResponse> {
    let packs = [
        CreditPack::Starter,
        CreditPack::Seeker,
        CreditPack::Architect,
    ]
    .into_iter()
    .map(|pack_type| {
        let (credits, price_cents) = state.payments.credit_pack(pack_type);
        CreditPackView {
            pack_type,
            credits,
            price_amount: cents_to_amount(price_cents),
            price_cents,
            currency: state.payments.currency().to_owned(),
        }
    })
    .collect();
    web::Json(CreditPacksResponse { packs })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookResponse {
    pub received: bool,
    /// `applied`, `duplicate` (seen before; nothing changed) or `ignored`.
    pub outcome: &'static str,
}

/// The payment provider's events (Stripe's format and signature, from Stripe or the
/// sandbox). The `Stripe-Signature` header must sign the raw body with the webhook
/// secret within the tolerance; each event id is applied once.
#[utoipa::path(
    post, path = "/api/v1/payments/webhook", tag = "payments",
    request_body(content = Object, description = "A Stripe event"),
    params(("Stripe-Signature" = String, Header, description = "`t=<unix>,v1=<hex HMAC-SHA256>`")),
    responses(
        (status = 200, body = WebhookResponse),
        (status = 400, description = "`INVALID_SIGNATURE` or `INVALID_EVENT`: nothing changed", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn webhook(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<web::Json<WebhookResponse>, ApiError> {
    let signature = req
        .headers()
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok());
    let outcome = state.payments.webhook(signature, &body).await?;
    Ok(web::Json(WebhookResponse {
        received: true,
        outcome: match outcome {
            EventOutcome::Applied(_) => "applied",
            EventOutcome::Duplicate => "duplicate",
            EventOutcome::Ignored(_) => "ignored",
        },
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PurchaseView {
    pub id: Uuid,
    /// `pack` or `credits`.
    pub kind: &'static str,
    pub pack_id: Option<Uuid>,
    pub pack_title: Option<String>,
    pub credit_pack: Option<CreditPack>,
    pub credits: i64,
    /// Credits a refund took back.
    pub credits_reversed: i64,
    pub amount: f64,
    pub amount_cents: i64,
    pub refunded_cents: i64,
    pub currency: String,
    /// `stripe` or `sandbox`.
    pub provider: String,
    pub subscription: bool,
    /// `pending`, `paid`, `refunded`, `cancelled` or `expired`.
    pub status: String,
    pub session_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
}

impl From<Purchase> for PurchaseView {
    fn from(p: Purchase) -> Self {
        PurchaseView {
            id: p.id,
            kind: p.kind.as_str(),
            pack_id: p.pack_id,
            pack_title: p.pack_title,
            credit_pack: p.credit_pack,
            credits: p.credits,
            credits_reversed: p.credits_reversed,
            amount: cents_to_amount(p.amount_cents),
            amount_cents: p.amount_cents,
            refunded_cents: p.refunded_cents,
            currency: p.currency,
            provider: p.provider,
            subscription: p.subscription,
            status: p.status,
            session_id: p.checkout_session_id,
            created_at: p.created_at,
            paid_at: p.paid_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PurchasesResponse {
    pub purchases: Vec<PurchaseView>,
    pub pagination: Pagination,
}

/// The caller's purchases (checkouts opened included), newest first.
#[utoipa::path(
    get, path = "/api/v1/payments/purchases", tag = "payments",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, body = PurchasesResponse),
        (status = 401, body = ErrorEnvelope),
    )
)]
pub async fn purchases(
    state: web::Data<AppState>,
    user: AuthUser,
    page: web::Query<PageParams>,
) -> Result<web::Json<PurchasesResponse>, ApiError> {
    let page = page.parse()?;
    let (purchases, total) = state.store.purchases_of_user(user.id, page).await?;
    Ok(web::Json(PurchasesResponse {
        purchases: purchases.into_iter().map(PurchaseView::from).collect(),
        pagination: Pagination::new(page, total),
    }))
}
