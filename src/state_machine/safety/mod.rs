//! Crisis-safety detector: every user message passes through [`assess`] first.
//!
//! High and Critical results put the conversation on a safety hold, show crisis
//! resources and alert human reviewers. The detector must catch real risk but
//! stay quiet on everyday idioms ("this workout is killing me"), so it matches
//! whole phrases that name the speaker rather than single scary words.
//!
//! How a message is judged:
//! 1. Normalise: lowercase, drop apostrophes (’ ' ` ´), expand contractions and
//!    chat spellings ("can't" -> "can not", "wanna" -> "want to"), split into
//!    words, and start a new clause at punctuation. Only the first
//!    [`MAX_CHARS`] characters are read.
//! 2. Match the phrase tables below on whole words inside one clause. Filler
//!    words ("just", "really", "fucking") may sit between the words of a phrase.
//! 3. Judge each match:
//!    - inside a [`SAFE_PHRASES`] match (idiom, benign use): ignored;
//!    - negated just before ("I would never hurt myself"): at most Low;
//!    - a phrase that does not itself name the speaker ("suicide",
//!      "end it all") is capped at Medium when it is about someone else
//!      ("my friend is suicidal", "my dad's suicide") or discussed as a topic
//!      ("a novel about suicide prevention"); a bare topic word with no "I"
//!      just before it is also about someone else when "of/in/by ... <person>"
//!      follows ("the suicide of my brother", "a suicide in my family");
//!    - intent near a time, means or plan ("... tonight", "... pills") is
//!      escalated to Critical.
//! 4. Report the highest level, its category and every matched phrase.
//!    Signals are the normalised phrase ("want to die" for "wanna die"),
//!    prefixed "negated: ", "about others: " or "discussed: " when lowered,
//!    plus the time or means marker that made a message Critical.
//!
//! # Phrase syntax (kept tiny so reviewers can extend the tables)
//! - Words separated by spaces must appear in order, as whole words, in one clause.
//! - `a/b/c` accepts any alternative; `_` is an empty alternative (optional word);
//!   `+` joins several words into one alternative (`at+the+gym`).
//! - `#` matches a number, also as an alternative or inside one (`!#/early`,
//!   `until+#`); `$` matches the end of a clause.
//! - `!a/b` requires that none of the alternatives comes next (consumes nothing).
//! - Phrases are normalised like user text, so "can't", "cant" and "cannot" agree.
//!
//! # Judgement calls
//! - "kys" / "kill yourself" is abuse aimed at someone else: Medium Violence
//!   (reviewed, no hold). Self-directed forms ("i should kys", "gonna kys")
//!   are High Suicide, like "kms".
//! - Third-person or topical mentions ("a novel about suicide prevention",
//!   "my friend is suicidal") are Medium: reviewers see them, the dialogue
//!   continues.
//! - Negated risk phrases become Low (not None) and keep their category, so
//!   reviewers can still see the topic came up; negated Low phrases vanish.
//!   Negation only counts through a short chain of linking words ("not going
//!   to", "never had thoughts of"), so "no i want to die" and "i do not know
//!   i want to die" (unpunctuated speech) stay High.
//! - Escalation to Critical is deliberately sensitive ("want to die" near
//!   "pills"): Critical and High both hold; only the alert severity differs.
//! - Violent intent toward a person ("going to kill him") is High even though
//!   it is often hyperbole; reviewers triage it. Only clear idioms are listed
//!   as safe ("going to kill them at the game").
//! - "going to end it" / "want to end things" is read as suicidal intent
//!   unless a benign continuation follows ("end it with him").
//! - Sleep phrases ("don't want to wake up", "sleep and not wake up") are
//!   ideation on their own but benign when a sleep detail follows ("... at
//!   3am", "... until morning", "... groggy"); "... at all" stays High.
//! - Grief about someone else's suicide ("the suicide of my brother") is
//!   Medium: reviewers see it, the dialogue continues.
//! - Text after the first [`MAX_CHARS`] characters is not read.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

mod lexicon;
#[cfg(test)]
mod tests;

