//! The library: a person's items, their practice, share links, profile, export and
//! deletion (seed 001 "Ritual Library Service", "Data Export & Deletion").
//!
//! Reads of an item and of a profile are cache-aside under the seed's keys
//! ([`crate::cache::keys`]); every write that changes what is cached fences the key after
//! it commits ([`crate::cache::FENCE`]), so a read after a write never sees the old
//! value. Items still being generated are never cached (their writes come from jobs).

pub mod stats;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::blob::{BlobKey, BlobStore};
use crate::cache::{self, Cache, Lookup, keys};
use crate::error::ApiError;
use crate::store::{
    Completion, ContentItem, ContentStatus, ContentUpdate, NOT_READY, NewPractice, NewShare,
    PracticeCompletion, PracticeEvent, PracticeStarted, Repository, Share, StoreError, User,
};
use crate::time::now;

pub use stats::{PracticeStats, TypeTotals};

/// Deleted items whose audio is removed per sweep.
const PURGE_BATCH: i64 = 100;

/// The library service; one per process, shared by the routes.
#[derive(Clone)]
pub struct Library {
    store: Arc<dyn Repository>,
    cache: Arc<dyn Cache>,
    blobs: Arc<dyn BlobStore>,
    /// Items of packs the user holds are theirs to open and play.
    catalog: crate::market::Catalog,
}

/// The error of a write on an item that is still being generated.
pub fn not_ready() -> ApiError {
    ApiError::new(
        actix_web::http::StatusCode::CONFLICT,
        crate::error::code::CONTENT_NOT_READY,
        "the item is still being generated; try again when it is ready",
    )
}

/// Maps the store's answer for an item: `NotFound` is the item's 404 and
/// `Conflict(NOT_READY)` is [`not_ready`].
fn item_error(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::not_found("content item"),
        StoreError::Conflict(what) if what == NOT_READY => not_ready(),
        other => other.into(),
    }
}

impl Library {
    pub fn new(
        store: Arc<dyn Repository>,
        cache: Arc<dyn Cache>,
        blobs: Arc<dyn BlobStore>,
        catalog: crate::market::Catalog,
    ) -> Self {
        Self {
            store,
            cache,
            blobs,
            catalog,
        }
    }

    /// An item the user may open: their own ([`Library::item`]), or a ready item of a
    /// pack they hold.
    pub async fn viewable(&self, user_id: Uuid, id: Uuid) -> Result<ContentItem, ApiError> {
        match self.item(user_id, id).await {
            Err(e) if e.code() == crate::error::code::NOT_FOUND => {
                self.catalog.item_through_pack(user_id, id).await?.ok_or(e)
            }
            other => other,
        }
    }

    /// The caller's undeleted item, from the cache when it is there; another user's
    /// item is not found.
    pub async fn item(&self, user_id: Uuid, id: Uuid) -> Result<ContentItem, ApiError> {
        let key = keys::content_metadata(id);
        let ticket = match cache::lookup::<ContentItem>(&*self.cache, "content", &key).await {
            Lookup::Hit(item) if item.user_id == user_id => return Ok(item),
            Lookup::Hit(_) => return Err(ApiError::not_found("content item")),
            Lookup::Miss(ticket) => ticket,
        };
        let item = self
            .store
            .content_item(id, user_id)
            .await?
            .ok_or_else(|| ApiError::not_found("content item"))?;
        if item.status != ContentStatus::Generating {
            cache::fill(&*self.cache, ticket, &item, keys::CONTENT_TTL).await;
        }
        Ok(item)
    }

    async fn changed(&self, id: Uuid) {
        cache::invalidate(&*self.cache, &keys::content_metadata(id)).await;
    }

    pub async fn update(
        &self,
        user_id: Uuid,
        id: Uuid,
        update: ContentUpdate,
    ) -> Result<ContentItem, ApiError> {
        let item = self
            .store
            .update_content(id, user_id, update)
            .await
            .map_err(item_error)?;
        self.changed(id).await;
        Ok(item)
    }

