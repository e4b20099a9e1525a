//! One spoken utterance as a client sends it (binary frames, then `audio_end` naming its
//! format), checked before it goes to a transcription API: not empty, really of the
//! named format, not too long. Raw PCM becomes WAV, which every such API reads.

use super::decode::{DecodeError, decode, from_s16le, to_wav};

/// The longest utterance accepted, in seconds (when the format tells its length).
pub const MAX_UTTERANCE_SECONDS: f64 = 60.0;
/// The most bytes one utterance may hold (a minute of 48 kHz stereo WAV is 11 MB).
pub const MAX_UTTERANCE_BYTES: usize = 12 * 1024 * 1024;
/// The rate of raw `pcm16` audio when the client does not say.
pub const DEFAULT_PCM_RATE: u32 = 16_000;

/// What an utterance's bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UtteranceFormat {
    Wav,
    /// Raw 16-bit little-endian mono samples.
    Pcm16,
    /// Ogg (Opus or Vorbis), as phones and Firefox record.
    Ogg,
    /// WebM (Opus), as Chrome records.
    Webm,
}

impl UtteranceFormat {
    /// `wav`, `pcm16` (or `pcm`), `ogg` (or `opus`), `webm`.
    pub fn parse(name: &str) -> Option<UtteranceFormat> {
        match name.trim().to_ascii_lowercase().as_str() {
            "wav" | "wave" | "audio/wav" => Some(UtteranceFormat::Wav),
            "pcm16" | "pcm" | "s16le" => Some(UtteranceFormat::Pcm16),
            "ogg" | "opus" | "audio/ogg" => Some(UtteranceFormat::Ogg),
            "webm" | "audio/webm" => Some(UtteranceFormat::Webm),
            _ => None,
        }
    }
}

/// An utterance ready to upload.
#[derive(Debug)]
pub struct Utterance {
    pub bytes: Vec<u8>,
    /// A file name whose extension tells the API the format.
    pub file_name: &'static str,
    /// Seconds, when the format tells (WAV and PCM).
    pub seconds: Option<f64>,
}

/// Why an utterance was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum UtteranceError {
    #[error("no audio was sent before audio_end")]
    Empty,
    #[error("the utterance is over {} MB", MAX_UTTERANCE_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("the utterance lasts {0:.0} s; at most {MAX_UTTERANCE_SECONDS:.0} s are accepted")]
    TooLong(f64),
    #[error("the audio is not {format}: {reason}")]
    Undecodable {
        format: &'static str,
        reason: String,
    },
}