use lexicon::*;

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/// How worrying a message is. Ordered: None < Low < Medium < High < Critical.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RiskLevel {
    None,
    Low,
    Medium,
    High,
    Critical,
}

/// What kind of risk a signal points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskCategory {
    Suicide,
    SelfHarm,
    Violence,
    Distress,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyAssessment {
    pub level: RiskLevel,
    /// The most serious category found, if any.
    pub category: Option<RiskCategory>,
    /// The phrases that matched, normalised (e.g. "kill myself"), for reviewers.
    pub signals: Vec<String>,
}

impl SafetyAssessment {
    /// High and Critical stop the dialogue (safety hold).
    pub fn requires_hold(&self) -> bool {
        self.level >= RiskLevel::High
    }
}

/// Assesses one user message. Never panics; reads at most [`MAX_CHARS`] characters.
pub fn assess(text: &str) -> SafetyAssessment {
    let lexicon = lexicon();
    let tokens = tokenize(text);
    let safe = SafeCover::new(&find_hits(&tokens, &lexicon.safe), tokens.len());
    let time = MarkerIndex::new(&tokens, find_hits(&tokens, &lexicon.time));
    let means = MarkerIndex::new(&tokens, find_hits(&tokens, &lexicon.means));
    let context = Context {
        tokens: &tokens,
        time: &time,
        means: &means,
    };

    let mut signals = Vec::new();
    for group in &lexicon.groups {
        for hit in find_hits(&tokens, &group.patterns) {
            if !safe.covers(&hit) {
                signals.extend(context.judge(group, &hit));
            }
        }
    }
    summarise(signals)
}

// ---------------------------------------------------------------------------
// Lexicon compilation
// ---------------------------------------------------------------------------

/// How a phrase group behaves once matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Active intent ("kill myself"): a nearby time, means or plan makes it Critical.
    Intent,
    /// Passive ideation ("want to die"): nearby means or a plan makes it Critical.
    Ideation,
    /// Bare topic word ("suicide"): like ideation, but discussion cues are
    /// looked for further ahead ("suicide is the theme of the novel").
    Mention,
    /// Fixed level.
    Plain,
}

impl Kind {
    fn escalates_on_time(self) -> bool {
        self == Kind::Intent
    }

    fn escalates_on_means(self) -> bool {
        matches!(self, Kind::Intent | Kind::Ideation | Kind::Mention)
    }
}

/// One reviewer-facing table with its meaning.
struct Group {
    level: RiskLevel,
    category: RiskCategory,
    kind: Kind,
    phrases: &'static [&'static str],
}

impl Group {
    const fn new(
        level: RiskLevel,
        category: RiskCategory,
        kind: Kind,
        phrases: &'static [&'static str],
    ) -> Self {
        Group {
            level,
            category,
            kind,
            phrases,
        }
    }
}

/// A group with its phrases compiled.
struct CompiledGroup {
    level: RiskLevel,
    category: RiskCategory,
    kind: Kind,
    patterns: PatternSet,
}

struct Lexicon {
    groups: Vec<CompiledGroup>,
    safe: PatternSet,
    time: PatternSet,
    means: PatternSet,
}

/// Compiled once per process; the tables are constant.
fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon {
        groups: GROUPS
            .iter()
            .map(|group| CompiledGroup {
                level: group.level,
                category: group.category,
                kind: group.kind,
                patterns: compile_all(group.phrases),
            })
            .collect(),
        safe: compile_all(SAFE_PHRASES),
        time: compile_all(TIME_MARKERS),
        means: compile_all(MEANS_MARKERS),
    })
}

/// One alternative: a (possibly empty) run of normalised words.
type Alternative = Vec<String>;

enum Slot {
    Words(Vec<Alternative>),
    Number,
    ClauseEnd,
    NotFollowedBy(Vec<Alternative>),
}

struct Pattern {
    slots: Vec<Slot>,
    /// Some slot always names the speaker, so context can't make it about others.
    self_referential: bool,
}

