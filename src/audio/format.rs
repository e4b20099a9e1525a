//! The containers a track can be delivered in.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Output container and codec of an assembled track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AudioFormat {
    /// MPEG-1/2 Layer III: plays everywhere.
    Mp3,
    /// Ogg Vorbis: smaller at the same quality, not played by every browser.
    Ogg,
}

impl AudioFormat {
    /// Every format, in order of preference.
    pub const ALL: [AudioFormat; 2] = [AudioFormat::Mp3, AudioFormat::Ogg];

    /// The name used in requests and settings: "mp3" or "ogg".
    pub fn as_str(self) -> &'static str {
        match self {
            AudioFormat::Mp3 => "mp3",
            AudioFormat::Ogg => "ogg",
        }
    }

    /// File extension, without the dot.
    pub fn extension(self) -> &'static str {
        self.as_str()
    }

    /// MIME type to serve the track with.
    pub fn content_type(self) -> &'static str {
        match self {
            AudioFormat::Mp3 => "audio/mpeg",
            AudioFormat::Ogg => "audio/ogg",
        }
    }
}

/// A format name that is neither "mp3" nor "ogg".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown audio format `{0}` (expected mp3 or ogg)")]
pub struct UnknownFormat(pub String);

impl FromStr for AudioFormat {
    type Err = UnknownFormat;

    /// Accepts "mp3" and "ogg" in any case, around any whitespace.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim();
        AudioFormat::ALL
            .into_iter()
            .find(|format| format.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownFormat(s.to_owned()))
    }
}

impl fmt::Display for AudioFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_in_any_case() {
        assert_eq!("mp3".parse(), Ok(AudioFormat::Mp3));
        assert_eq!("MP3".parse(), Ok(AudioFormat::Mp3));
        assert_eq!(" Ogg ".parse(), Ok(AudioFormat::Ogg));
        for format in AudioFormat::ALL {
            assert_eq!(format.as_str().parse(), Ok(format));
        }
    }

    #[test]
    fn unknown_names_say_what_is_expected() {
        let error = "wav".parse::<AudioFormat>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown audio format `wav` (expected mp3 or ogg)"
        );
        assert!("".parse::<AudioFormat>().is_err());
    }

    #[test]
    fn serde_uses_lowercase_names() {
        assert_eq!(serde_json::to_string(&AudioFormat::Ogg).unwrap(), "\"ogg\"");
        let format: AudioFormat = serde_json::from_str("\"mp3\"").unwrap();
        assert_eq!(format, AudioFormat::Mp3);
    }

    #[test]
    fn mime_types_and_extensions() {
        assert_eq!(AudioFormat::Mp3.content_type(), "audio/mpeg");
        assert_eq!(AudioFormat::Ogg.content_type(), "audio/ogg");
        assert_eq!(AudioFormat::Mp3.extension(), "mp3");
        assert_eq!(AudioFormat::Ogg.extension(), "ogg");
    }
}
