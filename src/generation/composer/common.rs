//! Building blocks shared by meditations and rituals: arrival, breath, imagery, resting
//! silence and farewell. Each checks its section's speech budget, so the same code
//! writes the short version of a step or its long, unhurried one.

use super::SectionKind;
use super::intents::IntentText;
use super::phrases as p;
use super::scenes::Scene;
use super::writer::{BEAT, BREATH, Pause, REST, SCENE, SETTLE, Step, Writer, rotate, spread};

/// Average speech seconds of one imagery line, for deciding how many fit a budget.
const IMAGERY_LINE_SECONDS: f64 = 7.0;

/// Greeting, name, framing, arrival, posture, eyes, then settling lines while there is room.
pub(super) fn arrive(w: &mut Writer<'_>, budget: f64, frame: &[&str]) {
    let req = w.req;
    w.begin(SectionKind::Opening);
    w.line(p::welcome(req.tone));
    if w.room(budget) {
        w.name_line(p::NAME_GREET);
    }
    if w.room(budget) {
        w.line(frame);
    }
    w.pause(BEAT);
    if w.room(budget) && w.line(p::arrival(req.time)) {
        w.pause(BEAT);
    }
    w.line(posture(w));
    w.pause(BEAT);
    if w.room(budget) {
        w.line(if req.lying_down() {
            p::EYES_SLEEP
        } else {
            p::EYES
        });
        w.pause(BREATH);
    }
    while w.room(budget) && w.line(p::SETTLE) {
        w.pause(SETTLE);
    }
}

fn posture(w: &Writer<'_>) -> &'static [&'static str] {
    if w.req.lying_down() {
        p::POSTURE_LYING
    } else if w.req.is_evening() {
        p::POSTURE_EVENING
    } else {
        p::POSTURE_SEATED
    }
}

/// The breath section: composed breath cycles, things to notice, the intent's own breath,
/// and for long practices a stretch of silent counting.
pub(super) fn breath(w: &mut Writer<'_>, budget: f64) {
    w.begin(SectionKind::Breath);
    if w.fits(budget, 10.0) {
        w.line(p::BREATH_INTRO);
        w.pause(BEAT);
    }
    breath_cycle(w);
    w.pause(BREATH);
    if w.room(budget) && intent_breath(w) {
        w.pause(BREATH);
    }
    let steps: &[Step] = &[breath_cycle, notice_breath];
    let mut added = rotate(w, budget * 0.3, 4, steps, BREATH);
    if w.room(budget * 0.3) && encourage(w) {
        w.pause(BREATH);
    }
    added += rotate(w, budget * 0.6, 4, steps, BREATH);
    if w.room(budget) && w.line(p::BREATH_COUNT) {
        w.pause(REST);
        added += rotate(w, budget, 4, steps, BREATH);
    }
    if added > 2 && w.line(p::BREATH_RETURN) {
        w.pause(BREATH);
    }
}

fn breath_cycle(w: &mut Writer<'_>) -> bool {
    w.combo(p::BREATH_IN, p::BREATH_OUT)
}

fn notice_breath(w: &mut Writer<'_>) -> bool {
    w.line(p::BREATH_NOTICE)
}

fn intent_breath(w: &mut Writer<'_>) -> bool {
    w.line(w.intent().breath)
}

pub(super) fn encourage(w: &mut Writer<'_>) -> bool {
    w.line(p::encourage(w.req.tone))
}

/// The visualization: an imagined place interleaved with the intent's meaning, or the
/// intent's own guided sequence. Shortened versions keep the first and last steps.
pub(super) fn imagery(w: &mut Writer<'_>, budget: f64) {
    let intent = w.intent();
    if intent.scenes.is_empty() {
        guided(w, budget, intent.imagery);
    } else {
        let scene = w.choose(intent.scenes);
        scene_with_meaning(w, budget, scene, intent);
    }
}

fn guided(w: &mut Writer<'_>, budget: f64, steps: &[&[&str]]) {
    let count = lines_for(w, budget).clamp(2, steps.len());
    for index in arc(steps.len(), count) {
        if w.line(steps[index]) {
            w.pause(SCENE);
        }
    }
}

/// `count` of `len` paired steps that still tell the story: the even steps spread from
/// first to last, then the odd step after some of them.
fn arc(len: usize, count: usize) -> Vec<usize> {
    let mains = len.div_ceil(2);
    let main_count = count.clamp(1, mains);
    let chosen: Vec<usize> = spread(mains, main_count)
        .into_iter()
        .map(|m| m * 2)
        .collect();
    let deepened = spread(chosen.len(), count - main_count);
    let mut steps = chosen.clone();
    steps.extend(
        deepened
            .into_iter()
            .map(|i| chosen[i] + 1)
            .filter(|&step| step < len),
    );
    steps.sort_unstable();
    steps
}

fn scene_with_meaning(w: &mut Writer<'_>, budget: f64, scene: &Scene, intent: &IntentText) {
    w.line(scene.intro);
    w.pause(SCENE);
    let meanings = intent.imagery;
    let total = scene.details.len() + meanings.len();
    let count = lines_for(w, budget).clamp(1, total);
    let meaning_count = (count * meanings.len())
        .div_ceil(total)
        .clamp(1, meanings.len());
    let detail_count = (count - meaning_count).min(scene.details.len());
    let details = w.sample_in_order(scene.details.len(), detail_count);
    let chosen_meanings = spread(meanings.len(), meaning_count);
    let mut next_detail = details.iter();
    for (done, &meaning) in chosen_meanings.iter().enumerate() {
        let details_due = details.len() * (done + 1) / chosen_meanings.len();
        while details.len() - next_detail.len() < details_due {
            let index = *next_detail.next().expect("details due are available");
            if w.line(&scene.details[index..=index]) {
                w.pause(SCENE);
            }
        }
        if w.line(meanings[meaning]) {
            w.pause(SCENE);
        }
    }
}

fn lines_for(w: &Writer<'_>, budget: f64) -> usize {
    ((budget - w.spent()).max(0.0) / IMAGERY_LINE_SECONDS).floor() as usize
}

/// Resting silence: gentle returns, open lines and the intent's anchors in turn, each
/// followed by `pause`. Returns how many cues were spoken.
pub(super) fn rest(w: &mut Writer<'_>, budget: f64, pause: Pause) -> usize {
    let steps: &[Step] = if w.req.is_sleep() {
        &[sleep_line, sleep_return, intent_rest]
    } else {
        &[rest_return, rest_line, intent_rest]
    };
    rotate(w, budget, usize::MAX, steps, pause)
}

pub(super) fn rest_return(w: &mut Writer<'_>) -> bool {
    w.combo(p::REST_OPENERS, p::REST_RETURNS)
}

pub(super) fn rest_line(w: &mut Writer<'_>) -> bool {
    w.line(p::REST_LINES)
}

fn sleep_return(w: &mut Writer<'_>) -> bool {
    w.combo(p::SLEEP_OPENERS, p::SLEEP_RETURNS)
}

fn sleep_line(w: &mut Writer<'_>) -> bool {
    w.line(p::SLEEP_LINES)
}

pub(super) fn intent_rest(w: &mut Writer<'_>) -> bool {
    w.line(w.intent().rest)
}

/// A tone-shaped goodbye, by name when there is one.
pub(super) fn farewell(w: &mut Writer<'_>) {
    w.line(p::farewell(w.req.tone));
    w.name_line(p::NAME_FAREWELL);
}
