//! The writer a practice is built with: it draws phrases with the seeded RNG, refuses any
//! sentence already spoken, keeps the name to a couple of uses, and records each piece
//! with the speech time it costs so sections can fill their share of the duration.

use std::collections::HashSet;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use super::intents::{self, IntentText};
use super::text::{minutes_phrase, sentence_key, sentences};
use super::{MAX_PAUSE_SECONDS, Request, SectionKind, TimeOfDay, words_per_minute};

/// A silence the fitter may lengthen or shorten within `min..=max`; `nominal` is what
/// feels natural. Only `elastic` nominals grow with the length of the practice.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pause {
    pub min: u32,
    pub nominal: u32,
    pub max: u32,
    pub elastic: bool,
}

/// A beat between two thoughts.
pub(super) const BEAT: Pause = Pause::new(2, 3, 6, true);
/// Room to repeat an affirmation: always 3 to 6 seconds.
pub(super) const REPEAT: Pause = Pause::new(3, 5, 6, false);
/// One or two breaths.
pub(super) const BREATH: Pause = Pause::new(3, 6, 15, true);
/// Time to feel what was just named.
pub(super) const SETTLE: Pause = Pause::new(3, 8, 25, true);
/// Time to see and sense an imagined scene.
pub(super) const SCENE: Pause = Pause::new(4, 10, 30, true);
/// Resting silence in a meditation.
pub(super) const REST: Pause = Pause::new(8, 30, MAX_PAUSE_SECONDS, true);
/// Silent practice in a ritual.
pub(super) const SILENCE: Pause = Pause::new(15, 40, MAX_PAUSE_SECONDS, true);

impl Pause {
    const fn new(min: u32, nominal: u32, max: u32, elastic: bool) -> Pause {
        Pause {
            min,
            nominal,
            max,
            elastic,
        }
    }

    /// Two silences in a row become one, so marks always sit between sentences.
    fn merged(self, other: Pause) -> Pause {
        let max = (self.max + other.max).min(MAX_PAUSE_SECONDS);
        let min = (self.min + other.min).min(max);
        Pause {
            min,
            nominal: (self.nominal + other.nominal).clamp(min, max),
            max,
            elastic: self.elastic || other.elastic,
        }
    }
}

pub(super) enum Piece {
    Say(String),
    Pause(Pause),
}

/// A section as written, before the fitter sets the length of its pauses.
pub(super) struct Draft {
    pub kind: SectionKind,
    pub pieces: Vec<Piece>,
}

/// A source of one more sentence; returns false when it has nothing fresh left.
pub(super) type Step = fn(&mut Writer<'_>) -> bool;

pub(super) struct Writer<'r> {
    pub req: &'r Request,
    rng: StdRng,
    words_per_second: f64,
    /// Longer practices breathe more slowly: nominal silences scale with this.
    spaciousness: f64,
    drafts: Vec<Draft>,
    section_words: usize,
    /// Keys of every sentence said so far: none is said twice.
    spoken: HashSet<u64>,
    /// Keys of the halves combined sentences were built from.
    parts: HashSet<u64>,
    name_uses: u8,
    last_opener: u64,
}

/// The name is a warm touch, not a refrain.
const NAME_USES: u8 = 2;

impl<'r> Writer<'r> {
    pub fn new(req: &'r Request, seed: u64) -> Writer<'r> {
        let minutes = f64::from(req.minutes);
        Writer {
            req,
            rng: StdRng::seed_from_u64(seed),
            words_per_second: f64::from(words_per_minute(req.pace)) / 60.0,
            spaciousness: (minutes / 10.0).sqrt().clamp(0.7, 2.0),
            drafts: Vec::new(),
            section_words: 0,
            spoken: HashSet::new(),
            parts: HashSet::new(),
            name_uses: 0,
            last_opener: 0,
        }
    }

    pub fn intent(&self) -> &'static IntentText {
        intents::text(self.req.intent)
    }

    pub fn begin(&mut self, kind: SectionKind) {
        self.drafts.push(Draft {
            kind,
            pieces: Vec::new(),
        });
        self.section_words = 0;
    }

    /// Seconds of speech written so far in the current section.
    pub fn spent(&self) -> f64 {
        self.section_words as f64 / self.words_per_second
    }

