//! Offline composer: writes the full script of an affirmation set, guided meditation or
//! ritual from hand-written phrase tables, sized to the requested duration. It is the
//! default generator when no language model is configured, so every choice is seeded
//! (same inputs, same script) and every sentence is checked against repetition.

mod affirmation;
mod common;
mod fit;
mod intents;
mod meditation;
mod phrases;
mod ritual;
mod scenes;
mod text;
mod writer;

#[cfg(test)]
mod tests;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::domain::{ContentType, Depth, Pace, Tone};
use crate::state_machine::slots::duration_bounds;
use crate::state_machine::{Intent, Slots, TimeOfDay};

/// Speaking rates by pace, in words per minute. (Pause marks in scripts look like
/// `[pause 5s]`: whole seconds, 1..=120, on their own between sentences.)
const WORDS_PER_MINUTE_MODERATE: u32 = 130;
const WORDS_PER_MINUTE_SLOWER: u32 = 110;
const WORDS_PER_MINUTE_FASTER: u32 = 150;
/// Longest silence one pause mark may hold; longer rests are split by a spoken cue.
const MAX_PAUSE_SECONDS: u32 = 120;
/// Keeps the title's random choice independent of the script's.
const TITLE_SALT: u64 = 0x7469_746c_6573;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Opening,
    Breath,
    Body,
    Visualization,
    Affirmations,
    Intention,
    Integration,
    Closing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub kind: SectionKind,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Composition {
    /// e.g. "Evening Calm", "Morning Confidence Ritual", "Steady Heart Affirmations".
    pub title: String,
    /// The full script: sections joined with a blank line, containing pause marks.
    pub text: String,
    /// The same text split by section.
    pub sections: Vec<Section>,
    /// Lowercase: intent, time of day, content type, tone, depth, pace.
    pub tags: Vec<String>,
    /// System-assigned: affirmation shallow; meditation medium (deep when >= 20 min); ritual deep.
    pub depth: Depth,
    /// Spoken time (words at the pace's rate) + pauses.
    pub estimated_seconds: u32,
}

/// What to write, with every missing slot replaced by its default and every
/// user-supplied string cleaned for speech.
struct Request {
    content_type: ContentType,
    intent: Intent,
    time: TimeOfDay,
    minutes: u32,
    tone: Tone,
    pace: Pace,
    name: Option<String>,
    context: Option<String>,
}

impl Request {
    fn new(content_type: ContentType, slots: &Slots) -> Request {
        let (shortest, longest) = duration_bounds(content_type);
        let minutes = slots
            .duration_minutes
            .unwrap_or_else(|| content_type.default_minutes())
            .clamp(shortest, longest);
        Request {
            content_type,
            intent: slots.intent.unwrap_or(Intent::Calm),
            time: slots.time_of_day.unwrap_or(TimeOfDay::Anytime),
            minutes,
            tone: slots.tone.unwrap_or_default(),
            pace: slots.pace.unwrap_or_default(),
            name: slots.name.as_deref().and_then(text::clean_name),
            context: slots.context.as_deref().and_then(text::clean_context),
        }
    }

    fn target_seconds(&self) -> u32 {
        self.minutes * 60
    }

    fn is_sleep(&self) -> bool {
        self.intent == Intent::Sleep
    }

    /// Sleep practices and late-night ones are done lying down.
    fn lying_down(&self) -> bool {
        self.is_sleep() || self.time == TimeOfDay::Night
    }

    fn is_evening(&self) -> bool {
        matches!(self.time, TimeOfDay::Evening | TimeOfDay::Night)
    }
}

pub(super) fn words_per_minute(pace: Pace) -> u32 {
    match pace {
        Pace::Slower => WORDS_PER_MINUTE_SLOWER,
        Pace::Moderate => WORDS_PER_MINUTE_MODERATE,
        Pace::Faster => WORDS_PER_MINUTE_FASTER,
    }
}

/// Seconds it takes to speak `words` at `pace`, rounded once for the whole script.
fn speech_seconds(words: usize, pace: Pace) -> u32 {
    (words as f64 * 60.0 / f64::from(words_per_minute(pace))).round() as u32
}

