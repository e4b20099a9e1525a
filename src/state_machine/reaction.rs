//! Yes / no / cancel in the person's words: how a voice user confirms a summary.
//!
//! A yes at the summary starts generation and spends credits, so the reading is strict:
//! the whole reply, once polite padding is set aside, must be made of yes phrases (or of
//! no / cancel phrases). Anything that hesitates, asks for a change, or mixes yes with
//! no is [`Reaction::Other`], and the machine reads it as a message that may carry edits.

use serde::{Deserialize, Serialize};

/// What a short message says about the question just asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reaction {
    Yes,
    No,
    Cancel,
    /// Anything else: an answer, a question, small talk, a hesitation, a change.
    Other,
}

/// Messages longer than this are answers, not a yes or a no.
const MAX_REACTION_WORDS: usize = 8;

const CANCEL: &[&str] = &[
    "cancel",
    "cancel it",
    "stop",
    "stop it",
    "never mind",
    "nevermind",
    "forget it",
    "forget about it",
    "quit",
    "abort",
    "i changed my mind",
    "not today",
];

const YES: &[&str] = &[
    "yes",
    "yeah",
    "yep",
    "yup",
    "sure",
    "ok",
    "okay",
    "alright",
    "all right",
    "confirm",
    "confirmed",
    "correct",
    "fine",
    "that's fine",
    "thats fine",
    "that works",
    "works for me",
    "all good",
    "perfect",
    "great",
    "sounds good",
    "sounds great",
    "sounds perfect",
    "that's right",
    "thats right",
    "that's it",
    "thats it",
    "that's perfect",
    "thats perfect",
    "that's great",
    "thats great",
    "looks good",
    "looks great",
    "go ahead",
    "go for it",
    "do it",
    "let's do it",
    "lets do it",
    "let's go",
    "lets go",
    "create it",
    "please do",
    "absolutely",
    "exactly",
];

const NO: &[&str] = &[
    "no",
    "nope",
    "nah",
    "not quite",
    "not really",
    "that's wrong",
    "thats wrong",
    "not right",
];

/// Polite padding around a yes or a no: it neither adds nor takes anything away.
const FILLER: &[&str] = &[
    "please",
    "thanks",
    "thank you",
    "thanks a lot",
    "thank you so much",
    "thank you very much",
    "so",
    "then",
    "oh",
    "well",
    "that",
    "just",
    "um",
    "uh",
    "let's",
    "lets",
];

/// Words that hesitate or ask for something different: a reply holding one is never a
/// plain yes or no, however it starts ("ok wait", "yes but change the voice").
const CHANGE: &[&str] = &[
    "but",
    "except",
    "although",
    "though",
    "however",
    "wait",
    "hold on",
    "hang on",
    "one sec",
    "one second",
    "change",
    "actually",
    "instead",
    "rather",
    "make it",
    "switch",
    "different",
    "shorter",
    "longer",
    "faster",
    "slower",
    "more",
    "less",
    "if",
    "maybe",
    "hmm",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Yes,
    No,
    Cancel,
    Filler,
}

/// Reads a short reply as yes, no or cancel. Polite padding ("yes please", "ok, thanks")
/// is allowed; a hesitation or a change ("yes but ...", "ok wait"), a mix of yes and no
/// ("okay no"), any word outside the known phrases, or anything long is `Other`. A no
/// that also cancels ("no, never mind") is `Cancel`.
pub fn reaction(text: &str) -> Reaction {
    let words = words(text);
    if words.is_empty() || words.len() > MAX_REACTION_WORDS || has_phrase(&words, CHANGE) {
        return Reaction::Other;
    }
    let Some(kinds) = segment(&words) else {
        return Reaction::Other;
    };
    let said = |k: Kind| kinds.contains(&k);
    match (said(Kind::Yes), said(Kind::No), said(Kind::Cancel)) {
        (true, false, false) => Reaction::Yes,
        (false, true, false) => Reaction::No,
        (false, _, true) => Reaction::Cancel,
        _ => Reaction::Other,
    }
}

/// Whether a message hesitates or asks for something different ("yes but make it
/// shorter", "wait", "change the voice"): at the summary it is a change, not a yes.
pub fn asks_for_change(text: &str) -> bool {
    has_phrase(&words(text), CHANGE)
}