    /// Seconds it takes to say `text` at the requested pace.
    pub fn seconds_to_say(&self, text: &str) -> f64 {
        text.split_whitespace().count() as f64 / self.words_per_second
    }

    /// Whether the current section still has speech budget left.
    pub fn room(&self, budget: f64) -> bool {
        self.spent() < budget
    }

    /// Whether about `seconds` more speech still fits the section's budget: for lines a
    /// very short practice does better without.
    pub fn fits(&self, budget: f64, seconds: f64) -> bool {
        self.spent() + seconds <= budget
    }

    pub fn say(&mut self, text: String) {
        for sentence in sentences(&text) {
            self.spoken.insert(sentence_key(sentence));
        }
        self.section_words += text.split_whitespace().count();
        self.last_opener = opener_key(&text);
        self.pieces().push(Piece::Say(text));
    }

    /// Adds a silence after what was just said; a silence with nothing before it is dropped.
    pub fn pause(&mut self, pause: Pause) {
        let pause = self.scaled(pause);
        let pieces = self.pieces();
        match pieces.last_mut() {
            Some(Piece::Pause(previous)) => *previous = previous.merged(pause),
            Some(Piece::Say(_)) => pieces.push(Piece::Pause(pause)),
            None => {}
        }
    }

    fn scaled(&self, pause: Pause) -> Pause {
        if !pause.elastic {
            return pause;
        }
        let nominal = (f64::from(pause.nominal) * self.spaciousness).round() as u32;
        Pause {
            nominal: nominal.clamp(pause.min, pause.max),
            ..pause
        }
    }

    fn pieces(&mut self) -> &mut Vec<Piece> {
        if self.drafts.is_empty() {
            self.begin(SectionKind::Opening);
        }
        let last = self.drafts.len() - 1;
        &mut self.drafts[last].pieces
    }

    /// Says one of `options` (placeholders filled) that has not been said yet.
    pub fn line(&mut self, options: &[&str]) -> bool {
        let mut order: Vec<usize> = (0..options.len()).collect();
        order.shuffle(&mut self.rng);
        let chosen = self.pick(order.into_iter().map(|i| (self.fill(options[i]), 0, ())));
        self.say_some(chosen)
    }

    /// Says one of `candidates` that has not been said yet, chosen at random.
    pub fn line_from(&mut self, mut candidates: Vec<String>) -> bool {
        candidates.shuffle(&mut self.rng);
        let chosen = self.pick(candidates.into_iter().map(|c| (c, 0, ())));
        self.say_some(chosen)
    }

    /// Says a sentence built from a random head and tail that has not been said yet,
    /// preferring halves not heard before.
    pub fn combo(&mut self, heads: &[&str], tails: &[&str]) -> bool {
        let mut pairs: Vec<(usize, usize)> = (0..heads.len())
            .flat_map(|h| (0..tails.len()).map(move |t| (h, t)))
            .collect();
        pairs.shuffle(&mut self.rng);
        let heard = |parts: &[&str]| -> Vec<bool> {
            parts
                .iter()
                .map(|part| self.parts.contains(&sentence_key(part)))
                .collect()
        };
        let (heads_heard, tails_heard) = (heard(heads), heard(tails));
        let staleness =
            |&(h, t): &(usize, usize)| usize::from(heads_heard[h]) + usize::from(tails_heard[t]);
        pairs.sort_by_key(staleness);
        let chosen = self.pick(pairs.into_iter().map(|pair| {
            let (head, tail) = (heads[pair.0], tails[pair.1]);
            (format!("{head} {tail}"), staleness(&pair), [head, tail])
        }));
        for part in chosen.iter().flat_map(|(_, parts)| parts) {
            self.parts.insert(sentence_key(part));
        }
        self.say_some(chosen)
    }

    /// The fresh candidate with the least staleness: parts heard before count against
    /// it, and so does opening with the same two words as the line before, so
    /// consecutive lines do not sound like a list. Candidates come sorted by parts heard.
    fn pick<T>(&self, candidates: impl Iterator<Item = (String, usize, T)>) -> Option<(String, T)> {
        let mut best: Option<(String, usize, T)> = None;
        for (candidate, heard, tag) in candidates {
            if best.as_ref().is_some_and(|(_, least, _)| heard >= *least) {
                break;
            }
            if !self.is_fresh(&candidate) {
                continue;
            }
            let staleness = heard + usize::from(opener_key(&candidate) == self.last_opener);
            if staleness == heard {
                return Some((candidate, tag));
            }
            best = Some((candidate, staleness, tag));
        }
        best.map(|(candidate, _, tag)| (candidate, tag))
    }

