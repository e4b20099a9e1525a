//! The one clock of the application.

use chrono::{DateTime, SubsecRound, Utc};

/// Now, to the microsecond: the precision PostgreSQL stores, so a time written and read
/// back compares equal on both backends.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
