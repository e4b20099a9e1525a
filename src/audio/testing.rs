//! Synthetic speech for tests: a voiced buzz with syllable-like swells, wrapped in the
//! silence a speech provider leaves around a sentence. No voice, no external program.

use std::f64::consts::TAU;

use super::pcm::{Pcm, seconds_to_samples};
use super::tone::db_to_amplitude;

/// Silence before and after the sound, as a provider sends it.
pub(super) const LEAD_SECONDS: f64 = 0.25;

/// `seconds` of sound (plus [`LEAD_SECONDS`] of silence on each side) whose loudest
/// syllables peak near `peak_dbfs`.
pub(super) fn voice(seconds: f64, sample_rate: u32, peak_dbfs: f64) -> Pcm {
    let lead = seconds_to_samples(LEAD_SECONDS, sample_rate) as usize;
    let body = seconds_to_samples(seconds, sample_rate);
    let peak = db_to_amplitude(peak_dbfs) * f64::from(i16::MAX);
    let rate = f64::from(sample_rate);
    let mut samples = vec![0; lead];
    samples.extend((0..body).map(|n| {
        let t = n as f64 / rate;
        let buzz = 0.6 * (TAU * 140.0 * t).sin()
            + 0.3 * (TAU * 280.0 * t).sin()
            + 0.1 * (TAU * 420.0 * t).sin();
        let syllables = 0.5 - 0.5 * (TAU * 3.0 * t).cos();
        (peak * buzz * syllables).round() as i16
    }));
    samples.extend(vec![0; lead]);
    Pcm {
        sample_rate,
        samples,
    }
}
