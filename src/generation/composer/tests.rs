use std::collections::HashMap;
use std::sync::OnceLock;

use super::text::sentences;
use super::*;

const DURATIONS: [u32; 7] = [1, 2, 5, 10, 20, 30, 60];
const SEEDS: [u64; 2] = [7, 2024];

fn slots(intent: Intent, minutes: u32) -> Slots {
    Slots {
        intent: Some(intent),
        duration_minutes: Some(minutes),
        ..Slots::default()
    }
}

/// One case of the grid: what was asked, and what was written.
struct Case {
    content_type: ContentType,
    intent: Intent,
    minutes: u32,
    seed: u64,
    composition: Composition,
}

impl Case {
    fn label(&self) -> String {
        format!(
            "{} {:?} {}min seed {}",
            self.content_type, self.intent, self.minutes, self.seed
        )
    }
}

/// Every content type, intent and grid duration (clamped), with both seeds; written
/// once and shared by the tests that check properties of every script.
fn grid() -> &'static [Case] {
    static GRID: OnceLock<Vec<Case>> = OnceLock::new();
    GRID.get_or_init(|| {
        let mut cases = Vec::new();
        for content_type in ContentType::ALL {
            let (lo, hi) = duration_bounds(content_type);
            for intent in Intent::ALL {
                for minutes in DURATIONS.map(|m| m.clamp(lo, hi)) {
                    for seed in SEEDS {
                        let composition = compose(content_type, &slots(intent, minutes), seed);
                        cases.push(Case {
                            content_type,
                            intent,
                            minutes,
                            seed,
                            composition,
                        });
                    }
                }
            }
        }
        cases
    })
}

fn assert_length(composition: &Composition, minutes: u32, label: &str) {
    let target = f64::from(minutes * 60);
    let actual = f64::from(composition.estimated_seconds);
    assert!(
        (actual - target).abs() <= target * 0.10,
        "{label}: {actual}s for a {target}s request"
    );
}

#[test]
fn duration_lands_within_ten_percent_across_the_grid() {
    for case in grid() {
        let composition = &case.composition;
        assert_length(composition, case.minutes, &case.label());
        assert_eq!(
            composition.estimated_seconds,
            estimate_seconds(&composition.text, Pace::Moderate),
            "{}",
            case.label()
        );
    }
}

#[test]
fn duration_holds_at_every_pace_tone_and_time() {
    let paces = [Pace::Slower, Pace::Moderate, Pace::Faster];
    let tones = [
        Tone::Warm,
        Tone::Gentle,
        Tone::Calm,
        Tone::Uplifting,
        Tone::Grounding,
        Tone::Neutral,
    ];
    for content_type in ContentType::ALL {
        for (i, pace) in paces.into_iter().enumerate() {
            for (j, time) in TimeOfDay::ALL.into_iter().enumerate() {
                for minutes in DURATIONS {
                    let intent = Intent::ALL[(i * 5 + j + minutes as usize) % 12];
                    let request = Slots {
                        pace: Some(pace),
                        time_of_day: Some(time),
                        tone: Some(tones[(i + j) % tones.len()]),
                        name: Some("Sam".into()),
                        context: Some("a big exam on Friday".into()),
                        ..slots(intent, minutes)
                    };
                    let (lo, hi) = duration_bounds(content_type);
                    let composition = compose(content_type, &request, minutes.into());
                    let label = format!("{content_type} {intent:?} {pace:?} {time:?} {minutes}min");
                    assert_length(&composition, minutes.clamp(lo, hi), &label);
                    assert_eq!(
                        composition.estimated_seconds,
                        estimate_seconds(&composition.text, pace)
                    );
                }
            }
        }
    }
}

#[test]
fn every_minute_from_one_to_sixty_fits() {
    let paces = [Pace::Slower, Pace::Moderate, Pace::Faster];
    for content_type in ContentType::ALL {
        let (lo, hi) = duration_bounds(content_type);
        for minutes in 1..=60u32 {
            let index = minutes as usize;
            let request = Slots {
                pace: Some(paces[index % 3]),
                ..slots(Intent::ALL[index % 12], minutes)
            };
            let composition = compose(content_type, &request, minutes.into());
            let label = format!("{content_type} {minutes}min");
            assert_length(&composition, minutes.clamp(lo, hi), &label);
        }
    }
}

#[test]
fn same_seed_same_script_and_other_seed_other_wording() {
    for content_type in ContentType::ALL {
        for intent in Intent::ALL {
            let request = slots(intent, 5);
            let first = compose(content_type, &request, 11);
            assert_eq!(first, compose(content_type, &request, 11));
            assert_ne!(first.text, compose(content_type, &request, 12).text);
        }
    }
}