    fn say_some<T>(&mut self, chosen: Option<(String, T)>) -> bool {
        let said = chosen.is_some();
        if let Some((text, _)) = chosen {
            self.say(text);
        }
        said
    }

    /// Says one of `options` addressed by name, while the name has uses left.
    pub fn name_line(&mut self, options: &[&str]) -> bool {
        if self.req.name.is_none() || self.name_uses >= NAME_USES {
            return false;
        }
        let said = self.line(options);
        self.name_uses += u8::from(said);
        said
    }

    /// The name for a line built by hand, counted like `name_line`.
    pub fn take_name(&mut self) -> Option<&'r str> {
        let name = self.req.name.as_deref()?;
        (self.name_uses < NAME_USES).then(|| {
            self.name_uses += 1;
            name
        })
    }

    pub fn is_fresh(&self, text: &str) -> bool {
        sentences(text).all(|sentence| !self.spoken.contains(&sentence_key(sentence)))
    }

    pub fn choose<T>(&mut self, items: &'static [T]) -> &'static T {
        &items[self.rng.random_range(0..items.len())]
    }

    /// `amount` random positions of `len`, in their original order.
    pub fn sample_in_order(&mut self, len: usize, amount: usize) -> Vec<usize> {
        let mut picked = rand::seq::index::sample(&mut self.rng, len, amount.min(len)).into_vec();
        picked.sort_unstable();
        picked
    }

    /// Fills the placeholders every table may use.
    pub fn fill(&self, template: &str) -> String {
        if !template.contains('{') {
            return template.to_owned();
        }
        template
            .replace("{phrase}", self.req.intent.phrase())
            .replace("{quality}", self.intent().quality)
            .replace("{minutes}", &minutes_phrase(self.req.minutes))
            .replace("{noun}", self.req.content_type.noun())
            .replace("{part}", part_of_day(self.req.time))
            .replace("{name}", self.req.name.as_deref().unwrap_or("friend"))
    }

    /// The sections written, without empty ones and without a silence at the very end.
    pub fn finish(mut self) -> Vec<Draft> {
        self.drafts.retain(|draft| !draft.pieces.is_empty());
        if let Some(last) = self.drafts.last_mut()
            && matches!(last.pieces.last(), Some(Piece::Pause(_)))
        {
            last.pieces.pop();
        }
        self.drafts
    }
}

/// Adds up to `limit` sentences from `steps` in turn, each followed by `pause`, until
/// the section's budget is spent or every step has run dry. Returns how many were added.
pub(super) fn rotate(
    w: &mut Writer<'_>,
    budget: f64,
    limit: usize,
    steps: &[Step],
    pause: Pause,
) -> usize {
    let mut added = 0;
    let mut misses = 0;
    let mut turn = 0;
    while w.room(budget) && misses < steps.len() && added < limit {
        if steps[turn % steps.len()](w) {
            w.pause(pause);
            added += 1;
            misses = 0;
        } else {
            misses += 1;
        }
        turn += 1;
    }
    added
}

/// `amount` positions spread evenly over `len`, always keeping the first and the last:
/// an imagery sequence shortened this way still has its beginning and its ending.
pub(super) fn spread(len: usize, amount: usize) -> Vec<usize> {
    let amount = amount.min(len);
    match amount {
        0 => Vec::new(),
        1 => vec![0],
        _ => (0..amount)
            .map(|i| (i * (len - 1) + (amount - 1) / 2) / (amount - 1))
            .collect(),
    }
}

/// The first two words of a line, as a key.
fn opener_key(text: &str) -> u64 {
    let end = text
        .match_indices(' ')
        .nth(1)
        .map_or(text.len(), |(at, _)| at);
    sentence_key(&text[..end])
}

/// How a sentence names the rest of the listener's day.
fn part_of_day(time: TimeOfDay) -> &'static str {
    match time {
        TimeOfDay::Afternoon => "afternoon",
        TimeOfDay::Evening => "evening",
        TimeOfDay::Night => "night",
        TimeOfDay::Morning | TimeOfDay::Midday | TimeOfDay::Anytime => "day",
    }
}
