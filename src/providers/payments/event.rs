//! Reads a webhook event (Stripe's JSON shape, which the sandbox speaks too) into what
//! the store applies. Only the fields we act on are read, so events of newer API
//! versions with fields we do not know still parse.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;

use crate::store::PaymentEffect;

/// The envelope of an event.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedEvent {
    pub id: String,
    pub event_type: String,
    pub created: DateTime<Utc>,
    pub effect: PaymentEffect,
}

/// Why an event body was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the event {0}")]
pub struct EventError(pub &'static str);

fn text(value: &Value, field: &str) -> Option<String> {
    value.get(field)?.as_str().map(str::to_owned)
}

/// A field that holds an object's id, or the expanded object itself.
fn id_of(value: &Value, field: &str) -> Option<String> {
    match value.get(field)? {
        Value::String(id) => Some(id.clone()),
        Value::Object(object) => object.get("id")?.as_str().map(str::to_owned),
        _ => None,
    }
}

fn unix(value: Option<&Value>) -> Option<DateTime<Utc>> {
    Utc.timestamp_opt(value?.as_i64()?, 0).single()
}

/// The end of a subscription's current period: on the object in older API versions,
/// on its items in newer ones (the latest of them).
fn subscription_period_end(subscription: &Value) -> Option<DateTime<Utc>> {
    unix(subscription.get("current_period_end")).or_else(|| {
        subscription
            .pointer("/items/data")?
            .as_array()?
            .iter()
            .filter_map(|item| unix(item.get("current_period_end")))
            .max()
    })
}

/// The subscription an invoice bills: a field of its own in older API versions, under
/// `parent.subscription_details` in newer ones.
fn invoice_subscription(invoice: &Value) -> Option<String> {
    id_of(invoice, "subscription").or_else(|| {
        invoice
            .pointer("/parent/subscription_details/subscription")?
            .as_str()
            .map(str::to_owned)
    })
}

/// The end of the period an invoice pays for: the latest end among its lines.
fn invoice_period_end(invoice: &Value) -> Option<DateTime<Utc>> {
    invoice
        .pointer("/lines/data")?
        .as_array()?
        .iter()
        .filter_map(|line| unix(line.pointer("/period/end")))
        .max()
        .or_else(|| unix(invoice.get("period_end")))
}

/// Statuses of a subscription that grant access (Stripe retries a `past_due` one; an
/// `invoice.payment_failed` event is what stops access meanwhile).
fn subscription_grants_access(status: &str) -> bool {
    matches!(status, "active" | "trialing" | "past_due")
}

/// Parses an event body.
pub fn parse(body: &[u8]) -> Result<ParsedEvent, EventError> {
    let event: Value = serde_json::from_slice(body).map_err(|_| EventError("is not JSON"))?;
    let id = text(&event, "id")
        .filter(|id| !id.is_empty() && id.len() <= 255)
        .ok_or(EventError("has no id"))?;
    let event_type = text(&event, "type").ok_or(EventError("has no type"))?;
    let created = unix(event.get("created")).ok_or(EventError("has no created time"))?;
    let object = event
        .pointer("/data/object")
        .filter(|o| o.is_object())
        .ok_or(EventError("has no data.object"))?;
    let effect = effect_of(&event_type, object)?;
    Ok(ParsedEvent {
        id,
        event_type,
        created,
        effect,
    })
}

fn effect_of(event_type: &str, object: &Value) -> Result<PaymentEffect, EventError> {
    let object_id = || text(object, "id").ok_or(EventError("object has no id"));
    Ok(match event_type {
        "checkout.session.completed" | "checkout.session.async_payment_succeeded" => {
            let paid = matches!(
                object.get("payment_status").and_then(Value::as_str),
                Some("paid" | "no_payment_required")
            );
            if !paid {
                return Ok(PaymentEffect::Ignored("the checkout is not paid yet"));
            }
            PaymentEffect::CheckoutPaid {
                session_id: object_id()?,
                payment_intent: id_of(object, "payment_intent"),
                subscription: id_of(object, "subscription"),
                amount_total: object.get("amount_total").and_then(Value::as_i64),
            }
        }
        "checkout.session.expired" => PaymentEffect::CheckoutExpired {
            session_id: object_id()?,
        },
        "customer.subscription.created"
        | "customer.subscription.updated"
        | "customer.subscription.deleted" => {
            let status = text(object, "status").unwrap_or_default();
            PaymentEffect::Subscription {
                subscription_id: object_id()?,
                active: event_type != "customer.subscription.deleted"
                    && subscription_grants_access(&status),
                period_end: subscription_period_end(object),
            }
        }
        "invoice.paid" | "invoice.payment_succeeded" => {
            let Some(subscription_id) = invoice_subscription(object) else {
                return Ok(PaymentEffect::Ignored("the invoice bills no subscription"));
            };
            PaymentEffect::InvoicePaid {
                invoice_id: object_id()?,
                subscription_id,
                amount_paid: object
                    .get("amount_paid")
                    .and_then(Value::as_i64)
                    .unwrap_or(0),
                currency: text(object, "currency").unwrap_or_default(),
                period_end: invoice_period_end(object),
                renewal: object.get("billing_reason").and_then(Value::as_str)
                    == Some("subscription_cycle"),
            }
        }
        "invoice.payment_failed" => match invoice_subscription(object) {
            Some(subscription_id) => PaymentEffect::InvoiceFailed { subscription_id },
            None => PaymentEffect::Ignored("the invoice bills no subscription"),
        },
        "charge.refunded" => {
            let amount_refunded = object
                .get("amount_refunded")
                .and_then(Value::as_i64)
                .ok_or(EventError("charge has no amount_refunded"))?;
            match id_of(object, "payment_intent") {
                Some(payment_intent) => PaymentEffect::Refunded {
                    payment_intent,
                    amount_refunded,
                },
                None => PaymentEffect::Ignored("the charge names no payment intent"),
            }
        }
        _ => PaymentEffect::Ignored("not an event type this engine acts on"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(event_type: &str, object: Value) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "id": "evt_1", "object": "event", "type": event_type, "created": 1_700_000_000,
            "data": { "object": object }
        }))
        .unwrap()
    }

    #[test]
    fn checkout_completion_names_the_session_and_payment() {
        let parsed = parse(&event(
            "checkout.session.completed",
            json!({"id": "cs_1", "payment_status": "paid", "payment_intent": "pi_1",
                   "subscription": null, "amount_total": 999}),
        ))
        .unwrap();
        assert_eq!(parsed.id, "evt_1");
        assert_eq!(parsed.created.timestamp(), 1_700_000_000);
        assert_eq!(
            parsed.effect,
            PaymentEffect::CheckoutPaid {
                session_id: "cs_1".into(),
                payment_intent: Some("pi_1".into()),
                subscription: None,
                amount_total: Some(999),
            }
        );
        let unpaid = parse(&event(
            "checkout.session.completed",
            json!({"id": "cs_1", "payment_status": "unpaid"}),
        ))
        .unwrap();
        assert!(matches!(unpaid.effect, PaymentEffect::Ignored(_)));
    }

    #[test]
    fn subscriptions_read_both_api_shapes() {
        let old = parse(&event(
            "customer.subscription.updated",
            json!({"id": "sub_1", "status": "active", "current_period_end": 1_800_000_000}),
        ))
        .unwrap();
        let new = parse(&event(
            "customer.subscription.updated",
            json!({"id": "sub_1", "status": "active",
                   "items": {"data": [{"current_period_end": 1_800_000_000}]}}),
        ))
        .unwrap();
        assert_eq!(old.effect, new.effect);
        let deleted = parse(&event(
            "customer.subscription.deleted",
            json!({"id": "sub_1", "status": "active"}),
        ))
        .unwrap();
        assert!(matches!(
            deleted.effect,
            PaymentEffect::Subscription { active: false, .. }
        ));
        let invoice = parse(&event(
            "invoice.paid",
            json!({"id": "in_1", "amount_paid": 500, "currency": "usd",
                   "billing_reason": "subscription_cycle",
                   "parent": {"subscription_details": {"subscription": "sub_1"}},
                   "lines": {"data": [{"period": {"end": 1_900_000_000}}]}}),
        ))
        .unwrap();
        assert!(matches!(
            invoice.effect,
            PaymentEffect::InvoicePaid { renewal: true, amount_paid: 500, ref subscription_id, period_end: Some(end), .. }
                if subscription_id == "sub_1" && end.timestamp() == 1_900_000_000
        ));
    }

    #[test]
    fn malformed_events_are_refused() {
        assert!(parse(b"not json").is_err());
        assert!(parse(br#"{"type":"x","created":1,"data":{"object":{}}}"#).is_err());
        assert!(parse(br#"{"id":"evt","type":"x","created":1}"#).is_err());
        let unknown = parse(&event("plan.created", json!({"id": "plan_1"}))).unwrap();
        assert!(matches!(unknown.effect, PaymentEffect::Ignored(_)));
        assert!(parse(&event("charge.refunded", json!({"id": "ch_1"}))).is_err());
    }

    #[test]
    fn the_stripe_fixtures_parse() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stripe");
        let envelope: Value =
            serde_json::from_slice(&std::fs::read(dir.join("event.json")).unwrap()).unwrap();
        for (file, event_type) in [
            ("checkout_session.json", "checkout.session.completed"),
            ("subscription.json", "customer.subscription.updated"),
            ("invoice.json", "invoice.paid"),
            ("charge.json", "charge.refunded"),
        ] {
            let object: Value =
                serde_json::from_slice(&std::fs::read(dir.join(file)).unwrap()).unwrap();
            let mut event = envelope.clone();
            event["type"] = json!(event_type);
            event["data"]["object"] = object;
            let parsed = parse(&serde_json::to_vec(&event).unwrap());
            assert!(parsed.is_ok(), "{file}: {parsed:?}");
        }
    }
}
