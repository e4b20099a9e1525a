//! Levels of speech pieces: trimming the silence a voice leaves around a sentence,
//! bringing every piece to one loudness, and short fades so no edge clicks.

use std::ops::Range;

use super::pcm::seconds_to_samples;
use super::tone::db_to_amplitude;

/// Below this a sample counts as silence when trimming...
const SILENCE_DBFS: f64 = -50.0;
/// ...unless the piece is so quiet that this far below its peak is lower still.
const SILENCE_BELOW_PEAK_DB: f64 = 40.0;
/// Nothing quieter than this is sound: loudness leaves such blocks out, and a piece that
/// never rises above it is silent...
const GATE_DBFS: f64 = -70.0;
/// ...and blocks this far below the average of the rest (pauses between words), so the
/// measure does not change when the piece is made louder or quieter.
const GATE_BELOW_AVERAGE_DB: f64 = 20.0;
/// Kept before the first and after the last sound, so soft onsets and tails survive.
const TRIM_MARGIN_SECONDS: f64 = 0.02;
/// Loudness is measured over blocks this long.
const BLOCK_SECONDS: f64 = 0.01;
/// No sample of a normalised piece goes above this.
const CEILING_DBFS: f64 = -1.0;
/// A near-silent piece is not blown up into hiss.
const MAX_GAIN_DB: f64 = 30.0;
/// Fade length at each edge of a speech piece.
const FADE_SECONDS: f64 = 0.01;
/// The quietest level reported, for silence.
#[cfg(test)]
const FLOOR_DBFS: f64 = -120.0;

/// The part of `samples` between the first and last sound, with a short margin.
pub(super) fn trim_bounds(samples: &[i16], sample_rate: u32) -> Range<usize> {
    let full = f64::from(i16::MAX);
    let peak = f64::from(samples.iter().map(|s| s.unsigned_abs()).max().unwrap_or(0));
    if peak < db_to_amplitude(GATE_DBFS) * full {
        return 0..0;
    }
    let threshold = (db_to_amplitude(SILENCE_DBFS) * full)
        .min(peak * db_to_amplitude(-SILENCE_BELOW_PEAK_DB))
        .max(1.0);
    let loud = |s: &i16| f64::from(s.unsigned_abs()) >= threshold;
    let Some(first) = samples.iter().position(loud) else {
        return 0..0;
    };
    let last = samples.iter().rposition(loud).unwrap_or(first);
    let margin = seconds_to_samples(TRIM_MARGIN_SECONDS, sample_rate) as usize;
    first.saturating_sub(margin)..last.saturating_add(margin + 1).min(samples.len())
}

/// Scales `samples` so their loudness (RMS over the blocks that are not silent, see
/// [`GATE_BELOW_AVERAGE_DB`]) is
/// `target_dbfs`, as far as the peak ceiling (-1 dBFS) and the gain limit allow.
pub(super) fn normalise(samples: &mut [i16], sample_rate: u32, target_dbfs: f64) {
    let Some(rms) = gated_rms(samples, sample_rate) else {
        return;
    };
    let peak = samples
        .iter()
        .map(|s| f64::from(s.unsigned_abs()))
        .fold(0.0, f64::max);
    let full = f64::from(i16::MAX);
    let gain = (db_to_amplitude(target_dbfs) * full / rms)
        .min(db_to_amplitude(CEILING_DBFS) * full / peak)
        .min(db_to_amplitude(MAX_GAIN_DB));
    for sample in samples.iter_mut() {
        *sample = scale(*sample, gain);
    }
}

/// Linear fades over the first and last few milliseconds.
pub(super) fn fade_edges(samples: &mut [i16], sample_rate: u32) {
    let fade = (seconds_to_samples(FADE_SECONDS, sample_rate) as usize).min(samples.len() / 2);
    let len = samples.len();
    for i in 0..fade {
        let gain = i as f64 / fade as f64;
        samples[i] = scale(samples[i], gain);
        samples[len - 1 - i] = scale(samples[len - 1 - i], gain);
    }
}

/// RMS level in dBFS (full scale = 0), -120 for silence.
#[cfg(test)]
pub(super) fn rms_dbfs(samples: &[i16]) -> f64 {
    if samples.is_empty() {
        return FLOOR_DBFS;
    }
    let energy: f64 = samples.iter().map(|&s| f64::from(s).powi(2)).sum();
    to_dbfs((energy / samples.len() as f64).sqrt())
}

/// Peak level in dBFS, -120 for silence.
#[cfg(test)]
pub(super) fn peak_dbfs(samples: &[i16]) -> f64 {
    let peak = samples.iter().map(|s| s.unsigned_abs()).max().unwrap_or(0);
    to_dbfs(f64::from(peak))
}