/// Writes the script. Missing slots take sensible defaults (intent calm, time anytime,
/// duration: affirmation 2, meditation 10, ritual 12 minutes; tone warm; pace moderate).
/// The same inputs and seed give the same script; different seeds give different wording.
pub fn compose(content_type: ContentType, slots: &Slots, seed: u64) -> Composition {
    let request = Request::new(content_type, slots);
    let sections = fit::write_to_length(&request, seed);
    let text = sections
        .iter()
        .map(|section| section.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let depth = super::depth_for(request.content_type, request.minutes);
    Composition {
        title: title(&request, seed),
        estimated_seconds: estimate_seconds(&text, request.pace),
        tags: tags(&request, depth),
        text,
        sections,
        depth,
    }
}

/// Spoken seconds of a script at a pace: words / rate + the seconds of its pause marks.
pub fn estimate_seconds(text: &str, pace: Pace) -> u32 {
    let (speech, silence) = speech_and_silence(text, pace);
    speech + silence
}

/// Seconds of speech at `pace`, and seconds inside pause marks.
pub fn speech_and_silence(text: &str, pace: Pace) -> (u32, u32) {
    let (words, paused) = text::measure(text);
    (speech_seconds(words, pace), paused)
}

/// Whether `text` holds something that starts like a pause mark but is not a valid one
/// ("[pause 300s]", "[Pause 5 s]"): a voice would read it aloud.
pub fn has_malformed_pause(text: &str) -> bool {
    text.to_lowercase().matches("[pause").count() != text::pause_marks(text).len()
}

/// The pause marks of a script, in order: where each stands (byte range) and its seconds.
pub fn pause_spans(text: &str) -> Vec<(std::ops::Range<usize>, u32)> {
    text::pause_marks(text)
        .into_iter()
        .map(|mark| (mark.start..mark.end, mark.seconds))
        .collect()
}

/// The pause marks of a script, in order, in seconds.
pub fn pauses(text: &str) -> Vec<u32> {
    text::pause_marks(text)
        .into_iter()
        .map(|mark| mark.seconds)
        .collect()
}

/// "Evening Calm", "Morning Confidence Ritual", "Steady Heart Affirmations": a core that
/// names the intent, with the time of day when one was given.
fn title(request: &Request, seed: u64) -> String {
    let mut rng = StdRng::seed_from_u64(seed ^ TITLE_SALT);
    let cores = intents::text(request.intent).titles;
    let core = cores[rng.random_range(0..cores.len())];
    let time = time_title(request.time);
    match (request.content_type, time) {
        (ContentType::Affirmation, Some(time)) if rng.random_bool(0.5) => {
            format!("{time} {core} Affirmations")
        }
        (ContentType::Affirmation, _) => format!("{core} Affirmations"),
        (ContentType::GuidedMeditation, Some(time)) => format!("{time} {core}"),
        (ContentType::GuidedMeditation, None) => format!("{core} Meditation"),
        (ContentType::Ritual, Some(time)) => format!("{time} {core} Ritual"),
        (ContentType::Ritual, None) => format!("{core} Ritual"),
    }
}

fn time_title(time: TimeOfDay) -> Option<&'static str> {
    match time {
        TimeOfDay::Morning => Some("Morning"),
        TimeOfDay::Midday => Some("Midday"),
        TimeOfDay::Afternoon => Some("Afternoon"),
        TimeOfDay::Evening => Some("Evening"),
        TimeOfDay::Night => Some("Night"),
        TimeOfDay::Anytime => None,
    }
}

/// Lowercase labels for search and filtering; a tone named like the intent is listed once.
fn tags(request: &Request, depth: Depth) -> Vec<String> {
    [
        request.intent.as_str(),
        request.time.as_str(),
        request.content_type.as_str(),
        Tone::as_str(request.tone),
        depth.as_str(),
        Pace::as_str(request.pace),
    ]
    .into_iter()
    .fold(Vec::new(), |mut tags, tag| {
        if !tags.iter().any(|known| known == tag) {
            tags.push(tag.to_owned());
        }
        tags
    })
}
