use std::time::Instant;

use super::*;
use crate::audio::level::{loudness_dbfs, peak_dbfs, rms_dbfs};
use crate::audio::testing::{LEAD_SECONDS, voice};
use crate::audio::{MIN_PAUSE_SECONDS, Part, decode, split_script};

const RATE: u32 = SAMPLE_RATE;

fn options(format: AudioFormat) -> Assembly {
    Assembly {
        format,
        ..Assembly::default()
    }
}

/// Samples of `seconds`, at the output rate.
fn samples(seconds: f64) -> usize {
    (seconds * f64::from(RATE)).round() as usize
}

/// Samples of `pcm` once trimmed and brought to the output rate.
fn trimmed_len(pcm: &Pcm) -> usize {
    resampled_len(
        trim_bounds(&pcm.samples, pcm.sample_rate).len(),
        pcm.sample_rate,
        RATE,
    )
}

/// Index of the first sample from `from` on whose level reaches -40 dBFS.
fn onset(samples: &[i16], from: usize) -> usize {
    from + samples[from..]
        .iter()
        .position(|s| s.unsigned_abs() > 330)
        .unwrap_or(samples.len() - from)
}

#[test]
fn pauses_give_exact_silences_in_both_formats() {
    for format in AudioFormat::ALL {
        let (first_voice, second_voice) = (voice(1.0, RATE, -12.0), voice(1.0, 22_050, -12.0));
        let (first_len, second_len) = (trimmed_len(&first_voice), trimmed_len(&second_voice));
        let pieces = vec![
            Piece::Pause(1.0),
            Piece::Speech(first_voice),
            Piece::Pause(2.0),
            Piece::Speech(second_voice),
            Piece::Pause(0.5),
        ];
        let planned = planned_seconds(&pieces, &options(format));
        let encoded = assemble(pieces, &options(format)).unwrap();
        assert_eq!(encoded.format, format);
        let exact = samples(1.0) + first_len + samples(2.0) + second_len + samples(0.5);
        assert_eq!(samples(encoded.seconds), exact);
        assert!((encoded.seconds - planned).abs() < 1e-9);

        // Sound starts within the 20 ms margin kept before each trimmed piece.
        let pcm = decode(&encoded.bytes).unwrap();
        assert!(
            pcm.samples[..samples(0.98)]
                .iter()
                .all(|s| s.unsigned_abs() < 100)
        );
        let first = onset(&pcm.samples, 0);
        assert!(
            (samples(1.0)..samples(1.04)).contains(&first),
            "{format}: {first}"
        );
        let second_at = samples(1.0) + first_len + samples(2.0);
        assert!(
            pcm.samples[first + first_len..second_at - samples(0.02)]
                .iter()
                .all(|s| s.unsigned_abs() < 100)
        );
        let second = onset(&pcm.samples, first + first_len);
        assert!(
            (second_at..second_at + samples(0.04)).contains(&second),
            "{format}: {second}"
        );
        assert!(
            pcm.samples[exact - samples(0.45)..]
                .iter()
                .all(|s| s.unsigned_abs() < 100)
        );
    }
}

#[test]
fn speech_pieces_that_follow_each_other_get_the_sentence_gap() {
    let pieces = vec![
        Piece::Speech(voice(1.0, RATE, -12.0)),
        Piece::Speech(voice(1.0, RATE, -12.0)),
    ];
    let mut slow = options(AudioFormat::Mp3);
    slow.sentence_gap = 1.4;
    let quick = planned_seconds(&pieces, &options(AudioFormat::Mp3));
    assert!((planned_seconds(&pieces, &slow) - quick - 0.8).abs() < 1e-9);
    let speech = 2 * trimmed_len(&voice(1.0, RATE, -12.0));
    let encoded = assemble(pieces, &slow).unwrap();
    assert_eq!(samples(encoded.seconds), speech + samples(1.4));
}

