//! The one clock of the application.

use chrono::{DateTime, SubsecRound, Utc};

/// Now, to the microsecond: the precision PostgreSQL stores, so a time written and read
/// back compares equal on both backends.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A time from a client, at the precision the store keeps (see [`now`]), so what is
/// answered is what is stored.
pub fn stored(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}
