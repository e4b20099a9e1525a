//! Streaming encoders: samples go in chunk by chunk, encoded bytes come out at the end.
//! Only the encoded bytes grow with the track, never its PCM.

use std::num::{NonZeroU8, NonZeroU32};

use mp3lame_encoder::{Bitrate, Builder, FlushGap, MonoPcm, Quality};
use vorbis_rs::{VorbisBitrateManagementStrategy, VorbisEncoder, VorbisEncoderBuilder};

use super::AudioFormat;

/// MP3 bitrate: clear speech at 24 kHz mono.
const MP3_BITRATE: Bitrate = Bitrate::Kbps64;
/// LAME's algorithm quality (0 best, 9 fastest); 2 is its "high quality" preset.
const MP3_QUALITY: Quality = Quality::NearBest;
/// Vorbis VBR quality (-0.2..=1.0); about 40-50 kbit/s for 24 kHz mono.
const VORBIS_QUALITY: f32 = 0.4;
/// Ogg stream serial. The spec asks for a random one, but it only has to be unique within
/// a file, and a fixed one makes the same track encode to the same bytes.
const OGG_STREAM_SERIAL: i32 = 0x7761_5175;
/// Room LAME asks for to flush its last frames.
const MP3_FLUSH_BYTES: usize = 7_200;

/// Why a track could not be assembled or encoded.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    #[error("invalid assembly options: {0}")]
    InvalidOptions(&'static str),
    #[error("nothing to encode: the track has no sound and no pause")]
    Empty,
    #[error("the track would last {seconds:.0} s, more than the {max:.0} s allowed")]
    TooLong { seconds: f64, max: f64 },
    #[error("could not set up the MP3 encoder: {0}")]
    Mp3Setup(#[from] mp3lame_encoder::BuildError),
    #[error("MP3 encoding failed: {0}")]
    Mp3(#[from] mp3lame_encoder::EncodeError),
    #[error("Ogg Vorbis encoding failed: {0}")]
    Vorbis(#[from] vorbis_rs::VorbisError),
}

/// An encoder fed in chunks.
pub(super) trait StreamEncoder {
    /// Encodes the next mono samples.
    fn push(&mut self, samples: &[i16]) -> Result<(), EncodeError>;
    /// Flushes what is pending and returns the whole encoded file.
    fn finish(self: Box<Self>) -> Result<Vec<u8>, EncodeError>;
}

/// A mono encoder for `format` at `sample_rate`.
pub(super) fn encoder(
    format: AudioFormat,
    sample_rate: u32,
) -> Result<Box<dyn StreamEncoder>, EncodeError> {
    Ok(match format {
        AudioFormat::Mp3 => Box::new(Mp3::new(sample_rate)?),
        AudioFormat::Ogg => Box::new(Ogg::new(sample_rate)?),
    })
}

/// Constant-bitrate MP3 through LAME, with a LAME ("Info") tag so decoders know the
/// encoder delay and padding and can give back exactly the samples written.
struct Mp3 {
    encoder: mp3lame_encoder::Encoder,
    bytes: Vec<u8>,
}

impl Mp3 {
    fn new(sample_rate: u32) -> Result<Mp3, EncodeError> {
        let mut builder = Builder::new().ok_or(mp3lame_encoder::BuildError::NoMem)?;
        builder.set_num_channels(1)?;
        builder.set_sample_rate(sample_rate)?;
        builder.set_output_sample_rate(NonZeroU32::new(sample_rate))?;
        builder.set_brate(MP3_BITRATE)?;
        builder.set_quality(MP3_QUALITY)?;
        builder.set_to_write_vbr_tag(true)?;
        Ok(Mp3 {
            encoder: builder.build()?,
            bytes: Vec::new(),
        })
    }
}

impl StreamEncoder for Mp3 {
    fn push(&mut self, samples: &[i16]) -> Result<(), EncodeError> {
        self.bytes
            .reserve(mp3lame_encoder::max_required_buffer_size(samples.len()));
        self.encoder
            .encode_to_vec(MonoPcm(samples), &mut self.bytes)?;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<Vec<u8>, EncodeError> {
        self.bytes.reserve(MP3_FLUSH_BYTES);
        self.encoder.flush_to_vec::<FlushGap>(&mut self.bytes)?;
        // LAME left a frame of room at the start for the tag; it can only be written now.
        let mut tag = Vec::with_capacity(self.encoder.lame_tag_size());
        if self.encoder.lame_tag_encode_to_vec(&mut tag).is_some() && tag.len() <= self.bytes.len()
        {
            self.bytes[..tag.len()].copy_from_slice(&tag);
        }
        Ok(self.bytes)
    }
}

/// Ogg Vorbis in quality (VBR) mode.
struct Ogg {
    encoder: VorbisEncoder<Vec<u8>>,
    block: Vec<f32>,
}

impl Ogg {
    fn new(sample_rate: u32) -> Result<Ogg, EncodeError> {
        let rate = NonZeroU32::new(sample_rate).ok_or(EncodeError::InvalidOptions(
            "the sample rate must be above zero",
        ))?;
        let encoder = VorbisEncoderBuilder::new_with_serial(
            rate,
            NonZeroU8::MIN,
            Vec::new(),
            OGG_STREAM_SERIAL,
        )
        .bitrate_management_strategy(VorbisBitrateManagementStrategy::QualityVbr {
            target_quality: VORBIS_QUALITY,
        })
        .build()?;
        Ok(Ogg {
            encoder,
            block: Vec::new(),
        })
    }
}

impl StreamEncoder for Ogg {
    fn push(&mut self, samples: &[i16]) -> Result<(), EncodeError> {
        if samples.is_empty() {
            return Ok(());
        }
        self.block.clear();
        let full = -f32::from(i16::MIN);
        self.block
            .extend(samples.iter().map(|&sample| f32::from(sample) / full));
        self.encoder.encode_audio_block([&self.block])?;
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<Vec<u8>, EncodeError> {
        Ok(self.encoder.finish()?)
    }
}
