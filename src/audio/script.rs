//! Splitting a script into what a voice reads in one request, and the silences between.
//!
//! One sentence per request keeps each synthesis short (quick retries, no provider
//! length limits) and lets the assembler set the pace between sentences itself.

use crate::generation::composer::pause_spans;

/// Silence for a paragraph break between two sentences, in seconds.
pub const PARAGRAPH_PAUSE: f64 = 1.2;
/// Longest speech part, in characters; longer sentences are split at clauses or words.
pub const MAX_SEGMENT_CHARS: usize = 300;
/// Characters that end a sentence when whitespace (or the end) follows.
const TERMINALS: [char; 4] = ['.', '!', '?', '…'];
/// Marks that may close a sentence after its terminal: `"Rest." Then...`.
const CLOSERS: [char; 7] = ['"', '\'', '”', '’', ')', ']', '»'];
/// Words whose dot does not end a sentence ("Dr. Lee"), lowercase, without the dot.
const ABBREVIATIONS: [&str; 12] = [
    "dr", "mr", "mrs", "ms", "st", "prof", "jr", "sr", "vs", "mt", "e.g", "i.e",
];

/// One step of a script: something to say, or seconds of silence.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// Text for the voice: one sentence, or a piece of a long one.
    Speech(String),
    /// Silence, in seconds.
    Pause(f64),
}

/// Splits a script at its pause marks and sentence ends.
///
/// Pause marks (`[pause 5s]`) become [`Part::Pause`] with their seconds; a blank line
/// between sentences becomes [`PARAGRAPH_PAUSE`]; sentences end at `.`, `!`, `?` or an
/// ellipsis followed by whitespace, keeping the punctuation ("Dr." and the like do not end
/// one); no speech part is longer than [`MAX_SEGMENT_CHARS`]. Whitespace is collapsed,
/// parts without a word are dropped and adjacent pauses are summed into one.
pub fn split_script(text: &str) -> Vec<Part> {
    let mut parts = Parts::default();
    let mut at = 0;
    for (span, seconds) in pause_spans(text) {
        parts.text(&text[at..span.start]);
        parts.pause(f64::from(seconds));
        at = span.end;
    }
    parts.text(&text[at..]);
    parts.0
}

/// Parts being collected, merging pauses as they come.
#[derive(Default)]
struct Parts(Vec<Part>);

impl Parts {
    /// Text between two pause marks: paragraphs, each split into sentences.
    fn text(&mut self, text: &str) {
        for (i, paragraph) in paragraphs(text).iter().enumerate() {
            if i > 0 {
                self.pause(PARAGRAPH_PAUSE);
            }
            for sentence in sentences(paragraph) {
                for segment in segments(sentence) {
                    self.speech(segment);
                }
            }
        }
    }

    fn speech(&mut self, text: &str) {
        if has_words(text) {
            self.0.push(Part::Speech(text.to_owned()));
        }
    }

    fn pause(&mut self, seconds: f64) {
        match self.0.last_mut() {
            Some(Part::Pause(last)) => *last += seconds,
            _ => self.0.push(Part::Pause(seconds)),
        }
    }
}

/// The paragraphs of `text` (separated by blank lines), whitespace collapsed, those
/// without a word left out.
fn paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = vec![String::new()];
    for line in text.lines() {
        if line.trim().is_empty() {
            paragraphs.push(String::new());
        } else if let Some(current) = paragraphs.last_mut() {
            current.push(' ');
            current.push_str(line);
        }
    }
    paragraphs
        .into_iter()
        .filter(|paragraph| has_words(paragraph))
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Sentences of a paragraph whose whitespace is already collapsed.
fn sentences(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut sentences = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < chars.len() {
        let (at, c) = chars[i];
        if !TERMINALS.contains(&c) {
            i += 1;
            continue;
        }
        let mut last = i;
        while chars
            .get(last + 1)
            .is_some_and(|&(_, next)| TERMINALS.contains(&next) || CLOSERS.contains(&next))
        {
            last += 1;
        }
        let end = chars.get(last + 1).map_or(text.len(), |&(byte, _)| byte);
        let at_boundary = end == text.len() || text[end..].starts_with(' ');
        let lone_dot = c == '.' && last == i;
        if at_boundary && !(lone_dot && is_abbreviation(&text[start..at])) {
            sentences.push(text[start..end].trim());
            start = end;
        }
        i = last + 1;
    }
    sentences.push(text[start..].trim());
    sentences.retain(|sentence| !sentence.is_empty());
    sentences
}

/// Whether the last word of `before` (the text up to a dot) is a known abbreviation.
fn is_abbreviation(before: &str) -> bool {
    let word = before.rsplit(' ').next().unwrap_or("");
    let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

/// A sentence cut into pieces of at most [`MAX_SEGMENT_CHARS`]: at the last clause mark
/// (`,` `;` `:`) that leaves a reasonable piece, else at the last space, else anywhere.
fn segments(sentence: &str) -> Vec<&str> {
    let mut segments = Vec::new();
    let mut rest = sentence.trim();
    while rest.chars().count() > MAX_SEGMENT_CHARS {
        let (head, tail) = rest.split_at(cut_point(rest));
        segments.push(head.trim_end());
        rest = tail.trim_start();
    }
    segments.push(rest);
    segments
}

/// Byte offset at which to cut `text` (longer than the cap) so the head fits.
fn cut_point(text: &str) -> usize {
    let limit = text
        .char_indices()
        .nth(MAX_SEGMENT_CHARS)
        .map_or(text.len(), |(byte, _)| byte);
    let window = &text[..limit];
    let shortest = window.len() / 3;
    let clause = window
        .char_indices()
        .filter(|&(byte, c)| matches!(c, ',' | ';' | ':') && text[byte + 1..].starts_with(' '))
        .map(|(byte, _)| byte + 1)
        .rfind(|&cut| cut >= shortest);
    let space = window.rfind(' ').filter(|&cut| cut > 0);
    clause.or(space).unwrap_or(limit)
}

fn has_words(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests;
