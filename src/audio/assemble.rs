//! One track from many pieces: each sentence's speech levelled and faded, laid out with
//! gaps and pauses (scaled to a target length when asked), a bed mixed under it, and all
//! of it encoded as it is produced.

use super::encode::{EncodeError, StreamEncoder, encoder};
use super::layout::{self, Item, MAX_TRACK_SECONDS, Slot};
use super::level::{fade_edges, normalise, trim_bounds};
use super::pcm::{Pcm, resampled_len};
use super::tone::{ToneBed, db_to_amplitude};
use super::{AudioFormat, SAMPLE_RATE};

/// Silence and the bed are produced this many seconds at a time.
const CHUNK_SECONDS: u32 = 1;
/// How far below the speech loudness the bed sits, in dB.
const BED_BELOW_SPEECH_DB: f64 = 14.0;
/// Output rates the encoders are asked to handle, in Hz.
const RATES: std::ops::RangeInclusive<u32> = 8_000..=48_000;

/// One piece of a track, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    /// A sentence as the voice spoke it, at any rate.
    Speech(Pcm),
    /// Silence, in seconds (before any scaling to a target length).
    Pause(f64),
}

/// A sound under the whole track.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bed {
    /// The soft chord of [`tone`](super::tone).
    Tone,
}

/// How to assemble a track.
#[derive(Clone, Debug, PartialEq)]
pub struct Assembly {
    /// Container and codec of the result.
    pub format: AudioFormat,
    /// Output rate in Hz ([`SAMPLE_RATE`] normally; 8 to 48 kHz).
    pub sample_rate: u32,
    /// Seconds of silence between two speech pieces that follow each other directly
    /// (slower speech wants longer gaps).
    pub sentence_gap: f64,
    /// When set, every pause and gap is scaled by one factor so the track lasts this many
    /// seconds, none below its floor ([`MIN_PAUSE_SHARE`](super::MIN_PAUSE_SHARE) of its
    /// length, [`MIN_PAUSE_SECONDS`](super::MIN_PAUSE_SECONDS)): a 10-minute practice lasts
    /// 10 minutes whatever the voice's speed. With more speech than target, pauses sit at
    /// their floor.
    pub target_seconds: Option<f64>,
    /// Loudness of every speech piece (RMS over its sound), in dBFS; peaks stay at or
    /// below -1 dBFS.
    pub loudness_dbfs: f64,
    /// Sound under the whole track, 14 dB below the speech loudness.
    pub bed: Option<Bed>,
}

impl Default for Assembly {
    fn default() -> Self {
        Assembly {
            format: AudioFormat::Mp3,
            sample_rate: SAMPLE_RATE,
            sentence_gap: 0.6,
            target_seconds: None,
            loudness_dbfs: -20.0,
            bed: None,
        }
    }
}

impl Assembly {
    fn validate(&self) -> Result<(), EncodeError> {
        if !RATES.contains(&self.sample_rate) {
            return Err(EncodeError::InvalidOptions(
                "the sample rate must be between 8 and 48 kHz",
            ));
        }
        if !(self.loudness_dbfs.is_finite() && self.loudness_dbfs <= 0.0) {
            return Err(EncodeError::InvalidOptions(
                "the loudness must be a finite dBFS value at or below 0",
            ));
        }
        let target_ok = self
            .target_seconds
            .is_none_or(|t| t.is_finite() && t > 0.0 && t <= MAX_TRACK_SECONDS);
        if !target_ok {
            return Err(EncodeError::InvalidOptions(
                "the target length must be above zero and at most four hours",
            ));
        }
        Ok(())
    }
}

/// An encoded track.
#[derive(Clone, Debug, PartialEq)]
pub struct Encoded {
    /// The file, ready to store or serve.
    pub bytes: Vec<u8>,
    /// Exact length: samples written / rate (a decoder may report a few milliseconds more
    /// when it ignores the MP3 encoder's delay and padding).
    pub seconds: f64,
    /// What `bytes` holds.
    pub format: AudioFormat,
}

/// Assembles and encodes a track: each speech piece is trimmed of leading and trailing
/// silence, resampled to the output rate, normalised to the loudness and faded at its
/// edges (10 ms); then the timeline is laid out (speech, gaps, pauses scaled to the
/// target), the bed mixed under it and the whole encoded in chunks of at most a second,
/// so an hour-long practice never holds an hour of PCM.
pub fn assemble(pieces: Vec<Piece>, options: &Assembly) -> Result<Encoded, EncodeError> {
    options.validate()?;
    let (items, speech): (Vec<Item>, Vec<Vec<i16>>) = pieces
        .into_iter()
        .map(|piece| match piece {
            Piece::Speech(pcm) => {
                let samples = prepare_speech(pcm, options);
                (Item::Speech(samples.len()), samples)
            }
            Piece::Pause(seconds) => (Item::Pause(seconds), Vec::new()),
        })
        .unzip();
    let slots = plan(&items, options);
    let total = checked_len(&slots, options.sample_rate)?;
    let bed = options.bed.map(|Bed::Tone| {
        let rms = db_to_amplitude(options.loudness_dbfs - BED_BELOW_SPEECH_DB);
        ToneBed::with_rms(total, options.sample_rate, rms)
    });
    let mut track = Track::new(encoder(options.format, options.sample_rate)?, bed, options);
    for slot in slots {
        match slot {
            Slot::Speech { index, .. } => {
                track.write(speech.get(index).map_or(&[][..], Vec::as_slice))?
            }
            Slot::Silence(len) => track.silence(len)?,
        }
    }
    track.finish()
}

