//! Plain types of the domain. Inputs become these at the edge (parse, don't validate),
//! so code past the handlers never sees an unchecked email, password or page number.

mod content;
mod credits;
mod email;
mod market;
mod pagination;
mod password;
mod preferences;
mod role;

pub use content::{ContentType, Depth};
pub use credits::{Credits, LedgerType};
pub use email::Email;
pub use market::{CreditPack, Interval, PackStatus, PriceType, amount_to_cents, cents_to_amount};
pub use pagination::{PageParams, PageRequest, Pagination};
pub use password::{MAX_PASSWORD_INPUT_BYTES, Password};
pub use preferences::{DisplayName, Pace, PreferenceChanges, Preferences, PreferencesPatch, Tone};
pub use role::{Role, UserStatus};

/// A field that failed to parse, with the reason a client can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct InvalidField {
    pub field: &'static str,
    pub reason: String,
}

impl InvalidField {
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self {
            field,
            reason: reason.into(),
        }
    }
}

impl From<InvalidField> for crate::error::ApiError {
    fn from(e: InvalidField) -> Self {
        crate::error::ApiError::validation(e.field, e.reason)
    }
}

/// For `Option<Option<T>>` fields of a partial update: a field sent as `null` becomes
/// `Some(None)`, a field not sent stays `None` (with `#[serde(default)]`).
pub fn present<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}
