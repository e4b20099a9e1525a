//! The marketplace's records and store traits: packs and the catalog, payments and what
//! they grant, creator rewards, and the administrators' views.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::{ContentItem, CrisisAlert, StoreResult, User};
use crate::domain::{
    CreditPack, Credits, Interval, PackStatus, PageRequest, PriceType, Role, UserStatus,
};

/// A creator's pack of their own items.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Pack {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub creator_name: Option<String>,
    pub title: String,
    pub description: String,
    pub price_type: PriceType,
    pub price_cents: i64,
    pub currency: String,
    pub subscription_interval: Option<Interval>,
    pub cover_url: Option<String>,
    pub tags: Vec<String>,
    pub status: PackStatus,
    pub rating_sum: i64,
    pub review_count: i64,
    /// Items it holds that are still in the creator's library.
    pub item_count: i64,
    pub published_at: Option<DateTime<Utc>>,
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Pack {
    /// The average rating, `None` before the first review.
    pub fn rating(&self) -> Option<f64> {
        (self.review_count > 0)
            .then(|| (self.rating_sum as f64 / self.review_count as f64 * 10.0).round() / 10.0)
    }
}

#[derive(Debug, Clone)]
pub struct NewPack {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub title: String,
    pub description: String,
    pub price_type: PriceType,
    pub price_cents: i64,
    pub currency: String,
    pub subscription_interval: Option<Interval>,
    pub cover_url: Option<String>,
    pub tags: Vec<String>,
    /// The creator's own ready items, in order.
    pub item_ids: Vec<Uuid>,
    pub now: DateTime<Utc>,
}

/// Changes to a pack; `None` keeps a field. Price fields travel together (checked by
/// the caller against the resulting price type).
#[derive(Debug, Clone, Default)]
pub struct PackUpdate {
    pub title: Option<String>,
    pub description: Option<String>,
    pub price: Option<(PriceType, i64, Option<Interval>)>,
    pub cover_url: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    pub item_ids: Option<Vec<Uuid>>,
}

/// What the catalog is searched for. Only published packs are ever listed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub struct CatalogQuery {
    /// Words that must all appear in the title or description (stemmed).
    pub search: Option<String>,
    /// Tags the pack must all carry.
    pub tags: Vec<String>,
    pub creator_id: Option<Uuid>,
    pub price_type: Option<PriceType>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Review {
    pub id: Uuid,
    pub pack_id: Uuid,
    pub user_id: Uuid,
    pub author_name: Option<String>,
    pub rating: i64,
    pub body: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewReview {
    pub id: Uuid,
    pub pack_id: Uuid,
    pub user_id: Uuid,
    pub rating: i64,
    pub body: Option<String>,
    pub now: DateTime<Utc>,
}

/// A published pack the user cannot open yet, with the tags of it and its items, for
/// recommendations.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub pack: Pack,
    pub tags: Vec<String>,
}

/// One pack's numbers for its creator.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PackStats {
    pub pack_id: Uuid,
    pub title: String,
    pub status: PackStatus,
    /// Paid purchases (renewals included), refunded ones not.
    pub sales: i64,
    /// Plays of its items by people other than the creator.
    pub plays: i64,
    /// The creator's share, net of refunds, in cents.
    pub earnings_cents: i64,
}

/// The store's word for a pack write that breaks a rule; `Conflict` carries it.
pub mod conflict {
    /// The change is not allowed from the pack's status.
    pub const PACK_STATUS: &str = "pack status";
    /// An item is not the creator's own ready item.
    pub const PACK_ITEMS: &str = "pack items";
    /// A review exists already.
    pub const REVIEWED: &str = "pack_reviews_once";
    /// Only buyers review.
    pub const NOT_A_BUYER: &str = "not a buyer";
}

