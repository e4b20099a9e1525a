use anyhow::Context;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::types::Json;
use uuid::Uuid;

use super::tokens::REVOKE_USER_TOKENS;
use super::{impl_for_backends, lock_user};
use crate::domain::{LedgerType, Preferences, UserStatus};
use crate::store::{NewUser, ProfileUpdate, StoreError, StoreResult, User, UserStore};

/// The columns of [`UserRow`], for `concat!` into statements.
macro_rules! user_columns {
    () => {
        "id, email, password_hash, role, status, display_name, preferences, credit_balance, \
         created_at, updated_at"
    };
}
pub(super) use user_columns;

#[derive(sqlx::FromRow)]
pub(super) struct UserRow {
    id: Uuid,
    email: String,
    password_hash: String,
    role: String,
    status: String,
    display_name: Option<String>,
    preferences: Json<Value>,
    credit_balance: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;

    fn try_from(row: UserRow) -> Result<Self, Self::Error> {
        let invalid = |what: String| StoreError::Other(anyhow::anyhow!("user {}: {what}", row.id));
        Ok(User {
            id: row.id,
            role: row.role.parse().map_err(invalid)?,
            status: row.status.parse().map_err(invalid)?,
            preferences: serde_json::from_value(row.preferences.0)
                .map_err(|e| invalid(format!("preferences: {e}")))?,
            email: row.email,
            password_hash: row.password_hash.into(),
            display_name: row.display_name,
            credit_balance: row.credit_balance,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

fn preferences_json(preferences: &Preferences) -> StoreResult<Json<Value>> {
    Ok(Json(
        serde_json::to_value(preferences).context("serialize preferences")?,
    ))
}

impl_for_backends!(UserStore {
    #[tracing::instrument(skip_all, fields(user_id = %new.id))]
    async fn create_user(&self, new: NewUser) -> StoreResult<User> {
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, password_hash, role, status, display_name, \
             preferences, credit_balance, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(new.id)
        .bind(new.email.as_str())
        .bind(new.password_hash.as_str())
        .bind(new.role.as_str())
        .bind(UserStatus::Active.as_str())
        .bind(new.display_name.as_deref())
        .bind(preferences_json(&new.preferences)?)
        .bind(new.initial_credits)
        .bind(new.now)
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(StoreError::Conflict("email".into()));
            }
            other => other?,
        };
        if new.initial_credits > 0 {
            sqlx::query(
                "INSERT INTO credit_transactions (id, user_id, transaction_type, amount, \
                 balance_after, metadata, created_at) VALUES ($1, $2, $3, $4, $4, $5, $6)",
            )
            .bind(Uuid::now_v7())
            .bind(new.id)
            .bind(LedgerType::Grant.as_str())
            .bind(new.initial_credits)
            .bind(Json(serde_json::json!({ "reason": "welcome credit" })))
            .bind(new.now)
            .execute(&mut *tx)
            .await?;
        }
        let row: UserRow = sqlx::query_as(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users WHERE id = $1"
        ))
        .bind(new.id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        row.try_into()
    }

    async fn user_by_id(&self, id: Uuid) -> StoreResult<Option<User>> {
        let row: Option<UserRow> = sqlx::query_as(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users WHERE id = $1 AND deleted_at IS NULL"
        ))
        .bind(id)
        .fetch_optional(&self.reader)
        .await?;
        row.map(User::try_from).transpose()
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<User>> {
        let row: Option<UserRow> = sqlx::query_as(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users WHERE email = $1 AND deleted_at IS NULL"
        ))
        .bind(email)
        .fetch_optional(&self.reader)
        .await?;
        row.map(User::try_from).transpose()
    }

    #[tracing::instrument(skip_all, fields(user_id = %id))]
    async fn update_profile(&self, id: Uuid, update: ProfileUpdate) -> StoreResult<User> {
        let mut tx = self.begin_write().await?;
        let stored: Json<Value> = sqlx::query_scalar(DB::LOCK_USER)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let current: Preferences = serde_json::from_value(stored.0)
            .with_context(|| format!("user {id}: stored preferences"))?;
        let preferences = preferences_json(&update.preferences.apply(current))?;
        let (set_name, name) = match update.display_name {
            Some(name) => (true, name),
            None => (false, None),
        };
        let row: UserRow = sqlx::query_as(concat!(
            "UPDATE users SET \
               display_name = CASE WHEN $2 THEN $3 ELSE display_name END, \
               preferences = $4, \
               updated_at = $5 \
             WHERE id = $1 RETURNING ",
            user_columns!()
        ))
        .bind(id)
        .bind(set_name)
        .bind(name)
        .bind(preferences)
        .bind(update.now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        row.try_into()
    }

    #[tracing::instrument(skip_all, fields(user_id = %id, status = status.as_str()))]
    async fn set_user_status(
        &self,
        id: Uuid,
        status: UserStatus,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        lock_user(&mut tx, id).await?;
        sqlx::query("UPDATE users SET status = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(status.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if status == UserStatus::Suspended {
            sqlx::query(REVOKE_USER_TOKENS)
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(user_id = %id))]
    async fn set_password_hash(&self, id: Uuid, hash: &str, now: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        lock_user(&mut tx, id).await?;
        sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(REVOKE_USER_TOKENS)
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(user_id = %id))]
    async fn delete_account(
        &self,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<(Uuid, Option<String>)>> {
        let mut tx = self.begin_write().await?;
        lock_user(&mut tx, id).await?;
        let items: Vec<(Uuid, Option<String>)> =
            sqlx::query_as("SELECT id, audio_url FROM content_items WHERE user_id = $1")
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        // Children before parents: events, links, jobs and holds name the items,
        // conversations name their result.
        for statement in [
            // Other people's plays of the account's items, and the items' places in packs.
            "DELETE FROM practice_events WHERE content_item_id IN \
               (SELECT id FROM content_items WHERE user_id = $1)",
            "DELETE FROM pack_items WHERE content_item_id IN \
               (SELECT id FROM content_items WHERE user_id = $1)",
            // Its packs leave the catalog; buyers' purchases and rewards still name them.
            "UPDATE packs SET status = 'archived' WHERE creator_id = $1",
            "UPDATE packs SET \
               rating_sum = rating_sum - (SELECT r.rating FROM pack_reviews r \
                 WHERE r.pack_id = packs.id AND r.user_id = $1), \
               review_count = review_count - 1 \
             WHERE id IN (SELECT pack_id FROM pack_reviews WHERE user_id = $1)",
            "DELETE FROM pack_reviews WHERE user_id = $1",
            "DELETE FROM entitlements WHERE user_id = $1",
            "DELETE FROM practice_events WHERE user_id = $1",
            "DELETE FROM content_shares WHERE user_id = $1",
            "DELETE FROM generation_jobs WHERE user_id = $1",
            "DELETE FROM credit_holds WHERE user_id = $1",
            "DELETE FROM conversations WHERE user_id = $1",
            "DELETE FROM content_items WHERE user_id = $1",
            "DELETE FROM refresh_tokens WHERE user_id = $1",
            // Kept for the review trail, without what the person wrote.
            "UPDATE crisis_alerts SET context = NULL, session_id = NULL WHERE user_id = $1",
            // The ledger stays whole (balances are sums of it), no longer naming content.
            "UPDATE credit_transactions SET content_item_id = NULL WHERE user_id = $1",
        ] {
            sqlx::query(statement).bind(id).execute(&mut *tx).await?;
        }
        sqlx::query(
            "UPDATE users SET email = $2, password_hash = '!', display_name = NULL, \
             preferences = $3, status = 'suspended', deleted_at = $4, updated_at = $4 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(format!("deleted-{}@deleted.invalid", id.simple()))
        .bind(Json(serde_json::json!({})))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(items)
    }
});
