//! Payments (seed 001 "Marketplace Purchase Flow", "Credit APIs", "Payment Security"):
//! checkouts for packs and credit packs, the webhook that turns a provider's events
//! into purchases, access, credits and creator rewards (each event once, each in one
//! transaction), and the sandbox's checkout page actions.

use std::collections::BTreeMap;
use std::sync::Arc;

use actix_web::http::StatusCode;
use chrono::Utc;
use secrecy::ExposeSecret;
use serde_json::json;
use uuid::Uuid;

use crate::audit::{Actor, Audit, action};
use crate::config::PaymentsConfig;
use crate::domain::{CreditPack, PackStatus, PriceType};
use crate::error::{ApiError, code};
use crate::market::Catalog;
use crate::providers::payments::signature::{self, SignatureError};
use crate::providers::payments::{
    CheckoutRequest, PaymentError, PaymentProvider, Providers, Sandbox, event,
};
use crate::store::{
    EventOutcome, NewPurchase, PaymentEffect, Purchase, PurchaseKind, ReceivedEvent, Repository,
    RewardTerms, User,
};
use crate::time::now;

/// Where a checkout returns to.
#[derive(Debug, Clone)]
pub struct ReturnUrls {
    pub success_url: String,
    pub cancel_url: String,
}

/// A checkout opened for the caller.
#[derive(Debug, Clone)]
pub struct Checkout {
    pub checkout_url: String,
    pub session_id: String,
    pub purchase: Purchase,
}

#[derive(Clone)]
pub struct Payments {
    store: Arc<dyn Repository>,
    provider: Arc<dyn PaymentProvider>,
    sandbox: Option<Arc<Sandbox>>,
    catalog: Catalog,
    audit: Audit,
    config: PaymentsConfig,
}

fn provider_error(e: PaymentError) -> ApiError {
    tracing::warn!(error = %e, "payment provider call failed");
    ApiError::new(
        StatusCode::BAD_GATEWAY,
        code::PAYMENT_PROVIDER_ERROR,
        e.to_string(),
    )
}

fn bad_event(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, code::INVALID_EVENT, message)
}

impl Payments {
    pub fn new(
        store: Arc<dyn Repository>,
        (provider, sandbox): Providers,
        catalog: Catalog,
        audit: Audit,
        config: PaymentsConfig,
    ) -> Self {
        Self {
            store,
            provider,
            sandbox,
            catalog,
            audit,
            config,
        }
    }

