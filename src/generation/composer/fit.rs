//! Sizing a script to its duration. A practice is written several times with a growing
//! budget of speech; each draft's silences can stretch between their minimum and maximum.
//! The draft whose silences need the least stretching wins, and its pauses are then set
//! to the exact seconds that make speech plus silence equal the requested length.

use super::writer::{Draft, Pause, Piece, Writer};
use super::{
    ContentType, MAX_PAUSE_SECONDS, Request, Section, affirmation, meditation, ritual,
    speech_seconds,
};

/// Shares of the duration tried as speech budget, coarsely first and then around the best.
const COARSE_SHARES: [f64; 12] = [
    0.04, 0.12, 0.20, 0.28, 0.36, 0.44, 0.52, 0.60, 0.68, 0.76, 0.84, 0.92,
];
const FINE_OFFSETS: [f64; 6] = [-0.06, -0.04, -0.02, 0.02, 0.04, 0.06];

/// Writes the practice and sets its pauses so it lasts as long as requested.
pub(super) fn write_to_length(req: &Request, seed: u64) -> Vec<Section> {
    let target = i64::from(req.target_seconds());
    let attempt = |share: f64| {
        let drafts = draft(req, seed, share * target as f64);
        let plan = Plan::new(&drafts, req, target);
        (share, drafts, plan)
    };
    let least_strain = |a: &(f64, Vec<Draft>, Plan), b: &(f64, Vec<Draft>, Plan)| {
        a.2.strain().total_cmp(&b.2.strain())
    };
    let coarse = COARSE_SHARES
        .into_iter()
        .map(attempt)
        .min_by(least_strain)
        .expect("shares to try");
    let centre = coarse.0;
    let (_, drafts, plan) = FINE_OFFSETS
        .into_iter()
        .map(|offset| centre + offset)
        .filter(|&share| share > 0.0)
        .map(attempt)
        .chain(std::iter::once(coarse))
        .min_by(least_strain)
        .expect("shares to try");
    render(drafts, plan.seconds())
}

fn draft(req: &Request, seed: u64, budget: f64) -> Vec<Draft> {
    let mut writer = Writer::new(req, seed);
    match req.content_type {
        ContentType::Affirmation => affirmation::write(&mut writer, budget),
        ContentType::GuidedMeditation => meditation::write(&mut writer, budget),
        ContentType::Ritual => ritual::write(&mut writer, budget),
    }
    writer.finish()
}

/// How much silence a draft needs, and how much it can give.
struct Plan {
    pauses: Vec<Pause>,
    needed: i64,
    min: i64,
    nominal: i64,
    max: i64,
}

impl Plan {
    fn new(drafts: &[Draft], req: &Request, target: i64) -> Plan {
        let pieces = drafts.iter().flat_map(|draft| &draft.pieces);
        let words: usize = pieces
            .clone()
            .filter_map(|piece| match piece {
                Piece::Say(text) => Some(text.split_whitespace().count()),
                Piece::Pause(_) => None,
            })
            .sum();
        let pauses: Vec<Pause> = pieces
            .filter_map(|piece| match piece {
                Piece::Pause(pause) => Some(*pause),
                Piece::Say(_) => None,
            })
            .collect();
        let total = |field: fn(&Pause) -> u32| pauses.iter().map(|p| i64::from(field(p))).sum();
        Plan {
            needed: target - i64::from(speech_seconds(words, req.pace)),
            min: total(|p| p.min),
            nominal: total(|p| p.nominal),
            max: total(|p| p.max),
            pauses,
        }
    }

    /// How far the silences must move from natural: 0 is ideal; unreachable plans rank last.
    fn strain(&self) -> f64 {
        if self.needed < self.min || self.needed > self.max || self.nominal == 0 {
            let miss = (self.min - self.needed).max(self.needed - self.max).max(1);
            return 1e6 + miss as f64;
        }
        (self.needed as f64 / self.nominal as f64).ln().abs()
    }

    /// Seconds for each pause, moved together from nominal toward min or max, summing
    /// to exactly what is needed when that is reachable.
    fn seconds(&self) -> Vec<u32> {
        let needed = self.needed.clamp(self.min, self.max);
        let toward = |p: &Pause| -> f64 {
            let (from, to, span) = if needed >= self.nominal {
                (p.nominal, p.max, self.max - self.nominal)
            } else {
                (p.min, p.nominal, self.nominal - self.min)
            };
            let progress = if span == 0 {
                0.0
            } else if needed >= self.nominal {
                (needed - self.nominal) as f64 / span as f64
            } else {
                (needed - self.min) as f64 / span as f64
            };
            f64::from(from) + f64::from(to - from) * progress
        };
        let exact: Vec<f64> = self.pauses.iter().map(toward).collect();
        let mut seconds: Vec<u32> = exact.iter().map(|s| s.floor() as u32).collect();
        let mut short = needed - seconds.iter().map(|&s| i64::from(s)).sum::<i64>();
        let mut order: Vec<usize> = (0..seconds.len()).collect();
        order.sort_by(|&a, &b| {
            (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor()))
        });
        while short > 0 {
            let before = short;
            for &i in &order {
                if short > 0 && seconds[i] < self.pauses[i].max.min(MAX_PAUSE_SECONDS) {
                    seconds[i] += 1;
                    short -= 1;
                }
            }
            if short == before {
                break;
            }
        }
        seconds
    }
}

/// Sentences flow on one line; each pause mark stands on its own line between them.
fn render(drafts: Vec<Draft>, seconds: Vec<u32>) -> Vec<Section> {
    let mut seconds = seconds.into_iter();
    drafts
        .into_iter()
        .map(|draft| {
            let mut lines: Vec<String> = Vec::new();
            let mut spoken = String::new();
            for piece in draft.pieces {
                match piece {
                    Piece::Say(text) => {
                        if !spoken.is_empty() {
                            spoken.push(' ');
                        }
                        spoken.push_str(&text);
                    }
                    Piece::Pause(_) => {
                        if !spoken.is_empty() {
                            lines.push(std::mem::take(&mut spoken));
                        }
                        let secs = seconds.next().unwrap_or(1).clamp(1, MAX_PAUSE_SECONDS);
                        lines.push(format!("[pause {secs}s]"));
                    }
                }
            }
            if !spoken.is_empty() {
                lines.push(spoken);
            }
            Section {
                kind: draft.kind,
                text: lines.join("\n"),
            }
        })
        .collect()
}