/// About two minutes of speech and a few pause marks stretched to ten minutes: the
/// decoded MP3 lasts ten minutes. Also the timing check: on the 2-core dev machine, in a
/// debug test build with the codec crates at opt-level 3, assembling and encoding took
/// 1.6 to 2.4 s and decoding it back 1.3 to 2.2 s (run with --nocapture to see).
#[test]
fn a_ten_minute_target_is_met_whatever_the_speech() {
    let script = "Welcome. Settle in and let your breath slow down. [pause 5s]\n\n".repeat(24)
        + &"Notice the weight of your body. Let it rest. [pause 20s]\n".repeat(14);
    let pieces: Vec<Piece> = split_script(&script)
        .into_iter()
        .map(|part| match part {
            // Roughly a speaking rate: a second per 15 characters.
            Part::Speech(text) => Piece::Speech(voice(text.len() as f64 / 15.0, RATE, -14.0)),
            Part::Pause(seconds) => Piece::Pause(seconds),
        })
        .collect();
    let speech: f64 = pieces
        .iter()
        .filter_map(|piece| match piece {
            Piece::Speech(pcm) => Some(pcm.seconds() - 2.0 * LEAD_SECONDS),
            Piece::Pause(_) => None,
        })
        .sum();
    assert!((100.0..140.0).contains(&speech), "{speech} s of speech");
    let options = Assembly {
        target_seconds: Some(600.0),
        ..options(AudioFormat::Mp3)
    };
    assert!((planned_seconds(&pieces, &options) - 600.0).abs() < 1e-3);

    let started = Instant::now();
    let encoded = assemble(pieces, &options).unwrap();
    let encoding = started.elapsed();
    let started = Instant::now();
    let pcm = decode(&encoded.bytes).unwrap();
    eprintln!(
        "10-minute MP3: assembled and encoded in {encoding:?} ({} KiB), decoded in {:?}",
        encoded.bytes.len() / 1024,
        started.elapsed()
    );
    assert!((encoded.seconds - 600.0).abs() < 1e-3);
    assert!((pcm.seconds() - 600.0).abs() < 0.5, "{}", pcm.seconds());
}

#[test]
fn speech_longer_than_the_target_keeps_floor_pauses() {
    let pieces = vec![
        Piece::Speech(voice(6.0, RATE, -12.0)),
        Piece::Pause(4.0),
        Piece::Speech(voice(6.0, RATE, -12.0)),
        Piece::Pause(0.4),
    ];
    let options = Assembly {
        target_seconds: Some(5.0),
        ..options(AudioFormat::Ogg)
    };
    // The 4 s pause keeps a quarter, the 0.4 s one its 0.2 s floor.
    let speech = 2 * trimmed_len(&voice(6.0, RATE, -12.0));
    let expected = speech as f64 / f64::from(RATE) + 1.0 + MIN_PAUSE_SECONDS;
    assert!((planned_seconds(&pieces, &options) - expected).abs() < 1e-9);
    let encoded = assemble(pieces, &options).unwrap();
    assert!((encoded.seconds - expected).abs() < 1e-9);
}

#[test]
fn a_quiet_voice_is_raised_to_the_target_loudness() {
    let pieces = vec![Piece::Speech(voice(3.0, RATE, -30.0))];
    let before = loudness_dbfs(&voice(3.0, RATE, -30.0).samples, RATE);
    assert!(before < -35.0, "{before}");
    let pcm = decode(&assemble(pieces, &options(AudioFormat::Mp3)).unwrap().bytes).unwrap();
    let after = loudness_dbfs(&pcm.samples, RATE);
    assert!((after + 20.0).abs() < 1.0, "{after} dBFS");
}

#[test]
fn a_loud_voice_is_brought_down_and_never_clips() {
    let mut loud = voice(3.0, RATE, 6.0); // clipped: peaks past full scale
    loud.samples
        .iter_mut()
        .step_by(997)
        .for_each(|s| *s = i16::MAX);
    for format in AudioFormat::ALL {
        let pieces = vec![Piece::Speech(loud.clone())];
        let pcm = decode(&assemble(pieces, &options(format)).unwrap().bytes).unwrap();
        let peak = peak_dbfs(&pcm.samples);
        assert!(peak < -0.3, "{format}: peak {peak} dBFS");
        let level = loudness_dbfs(&pcm.samples, RATE);
        assert!((level + 20.0).abs() < 1.0, "{format}: {level} dBFS");
    }
}

