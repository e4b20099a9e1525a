use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::types::Json;
use uuid::Uuid;

use super::generation::{ContentRow, content_columns};
use super::users::{UserRow, user_columns};
use super::{Backend, impl_for_backends, lock_user};
use crate::domain::{PackStatus, PageRequest, Role};
use crate::store::market::conflict;
use crate::store::{
    Candidate, CatalogQuery, ContentItem, MarketStore, NewPack, NewReview, Pack, PackStats,
    PackUpdate, Review, StoreError, StoreResult, User,
};

/// A pack with its creator's name and how many undeleted items it holds.
macro_rules! pack_select {
    () => {
        "SELECT p.id, p.creator_id, u.display_name AS creator_name, p.title, p.description, \
         p.price_type, p.price_cents, p.currency, p.subscription_interval, p.cover_url, p.tags, \
         p.status, p.rating_sum, p.review_count, \
         (SELECT COUNT(*) FROM pack_items pi JOIN content_items c ON c.id = pi.content_item_id \
          WHERE pi.pack_id = p.id AND c.deleted_at IS NULL) AS item_count, \
         p.published_at, p.archived_at, p.created_at, p.updated_at \
         FROM packs p JOIN users u ON u.id = p.creator_id"
    };
}

/// A condition: user `$U` holds an active entitlement to pack `p` at time `$T`.
macro_rules! entitled {
    ($user:literal, $time:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM entitlements e WHERE e.pack_id = p.id AND e.user_id = ",
            $user,
            " AND e.status = 'active' AND (e.expires_at IS NULL OR e.expires_at > ",
            $time,
            "))"
        )
    };
}

/// A condition: the item with id `$item` is in a pack that user `$user` may open at
/// time `$time` (a published free pack, or a published or archived pack they hold).
macro_rules! through_pack {
    ($item:literal, $user:literal, $time:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM pack_items pi JOIN packs p ON p.id = pi.pack_id \
             WHERE pi.content_item_id = ",
            $item,
            " AND p.status <> 'draft' AND ((p.price_type = 'free' AND p.status = 'published') \
             OR ",
            entitled!($user, $time),
            "))"
        )
    };
}
pub(super) use {entitled, through_pack};

