//! The marketplace: creators' packs, the catalog and its search, access to packs,
//! reviews and recommendations (seed 001 "Marketplace APIs", "Search Pattern").
//!
//! A search keeps the matching pack ids for five minutes under `search:{hash}`; the hash
//! covers the query and the catalog's version, which every pack change replaces, so a
//! change is visible to the next search on every node.

pub mod recommend;

use std::sync::Arc;

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::cache::{self, Cache, Lookup, keys};
use crate::domain::{PackStatus, PageRequest, Role};
use crate::error::{ApiError, code};
use crate::store::{
    CatalogQuery, ContentItem, NewPack, NewReview, Pack, PackUpdate, Repository, Review,
    StoreError, User, conflict,
};
use crate::time::now;

pub use recommend::Recommendation;

/// Most pack ids one search keeps (pages past it are empty).
pub const MAX_SEARCH_RESULTS: i64 = 1000;
/// Packs scored per recommendation request.
const RECOMMENDATION_POOL: i64 = 200;

#[derive(Clone)]
pub struct Catalog {
    store: Arc<dyn Repository>,
    cache: Arc<dyn Cache>,
}

/// Maps the store's pack conflicts to their codes.
fn pack_error(e: StoreError) -> ApiError {
    use actix_web::http::StatusCode;
    match e {
        StoreError::NotFound => ApiError::not_found("pack"),
        StoreError::Conflict(what) if what == conflict::PACK_STATUS => ApiError::new(
            StatusCode::CONFLICT,
            code::PACK_STATUS,
            "the pack cannot make this change from its status (draft -> published -> \
             archived; archived packs are read-only; publishing needs an item)",
        ),
        StoreError::Conflict(what) if what == conflict::PACK_ITEMS => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            code::INVALID_PACK_ITEMS,
            "every item must be one of your own ready items (and a published pack keeps \
             at least one)",
        )
        .with_details(serde_json::json!({ "field": "item_ids" })),
        StoreError::Conflict(what) if what == conflict::NOT_A_BUYER => ApiError::new(
            StatusCode::FORBIDDEN,
            code::NOT_A_BUYER,
            "only people who bought this pack can review it",
        ),
        StoreError::Conflict(what) if what == conflict::REVIEWED => ApiError::new(
            StatusCode::CONFLICT,
            code::ALREADY_REVIEWED,
            "you have reviewed this pack already",
        ),
        other => other.into(),
    }
}

impl Catalog {
    pub fn new(store: Arc<dyn Repository>, cache: Arc<dyn Cache>) -> Self {
        Self { store, cache }
    }

    /// Makes the caller a creator (an administrator stays an administrator).
    pub async fn become_creator(&self, user_id: Uuid) -> Result<(User, bool), ApiError> {
        let user = self
            .store
            .user_by_id(user_id)
            .await?
            .ok_or_else(|| ApiError::not_found("user"))?;
        if user.role != Role::User {
            return Ok((user, false));
        }
        let user = self.store.set_role(user_id, Role::Creator, now()).await?;
        Ok((user, true))
    }

    pub async fn create_pack(&self, new: NewPack) -> Result<Pack, ApiError> {
        let pack = self.store.create_pack(new).await.map_err(pack_error)?;
        Ok(pack)
    }

    pub async fn update_pack(
        &self,
        creator_id: Uuid,
        id: Uuid,
        update: PackUpdate,
    ) -> Result<Pack, ApiError> {
        let pack = self
            .store
            .update_pack(id, creator_id, update, now())
            .await
            .map_err(pack_error)?;
        self.changed().await;
        Ok(pack)
    }

    /// Publishes or archives; `creator_id` `None` acts as an administrator.
    pub async fn set_status(
        &self,
        creator_id: Option<Uuid>,
        id: Uuid,
        status: PackStatus,
    ) -> Result<Pack, ApiError> {
        let pack = self
            .store
            .set_pack_status(id, creator_id, status, now())
            .await
            .map_err(pack_error)?;
        self.changed().await;
        tracing::info!(pack_id = %id, status = status.as_str(), "pack status changed");
        Ok(pack)
    }

    /// A pack as `viewer` may see it: published and archived packs to anyone, drafts
    /// to their creator only.
    pub async fn pack(&self, viewer: Option<Uuid>, id: Uuid) -> Result<Pack, ApiError> {
        let pack = self
            .store
            .pack(id)
            .await?
            .filter(|p| p.status != PackStatus::Draft || Some(p.creator_id) == viewer)
            .ok_or_else(|| ApiError::not_found("pack"))?;
        Ok(pack)
    }

    pub async fn pack_items(&self, id: Uuid) -> Result<Vec<ContentItem>, ApiError> {
        Ok(self.store.pack_items(id).await?)
    }

    pub async fn has_access(&self, user_id: Uuid, pack_id: Uuid) -> Result<bool, ApiError> {
        Ok(self.store.has_pack_access(user_id, pack_id, now()).await?)
    }

