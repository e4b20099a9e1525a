use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A number of credits. Signed: ledger amounts are negative when credits leave.
pub type Credits = i64;

/// Why a ledger row moved credits. Balance is always the sum of the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LedgerType {
    /// Credits given for free, such as the one a new account starts with.
    Grant,
    /// Credits bought with a credit pack.
    Purchase,
    /// Credits spent on a generated item (negative).
    Consumption,
    /// Credits given back or taken back after a failure or a refunded payment.
    Refund,
}

impl LedgerType {
    pub const ALL: [LedgerType; 4] = [
        LedgerType::Grant,
        LedgerType::Purchase,
        LedgerType::Consumption,
        LedgerType::Refund,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LedgerType::Grant => "grant",
            LedgerType::Purchase => "purchase",
            LedgerType::Consumption => "consumption",
            LedgerType::Refund => "refund",
        }
    }
}

impl FromStr for LedgerType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LedgerType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                format!("unknown transaction type `{s}` (expected grant, purchase, consumption or refund)")
            })
    }
}

impl fmt::Display for LedgerType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_types_round_trip_through_text() {
        for t in LedgerType::ALL {
            assert_eq!(t.as_str().parse::<LedgerType>().unwrap(), t);
        }
        assert!("gift".parse::<LedgerType>().is_err());
    }
}
