//! The cache's keys and lifetimes (seed 001, "Ephemeral Storage"), in one place.

use std::time::Duration;

use uuid::Uuid;

/// A user's profile and preferences (`GET /api/v1/users/me`).
pub const PROFILE_TTL: Duration = Duration::from_secs(15 * 60);
/// An item of a library, without its playback URL (signed per read).
pub const CONTENT_TTL: Duration = Duration::from_secs(60 * 60);

pub fn user_profile(user_id: Uuid) -> String {
    format!("user:{user_id}:profile")
}

/// Whether an account is active (read on every authenticated request).
pub fn user_status(user_id: Uuid) -> String {
    format!("user:{user_id}:status")
}

pub fn content_metadata(content_id: Uuid) -> String {
    format!("ritual:{content_id}:metadata")
}

/// A catalog search's matching pack ids (seed: five minutes).
pub const SEARCH_TTL: Duration = Duration::from_secs(5 * 60);

/// `search:{query_hash}`; the hash covers [`CATALOG_VERSION`].
pub fn search(query_hash: &str) -> String {
    format!("search:{query_hash}")
}

/// The catalog's version: replaced by every pack change, so older searches are unread.
pub const CATALOG_VERSION: &str = "catalog:version";
/// Kept longer than any search result lives.
pub const CATALOG_VERSION_TTL: Duration = Duration::from_secs(24 * 60 * 60);