/// Patterns indexed by the words they can start with, so that matching at a word
/// tries only the few patterns that could start there.
struct PatternSet {
    patterns: Vec<Pattern>,
    by_first: HashMap<String, Vec<usize>>,
    /// Patterns that may start with any word (a number, or an optional first slot
    /// that leaves nothing to index), tried everywhere.
    anywhere: Vec<usize>,
}

impl PatternSet {
    /// The patterns that may match at a position holding `word`, in lexicon order.
    fn candidates(&self, word: &str) -> Vec<usize> {
        let mut found = self.anywhere.clone();
        if let Some(indexed) = self.by_first.get(word) {
            found.extend_from_slice(indexed);
            found.sort_unstable();
        }
        found
    }
}

fn compile_all(phrases: &[&str]) -> PatternSet {
    let patterns: Vec<Pattern> = phrases
        .iter()
        .filter_map(|phrase| compile(phrase))
        .collect();
    let mut by_first: HashMap<String, Vec<usize>> = HashMap::new();
    let mut anywhere = Vec::new();
    for (index, pattern) in patterns.iter().enumerate() {
        match first_words(&pattern.slots) {
            Some(words) => {
                for word in words {
                    by_first.entry(word).or_default().push(index);
                }
            }
            None => anywhere.push(index),
        }
    }
    PatternSet {
        patterns,
        by_first,
        anywhere,
    }
}

/// Every word a match of `slots` can start with (loose spellings included), or `None`
/// when it can start with any word.
fn first_words(slots: &[Slot]) -> Option<HashSet<String>> {
    let mut words = HashSet::new();
    for slot in slots {
        match slot {
            Slot::Words(alts) => {
                for alt in alts {
                    match alt.first() {
                        Some(word) if word == NUMBER => return None,
                        Some(word) => {
                            words.insert(word.clone());
                        }
                        None => {}
                    }
                }
                if alts.iter().all(|alt| !alt.is_empty()) {
                    for (short, full) in LOOSE_SPELLINGS {
                        if words.contains(*full) {
                            words.insert((*short).to_owned());
                        }
                    }
                    return Some(words);
                }
            }
            // Consumes nothing: the next slot starts the match.
            Slot::NotFollowedBy(_) => {}
            Slot::Number | Slot::ClauseEnd => return None,
        }
    }
    None
}

/// Compiles one phrase; `None` if it could never match a word.
fn compile(phrase: &str) -> Option<Pattern> {
    let slots: Vec<Slot> = phrase.split_whitespace().filter_map(compile_slot).collect();
    let consumes = slots.iter().any(|slot| match slot {
        Slot::Words(alts) => alts.iter().all(|alt| !alt.is_empty()),
        Slot::Number => true,
        Slot::ClauseEnd | Slot::NotFollowedBy(_) => false,
    });
    let self_referential = slots.iter().any(|slot| match slot {
        Slot::Words(alts) => alts
            .iter()
            .all(|alt| alt.iter().any(|word| FIRST_PERSON.contains(&word.as_str()))),
        _ => false,
    });
    consumes.then_some(Pattern {
        slots,
        self_referential,
    })
}

fn compile_slot(raw: &str) -> Option<Slot> {
    match raw {
        "$" => Some(Slot::ClauseEnd),
        "#" => Some(Slot::Number),
        _ => match raw.strip_prefix('!') {
            Some(rest) => non_empty(compile_alternatives(rest, false)).map(Slot::NotFollowedBy),
            None => non_empty(compile_alternatives(raw, true)).map(Slot::Words),
        },
    }
}

fn non_empty(alts: Vec<Alternative>) -> Option<Vec<Alternative>> {
    (!alts.is_empty()).then_some(alts)
}

/// Splits `a/b+c/_` and normalises each alternative like user text.
fn compile_alternatives(raw: &str, allow_empty: bool) -> Vec<Alternative> {
    raw.split('/')
        .filter_map(|alt| {
            if alt == "_" {
                return allow_empty.then(Vec::new);
            }
            let words = compile_words(alt);
            (!words.is_empty()).then_some(words)
        })
        .collect()
}

