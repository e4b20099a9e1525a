//! Mono 16-bit samples and the two things every stage needs from them: their length in
//! seconds and a change of rate.

use super::layout::MAX_TRACK_SECONDS;

/// Mono 16-bit PCM.
#[derive(Clone, Debug, PartialEq)]
pub struct Pcm {
    /// Samples per second, in Hz.
    pub sample_rate: u32,
    /// One sample per frame (mono), full scale at `i16::MAX`.
    pub samples: Vec<i16>,
}

impl Pcm {
    /// Length in seconds; zero when the rate is zero.
    pub fn seconds(&self) -> f64 {
        if self.sample_rate == 0 {
            return 0.0;
        }
        self.samples.len() as f64 / f64::from(self.sample_rate)
    }

    /// `seconds` of digital silence (a negative or non-finite length gives none; a length
    /// past [`MAX_TRACK_SECONDS`] is cut there rather than exhausting memory).
    pub fn silence(seconds: f64, sample_rate: u32) -> Pcm {
        Pcm {
            sample_rate,
            samples: vec![0; track_samples(seconds, sample_rate) as usize],
        }
    }

    /// The same sound at another rate, by linear interpolation (no filtering: speech has
    /// little energy near the lower Nyquist frequency). The same rate gives a clone; a zero
    /// rate on either side gives no samples.
    pub fn resample(&self, sample_rate: u32) -> Pcm {
        if sample_rate == self.sample_rate {
            return self.clone();
        }
        let samples = if self.sample_rate == 0 || sample_rate == 0 {
            Vec::new()
        } else {
            interpolate(&self.samples, self.sample_rate, sample_rate)
        };
        Pcm {
            sample_rate,
            samples,
        }
    }
}

/// How many samples `len` samples at `from` Hz become at `to` Hz, as [`Pcm::resample`]
/// makes them (so a track can be planned without resampling anything).
pub(super) fn resampled_len(len: usize, from: u32, to: u32) -> usize {
    if from == to {
        return len;
    }
    if from == 0 || to == 0 {
        return 0;
    }
    let scaled = (len as u128 * u128::from(to) + u128::from(from) / 2) / u128::from(from);
    usize::try_from(scaled).unwrap_or(usize::MAX)
}

/// Whole samples in `seconds` at `sample_rate`, rounded; zero for negative or non-finite.
pub(super) fn seconds_to_samples(seconds: f64, sample_rate: u32) -> u64 {
    if !seconds.is_finite() || seconds <= 0.0 {
        return 0;
    }
    // `as` saturates, so an absurd length cannot wrap around.
    (seconds * f64::from(sample_rate)).round() as u64
}

/// Like [`seconds_to_samples`], but never past [`MAX_TRACK_SECONDS`]: for buffers made
/// whole, whose length must not exhaust memory.
pub(super) fn track_samples(seconds: f64, sample_rate: u32) -> u64 {
    seconds_to_samples(seconds, sample_rate).min(seconds_to_samples(MAX_TRACK_SECONDS, sample_rate))
}

/// Linear interpolation between neighbours; positions are kept as exact fractions of the
/// two rates so hour-long audio does not drift.
fn interpolate(samples: &[i16], from: u32, to: u32) -> Vec<i16> {
    let len = resampled_len(samples.len(), from, to);
    let (from, to) = (u64::from(from), u64::from(to));
    let last = samples.len().saturating_sub(1);
    (0..len as u64)
        .map(|i| {
            let position = i * from;
            let index = usize::try_from(position / to).unwrap_or(last).min(last);
            let fraction = (position % to) as f64 / to as f64;
            let a = f64::from(samples[index]);
            let b = f64::from(samples[(index + 1).min(last)]);
            (a + (b - a) * fraction).round() as i16
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_counts_samples_at_the_rate() {
        let pcm = Pcm::silence(1.5, 24_000);
        assert_eq!(pcm.samples.len(), 36_000);
        assert!((pcm.seconds() - 1.5).abs() < 1e-9);
        assert_eq!(Pcm::silence(1.0, 0).seconds(), 0.0);
    }

    #[test]
    fn silence_of_a_strange_length_is_empty_not_a_panic() {
        for seconds in [-1.0, f64::NAN, f64::NEG_INFINITY, 0.0] {
            assert!(Pcm::silence(seconds, 24_000).samples.is_empty());
        }
    }

    #[test]
    fn resampling_to_the_same_rate_is_a_clone() {
        let pcm = Pcm {
            sample_rate: 22_050,
            samples: vec![1, -2, 3],
        };
        assert_eq!(pcm.resample(22_050), pcm);
    }

    #[test]
    fn resampling_keeps_duration_and_shape() {
        let rate = 22_050;
        let samples = (0..rate)
            .map(|n| {
                let t = f64::from(n) / f64::from(rate);
                ((2.0 * std::f64::consts::PI * 200.0 * t).sin() * 10_000.0) as i16
            })
            .collect();
        let pcm = Pcm {
            sample_rate: rate,
            samples,
        };
        let resampled = pcm.resample(24_000);
        assert_eq!(resampled.samples.len(), 24_000);
        assert_eq!(
            resampled.samples.len(),
            resampled_len(22_050, 22_050, 24_000)
        );
        // A quarter period of 200 Hz in: the peak sits at 1.25 ms.
        assert!(resampled.samples[30] > 9_900, "{}", resampled.samples[30]);
        let back = resampled.resample(rate);
        assert_eq!(back.samples.len(), pcm.samples.len());
    }

    #[test]
    fn resampling_from_or_to_zero_gives_nothing() {
        let pcm = Pcm {
            sample_rate: 0,
            samples: vec![1; 10],
        };
        assert!(pcm.resample(24_000).samples.is_empty());
        let pcm = Pcm {
            sample_rate: 24_000,
            samples: vec![1; 10],
        };
        assert!(pcm.resample(0).samples.is_empty());
    }
}