/// Packs, the catalog, access and reviews.
#[async_trait]
pub trait MarketStore {
    /// Changes an account's role; `NotFound` for an unknown or deleted account.
    async fn set_role(&self, user_id: Uuid, role: Role, now: DateTime<Utc>) -> StoreResult<User>;
    /// Creates a draft. `Conflict(PACK_ITEMS)` when an item is not the creator's own
    /// ready, undeleted item.
    async fn create_pack(&self, new: NewPack) -> StoreResult<Pack>;
    /// Edits a draft or published pack of `creator_id` (`NotFound` for anyone else's);
    /// `Conflict(PACK_STATUS)` for an archived one.
    async fn update_pack(
        &self,
        id: Uuid,
        creator_id: Uuid,
        update: PackUpdate,
        now: DateTime<Utc>,
    ) -> StoreResult<Pack>;
    /// Moves a pack along draft -> published -> archived (or draft -> archived).
    /// `creator_id` `None` acts as an administrator. Publishing needs at least one item.
    async fn set_pack_status(
        &self,
        id: Uuid,
        creator_id: Option<Uuid>,
        status: PackStatus,
        now: DateTime<Utc>,
    ) -> StoreResult<Pack>;
    async fn pack(&self, id: Uuid) -> StoreResult<Option<Pack>>;
    /// The pack's undeleted items, in order.
    async fn pack_items(&self, id: Uuid) -> StoreResult<Vec<ContentItem>>;
    /// One page of a creator's packs (every status), newest first.
    async fn packs_of_creator(
        &self,
        creator_id: Uuid,
        page: PageRequest,
    ) -> StoreResult<(Vec<Pack>, u64)>;
    /// The ids of the published packs matching, best first (by text rank when searching,
    /// else newest), at most `limit`.
    async fn catalog_ids(&self, query: &CatalogQuery, limit: i64) -> StoreResult<Vec<Uuid>>;
    /// These packs, in no particular order (missing ones left out).
    async fn packs_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<Pack>>;
    /// Whether the user may open the pack's items: its creator, a holder of an active
    /// entitlement, or anyone for a published free pack.
    async fn has_pack_access(
        &self,
        user_id: Uuid,
        pack_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// The ready item, when the user may open it through a pack.
    async fn item_through_pack(
        &self,
        user_id: Uuid,
        item_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<ContentItem>>;
    /// `Conflict(NOT_A_BUYER)` unless the user bought the pack (a paid purchase);
    /// `Conflict(REVIEWED)` for a second review. Updates the pack's rating.
    async fn add_review(&self, new: NewReview) -> StoreResult<Review>;
    async fn reviews(&self, pack_id: Uuid, page: PageRequest) -> StoreResult<(Vec<Review>, u64)>;
    /// How often each tag appears on the items the user practised (by play) and made.
    async fn user_tag_counts(&self, user_id: Uuid) -> StoreResult<Vec<(String, i64)>>;
    /// Published packs the user neither made nor holds, most recent first, with their
    /// tags and their items' tags.
    async fn recommendation_candidates(
        &self,
        user_id: Uuid,
        now: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<Candidate>>;
    async fn creator_stats(&self, creator_id: Uuid) -> StoreResult<Vec<PackStats>>;
}

/// What a purchase buys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurchaseKind {
    Pack,
    Credits,
}

impl PurchaseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PurchaseKind::Pack => "pack",
            PurchaseKind::Credits => "credits",
        }
    }
}

/// A checkout and what became of it.
#[derive(Debug, Clone)]
pub struct Purchase {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: PurchaseKind,
    pub pack_id: Option<Uuid>,
    pub pack_title: Option<String>,
    pub credit_pack: Option<CreditPack>,
    pub credits: Credits,
    pub credits_reversed: Credits,
    pub amount_cents: i64,
    pub refunded_cents: i64,
    pub currency: String,
    pub provider: String,
    pub subscription: bool,
    pub checkout_session_id: Option<String>,
    pub invoice_id: Option<String>,
    pub payment_intent_id: Option<String>,
    pub subscription_id: Option<String>,
    /// `pending`, `paid`, `refunded`, `cancelled` or `expired`.
    pub status: String,
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
}

/// A pending purchase, written when its checkout session is created.
#[derive(Debug, Clone)]
pub struct NewPurchase {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: PurchaseKind,
    pub pack_id: Option<Uuid>,
    pub credit_pack: Option<CreditPack>,
    pub credits: Credits,
    pub amount_cents: i64,
    pub currency: String,
    pub provider: &'static str,
    pub subscription: bool,
    pub checkout_session_id: String,
    pub success_url: String,
    pub cancel_url: String,
    pub now: DateTime<Utc>,
}

/// A provider event as received: stored by id, so it is applied once.
#[derive(Debug, Clone)]
pub struct ReceivedEvent {
    pub id: String,
    pub event_type: String,
    /// When the provider says it happened (orders subscription state changes).
    pub created: DateTime<Utc>,
    pub payload: Value,
    pub now: DateTime<Utc>,
}

