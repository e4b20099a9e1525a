//! Name.

use super::*;

/// "my name is Sam", "I'm Sam": the first name after a lead-in; its words are taken.
pub(super) fn name_from_intro(scan: &mut Scan) -> Option<String> {
    for i in 0..scan.toks.len() {
        for &(intro, rule) in NAME_INTROS {
            let Some(len) = scan.phrase_len(i, intro) else {
                continue;
            };
            if let Some((name, end)) = name_at(scan, i + len, scan.toks[i].clause, rule) {
                scan.mark(i, end - i);
                return Some(name);
            }
        }
    }
    None
}

/// The answer to the name question, without lead-ins and fillers: "Sam", "it's just sam".
pub(super) fn bare_name(scan: &mut Scan) -> Option<String> {
    let mut from = 0;
    let mut to = scan.toks.len();
    loop {
        let intro = NAME_INTROS
            .iter()
            .find_map(|&(intro, _)| scan.phrase_len(from, intro));
        match intro {
            Some(len) => from += len,
            None if from < to && is_in(REPLY_FILLERS, &scan.toks[from].norm) => from += 1,
            None => break,
        }
    }
    while to > from && is_in(REPLY_FILLERS, &scan.toks[to - 1].norm) {
        to -= 1;
    }
    if to <= from || to - from > MAX_NAME_WORDS {
        return None;
    }
    let clause = scan.toks[from].clause;
    let (name, end) = name_at(scan, from, clause, NameRule::AsTyped)?;
    if end != to {
        return None;
    }
    scan.mark(from, to - from);
    Some(name)
}

/// A name of up to three words from word `start`, as typed, with the word after it.
pub(super) fn name_at(
    scan: &Scan,
    start: usize,
    clause: u32,
    rule: NameRule,
) -> Option<(String, usize)> {
    let strict = rule == NameRule::Capitalised;
    if scan.toks.get(start)?.clause != clause || !is_name_word(scan, start, strict) {
        return None;
    }
    let later_strict = rule != NameRule::AsTyped;
    let mut end = start + 1;
    while end - start < MAX_NAME_WORDS
        && scan.toks.get(end).is_some_and(|t| t.clause == clause)
        && joiner(scan.gap_before(end)).is_some()
        && is_name_word(scan, end, later_strict)
    {
        end += 1;
    }
    while end > start {
        let name = join_name(scan, start, end);
        if name.chars().count() <= MAX_NAME_CHARS {
            return Some((name, end));
        }
        end -= 1;
    }
    None
}

/// Letters (any script) and inner apostrophes, not a stop word; `strict` also wants a capital
/// and no lexicon word.
pub(super) fn is_name_word(scan: &Scan, i: usize, strict: bool) -> bool {
    let orig = scan.orig(i);
    let Some(norm) = scan.norm(i) else {
        return false;
    };
    let letters = orig.starts_with(char::is_alphabetic)
        && orig
            .chars()
            .all(|c| c.is_alphabetic() || APOSTROPHES.contains(&c));
    if !letters || is_in(NOT_NAMES, norm) {
        return false;
    }
    !strict || (orig.starts_with(char::is_uppercase) && !is_lexicon_word(norm))
}

/// How two name words were joined: a space or a hyphen ("Mary-Jane"); anything else ends it.
pub(super) fn joiner(gap: &str) -> Option<char> {
    if gap == "-" {
        Some('-')
    } else if !gap.is_empty() && gap.chars().all(|c| c == ' ') {
        Some(' ')
    } else {
        None
    }
}

pub(super) fn join_name(scan: &Scan, start: usize, end: usize) -> String {
    let mut name = String::new();
    for j in start..end {
        if j > start {
            name.push(joiner(scan.gap_before(j)).unwrap_or(' '));
        }
        name.extend(
            scan.orig(j)
                .chars()
                .map(|c| if APOSTROPHES.contains(&c) { '\'' } else { c }),
        );
    }
    name
}