/// Normalises one `a+b+#` alternative; a `#` part stays [`NUMBER`].
fn compile_words(alt: &str) -> Alternative {
    let mut words = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for part in alt.split('+') {
        if part == NUMBER {
            words.extend(tokenize(&run.join(" ")).words);
            run.clear();
            words.push(NUMBER.to_string());
        } else {
            run.push(part);
        }
    }
    words.extend(tokenize(&run.join(" ")).words);
    words
}

/// Stands for any number inside an alternative; user text never yields it.
const NUMBER: &str = "#";

// ---------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------

/// Normalised words, each tagged with the clause it belongs to.
#[derive(Default)]
struct Tokens {
    words: Vec<String>,
    clauses: Vec<u32>,
}

impl Tokens {
    fn len(&self) -> usize {
        self.words.len()
    }

    /// The word at `pos` if it belongs to `clause`.
    fn word_in(&self, pos: usize, clause: u32) -> Option<&str> {
        (self.clauses.get(pos) == Some(&clause))
            .then(|| self.words.get(pos).map(String::as_str))
            .flatten()
    }

    fn clause_of(&self, pos: usize) -> Option<u32> {
        self.clauses.get(pos).copied()
    }

    /// Whether `alt` appears at `pos` within `clause`.
    fn has_words_at(&self, pos: usize, clause: u32, alt: &[String]) -> bool {
        alt.iter().enumerate().all(|(offset, want)| {
            self.word_in(pos + offset, clause)
                .is_some_and(|got| same_word(got, want))
        })
    }

    /// Words before `start` in its clause, nearest first.
    fn before(&self, start: usize, reach: usize) -> impl Iterator<Item = &str> + '_ {
        let clause = self.clause_of(start);
        (1..=reach).map_while(move |back| self.word_in(start.checked_sub(back)?, clause?))
    }

    /// Words from `end` on, staying in `clause`.
    fn after(&self, end: usize, clause: u32, reach: usize) -> impl Iterator<Item = &str> + '_ {
        (end..end.saturating_add(reach)).map_while(move |pos| self.word_in(pos, clause))
    }

    fn push_raw(&mut self, raw: &str, clause: u32) {
        let word = collapse_repeats(raw);
        match REWRITES.iter().find(|(from, _)| *from == word) {
            Some((_, to)) => to
                .split_whitespace()
                .for_each(|part| self.push_word(part.to_string(), clause)),
            None => self.push_word(word, clause),
        }
    }

    fn push_word(&mut self, word: String, clause: u32) {
        let same_clause = self.clauses.last() == Some(&clause);
        let joined = self
            .words
            .last()
            .filter(|_| same_clause)
            .and_then(|last| {
                JOINS
                    .iter()
                    .find(|(a, b, _)| *a == last.as_str() && *b == word)
            })
            .map(|&(_, _, joined)| joined);
        match (joined, self.words.last_mut()) {
            (Some(joined), Some(last)) => *last = joined.to_string(),
            _ => {
                self.words.push(word);
                self.clauses.push(clause);
            }
        }
    }
}

/// Lowercases, drops apostrophes and splits into words and clauses.
fn tokenize(text: &str) -> Tokens {
    let mut tokens = Tokens::default();
    let mut word = String::new();
    let mut clause = 0u32;
    for ch in text.chars().take(MAX_CHARS) {
        if is_apostrophe(ch) {
            continue;
        }
        if ch.is_alphanumeric() {
            word.extend(ch.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            tokens.push_raw(&word, clause);
            word.clear();
        }
        if is_clause_break(ch) {
            clause += 1;
        }
    }
    if !word.is_empty() {
        tokens.push_raw(&word, clause);
    }
    tokens
}

fn is_apostrophe(ch: char) -> bool {
    matches!(ch, '\'' | '’' | '‘' | '`' | '´' | 'ʼ' | '′')
}

/// Punctuation that ends a clause, so negation and phrases don't leak across it.
fn is_clause_break(ch: char) -> bool {
    matches!(
        ch,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '\n'
            | '\r'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '"'
            | '“'
            | '”'
            | '…'
            | '—'
            | '–'
            | '|'
            | '¿'
            | '¡'
            | '。'
            | '，'
            | '！'
            | '？'
    )
}

/// Shortens letter runs of three or more to one ("dieeee" -> "die", "sooo" -> "so").
fn collapse_repeats(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars().peekable();
    while let Some(ch) = chars.next() {
        let mut run = 1;
        while chars.next_if_eq(&ch).is_some() {
            run += 1;
        }
        let keep = if run >= 3 && ch.is_alphabetic() {
            1
        } else {
            run
        };
        out.extend(std::iter::repeat_n(ch, keep));
    }
    out
}

fn same_word(got: &str, want: &str) -> bool {
    got == want
        || (want == NUMBER && is_number(got))
        || LOOSE_SPELLINGS
            .iter()
            .any(|&(short, full)| short == got && full == want)
}

fn is_number(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|ch| ch.is_ascii_digit())
}

