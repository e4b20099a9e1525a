//! Stripe Checkout through async-stripe: one call, creating a checkout session.

use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use stripe_checkout::CheckoutSessionMode;
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData,
    CreateCheckoutSessionLineItemsPriceDataRecurring,
    CreateCheckoutSessionLineItemsPriceDataRecurringInterval,
    CreateCheckoutSessionSubscriptionData, ProductData,
};
use stripe_types::Currency;

use super::{CheckoutRequest, CheckoutSession, PaymentError, PaymentProvider};
use crate::config::StripeConfig;
use crate::domain::Interval;

/// How long one Stripe call may take.
const TIMEOUT: Duration = Duration::from_secs(20);

pub struct StripeCheckout {
    client: Client,
    webhook_secret: SecretString,
}

impl StripeCheckout {
    pub fn new(config: &StripeConfig) -> anyhow::Result<Self> {
        let mut builder = ClientBuilder::new(config.secret_key.expose_secret()).timeout(TIMEOUT);
        if let Some(base) = &config.api_base {
            // The client appends `v1/...` to the base: a path must end with `/`.
            let base = if base.ends_with('/') {
                base.clone()
            } else {
                format!("{base}/")
            };
            builder = builder.url(base);
        }
        let client = builder
            .build()
            .map_err(|e| anyhow::anyhow!("Stripe client: {e}"))?;
        Ok(Self {
            client,
            webhook_secret: config.webhook_secret.clone(),
        })
    }
}

fn session_request(request: &CheckoutRequest) -> Result<CreateCheckoutSession, PaymentError> {
    let currency = Currency::from_str(&request.currency)
        .map_err(|_| PaymentError::Rejected(format!("unknown currency {}", request.currency)))?;
    let mut price = CreateCheckoutSessionLineItemsPriceData::new(currency);
    price.unit_amount = Some(request.amount_cents);
    price.product_data = Some(ProductData::new(request.name.clone()));
    if let Some(interval) = request.recurring {
        price.recurring = Some(CreateCheckoutSessionLineItemsPriceDataRecurring::new(
            match interval {
                Interval::Monthly => {
                    CreateCheckoutSessionLineItemsPriceDataRecurringInterval::Month
                }
                Interval::Annual => CreateCheckoutSessionLineItemsPriceDataRecurringInterval::Year,
            },
        ));
    }
    let mut line = CreateCheckoutSessionLineItems::new();
    line.price_data = Some(price);
    line.quantity = Some(1);
    let metadata: HashMap<String, String> = request.metadata.clone().into_iter().collect();
    let mut session = CreateCheckoutSession::new()
        .mode(if request.recurring.is_some() {
            CheckoutSessionMode::Subscription
        } else {
            CheckoutSessionMode::Payment
        })
        .success_url(request.success_url.clone())
        .cancel_url(request.cancel_url.clone())
        .client_reference_id(request.purchase_id.to_string())
        .customer_email(request.customer_email.clone())
        .metadata(metadata.clone())
        .line_items(vec![line]);
    if request.recurring.is_some() {
        let mut subscription = CreateCheckoutSessionSubscriptionData::new();
        subscription.metadata = Some(metadata);
        session = session.subscription_data(subscription);
    }
    Ok(session)
}

#[async_trait]
impl PaymentProvider for StripeCheckout {
    fn name(&self) -> &'static str {
        "stripe"
    }

    fn webhook_secret(&self) -> &SecretString {
        &self.webhook_secret
    }

    #[tracing::instrument(skip_all, fields(purchase_id = %request.purchase_id))]
    async fn create_checkout(
        &self,
        request: &CheckoutRequest,
    ) -> Result<CheckoutSession, PaymentError> {
        let key = IdempotencyKey::new(format!("checkout-{}", request.purchase_id))
            .map_err(|e| PaymentError::Rejected(format!("idempotency key: {e:?}")))?;
        let session = session_request(request)?
            .customize()
            .request_strategy(RequestStrategy::Idempotent(key))
            .send(&self.client)
            .await
            .map_err(|e| match e {
                StripeError::Stripe(error, status) if status < 500 && status != 429 => {
                    PaymentError::Rejected(
                        error
                            .message
                            .clone()
                            .unwrap_or_else(|| format!("HTTP {status}")),
                    )
                }
                StripeError::Stripe(error, status) => PaymentError::Unavailable(format!(
                    "HTTP {status}: {}",
                    error.message.clone().unwrap_or_default()
                )),
                other => PaymentError::Unavailable(other.to_string()),
            })?;
        let url = session.url.ok_or_else(|| {
            PaymentError::Unavailable("the session came back without a URL".into())
        })?;
        Ok(CheckoutSession {
            id: session.id.to_string(),
            url,
        })
    }
}
