//! How packs, their items and reviews look in answers.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::{ContentType, Interval, PackStatus, PriceType, cents_to_amount};
use crate::store::{Pack, Review};

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatorView {
    pub id: Uuid,
    pub name: Option<String>,
}

/// A pack as the catalog lists it (seed 001 "Marketplace APIs").
#[derive(Debug, Serialize, ToSchema)]
pub struct PackView {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub creator: CreatorView,
    pub price_type: PriceType,
    /// In the currency's main unit (`9.99`).
    pub price_amount: f64,
    /// The same in the smallest unit (`999`).
    pub price_cents: i64,
    pub currency: String,
    pub subscription_interval: Option<Interval>,
    pub cover_url: Option<String>,
    pub tags: Vec<String>,
    pub status: PackStatus,
    /// Items in the pack.
    pub ritual_count: i64,
    /// Average of the reviews (1 to 5), none before the first.
    pub rating: Option<f64>,
    pub review_count: i64,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Pack> for PackView {
    fn from(pack: Pack) -> Self {
        PackView {
            rating: pack.rating(),
            id: pack.id,
            title: pack.title,
            description: pack.description,
            creator: CreatorView {
                id: pack.creator_id,
                name: pack.creator_name,
            },
            price_type: pack.price_type,
            price_amount: cents_to_amount(pack.price_cents),
            price_cents: pack.price_cents,
            currency: pack.currency,
            subscription_interval: pack.subscription_interval,
            cover_url: pack.cover_url,
            tags: pack.tags,
            status: pack.status,
            ritual_count: pack.item_count,
            review_count: pack.review_count,
            published_at: pack.published_at,
            created_at: pack.created_at,
            updated_at: pack.updated_at,
        }
    }
}

/// One item of a pack. `audio_url` is there for people who may play it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RitualView {
    pub id: Uuid,
    pub title: Option<String>,
    /// Seconds.
    pub duration: Option<i64>,
    pub practice_type: ContentType,
    pub tags: Vec<String>,
    /// A signed playback URL (only with access); play it through `/content/{id}/play`.
    pub audio_url: Option<String>,
    pub audio_url_expires_at: Option<DateTime<Utc>>,
}

/// A pack with its items and whether the caller may open them.
#[derive(Debug, Serialize, ToSchema)]
pub struct PackDetail {
    #[serde(flatten)]
    pub pack: PackView,
    pub rituals: Vec<RitualView>,
    pub user_has_access: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewView {
    pub id: Uuid,
    pub pack_id: Uuid,
    pub author: CreatorView,
    pub rating: i64,
    pub body: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<Review> for ReviewView {
    fn from(review: Review) -> Self {
        ReviewView {
            id: review.id,
            pack_id: review.pack_id,
            author: CreatorView {
                id: review.user_id,
                name: review.author_name,
            },
            rating: review.rating,
            body: review.body,
            created_at: review.created_at,
        }
    }
}
