//! Small text helpers: pause-mark parsing, sentence splitting, number words, and the
//! cleaning of user-supplied names and situations before a voice reads them aloud.

use super::MAX_PAUSE_SECONDS;

const PAUSE_OPEN: &str = "[pause ";
const PAUSE_CLOSE: &str = "s]";
/// A quoted situation longer than this is cut at a word boundary.
const CONTEXT_LIMIT: usize = 120;
const NAME_LIMIT: usize = 40;
/// Situations mentioning these are never read back: the practice is not the place to
/// repeat them, and a calm voice quoting them could sound dismissive.
const UNQUOTABLE: &[&str] = &[
    "suicid",
    "kill myself",
    "end my life",
    "end it all",
    "self-harm",
    "self harm",
    "hurt myself",
    "overdose",
    "want to die",
];

/// One well-formed pause mark: where it sits in the text and how long it lasts.
pub(super) struct PauseMark {
    pub start: usize,
    pub end: usize,
    pub seconds: u32,
}

/// Finds `[pause Ns]` marks with N in 1..=120; anything else is ordinary text.
pub(super) fn pause_marks(text: &str) -> Vec<PauseMark> {
    let mut marks = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find(PAUSE_OPEN) {
        let start = from + found;
        let digits_at = start + PAUSE_OPEN.len();
        let rest = &text[digits_at..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let seconds = rest[..digits].parse::<u32>().unwrap_or(0);
        if (1..=3).contains(&digits)
            && rest[digits..].starts_with(PAUSE_CLOSE)
            && (1..=MAX_PAUSE_SECONDS).contains(&seconds)
        {
            let end = digits_at + digits + PAUSE_CLOSE.len();
            marks.push(PauseMark {
                start,
                end,
                seconds,
            });
            from = end;
        } else {
            from = digits_at;
        }
    }
    marks
}

/// Words outside pause marks, and the seconds inside them.
pub(super) fn measure(text: &str) -> (usize, u32) {
    let mut words = 0;
    let mut seconds = 0;
    let mut at = 0;
    for mark in pause_marks(text) {
        words += text[at..mark.start].split_whitespace().count();
        seconds += mark.seconds;
        at = mark.end;
    }
    words += text[at..].split_whitespace().count();
    (words, seconds)
}

/// Splits at `.`, `!` and `?`, so repetition can be counted sentence by sentence.
pub(super) fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        while !rest.is_empty() {
            let end = rest
                .bytes()
                .position(|b| matches!(b, b'.' | b'!' | b'?'))
                .map_or(rest.len(), |i| i + 1);
            let (sentence, tail) = rest.split_at(end);
            rest = tail;
            let sentence = sentence.trim();
            if sentence
                .bytes()
                .any(|b| b.is_ascii_alphanumeric() || !b.is_ascii())
            {
                return Some(sentence);
            }
        }
        None
    })
}

/// The key a sentence is remembered by: case does not make it new. An FNV-1a hash
/// rather than the text, so checking a candidate allocates nothing.
pub(super) fn sentence_key(sentence: &str) -> u64 {
    sentence.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Spelled out, because a voice reads "ten minutes" more naturally than "10 minutes".
pub(super) fn number_words(n: u32) -> String {
    const ONES: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    match n {
        0..=19 => ONES[n as usize].to_owned(),
        20..=99 if n.is_multiple_of(10) => TENS[(n / 10) as usize].to_owned(),
        20..=99 => format!("{}-{}", TENS[(n / 10) as usize], ONES[(n % 10) as usize]),
        _ => n.to_string(),
    }
}

/// Fits "For the next {minutes}": "minute" or "ten minutes".
pub(super) fn minutes_phrase(minutes: u32) -> String {
    if minutes == 1 {
        "minute".to_owned()
    } else {
        format!("{} minutes", number_words(minutes))
    }
}

/// Keeps letters, hyphens and apostrophes, capitalizes each word, at most three words.
pub(super) fn clean_name(raw: &str) -> Option<String> {
    let kept: String = raw
        .chars()
        .map(|c| match c {
            '\u{2019}' => '\'',
            c if c.is_alphabetic() || c == '-' || c == '\'' => c,
            _ => ' ',
        })
        .collect();
    let name = kept
        .split_whitespace()
        .take(3)
        .map(capitalize)
        .collect::<Vec<_>>()
        .join(" ");
    let name: String = name.chars().take(NAME_LIMIT).collect();
    let name = name.trim_matches(|c: char| !c.is_alphabetic()).to_owned();
    name.chars().any(char::is_alphabetic).then_some(name)
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Makes the person's situation safe to quote once: no links, brackets, markup or
/// symbols, nothing about self-harm, at most ~120 characters cut at a word boundary.
pub(super) fn clean_context(raw: &str) -> Option<String> {
    let lower = raw.to_lowercase();
    if UNQUOTABLE.iter().any(|phrase| lower.contains(phrase)) {
        return None;
    }
    let mut quoted = String::new();
    for word in raw.split_whitespace().filter(|word| !looks_like_link(word)) {
        let word = speakable(word);
        if word.is_empty() {
            continue;
        }
        let extra = usize::from(!quoted.is_empty()) + word.chars().count();
        if quoted.chars().count() + extra > CONTEXT_LIMIT {
            break;
        }
        if !quoted.is_empty() {
            quoted.push(' ');
        }
        quoted.push_str(&word);
    }
    let quoted = quoted
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_owned();
    (quoted.chars().filter(|c| c.is_alphabetic()).count() >= 3).then_some(quoted)
}

fn looks_like_link(word: &str) -> bool {
    word.contains("://") || word.starts_with("www.") || word.contains('@')
}

/// Letters, digits and plain punctuation only; everything else becomes a space.
fn speakable(word: &str) -> String {
    let kept: String = word
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            c if c.is_alphanumeric() => c,
            ',' | '.' | '\'' | '-' | '!' | '?' | ':' | ';' => c,
            _ => ' ',
        })
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "I am safe in this moment." becomes "you are safe in this moment.", so an
/// affirmation can be given back to the listener at the close.
pub(super) fn second_person(statement: &str) -> String {
    let mut previous = "";
    let mut words = Vec::new();
    for word in statement.split(' ') {
        let core = word.trim_end_matches(|c: char| !c.is_alphanumeric());
        let tail = &word[core.len()..];
        let swapped = match core {
            "I" => "you",
            "am" if previous == "I" => "are",
            "my" | "My" => "your",
            "me" => "you",
            "myself" => "yourself",
            "mine" => "yours",
            other => other,
        };
        words.push(format!("{swapped}{tail}"));
        previous = core;
    }
    words.join(" ")
}