#[test]
fn pause_marks_are_well_formed_and_parsed() {
    for case in grid() {
        let text = &case.composition.text;
        let mut marks = 0;
        for (at, _) in text.match_indices('[') {
            let rest = &text[at..];
            let end = rest.find(']').expect("a closing bracket");
            let inner = &rest[1..end];
            let digits = inner
                .strip_prefix("pause ")
                .and_then(|mark| mark.strip_suffix('s'))
                .expect("`[pause Ns]`");
            assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{inner}");
            let seconds: u32 = digits.parse().unwrap();
            assert!((1..=120).contains(&seconds), "{inner}");
            marks += 1;
        }
        for line in text.lines().filter(|line| line.contains('[')) {
            assert!(
                line.starts_with("[pause ") && line.ends_with("s]"),
                "mark shares a line: {line}"
            );
        }
        assert_eq!(pauses(text).len(), marks);
        assert!(
            !text.starts_with('[') && !text.ends_with(']'),
            "pause at an edge"
        );
    }
}

#[test]
fn pauses_parses_marks_and_ignores_malformed_ones() {
    let text =
        "Breathe in. [pause 5s] And out. [pause 120s] [pause 0s] [pause 121s] [pause xs] [pause 7s";
    assert_eq!(pauses(text), vec![5, 120]);
    assert_eq!(pauses(""), Vec::<u32>::new());
    assert_eq!(estimate_seconds("[pause 30s]", Pace::Moderate), 30);
    let words = ["word"; 130].join(" ");
    assert_eq!(estimate_seconds(&words, Pace::Moderate), 60);
    assert_eq!(estimate_seconds(&words, Pace::Faster), 52);
    assert_eq!(estimate_seconds(&words, Pace::Slower), 71);
}

#[test]
fn title_names_the_intent_or_time() {
    let keywords: HashMap<Intent, &[&str]> = HashMap::from([
        (Intent::Sleep, &["sleep", "rest", "wind-down"][..]),
        (Intent::Calm, &["calm", "still", "quiet"][..]),
        (Intent::Anxiety, &["steady", "safe", "anxiety"][..]),
        (Intent::Stress, &["stress", "letting go", "unwind"][..]),
        (Intent::Focus, &["focus", "clarity"][..]),
        (
            Intent::Confidence,
            &["confidence", "courage", "strength"][..],
        ),
        (
            Intent::Gratitude,
            &["gratitude", "grateful", "thankful"][..],
        ),
        (Intent::Energy, &["energy", "awake"][..]),
        (Intent::SelfLove, &["love", "kind"][..]),
        (Intent::Healing, &["healing", "renewal"][..]),
        (Intent::Motivation, &["motivation", "momentum", "start"][..]),
        (Intent::Grief, &["grief", "tender"][..]),
    ]);
    for content_type in ContentType::ALL {
        for intent in Intent::ALL {
            for time in TimeOfDay::ALL {
                for seed in 0..4 {
                    let request = Slots {
                        time_of_day: Some(time),
                        ..slots(intent, 5)
                    };
                    let title = compose(content_type, &request, seed).title;
                    let lower = title.to_lowercase();
                    let named = keywords[&intent].iter().any(|k| lower.contains(k))
                        || (time != TimeOfDay::Anytime && lower.contains(time.as_str()));
                    assert!(!title.trim().is_empty() && named, "{title}");
                }
            }
        }
    }
}

#[test]
fn tags_and_depth_follow_the_request() {
    for case in grid() {
        let tags = &case.composition.tags;
        assert!(tags.iter().any(|t| t == case.intent.as_str()));
        assert!(tags.iter().any(|t| t == case.content_type.as_str()));
        assert!(tags.iter().all(|t| *t == t.to_lowercase()));
        let expected = match case.content_type {
            ContentType::Affirmation => Depth::Shallow,
            ContentType::GuidedMeditation if case.minutes >= 20 => Depth::Deep,
            ContentType::GuidedMeditation => Depth::Medium,
            ContentType::Ritual => Depth::Deep,
        };
        assert_eq!(case.composition.depth, expected, "{}", case.label());
    }
}

#[test]
fn no_sentence_is_repeated_more_than_twice() {
    for case in grid() {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for sentence in sentences(&case.composition.text).filter(|s| !s.starts_with("[pause")) {
            *counts.entry(sentence.to_lowercase()).or_default() += 1;
        }
        if let Some((sentence, count)) = counts.iter().find(|&(_, &count)| count > 2) {
            panic!("{}: {sentence:?} x{count}", case.label());
        }
    }
}

#[test]
fn affirmation_sets_have_six_to_twenty_statements_with_room_to_repeat() {
    for minutes in 1..=10 {
        for intent in Intent::ALL {
            let composition = compose(ContentType::Affirmation, &slots(intent, minutes), 3);
            let section = composition
                .sections
                .iter()
                .find(|s| s.kind == SectionKind::Affirmations)
                .expect("an affirmations section");
            let lines: Vec<&str> = section.text.lines().collect();
            let statements: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].starts_with("I "))
                .collect();
            assert!((6..=20).contains(&statements.len()), "{}", statements.len());
            for i in statements {
                let seconds = pauses(lines[i + 1]);
                assert!(
                    seconds.len() == 1 && (3..=6).contains(&seconds[0]),
                    "{}",
                    lines[i + 1]
                );
            }
        }
    }
}