/// RMS (in sample units) over the blocks at or above the silence threshold.
fn gated_rms(samples: &[i16], sample_rate: u32) -> Option<f64> {
    let block = (seconds_to_samples(BLOCK_SECONDS, sample_rate) as usize).max(1);
    let blocks: Vec<(f64, usize)> = samples
        .chunks(block)
        .map(|chunk| {
            (
                chunk.iter().map(|&s| f64::from(s).powi(2)).sum(),
                chunk.len(),
            )
        })
        .collect();
    let full = f64::from(i16::MAX);
    let absolute = mean_power(&blocks, (db_to_amplitude(GATE_DBFS) * full).powi(2))?;
    let relative = absolute * db_to_amplitude(-GATE_BELOW_AVERAGE_DB).powi(2);
    mean_power(&blocks, relative).map(f64::sqrt)
}

/// Mean power (squared sample units) over the blocks of at least `gate`.
fn mean_power(blocks: &[(f64, usize)], gate: f64) -> Option<f64> {
    let (energy, count) = blocks
        .iter()
        .filter(|&&(energy, len)| energy / len as f64 >= gate)
        .fold((0.0, 0), |(e, n), &(energy, len)| (e + energy, n + len));
    (count > 0).then(|| energy / count as f64)
}

/// Loudness as [`normalise`] measures it, in dBFS; -120 for silence.
#[cfg(test)]
pub(super) fn loudness_dbfs(samples: &[i16], sample_rate: u32) -> f64 {
    gated_rms(samples, sample_rate).map_or(FLOOR_DBFS, to_dbfs)
}

fn scale(sample: i16, gain: f64) -> i16 {
    (f64::from(sample) * gain)
        .round()
        .clamp(f64::from(i16::MIN), f64::from(i16::MAX)) as i16
}

#[cfg(test)]
fn to_dbfs(level: f64) -> f64 {
    if level <= 0.0 {
        return FLOOR_DBFS;
    }
    (20.0 * (level / f64::from(i16::MAX)).log10()).max(FLOOR_DBFS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: u32 = 24_000;

    fn sine(seconds: f64, amplitude: f64) -> Vec<i16> {
        let len = seconds_to_samples(seconds, RATE);
        (0..len)
            .map(|n| {
                let t = n as f64 / f64::from(RATE);
                ((std::f64::consts::TAU * 220.0 * t).sin() * amplitude) as i16
            })
            .collect()
    }

    #[test]
    fn trimming_keeps_the_sound_and_a_margin() {
        let mut samples = vec![0; 24_000];
        samples.extend(sine(1.0, 8_000.0));
        samples.extend(vec![3; 12_000]);
        let bounds = trim_bounds(&samples, RATE);
        assert!((23_518..=23_521).contains(&bounds.start), "{bounds:?}");
        assert!((48_478..=48_481).contains(&bounds.end), "{bounds:?}");
        assert_eq!(trim_bounds(&[0, 5, -5, 0], RATE), 0..0);
        let mut quiet = vec![0; 1_000];
        quiet.extend(sine(0.5, 150.0));
        quiet.extend(vec![0; 1_000]);
        let bounds = trim_bounds(&quiet, RATE);
        assert!((519..=521).contains(&bounds.start), "{bounds:?}");
        assert_eq!(trim_bounds(&[], RATE), 0..0);
    }

    #[test]
    fn a_quiet_piece_is_raised_to_the_target() {
        let mut samples = sine(2.0, 600.0);
        samples.extend(vec![0; 48_000]);
        normalise(&mut samples, RATE, -20.0);
        let speech = &samples[..48_000];
        assert!(
            (rms_dbfs(speech) + 20.0).abs() < 0.2,
            "{}",
            rms_dbfs(speech)
        );
    }

    #[test]
    fn a_loud_piece_stays_under_the_ceiling() {
        let mut square: Vec<i16> = (0..48_000)
            .map(|n| if n / 50 % 2 == 0 { i16::MAX } else { i16::MIN })
            .collect();
        normalise(&mut square, RATE, -20.0);
        assert!((rms_dbfs(&square) + 20.0).abs() < 0.2);

        let mut spiky = sine(1.0, 3_000.0);
        spiky[100] = i16::MIN;
        spiky[200] = i16::MAX;
        normalise(&mut spiky, RATE, -3.0);
        let peak = peak_dbfs(&spiky);
        assert!(
            peak <= CEILING_DBFS + 0.01 && peak > CEILING_DBFS - 0.1,
            "{peak}"
        );
    }

    #[test]
    fn silence_is_left_alone() {
        let mut samples = vec![0, 1, -1, 0];
        normalise(&mut samples, RATE, -20.0);
        assert_eq!(samples, vec![0, 1, -1, 0]);
    }

    #[test]
    fn edges_fade_from_zero() {
        let mut samples = vec![10_000; 1_000];
        fade_edges(&mut samples, RATE);
        assert_eq!(samples[0], 0);
        assert_eq!(samples[999], 0);
        assert!(samples[120] > 4_000 && samples[120] < 6_000);
        assert_eq!(samples[500], 10_000);
        let mut tiny = vec![10_000; 3];
        fade_edges(&mut tiny, RATE);
        assert_eq!(tiny, vec![0, 10_000, 0]);
    }
}