    /// Marks the item deleted, then removes its audio object. When that removal fails
    /// the item stays marked for [`Library::purge_deleted_audio`] to retry.
    pub async fn delete(&self, user_id: Uuid, id: Uuid) -> Result<(), ApiError> {
        let audio = self
            .store
            .delete_content(id, user_id, now())
            .await
            .map_err(item_error)?;
        self.changed(id).await;
        if let Some(key) = audio {
            self.remove_audio(id, &key).await;
        }
        tracing::info!(content_id = %id, "content deleted");
        Ok(())
    }

    /// Removes a deleted item's audio object and records that it is gone.
    async fn remove_audio(&self, id: Uuid, key: &str) -> bool {
        let removed = match BlobKey::parse(key) {
            Ok(blob) => self.blobs.delete(&blob).await.map_err(anyhow::Error::new),
            // Nothing can be stored under an invalid key: there is nothing to remove.
            Err(_) => Ok(()),
        };
        if let Err(e) = removed {
            tracing::warn!(content_id = %id, error = %e, "removing deleted audio failed; will retry");
            return false;
        }
        match self.store.forget_audio(id, key).await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(content_id = %id, error = %e, "recording removed audio failed");
                false
            }
        }
    }

    /// Removes the audio objects of deleted items that are still there (a removal that
    /// failed at deletion time). Returns how many were removed.
    pub async fn purge_deleted_audio(&self) -> anyhow::Result<usize> {
        let pending = self.store.deleted_audio(PURGE_BATCH).await?;
        let mut removed = 0;
        for (id, key) in pending {
            if self.remove_audio(id, &key).await {
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Records a play (free and unlimited) of a ready item of the user's own or of a
    /// pack they hold.
    pub async fn play(
        &self,
        user_id: Uuid,
        id: Uuid,
        started_at: DateTime<Utc>,
        metadata: serde_json::Value,
    ) -> Result<PracticeStarted, ApiError> {
        let started = self
            .store
            .start_practice(NewPractice {
                id: Uuid::now_v7(),
                user_id,
                content_id: id,
                started_at,
                metadata,
                now: now(),
            })
            .await
            .map_err(item_error)?;
        self.changed(id).await;
        Ok(started)
    }

    pub async fn complete(&self, done: PracticeCompletion) -> Result<Completion, ApiError> {
        self.store
            .complete_practice(done)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => ApiError::not_found("practice event"),
                other => other.into(),
            })
    }

    /// The item's share link, creating it when it has none (`true` when created).
    pub async fn share(&self, user_id: Uuid, id: Uuid) -> Result<(Share, bool), ApiError> {
        self.store
            .create_share(NewShare {
                id: Uuid::now_v7(),
                content_id: id,
                user_id,
                token: new_share_token(),
                now: now(),
            })
            .await
            .map_err(item_error)
    }

    /// The item's active link; not found when the item is not the caller's or has none.
    pub async fn active_share(&self, user_id: Uuid, id: Uuid) -> Result<Share, ApiError> {
        self.item(user_id, id).await?;
        self.store
            .active_share(id, user_id)
            .await?
            .ok_or_else(|| ApiError::not_found("share link"))
    }

    /// Revokes the item's link; from this moment the link answers 404. Revoking an
    /// item that has no link is not an error.
    pub async fn unshare(&self, user_id: Uuid, id: Uuid) -> Result<(), ApiError> {
        self.item(user_id, id).await?;
        if self.store.revoke_share(id, user_id, now()).await? {
            tracing::info!(content_id = %id, "share link revoked");
        }
        Ok(())
    }

    /// What a share link shows (read from the store every time: a revoked link must
    /// stop working at once on every node).
    pub async fn shared(&self, token: &str) -> Result<(Share, ContentItem), ApiError> {
        let not_found = || ApiError::not_found("shared item");
        if !is_share_token(token) {
            return Err(not_found());
        }
        self.store
            .shared_content(token)
            .await?
            .ok_or_else(not_found)
    }

    /// The caller's profile, from the cache when it is there.
    pub async fn profile(&self, user_id: Uuid) -> Result<UserProfile, ApiError> {
        let key = keys::user_profile(user_id);
        let ticket = match cache::lookup::<UserProfile>(&*self.cache, "profile", &key).await {
            Lookup::Hit(profile) => return Ok(profile),
            Lookup::Miss(ticket) => ticket,
        };
        let profile = UserProfile::from(
            self.store
                .user_by_id(user_id)
                .await?
                .ok_or_else(|| ApiError::not_found("user"))?,
        );
        cache::fill(&*self.cache, ticket, &profile, keys::PROFILE_TTL).await;
        Ok(profile)
    }

    /// Fences the cached profile after a change to it.
    pub async fn profile_changed(&self, user_id: Uuid) {
        cache::invalidate(&*self.cache, &keys::user_profile(user_id)).await;
    }

    /// Everything stored about the user, for their export.
    pub async fn export(&self, user_id: Uuid) -> Result<UserData, ApiError> {
        let user = self
            .store
            .user_by_id(user_id)
            .await?
            .ok_or_else(|| ApiError::not_found("user"))?;
        Ok(UserData {
            content: self.store.content_of_user(user_id).await?,
            conversations: self.store.conversations_of_user(user_id).await?,
            practice: self.store.practice_of_user(user_id).await?,
            ledger: self.store.ledger_of_user(user_id).await?,
            shares: self.store.shares_of_user(user_id).await?,
            crisis_alerts: self.store.crisis_alerts_of_user(user_id).await?,
            credits: self.store.credit_summary(user_id).await?,
            user,
        })
    }

    /// Deletes the account and everything of it (the caller has confirmed the
    /// password): rows in one transaction, then the audio objects, then the cache.
    /// Returns how many audio objects were removed.
    pub async fn delete_account(&self, user_id: Uuid) -> Result<usize, ApiError> {
        let items = self.store.delete_account(user_id, now()).await?;
        // A creator's packs were archived with the account.
        self.catalog.changed().await;
        for key in [keys::user_status(user_id), keys::user_profile(user_id)] {
            cache::invalidate(&*self.cache, &key).await;
        }
        let mut removed = 0;
        for (id, audio) in &items {
            self.changed(*id).await;
            let Some(blob) = audio.as_deref().and_then(|key| BlobKey::parse(key).ok()) else {
                continue;
            };
            match self.blobs.delete(&blob).await {
                Ok(()) => removed += 1,
                Err(e) => {
                    tracing::error!(error = %e, key = %blob, "removing a deleted account's audio failed")
                }
            }
        }
        tracing::info!(%user_id, audio_removed = removed, "account deleted");
        Ok(removed)
    }
}

