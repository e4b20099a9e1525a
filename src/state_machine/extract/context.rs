//! Context.

use super::*;

/// The whole answer to the context question, unless it declines.
pub(super) fn asked_context(scan: &Scan) -> Option<String> {
    if declines(scan) {
        return None;
    }
    clean_context(scan.text)
}

/// "skip", "I'd rather not say", "no thanks": a refusal once fillers are stripped.
pub(super) fn declines(scan: &Scan) -> bool {
    let words: Vec<&str> = scan.toks.iter().map(|t| t.norm.as_str()).collect();
    let mut from = 0;
    let mut to = words.len();
    while from < to && is_in(REPLY_FILLERS, words[from]) {
        from += 1;
    }
    while to > from && is_in(REPLY_FILLERS, words[to - 1]) {
        to -= 1;
    }
    let rest = &words[from..to];
    rest.is_empty()
        || REFUSALS.iter().any(|refusal| {
            let mut phrase = phrase_words(refusal);
            rest.iter()
                .all(|w| phrase.next().is_some_and(|p| word_eq(w, p)))
                && phrase.next().is_none()
        })
}

/// Not asked: the rest of the clause after "because" ("because of" drops the "of").
pub(super) fn because_clause(scan: &Scan) -> Option<String> {
    let toks = &scan.toks;
    (0..toks.len())
        .filter(|&i| toks[i].norm == "because" && !scan.used[i])
        .find_map(|i| {
            let clause = toks[i].clause;
            let from = if scan.norm(i + 1) == Some("of") {
                i + 2
            } else {
                i + 1
            };
            let to = (from..toks.len())
                .take_while(|&j| toks[j].clause == clause)
                .last()?;
            if to + 1 - from < MIN_BECAUSE_WORDS {
                return None;
            }
            clean_context(scan.text.get(toks[from].start..toks[to].end)?)
        })
}

/// Control characters and runs of whitespace become one space; at most 300 chars, cut at a
/// word boundary.
pub(super) fn clean_context(text: &str) -> Option<String> {
    let cleaned = text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let cut = cut_at_word(&cleaned, MAX_CONTEXT_CHARS);
    (!cut.is_empty()).then(|| cut.to_string())
}

pub(super) fn cut_at_word(text: &str, max: usize) -> &str {
    let Some((at, next)) = text.char_indices().nth(max) else {
        return text;
    };
    let head = &text[..at];
    let head = if next == ' ' {
        head
    } else {
        match head.rfind(' ') {
            Some(space) if space > 0 => &head[..space],
            _ => head,
        }
    };
    head.trim_end_matches([' ', ',', ';', ':', '-'])
}