#[test]
fn name_is_used_but_not_overused() {
    for content_type in ContentType::ALL {
        for minutes in [1, 10, 60] {
            let request = Slots {
                name: Some("sam".into()),
                ..slots(Intent::Confidence, minutes)
            };
            let text = compose(content_type, &request, 5).text;
            let uses = text.matches("Sam").count();
            assert!((1..=2).contains(&uses), "{content_type}: {uses} uses");
        }
    }
}

#[test]
fn sleep_meditations_never_wake_the_listener() {
    for time in TimeOfDay::ALL {
        for minutes in DURATIONS {
            for seed in SEEDS {
                let request = Slots {
                    time_of_day: Some(time),
                    ..slots(Intent::Sleep, minutes)
                };
                let text = compose(ContentType::GuidedMeditation, &request, seed).text;
                let lower = text.to_lowercase();
                assert!(!lower.contains("open your eyes"), "{time:?} {minutes}");
                assert!(!lower.contains("open them"), "{time:?} {minutes}");
            }
        }
    }
}

#[test]
fn context_is_quoted_once_and_trimmed() {
    let long = "my sister's wedding is on saturday and I have to give a speech in front of \
                two hundred people and I keep rehearsing it in my head at night [pause 99s] \
                *** https://example.com and I cannot stop thinking about it";
    for context in ["a big exam on Friday", long] {
        for minutes in [3, 12, 60] {
            let request = Slots {
                context: Some(context.into()),
                ..slots(Intent::Anxiety, minutes)
            };
            let composition = compose(ContentType::Ritual, &request, 9);
            let text = &composition.text;
            let quotes: Vec<&str> = text.split('"').skip(1).step_by(2).collect();
            assert_eq!(quotes.len(), 1, "{text}");
            assert!(quotes[0].chars().count() <= 120, "{}", quotes[0]);
            assert!(context.starts_with(quotes[0].split(' ').next().unwrap()));
            assert_eq!(pauses(text).len(), text.matches('[').count());
            assert!(!text.contains("http") && !text.contains('*'));
        }
    }
}

#[test]
fn context_about_self_harm_is_not_read_back() {
    let request = Slots {
        context: Some("I want to die".into()),
        ..slots(Intent::Grief, 12)
    };
    let text = compose(ContentType::Ritual, &request, 1).text;
    assert!(!text.contains('"') && !text.contains("want to die"));
}

#[test]
fn empty_and_odd_slots_do_not_panic() {
    let odd = Slots {
        duration_minutes: Some(0),
        name: Some("   \u{1F600} ".into()),
        context: Some("[]{}<>".into()),
        ..Slots::default()
    };
    let huge = Slots {
        duration_minutes: Some(10_000),
        name: Some("Ana-Lucía O'Neil".into()),
        ..Slots::default()
    };
    for content_type in ContentType::ALL {
        for seed in 0..5 {
            for request in [&Slots::default(), &odd, &huge] {
                let composition = compose(content_type, request, seed);
                assert!(!composition.text.is_empty() && !composition.title.is_empty());
            }
        }
        let default = compose(content_type, &Slots::default(), 0);
        let minutes = match content_type {
            ContentType::Affirmation => 2,
            ContentType::GuidedMeditation => 10,
            ContentType::Ritual => 12,
        };
        assert_length(&default, minutes, "defaults");
        assert!(default.tags.iter().any(|t| t == "calm"));
    }
}

#[test]
fn scripts_are_plain_spoken_text() {
    for case in grid() {
        let composition = &case.composition;
        let text = &composition.text;
        assert!(text.is_ascii(), "non-ASCII in {}", case.label());
        for forbidden in ["*", "#", "_", "`", "{", "}", "..", " ,", "  "] {
            assert!(!text.contains(forbidden), "{forbidden:?} in {text}");
        }
        let lower = text.to_lowercase();
        for word in [" ai ", "artificial", "language model", "cure", "diagnos"] {
            assert!(!lower.contains(word), "{word:?} in {}", case.label());
        }
        let joined = composition
            .sections
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n");
        assert_eq!(&joined, text);
    }
}

#[test]
fn composition_round_trips_through_json() {
    let composition = compose(ContentType::Ritual, &slots(Intent::Focus, 12), 4);
    let json = serde_json::to_string(&composition).unwrap();
    assert!(json.contains("\"kind\":\"intention\""));
    let back: Composition = serde_json::from_str(&json).unwrap();
    assert_eq!(back, composition);
}
