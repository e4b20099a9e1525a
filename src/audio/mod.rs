//! Audio for generated practices: splitting a script into what a voice reads, decoding
//! what a speech provider sends back, and assembling the pieces into one encoded track
//! (speech, gaps, scaled pauses, an optional tone bed). Also the check of a spoken
//! utterance before it is transcribed.
//!
//! Everything here is pure: bytes and samples in, bytes and samples out, no I/O. The
//! speech providers and the job that stores the track are the shell around it.

mod assemble;
mod decode;
mod encode;
mod format;
mod layout;
mod level;
mod pcm;
mod script;
#[cfg(test)]
mod testing;
mod tone;
mod utterance;

pub use assemble::{Assembly, Bed, Encoded, Piece, assemble, planned_seconds};
pub use decode::{DecodeError, decode, from_s16le, to_wav};
pub use encode::EncodeError;
pub use format::{AudioFormat, UnknownFormat};
pub use layout::{MAX_TRACK_SECONDS, MIN_PAUSE_SECONDS, MIN_PAUSE_SHARE};
pub use pcm::Pcm;
pub use script::{MAX_SEGMENT_CHARS, PARAGRAPH_PAUSE, Part, split_script};
pub use tone::tone;
pub use utterance::{
    MAX_UTTERANCE_BYTES, MAX_UTTERANCE_SECONDS, Utterance, UtteranceError, UtteranceFormat,
    check as check_utterance,
};

/// The rate tracks are encoded at, in Hz (mono): plenty for speech, small files.
pub const SAMPLE_RATE: u32 = 24_000;
