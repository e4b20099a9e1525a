//! MP3 and Ogg Vorbis through symphonia, with gapless trimming (the LAME tag of our own
//! MP3s and the granule positions of Ogg give back exactly the samples that were encoded).

use std::io::Cursor;

use symphonia::core::codecs::audio::{AudioDecoder, AudioDecoderOptions};
use symphonia::core::errors::Error;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

use super::{Container, DecodeError, mix_down};
use crate::audio::pcm::Pcm;

/// Decodes every packet of the first audio track into mono PCM. Packets that fail to
/// decode are skipped (a glitch, not a lost track); a stream that breaks off ends the
/// audio there, unless nothing was decoded yet.
pub(super) fn decode(bytes: &[u8], container: Container) -> Result<Pcm, DecodeError> {
    let failed = |source| DecodeError::Compressed {
        format: container.name(),
        source,
    };
    let mut reader = open(bytes, container).map_err(failed)?;
    let track = reader
        .default_track(TrackType::Audio)
        .ok_or(DecodeError::NoTrack(container.name()))?;
    let track_id = track.id;
    let params = track
        .codec_params
        .as_ref()
        .and_then(|params| params.audio())
        .ok_or(DecodeError::NoTrack(container.name()))?;
    let mut sample_rate = params.sample_rate.unwrap_or(0);
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(params, &AudioDecoderOptions::default().gapless(true))
        .map_err(failed)?;

    let mut samples = Vec::new();
    let mut frame = Vec::new();
    loop {
        let packet = match reader.next_packet() {
            Ok(Some(packet)) => packet,
            Ok(None) | Err(Error::ResetRequired) => break,
            Err(_) if !samples.is_empty() => break,
            Err(error) => return Err(failed(error)),
        };
        if packet.track_id != track_id {
            continue;
        }
        if let Some(rate) = decode_packet(decoder.as_mut(), &packet, &mut frame, &mut samples) {
            sample_rate = rate;
        }
    }
    if sample_rate == 0 {
        return Err(DecodeError::ZeroRate);
    }
    Ok(Pcm {
        sample_rate,
        samples,
    })
}

fn open(bytes: &[u8], container: Container) -> Result<Box<dyn FormatReader + '_>, Error> {
    let source = MediaSourceStream::new(Box::new(Cursor::new(bytes)), Default::default());
    let mut hint = Hint::new();
    hint.with_extension(match container {
        Container::Ogg => "ogg",
        _ => "mp3",
    });
    symphonia::default::get_probe().probe(
        &hint,
        source,
        FormatOptions::default(),
        MetadataOptions::default(),
    )
}

/// Appends one packet's audio, mixed down, to `samples`; returns its rate when it decoded.
/// `frame` is scratch space reused between packets.
fn decode_packet(
    decoder: &mut dyn AudioDecoder,
    packet: &symphonia::core::packet::Packet,
    frame: &mut Vec<f32>,
    samples: &mut Vec<i16>,
) -> Option<u32> {
    let buffer = decoder.decode(packet).ok()?;
    let channels = buffer.num_planes();
    frame.clear();
    frame.resize(buffer.samples_interleaved(), 0.0);
    buffer.copy_to_slice_interleaved(&mut *frame);
    samples.extend(mix_down(frame, channels));
    Some(buffer.spec().rate())
}
