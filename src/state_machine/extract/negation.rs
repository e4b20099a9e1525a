//! Negation.

use super::*;

/// How a negator before a match reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Negation {
    None,
    /// "not anxious", "not sleeping": read by the word's [`Polarity`].
    Plain,
    /// "not about sleep", "don't want sleep": the topic is refused.
    Topic,
    /// "don't want to feel anxious", "no more stress": a wish to be rid of it.
    Desire,
}

/// Looks back from word `start` for a negator within reach, as in [`NEGATION_BREAKERS`].
pub(super) fn negation_before(scan: &Scan, start: usize) -> Negation {
    let Some(clause) = scan.toks.get(start).map(|t| t.clause) else {
        return Negation::None;
    };
    let (mut desire, mut feeling, mut topic) = (false, false, false);
    for j in (start.saturating_sub(NEGATION_WINDOW)..start).rev() {
        let tok = &scan.toks[j];
        let word = tok.norm.as_str();
        if tok.clause != clause || is_in(NEGATION_BREAKERS, word) {
            break;
        }
        if scan.used[j] {
            continue;
        }
        if is_in(NEGATORS, word) {
            let no_more = word == "no" && matches!(scan.norm(j + 1), Some("more" | "longer"));
            return if no_more || (desire && feeling) {
                Negation::Desire
            } else if topic {
                Negation::Topic
            } else {
                Negation::Plain
            };
        }
        desire |= is_in(DESIRE_VERBS, word);
        feeling |= is_in(FEELING_VERBS, word);
        topic |= is_in(TOPIC_MARKERS, word);
    }
    Negation::None
}

pub(super) fn negates(negation: Negation, value: Value) -> bool {
    !matches!(
        (negation, value),
        (Negation::None, _)
            | (Negation::Desire, Value::Intent(..))
            | (Negation::Plain, Value::Intent(_, _, Polarity::Goal))
    )
}
