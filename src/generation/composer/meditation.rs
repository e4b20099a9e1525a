//! Guided meditation: settle, breathe, scan the body, visualize, rest in silence,
//! integrate, close. Sleep meditations never bring the listener back: they drift off.

use super::SectionKind;
use super::common;
use super::phrases as p;
use super::writer::{BEAT, BREATH, REST, SETTLE, Writer, rotate, spread};

/// Average speech seconds of one body-scan region (arriving and softening), for
/// choosing how many regions fit.
const REGION_SECONDS: f64 = 8.5;

/// Writes the meditation with about `budget` seconds of speech, shared among sections.
pub(super) fn write(w: &mut Writer<'_>, budget: f64) {
    common::arrive(w, budget * 0.10, p::PURPOSE);
    common::breath(w, budget * 0.16);
    body(w, budget * 0.24);
    w.begin(SectionKind::Visualization);
    common::imagery(w, budget * 0.28);
    integration(w, budget * 0.14);
    closing(w, budget * 0.08);
}

/// A body scan: downward to soften, upward to wake for the energizing intents. When
/// fewer than three regions fit, a single whole-body line does better than a fragment.
fn body(w: &mut Writer<'_>, budget: f64) {
    w.begin(SectionKind::Body);
    let awaken = w.intent().energizing && !w.req.lying_down();
    let whole = if awaken {
        p::WHOLE_BODY_AWAKE
    } else {
        p::WHOLE_BODY_RELAX
    };
    let count = (budget / REGION_SECONDS) as usize;
    if count < 3 {
        w.line(whole);
        w.pause(SETTLE);
        return;
    }
    let intro = if awaken {
        p::BODY_INTRO_AWAKE
    } else if w.req.lying_down() {
        p::BODY_INTRO_LYING
    } else {
        p::BODY_INTRO_SEATED
    };
    w.line(intro);
    w.pause(SETTLE);
    let count = count.min(p::REGIONS.len());
    let mut order = spread(p::REGIONS.len(), count);
    if awaken {
        order.reverse();
    }
    for (done, index) in order.iter().enumerate() {
        let region = &p::REGIONS[*index];
        w.line(region.attend);
        w.line(if awaken { region.awaken } else { region.relax });
        w.pause(SETTLE);
        let share = budget * (done + 1) as f64 / count as f64;
        if w.room(share) && release(w, awaken) {
            w.pause(BREATH);
        }
    }
    w.line(whole);
    w.pause(SETTLE);
}

/// A composed line that lingers on the place just named.
fn release(w: &mut Writer<'_>, awaken: bool) -> bool {
    if awaken {
        w.combo(p::AWAKEN_HEADS, p::AWAKEN_TAILS)
    } else {
        w.combo(p::RELEASE_HEADS, p::RELEASE_TAILS)
    }
}

/// Resting silence, then either a gentle return or, for sleep, a deeper letting go.
fn integration(w: &mut Writer<'_>, budget: f64) {
    w.begin(SectionKind::Integration);
    let sleep = w.req.is_sleep();
    w.line(if sleep {
        p::SLEEP_REST_INTRO
    } else {
        p::REST_INTRO
    });
    w.pause(REST);
    common::rest(w, budget * 0.6, REST);
    if sleep {
        sleep_fade(w);
        w.pause(SETTLE);
        rotate(w, budget, usize::MAX, &[sleep_fade], SETTLE);
        return;
    }
    if w.fits(budget, 6.0) {
        w.line(p::INTEGRATE_NOTICE);
        w.pause(BEAT);
    }
    if w.room(budget) && w.line(p::INTEGRATE_QUALITY) {
        w.pause(BEAT);
    }
    w.line(w.intent().carry);
    w.pause(BREATH);
    while w.room(budget) && w.line(p::INTEGRATE_MOVE) {
        w.pause(BEAT);
    }
}

fn sleep_fade(w: &mut Writer<'_>) -> bool {
    w.line(p::SLEEP_FADE)
}

fn closing(w: &mut Writer<'_>, budget: f64) {
    w.begin(SectionKind::Closing);
    if w.req.is_sleep() {
        w.line(p::SLEEP_CLOSE);
        w.pause(SETTLE);
        if w.room(budget) && w.line(p::SLEEP_LINES) {
            w.pause(SETTLE);
        }
        if !w.name_line(p::NAME_SLEEP) {
            w.line(p::SLEEP_GOODNIGHT);
        }
        return;
    }
    w.line(p::wake(w.req.time));
    w.pause(BEAT);
    if w.room(budget) || w.req.name.is_some() {
        common::farewell(w);
    }
}
