//! Lexicon scan.

use super::*;

/// What a lexicon phrase may mean; [`resolve`] reads the words around it to decide.
#[derive(Debug, Clone, Copy)]
pub(super) enum Meaning {
    Intent(Intent, Strength, Polarity),
    IntentAt(Intent, TimeOfDay),
    Time(TimeOfDay),
    Voice(VoiceStyle),
    Gender(VoiceStyle),
    NeutralWord,
    Pace(Pace),
    SpeedWord(Pace),
    PaceIfAsked(Pace),
    Tone(Tone),
    ToneOrIntent(Tone, Intent, Strength),
    NoPreference,
    SmallTalk,
}

/// A slot value the message states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Value {
    Intent(Intent, Strength, Polarity),
    Time(TimeOfDay),
    Voice(VoiceStyle),
    Pace(Pace),
    Tone(Tone),
}

/// Up to two values per phrase ("wind down for bed": sleep, at night); none for small talk.
pub(super) type Found = [Option<Value>; 2];

pub(super) struct Hit {
    pub(super) value: Value,
    pub(super) negated: bool,
}

/// Calls `f` with every lexicon phrase and what it may mean, pace before tone so that a tie
/// ("steady" when the pace was asked) goes to the pace.
pub(super) fn for_each_phrase(mut f: impl FnMut(&'static str, Meaning)) {
    for g in INTENT_LEXICON {
        for p in g.phrases {
            f(p, Meaning::Intent(g.intent, g.strength, g.polarity));
        }
    }
    for &(p, intent, time) in INTENT_AT_TIME {
        f(p, Meaning::IntentAt(intent, time));
    }
    grouped(TIME_LEXICON, Meaning::Time, &mut f);
    grouped(VOICE_LEXICON, Meaning::Voice, &mut f);
    grouped(GENDER_WORDS, Meaning::Gender, &mut f);
    grouped(PACE_LEXICON, Meaning::Pace, &mut f);
    grouped(SPEED_WORDS, Meaning::SpeedWord, &mut f);
    grouped(PACE_IF_ASKED, Meaning::PaceIfAsked, &mut f);
    grouped(TONE_LEXICON, Meaning::Tone, &mut f);
    for &(p, tone, intent, strength) in TONE_OR_INTENT {
        f(p, Meaning::ToneOrIntent(tone, intent, strength));
    }
    f("neutral", Meaning::NeutralWord);
    for p in NO_PREFERENCE {
        f(p, Meaning::NoPreference);
    }
    for p in SMALL_TALK {
        f(p, Meaning::SmallTalk);
    }
}

pub(super) fn grouped<T: Copy>(
    table: &[(T, &'static [&'static str])],
    meaning: fn(T) -> Meaning,
    f: &mut impl FnMut(&'static str, Meaning),
) {
    for &(value, phrases) in table {
        for p in phrases {
            f(p, meaning(value));
        }
    }
}

/// Whether a single word is in any lexicon ("Anxious" in "I'm Anxious" is no name).
pub(super) fn is_lexicon_word(norm: &str) -> bool {
    phrases_starting(norm).any(|entry| !entry.phrase.contains([' ', '-']))
}

/// A lexicon phrase under its first word as tokens spell it ("can't sleep" under "cant").
pub(super) struct Entry {
    pub(super) first: String,
    pub(super) phrase: &'static str,
    pub(super) meaning: Meaning,
}

/// Every lexicon phrase sorted by first word, built once, so each word of a message looks up
/// its few candidates instead of trying all phrases. The sort is stable: table order breaks ties.
pub(super) fn phrase_index() -> &'static [Entry] {
    static INDEX: std::sync::OnceLock<Vec<Entry>> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = Vec::new();
        for_each_phrase(|phrase, meaning| {
            let first = phrase_words(phrase).next().unwrap_or_default();
            index.push(Entry {
                first: first.chars().filter(|&c| c != '\'').collect(),
                phrase,
                meaning,
            });
        });
        index.sort_by(|a, b| a.first.cmp(&b.first));
        index
    })
}

pub(super) fn phrases_starting(word: &str) -> impl Iterator<Item = &'static Entry> + '_ {
    let index = phrase_index();
    let from = index.partition_point(|e| e.first.as_str() < word);
    index[from..].iter().take_while(move |e| e.first == word)
}

