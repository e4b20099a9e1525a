//! The local sandbox: plays Stripe's part on this server. Its checkout page (served at
//! `/sandbox/checkout/{session}`) completes or cancels a purchase, and it then delivers
//! the events Stripe would send, signed with the webhook secret, over HTTP to our own
//! webhook route: the same path a real payment takes.
//!
//! Ids follow the session's: `cs_sandbox_X` pays with `pi_sandbox_X` and subscribes
//! with `sub_sandbox_X`.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use uuid::Uuid;

use super::signature::{SIGNATURE_HEADER, sign};
use super::{CheckoutRequest, CheckoutSession, PaymentError, PaymentProvider};
use crate::domain::Interval;
use crate::store::Purchase;

const DELIVERY_TIMEOUT: Duration = Duration::from_secs(20);
/// The prefix of sandbox checkout sessions.
pub const SESSION_PREFIX: &str = "cs_sandbox_";

pub struct Sandbox {
    public_base: String,
    webhook_url: String,
    secret: SecretString,
    http: reqwest::Client,
}

impl Sandbox {
    pub fn new(public_base: &str, self_base: &str, secret: SecretString) -> anyhow::Result<Self> {
        Ok(Self {
            public_base: public_base.trim_end_matches('/').to_owned(),
            webhook_url: format!(
                "{}/api/v1/payments/webhook",
                self_base.trim_end_matches('/')
            ),
            secret,
            http: reqwest::Client::builder()
                .timeout(DELIVERY_TIMEOUT)
                .build()?,
        })
    }

    /// The part of a session id after the prefix; `None` for ids not ours.
    pub fn suffix(session_id: &str) -> Option<&str> {
        session_id
            .strip_prefix(SESSION_PREFIX)
            .filter(|s| s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit()))
    }

    /// The events a paid checkout of `purchase` produces, in Stripe's order and shape.
    pub fn completion_events(
        &self,
        purchase: &Purchase,
        interval: Option<Interval>,
        now: DateTime<Utc>,
    ) -> Vec<Value> {
        let session_id = purchase.checkout_session_id.clone().unwrap_or_default();
        let suffix = Self::suffix(&session_id).unwrap_or_default().to_owned();
        let subscription = purchase
            .subscription
            .then(|| format!("sub_sandbox_{suffix}"));
        let payment_intent = (!purchase.subscription).then(|| format!("pi_sandbox_{suffix}"));
        let session = json!({
            "id": session_id,
            "object": "checkout.session",
            "mode": if purchase.subscription { "subscription" } else { "payment" },
            "status": "complete",
            "payment_status": "paid",
            "amount_total": purchase.amount_cents,
            "amount_subtotal": purchase.amount_cents,
            "currency": purchase.currency,
            "client_reference_id": purchase.id.to_string(),
            "payment_intent": payment_intent,
            "subscription": subscription,
            "success_url": purchase.success_url,
            "cancel_url": purchase.cancel_url,
            "livemode": false,
            "metadata": {
                "purchase_id": purchase.id.to_string(),
                "user_id": purchase.user_id.to_string(),
            },
        });
        let mut events = vec![event("checkout.session.completed", session, now)];
        if let Some(subscription_id) = subscription {
            let period_end =
                (now + chrono::Duration::days(interval.map_or(31, Interval::days))).timestamp();
            events.push(event(
                "customer.subscription.created",
                json!({
                    "id": subscription_id,
                    "object": "subscription",
                    "status": "active",
                    "currency": purchase.currency,
                    "items": { "object": "list", "data": [{
                        "object": "subscription_item",
                        "current_period_start": now.timestamp(),
                        "current_period_end": period_end,
                    }]},
                    "metadata": { "purchase_id": purchase.id.to_string() },
                }),
                now,
            ));
            events.push(event(
                "invoice.paid",
                json!({
                    "id": format!("in_sandbox_{suffix}"),
                    "object": "invoice",
                    "billing_reason": "subscription_create",
                    "amount_paid": purchase.amount_cents,
                    "currency": purchase.currency,
                    "status": "paid",
                    "parent": {
                        "type": "subscription_details",
                        "subscription_details": { "subscription": subscription_id },
                    },
                    "lines": { "object": "list", "data": [{
                        "object": "line_item",
                        "amount": purchase.amount_cents,
                        "period": { "start": now.timestamp(), "end": period_end },
                    }]},
                }),
                now,
            ));
        }
        events
    }

    /// The event a cancelled checkout produces (Stripe expires abandoned sessions).
    pub fn expiry_event(&self, purchase: &Purchase, now: DateTime<Utc>) -> Value {
        event(
            "checkout.session.expired",
            json!({
                "id": purchase.checkout_session_id,
                "object": "checkout.session",
                "status": "expired",
                "payment_status": "unpaid",
            }),
            now,
        )
    }

    /// Signs the event and posts it to our webhook route; an answer other than 2xx is
    /// an error.
    pub async fn deliver(&self, event: &Value) -> Result<(), PaymentError> {
        let body = serde_json::to_vec(event)
            .map_err(|e| PaymentError::Unavailable(format!("encode event: {e}")))?;
        let signature = sign(
            self.secret.expose_secret().as_bytes(),
            Utc::now().timestamp(),
            &body,
        );
        let response = self
            .http
            .post(&self.webhook_url)
            .header(SIGNATURE_HEADER, signature)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| PaymentError::Unavailable(format!("webhook delivery: {e}")))?;
        if !response.status().is_success() {
            return Err(PaymentError::Unavailable(format!(
                "the webhook answered {}",
                response.status()
            )));
        }
        Ok(())
    }
}

fn event(event_type: &str, object: Value, now: DateTime<Utc>) -> Value {
    json!({
        "id": format!("evt_sandbox_{}", Uuid::new_v4().simple()),
        "object": "event",
        "api_version": null,
        "created": now.timestamp(),
        "livemode": false,
        "pending_webhooks": 1,
        "request": { "id": null, "idempotency_key": null },
        "type": event_type,
        "data": { "object": object },
    })
}

#[async_trait]
impl PaymentProvider for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn webhook_secret(&self) -> &SecretString {
        &self.secret
    }

    async fn create_checkout(
        &self,
        _request: &CheckoutRequest,
    ) -> Result<CheckoutSession, PaymentError> {
        let id = format!("{SESSION_PREFIX}{}", Uuid::new_v4().simple());
        Ok(CheckoutSession {
            url: format!("{}/sandbox/checkout/{id}", self.public_base),
            id,
        })
    }
}
