use std::io::Cursor;

use super::*;
use crate::audio::testing::voice;
use crate::audio::{Assembly, AudioFormat, Piece, assemble};

fn wav_with(
    spec: hound::WavSpec,
    write: impl FnOnce(&mut hound::WavWriter<&mut Cursor<Vec<u8>>>),
) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut bytes, spec).unwrap();
    write(&mut writer);
    writer.finalize().unwrap();
    bytes.into_inner()
}

fn spec(channels: u16, bits: u16, format: hound::SampleFormat) -> hound::WavSpec {
    hound::WavSpec {
        channels,
        sample_rate: 22_050,
        bits_per_sample: bits,
        sample_format: format,
    }
}

#[test]
fn our_wav_round_trips_exactly() {
    let pcm = Pcm {
        sample_rate: 22_050,
        samples: vec![0, 1, -1, i16::MAX, i16::MIN, 12_345, -6_789],
    };
    let wav = to_wav(&pcm);
    assert_eq!(wav.len(), 44 + 14);
    assert_eq!(decode(&wav).unwrap(), pcm);
    let longer = voice(1.0, 24_000, -6.0);
    assert_eq!(decode(&to_wav(&longer)).unwrap(), longer);
}

#[test]
fn stereo_wav_is_mixed_down_to_mono() {
    let wav = wav_with(spec(2, 16, hound::SampleFormat::Int), |w| {
        for (left, right) in [(1_000i16, 3_000i16), (-2_000, 2_000), (i16::MAX, i16::MAX)] {
            w.write_sample(left).unwrap();
            w.write_sample(right).unwrap();
        }
    });
    let pcm = decode(&wav).unwrap();
    assert_eq!(pcm.sample_rate, 22_050);
    assert_eq!(pcm.samples, vec![2_000, 0, i16::MAX]);
}

#[test]
fn float_wav_is_scaled_to_16_bits() {
    let wav = wav_with(spec(1, 32, hound::SampleFormat::Float), |w| {
        for sample in [0.5f32, -0.25, 1.0, -1.0, 2.0] {
            w.write_sample(sample).unwrap();
        }
    });
    let pcm = decode(&wav).unwrap();
    assert_eq!(
        pcm.samples,
        vec![16_384, -8_192, i16::MAX, i16::MIN, i16::MAX]
    );
}

#[test]
fn eight_24_and_32_bit_wav_decode() {
    let wav = wav_with(spec(1, 8, hound::SampleFormat::Int), |w| {
        for sample in [64i8, -128, 0] {
            w.write_sample(sample).unwrap();
        }
    });
    assert_eq!(decode(&wav).unwrap().samples, vec![16_384, i16::MIN, 0]);
    let wav = wav_with(spec(1, 24, hound::SampleFormat::Int), |w| {
        for sample in [0x40_0000i32, -0x80_0000, 256] {
            w.write_sample(sample).unwrap();
        }
    });
    assert_eq!(decode(&wav).unwrap().samples, vec![16_384, i16::MIN, 1]);
    let wav = wav_with(spec(3, 32, hound::SampleFormat::Int), |w| {
        for sample in [i32::MAX, i32::MAX, i32::MAX] {
            w.write_sample(sample).unwrap();
        }
    });
    assert_eq!(decode(&wav).unwrap().samples, vec![i16::MAX]);
}

#[test]
fn raw_s16le_is_read_as_little_endian_mono() {
    let pcm = from_s16le(&[0x01, 0x00, 0xff, 0xff, 0x00, 0x80], 24_000).unwrap();
    assert_eq!(pcm.sample_rate, 24_000);
    assert_eq!(pcm.samples, vec![1, -1, i16::MIN]);
    assert!(matches!(
        from_s16le(&[1, 2, 3], 24_000),
        Err(DecodeError::OddLength(3))
    ));
    assert!(matches!(from_s16le(&[], 24_000), Err(DecodeError::Empty)));
    assert!(matches!(from_s16le(&[0, 0], 0), Err(DecodeError::ZeroRate)));
}

