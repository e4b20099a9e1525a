//! Practice totals and streaks, counted in days of the user's time zone. Pure.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::ContentType;
use crate::store::PracticeRecord;

/// Practices and minutes of one content type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct TypeTotals {
    /// Completed practices.
    pub practices: u64,
    /// Minutes practised, one decimal.
    pub minutes: f64,
}

/// What `GET /api/v1/users/me/stats` answers.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PracticeStats {
    /// Completed practices.
    pub total_practices: u64,
    /// Plays started, completed or not.
    pub total_plays: u64,
    /// Minutes practised, one decimal.
    pub total_minutes: f64,
    /// Days in a row with a completed practice, ending today or yesterday (a streak
    /// stays alive until a whole day passes without practice).
    pub current_streak: u32,
    pub longest_streak: u32,
    /// The last day with a completed practice, in the user's time zone.
    pub last_practice_date: Option<NaiveDate>,
    /// The time zone days are counted in (the `timezone` preference).
    pub timezone: String,
    /// Per content type; every type is present.
    pub by_content_type: BTreeMap<&'static str, TypeTotals>,
}

/// Totals and streaks of `records` as of `now`, with days in `tz`.
pub fn practice_stats(
    records: &[PracticeRecord],
    total_plays: u64,
    tz: Tz,
    now: DateTime<Utc>,
) -> PracticeStats {
    let mut by_type: BTreeMap<&'static str, (u64, i64)> = ContentType::ALL
        .iter()
        .map(|t| (t.as_str(), (0, 0)))
        .collect();
    let mut days = BTreeSet::new();
    let mut seconds = 0i64;
    for record in records {
        let entry = by_type.entry(record.content_type.as_str()).or_default();
        entry.0 += 1;
        entry.1 += record.duration_seconds;
        seconds += record.duration_seconds;
        days.insert(record.completed_at.with_timezone(&tz).date_naive());
    }
    let today = now.with_timezone(&tz).date_naive();
    let (current_streak, longest_streak) = streaks(&days, today);
    PracticeStats {
        total_practices: records.len() as u64,
        total_plays,
        total_minutes: minutes(seconds),
        current_streak,
        longest_streak,
        last_practice_date: days.last().copied(),
        timezone: tz.name().to_owned(),
        by_content_type: by_type
            .into_iter()
            .map(|(name, (practices, seconds))| {
                (
                    name,
                    TypeTotals {
                        practices,
                        minutes: minutes(seconds),
                    },
                )
            })
            .collect(),
    }
}

fn minutes(seconds: i64) -> f64 {
    (seconds as f64 / 6.0).round() / 10.0
}

/// The current and the longest run of consecutive days. The current run ends today,
/// or yesterday when today has no practice yet; days after `today` (a clock ahead of
/// ours) count as today.
pub fn streaks(days: &BTreeSet<NaiveDate>, today: NaiveDate) -> (u32, u32) {
    let mut longest = 0u32;
    let mut run = 0u32;
    let mut previous: Option<NaiveDate> = None;
    for &day in days.iter().filter(|d| **d <= today) {
        run = match previous {
            Some(p) if p.succ_opt() == Some(day) => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        previous = Some(day);
    }
    let alive = previous.is_some_and(|last| last == today || last.succ_opt() == Some(today));
    (if alive { run } else { 0 }, longest)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn set(days: &[&str]) -> BTreeSet<NaiveDate> {
        days.iter().map(|d| day(d)).collect()
    }

    #[test]
    fn runs_and_the_missed_day() {
        let cases: &[(&[&str], &str, (u32, u32))] = &[
            (&[], "2026-03-10", (0, 0)),
            (&["2026-03-10"], "2026-03-10", (1, 1)),
            // Yesterday keeps the streak alive; the day before yesterday does not.
            (&["2026-03-09"], "2026-03-10", (1, 1)),
            (&["2026-03-08"], "2026-03-10", (0, 1)),
            (
                &["2026-03-08", "2026-03-09", "2026-03-10"],
                "2026-03-10",
                (3, 3),
            ),
            // A missed day (the 7th) breaks the run: 3 before it, 2 after.
            (
                &[
                    "2026-03-04",
                    "2026-03-05",
                    "2026-03-06",
                    "2026-03-08",
                    "2026-03-09",
                ],
                "2026-03-09",
                (2, 3),
            ),
            (
                &[
                    "2026-03-04",
                    "2026-03-05",
                    "2026-03-06",
                    "2026-03-08",
                    "2026-03-09",
                ],
                "2026-03-11",
                (0, 3),
            ),
            // Across a month and a year end.
            (&["2025-12-31", "2026-01-01"], "2026-01-01", (2, 2)),
            (
                &["2028-02-28", "2028-02-29", "2028-03-01"],
                "2028-03-01",
                (3, 3),
            ),
            // A day ahead of today is ignored.
            (&["2026-03-10", "2026-03-11"], "2026-03-10", (1, 1)),
        ];
        for (days, today, expected) in cases {
            assert_eq!(
                streaks(&set(days), day(today)),
                *expected,
                "{days:?} on {today}"
            );
        }
    }

    fn record(at: DateTime<Utc>, seconds: i64, content_type: ContentType) -> PracticeRecord {
        PracticeRecord {
            content_type,
            completed_at: at,
            duration_seconds: seconds,
        }
    }

    #[test]
    fn days_are_counted_in_the_users_time_zone() {
        // 23:30 UTC on the 9th and 00:30 UTC on the 11th: two days apart in UTC, but in
        // Auckland (UTC+13 in March) they are the 10th and the 11th, and in Los Angeles
        // (UTC-7) the 9th and the 10th.
        let a = Utc.with_ymd_and_hms(2026, 3, 9, 23, 30, 0).unwrap();
        let b = Utc.with_ymd_and_hms(2026, 3, 11, 0, 30, 0).unwrap();
        let records = [
            record(a, 600, ContentType::Ritual),
            record(b, 90, ContentType::Affirmation),
        ];
        let now = Utc.with_ymd_and_hms(2026, 3, 11, 1, 0, 0).unwrap();
        let utc = practice_stats(&records, 3, Tz::UTC, now);
        assert_eq!((utc.current_streak, utc.longest_streak), (1, 1));
        let auckland = practice_stats(&records, 3, chrono_tz::Pacific::Auckland, now);
        assert_eq!((auckland.current_streak, auckland.longest_streak), (2, 2));
        assert_eq!(auckland.last_practice_date, Some(day("2026-03-11")));
        let la = practice_stats(&records, 3, chrono_tz::America::Los_Angeles, now);
        assert_eq!((la.current_streak, la.longest_streak), (2, 2));
        assert_eq!(la.last_practice_date, Some(day("2026-03-10")));
        assert_eq!(la.timezone, "America/Los_Angeles");
    }

    #[test]
    fn totals_per_type() {
        let at = Utc.with_ymd_and_hms(2026, 3, 9, 12, 0, 0).unwrap();
        let records = [
            record(at, 600, ContentType::Ritual),
            record(at, 630, ContentType::Ritual),
            record(at, 90, ContentType::Affirmation),
        ];
        let stats = practice_stats(&records, 5, Tz::UTC, at);
        assert_eq!(stats.total_practices, 3);
        assert_eq!(stats.total_plays, 5);
        assert_eq!(stats.total_minutes, 22.0);
        assert_eq!(
            stats.by_content_type["ritual"],
            TypeTotals {
                practices: 2,
                minutes: 20.5
            }
        );
        assert_eq!(stats.by_content_type["affirmation"].minutes, 1.5);
        assert_eq!(stats.by_content_type["guided_meditation"].practices, 0);
    }
}