    pub fn provider_name(&self) -> &'static str {
        self.provider.name()
    }

    /// The sandbox, when it is the provider.
    pub fn sandbox(&self) -> Option<&Sandbox> {
        self.sandbox.as_deref()
    }

    /// Credits and price (cents) of a credit pack.
    pub fn credit_pack(&self, pack: CreditPack) -> (i64, i64) {
        let index = match pack {
            CreditPack::Starter => 0,
            CreditPack::Seeker => 1,
            CreditPack::Architect => 2,
        };
        self.config.credit_packs[index]
    }

    pub fn currency(&self) -> &str {
        &self.config.currency
    }

    /// Opens a checkout for a published pack with a price the caller does not hold yet.
    pub async fn checkout_pack(
        &self,
        buyer: &User,
        pack_id: Uuid,
        urls: ReturnUrls,
    ) -> Result<Checkout, ApiError> {
        let pack = self.catalog.pack(Some(buyer.id), pack_id).await?;
        let not_for_sale =
            |why: &str| ApiError::new(StatusCode::CONFLICT, code::NOT_FOR_SALE, why.to_owned());
        if pack.status != PackStatus::Published {
            return Err(not_for_sale("the pack is not for sale"));
        }
        if pack.price_type == PriceType::Free {
            return Err(not_for_sale(
                "the pack is free: it is open to everyone signed in",
            ));
        }
        if self.catalog.has_access(buyer.id, pack.id).await? {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                code::ALREADY_OWNED,
                "you already have this pack",
            ));
        }
        let recurring = match pack.price_type {
            PriceType::Subscription => pack.subscription_interval,
            _ => None,
        };
        let mut metadata = BTreeMap::new();
        metadata.insert("pack_id".to_owned(), pack.id.to_string());
        self.open(
            buyer,
            NewCheckout {
                kind: PurchaseKind::Pack,
                pack_id: Some(pack.id),
                credit_pack: None,
                credits: 0,
                name: pack.title.clone(),
                amount_cents: pack.price_cents,
                currency: pack.currency.clone(),
                recurring,
                metadata,
            },
            urls,
        )
        .await
    }

    /// Opens a checkout for a credit pack.
    pub async fn checkout_credits(
        &self,
        buyer: &User,
        pack: CreditPack,
        urls: ReturnUrls,
    ) -> Result<Checkout, ApiError> {
        let (credits, price) = self.credit_pack(pack);
        let mut metadata = BTreeMap::new();
        metadata.insert("credit_pack".to_owned(), pack.as_str().to_owned());
        metadata.insert("credits".to_owned(), credits.to_string());
        self.open(
            buyer,
            NewCheckout {
                kind: PurchaseKind::Credits,
                pack_id: None,
                credit_pack: Some(pack),
                credits,
                name: format!("{credits} waQup credits ({pack})"),
                amount_cents: price,
                currency: self.config.currency.clone(),
                recurring: None,
                metadata,
            },
            urls,
        )
        .await
    }

    async fn open(
        &self,
        buyer: &User,
        new: NewCheckout,
        urls: ReturnUrls,
    ) -> Result<Checkout, ApiError> {
        let purchase_id = Uuid::now_v7();
        let mut metadata = new.metadata;
        metadata.insert("purchase_id".to_owned(), purchase_id.to_string());
        metadata.insert("user_id".to_owned(), buyer.id.to_string());
        let session = self
            .provider
            .create_checkout(&CheckoutRequest {
                purchase_id,
                customer_email: buyer.email.clone(),
                name: new.name,
                amount_cents: new.amount_cents,
                currency: new.currency.clone(),
                recurring: new.recurring,
                metadata,
                success_url: urls.success_url.clone(),
                cancel_url: urls.cancel_url.clone(),
            })
            .await
            .map_err(provider_error)?;
        let purchase = self
            .store
            .create_purchase(NewPurchase {
                id: purchase_id,
                user_id: buyer.id,
                kind: new.kind,
                pack_id: new.pack_id,
                credit_pack: new.credit_pack,
                credits: new.credits,
                amount_cents: new.amount_cents,
                currency: new.currency,
                provider: self.provider.name(),
                subscription: new.recurring.is_some(),
                checkout_session_id: session.id.clone(),
                success_url: urls.success_url,
                cancel_url: urls.cancel_url,
                now: now(),
            })
            .await?;
        tracing::info!(purchase_id = %purchase.id, kind = new.kind.as_str(), "checkout opened");
        metrics::counter!("checkouts_opened_total", "kind" => new.kind.as_str()).increment(1);
        Ok(Checkout {
            checkout_url: session.url,
            session_id: session.id,
            purchase,
        })
    }

    /// Verifies, stores and applies one webhook delivery. A bad signature or body is a
    /// client error and changes nothing; an event seen before is acknowledged again.
    pub async fn webhook(
        &self,
        signature_header: Option<&str>,
        body: &[u8],
    ) -> Result<EventOutcome, ApiError> {
        let tolerance = i64::try_from(self.config.webhook_tolerance.as_secs()).unwrap_or(300);
        if let Err(e) = signature::verify(
            signature_header,
            body,
            self.provider.webhook_secret().expose_secret().as_bytes(),
            tolerance,
            Utc::now().timestamp(),
        ) {
            metrics::counter!("payment_webhooks_total", "outcome" => "bad_signature").increment(1);
            tracing::warn!(reason = %e, "webhook refused");
            let message = match e {
                SignatureError::OutsideTolerance => {
                    "the signature's timestamp is too old or in the future".to_owned()
                }
                other => other.to_string(),
            };
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                code::INVALID_SIGNATURE,
                message,
            ));
        }
        let parsed = event::parse(body).map_err(|e| bad_event(e.to_string()))?;
        let payload: serde_json::Value =
            serde_json::from_slice(body).map_err(|_| bad_event("the event is not JSON"))?;
        let refund = matches!(parsed.effect, PaymentEffect::Refunded { .. });
        let outcome = self
            .store
            .apply_payment_event(
                ReceivedEvent {
                    id: parsed.id.clone(),
                    event_type: parsed.event_type.clone(),
                    created: parsed.created,
                    payload,
                    now: now(),
                },
                parsed.effect,
                RewardTerms {
                    creator_share_percent: self.config.creator_share_percent,
                },
            )
            .await?;
        let label = match &outcome {
            EventOutcome::Applied(_) => "applied",
            EventOutcome::Duplicate => "duplicate",
            EventOutcome::Ignored(_) => "ignored",
        };
        metrics::counter!("payment_webhooks_total", "outcome" => label).increment(1);
        tracing::info!(event_id = %parsed.id, event_type = %parsed.event_type, outcome = ?outcome, "webhook event");
        if let EventOutcome::Applied(what) = &outcome {
            self.audit
                .record(
                    Actor::provider(),
                    if refund {
                        action::REFUND
                    } else {
                        action::PAYMENT_EVENT
                    },
                    Some(("payment_event", parsed.id.clone())),
                    json!({ "type": parsed.event_type, "outcome": what }),
                )
                .await;
        }
        Ok(outcome)
    }

    /// The sandbox's pending purchase behind a checkout session.
    pub async fn sandbox_purchase(&self, session_id: &str) -> Result<Purchase, ApiError> {
        if self.sandbox.is_none() || Sandbox::suffix(session_id).is_none() {
            return Err(ApiError::not_found("checkout session"));
        }
        self.store
            .purchase_by_session(session_id)
            .await?
            .ok_or_else(|| ApiError::not_found("checkout session"))
    }

    /// Completes (`pay`) or cancels a sandbox checkout: delivers the provider's events to
    /// our webhook and answers where the buyer goes next.
    pub async fn sandbox_finish(&self, session_id: &str, pay: bool) -> Result<String, ApiError> {
        let purchase = self.sandbox_purchase(session_id).await?;
        let sandbox = self
            .sandbox
            .as_deref()
            .ok_or_else(|| ApiError::not_found("checkout session"))?;
        if purchase.status != "pending" {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                code::CONFLICT,
                format!("this checkout is already {}", purchase.status),
            ));
        }
        let at = now();
        let events = if pay {
            let interval = match purchase.pack_id {
                Some(pack_id) => self
                    .store
                    .pack(pack_id)
                    .await?
                    .and_then(|p| p.subscription_interval),
                None => None,
            };
            sandbox.completion_events(&purchase, interval, at)
        } else {
            vec![sandbox.expiry_event(&purchase, at)]
        };
        for event in &events {
            sandbox.deliver(event).await.map_err(provider_error)?;
        }
        let next = if pay {
            purchase.success_url
        } else {
            purchase.cancel_url
        };
        Ok(next.unwrap_or_else(|| "/".to_owned()))
    }
}

struct NewCheckout {
    kind: PurchaseKind,
    pack_id: Option<Uuid>,
    credit_pack: Option<CreditPack>,
    credits: i64,
    name: String,
    amount_cents: i64,
    currency: String,
    recurring: Option<crate::domain::Interval>,
    metadata: BTreeMap<String, String>,
}