// ---------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------

/// One phrase found in the text: words `start..end`.
struct Hit {
    start: usize,
    end: usize,
    phrase: String,
    self_referential: bool,
}

/// Every match of every pattern, in text order.
fn find_hits(tokens: &Tokens, set: &PatternSet) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut words = Vec::new();
    for (start, &clause) in tokens.clauses.iter().enumerate() {
        let probe = Probe { tokens, clause };
        for pattern in set
            .candidates(&tokens.words[start])
            .into_iter()
            .map(|index| &set.patterns[index])
        {
            words.clear();
            let found = probe
                .match_slots(&pattern.slots, start, MAX_FILLER_SKIPS, &mut words)
                .filter(|&end| end > start);
            if let Some(end) = found {
                hits.push(Hit {
                    start,
                    end,
                    phrase: words.join(" "),
                    self_referential: pattern.self_referential,
                });
            }
        }
    }
    hits
}

/// Matches slots against one clause.
struct Probe<'a> {
    tokens: &'a Tokens,
    clause: u32,
}

impl<'a> Probe<'a> {
    /// Matches `slots` from `pos`; returns where the match ends and collects
    /// the phrase words in `words`. Tries each alternative (patterns are tiny).
    fn match_slots(
        &self,
        slots: &'a [Slot],
        pos: usize,
        skips: usize,
        words: &mut Vec<&'a str>,
    ) -> Option<usize> {
        let Some((slot, rest)) = slots.split_first() else {
            return Some(pos);
        };
        let mark = words.len();
        let direct = match slot {
            Slot::ClauseEnd => self
                .tokens
                .word_in(pos, self.clause)
                .is_none()
                .then(|| self.match_slots(rest, pos, skips, words))
                .flatten(),
            Slot::NotFollowedBy(alts) => (!alts
                .iter()
                .any(|alt| self.tokens.has_words_at(pos, self.clause, alt)))
            .then(|| self.match_slots(rest, pos, skips, words))
            .flatten(),
            Slot::Number => match self.tokens.word_in(pos, self.clause) {
                Some(word) if is_number(word) => {
                    words.push(word);
                    self.match_slots(rest, pos + 1, skips, words)
                }
                _ => None,
            },
            Slot::Words(alts) => alts.iter().find_map(|alt| {
                if !self.tokens.has_words_at(pos, self.clause, alt) {
                    return None;
                }
                words.truncate(mark);
                words.extend(alt.iter().enumerate().map(|(offset, want)| {
                    match self.tokens.words.get(pos + offset) {
                        Some(got) if want == NUMBER => got.as_str(),
                        _ => want.as_str(),
                    }
                }));
                self.match_slots(rest, pos + alt.len(), skips, words)
            }),
        };
        if direct.is_some() || matches!(slot, Slot::NotFollowedBy(_)) {
            return direct;
        }
        words.truncate(mark);
        self.skip_filler(slots, pos, skips, words)
    }

    /// Lets a filler word sit inside a phrase, never before its first word.
    /// Never used before a `!` guard: "live like this" must not become "live this".
    fn skip_filler(
        &self,
        slots: &'a [Slot],
        pos: usize,
        skips: usize,
        words: &mut Vec<&'a str>,
    ) -> Option<usize> {
        if skips == 0 || words.is_empty() {
            return None;
        }
        let word = self.tokens.word_in(pos, self.clause)?;
        if !FILLERS.contains(&word) {
            return None;
        }
        self.match_slots(slots, pos + 1, skips - 1, words)
    }
}

