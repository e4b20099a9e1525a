//! Affirmation set: a short opening, 6 to 20 statements for the intent, each followed by
//! room to repeat it, and a short closing that gives one statement back in the second
//! person. Longer sets linger after statements instead of adding more of them.

use super::SectionKind;
use super::phrases as p;
use super::text::second_person;
use super::writer::{BEAT, BREATH, REPEAT, SETTLE, Writer};

const FEWEST: usize = 6;
const MOST: usize = 20;
/// Average speech seconds of one statement, for choosing how many fit a budget.
const STATEMENT_SECONDS: f64 = 3.5;
/// Average speech seconds of one reflection after a statement.
const REFLECTION_SECONDS: f64 = 3.0;

pub(super) fn write(w: &mut Writer<'_>, budget: f64) {
    opening(w, budget * 0.12);
    let spoken = statements(w, budget * 0.80);
    closing(w, budget * 0.08, &spoken);
}

fn opening(w: &mut Writer<'_>, budget: f64) {
    w.begin(SectionKind::Opening);
    w.line(p::welcome(w.req.tone));
    w.name_line(p::NAME_GREET);
    if w.room(budget) {
        w.line(p::AFFIRM_PURPOSE);
    }
    w.line(if w.room(budget) {
        p::AFFIRM_INVITE
    } else {
        p::AFFIRM_INVITE_SHORT
    });
    w.pause(BEAT);
    while w.room(budget) && w.line(p::AFFIRM_SETTLE) {
        w.pause(BREATH);
    }
}

/// Says the statements and returns them, so the closing can echo one.
fn statements(w: &mut Writer<'_>, budget: f64) -> Vec<&'static str> {
    w.begin(SectionKind::Affirmations);
    let all = w.intent().affirmations;
    let count = ((budget / STATEMENT_SECONDS) as usize).clamp(FEWEST, MOST.min(all.len()));
    let pool = pool_for(all, count, budget);
    let chosen: Vec<&'static str> = w
        .sample_in_order(pool.len(), count)
        .into_iter()
        .map(|index| pool[index])
        .collect();
    let reflections = reflections_for(w, budget, &chosen);
    for (done, statement) in chosen.iter().enumerate() {
        w.say((*statement).to_owned());
        w.pause(REPEAT);
        if reflections.contains(&done) && w.line(p::AFFIRM_REFLECT) {
            w.pause(SETTLE);
        }
    }
    chosen
}

/// After which statements to linger: none when only a few would fit (a lone pause for
/// reflection sounds accidental), otherwise spread evenly, never after the last one.
fn reflections_for(w: &Writer<'_>, budget: f64, chosen: &[&str]) -> Vec<usize> {
    let statements: f64 = chosen.iter().map(|s| w.seconds_to_say(s)).sum();
    let fit = ((budget - statements) / REFLECTION_SECONDS).max(0.0) as usize;
    let lingering = fit.min(chosen.len() - 1);
    if lingering < 3 {
        return Vec::new();
    }
    (0..lingering)
        .map(|i| (i + 1) * chosen.len() / (lingering + 1) - 1)
        .collect()
}

/// The statements to draw from: all of them, or the shorter ones when even the fewest
/// statements would overrun a very short practice. Table order is kept.
fn pool_for(all: &'static [&'static str], count: usize, budget: f64) -> Vec<&'static str> {
    if count as f64 * STATEMENT_SECONDS <= budget {
        return all.to_vec();
    }
    let mut by_length: Vec<usize> = (0..all.len()).collect();
    by_length.sort_by_key(|&i| all[i].split_whitespace().count());
    let mut shortest: Vec<usize> = by_length[..(count * 2).min(all.len())].to_vec();
    shortest.sort_unstable();
    shortest.into_iter().map(|i| all[i]).collect()
}

/// Gives one "I am" statement back as "you are", by name when there is one.
fn closing(w: &mut Writer<'_>, budget: f64, spoken: &[&str]) {
    w.begin(SectionKind::Closing);
    let echoes: Vec<String> = spoken
        .iter()
        .filter(|statement| statement.starts_with("I am "))
        .map(|statement| second_person(statement))
        .collect();
    if !echoes.is_empty() {
        let echo = echoes[w.sample_in_order(echoes.len(), 1)[0]].clone();
        let line = match w.take_name() {
            Some(name) => vec![format!("{name}, {echo}")],
            None => p::AFFIRM_ECHO
                .iter()
                .map(|template| template.replace("{statement}", &echo))
                .collect(),
        };
        w.line_from(line);
        w.pause(BEAT);
    }
    if w.room(budget) && w.line(p::AFFIRM_CLOSE) {
        w.pause(BEAT);
    }
    if w.room(budget) || echoes.is_empty() {
        w.line(p::farewell(w.req.tone));
    }
}
