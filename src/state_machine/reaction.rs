//! Yes / no / cancel in the person's words: how a voice user confirms a summary.

use serde::{Deserialize, Serialize};

/// What a short message says about the question just asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reaction {
    Yes,
    No,
    Cancel,
    /// Anything else: an answer, a question, small talk.
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
    "confirm",
    "confirmed",
    "correct",
    "perfect",
    "great",
    "sounds good",
    "sounds great",
    "sounds perfect",
    "that's right",
    "thats right",
    "that's it",
    "looks good",
    "go ahead",
    "go for it",
    "do it",
    "let's do it",
    "lets do it",
    "let's go",
    "create it",
    "make it",
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
    "wait",
    "hold on",
    "change it",
    "something else",
    "that's wrong",
    "thats wrong",
    "not right",
];

/// Reads a short reply as yes, no or cancel. Polite padding ("yes please", "ok, thanks")
/// is allowed; anything long or mixed is `Other`.
pub fn reaction(text: &str) -> Reaction {
    let normalised: String = text
        .chars()
        .take(200)
        .map(|c| match c {
            '\u{2019}' => '\'',
            c if c.is_alphanumeric() || c == '\'' => c.to_ascii_lowercase(),
            _ => ' ',
        })
        .collect();
    let words: Vec<&str> = normalised.split_whitespace().collect();
    if words.is_empty() || words.len() > MAX_REACTION_WORDS {
        return Reaction::Other;
    }
    let core: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| {
            !matches!(
                *w,
                "please" | "thanks" | "thank" | "you" | "so" | "that" | "then" | "oh" | "well"
            )
        })
        .collect();
    let phrase = core.join(" ");
    let starts_with = |list: &[&str]| {
        list.iter()
            .any(|p| phrase == *p || phrase.starts_with(&format!("{p} ")))
    };
    if starts_with(CANCEL) {
        Reaction::Cancel
    } else if starts_with(NO) {
        Reaction::No
    } else if starts_with(YES) {
        Reaction::Yes
    } else {
        Reaction::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reactions() {
        let cases = [
            ("Yes", Reaction::Yes),
            ("yes please!", Reaction::Yes),
            ("Sounds good, thanks", Reaction::Yes),
            ("ok", Reaction::Yes),
            ("Let’s do it", Reaction::Yes),
            ("perfect, go ahead", Reaction::Yes),
            ("no", Reaction::No),
            ("Not quite", Reaction::No),
            ("wait, change it", Reaction::No),
            ("cancel", Reaction::Cancel),
            ("never mind", Reaction::Cancel),
            ("Forget it.", Reaction::Cancel),
            ("", Reaction::Other),
            ("make it ten minutes instead", Reaction::Yes),
            ("I want something for sleep", Reaction::Other),
            ("yesterday was hard", Reaction::Other),
            ("nobody listens to me", Reaction::Other),
            (
                "okay so actually I would like to change the whole thing to be about focus",
                Reaction::Other,
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(reaction(text), expected, "{text}");
        }
    }
}