/// Everything stored about one user.
pub struct UserData {
    pub user: User,
    pub credits: crate::store::CreditSummary,
    /// Every item, deleted ones included (their text is still held).
    pub content: Vec<ContentItem>,
    pub conversations: Vec<crate::store::ConversationRecord>,
    pub practice: Vec<PracticeEvent>,
    pub ledger: Vec<crate::store::LedgerEntry>,
    pub shares: Vec<Share>,
    pub crisis_alerts: Vec<crate::store::CrisisAlert>,
}

/// A user's profile as the API shows it and the cache holds it (no password hash, no
/// balance: those never go through the cache).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct UserProfile {
    pub id: Uuid,
    pub email: String,
    pub role: crate::domain::Role,
    pub display_name: Option<String>,
    pub preferences: crate::domain::Preferences,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<User> for UserProfile {
    fn from(user: User) -> Self {
        UserProfile {
            id: user.id,
            email: user.email,
            role: user.role,
            display_name: user.display_name,
            preferences: user.preferences,
            created_at: user.created_at,
            updated_at: user.updated_at,
        }
    }
}

/// Bytes of randomness in a share token (256 bits, 43 characters of base64url).
const SHARE_TOKEN_BYTES: usize = 32;

fn new_share_token() -> String {
    use base64::Engine;
    let bytes: [u8; SHARE_TOKEN_BYTES] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether `token` could be one of ours (so junk never reaches the database).
fn is_share_token(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_tokens_are_long_random_and_recognised() {
        let a = new_share_token();
        let b = new_share_token();
        assert_ne!(a, b);
        assert!(is_share_token(&a), "{a}");
        assert!(!is_share_token("short"));
        assert!(!is_share_token(&format!("{}=", &a[..42])));
    }
}