#[derive(sqlx::FromRow)]
struct PackRow {
    id: Uuid,
    creator_id: Uuid,
    creator_name: Option<String>,
    title: String,
    description: String,
    price_type: String,
    price_cents: i64,
    currency: String,
    subscription_interval: Option<String>,
    cover_url: Option<String>,
    tags: Json<Value>,
    status: String,
    rating_sum: i64,
    review_count: i64,
    item_count: i64,
    published_at: Option<DateTime<Utc>>,
    archived_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<PackRow> for Pack {
    type Error = StoreError;

    fn try_from(row: PackRow) -> Result<Self, Self::Error> {
        let invalid = |what: String| StoreError::Other(anyhow::anyhow!("pack {}: {what}", row.id));
        Ok(Pack {
            price_type: row.price_type.parse().map_err(invalid)?,
            status: row.status.parse().map_err(invalid)?,
            subscription_interval: row
                .subscription_interval
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(invalid)?,
            tags: serde_json::from_value(row.tags.0).map_err(|e| invalid(format!("tags: {e}")))?,
            id: row.id,
            creator_id: row.creator_id,
            creator_name: row.creator_name,
            title: row.title,
            description: row.description,
            price_cents: row.price_cents,
            currency: row.currency,
            cover_url: row.cover_url,
            rating_sum: row.rating_sum,
            review_count: row.review_count,
            item_count: row.item_count,
            published_at: row.published_at,
            archived_at: row.archived_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: Uuid,
    pack_id: Uuid,
    user_id: Uuid,
    author_name: Option<String>,
    rating: i64,
    body: Option<String>,
    created_at: DateTime<Utc>,
}

impl From<ReviewRow> for Review {
    fn from(row: ReviewRow) -> Self {
        Review {
            id: row.id,
            pack_id: row.pack_id,
            user_id: row.user_id,
            author_name: row.author_name,
            rating: row.rating,
            body: row.body,
            created_at: row.created_at,
        }
    }
}

const REVIEW_SELECT: &str = "SELECT r.id, r.pack_id, r.user_id, u.display_name AS author_name, \
     r.rating, r.body, r.created_at FROM pack_reviews r JOIN users u ON u.id = r.user_id";

/// Reads one pack inside a transaction.
async fn pack_in<DB>(tx: &mut sqlx::Transaction<'static, DB>, id: Uuid) -> StoreResult<Pack>
where
    DB: Backend,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    DB::Arguments: sqlx::IntoArguments<DB>,
    for<'q> Uuid: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'r> PackRow: sqlx::FromRow<'r, DB::Row>,
{
    let row: PackRow = sqlx::query_as(concat!(pack_select!(), " WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    row.try_into()
}

impl_for_backends!(MarketStore {
    #[tracing::instrument(skip_all, fields(user_id = %user_id, role = role.as_str()))]
    async fn set_role(&self, user_id: Uuid, role: Role, now: DateTime<Utc>) -> StoreResult<User> {
        let mut tx = self.begin_write().await?;
        lock_user(&mut tx, user_id).await?;
        let row: UserRow = sqlx::query_as(concat!(
            "UPDATE users SET role = $2, updated_at = $3 WHERE id = $1 RETURNING ",
            user_columns!()
        ))
        .bind(user_id)
        .bind(role.as_str())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        row.try_into()
    }

    #[tracing::instrument(skip_all, fields(pack_id = %new.id))]
    async fn create_pack(&self, new: NewPack) -> StoreResult<Pack> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO packs (id, creator_id, title, description, price_type, price_cents, \
             currency, subscription_interval, cover_url, tags, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', $11, $11)",
        )
        .bind(new.id)
        .bind(new.creator_id)
        .bind(&new.title)
        .bind(&new.description)
        .bind(new.price_type.as_str())
        .bind(new.price_cents)
        .bind(&new.currency)
        .bind(new.subscription_interval.map(|i| i.as_str()))
        .bind(new.cover_url.as_deref())
        .bind(Json(Value::from(new.tags.clone())))
        .bind(new.now)
        .execute(&mut *tx)
        .await?;
        set_items(&mut tx, new.id, new.creator_id, &new.item_ids).await?;
        let pack = pack_in(&mut tx, new.id).await?;
        tx.commit().await?;
        Ok(pack)
    }

    #[tracing::instrument(skip_all, fields(pack_id = %id))]
    async fn update_pack(
        &self,
        id: Uuid,
        creator_id: Uuid,
        update: PackUpdate,
        now: DateTime<Utc>,
    ) -> StoreResult<Pack> {
        let mut tx = self.begin_write().await?;
        let pack = pack_in(&mut tx, id).await?;
        if pack.creator_id != creator_id {
            return Err(StoreError::NotFound);
        }
        if pack.status == PackStatus::Archived {
            return Err(StoreError::Conflict(conflict::PACK_STATUS.into()));
        }
        let (price_type, price_cents, interval) = update.price.unwrap_or((
            pack.price_type,
            pack.price_cents,
            pack.subscription_interval,
        ));
        let cover = update.cover_url.unwrap_or(pack.cover_url);
        sqlx::query(
            "UPDATE packs SET title = $2, description = $3, price_type = $4, price_cents = $5, \
             subscription_interval = $6, cover_url = $7, tags = $8, updated_at = $9 WHERE id = $1",
        )
        .bind(id)
        .bind(update.title.unwrap_or(pack.title))
        .bind(update.description.unwrap_or(pack.description))
        .bind(price_type.as_str())
        .bind(price_cents)
        .bind(interval.map(|i| i.as_str()))
        .bind(cover)
        .bind(Json(Value::from(update.tags.unwrap_or(pack.tags))))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if let Some(items) = update.item_ids {
            sqlx::query("DELETE FROM pack_items WHERE pack_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            set_items(&mut tx, id, creator_id, &items).await?;
            if pack.status == PackStatus::Published && items.is_empty() {
                return Err(StoreError::Conflict(conflict::PACK_ITEMS.into()));
            }
        }
        let pack = pack_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(pack)
    }

    #[tracing::instrument(skip_all, fields(pack_id = %id, status = status.as_str()))]
    async fn set_pack_status(
        &self,
        id: Uuid,
        creator_id: Option<Uuid>,
        status: PackStatus,
        now: DateTime<Utc>,
    ) -> StoreResult<Pack> {
        let mut tx = self.begin_write().await?;
        let pack = pack_in(&mut tx, id).await?;
        if creator_id.is_some_and(|c| c != pack.creator_id) {
            return Err(StoreError::NotFound);
        }
        let allowed = match (pack.status, status) {
            (from, to) if from == to => true,
            (PackStatus::Draft, PackStatus::Published) => pack.item_count > 0,
            (PackStatus::Draft | PackStatus::Published, PackStatus::Archived) => true,
            _ => false,
        };
        if !allowed {
            return Err(StoreError::Conflict(conflict::PACK_STATUS.into()));
        }
        if pack.status != status {
            sqlx::query(
                "UPDATE packs SET status = $2, updated_at = $3, \
                   published_at = CASE WHEN $2 = 'published' THEN $3 ELSE published_at END, \
                   archived_at = CASE WHEN $2 = 'archived' THEN $3 ELSE archived_at END \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(status.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let pack = pack_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(pack)
    }

    async fn pack(&self, id: Uuid) -> StoreResult<Option<Pack>> {
        let row: Option<PackRow> = sqlx::query_as(concat!(pack_select!(), " WHERE p.id = $1"))
            .bind(id)
            .fetch_optional(&self.reader)
            .await?;
        row.map(Pack::try_from).transpose()
    }

    async fn pack_items(&self, id: Uuid) -> StoreResult<Vec<ContentItem>> {
        let rows: Vec<ContentRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM content_items c JOIN pack_items pi ON pi.content_item_id = c.id \
             WHERE pi.pack_id = $1 AND c.deleted_at IS NULL ORDER BY pi.position",
            prefixed(content_columns!(), "c.")
        )))
        .bind(id)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter().map(ContentItem::try_from).collect()
    }

    async fn packs_of_creator(
        &self,
        creator_id: Uuid,
        page: PageRequest,
    ) -> StoreResult<(Vec<Pack>, u64)> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM packs WHERE creator_id = $1")
            .bind(creator_id)
            .fetch_one(&self.reader)
            .await?;
        let rows: Vec<PackRow> = sqlx::query_as(concat!(
            pack_select!(),
            " WHERE p.creator_id = $1 ORDER BY p.created_at DESC, p.id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(creator_id)
        .bind(i64::from(page.limit()))
        .bind(page.offset())
        .fetch_all(&self.reader)
        .await?;
        let packs = rows
            .into_iter()
            .map(Pack::try_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((packs, u64::try_from(total).unwrap_or(0)))
    }

    async fn catalog_ids(&self, query: &CatalogQuery, limit: i64) -> StoreResult<Vec<Uuid>> {
        let search = query.search.as_deref().and_then(DB::search_text);
        let filter = format!(
            "p.status = 'published' AND ($1 IS NULL OR p.creator_id = $1) \
             AND ($2 IS NULL OR p.price_type = $2) AND {}",
            DB::tags_contain_all("p.tags", "$3")
        );
        let tags = Json(Value::from(query.tags.clone()));
        let price_type = query.price_type.map(|p| p.as_str());
        let ids = match search {
            Some(text) => {
                let found = DB::pack_search("$4");
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT p.id FROM packs p {} WHERE {filter} AND {} \
                     ORDER BY {} DESC, p.published_at DESC, p.id DESC LIMIT $5",
                    found.join, found.condition, found.rank
                )))
                .bind(query.creator_id)
                .bind(price_type)
                .bind(tags)
                .bind(text)
                .bind(limit)
                .fetch_all(&self.reader)
                .await?
            }
            None if query.search.is_some() => Vec::new(),
            None => {
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT p.id FROM packs p WHERE {filter} \
                     ORDER BY p.published_at DESC, p.id DESC LIMIT $4"
                )))
                .bind(query.creator_id)
                .bind(price_type)
                .bind(tags)
                .bind(limit)
                .fetch_all(&self.reader)
                .await?
            }
        };
        Ok(ids)
    }

    async fn packs_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<Pack>> {
        let mut packs = Vec::with_capacity(ids.len());
        // A page is at most 100 packs, each found by its primary key.
        for id in ids {
            if let Some(pack) = self.pack(*id).await? {
                packs.push(pack);
            }
        }
        Ok(packs)
    }

    async fn has_pack_access(
        &self,
        user_id: Uuid,
        pack_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let found: Option<Uuid> = sqlx::query_scalar(concat!(
            "SELECT p.id FROM packs p WHERE p.id = $1 AND (p.creator_id = $2 \
             OR (p.price_type = 'free' AND p.status = 'published') OR ",
            entitled!("$2", "$3"),
            ")"
        ))
        .bind(pack_id)
        .bind(user_id)
        .bind(now)
        .fetch_optional(&self.reader)
        .await?;
        Ok(found.is_some())
    }

    async fn item_through_pack(
        &self,
        user_id: Uuid,
        item_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<ContentItem>> {
        let row: Option<ContentRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM content_items c WHERE c.id = $1 AND c.deleted_at IS NULL \
             AND c.status = 'ready' AND {}",
            prefixed(content_columns!(), "c."),
            through_pack!("c.id", "$2", "$3"),
        )))
        .bind(item_id)
        .bind(user_id)
        .bind(now)
        .fetch_optional(&self.reader)
        .await?;
        row.map(ContentItem::try_from).transpose()
    }

    #[tracing::instrument(skip_all, fields(pack_id = %new.pack_id))]
    async fn add_review(&self, new: NewReview) -> StoreResult<Review> {
        let mut tx = self.begin_write().await?;
        let bought: Option<Uuid> = sqlx::query_scalar(
            "SELECT id FROM purchases WHERE pack_id = $1 AND user_id = $2 \
             AND status IN ('paid', 'refunded') LIMIT 1",
        )
        .bind(new.pack_id)
        .bind(new.user_id)
        .fetch_optional(&mut *tx)
        .await?;
        if bought.is_none() {
            return Err(StoreError::Conflict(conflict::NOT_A_BUYER.into()));
        }
        let inserted = sqlx::query(
            "INSERT INTO pack_reviews (id, pack_id, user_id, rating, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new.id)
        .bind(new.pack_id)
        .bind(new.user_id)
        .bind(new.rating)
        .bind(new.body.as_deref())
        .bind(new.now)
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(StoreError::Conflict(conflict::REVIEWED.into()));
            }
            other => other?,
        };
        sqlx::query(
            "UPDATE packs SET rating_sum = rating_sum + $2, review_count = review_count + 1 \
             WHERE id = $1",
        )
        .bind(new.pack_id)
        .bind(new.rating)
        .execute(&mut *tx)
        .await?;
        let row: ReviewRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{REVIEW_SELECT} WHERE r.id = $1"
        )))
        .bind(new.id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(row.into())
    }

    async fn reviews(&self, pack_id: Uuid, page: PageRequest) -> StoreResult<(Vec<Review>, u64)> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pack_reviews WHERE pack_id = $1")
            .bind(pack_id)
            .fetch_one(&self.reader)
            .await?;
        let rows: Vec<ReviewRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{REVIEW_SELECT} WHERE r.pack_id = $1 ORDER BY r.created_at DESC, r.id DESC \
             LIMIT $2 OFFSET $3"
        )))
        .bind(pack_id)
        .bind(i64::from(page.limit()))
        .bind(page.offset())
        .fetch_all(&self.reader)
        .await?;
        Ok((
            rows.into_iter().map(Review::from).collect(),
            u64::try_from(total).unwrap_or(0),
        ))
    }

    async fn user_tag_counts(&self, user_id: Uuid) -> StoreResult<Vec<(String, i64)>> {
        // Each play counts its item's tags once; each item the user made counts once.
        let tag_lists: Vec<Json<Value>> = sqlx::query_scalar(
            "SELECT c.tags FROM practice_events e JOIN content_items c ON c.id = e.content_item_id \
             WHERE e.user_id = $1 \
             UNION ALL \
             SELECT tags FROM content_items WHERE user_id = $1 AND deleted_at IS NULL \
               AND status = 'ready'",
        )
        .bind(user_id)
        .fetch_all(&self.reader)
        .await?;
        let mut counts = std::collections::BTreeMap::<String, i64>::new();
        for list in tag_lists {
            for tag in tag_strings(&list.0) {
                *counts.entry(tag).or_default() += 1;
            }
        }
        Ok(counts.into_iter().collect())
    }

    async fn recommendation_candidates(
        &self,
        user_id: Uuid,
        now: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<Candidate>> {
        let rows: Vec<PackRow> = sqlx::query_as(concat!(
            pack_select!(),
            " WHERE p.status = 'published' AND p.creator_id <> $1 AND NOT ",
            entitled!("$1", "$2"),
            " ORDER BY p.published_at DESC, p.id DESC LIMIT $3"
        ))
        .bind(user_id)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        let mut candidates = Vec::with_capacity(rows.len());
        for row in rows {
            let pack = Pack::try_from(row)?;
            let item_tags: Vec<Json<Value>> = sqlx::query_scalar(
                "SELECT c.tags FROM pack_items pi JOIN content_items c ON c.id = pi.content_item_id \
                 WHERE pi.pack_id = $1 AND c.deleted_at IS NULL",
            )
            .bind(pack.id)
            .fetch_all(&self.reader)
            .await?;
            let mut tags = pack.tags.clone();
            for list in item_tags {
                tags.extend(tag_strings(&list.0));
            }
            candidates.push(Candidate { pack, tags });
        }
        Ok(candidates)
    }

    async fn creator_stats(&self, creator_id: Uuid) -> StoreResult<Vec<PackStats>> {
        let rows: Vec<(Uuid, String, String, i64, i64, i64)> = sqlx::query_as(
            "SELECT p.id, p.title, p.status, \
               (SELECT COUNT(*) FROM purchases b WHERE b.pack_id = p.id AND b.status = 'paid'), \
               (SELECT COUNT(*) FROM practice_events e \
                  JOIN pack_items pi ON pi.content_item_id = e.content_item_id \
                  WHERE pi.pack_id = p.id AND e.user_id <> p.creator_id), \
               (SELECT CAST(COALESCE(SUM(r.amount_cents), 0) AS BIGINT) FROM creator_rewards r \
                  WHERE r.pack_id = p.id) \
             FROM packs p WHERE p.creator_id = $1 ORDER BY p.created_at DESC, p.id DESC",
        )
        .bind(creator_id)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter()
            .map(|(pack_id, title, status, sales, plays, earnings_cents)| {
                Ok(PackStats {
                    status: status.parse().map_err(|e: String| {
                        StoreError::Other(anyhow::anyhow!("pack {pack_id}: {e}"))
                    })?,
                    pack_id,
                    title,
                    sales,
                    plays,
                    earnings_cents,
                })
            })
            .collect()
    }
});