/// Lowercase words, punctuation dropped, curly apostrophes straightened.
fn words(text: &str) -> Vec<String> {
    let normalised: String = text
        .chars()
        .take(200)
        .map(|c| match c {
            '\u{2019}' => '\'',
            c if c.is_alphanumeric() || c == '\'' => c.to_ascii_lowercase(),
            _ => ' ',
        })
        .collect();
    normalised
        .split_whitespace()
        .map(|w| w.trim_matches('\'').to_owned())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether `phrase` (space-separated words) starts at word `at`.
fn matches_at(words: &[String], at: usize, phrase: &str) -> Option<usize> {
    let mut len = 0;
    for (i, p) in phrase.split(' ').enumerate() {
        if words.get(at + i).map(String::as_str) != Some(p) {
            return None;
        }
        len += 1;
    }
    Some(len)
}

fn has_phrase(words: &[String], list: &[&str]) -> bool {
    (0..words.len()).any(|at| list.iter().any(|p| matches_at(words, at, p).is_some()))
}

/// Splits the whole reply into known phrases, longest first; `None` when any word is
/// left over. Returns the kind of each phrase.
fn segment(words: &[String]) -> Option<Vec<Kind>> {
    const LISTS: [(Kind, &[&str]); 4] = [
        (Kind::Cancel, CANCEL),
        (Kind::No, NO),
        (Kind::Yes, YES),
        (Kind::Filler, FILLER),
    ];
    let mut kinds = Vec::new();
    let mut at = 0;
    while at < words.len() {
        let (kind, len) = LISTS
            .iter()
            .flat_map(|(kind, list)| {
                list.iter()
                    .filter_map(move |p| matches_at(words, at, p).map(|len| (*kind, len)))
            })
            .max_by_key(|(_, len)| *len)?;
        kinds.push(kind);
        at += len;
    }
    Some(kinds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reactions() {
        use Reaction::{Cancel, No, Other, Yes};
        let cases = [
            // Clear, short replies.
            ("Yes", Yes),
            ("yes please!", Yes),
            ("Sounds good, thanks", Yes),
            ("ok", Yes),
            ("Let’s do it", Yes),
            ("let's do it", Yes),
            ("go ahead", Yes),
            ("Go ahead please.", Yes),
            ("perfect, go ahead", Yes),
            ("Perfect, thanks!", Yes),
            ("yeah sounds great thank you", Yes),
            ("that's right", Yes),
            ("That's fine, thanks", Yes),
            ("no", No),
            ("Nope.", No),
            ("no thanks", No),
            ("Not quite", No),
            ("cancel", Cancel),
            ("never mind", Cancel),
            ("Forget it.", Cancel),
            ("stop", Cancel),
            ("no, never mind", Cancel),
            ("", Other),
            ("thanks", Other),
            // A yes that hesitates or asks for a change is not a yes.
            ("ok wait", Other),
            ("yes but change the voice", Other),
            ("great, but make it shorter", Other),
            ("okay no, change the length", Other),
            ("yes but make it 20 minutes", Other),
            ("sure, except the time", Other),
            ("yes actually hold on", Other),
            ("perfect, maybe a bit longer", Other),
            ("ok, instead do focus", Other),
            ("make it ten minutes instead", Other),
            ("yes, make it", Other),
            ("sounds good if it's short", Other),
            ("yes for sleep", Other),
            // A no that is really a yes (or mixed) is not a no.
            ("no that's perfect", Other),
            ("no worries go ahead", Other),
            ("no, yes", Other),
            ("ok cancel", Other),
            ("wait", Other),
            ("hold on", Other),
            ("wait, change it", Other),
            // Answers and small talk.
            ("I want something for sleep", Other),
            ("yesterday was hard", Other),
            ("nobody listens to me", Other),
            ("okay", Yes),
            (
                "okay so actually I would like to change the whole thing to be about focus",
                Other,
            ),
        ];
        assert!(cases.len() >= 25);
        for (text, expected) in cases {
            assert_eq!(reaction(text), expected, "{text:?}");
        }
    }

    #[test]
    fn changes_are_recognised() {
        for text in [
            "yes but change the voice",
            "wait",
            "hold on a second",
            "make it shorter",
            "actually, the morning",
        ] {
            assert!(asks_for_change(text), "{text:?}");
        }
        for text in [
            "yes please",
            "no",
            "cancel",
            "sounds good",
            "I'd like to butter",
        ] {
            assert!(!asks_for_change(text), "{text:?}");
        }
    }
}
