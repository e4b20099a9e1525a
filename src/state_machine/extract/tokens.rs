//! Tokens.

use super::*;

/// One word of the message: lowercase without apostrophes, with its place in the text.
pub(super) struct Token {
    pub(super) norm: String,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) clause: u32,
}

/// Splits into words: letters and digits, apostrophes inside words, decimals ("1.5");
/// digits part from letters ("5min"); clause marks bump the clause number.
pub(super) fn tokenize(text: &str) -> Vec<Token> {
    let mut toks = Vec::new();
    let mut current: Option<Token> = None;
    let mut clause = 0u32;
    let mut chars = text.char_indices().peekable();
    while let Some((at, raw)) = chars.next() {
        let ch = if APOSTROPHES.contains(&raw) {
            '\''
        } else {
            raw
        };
        let next = chars.peek().map(|&(_, c)| c);
        let last = current.as_ref().and_then(|t| t.norm.chars().last());
        let end = at + raw.len_utf8();
        if ch.is_alphanumeric() {
            if last
                .is_some_and(|l| l.is_alphanumeric() && l.is_ascii_digit() != ch.is_ascii_digit())
            {
                toks.extend(current.take());
            }
            let token = current.get_or_insert_with(|| Token {
                norm: String::new(),
                start: at,
                end,
                clause,
            });
            token.norm.extend(ch.to_lowercase());
            token.end = end;
        } else if ch == '\'' && last.is_some() && next.is_some_and(char::is_alphanumeric) {
            if let Some(token) = current.as_mut() {
                token.end = end;
            }
        } else if ch == '.'
            && last.is_some_and(|l| l.is_ascii_digit())
            && next.is_some_and(|c| c.is_ascii_digit())
        {
            if let Some(token) = current.as_mut() {
                token.norm.push('.');
                token.end = end;
            }
        } else {
            toks.extend(current.take());
            if CLAUSE_MARKS.contains(&ch) {
                clause = clause.saturating_add(1);
            }
        }
    }
    toks.extend(current);
    toks
}

/// The message being read: its words, which words a parser already took, and the question.
pub(super) struct Scan<'a> {
    pub(super) text: &'a str,
    pub(super) toks: Vec<Token>,
    pub(super) used: Vec<bool>,
    pub(super) asking: Option<SlotName>,
}

impl<'a> Scan<'a> {
    pub(super) fn new(text: &'a str, asking: Option<SlotName>) -> Self {
        let toks = tokenize(text);
        let used = vec![false; toks.len()];
        Scan {
            text,
            toks,
            used,
            asking,
        }
    }

    pub(super) fn norm(&self, i: usize) -> Option<&str> {
        self.toks.get(i).map(|t| t.norm.as_str())
    }

    pub(super) fn orig(&self, i: usize) -> &str {
        self.toks
            .get(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }

    /// What separates word `i` from the word before it.
    pub(super) fn gap_before(&self, i: usize) -> &str {
        match (
            i.checked_sub(1).and_then(|p| self.toks.get(p)),
            self.toks.get(i),
        ) {
            (Some(prev), Some(tok)) => self.text.get(prev.end..tok.start).unwrap_or(""),
            _ => "",
        }
    }

    pub(super) fn asked(&self, slot: SlotName) -> bool {
        self.asking == Some(slot)
    }

    pub(super) fn mark(&mut self, start: usize, len: usize) {
        let end = start.saturating_add(len).min(self.used.len());
        for flag in self.used.iter_mut().take(end).skip(start) {
            *flag = true;
        }
    }

    /// Words `phrase` covers when it starts at word `i`, all free and in one clause.
    pub(super) fn phrase_len(&self, i: usize, phrase: &str) -> Option<usize> {
        let clause = self.toks.get(i)?.clause;
        let mut j = i;
        for word in phrase_words(phrase) {
            let tok = self.toks.get(j)?;
            if self.used[j] || tok.clause != clause || !word_eq(&tok.norm, word) {
                return None;
            }
            j += 1;
        }
        (j > i).then_some(j - i)
    }

    /// The words of the clause up to `before` words back from a match at `i..i + len` (nearest
    /// first) and up to `after` words past it.
    pub(super) fn neighbours(
        &self,
        i: usize,
        len: usize,
        before: usize,
        after: usize,
    ) -> Vec<&str> {
        let Some(clause) = self.toks.get(i).map(|t| t.clause) else {
            return Vec::new();
        };
        let back = (i.saturating_sub(before)..i).rev();
        let ahead = (i + len..).take(after);
        back.chain(ahead)
            .filter_map(|j| self.toks.get(j))
            .filter(|t| t.clause == clause)
            .map(|t| t.norm.as_str())
            .collect()
    }
}
