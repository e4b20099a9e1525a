//! Duration.

use super::*;

/// A number as said: "15", "1.5", "twenty five", "a couple", "one and a half".
pub(super) struct Quantity {
    pub(super) value: f64,
    pub(super) end: usize,
    /// Only "a"/"an": fine for "an hour", a figure of speech in "a minute".
    pub(super) article_only: bool,
}

impl Unit {
    pub(super) fn minutes(self) -> f64 {
        match self {
            Unit::Second => 1.0 / 60.0,
            Unit::Minute => 1.0,
            Unit::Hour => 60.0,
        }
    }
}

/// The first duration with a unit that is not negated and in range; every duration's words
/// are taken so their numbers are not read again.
pub(super) fn stated_duration(scan: &mut Scan) -> Option<u32> {
    let mut found = None;
    let mut i = 0;
    while i < scan.toks.len() {
        match duration_at(scan, i) {
            Some((minutes, end)) => {
                let negated = i > 0
                    && !scan.used[i - 1]
                    && scan.toks[i - 1].clause == scan.toks[i].clause
                    && matches!(scan.norm(i - 1), Some("not" | "no"));
                scan.mark(i, end - i);
                if found.is_none() && !negated {
                    found = to_minutes(minutes);
                }
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    found
}

/// Minutes stated from word `i` ("an hour and 15 minutes") and the word after them.
pub(super) fn duration_at(scan: &Scan, i: usize) -> Option<(f64, usize)> {
    let q = quantity_or_range(scan, i)?;
    let (unit, mut end) = unit_after(scan, q.end)?;
    if q.article_only && unit != Unit::Hour {
        return None;
    }
    let mut minutes = q.value * unit.minutes();
    if unit == Unit::Hour {
        let (extra, after) = hour_suffix(scan, end);
        minutes += extra;
        end = after;
    }
    Some((minutes, end))
}

/// "of an hour", "minutes": the unit from word `k`, with the word after it.
pub(super) fn unit_after(scan: &Scan, mut k: usize) -> Option<(Unit, usize)> {
    if scan.norm(k) == Some("of") {
        k += 1;
    }
    if matches!(scan.norm(k), Some("a" | "an")) {
        k += 1;
    }
    let word = scan.norm(k)?;
    let unit = UNITS.iter().find(|(w, _)| *w == word).map(|&(_, u)| u)?;
    Some((unit, k + 1))
}

/// "and a half" or "(and) 15 minutes" after an hour, in minutes.
pub(super) fn hour_suffix(scan: &Scan, end: usize) -> (f64, usize) {
    let at = |k: usize| scan.norm(end + k);
    if at(0) == Some("and") && at(1) == Some("a") && at(2) == Some("half") {
        return (30.0, end + 3);
    }
    if at(0) == Some("and") && at(1) == Some("half") {
        return (30.0, end + 2);
    }
    let start = if at(0) == Some("and") { end + 1 } else { end };
    let minutes = quantity(scan, start)
        .filter(|q| !q.article_only)
        .and_then(|q| match unit_after(scan, q.end) {
            Some((Unit::Minute, after)) => Some((q.value, after)),
            _ => None,
        });
    minutes.unwrap_or((0.0, end))
}

/// A quantity, or a range of two ("10-15", "10 to 15") read as its lower bound.
pub(super) fn quantity_or_range(scan: &Scan, i: usize) -> Option<Quantity> {
    let q = quantity(scan, i)?;
    if q.article_only {
        return Some(q);
    }
    let next = match scan.norm(q.end) {
        Some("to" | "or" | "and") => Some(q.end + 1),
        Some(_) if is_range_dash(scan.gap_before(q.end)) => Some(q.end),
        _ => None,
    };
    match next.and_then(|k| quantity(scan, k)) {
        Some(upper) if !upper.article_only => Some(Quantity {
            end: upper.end,
            ..q
        }),
        _ => Some(q),
    }
}

pub(super) fn is_range_dash(gap: &str) -> bool {
    let gap = gap.trim();
    gap == "-" || gap == "/"
}

pub(super) fn quantity(scan: &Scan, i: usize) -> Option<Quantity> {
    let word = scan.norm(i)?;
    if scan.used[i] {
        return None;
    }
    let q = if matches!(word, "a" | "an") {
        match count_word(scan, i + 1) {
            Some(q) => q,
            None => {
                return Some(Quantity {
                    value: 1.0,
                    end: i + 1,
                    article_only: true,
                });
            }
        }
    } else {
        digits(scan, i)
            .or_else(|| number_words(scan, i))
            .or_else(|| count_word(scan, i))?
    };
    Some(with_fraction(scan, q))
}

pub(super) fn digits(scan: &Scan, i: usize) -> Option<Quantity> {
    let word = scan.norm(i)?;
    let numeric = word.starts_with(|c: char| c.is_ascii_digit())
        && word.chars().all(|c| c.is_ascii_digit() || c == '.');
    if !numeric {
        return None;
    }
    let value = word.parse::<f64>().ok()?;
    Some(Quantity {
        value,
        end: i + 1,
        article_only: false,
    })
}

pub(super) fn number_word(word: &str) -> Option<u32> {
    NUMBER_WORDS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|&(_, n)| n)
}

/// "twenty five", "one hundred".
pub(super) fn number_words(scan: &Scan, i: usize) -> Option<Quantity> {
    let mut value = number_word(scan.norm(i)?)?;
    let mut end = i + 1;
    let ones = scan
        .norm(end)
        .and_then(number_word)
        .filter(|n| value >= 20 && (1..10).contains(n));
    if let Some(ones) = ones {
        value += ones;
        end += 1;
    }
    if (1..10).contains(&value) && scan.norm(end) == Some("hundred") {
        value *= 100;
        end += 1;
    }
    Some(Quantity {
        value: f64::from(value),
        end,
        article_only: false,
    })
}

pub(super) fn count_word(scan: &Scan, i: usize) -> Option<Quantity> {
    let word = scan.norm(i)?;
    let value = COUNT_WORDS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|&(_, v)| v)?;
    Some(Quantity {
        value,
        end: i + 1,
        article_only: false,
    })
}

/// "one and a half", "three quarters".
pub(super) fn with_fraction(scan: &Scan, q: Quantity) -> Quantity {
    let at = |k: usize| scan.norm(q.end + k);
    let (value, end) = if at(0) == Some("and") && at(1) == Some("a") && at(2) == Some("half") {
        (q.value + 0.5, q.end + 3)
    } else if at(0) == Some("and") && at(1) == Some("half") {
        (q.value + 0.5, q.end + 2)
    } else if matches!(at(0), Some("quarter" | "quarters")) && [1.0, 2.0, 3.0].contains(&q.value) {
        (q.value * 0.25, q.end + 1)
    } else {
        (q.value, q.end)
    };
    Quantity { value, end, ..q }
}

/// Whole minutes, rounded up; `None` when zero, absurd or not a number.
pub(super) fn to_minutes(minutes: f64) -> Option<u32> {
    if !minutes.is_finite() {
        return None;
    }
    let whole = (minutes - 1e-9).ceil();
    if (1.0..=MAX_MINUTES).contains(&whole) {
        Some(whole as u32)
    } else {
        None
    }
}

/// A bare number answering the duration question: "ten", "about 20", "15, and slow please".
pub(super) fn bare_duration(scan: &mut Scan) -> Option<u32> {
    let start = (0..scan.toks.len()).find(|&j| !is_in(BARE_NUMBER_FILLERS, &scan.toks[j].norm))?;
    let q = quantity_or_range(scan, start)?;
    if q.article_only || q.value < 1.0 {
        return None;
    }
    let clause = scan.toks[q.end - 1].clause;
    let ends_answer = scan
        .toks
        .get(q.end)
        .is_none_or(|t| t.clause != clause || is_in(BARE_NUMBER_FOLLOWERS, &t.norm));
    if !ends_answer {
        return None;
    }
    let minutes = to_minutes(q.value)?;
    scan.mark(start, q.end - start);
    Some(minutes)
}