/// Which words lie inside a safe phrase, answered in O(1) per hit.
struct SafeCover {
    /// For each word, the furthest end of any safe hit starting at or before it.
    reach: Vec<usize>,
}

impl SafeCover {
    fn new(safe: &[Hit], len: usize) -> Self {
        let mut reach = vec![0; len];
        for hit in safe {
            if let Some(slot) = reach.get_mut(hit.start) {
                *slot = (*slot).max(hit.end);
            }
        }
        let mut furthest = 0;
        for slot in &mut reach {
            furthest = furthest.max(*slot);
            *slot = furthest;
        }
        SafeCover { reach }
    }

    /// Whether some safe hit contains the whole of `hit`.
    fn covers(&self, hit: &Hit) -> bool {
        self.reach.get(hit.start).is_some_and(|&end| end >= hit.end)
    }
}

/// Non-negated markers, indexed by word for O(window) proximity checks.
struct MarkerIndex {
    hits: Vec<Hit>,
    at: Vec<Option<usize>>,
}

impl MarkerIndex {
    fn new(tokens: &Tokens, hits: Vec<Hit>) -> Self {
        let mut at = vec![None; tokens.len()];
        for (index, hit) in hits.iter().enumerate() {
            if is_negated(tokens, hit.start) {
                continue;
            }
            for slot in at.iter_mut().take(hit.end).skip(hit.start) {
                slot.get_or_insert(index);
            }
        }
        MarkerIndex { hits, at }
    }

    /// A marker within [`MARKER_REACH`] words of `hit` but outside it.
    fn near(&self, hit: &Hit) -> Option<&Hit> {
        let from = hit.start.saturating_sub(MARKER_REACH);
        let to = hit.end.saturating_add(MARKER_REACH);
        (from..hit.start)
            .chain(hit.end..to)
            .find_map(|pos| self.at.get(pos).copied().flatten())
            .and_then(|index| self.hits.get(index))
    }
}

// ---------------------------------------------------------------------------
// Judgement
// ---------------------------------------------------------------------------

struct Signal {
    level: RiskLevel,
    category: RiskCategory,
    phrase: String,
    pos: usize,
}

struct Context<'a> {
    tokens: &'a Tokens,
    time: &'a MarkerIndex,
    means: &'a MarkerIndex,
}

impl Context<'_> {
    /// Turns one hit into signals, applying negation, context and escalation.
    fn judge(&self, group: &CompiledGroup, hit: &Hit) -> Vec<Signal> {
        let signal = |level, phrase: String, pos| Signal {
            level,
            category: group.category,
            phrase,
            pos,
        };
        if is_negated(self.tokens, hit.start) {
            if group.level <= RiskLevel::Low {
                return Vec::new();
            }
            let phrase = format!("negated: {}", hit.phrase);
            return vec![signal(RiskLevel::Low, phrase, hit.start)];
        }
        let may_be_about_others = group.level > RiskLevel::Medium && !hit.self_referential;
        let reason = may_be_about_others
            .then(|| self.non_self_reason(hit, group.kind))
            .flatten();
        if let Some(reason) = reason {
            let phrase = format!("{reason}: {}", hit.phrase);
            return vec![signal(RiskLevel::Medium, phrase, hit.start)];
        }
        if let Some(marker) = self.escalation_marker(group.kind, hit) {
            return vec![
                signal(RiskLevel::Critical, hit.phrase.clone(), hit.start),
                signal(RiskLevel::Critical, marker.phrase.clone(), marker.start),
            ];
        }
        vec![signal(group.level, hit.phrase.clone(), hit.start)]
    }

    fn escalation_marker(&self, kind: Kind, hit: &Hit) -> Option<&Hit> {
        let time = kind
            .escalates_on_time()
            .then(|| self.time.near(hit))
            .flatten();
        time.or_else(|| {
            kind.escalates_on_means()
                .then(|| self.means.near(hit))
                .flatten()
        })
    }

    /// Why a phrase that doesn't name the speaker is not about the speaker.
    fn non_self_reason(&self, hit: &Hit, kind: Kind) -> Option<&'static str> {
        if about_someone_else(self.tokens, hit.start)
            || (kind == Kind::Mention && someone_else_follows(self.tokens, hit))
        {
            return Some("about others");
        }
        let ahead = if kind == Kind::Mention {
            CUE_REACH
        } else {
            CUE_REACH_AFTER
        };
        let clause = self.tokens.clause_of(hit.start)?;
        let cue_before = cue_before_speaker(self.tokens.before(hit.start, CUE_REACH));
        let cue_after = cue_before_speaker(self.tokens.after(hit.end, clause, ahead));
        (cue_before || cue_after).then_some("discussed")
    }
}