#[test]
fn empty_and_garbage_input_are_errors() {
    assert!(matches!(decode(&[]), Err(DecodeError::Empty)));
    let error = decode(b"<html>oops</html>").unwrap_err();
    assert!(matches!(error, DecodeError::NotAudio(_)));
    assert!(error.to_string().starts_with("not audio"), "{error}");
    let garbage: Vec<u8> = (0..4_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    let mut headed = Vec::new();
    for magic in [
        &b"RIFF\x10\0\0\0WAVE"[..],
        b"OggS",
        b"ID3",
        &[0xFF, 0xFB],
        &[0xFF, 0xE0],
    ] {
        let mut bytes = magic.to_vec();
        bytes.extend_from_slice(&garbage);
        headed.push(bytes);
        headed.push(magic.to_vec());
    }
    for bytes in headed {
        assert!(
            decode(&bytes).is_err(),
            "decoded {:?}",
            &bytes[..4.min(bytes.len())]
        );
    }
}

#[test]
fn a_wav_with_zero_channels_is_an_error() {
    let mut wav = to_wav(&Pcm {
        sample_rate: 8_000,
        samples: vec![1, 2],
    });
    wav[22] = 0;
    assert!(decode(&wav).is_err());
}

#[test]
fn our_mp3_and_ogg_decode_to_their_length() {
    for format in AudioFormat::ALL {
        let pieces = vec![
            Piece::Speech(voice(2.0, 24_000, -12.0)),
            Piece::Pause(1.5),
            Piece::Speech(voice(1.0, 16_000, -12.0)),
        ];
        let options = Assembly {
            format,
            ..Assembly::default()
        };
        let encoded = assemble(pieces, &options).unwrap();
        let pcm = decode(&encoded.bytes).unwrap();
        assert_eq!(pcm.sample_rate, 24_000);
        let drift = (pcm.seconds() - encoded.seconds).abs();
        assert!(
            drift < 0.1,
            "{format}: {} vs {}",
            pcm.seconds(),
            encoded.seconds
        );
    }
}

#[test]
fn a_cut_off_file_gives_the_audio_before_the_cut() {
    for format in AudioFormat::ALL {
        let options = Assembly {
            format,
            ..Assembly::default()
        };
        let speech = vec![Piece::Speech(voice(20.0, 24_000, -12.0))];
        let encoded = assemble(speech, &options).unwrap();
        for len in [1, 4, 10, 100] {
            assert!(
                decode(&encoded.bytes[..len]).is_err(),
                "{format}: {len} bytes"
            );
        }
        let half = decode(&encoded.bytes[..encoded.bytes.len() / 2]).unwrap();
        assert!(
            (5.0..15.0).contains(&half.seconds()),
            "{format}: {}",
            half.seconds()
        );
    }
}

/// Damaged copies of real files go through the decoders themselves (not the panic guard
/// of `decode`), so a panic here fails the test.
#[test]
fn damaged_files_are_errors_or_audio_never_panics() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut sources = vec![to_wav(&voice(0.3, 8_000, -6.0))];
    for format in AudioFormat::ALL {
        let options = Assembly {
            format,
            ..Assembly::default()
        };
        let speech = vec![Piece::Speech(voice(0.5, 24_000, -12.0))];
        sources.push(assemble(speech, &options).unwrap().bytes);
    }
    for round in 0..600 {
        let mut bytes = sources[round % sources.len()].clone();
        // Mostly the headers, where lengths and counts live.
        let reach = if rng.random_bool(0.7) {
            120
        } else {
            bytes.len()
        };
        for _ in 0..rng.random_range(1..20) {
            let at = rng.random_range(0..reach.min(bytes.len()));
            bytes[at] = rng.random();
        }
        if rng.random_bool(0.3) {
            bytes.truncate(rng.random_range(1..bytes.len()));
        }
        if let Ok(container) = sniff(&bytes) {
            let _ = decode_as(&bytes, container);
        }
    }
}