/// Puts the items in the pack, in order; each must be the creator's own ready item.
async fn set_items<DB>(
    tx: &mut sqlx::Transaction<'static, DB>,
    pack_id: Uuid,
    creator_id: Uuid,
    item_ids: &[Uuid],
) -> StoreResult<()>
where
    DB: Backend,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    DB::Arguments: sqlx::IntoArguments<DB>,
    for<'q> Uuid: sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    for (position, item_id) in item_ids.iter().enumerate() {
        let ready: Option<Uuid> = sqlx::query_scalar(
            "SELECT id FROM content_items WHERE id = $1 AND user_id = $2 \
             AND deleted_at IS NULL AND status = 'ready'",
        )
        .bind(item_id)
        .bind(creator_id)
        .fetch_optional(&mut **tx)
        .await?;
        if ready.is_none() {
            return Err(StoreError::Conflict(conflict::PACK_ITEMS.into()));
        }
        sqlx::query(
            "INSERT INTO pack_items (pack_id, content_item_id, position) VALUES ($1, $2, $3)",
        )
        .bind(pack_id)
        .bind(item_id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// `a, b` -> `c.a, c.b`.
fn prefixed(columns: &str, prefix: &str) -> String {
    columns
        .split(',')
        .map(|c| format!("{prefix}{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The strings of a JSON array of tags (anything else is skipped).
fn tag_strings(value: &Value) -> impl Iterator<Item = String> + '_ {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(str::to_owned))
}
