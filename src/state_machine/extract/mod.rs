//! Offline slot extractor: reads one chat message with lexicons and small parsers
//! (no ML, no network) and returns the [`Slots`] the message states.
//!
//! Rules where the brief left a choice:
//! - Only the first 2,000 chars are read, so work is bounded on pasted walls of text.
//! - Words match whole, ignoring case and punctuation; at each word the longest phrase of any
//!   lexicon wins ("gentle with myself" is self-love, "upbeat pace" is a pace, not a tone).
//! - Negation: "not", "no", "never", "don't", "without", "nothing"… up to five words back in the
//!   same clause (a stop at punctuation, "but", "and", "just", "I") negates a match. For intents,
//!   "don't want to feel anxious" / "no more stress" keep the intent, and a plain "not" before a
//!   goal word describes a lack ("not sleeping", "not confident", "no energy" keep the intent);
//!   "not about sleep", "don't want sleep" and "not anxious" drop it. A value negated anywhere in
//!   the message is not used.
//! - Intent: strong words (feelings, goals) outrank weak ones (generic calm words such as "relax",
//!   and situations such as "job interview", "study", "exam"); within a tier the first mentioned
//!   wins.
//! - Time phrases ("before bed", "bedtime") set only the time, never the intent; only fixed
//!   phrases such as "wind down for bed" set both.
//! - "calm"-like words ("calm", "peaceful", "relaxing", "energetic") are an intent after a
//!   feeling verb ("feel calm", "be calm"), a tone next to a voice noun ("calm voice", "voice that
//!   is calm") or when the tone was asked, and otherwise an intent. "calmly", "soothing" are
//!   always a tone.
//! - Time, voice, pace and tone: the first mention that is not negated wins.
//! - Duration: ranges ("10-15 minutes") take the lower bound; fractions round up; "a minute" /
//!   "a second" are figures of speech and ignored, "an hour" is not.
//! - Voice: gender words count only next to a voice noun or when the voice was asked; "either",
//!   "doesn't matter" state no voice. "neutral" alone is a tone unless the voice was asked.
//! - Name: after "I'm", "I am", "this is", "it's" the word must be capitalised and neither a
//!   stop word nor a lexicon word ("I'm Anxious" is no name); "my name is", "call me" and an
//!   answer to the name question accept any name-like word, as typed.
//! - Context, when not asked: the rest of the clause after "because" (two words or more).

use super::slots::{Intent, SlotName, Slots, TimeOfDay, VoiceStyle};
use crate::domain::{Pace, Tone};

/// Only this much of a message is read: bounds the work on any input.
pub(super) const MAX_INPUT_CHARS: usize = 2_000;
pub(super) use super::slots::{MAX_CONTEXT_CHARS, MAX_NAME_CHARS};
pub(super) use crate::text::cap_chars;
pub(super) const MAX_NAME_WORDS: usize = 3;
/// Longer practices are not offered, so a longer figure is a typo or a joke.
pub(super) const MAX_MINUTES: f64 = 180.0;
/// How many words back a "not" reaches.
pub(super) const NEGATION_WINDOW: usize = 5;
/// How many words back a feeling verb reaches past intensifiers: "feel a bit more calm".
pub(super) const FEELING_VERB_REACH: usize = 4;
/// How many words apart a voice noun can be from "calm"/"female" to make it about the voice.
pub(super) const VOICE_NOUN_WINDOW: usize = 3;
/// A one-word "because" clause ("because reasons") says too little to keep.
pub(super) const MIN_BECAUSE_WORDS: usize = 2;

/// Strong words name a feeling or a goal; weak ones are generic ("relax") or a situation
/// ("job interview"), so any strong word outranks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Strength {
    Strong,
    Weak,
}

/// What a plain "not" before the word means: for a goal word the person lacks it and wants it
/// ("I'm not sleeping", "no energy"); for a problem word they are free of it ("not anxious").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Polarity {
    Goal,
    Problem,
}

pub(super) struct IntentWords {
    pub(super) intent: Intent,
    pub(super) strength: Strength,
    pub(super) polarity: Polarity,
    pub(super) phrases: &'static [&'static str],
}

pub(super) const fn words(
    intent: Intent,
    strength: Strength,
    polarity: Polarity,
    phrases: &'static [&'static str],
) -> IntentWords {
    IntentWords {
        intent,
        strength,
        polarity,
        phrases,
    }
}

mod lexicon;
#[cfg(test)]
mod tests;

use lexicon::*;

/// Slots a message states. `asking` is the slot the previous question asked about,
/// so a bare answer ("ten", "Sam", "mornings") can be read as that slot.
pub fn extract(text: &str, asking: Option<SlotName>) -> Slots {
    let mut scan = Scan::new(cap_chars(text, MAX_INPUT_CHARS), asking);
    let mut name = name_from_intro(&mut scan);
    if name.is_none() && asking == Some(SlotName::Name) {
        name = bare_name(&mut scan);
    }
    let mut duration_minutes = stated_duration(&mut scan);
    if duration_minutes.is_none() && asking == Some(SlotName::Duration) {
        duration_minutes = bare_duration(&mut scan);
    }
    let hits = scan_lexicons(&mut scan);
    let context = if asking == Some(SlotName::Context) {
        asked_context(&scan)
    } else {
        because_clause(&scan)
    };
    Slots {
        intent: pick_intent(&hits),
        context,
        time_of_day: pick(&hits, |v| match v {
            Value::Time(t) => Some(t),
            _ => None,
        }),
        duration_minutes,
        voice: pick(&hits, |v| match v {
            Value::Voice(x) => Some(x),
            _ => None,
        }),
        pace: pick(&hits, |v| match v {
            Value::Pace(x) => Some(x),
            _ => None,
        }),
        tone: pick(&hits, |v| match v {
            Value::Tone(x) => Some(x),
            _ => None,
        }),
        name,
    }
}

/// Lexicon words are written naturally ("can't"); tokens drop apostrophes ("cant").
pub(super) fn word_eq(norm: &str, word: &str) -> bool {
    norm.chars().eq(word.chars().filter(|&c| c != '\''))
}

pub(super) fn is_in(list: &[&str], norm: &str) -> bool {
    list.iter().any(|w| word_eq(norm, w))
}

pub(super) fn phrase_words(phrase: &str) -> impl Iterator<Item = &str> {
    phrase.split([' ', '-']).filter(|w| !w.is_empty())
}
mod choose;
mod context;
mod duration;
mod name;
mod negation;
mod scan;
mod tokens;
use choose::*;
use context::*;
use duration::*;
use name::*;
use negation::*;
use scan::*;
use tokens::*;
