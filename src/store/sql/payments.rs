use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use sqlx::types::Json;
use uuid::Uuid;

use super::credits::LedgerWrites;
use super::impl_for_backends;
use crate::domain::{Interval, LedgerType, PageRequest};
use crate::store::market::{
    EventOutcome, NewPurchase, PaymentEffect, PaymentStore, Purchase, PurchaseKind, ReceivedEvent,
    Reward, RewardTerms,
};
use crate::store::{NewLedgerEntry, StoreError, StoreResult};

macro_rules! purchase_select {
    () => {
        "SELECT b.id, b.user_id, b.kind, b.pack_id, \
         (SELECT p.title FROM packs p WHERE p.id = b.pack_id) AS pack_title, b.credit_pack, \
         b.credits, b.credits_reversed, b.amount_cents, b.refunded_cents, b.currency, b.provider, \
         b.mode, b.checkout_session_id, b.invoice_id, b.payment_intent_id, b.subscription_id, \
         b.status, b.success_url, b.cancel_url, b.created_at, b.paid_at FROM purchases b"
    };
}

#[derive(sqlx::FromRow)]
struct PurchaseRow {
    id: Uuid,
    user_id: Uuid,
    kind: String,
    pack_id: Option<Uuid>,
    pack_title: Option<String>,
    credit_pack: Option<String>,
    credits: i64,
    credits_reversed: i64,
    amount_cents: i64,
    refunded_cents: i64,
    currency: String,
    provider: String,
    mode: String,
    checkout_session_id: Option<String>,
    invoice_id: Option<String>,
    payment_intent_id: Option<String>,
    subscription_id: Option<String>,
    status: String,
    success_url: Option<String>,
    cancel_url: Option<String>,
    created_at: DateTime<Utc>,
    paid_at: Option<DateTime<Utc>>,
}

impl TryFrom<PurchaseRow> for Purchase {
    type Error = StoreError;

