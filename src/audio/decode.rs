//! Turning what a speech provider sends back into [`Pcm`]: WAV, MP3, Ogg Vorbis or raw
//! 16-bit samples. Input comes from across the network, so nothing here may panic on it.

mod compressed;

use std::io::Cursor;
use std::panic::{self, AssertUnwindSafe};

use super::pcm::Pcm;

/// Bytes of a canonical WAV header (RIFF, `fmt `, `data`).
const WAV_HEADER_BYTES: usize = 44;

/// Why bytes could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("no audio: the input is empty")]
    Empty,
    #[error("not audio: expected WAV, MP3 or Ogg, the input starts with {0}")]
    NotAudio(String),
    #[error("raw 16-bit PCM needs an even number of bytes, got {0}")]
    OddLength(usize),
    #[error("the sample rate must be above zero")]
    ZeroRate,
    #[error("invalid WAV: {0}")]
    Wav(#[from] hound::Error),
    #[error("unsupported WAV samples: {bits}-bit {kind}")]
    UnsupportedWav { bits: u16, kind: &'static str },
    #[error("invalid {format}: {source}")]
    Compressed {
        format: &'static str,
        #[source]
        source: symphonia::core::errors::Error,
    },
    #[error("{0} holds no audio track")]
    NoTrack(&'static str),
    #[error("the audio holds no samples")]
    NoSamples,
    #[error("the {0} decoder failed on this input")]
    DecoderFailed(&'static str),
}

/// What the first bytes say the input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Wav,
    Mp3,
    Ogg,
}

impl Container {
    fn name(self) -> &'static str {
        match self {
            Container::Wav => "WAV",
            Container::Mp3 => "MP3",
            Container::Ogg => "Ogg",
        }
    }
}

/// Decodes WAV (8/16/24/32-bit integer or 32-bit float samples), MP3 or Ogg Vorbis, told
/// apart by their first bytes, into mono PCM at the file's own rate (channels are
/// averaged). Empty, unknown or broken input is an error, never a panic.
pub fn decode(bytes: &[u8]) -> Result<Pcm, DecodeError> {
    let container = sniff(bytes)?;
    // The decoders are third-party code reading bytes from the network, and symphonia has
    // had panics on malformed files before: a bug there must fail this decode, not the
    // worker that called it.
    panic::catch_unwind(AssertUnwindSafe(|| decode_as(bytes, container)))
        .unwrap_or(Err(DecodeError::DecoderFailed(container.name())))
}

fn decode_as(bytes: &[u8], container: Container) -> Result<Pcm, DecodeError> {
    let pcm = match container {
        Container::Wav => decode_wav(bytes)?,
        Container::Mp3 | Container::Ogg => compressed::decode(bytes, container)?,
    };
    if pcm.samples.is_empty() {
        return Err(DecodeError::NoSamples);
    }
    Ok(pcm)
}

/// Raw signed 16-bit little-endian mono samples, as ElevenLabs (`pcm_24000`) and OpenAI
/// (`response_format: "pcm"`, 24 kHz) return them.
pub fn from_s16le(bytes: &[u8], sample_rate: u32) -> Result<Pcm, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if !bytes.len().is_multiple_of(2) {
        return Err(DecodeError::OddLength(bytes.len()));
    }
    if sample_rate == 0 {
        return Err(DecodeError::ZeroRate);
    }
    let samples = bytes
        .chunks_exact(2)
        .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
        .collect();
    Ok(Pcm {
        sample_rate,
        samples,
    })
}

/// A 16-bit mono WAV file holding `pcm` (for fake speech servers in tests and for voices
/// that write WAV). Past 4 GiB of samples the size fields saturate.
pub fn to_wav(pcm: &Pcm) -> Vec<u8> {
    let data_bytes = pcm.samples.len().saturating_mul(2);
    let data_len = u32::try_from(data_bytes).unwrap_or(u32::MAX);
    let riff_len = data_len.saturating_add(WAV_HEADER_BYTES as u32 - 8);
    let mut wav = Vec::with_capacity(WAV_HEADER_BYTES + data_bytes);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&riff_len.to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes()); // fmt chunk size
    wav.extend_from_slice(&1u16.to_le_bytes()); // integer PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // channels
    wav.extend_from_slice(&pcm.sample_rate.to_le_bytes());
    wav.extend_from_slice(&pcm.sample_rate.saturating_mul(2).to_le_bytes()); // bytes/s
    wav.extend_from_slice(&2u16.to_le_bytes()); // bytes per frame
    wav.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());
    for sample in &pcm.samples {
        wav.extend_from_slice(&sample.to_le_bytes());
    }
    wav
}

/// Tells the container from its magic bytes.
fn sniff(bytes: &[u8]) -> Result<Container, DecodeError> {
    match bytes {
        [] => Err(DecodeError::Empty),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'A',
            b'V',
            b'E',
            ..,
        ] => Ok(Container::Wav),
        [b'O', b'g', b'g', b'S', ..] => Ok(Container::Ogg),
        [b'I', b'D', b'3', ..] => Ok(Container::Mp3),
        [0xFF, second, ..] if second & 0xE0 == 0xE0 => Ok(Container::Mp3),
        _ => Err(DecodeError::NotAudio(hex_prefix(bytes))),
    }
}

/// The first bytes in hex, for an error message.
fn hex_prefix(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take(8)
        .map(|byte| format!("{byte:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn decode_wav(bytes: &[u8]) -> Result<Pcm, DecodeError> {
    let mut reader = hound::WavReader::new(Cursor::new(bytes))?;
    let spec = reader.spec();
    let channels = usize::from(spec.channels);
    let interleaved: Vec<f32> = match (spec.sample_format, spec.bits_per_sample) {
        (hound::SampleFormat::Int, bits @ 8..=32) => {
            let scale = 1.0 / (1u64 << (bits - 1)) as f64;
            reader
                .samples::<i32>()
                .map(|sample| sample.map(|value| (f64::from(value) * scale) as f32))
                .collect::<Result<_, _>>()?
        }
        (hound::SampleFormat::Float, 32) => reader.samples::<f32>().collect::<Result<_, _>>()?,
        (format, bits) => {
            let kind = match format {
                hound::SampleFormat::Int => "integer",
                hound::SampleFormat::Float => "float",
            };
            return Err(DecodeError::UnsupportedWav { bits, kind });
        }
    };
    Ok(Pcm {
        sample_rate: spec.sample_rate,
        samples: mix_down(&interleaved, channels),
    })
}

/// Interleaved samples in -1.0..=1.0 averaged into one 16-bit channel.
pub(super) fn mix_down(interleaved: &[f32], channels: usize) -> Vec<i16> {
    if channels == 0 {
        return Vec::new();
    }
    interleaved
        .chunks_exact(channels)
        .map(|frame| to_i16(frame.iter().sum::<f32>() / channels as f32))
        .collect()
}

/// A -1.0..=1.0 sample as 16 bits (exact for samples that came from 16 bits).
fn to_i16(sample: f32) -> i16 {
    (f64::from(sample) * 32_768.0)
        .round()
        .clamp(f64::from(i16::MIN), f64::from(i16::MAX)) as i16
}

#[cfg(test)]
mod tests;
