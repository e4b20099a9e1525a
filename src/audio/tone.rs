//! A soft tone bed: what plays when no voice is available, and optionally under a voice.
//!
//! Every sample is computed from its position, so a bed of any length is produced chunk
//! by chunk without ever holding the whole of it.

use std::f64::consts::TAU;

use super::pcm::{Pcm, seconds_to_samples, track_samples};

/// The chord: two sines a fifth apart, the lower one louder.
const ROOT_HZ: f64 = 174.0;
const FIFTH_HZ: f64 = 261.0;
const ROOT_WEIGHT: f64 = 0.6;
const FIFTH_WEIGHT: f64 = 0.4;
/// The swell: the level breathes down by `SWELL_DEPTH` and back every `SWELL_SECONDS`.
const SWELL_SECONDS: f64 = 10.0;
const SWELL_DEPTH: f64 = 0.3;
/// Fade in at the start and out at the end, in seconds.
const FADE_SECONDS: f64 = 0.5;
/// Peak of [`tone`], in dBFS: quiet enough to sit in the background.
const TONE_PEAK_DBFS: f64 = -20.0;

/// A soft tone bed of `seconds`: a low fifth (174 and 261 Hz) with a slow swell and
/// half-second fades, peaking near -20 dBFS. Negative or non-finite lengths give no
/// samples; lengths past [`MAX_TRACK_SECONDS`](super::MAX_TRACK_SECONDS) are cut there.
pub fn tone(seconds: f64, sample_rate: u32) -> Pcm {
    let len = track_samples(seconds, sample_rate);
    let bed = ToneBed::new(len, sample_rate, db_to_amplitude(TONE_PEAK_DBFS));
    let mut samples = vec![0; len as usize];
    bed.add_to(0, &mut samples);
    Pcm {
        sample_rate,
        samples,
    }
}

/// The tone over a track of `len` samples, at a given peak (a fraction of full scale).
#[derive(Debug, Clone)]
pub(super) struct ToneBed {
    len: u64,
    rate: f64,
    peak: f64,
    fade: u64,
}

impl ToneBed {
    pub(super) fn new(len: u64, sample_rate: u32, peak: f64) -> ToneBed {
        let fade = seconds_to_samples(FADE_SECONDS, sample_rate).min(len / 2);
        ToneBed {
            len,
            rate: f64::from(sample_rate.max(1)),
            peak,
            fade,
        }
    }

    /// A bed whose RMS (fades aside) is `rms`, a fraction of full scale.
    pub(super) fn with_rms(len: u64, sample_rate: u32, rms: f64) -> ToneBed {
        ToneBed::new(len, sample_rate, rms / unit_rms())
    }

    /// Adds the bed's samples `start..start + chunk.len()` to `chunk`, clamping.
    pub(super) fn add_to(&self, start: u64, chunk: &mut [i16]) {
        for (n, sample) in (start..).zip(chunk.iter_mut()) {
            let mixed = f64::from(*sample) + self.sample(n) * f64::from(i16::MAX);
            *sample = mixed
                .round()
                .clamp(f64::from(i16::MIN), f64::from(i16::MAX)) as i16;
        }
    }

    /// Sample `n` as a fraction of full scale; silent past the end.
    fn sample(&self, n: u64) -> f64 {
        if n >= self.len {
            return 0.0;
        }
        let t = n as f64 / self.rate;
        let chord =
            ROOT_WEIGHT * (TAU * ROOT_HZ * t).sin() + FIFTH_WEIGHT * (TAU * FIFTH_HZ * t).sin();
        let swell = 1.0 - SWELL_DEPTH * 0.5 * (1.0 - (TAU * t / SWELL_SECONDS).cos());
        self.peak * chord * swell * self.fade_gain(n)
    }

    /// Linear ramps over the first and last `fade` samples.
    fn fade_gain(&self, n: u64) -> f64 {
        if self.fade == 0 {
            return 1.0;
        }
        let from_end = self.len - 1 - n;
        let edge = n.min(from_end);
        if edge >= self.fade {
            1.0
        } else {
            edge as f64 / self.fade as f64
        }
    }
}

/// RMS of the bed at a peak of 1.0, fades aside: the chord's RMS times the swell's.
fn unit_rms() -> f64 {
    let chord = ((ROOT_WEIGHT.powi(2) + FIFTH_WEIGHT.powi(2)) / 2.0).sqrt();
    // The swell is 1 - d·s with s = (1 - cos)/2, whose mean is 1/2 and mean square 3/8.
    let swell = (1.0 - SWELL_DEPTH + SWELL_DEPTH.powi(2) * 3.0 / 8.0).sqrt();
    chord * swell
}

/// Decibels relative to full scale as a fraction of full scale.
pub(super) fn db_to_amplitude(dbfs: f64) -> f64 {
    10f64.powf(dbfs / 20.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::level::{peak_dbfs, rms_dbfs};

    #[test]
    fn the_tone_is_quiet_and_lasts_as_asked() {
        let pcm = tone(12.0, 24_000);
        assert_eq!(pcm.samples.len(), 288_000);
        let peak = peak_dbfs(&pcm.samples);
        assert!((-21.0..=-19.0).contains(&peak), "peak {peak}");
    }

    #[test]
    fn the_tone_fades_in_and_out() {
        let pcm = tone(3.0, 24_000);
        assert_eq!(pcm.samples[0], 0);
        assert!(pcm.samples[..240].iter().all(|s| s.abs() < 200));
        assert!(
            pcm.samples[pcm.samples.len() - 10..]
                .iter()
                .all(|s| s.abs() < 20)
        );
        assert!(pcm.samples[24_000..48_000].iter().any(|s| s.abs() > 2_000));
    }

    #[test]
    fn a_bed_has_the_rms_it_was_given() {
        let rms = db_to_amplitude(-34.0);
        let bed = ToneBed::with_rms(24_000 * 20, 24_000, rms);
        let mut samples = vec![0; 24_000 * 20];
        bed.add_to(0, &mut samples);
        let measured = rms_dbfs(&samples[12_000..samples.len() - 12_000]);
        assert!((measured + 34.0).abs() < 0.5, "rms {measured}");
    }

    #[test]
    fn a_bed_made_in_chunks_equals_one_made_at_once() {
        let bed = ToneBed::new(10_000, 24_000, 0.5);
        let mut whole = vec![0; 10_000];
        bed.add_to(0, &mut whole);
        let mut chunked = vec![0; 10_000];
        for (i, chunk) in chunked.chunks_mut(777).enumerate() {
            bed.add_to(i as u64 * 777, chunk);
        }
        assert_eq!(whole, chunked);
    }

    #[test]
    fn odd_lengths_make_no_tone_rather_than_a_panic() {
        assert!(tone(-1.0, 24_000).samples.is_empty());
        assert!(tone(f64::NAN, 24_000).samples.is_empty());
        assert!(tone(1.0, 0).samples.is_empty());
        assert_eq!(tone(0.0001, 24_000).samples.len(), 2);
    }
}