#[test]
fn the_bed_fills_the_silences_when_asked() {
    let pieces = || {
        vec![
            Piece::Pause(3.0),
            Piece::Speech(voice(1.0, RATE, -12.0)),
            Piece::Pause(3.0),
        ]
    };
    let without = decode(
        &assemble(pieces(), &options(AudioFormat::Ogg))
            .unwrap()
            .bytes,
    )
    .unwrap();
    let with_bed = Assembly {
        bed: Some(Bed::Tone),
        ..options(AudioFormat::Ogg)
    };
    let with = decode(&assemble(pieces(), &with_bed).unwrap().bytes).unwrap();
    assert_eq!(with.samples.len(), without.samples.len());
    let pause = samples(0.75)..samples(2.75);
    let quiet = rms_dbfs(&without.samples[pause.clone()]);
    let bed = rms_dbfs(&with.samples[pause]);
    assert!(quiet < -70.0, "silence at {quiet} dBFS");
    assert!((bed + 34.0).abs() < 1.5, "bed at {bed} dBFS");
}

#[test]
fn a_tone_only_track_needs_no_voice() {
    let options = Assembly {
        bed: Some(Bed::Tone),
        target_seconds: Some(20.0),
        ..options(AudioFormat::Mp3)
    };
    let encoded = assemble(vec![Piece::Pause(1.0)], &options).unwrap();
    assert!((encoded.seconds - 20.0).abs() < 1e-9);
    let pcm = decode(&encoded.bytes).unwrap();
    assert!((pcm.seconds() - 20.0).abs() < 0.1);
    assert!(rms_dbfs(&pcm.samples) > -40.0);
}

#[test]
fn silence_and_speech_reach_the_encoder_in_chunks_of_a_second_at_most() {
    struct Recorder(std::rc::Rc<std::cell::RefCell<Vec<usize>>>);
    impl StreamEncoder for Recorder {
        fn push(&mut self, samples: &[i16]) -> Result<(), EncodeError> {
            self.0.borrow_mut().push(samples.len());
            Ok(())
        }
        fn finish(self: Box<Self>) -> Result<Vec<u8>, EncodeError> {
            Ok(Vec::new())
        }
    }
    let pushes = std::rc::Rc::default();
    let options = Assembly {
        bed: Some(Bed::Tone),
        ..Assembly::default()
    };
    let bed = ToneBed::with_rms(RATE as u64 * 600, RATE, 0.01);
    let mut track = Track::new(
        Box::new(Recorder(std::rc::Rc::clone(&pushes))),
        Some(bed),
        &options,
    );
    track.write(&vec![100; samples(2.5)]).unwrap();
    track.silence(RATE as u64 * 600).unwrap();
    let encoded = track.finish().unwrap();
    let pushes = pushes.borrow();
    assert!(pushes.iter().all(|&len| len <= RATE as usize), "{pushes:?}");
    assert_eq!(pushes.iter().sum::<usize>(), samples(602.5));
    assert!((encoded.seconds - 602.5).abs() < 1e-9);
}

#[test]
fn nothing_to_say_and_nothing_to_wait_is_an_error() {
    assert!(matches!(
        assemble(Vec::new(), &Assembly::default()),
        Err(EncodeError::Empty)
    ));
    let silent = Pcm::silence(2.0, RATE);
    assert!(matches!(
        assemble(vec![Piece::Speech(silent)], &Assembly::default()),
        Err(EncodeError::Empty)
    ));
}

#[test]
fn a_track_past_four_hours_is_refused_before_encoding() {
    let pieces = vec![Piece::Pause(3.0 * 3_600.0), Piece::Pause(2.0 * 3_600.0)];
    assert!((planned_seconds(&pieces, &Assembly::default()) - 18_000.0).abs() < 1e-6);
    assert!(matches!(
        assemble(pieces, &Assembly::default()),
        Err(EncodeError::TooLong { .. })
    ));
}

#[test]
fn invalid_options_are_refused() {
    let cases = [
        Assembly {
            sample_rate: 0,
            ..Assembly::default()
        },
        Assembly {
            sample_rate: 96_000,
            ..Assembly::default()
        },
        Assembly {
            loudness_dbfs: f64::NAN,
            ..Assembly::default()
        },
        Assembly {
            target_seconds: Some(0.0),
            ..Assembly::default()
        },
        Assembly {
            target_seconds: Some(f64::INFINITY),
            ..Assembly::default()
        },
    ];
    for options in cases {
        let pieces = vec![Piece::Pause(1.0)];
        assert_eq!(planned_seconds(&pieces, &options), 0.0);
        let result = assemble(pieces, &options);
        assert!(
            matches!(result, Err(EncodeError::InvalidOptions(_))),
            "{options:?}"
        );
    }
}