/// Length in seconds of the track [`assemble`] would make from `pieces`, without
/// processing or encoding anything; zero for options `assemble` would refuse.
pub fn planned_seconds(pieces: &[Piece], options: &Assembly) -> f64 {
    if options.validate().is_err() {
        return 0.0;
    }
    let items: Vec<Item> = pieces
        .iter()
        .map(|piece| match piece {
            Piece::Speech(pcm) => Item::Speech(resampled_len(
                trim_bounds(&pcm.samples, pcm.sample_rate).len(),
                pcm.sample_rate,
                options.sample_rate,
            )),
            Piece::Pause(seconds) => Item::Pause(*seconds),
        })
        .collect();
    layout::total_len(&plan(&items, options)) as f64 / f64::from(options.sample_rate)
}

fn plan(items: &[Item], options: &Assembly) -> Vec<Slot> {
    layout::plan(
        items,
        options.sample_rate,
        options.sentence_gap,
        options.target_seconds,
    )
}

/// The track's length in samples, if there is something to encode and not too much.
fn checked_len(slots: &[Slot], sample_rate: u32) -> Result<u64, EncodeError> {
    let len = layout::total_len(slots);
    let seconds = len as f64 / f64::from(sample_rate);
    if len == 0 {
        return Err(EncodeError::Empty);
    }
    if seconds > MAX_TRACK_SECONDS {
        return Err(EncodeError::TooLong {
            seconds,
            max: MAX_TRACK_SECONDS,
        });
    }
    Ok(len)
}

/// A speech piece ready to lay out: trimmed, at the output rate, levelled, faded.
fn prepare_speech(mut pcm: Pcm, options: &Assembly) -> Vec<i16> {
    let bounds = trim_bounds(&pcm.samples, pcm.sample_rate);
    pcm.samples.truncate(bounds.end);
    pcm.samples.drain(..bounds.start);
    let rate = options.sample_rate;
    let mut samples = if pcm.sample_rate == rate {
        pcm.samples
    } else {
        pcm.resample(rate).samples
    };
    normalise(&mut samples, rate, options.loudness_dbfs);
    fade_edges(&mut samples, rate);
    samples
}

/// The track being encoded: mixes the bed into whatever is written and feeds the encoder
/// in chunks of at most [`CHUNK_SECONDS`].
struct Track {
    encoder: Box<dyn StreamEncoder>,
    bed: Option<ToneBed>,
    format: AudioFormat,
    sample_rate: u32,
    /// Samples written so far.
    position: u64,
    chunk: Vec<i16>,
    chunk_len: usize,
}

impl Track {
    fn new(encoder: Box<dyn StreamEncoder>, bed: Option<ToneBed>, options: &Assembly) -> Track {
        let chunk_len = (options.sample_rate * CHUNK_SECONDS) as usize;
        Track {
            encoder,
            bed,
            format: options.format,
            sample_rate: options.sample_rate,
            position: 0,
            chunk: Vec::with_capacity(chunk_len),
            chunk_len,
        }
    }

    fn write(&mut self, samples: &[i16]) -> Result<(), EncodeError> {
        for part in samples.chunks(self.chunk_len) {
            self.chunk.clear();
            self.chunk.extend_from_slice(part);
            self.push_chunk()?;
        }
        Ok(())
    }

    fn silence(&mut self, mut len: u64) -> Result<(), EncodeError> {
        while len > 0 {
            let part = len.min(self.chunk_len as u64);
            self.chunk.clear();
            self.chunk.resize(part as usize, 0);
            self.push_chunk()?;
            len -= part;
        }
        Ok(())
    }

    fn push_chunk(&mut self) -> Result<(), EncodeError> {
        if let Some(bed) = &self.bed {
            bed.add_to(self.position, &mut self.chunk);
        }
        self.encoder.push(&self.chunk)?;
        self.position += self.chunk.len() as u64;
        Ok(())
    }

    fn finish(self) -> Result<Encoded, EncodeError> {
        Ok(Encoded {
            bytes: self.encoder.finish()?,
            seconds: self.position as f64 / f64::from(self.sample_rate),
            format: self.format,
        })
    }
}

#[cfg(test)]
mod tests;