/// Walks the words left to right taking, at each, the longest phrase that means something here.
pub(super) fn scan_lexicons(scan: &mut Scan) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut i = 0;
    while i < scan.toks.len() {
        if scan.used[i] {
            i += 1;
            continue;
        }
        let Some((len, found)) = best_at(scan, i) else {
            i += 1;
            continue;
        };
        let negation = negation_before(scan, i);
        for value in found.into_iter().flatten() {
            hits.push(Hit {
                value,
                negated: negates(negation, value),
            });
        }
        scan.mark(i, len);
        i += len;
    }
    hits
}

pub(super) fn best_at(scan: &Scan, i: usize) -> Option<(usize, Found)> {
    let mut best: Option<(usize, Found)> = None;
    for entry in phrases_starting(scan.norm(i)?) {
        let Some(len) = scan.phrase_len(i, entry.phrase) else {
            continue;
        };
        if best.as_ref().is_some_and(|(l, _)| *l >= len) {
            continue;
        }
        if let Some(found) = resolve(scan, i, len, entry.meaning) {
            best = Some((len, found));
        }
    }
    best
}

pub(super) fn one(value: Value) -> Option<Found> {
    Some([Some(value), None])
}

/// What a phrase means where it stands, or `None` when it means nothing here and a shorter
/// phrase should be tried.
pub(super) fn resolve(scan: &Scan, i: usize, len: usize, meaning: Meaning) -> Option<Found> {
    match meaning {
        Meaning::Intent(intent, strength, polarity) => {
            one(Value::Intent(intent, strength, polarity))
        }
        Meaning::IntentAt(intent, time) => Some([
            Some(Value::Intent(intent, Strength::Strong, Polarity::Goal)),
            Some(Value::Time(time)),
        ]),
        Meaning::Time(time) => one(Value::Time(time)),
        Meaning::Voice(voice) => one(Value::Voice(voice)),
        Meaning::Gender(voice) => {
            if scan.asked(SlotName::Voice) || voice_noun_near(scan, i, len) {
                one(Value::Voice(voice))
            } else {
                None
            }
        }
        Meaning::NeutralWord => {
            if scan.asked(SlotName::Voice) {
                one(Value::Voice(VoiceStyle::Neutral))
            } else {
                one(Value::Tone(Tone::Neutral))
            }
        }
        Meaning::Pace(pace) => one(Value::Pace(pace)),
        Meaning::SpeedWord(pace) => {
            let goal = scan
                .neighbours(i, len, 1, 1)
                .iter()
                .any(|w| is_in(SPEED_GOAL_WORDS, w));
            if goal { None } else { one(Value::Pace(pace)) }
        }
        Meaning::PaceIfAsked(pace) => {
            if scan.asked(SlotName::Pace) {
                one(Value::Pace(pace))
            } else {
                None
            }
        }
        Meaning::Tone(tone) => one(Value::Tone(tone)),
        Meaning::ToneOrIntent(tone, intent, strength) => {
            if reads_as_tone(scan, i, len) {
                one(Value::Tone(tone))
            } else {
                one(Value::Intent(intent, strength, Polarity::Goal))
            }
        }
        Meaning::NoPreference => {
            if scan.asked(SlotName::TimeOfDay) {
                one(Value::Time(TimeOfDay::Anytime))
            } else {
                Some([None, None])
            }
        }
        Meaning::SmallTalk => Some([None, None]),
    }
}

/// "calm" is a tone as the answer to the tone question or next to a voice noun ("calm
/// voice"), unless a feeling verb comes first ("feel calm"); otherwise it is the person's goal.
pub(super) fn reads_as_tone(scan: &Scan, i: usize, len: usize) -> bool {
    if scan.asked(SlotName::Tone) {
        return true;
    }
    if follows_feeling_verb(scan, i) {
        return false;
    }
    voice_noun_near(scan, i, len)
}

pub(super) fn follows_feeling_verb(scan: &Scan, i: usize) -> bool {
    scan.neighbours(i, 0, FEELING_VERB_REACH, 0)
        .into_iter()
        .find(|w| !is_in(INTENSIFIERS, w))
        .is_some_and(|w| is_in(FEELING_VERBS, w))
}

pub(super) fn voice_noun_near(scan: &Scan, i: usize, len: usize) -> bool {
    scan.neighbours(i, len, VOICE_NOUN_WINDOW, VOICE_NOUN_WINDOW)
        .iter()
        .any(|w| is_in(VOICE_NOUNS, w))
}
