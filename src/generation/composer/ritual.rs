//! Ritual: arrive, set an intention (naming the person's situation once, if they gave
//! one), breathe, embody and picture it, affirm who you are becoming, hold it in silent
//! practice, integrate, and close with one small action for the rest of the day.

use super::SectionKind;
use super::common;
use super::phrases as p;
use super::writer::{BEAT, REPEAT, SETTLE, SILENCE, Writer, rotate};

/// Average speech seconds of one line, for choosing how many fit a budget.
const LINE_SECONDS: f64 = 5.0;
const FEWEST_STATEMENTS: usize = 2;
const MOST_STATEMENTS: usize = 10;

pub(super) fn write(w: &mut Writer<'_>, budget: f64) {
    common::arrive(w, budget * 0.09, p::RITUAL_FRAME);
    intention(w, budget * 0.12);
    common::breath(w, budget * 0.16);
    embodiment(w, budget * 0.24);
    affirmations(w, budget * 0.15);
    silent_practice(w, budget * 0.14);
    closing(w, budget * 0.10);
}

fn intention(w: &mut Writer<'_>, budget: f64) {
    w.begin(SectionKind::Intention);
    if w.fits(budget, 8.0) {
        w.line(p::INTENTION_INTRO);
        w.pause(BEAT);
    }
    if let Some(context) = w.req.context.as_deref() {
        let quotes = p::CONTEXT_QUOTE
            .iter()
            .map(|template| template.replace("{context}", context))
            .collect();
        if w.line_from(quotes) {
            w.pause(BEAT);
            if w.fits(budget, 12.0) && w.line(p::CONTEXT_FOLLOW) {
                w.pause(BEAT);
            }
        }
    }
    let intentions = w.intent().intentions;
    let intention: &&str = w.choose(intentions);
    let intention = w.fill(intention);
    let statements = p::INTENTION_STATE
        .iter()
        .map(|template| template.replace("{intention}", &intention))
        .collect();
    w.line_from(statements);
    w.pause(SETTLE);
    while w.room(budget) && w.line(p::INTENTION_EXTRA) {
        w.pause(SETTLE);
    }
}

/// Feeling the intention in the body first, then the intent's imagery.
fn embodiment(w: &mut Writer<'_>, budget: f64) {
    w.begin(SectionKind::Visualization);
    let count = lines_for(budget * 0.35).min(p::EMBODY.len());
    for line in &p::EMBODY[..count] {
        w.say((*line).to_owned());
        w.pause(SETTLE);
    }
    common::imagery(w, budget);
}

fn affirmations(w: &mut Writer<'_>, budget: f64) {
    w.begin(SectionKind::Affirmations);
    w.line(p::RITUAL_AFFIRM_INVITE);
    w.pause(BEAT);
    let intent = w.intent();
    w.line(intent.identity);
    w.pause(REPEAT);
    let count = lines_for(budget - w.spent()).clamp(FEWEST_STATEMENTS, MOST_STATEMENTS);
    for index in w.sample_in_order(intent.affirmations.len(), count) {
        w.say(intent.affirmations[index].to_owned());
        w.pause(REPEAT);
    }
}

/// The silent heart of the ritual: long silences, each opened by a short cue.
fn silent_practice(w: &mut Writer<'_>, budget: f64) {
    w.begin(SectionKind::Integration);
    w.line(p::SILENT_INTRO);
    w.pause(SILENCE);
    rotate(
        w,
        budget * 0.7,
        usize::MAX,
        &[silent_prompt, ritual_return, common::rest_line],
        SILENCE,
    );
    if w.fits(budget, 5.0) {
        w.line(&p::RITUAL_INTEGRATE[..1]);
        w.pause(BEAT);
    }
    w.line(w.intent().carry);
    w.pause(BEAT);
    while w.room(budget) && w.line(&p::RITUAL_INTEGRATE[1..]) {
        w.pause(BEAT);
    }
}

fn silent_prompt(w: &mut Writer<'_>) -> bool {
    w.line(p::SILENT_PROMPTS)
}

fn ritual_return(w: &mut Writer<'_>) -> bool {
    w.combo(p::REST_OPENERS, p::RITUAL_RETURNS)
}

/// One small, concrete action placed in the listener's day or evening.
fn closing(w: &mut Writer<'_>, budget: f64) {
    w.begin(SectionKind::Closing);
    let intent = w.intent();
    if w.fits(budget, 12.0) {
        w.line(p::ACTION_INTRO);
    }
    let actions = if w.req.is_evening() {
        intent.evening_actions
    } else {
        intent.day_actions
    };
    let action = *w.choose(actions);
    let framings = p::action_framing(w.req.time)
        .iter()
        .map(|framing| format!("{framing}, {action}."))
        .collect();
    w.line_from(framings);
    w.pause(BEAT);
    if w.room(budget) && w.line(p::ACTION_AFTER) {
        w.pause(BEAT);
    }
    if w.room(budget) || w.req.name.is_some() {
        common::farewell(w);
    }
}

fn lines_for(seconds: f64) -> usize {
    (seconds.max(0.0) / LINE_SECONDS) as usize
}