/// Checks `bytes` as `format` (`sample_rate` is for raw PCM).
pub fn check(
    format: UtteranceFormat,
    bytes: Vec<u8>,
    sample_rate: Option<u32>,
) -> Result<Utterance, UtteranceError> {
    if bytes.is_empty() {
        return Err(UtteranceError::Empty);
    }
    if bytes.len() > MAX_UTTERANCE_BYTES {
        return Err(UtteranceError::TooLarge);
    }
    let undecodable =
        |format: &'static str, reason: String| UtteranceError::Undecodable { format, reason };
    let (bytes, file_name, seconds) = match format {
        UtteranceFormat::Wav => {
            if !bytes.starts_with(b"RIFF") || bytes.get(8..12) != Some(b"WAVE") {
                return Err(undecodable("WAV", "it has no RIFF/WAVE header".into()));
            }
            let pcm = decode(&bytes).map_err(|e| match e {
                DecodeError::Empty | DecodeError::NoSamples => UtteranceError::Empty,
                other => undecodable("WAV", other.to_string()),
            })?;
            (bytes, "utterance.wav", Some(pcm.seconds()))
        }
        UtteranceFormat::Pcm16 => {
            let rate = sample_rate.unwrap_or(DEFAULT_PCM_RATE);
            let pcm = from_s16le(&bytes, rate).map_err(|e| undecodable("PCM16", e.to_string()))?;
            let seconds = pcm.seconds();
            (to_wav(&pcm), "utterance.wav", Some(seconds))
        }
        UtteranceFormat::Ogg => {
            if !bytes.starts_with(b"OggS") {
                return Err(undecodable(
                    "Ogg",
                    "it does not start with an Ogg page".into(),
                ));
            }
            (bytes, "utterance.ogg", None)
        }
        UtteranceFormat::Webm => {
            if !bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
                return Err(undecodable("WebM", "it has no EBML header".into()));
            }
            (bytes, "utterance.webm", None)
        }
    };
    if let Some(seconds) = seconds {
        if seconds > MAX_UTTERANCE_SECONDS {
            return Err(UtteranceError::TooLong(seconds));
        }
        if seconds <= 0.0 {
            return Err(UtteranceError::Empty);
        }
    }
    Ok(Utterance {
        bytes,
        file_name,
        seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::{Pcm, tone};

    fn wav(seconds: f64) -> Vec<u8> {
        to_wav(&tone(seconds, 16_000))
    }

    #[test]
    fn a_wav_utterance_passes_with_its_length() {
        let checked = check(UtteranceFormat::Wav, wav(1.5), None).unwrap();
        assert_eq!(checked.file_name, "utterance.wav");
        assert!((checked.seconds.unwrap() - 1.5).abs() < 0.01);
    }

    #[test]
    fn raw_pcm_becomes_wav_at_the_given_rate() {
        let pcm = Pcm {
            sample_rate: 8_000,
            samples: vec![1000; 8_000],
        };
        let raw: Vec<u8> = pcm.samples.iter().flat_map(|s| s.to_le_bytes()).collect();
        let checked = check(UtteranceFormat::Pcm16, raw, Some(8_000)).unwrap();
        assert!(checked.bytes.starts_with(b"RIFF"));
        assert!((checked.seconds.unwrap() - 1.0).abs() < 0.01);
        assert_eq!(decode(&checked.bytes).unwrap().sample_rate, 8_000);
    }

    #[test]
    fn bad_utterances_are_refused_with_a_reason() {
        assert_eq!(
            check(UtteranceFormat::Wav, Vec::new(), None).unwrap_err(),
            UtteranceError::Empty
        );
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for format in [
            UtteranceFormat::Wav,
            UtteranceFormat::Ogg,
            UtteranceFormat::Webm,
        ] {
            assert!(matches!(
                check(format, noise.clone(), None),
                Err(UtteranceError::Undecodable { .. })
            ));
        }
        assert!(matches!(
            check(UtteranceFormat::Pcm16, vec![1, 2, 3], None),
            Err(UtteranceError::Undecodable { .. })
        ));
        // A RIFF header on garbage is still not a WAV.
        let mut fake = b"RIFF\0\0\0\0WAVE".to_vec();
        fake.extend_from_slice(&noise);
        assert!(matches!(
            check(UtteranceFormat::Wav, fake, None),
            Err(UtteranceError::Undecodable { .. })
        ));
        assert_eq!(
            check(UtteranceFormat::Wav, vec![0; MAX_UTTERANCE_BYTES + 1], None).unwrap_err(),
            UtteranceError::TooLarge
        );
        assert!(matches!(
            check(UtteranceFormat::Wav, wav(61.0), None),
            Err(UtteranceError::TooLong(_))
        ));
    }

    #[test]
    fn formats_are_named_as_clients_name_them() {
        assert_eq!(UtteranceFormat::parse("WAV"), Some(UtteranceFormat::Wav));
        assert_eq!(
            UtteranceFormat::parse("pcm16"),
            Some(UtteranceFormat::Pcm16)
        );
        assert_eq!(UtteranceFormat::parse("opus"), Some(UtteranceFormat::Ogg));
        assert_eq!(
            UtteranceFormat::parse("audio/webm"),
            Some(UtteranceFormat::Webm)
        );
        assert_eq!(UtteranceFormat::parse("mp4"), None);
    }
}