/// A negator just before `start`, reached only through bridge words.
fn is_negated(tokens: &Tokens, start: usize) -> bool {
    for word in tokens.before(start, NEGATION_REACH) {
        if NEGATORS.contains(&word) {
            return true;
        }
        if !NEGATION_BRIDGES.contains(&word) {
            return false;
        }
    }
    false
}

/// A third-person subject just before `start`, with no "I" in between.
fn about_someone_else(tokens: &Tokens, start: usize) -> bool {
    for word in tokens.before(start, THIRD_PERSON_REACH) {
        if FIRST_PERSON.contains(&word) {
            return false;
        }
        if is_third_person(word) {
            return true;
        }
    }
    false
}

/// "the suicide *of my brother*", "a suicide *in my family*": a topic word
/// with no "I" just before it, followed by a preposition and someone else.
fn someone_else_follows(tokens: &Tokens, hit: &Hit) -> bool {
    let speaker_before = tokens
        .before(hit.start, THIRD_PERSON_REACH)
        .any(|word| FIRST_PERSON.contains(&word));
    let Some(clause) = tokens.clause_of(hit.start) else {
        return false;
    };
    let mut after = tokens.after(hit.end, clause, OTHERS_AFTER_REACH + 1);
    let linked = after
        .next()
        .is_some_and(|word| OTHERS_AFTER.contains(&word));
    if speaker_before || !linked {
        return false;
    }
    for word in after {
        if is_third_person(word) {
            return true;
        }
        if SPEAKER_SUBJECTS.contains(&word) {
            return false;
        }
    }
    false
}

/// A [`THIRD_PERSON`] word, also in possessive form ("brother's" -> "brothers").
fn is_third_person(word: &str) -> bool {
    THIRD_PERSON.contains(&word)
        || word
            .strip_suffix('s')
            .is_some_and(|stem| THIRD_PERSON.contains(&stem))
}

/// A discussion cue reached before any first-person word.
fn cue_before_speaker<'w>(words: impl Iterator<Item = &'w str>) -> bool {
    for word in words {
        if FIRST_PERSON.contains(&word) {
            return false;
        }
        if DISCUSSION_CUES.contains(&word) {
            return true;
        }
    }
    false
}

fn category_rank(category: RiskCategory) -> u8 {
    match category {
        RiskCategory::Suicide => 4,
        RiskCategory::SelfHarm => 3,
        RiskCategory::Violence => 2,
        RiskCategory::Distress => 1,
    }
}

/// Highest level wins; ties go to the more serious category.
fn summarise(mut signals: Vec<Signal>) -> SafetyAssessment {
    signals.sort_by_key(|signal| signal.pos);
    let top = signals
        .iter()
        .max_by_key(|signal| (signal.level, category_rank(signal.category)));
    let mut phrases: Vec<String> = Vec::new();
    for signal in &signals {
        if phrases.len() >= MAX_SIGNALS {
            break;
        }
        if !phrases.contains(&signal.phrase) {
            phrases.push(signal.phrase.clone());
        }
    }
    SafetyAssessment {
        level: top.map_or(RiskLevel::None, |signal| signal.level),
        category: top.map(|signal| signal.category),
        signals: phrases,
    }
}