    /// A ready item the user may open through a pack they hold.
    pub async fn item_through_pack(
        &self,
        user_id: Uuid,
        item_id: Uuid,
    ) -> Result<Option<ContentItem>, ApiError> {
        Ok(self
            .store
            .item_through_pack(user_id, item_id, now())
            .await?)
    }

    pub async fn creator_packs(
        &self,
        creator_id: Uuid,
        page: PageRequest,
    ) -> Result<(Vec<Pack>, u64), ApiError> {
        Ok(self.store.packs_of_creator(creator_id, page).await?)
    }

    /// One page of published packs matching the query, and how many match in all.
    pub async fn search(
        &self,
        query: &CatalogQuery,
        page: PageRequest,
    ) -> Result<(Vec<Pack>, u64), ApiError> {
        let ids = self.matching_ids(query).await?;
        let total = ids.len() as u64;
        let start = usize::try_from(page.offset()).unwrap_or(usize::MAX);
        let wanted: Vec<Uuid> = ids
            .iter()
            .skip(start)
            .take(page.limit() as usize)
            .copied()
            .collect();
        let mut packs = self.store.packs_by_ids(&wanted).await?;
        // The cached order stands; a pack changed since is dropped until the next search.
        packs.retain(|p| p.status == PackStatus::Published);
        packs.sort_by_key(|p| wanted.iter().position(|id| *id == p.id));
        Ok((packs, total))
    }

    async fn matching_ids(&self, query: &CatalogQuery) -> Result<Vec<Uuid>, ApiError> {
        let version = self.version().await;
        let key = keys::search(&search_hash(&version, query));
        let ticket = match cache::lookup::<Vec<Uuid>>(&*self.cache, "search", &key).await {
            Lookup::Hit(ids) => return Ok(ids),
            Lookup::Miss(ticket) => ticket,
        };
        let ids = self.store.catalog_ids(query, MAX_SEARCH_RESULTS).await?;
        cache::fill(&*self.cache, ticket, &ids, keys::SEARCH_TTL).await;
        Ok(ids)
    }

    /// The catalog's current version, made when there is none.
    async fn version(&self) -> String {
        match self.cache.get(keys::CATALOG_VERSION).await {
            Ok(Some(bytes)) => return String::from_utf8_lossy(&bytes).into_owned(),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "reading the catalog version failed"),
        }
        let fresh = Uuid::new_v4().simple().to_string();
        match self
            .cache
            .set_if_absent(
                keys::CATALOG_VERSION,
                fresh.clone().into_bytes(),
                keys::CATALOG_VERSION_TTL,
            )
            .await
        {
            Ok(true) | Err(_) => fresh,
            // Another request made it first: use theirs.
            Ok(false) => match self.cache.get(keys::CATALOG_VERSION).await {
                Ok(Some(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
                _ => fresh,
            },
        }
    }

    /// A pack changed (here, or through an account deletion that archived it): every
    /// cached search is out of date.
    pub async fn changed(&self) {
        let fresh = Uuid::new_v4().simple().to_string();
        if let Err(e) = self
            .cache
            .set(
                keys::CATALOG_VERSION,
                fresh.into_bytes(),
                keys::CATALOG_VERSION_TTL,
            )
            .await
        {
            tracing::warn!(error = %e, "moving the catalog version failed");
        }
    }

    pub async fn review(&self, new: NewReview) -> Result<Review, ApiError> {
        let review = self.store.add_review(new).await.map_err(pack_error)?;
        self.changed().await;
        Ok(review)
    }

    pub async fn reviews(
        &self,
        pack_id: Uuid,
        page: PageRequest,
    ) -> Result<(Vec<Review>, u64), ApiError> {
        Ok(self.store.reviews(pack_id, page).await?)
    }

    pub async fn recommendations(
        &self,
        user_id: Uuid,
        limit: usize,
    ) -> Result<Vec<Recommendation>, ApiError> {
        let tags = self.store.user_tag_counts(user_id).await?;
        let candidates = self
            .store
            .recommendation_candidates(user_id, now(), RECOMMENDATION_POOL)
            .await?;
        Ok(recommend::recommend(&tags, candidates, limit))
    }
}

/// The hex SHA-256 of the catalog version and the query, in a stable form.
fn search_hash(version: &str, query: &CatalogQuery) -> String {
    let mut tags = query.tags.clone();
    tags.sort();
    let canonical = serde_json::json!({
        "v": version,
        "search": query.search.as_deref().map(|s| crate::text::fold(s.trim())),
        "tags": tags,
        "creator": query.creator_id,
        "price": query.price_type.map(|p| p.as_str()),
    });
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_queries_hash_alike_and_versions_apart() {
        let a = CatalogQuery {
            search: Some("Morning ".into()),
            tags: vec!["b".into(), "a".into()],
            ..Default::default()
        };
        let b = CatalogQuery {
            search: Some("morning".into()),
            tags: vec!["a".into(), "b".into()],
            ..Default::default()
        };
        assert_eq!(search_hash("1", &a), search_hash("1", &b));
        assert_ne!(search_hash("1", &a), search_hash("2", &a));
        assert_eq!(search_hash("1", &a).len(), 64);
    }
}
