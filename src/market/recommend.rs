//! Recommendations: published packs scored by how much their tags (and their items'
//! tags) overlap the tags of what the person practised and made, with a little weight
//! for rating. Pure, so it is tested without a store.

use std::collections::{HashMap, HashSet};

use crate::store::{Candidate, Pack};

/// A pack worth showing, with why.
#[derive(Debug, Clone)]
pub struct Recommendation {
    pub pack: Pack,
    /// From 0 to 1.
    pub score: f64,
    pub reason: String,
}

/// Share of the score that comes from tag overlap (the rest is the rating).
const TAG_WEIGHT: f64 = 0.85;

/// The best `limit` candidates for someone whose practice carries `user_tags`
/// (tag, count), best first; newer packs first among equals.
pub fn recommend(
    user_tags: &[(String, i64)],
    candidates: Vec<Candidate>,
    limit: usize,
) -> Vec<Recommendation> {
    let weights: HashMap<String, f64> = user_tags
        .iter()
        .filter(|(_, count)| *count > 0)
        .map(|(tag, count)| (crate::text::fold(tag), *count as f64))
        .collect();
    let total: f64 = weights.values().sum();
    let mut scored: Vec<Recommendation> = candidates
        .into_iter()
        .map(|candidate| {
            let tags: HashSet<String> = candidate
                .tags
                .iter()
                .map(|t| crate::text::fold(t))
                .collect();
            let mut best: Option<(&str, f64)> = None;
            let mut overlap = 0.0;
            for tag in &tags {
                if let Some(weight) = weights.get(tag) {
                    overlap += weight;
                    if best.is_none_or(|(_, w)| *weight > w) {
                        best = Some((tag.as_str(), *weight));
                    }
                }
            }
            let affinity = if total > 0.0 { overlap / total } else { 0.0 };
            let rating = candidate.pack.rating().unwrap_or(0.0) / 5.0;
            let score = TAG_WEIGHT * affinity + (1.0 - TAG_WEIGHT) * rating;
            let reason = match best {
                Some((tag, _)) => {
                    format!("Based on your practice history: you often practise {tag}")
                }
                None if candidate.pack.review_count > 0 => "Well rated in the catalog".to_owned(),
                None => "New in the catalog".to_owned(),
            };
            Recommendation {
                score: (score * 1000.0).round() / 1000.0,
                reason,
                pack: candidate.pack,
            }
        })
        .collect();
    scored.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.pack.published_at.cmp(&a.pack.published_at))
    });
    scored.truncate(limit);
    scored
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{PackStatus, PriceType};
    use chrono::{Duration, Utc};
    use uuid::Uuid;

    fn candidate(title: &str, tags: &[&str], age_days: i64) -> Candidate {
        let now = Utc::now();
        Candidate {
            pack: Pack {
                id: Uuid::now_v7(),
                creator_id: Uuid::now_v7(),
                creator_name: None,
                title: title.into(),
                description: String::new(),
                price_type: PriceType::Free,
                price_cents: 0,
                currency: "usd".into(),
                subscription_interval: None,
                cover_url: None,
                tags: vec![],
                status: PackStatus::Published,
                rating_sum: 0,
                review_count: 0,
                item_count: 1,
                published_at: Some(now - Duration::days(age_days)),
                archived_at: None,
                created_at: now,
                updated_at: now,
            },
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn different_histories_get_different_packs_first() {
        let packs = || {
            vec![
                candidate("Sleep", &["sleep", "calm"], 3),
                candidate("Focus", &["focus", "work"], 2),
            ]
        };
        let sleeper = recommend(&[("sleep".into(), 5), ("calm".into(), 1)], packs(), 10);
        let worker = recommend(&[("Focus".into(), 4)], packs(), 10);
        assert_eq!(sleeper[0].pack.title, "Sleep");
        assert_eq!(worker[0].pack.title, "Focus");
        assert!(sleeper[0].score > sleeper[1].score);
        assert!(sleeper[0].reason.contains("sleep"), "{}", sleeper[0].reason);
        assert!((0.0..=1.0).contains(&sleeper[0].score));
    }

    #[test]
    fn without_history_newer_packs_come_first() {
        let picks = recommend(
            &[],
            vec![candidate("Old", &["a"], 9), candidate("New", &["b"], 1)],
            1,
        );
        assert_eq!(picks.len(), 1);
        assert_eq!(picks[0].pack.title, "New");
        assert_eq!(picks[0].reason, "New in the catalog");
    }
}
