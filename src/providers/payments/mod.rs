//! Taking payments: Stripe Checkout when Stripe's keys are configured, else the local
//! sandbox, which plays Stripe's part on this server (a checkout page, then a signed
//! webhook to ourselves), so every flow works and is testable with no Stripe account.
//!
//! Both speak Stripe's webhook format: [`signature`] checks the signature and
//! [`event`] reads the event, whichever provider sent it.

pub mod event;
pub mod sandbox;
pub mod signature;
mod stripe;

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use secrecy::SecretString;

pub use sandbox::Sandbox;
pub use stripe::StripeCheckout;

use crate::config::PaymentsConfig;
use crate::domain::Interval;

/// One checkout to open: a single line item.
#[derive(Debug, Clone)]
pub struct CheckoutRequest {
    /// Ours; also the idempotency key of the provider call.
    pub purchase_id: uuid::Uuid,
    pub customer_email: String,
    /// The line item's name, as the buyer sees it.
    pub name: String,
    pub amount_cents: i64,
    pub currency: String,
    /// `Some` for a subscription.
    pub recurring: Option<Interval>,
    /// Copied onto the session (and a subscription's own metadata).
    pub metadata: BTreeMap<String, String>,
    pub success_url: String,
    pub cancel_url: String,
}

/// A checkout session opened at the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutSession {
    pub id: String,
    /// Where to send the buyer.
    pub url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    /// The provider refused the request (bad parameters, keys).
    #[error("the payment provider refused the checkout: {0}")]
    Rejected(String),
    /// The provider could not be reached or failed; trying later may work.
    #[error("the payment provider is unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait PaymentProvider: Send + Sync + 'static {
    /// `stripe` or `sandbox`: recorded on each purchase.
    fn name(&self) -> &'static str;
    /// The secret webhooks from this provider are signed with.
    fn webhook_secret(&self) -> &SecretString;
    async fn create_checkout(
        &self,
        request: &CheckoutRequest,
    ) -> Result<CheckoutSession, PaymentError>;
}

/// The provider, and the sandbox again when it is the provider (for its page's actions).
pub type Providers = (Arc<dyn PaymentProvider>, Option<Arc<Sandbox>>);

/// The provider the configuration names. `public_base` is where buyers reach this
/// server (the sandbox's checkout page), `self_base` where this server reaches itself
/// (the sandbox's webhook delivery); `derived_secret` signs sandbox webhooks when no
/// secret is configured.
pub fn from_config(
    config: &PaymentsConfig,
    public_base: &str,
    self_base: &str,
    derived_secret: SecretString,
) -> anyhow::Result<Providers> {
    match &config.stripe {
        Some(stripe) => Ok((Arc::new(StripeCheckout::new(stripe)?), None)),
        None => {
            let secret = config
                .sandbox_webhook_secret
                .clone()
                .unwrap_or(derived_secret);
            let sandbox = Arc::new(Sandbox::new(public_base, self_base, secret)?);
            Ok((sandbox.clone(), Some(sandbox)))
        }
    }
}