    fn try_from(row: PurchaseRow) -> Result<Self, Self::Error> {
        let invalid =
            |what: String| StoreError::Other(anyhow::anyhow!("purchase {}: {what}", row.id));
        let kind = match row.kind.as_str() {
            "pack" => PurchaseKind::Pack,
            "credits" => PurchaseKind::Credits,
            other => return Err(invalid(format!("kind {other}"))),
        };
        Ok(Purchase {
            credit_pack: row
                .credit_pack
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(invalid)?,
            id: row.id,
            user_id: row.user_id,
            kind,
            pack_id: row.pack_id,
            pack_title: row.pack_title,
            credits: row.credits,
            credits_reversed: row.credits_reversed,
            amount_cents: row.amount_cents,
            refunded_cents: row.refunded_cents,
            currency: row.currency,
            provider: row.provider,
            subscription: row.mode == "subscription",
            checkout_session_id: row.checkout_session_id,
            invoice_id: row.invoice_id,
            payment_intent_id: row.payment_intent_id,
            subscription_id: row.subscription_id,
            status: row.status,
            success_url: row.success_url,
            cancel_url: row.cancel_url,
            created_at: row.created_at,
            paid_at: row.paid_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct RewardRow {
    id: Uuid,
    purchase_id: Uuid,
    pack_id: Option<Uuid>,
    kind: String,
    gross_cents: i64,
    amount_cents: i64,
    currency: String,
    created_at: DateTime<Utc>,
}

/// The creator's share of `gross` cents (rounded down).
fn share_of(gross: i64, terms: RewardTerms) -> i64 {
    gross.saturating_mul(terms.creator_share_percent) / 100
}

/// Credits a refund of `refunded` of `amount` cents takes back, before the cap: the
/// refunded share of the pack's credits, rounded down.
fn credits_due_back(credits: i64, refunded: i64, amount: i64) -> i64 {
    if amount <= 0 {
        return credits;
    }
    (i128::from(credits) * i128::from(refunded.min(amount)) / i128::from(amount)) as i64
}

impl_for_backends!(PaymentStore {
    #[tracing::instrument(skip_all, fields(purchase_id = %new.id, kind = new.kind.as_str()))]
    async fn create_purchase(&self, new: NewPurchase) -> StoreResult<Purchase> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO purchases (id, user_id, kind, pack_id, credit_pack, credits, amount_cents, \
             currency, provider, mode, checkout_session_id, status, success_url, cancel_url, \
             created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', $12, $13, $14, $14)",
        )
        .bind(new.id)
        .bind(new.user_id)
        .bind(new.kind.as_str())
        .bind(new.pack_id)
        .bind(new.credit_pack.map(|c| c.as_str()))
        .bind(new.credits)
        .bind(new.amount_cents)
        .bind(&new.currency)
        .bind(new.provider)
        .bind(if new.subscription { "subscription" } else { "payment" })
        .bind(&new.checkout_session_id)
        .bind(&new.success_url)
        .bind(&new.cancel_url)
        .bind(new.now)
        .execute(&mut *tx)
        .await?;
        let row: PurchaseRow = sqlx::query_as(concat!(purchase_select!(), " WHERE b.id = $1"))
            .bind(new.id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        row.try_into()
    }

    async fn purchase_by_session(&self, session_id: &str) -> StoreResult<Option<Purchase>> {
        let row: Option<PurchaseRow> = sqlx::query_as(concat!(
            purchase_select!(),
            " WHERE b.checkout_session_id = $1"
        ))
        .bind(session_id)
        .fetch_optional(&self.reader)
        .await?;
        row.map(Purchase::try_from).transpose()
    }

    async fn purchases_of_user(
        &self,
        user_id: Uuid,
        page: PageRequest,
    ) -> StoreResult<(Vec<Purchase>, u64)> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM purchases WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(&self.reader)
            .await?;
        let rows: Vec<PurchaseRow> = sqlx::query_as(concat!(
            purchase_select!(),
            " WHERE b.user_id = $1 ORDER BY b.created_at DESC, b.id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(user_id)
        .bind(i64::from(page.limit()))
        .bind(page.offset())
        .fetch_all(&self.reader)
        .await?;
        let purchases = rows
            .into_iter()
            .map(Purchase::try_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((purchases, u64::try_from(total).unwrap_or(0)))
    }

    async fn all_purchases_of_user(&self, user_id: Uuid) -> StoreResult<Vec<Purchase>> {
        let rows: Vec<PurchaseRow> = sqlx::query_as(concat!(
            purchase_select!(),
            " WHERE b.user_id = $1 ORDER BY b.created_at, b.id"
        ))
        .bind(user_id)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter().map(Purchase::try_from).collect()
    }

    #[tracing::instrument(skip_all, fields(event_id = %event.id, event_type = %event.event_type))]
    async fn apply_payment_event(
        &self,
        event: ReceivedEvent,
        effect: PaymentEffect,
        terms: RewardTerms,
    ) -> StoreResult<EventOutcome> {
        let mut tx = self.begin_write().await?;
        let stored = sqlx::query(
            "INSERT INTO payment_events (id, event_type, outcome, payload, received_at) \
             VALUES ($1, $2, '', $3, $4) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&event.id)
        .bind(&event.event_type)
        .bind(Json(event.payload.clone()))
        .bind(event.now)
        .execute(&mut *tx)
        .await?;
        if DB::rows_affected(&stored) == 0 {
            return Ok(EventOutcome::Duplicate);
        }
        let outcome = <Self as EventWrites<DB>>::apply(&mut tx, &event, effect, terms).await?;
        let text = match &outcome {
            EventOutcome::Applied(text) => format!("applied: {text}"),
            EventOutcome::Ignored(text) => format!("ignored: {text}"),
            EventOutcome::Duplicate => "duplicate".to_owned(),
        };
        sqlx::query("UPDATE payment_events SET outcome = $2 WHERE id = $1")
            .bind(&event.id)
            .bind(text)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn rewards(
        &self,
        creator_id: Uuid,
        page: PageRequest,
    ) -> StoreResult<(Vec<Reward>, u64, Vec<(String, i64)>)> {
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM creator_rewards WHERE creator_id = $1")
                .bind(creator_id)
                .fetch_one(&self.reader)
                .await?;
        let rows: Vec<RewardRow> = sqlx::query_as(
            "SELECT id, purchase_id, pack_id, kind, gross_cents, amount_cents, currency, created_at \
             FROM creator_rewards WHERE creator_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
        )
        .bind(creator_id)
        .bind(i64::from(page.limit()))
        .bind(page.offset())
        .fetch_all(&self.reader)
        .await?;
        let totals: Vec<(String, i64)> = sqlx::query_as(
            "SELECT currency, CAST(SUM(amount_cents) AS BIGINT) FROM creator_rewards \
             WHERE creator_id = $1 GROUP BY currency ORDER BY currency",
        )
        .bind(creator_id)
        .fetch_all(&self.reader)
        .await?;
        let rewards = rows
            .into_iter()
            .map(|r| Reward {
                id: r.id,
                purchase_id: r.purchase_id,
                pack_id: r.pack_id,
                kind: r.kind,
                gross_cents: r.gross_cents,
                amount_cents: r.amount_cents,
                currency: r.currency,
                created_at: r.created_at,
            })
            .collect();
        Ok((rewards, u64::try_from(total).unwrap_or(0), totals))
    }
});

/// The writes of event application, inside the event's transaction.
#[async_trait::async_trait]
trait EventWrites<DB: sqlx::Database> {
    async fn apply(
        tx: &mut sqlx::Transaction<'static, DB>,
        event: &ReceivedEvent,
        effect: PaymentEffect,
        terms: RewardTerms,
    ) -> StoreResult<EventOutcome>;
    /// The purchase matching `condition` on `b` with `$1` bound to `value`, its row
    /// locked until the transaction ends: two different events about one purchase
    /// (a completion and its async twin, two refunds) apply one after the other, each
    /// seeing what the other did.
    async fn purchase_where(
        tx: &mut sqlx::Transaction<'static, DB>,
        condition: &'static str,
        value: &str,
    ) -> StoreResult<Option<Purchase>>;
    /// Moves the entitlement of a subscription to `status` (unless a later state was
    /// applied already) and its access end forward to `period_end`.
    async fn set_subscription_state(
        tx: &mut sqlx::Transaction<'static, DB>,
        event: &ReceivedEvent,
        subscription_id: &str,
        status: Option<&'static str>,
        period_end: Option<DateTime<Utc>>,
    ) -> StoreResult<EventOutcome>;
    /// Writes the creator's share of `gross` cents (negative for a refund).
    #[allow(clippy::too_many_arguments)]
    async fn reward(
        tx: &mut sqlx::Transaction<'static, DB>,
        purchase_id: Uuid,
        pack_id: Uuid,
        kind: &'static str,
        gross: i64,
        currency: &str,
        terms: RewardTerms,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Takes back the refunded share of a credit pack, never more than the buyer has
    /// unspent (balance minus open holds).
    async fn take_back_credits(
        tx: &mut sqlx::Transaction<'static, DB>,
        purchase: &Purchase,
        amount_refunded: i64,
        event: &ReceivedEvent,
    ) -> StoreResult<EventOutcome>;
}

impl_for_backends!(EventWrites<DB> {
    async fn apply(
        tx: &mut sqlx::Transaction<'static, DB>,
        event: &ReceivedEvent,
        effect: PaymentEffect,
        terms: RewardTerms,
    ) -> StoreResult<EventOutcome> {
        let ignored = |why: &str| Ok(EventOutcome::Ignored(why.to_owned()));
        match effect {
            PaymentEffect::Ignored(why) => ignored(why),
            PaymentEffect::CheckoutPaid {
                session_id,
                payment_intent,
                subscription,
                amount_total,
            } => {
                let Some(purchase) = Self::purchase_where(tx, "b.checkout_session_id = $1", &session_id).await?
                else {
                    return ignored("no purchase has this checkout session");
                };
                if purchase.status != "pending" {
                    return ignored("the purchase is no longer pending");
                }
                let amount = amount_total.unwrap_or(purchase.amount_cents);
                sqlx::query(
                    "UPDATE purchases SET status = 'paid', paid_at = $2, updated_at = $2, \
                     payment_intent_id = $3, subscription_id = $4, amount_cents = $5 WHERE id = $1",
                )
                .bind(purchase.id)
                .bind(event.now)
                .bind(payment_intent)
                .bind(subscription.clone())
                .bind(amount)
                .execute(&mut **tx)
                .await?;
                match (purchase.kind, purchase.pack_id) {
                    (PurchaseKind::Credits, _) => {
                        <Self as LedgerWrites<DB>>::apply(
                            tx,
                            NewLedgerEntry {
                                id: Uuid::now_v7(),
                                user_id: purchase.user_id,
                                kind: LedgerType::Purchase,
                                amount: purchase.credits,
                                content_item_id: None,
                                content_type: None,
                                metadata: json!({
                                    "purchase_id": purchase.id,
                                    "pack_id": purchase.credit_pack.map(|c| c.as_str()),
                                    "payment_event": event.id,
                                }),
                                now: event.now,
                            },
                        )
                        .await?;
                        Ok(EventOutcome::Applied(format!(
                            "{} credits added",
                            purchase.credits
                        )))
                    }
                    (PurchaseKind::Pack, Some(pack_id)) => {
                        let interval: Option<String> = sqlx::query_scalar(
                            "SELECT subscription_interval FROM packs WHERE id = $1",
                        )
                        .bind(pack_id)
                        .fetch_one(&mut **tx)
                        .await?;
                        let expires_at = match (&subscription, interval.as_deref()) {
                            (Some(_), Some(interval)) => {
                                let days = interval.parse::<Interval>().map_or(31, Interval::days);
                                Some(event.now + Duration::days(days))
                            }
                            (Some(_), None) => Some(event.now + Duration::days(31)),
                            (None, _) => None,
                        };
                        sqlx::query(
                            "INSERT INTO entitlements (id, user_id, pack_id, purchase_id, \
                             subscription_id, status, expires_at, state_at, created_at, updated_at) \
                             VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, $8) \
                             ON CONFLICT (user_id, pack_id) DO UPDATE SET status = 'active', \
                               purchase_id = excluded.purchase_id, \
                               subscription_id = excluded.subscription_id, \
                               expires_at = excluded.expires_at, state_at = excluded.state_at, \
                               updated_at = excluded.updated_at",
                        )
                        .bind(Uuid::now_v7())
                        .bind(purchase.user_id)
                        .bind(pack_id)
                        .bind(purchase.id)
                        .bind(subscription)
                        .bind(expires_at)
                        .bind(event.created)
                        .bind(event.now)
                        .execute(&mut **tx)
                        .await?;
                        Self::reward(tx, purchase.id, pack_id, "sale", amount, &purchase.currency, terms, event.now)
                            .await?;
                        Ok(EventOutcome::Applied("pack access granted".into()))
                    }
                    (PurchaseKind::Pack, None) => ignored("the purchase names no pack"),
                }
            }
            PaymentEffect::CheckoutExpired { session_id } => {
                let result = sqlx::query(
                    "UPDATE purchases SET status = 'expired', updated_at = $2 \
                     WHERE checkout_session_id = $1 AND status = 'pending'",
                )
                .bind(&session_id)
                .bind(event.now)
                .execute(&mut **tx)
                .await?;
                if DB::rows_affected(&result) == 0 {
                    return ignored("no pending purchase has this checkout session");
                }
                Ok(EventOutcome::Applied("checkout expired".into()))
            }
            PaymentEffect::Subscription {
                subscription_id,
                active,
                period_end,
            } => {
                let status = if active { "active" } else { "lapsed" };
                Self::set_subscription_state(tx, event, &subscription_id, Some(status), period_end).await
            }
            PaymentEffect::InvoiceFailed { subscription_id } => {
                Self::set_subscription_state(tx, event, &subscription_id, Some("lapsed"), None).await
            }
            PaymentEffect::InvoicePaid {
                invoice_id,
                subscription_id,
                amount_paid,
                currency,
                period_end,
                renewal,
            } => {
                let outcome =
                    Self::set_subscription_state(tx, event, &subscription_id, Some("active"), period_end)
                        .await?;
                if !renewal || matches!(outcome, EventOutcome::Ignored(_)) {
                    return Ok(outcome);
                }
                let recorded: Option<Uuid> =
                    sqlx::query_scalar("SELECT id FROM purchases WHERE invoice_id = $1")
                        .bind(&invoice_id)
                        .fetch_optional(&mut **tx)
                        .await?;
                if recorded.is_some() {
                    return Ok(outcome);
                }
                let Some(first) =
                    Self::purchase_where(tx, "b.subscription_id = $1 AND b.invoice_id IS NULL", &subscription_id)
                        .await?
                else {
                    return Ok(outcome);
                };
                let id = Uuid::now_v7();
                sqlx::query(
                    "INSERT INTO purchases (id, user_id, kind, pack_id, amount_cents, currency, \
                     provider, mode, invoice_id, subscription_id, status, created_at, updated_at, \
                     paid_at) VALUES ($1, $2, 'pack', $3, $4, $5, $6, 'subscription', $7, $8, 'paid', \
                     $9, $9, $9)",
                )
                .bind(id)
                .bind(first.user_id)
                .bind(first.pack_id)
                .bind(amount_paid)
                .bind(&currency)
                .bind(&first.provider)
                .bind(&invoice_id)
                .bind(&subscription_id)
                .bind(event.now)
                .execute(&mut **tx)
                .await?;
                if let Some(pack_id) = first.pack_id {
                    Self::reward(tx, id, pack_id, "sale", amount_paid, &currency, terms, event.now).await?;
                }
                Ok(EventOutcome::Applied("subscription renewed".into()))
            }
            PaymentEffect::Refunded {
                payment_intent,
                amount_refunded,
            } => {
                let Some(purchase) =
                    Self::purchase_where(tx, "b.payment_intent_id = $1", &payment_intent).await?
                else {
                    return ignored("no purchase has this payment");
                };
                let delta = amount_refunded.min(purchase.amount_cents) - purchase.refunded_cents;
                if delta <= 0 {
                    return ignored("nothing more was refunded");
                }
                let fully = amount_refunded >= purchase.amount_cents;
                sqlx::query(
                    "UPDATE purchases SET refunded_cents = refunded_cents + $2, updated_at = $3, \
                     status = CASE WHEN $4 THEN 'refunded' ELSE status END WHERE id = $1",
                )
                .bind(purchase.id)
                .bind(delta)
                .bind(event.now)
                .bind(fully)
                .execute(&mut **tx)
                .await?;
                match (purchase.kind, purchase.pack_id) {
                    (PurchaseKind::Credits, _) => {
                        Self::take_back_credits(tx, &purchase, amount_refunded, event).await
                    }
                    (PurchaseKind::Pack, pack_id) => {
                        if fully {
                            sqlx::query(
                                "UPDATE entitlements SET status = 'revoked', updated_at = $2 \
                                 WHERE purchase_id = $1",
                            )
                            .bind(purchase.id)
                            .bind(event.now)
                            .execute(&mut **tx)
                            .await?;
                        }
                        if let Some(pack_id) = pack_id {
                            Self::reward(tx, purchase.id, pack_id, "refund", -delta, &purchase.currency, terms, event.now)
                                .await?;
                        }
                        Ok(EventOutcome::Applied(if fully {
                            "refunded; pack access revoked".into()
                        } else {
                            format!("{delta} cents refunded")
                        }))
                    }
                }
            }
        }
    }

    async fn purchase_where(
        tx: &mut sqlx::Transaction<'static, DB>,
        condition: &'static str,
        value: &str,
    ) -> StoreResult<Option<Purchase>> {
        let row: Option<PurchaseRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{} WHERE {condition} ORDER BY b.created_at LIMIT 1{}",
            purchase_select!(),
            DB::LOCK_ROWS
        )))
        .bind(value)
        .fetch_optional(&mut **tx)
        .await?;
        row.map(Purchase::try_from).transpose()
    }

    async fn set_subscription_state(
        tx: &mut sqlx::Transaction<'static, DB>,
        event: &ReceivedEvent,
        subscription_id: &str,
        status: Option<&'static str>,
        period_end: Option<DateTime<Utc>>,
    ) -> StoreResult<EventOutcome> {
        let found: Option<(Uuid, DateTime<Utc>, Option<DateTime<Utc>>)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT id, state_at, expires_at FROM entitlements WHERE subscription_id = $1{}",
                DB::LOCK_ROWS
            )))
        .bind(subscription_id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some((id, state_at, expires_at)) = found else {
            return Ok(EventOutcome::Ignored("no entitlement has this subscription".into()));
        };
        let newer = event.created >= state_at;
        let expires_at = match (expires_at, period_end) {
            (Some(current), Some(end)) => Some(current.max(end)),
            (current, end) => end.or(current),
        };
        let status = status.filter(|_| newer);
        sqlx::query(
            "UPDATE entitlements SET status = COALESCE($2, status), expires_at = $3, \
             state_at = CASE WHEN $2 IS NULL THEN state_at ELSE $4 END, updated_at = $5 \
             WHERE id = $1 AND status <> 'revoked'",
        )
        .bind(id)
        .bind(status)
        .bind(expires_at)
        .bind(event.created)
        .bind(event.now)
        .execute(&mut **tx)
        .await?;
        Ok(match status {
            Some(status) => EventOutcome::Applied(format!("subscription access {status}")),
            None if period_end.is_some() => {
                EventOutcome::Applied("subscription period extended".into())
            }
            None => EventOutcome::Ignored("a later subscription state was applied".into()),
        })
    }

    async fn reward(
        tx: &mut sqlx::Transaction<'static, DB>,
        purchase_id: Uuid,
        pack_id: Uuid,
        kind: &'static str,
        gross: i64,
        currency: &str,
        terms: RewardTerms,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        if gross == 0 {
            return Ok(());
        }
        let amount = if gross < 0 {
            -share_of(-gross, terms)
        } else {
            share_of(gross, terms)
        };
        sqlx::query(
            "INSERT INTO creator_rewards (id, creator_id, purchase_id, pack_id, kind, gross_cents, \
             amount_cents, currency, created_at) \
             SELECT $1, creator_id, $2, id, $3, $4, $5, $6, $7 FROM packs WHERE id = $8",
        )
        .bind(Uuid::now_v7())
        .bind(purchase_id)
        .bind(kind)
        .bind(gross)
        .bind(amount)
        .bind(currency)
        .bind(now)
        .bind(pack_id)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    async fn take_back_credits(
        tx: &mut sqlx::Transaction<'static, DB>,
        purchase: &Purchase,
        amount_refunded: i64,
        event: &ReceivedEvent,
    ) -> StoreResult<EventOutcome> {
        let due = credits_due_back(purchase.credits, amount_refunded, purchase.amount_cents)
            - purchase.credits_reversed;
        let unspent: i64 = sqlx::query_scalar(
            "SELECT u.credit_balance - (SELECT CAST(COALESCE(SUM(h.amount), 0) AS BIGINT) \
               FROM credit_holds h WHERE h.user_id = u.id AND h.status = 'open') \
             FROM users u WHERE u.id = $1",
        )
        .bind(purchase.user_id)
        .fetch_one(&mut **tx)
        .await?;
        let taken = due.min(unspent.max(0)).max(0);
        if taken > 0 {
            <Self as LedgerWrites<DB>>::apply(
                tx,
                NewLedgerEntry {
                    id: Uuid::now_v7(),
                    user_id: purchase.user_id,
                    kind: LedgerType::Refund,
                    amount: -taken,
                    content_item_id: None,
                    content_type: None,
                    metadata: json!({
                        "purchase_id": purchase.id,
                        "pack_id": purchase.credit_pack.map(|c| c.as_str()),
                        "payment_event": event.id,
                        "reason": "payment refunded",
                    }),
                    now: event.now,
                },
            )
            .await?;
            sqlx::query("UPDATE purchases SET credits_reversed = credits_reversed + $2 WHERE id = $1")
                .bind(purchase.id)
                .bind(taken)
                .execute(&mut **tx)
                .await?;
        }
        Ok(EventOutcome::Applied(format!(
            "refund took back {taken} of {due} credits due (the rest was spent)"
        )))
    }
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refunds_take_back_the_refunded_share() {
        assert_eq!(credits_due_back(10, 999, 999), 10);
        assert_eq!(credits_due_back(10, 500, 1000), 5);
        assert_eq!(credits_due_back(3, 1, 499), 0);
        assert_eq!(
            credits_due_back(30, 5000, 2999),
            30,
            "never more than the pack"
        );
        assert_eq!(
            credits_due_back(3, 0, 0),
            3,
            "a free pack refunded gives all back"
        );
    }

    #[test]
    fn creators_get_their_share_rounded_down() {
        let terms = RewardTerms {
            creator_share_percent: 70,
        };
        assert_eq!(share_of(999, terms), 699);
        assert_eq!(share_of(1, terms), 0);
    }
}