/// What an event asks of the store, read from its object.
#[derive(Debug, Clone, PartialEq)]
pub enum PaymentEffect {
    /// `checkout.session.completed` with `payment_status` paid (or no payment needed).
    CheckoutPaid {
        session_id: String,
        payment_intent: Option<String>,
        subscription: Option<String>,
        amount_total: Option<i64>,
    },
    /// `checkout.session.expired`.
    CheckoutExpired { session_id: String },
    /// `customer.subscription.*`: whether it grants access now, and until when.
    Subscription {
        subscription_id: String,
        active: bool,
        period_end: Option<DateTime<Utc>>,
    },
    /// `invoice.paid` of a subscription; `renewal` for a cycle after the first.
    InvoicePaid {
        invoice_id: String,
        subscription_id: String,
        amount_paid: i64,
        currency: String,
        period_end: Option<DateTime<Utc>>,
        renewal: bool,
    },
    /// `invoice.payment_failed` of a subscription: access stops until an invoice is paid.
    InvoiceFailed { subscription_id: String },
    /// `charge.refunded`: `amount_refunded` is the charge's refunded total so far.
    Refunded {
        payment_intent: String,
        amount_refunded: i64,
    },
    /// A type we do not act on; kept with the reason.
    Ignored(&'static str),
}

/// What happened to an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventOutcome {
    /// Applied now; the text says what it did.
    Applied(String),
    /// Received before: nothing changed.
    Duplicate,
    /// Stored, nothing to do (unknown type, unknown purchase, older state).
    Ignored(String),
}

/// The terms event application needs from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct RewardTerms {
    /// The creator's share of a sale, in percent.
    pub creator_share_percent: i64,
}

/// One row of a creator's reward ledger.
#[derive(Debug, Clone)]
pub struct Reward {
    pub id: Uuid,
    pub purchase_id: Uuid,
    pub pack_id: Option<Uuid>,
    /// `sale` or `refund`.
    pub kind: String,
    pub gross_cents: i64,
    pub amount_cents: i64,
    pub currency: String,
    pub created_at: DateTime<Utc>,
}

/// Checkouts, provider events and creator rewards.
#[async_trait]
pub trait PaymentStore {
    async fn create_purchase(&self, new: NewPurchase) -> StoreResult<Purchase>;
    async fn purchase_by_session(&self, session_id: &str) -> StoreResult<Option<Purchase>>;
    /// One page of the user's purchases, newest first (pending ones included).
    async fn purchases_of_user(
        &self,
        user_id: Uuid,
        page: PageRequest,
    ) -> StoreResult<(Vec<Purchase>, u64)>;
    /// Every purchase of the user, oldest first (for an export).
    async fn all_purchases_of_user(&self, user_id: Uuid) -> StoreResult<Vec<Purchase>>;
    /// In one transaction: stores the event by id and, the first time only, applies its
    /// effect (purchase, entitlement, credit ledger, creator reward).
    async fn apply_payment_event(
        &self,
        event: ReceivedEvent,
        effect: PaymentEffect,
        terms: RewardTerms,
    ) -> StoreResult<EventOutcome>;
    /// One page of the creator's reward ledger, newest first, the row count, and the
    /// totals per currency.
    async fn rewards(
        &self,
        creator_id: Uuid,
        page: PageRequest,
    ) -> StoreResult<(Vec<Reward>, u64, Vec<(String, i64)>)>;
}

/// Who to list in the administrators' user search.
#[derive(Debug, Clone, Default)]
pub struct UserQuery {
    /// Part of the email or display name, any case.
    pub search: Option<String>,
    pub role: Option<Role>,
    pub status: Option<UserStatus>,
}

/// An administrator's verdict on a crisis alert.
#[derive(Debug, Clone)]
pub struct AlertReview {
    pub id: Uuid,
    pub reviewer_id: Uuid,
    /// `reviewed`, `resolved` or `escalated`.
    pub status: String,
    pub notes: Option<String>,
    pub now: DateTime<Utc>,
}

/// One line of the audit log.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: Uuid,
    pub actor_id: Option<Uuid>,
    pub actor_role: Option<String>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    #[schema(value_type = Object)]
    pub details: Value,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// What the audit log is filtered by.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub action: Option<String>,
    pub actor_id: Option<Uuid>,
    pub target_id: Option<String>,
}

/// The administrators' views: accounts, crisis alerts, the audit log.
#[async_trait]
pub trait AdminStore {
    async fn list_users(
        &self,
        query: &UserQuery,
        page: PageRequest,
    ) -> StoreResult<(Vec<User>, u64)>;
    /// Alerts, newest first, optionally of one status.
    async fn crisis_alerts(
        &self,
        status: Option<&str>,
        page: PageRequest,
    ) -> StoreResult<(Vec<CrisisAlert>, u64)>;
    async fn review_crisis_alert(&self, review: AlertReview) -> StoreResult<CrisisAlert>;
    async fn record_audit(&self, entry: AuditEntry) -> StoreResult<()>;
    async fn audit_log(
        &self,
        query: &AuditQuery,
        page: PageRequest,
    ) -> StoreResult<(Vec<AuditEntry>, u64)>;
}
