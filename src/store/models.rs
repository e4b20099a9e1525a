//! Records as the store hands them out, and the inputs that create them.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde_json::Value;
use uuid::Uuid;

use crate::domain::{Credits, Email, LedgerType, PreferenceChanges, Preferences, Role, UserStatus};

/// An account.
#[derive(Debug, Clone)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    /// argon2id PHC string; redacted in `Debug`.
    pub password_hash: SecretString,
    pub role: Role,
    pub status: UserStatus,
    pub display_name: Option<String>,
    pub preferences: Preferences,
    pub credit_balance: Credits,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug)]
pub struct NewUser {
    pub id: Uuid,
    pub email: Email,
    pub password_hash: String,
    pub role: Role,
    pub display_name: Option<String>,
    pub preferences: Preferences,
    /// Credits the account starts with, recorded as one `grant` ledger row.
    pub initial_credits: Credits,
    pub now: DateTime<Utc>,
}

/// Changes to a profile; `None` keeps a field as it is.
#[derive(Debug, Default)]
pub struct ProfileUpdate {
    /// `Some(None)` clears the display name.
    pub display_name: Option<Option<String>>,
    /// Merged into the stored preferences inside the update's transaction.
    pub preferences: PreferenceChanges,
    pub now: DateTime<Utc>,
}

/// A refresh token about to be stored. Only the SHA-256 of the opaque token is kept.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub id: Uuid,
    pub token_hash: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The outcome of presenting a refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// The token was fresh; the replacement now stands in its family.
    Rotated { user_id: Uuid },
    /// No token has this hash.
    Unknown,
    /// Past its expiry; nothing changed.
    Expired,
    /// Already used or revoked: the whole family is now revoked.
    Reused { user_id: Uuid },
    /// The owner is suspended; nothing changed.
    Suspended { user_id: Uuid },
}

#[derive(Debug, Clone)]
pub struct LedgerEntry {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: LedgerType,
    pub amount: Credits,
    pub balance_after: Credits,
    pub content_item_id: Option<Uuid>,
    pub content_type: Option<String>,
    /// Free-form context: `pack_id`, `reason`, ...
    pub metadata: Value,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewLedgerEntry {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: LedgerType,
    pub amount: Credits,
    pub content_item_id: Option<Uuid>,
    pub content_type: Option<String>,
    pub metadata: Value,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditSummary {
    pub balance: Credits,
    /// Whether any credit has been spent yet.
    pub has_consumed: bool,
    pub last_transaction_at: Option<DateTime<Utc>>,
}
