use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{impl_for_backends, lock_user};
use crate::domain::UserStatus;
use crate::store::{IssuedToken, Rotation, StoreResult, TokenStore};

#[derive(sqlx::FromRow)]
struct PresentedRow {
    id: Uuid,
    user_id: Uuid,
    family_id: Uuid,
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    status: String,
}

#[derive(sqlx::FromRow)]
struct FamilyRow {
    user_id: Uuid,
    family_id: Uuid,
}

const INSERT_TOKEN: &str = "INSERT INTO refresh_tokens \
     (id, user_id, family_id, token_hash, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)";

pub(super) const REVOKE_USER_TOKENS: &str =
    "UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";

const REVOKE_FAMILY: &str =
    "UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL";

impl_for_backends!(TokenStore {
    #[tracing::instrument(skip_all, fields(user_id = %user_id))]
    async fn insert_refresh_token(
        &self,
        user_id: Uuid,
        family_id: Uuid,
        token: &IssuedToken,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM refresh_tokens WHERE user_id = $1 AND expires_at < $2")
            .bind(user_id)
            .bind(token.issued_at)
            .execute(&mut *tx)
            .await?;
        sqlx::query(INSERT_TOKEN)
        .bind(token.id)
        .bind(user_id)
        .bind(family_id)
        .bind(token.token_hash.as_str())
        .bind(token.issued_at)
        .bind(token.expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    async fn rotate_refresh_token(
        &self,
        presented: &str,
        replacement: &IssuedToken,
    ) -> StoreResult<Rotation> {
        let now = replacement.issued_at;
        let mut tx = self.begin_write().await?;
        let found: Option<PresentedRow> = sqlx::query_as(
            "SELECT t.id, t.user_id, t.family_id, t.expires_at, t.used_at, t.revoked_at, u.status \
             FROM refresh_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
        )
        .bind(presented)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(old) = found else {
            return Ok(Rotation::Unknown);
        };
        lock_user(&mut tx, old.user_id).await?;
        if old.used_at.is_none() && old.revoked_at.is_none() {
            if old.expires_at <= now {
                return Ok(Rotation::Expired);
            }
            if old.status != UserStatus::Active.as_str() {
                return Ok(Rotation::Suspended {
                    user_id: old.user_id,
                });
            }
            // Conditional on still being fresh: of two concurrent rotations only one
            // claims the token; the other falls through to the reuse path below.
            let claimed = sqlx::query(
                "UPDATE refresh_tokens SET used_at = $2, replaced_by = $3 \
                 WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL",
            )
            .bind(old.id)
            .bind(now)
            .bind(replacement.id)
            .execute(&mut *tx)
            .await?;
            if DB::rows_affected(&claimed) == 1 {
                sqlx::query(INSERT_TOKEN)
                    .bind(replacement.id)
                    .bind(old.user_id)
                    .bind(old.family_id)
                    .bind(replacement.token_hash.as_str())
                    .bind(replacement.issued_at)
                    .bind(replacement.expires_at)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                return Ok(Rotation::Rotated {
                    user_id: old.user_id,
                });
            }
        }
        // Used or revoked already: someone holds a copy. End the whole sign-in.
        sqlx::query(REVOKE_FAMILY)
            .bind(old.family_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Rotation::Reused {
            user_id: old.user_id,
        })
    }

    #[tracing::instrument(skip_all)]
    async fn revoke_refresh_family(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let found: Option<FamilyRow> = sqlx::query_as(
            "SELECT user_id, family_id FROM refresh_tokens WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(token) = found else {
            return Ok(false);
        };
        lock_user(&mut tx, token.user_id).await?;
        sqlx::query(REVOKE_FAMILY)
            .bind(token.family_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
});
