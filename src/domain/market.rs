//! The marketplace's words: a pack's lifecycle, how it is priced, credit packs.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Text forms for the enums below, checked in one place.
macro_rules! text_enum {
    ($name:ident { $($variant:ident = $text:literal),+ $(,)? }, $what:literal) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(
                        concat!("unknown ", $what, " `{}` (expected {})"),
                        other,
                        [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// Where a pack is in its life: a draft only its creator sees, published in the catalog,
/// archived (no longer sold; buyers keep it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PackStatus {
    Draft,
    Published,
    Archived,
}
text_enum!(PackStatus { Draft = "draft", Published = "published", Archived = "archived" }, "pack status");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PriceType {
    Free,
    OneTime,
    Subscription,
}
text_enum!(PriceType { Free = "free", OneTime = "one_time", Subscription = "subscription" }, "price type");

/// How often a subscription renews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    Monthly,
    Annual,
}
text_enum!(Interval { Monthly = "monthly", Annual = "annual" }, "subscription interval");

impl Interval {
    /// Stripe's name for it (`recurring[interval]`).
    pub fn stripe(self) -> &'static str {
        match self {
            Interval::Monthly => "month",
            Interval::Annual => "year",
        }
    }

    /// A period's length, for access granted before the provider names the exact end.
    pub fn days(self) -> i64 {
        match self {
            Interval::Monthly => 31,
            Interval::Annual => 366,
        }
    }
}

/// The credit packs on sale (seed 001 "Credit APIs").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CreditPack {
    Starter,
    Seeker,
    Architect,
}
text_enum!(CreditPack { Starter = "starter", Seeker = "seeker", Architect = "architect" }, "credit pack");

/// An amount in a currency's smallest unit, shown as a decimal (`999` -> `9.99`).
pub fn cents_to_amount(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// A price from its decimal form, refusing fractions of a cent and absurd sums.
pub fn amount_to_cents(amount: f64) -> Result<i64, super::InvalidField> {
    let invalid = || {
        super::InvalidField::new(
            "price_amount",
            "must be 0 to 10000.00 with at most two decimals",
        )
    };
    if !amount.is_finite() || !(0.0..=10_000.0).contains(&amount) {
        return Err(invalid());
    }
    let cents = (amount * 100.0).round();
    if (cents - amount * 100.0).abs() > 1e-6 {
        return Err(invalid());
    }
    Ok(cents as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_text() {
        for s in PackStatus::ALL {
            assert_eq!(s.as_str().parse::<PackStatus>().unwrap(), *s);
        }
        for p in PriceType::ALL {
            assert_eq!(p.as_str().parse::<PriceType>().unwrap(), *p);
        }
        assert_eq!("seeker".parse::<CreditPack>().unwrap(), CreditPack::Seeker);
        let err = "gold".parse::<CreditPack>().unwrap_err();
        assert!(err.contains("starter, seeker, architect"), "{err}");
    }

    #[test]
    fn prices_are_whole_cents() {
        assert_eq!(amount_to_cents(9.99).unwrap(), 999);
        assert_eq!(amount_to_cents(0.0).unwrap(), 0);
        assert_eq!(amount_to_cents(10_000.0).unwrap(), 1_000_000);
        for bad in [-1.0, 9.999, f64::NAN, 10_000.01] {
            assert!(amount_to_cents(bad).is_err(), "{bad}");
        }
        assert!((cents_to_amount(999) - 9.99).abs() < 1e-9);
    }
}
