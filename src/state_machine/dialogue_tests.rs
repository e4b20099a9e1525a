//! The dialogue machine driven event by event, with no I/O: the states it visits and
//! the effects it asks for, per content type.

use statig::prelude::*;
use uuid::Uuid;

use super::dialogue::{
    Dialogue, Effect, Event, MAX_GATHERING_TURNS, Personal, Refusal, UserMessage, Utterance,
    state_name,
};
use super::extract::extract;
use super::reaction::reaction;
use super::safety::{RiskCategory, RiskLevel, SafetyAssessment};
use super::slots::{Intent, SlotName, Slots, TimeOfDay, VoiceStyle};
use crate::domain::{ContentType, Pace, Tone};

fn safe() -> SafetyAssessment {
    SafetyAssessment {
        level: RiskLevel::None,
        category: None,
        signals: Vec::new(),
    }
}

fn risky(level: RiskLevel) -> SafetyAssessment {
    SafetyAssessment {
        level,
        category: Some(RiskCategory::Suicide),
        signals: vec!["want to die".into()],
    }
}

fn say(text: &str, slots: Slots) -> Event {
    Event::Message(UserMessage {
        text: text.into(),
        slots,
        safety: safe(),
        reaction: reaction(text),
    })
}

fn say_risky(text: &str, level: RiskLevel) -> Event {
    Event::Message(UserMessage {
        text: text.into(),
        slots: Slots::default(),
        safety: risky(level),
        reaction: reaction(text),
    })
}

/// A machine under test: every event's effects and the state after it.
struct Run {
    machine: StateMachine<Dialogue>,
}

impl Run {
    fn new(dialogue: Dialogue) -> Run {
        Run {
            machine: dialogue.state_machine(),
        }
    }

    fn of(content_type: ContentType) -> Run {
        Run::new(Dialogue::new(
            content_type,
            Personal {
                pace: Pace::Slower,
                tone: Tone::Gentle,
            },
        ))
    }

    fn send(&mut self, event: Event) -> Vec<Effect> {
        let mut effects = Vec::new();
        self.machine.handle_with_context(&event, &mut effects);
        effects
    }

    fn state(&self) -> &'static str {
        state_name(self.machine.state())
    }

    fn dialogue(&self) -> &Dialogue {
        self.machine.inner()
    }

    /// Sends the events and returns the states visited after each.
    fn walk(&mut self, events: Vec<Event>) -> Vec<&'static str> {
        events
            .into_iter()
            .map(|e| {
                self.send(e);
                self.state()
            })
            .collect()
    }
}

fn intent(i: Intent) -> Slots {
    Slots {
        intent: Some(i),
        ..Slots::default()
    }
}

fn asks(effects: &[Effect]) -> Option<SlotName> {
    effects.iter().find_map(|e| match e {
        Effect::Say(Utterance::Ask { slot, .. })
        | Effect::Say(Utterance::Greeting { ask: slot }) => Some(*slot),
        _ => None,
    })
}

fn summarises(effects: &[Effect]) -> bool {
    effects
        .iter()
        .any(|e| matches!(e, Effect::Say(Utterance::Summary { .. })))
}

/// Confirm, start, progress, succeed: the common tail of every happy path.
fn generate_to_completion(run: &mut Run) -> Uuid {
    let effects = run.send(Event::Confirm);
    assert_eq!(run.state(), "Generating");
    assert_eq!(effects, vec![Effect::StartGeneration { attempt: 1 }]);
    let content_id = Uuid::now_v7();
    let effects = run.send(Event::GenerationStarted { content_id });
    assert_eq!(effects, vec![Effect::Say(Utterance::Generating)]);
    let effects = run.send(Event::GenerationProgress {
        stage: "text".into(),
        percent: 50,
    });
    assert_eq!(
        effects,
        vec![Effect::Progress {
            stage: "text".into(),
            percent: 50
        }]
    );
    // Confirming again while generating starts nothing.
    assert!(run.send(Event::Confirm).is_empty());
    let effects = run.send(Event::GenerationSucceeded { content_id });
    assert_eq!(
        effects,
        vec![
            Effect::Finished { content_id },
            Effect::Say(Utterance::Completed),
            Effect::Close,
        ]
    );
    assert_eq!(run.state(), "Complete");
    assert_eq!(run.dialogue().content_id, Some(content_id));
    content_id
}

#[test]
fn an_affirmation_needs_only_its_intent() {
    let mut run = Run::of(ContentType::Affirmation);
    assert_eq!(run.state(), "Greeting");
    let effects = run.send(Event::Begin);
    assert_eq!(run.state(), "IntentDiscovery");
    assert_eq!(
        effects,
        vec![Effect::Say(Utterance::Greeting {
            ask: SlotName::Intent
        })]
    );
    let effects = run.send(say("I need confidence", intent(Intent::Confidence)));
    assert_eq!(run.state(), "Confirmation");
    assert_eq!(
        effects,
        vec![Effect::Say(Utterance::Summary {
            learned: vec![SlotName::Intent]
        })]
    );
    generate_to_completion(&mut run);
    // Resolved from the profile and the defaults.
    let slots = &run.dialogue().slots;
    assert_eq!(slots.duration_minutes, Some(2));
    assert_eq!(slots.tone, Some(Tone::Gentle));
    assert_eq!(slots.pace, Some(Pace::Slower));
    // A finished conversation only says it is finished.
    let effects = run.send(say("hello?", Slots::default()));
    assert_eq!(effects, vec![Effect::Say(Utterance::Closed)]);
    assert_eq!(run.state(), "Complete");
}

#[test]
fn a_guided_meditation_asks_when_how_long_and_how_it_sounds() {
    let mut run = Run::of(ContentType::GuidedMeditation);
    let visited = run.walk(vec![
        Event::Begin,
        say("something for sleep", intent(Intent::Sleep)),
        say(
            "in the evening, ten minutes",
            Slots {
                time_of_day: Some(TimeOfDay::Evening),
                duration_minutes: Some(10),
                ..Slots::default()
            },
        ),
        say("that's fine", Slots::default()),
    ]);
    assert_eq!(
        visited,
        vec![
            "IntentDiscovery",
            "PracticeDetails",
            "Personalization",
            "Confirmation"
        ]
    );
    assert_eq!(run.dialogue().settled, vec![SlotName::Voice]);
    generate_to_completion(&mut run);
}

#[test]
fn the_duration_is_asked_when_only_the_time_was_given() {
    let mut run = Run::of(ContentType::GuidedMeditation);
    run.send(Event::Begin);
    run.send(say("calm", intent(Intent::Calm)));
    let effects = run.send(say(
        "mornings",
        Slots {
            time_of_day: Some(TimeOfDay::Morning),
            ..Slots::default()
        },
    ));
    assert_eq!(run.state(), "PracticeDetails");
    assert_eq!(
        effects,
        vec![Effect::Say(Utterance::Ask {
            slot: SlotName::Duration,
            learned: vec![SlotName::TimeOfDay],
            again: false
        })]
    );
}

#[test]
fn a_ritual_also_asks_about_the_persons_situation() {
    let mut run = Run::of(ContentType::Ritual);
    let visited = run.walk(vec![
        Event::Begin,
        say("focus", intent(Intent::Focus)),
        say(
            "I have exams next week",
            Slots {
                context: Some("I have exams next week".into()),
                ..Slots::default()
            },
        ),
        say(
            "mornings",
            Slots {
                time_of_day: Some(TimeOfDay::Morning),
                ..Slots::default()
            },
        ),
        say(
            "20 minutes",
            Slots {
                duration_minutes: Some(20),
                ..Slots::default()
            },
        ),
        say(
            "a female voice, nice and slow",
            Slots {
                voice: Some(VoiceStyle::Female),
                pace: Some(Pace::Slower),
                ..Slots::default()
            },
        ),
    ]);
    assert_eq!(
        visited,
        vec![
            "IntentDiscovery",
            "ContextGathering",
            "PracticeDetails",
            "PracticeDetails",
            "Personalization",
            "Confirmation"
        ]
    );
    generate_to_completion(&mut run);
    assert_eq!(run.dialogue().slots.voice, Some(VoiceStyle::Female));
}

#[test]
fn the_situation_can_be_skipped() {
    let mut run = Run::of(ContentType::Ritual);
    run.walk(vec![
        Event::Begin,
        say("gratitude", intent(Intent::Gratitude)),
    ]);
    assert_eq!(run.state(), "ContextGathering");
    let effects = run.send(say("skip", Slots::default()));
    assert_eq!(run.state(), "PracticeDetails");
    assert_eq!(asks(&effects), Some(SlotName::TimeOfDay));
    assert_eq!(run.dialogue().slots.context, None);
}

#[test]
fn everything_at_once_goes_straight_to_the_summary() {
    let mut run = Run::of(ContentType::GuidedMeditation);
    run.send(Event::Begin);
    let effects = run.send(say(
        "a 15 minute evening meditation for anxiety with a calm male voice",
        Slots {
            intent: Some(Intent::Anxiety),
            time_of_day: Some(TimeOfDay::Evening),
            duration_minutes: Some(15),
            voice: Some(VoiceStyle::Male),
            tone: Some(Tone::Calm),
            ..Slots::default()
        },
    ));
    assert_eq!(run.state(), "Confirmation");
    assert!(summarises(&effects));
}

#[test]
fn a_known_intent_at_start_skips_its_question() {
    let dialogue = Dialogue::new(ContentType::Affirmation, Personal::default())
        .with_slots(intent(Intent::Energy));
    let mut run = Run::new(dialogue);
    let effects = run.send(Event::Begin);
    assert_eq!(run.state(), "Confirmation");
    assert!(summarises(&effects));
}

#[test]
fn an_answer_that_says_nothing_brings_the_same_question_again() {
    let mut run = Run::of(ContentType::GuidedMeditation);
    run.send(Event::Begin);
    let effects = run.send(say("hmm, not sure", Slots::default()));
    assert_eq!(run.state(), "IntentDiscovery");
    assert_eq!(
        effects,
        vec![Effect::Say(Utterance::Ask {
            slot: SlotName::Intent,
            learned: vec![],
            again: true
        })]
    );
}

#[test]
fn a_stuck_conversation_reaches_the_summary_with_defaults() {
    let mut run = Run::of(ContentType::Ritual);
    run.send(Event::Begin);
    for _ in 1..MAX_GATHERING_TURNS {
        run.send(say("I don't know", Slots::default()));
        assert_eq!(run.state(), "IntentDiscovery");
    }
    let effects = run.send(say("I don't know", Slots::default()));
    assert_eq!(run.state(), "Confirmation");
    assert!(summarises(&effects));
    let slots = &run.dialogue().slots;
    assert_eq!(slots.intent, Some(Intent::Calm));
    assert_eq!(slots.time_of_day, Some(TimeOfDay::Anytime));
    assert_eq!(slots.duration_minutes, Some(12));
    generate_to_completion(&mut run);
}

#[test]
fn one_detail_can_be_edited_from_the_summary() {
    let mut run = Run::of(ContentType::GuidedMeditation);
    run.walk(vec![
        Event::Begin,
        say(
            "sleep, at night, 10 minutes, whatever voice",
            Slots {
                intent: Some(Intent::Sleep),
                time_of_day: Some(TimeOfDay::Night),
                duration_minutes: Some(10),
                tone: Some(Tone::Calm),
                ..Slots::default()
            },
        ),
    ]);
    assert_eq!(run.state(), "Confirmation");

    let effects = run.send(Event::Edit(SlotName::Duration));
    assert_eq!(run.state(), "PracticeDetails");
    assert_eq!(asks(&effects), Some(SlotName::Duration));
    assert_eq!(run.dialogue().slots.duration_minutes, None);
    assert!(run.dialogue().editing);

    // A useless answer to a required slot: asked again, still editing.
    run.send(say("hmm", Slots::default()));
    assert_eq!(run.state(), "PracticeDetails");
    assert!(run.dialogue().editing);

    let effects = run.send(say(
        "five",
        Slots {
            duration_minutes: Some(5),
            ..Slots::default()
        },
    ));
    assert_eq!(run.state(), "Confirmation");
    assert!(summarises(&effects));
    assert!(!run.dialogue().editing);
    assert_eq!(run.dialogue().slots.duration_minutes, Some(5));
    assert_eq!(run.dialogue().slots.intent, Some(Intent::Sleep));

    // Editing the voice asks for the voice alone and returns to the summary.
    let effects = run.send(Event::Edit(SlotName::Voice));
    assert_eq!(run.state(), "Personalization");
    assert_eq!(asks(&effects), Some(SlotName::Voice));
    run.send(say(
        "male",
        Slots {
            voice: Some(VoiceStyle::Male),
            ..Slots::default()
        },
    ));
    assert_eq!(run.state(), "Confirmation");
}

#[test]
fn the_summary_understands_yes_no_changes_and_cancel() {
    let mut run = Run::of(ContentType::Affirmation);
    run.walk(vec![Event::Begin, say("sleep", intent(Intent::Sleep))]);

    let effects = run.send(say("make it about focus instead", intent(Intent::Focus)));
    assert_eq!(run.state(), "Confirmation");
    assert_eq!(
        effects,
        vec![Effect::Say(Utterance::Summary {
            learned: vec![SlotName::Intent]
        })]
    );
    let effects = run.send(say("no", Slots::default()));
    assert_eq!(effects, vec![Effect::Say(Utterance::WhatToChange)]);
    let effects = run.send(say("what do you mean?", Slots::default()));
    assert_eq!(effects, vec![Effect::Say(Utterance::ConfirmPrompt)]);
    assert_eq!(run.state(), "Confirmation");
    let effects = run.send(say("yes please", Slots::default()));
    assert_eq!(run.state(), "Generating");
    assert_eq!(effects, vec![Effect::StartGeneration { attempt: 1 }]);

    let mut run = Run::of(ContentType::Affirmation);
    run.walk(vec![Event::Begin, say("sleep", intent(Intent::Sleep))]);
    let effects = run.send(say("never mind", Slots::default()));
    assert_eq!(run.state(), "Cancelled");
    assert_eq!(
        effects,
        vec![Effect::Say(Utterance::Cancelled), Effect::Close]
    );
}

#[test]
fn not_enough_credits_returns_to_the_summary() {
    let mut run = Run::of(ContentType::Ritual);
    let dialogue = Dialogue::new(ContentType::Ritual, Personal::default()).with_slots(Slots {
        intent: Some(Intent::Healing),
        context: Some("after a breakup".into()),
        time_of_day: Some(TimeOfDay::Evening),
        duration_minutes: Some(15),
        tone: Some(Tone::Warm),
        ..Slots::default()
    });
    run.machine = dialogue.state_machine();
    run.send(Event::Begin);
    assert_eq!(run.state(), "Confirmation");
    run.send(Event::Confirm);
    let effects = run.send(Event::GenerationRefused(Refusal::InsufficientCredits {
        required: 3,
        available: 1,
    }));
    assert_eq!(run.state(), "Confirmation");
    assert_eq!(
        effects,
        vec![Effect::Say(Utterance::InsufficientCredits {
            required: 3,
            available: 1
        })]
    );
    // Nothing was held: confirming again is the same attempt (the same hold key).
    assert_eq!(
        run.send(Event::Confirm),
        vec![Effect::StartGeneration { attempt: 1 }]
    );
    let effects = run.send(Event::GenerationRefused(Refusal::Unavailable));
    assert_eq!(run.state(), "Confirmation");
    assert_eq!(effects, vec![Effect::Say(Utterance::Unavailable)]);
    assert_eq!(
        run.send(Event::Confirm),
        vec![Effect::StartGeneration { attempt: 1 }]
    );
}

#[test]
fn a_failed_generation_can_be_retried_or_dropped() {
    let mut run = Run::of(ContentType::Affirmation);
    run.walk(vec![
        Event::Begin,
        say("calm", intent(Intent::Calm)),
        Event::Confirm,
    ]);
    let effects = run.send(Event::GenerationFailed {
        code: "GENERATION_FAILED".into(),
        refunded: true,
    });
    assert_eq!(run.state(), "Failed");
    assert_eq!(
        effects,
        vec![
            Effect::Failed {
                code: "GENERATION_FAILED".into(),
                refunded: true
            },
            Effect::Say(Utterance::GenerationFailed { refunded: true }),
        ]
    );
    let effects = run.send(say("try again? yes", Slots::default()));
    assert_eq!(run.state(), "Failed");
    assert_eq!(
        effects,
        vec![Effect::Say(Utterance::GenerationFailed { refunded: true })]
    );
    assert_eq!(
        run.send(Event::Confirm),
        vec![Effect::StartGeneration { attempt: 2 }]
    );
    assert_eq!(run.state(), "Generating");
    run.send(Event::GenerationFailed {
        code: "GENERATION_FAILED".into(),
        refunded: true,
    });
    assert_eq!(
        run.send(say("yes", Slots::default())),
        vec![Effect::StartGeneration { attempt: 3 }]
    );
    run.send(Event::GenerationFailed {
        code: "GENERATION_FAILED".into(),
        refunded: true,
    });
    let effects = run.send(Event::Cancel);
    assert_eq!(run.state(), "Cancelled");
    assert!(effects.contains(&Effect::Close));
}

#[test]
fn high_risk_holds_the_conversation_wherever_it_is() {
    let paths: Vec<(&str, Vec<Event>)> = vec![
        ("gathering", vec![Event::Begin]),
        (
            "confirmation",
            vec![Event::Begin, say("sleep", intent(Intent::Sleep))],
        ),
        (
            "generating",
            vec![
                Event::Begin,
                say("sleep", intent(Intent::Sleep)),
                Event::Confirm,
            ],
        ),
        (
            "failed",
            vec![
                Event::Begin,
                say("sleep", intent(Intent::Sleep)),
                Event::Confirm,
                Event::GenerationFailed {
                    code: "X".into(),
                    refunded: true,
                },
            ],
        ),
    ];
    for (label, setup) in paths {
        let mut run = Run::of(ContentType::Affirmation);
        run.walk(setup);
        let effects = run.send(say_risky("I want to die", RiskLevel::High));
        assert_eq!(run.state(), "SafetyHold", "{label}");
        assert_eq!(
            effects,
            vec![
                Effect::RaiseAlert(risky(RiskLevel::High)),
                Effect::ShowResources,
                Effect::Say(Utterance::SafetyHold),
            ],
            "{label}"
        );
    }
}

#[test]
fn the_safety_hold_never_generates() {
    let mut run = Run::of(ContentType::GuidedMeditation);
    run.send(Event::Begin);
    run.send(say_risky(
        "I'm going to end it tonight",
        RiskLevel::Critical,
    ));
    assert_eq!(
        run.send(Event::Confirm),
        vec![Effect::Say(Utterance::GenerationBlocked)]
    );
    assert_eq!(
        run.send(Event::Edit(SlotName::Duration)),
        vec![Effect::Say(Utterance::GenerationBlocked)]
    );
    // An ordinary message keeps the resources in view; a new high-risk one raises a new alert.
    assert_eq!(
        run.send(say("sleep please", intent(Intent::Sleep))),
        vec![Effect::ShowResources, Effect::Say(Utterance::SafetyHold)]
    );
    let effects = run.send(say_risky("I want to die", RiskLevel::High));
    assert_eq!(effects[0], Effect::RaiseAlert(risky(RiskLevel::High)));
    assert_eq!(run.state(), "SafetyHold");
    let effects = run.send(Event::Cancel);
    assert_eq!(run.state(), "Cancelled");
    assert!(effects.contains(&Effect::Close));
}

#[test]
fn distress_is_acknowledged_without_stopping() {
    let mut run = Run::of(ContentType::Affirmation);
    run.send(Event::Begin);
    let event = Event::Message(UserMessage {
        text: "I feel hopeless about work, I need confidence".into(),
        slots: intent(Intent::Confidence),
        safety: SafetyAssessment {
            level: RiskLevel::Medium,
            category: Some(RiskCategory::Distress),
            signals: vec!["hopeless".into()],
        },
        reaction: super::reaction::Reaction::Other,
    });
    let effects = run.send(event);
    assert_eq!(run.state(), "Confirmation");
    assert_eq!(effects[0], Effect::ShowResources);
    assert_eq!(effects[1], Effect::Say(Utterance::SupportNote));
    assert!(summarises(&effects));
}

#[test]
fn cancel_ends_the_conversation() {
    for event in [Event::Cancel, say("cancel", Slots::default())] {
        let mut run = Run::of(ContentType::Ritual);
        run.send(Event::Begin);
        let effects = run.send(event);
        assert_eq!(run.state(), "Cancelled");
        assert_eq!(
            effects,
            vec![Effect::Say(Utterance::Cancelled), Effect::Close]
        );
        assert_eq!(
            run.send(say("hi", Slots::default())),
            vec![Effect::Say(Utterance::Closed)]
        );
        assert!(run.send(Event::Confirm).is_empty());
    }
    let mut run = Run::of(ContentType::Affirmation);
    run.walk(vec![Event::Begin, say("sleep", intent(Intent::Sleep))]);
    assert_eq!(
        run.send(Event::Cancel),
        vec![Effect::Say(Utterance::Cancelled), Effect::Close]
    );
}

#[test]
fn confirming_before_the_summary_repeats_the_question() {
    let mut run = Run::of(ContentType::GuidedMeditation);
    run.send(Event::Begin);
    assert_eq!(
        run.send(Event::Confirm),
        vec![Effect::Say(Utterance::Ask {
            slot: SlotName::Intent,
            learned: vec![],
            again: true
        })]
    );
    assert_eq!(run.state(), "IntentDiscovery");
}

#[test]
fn the_return_loop_starts_from_an_existing_item() {
    let source = Uuid::now_v7();
    let dialogue = Dialogue::new(ContentType::GuidedMeditation, Personal::default()).revising(
        source,
        Slots {
            intent: Some(Intent::Sleep),
            time_of_day: Some(TimeOfDay::Night),
            duration_minutes: Some(10),
            ..Slots::default()
        },
    );
    let mut run = Run::new(dialogue);
    let effects = run.send(Event::Begin);
    assert_eq!(run.state(), "Confirmation");
    assert_eq!(effects, vec![Effect::Say(Utterance::Revision)]);
    run.send(say(
        "make it 20 minutes",
        Slots {
            duration_minutes: Some(20),
            ..Slots::default()
        },
    ));
    assert_eq!(run.dialogue().slots.duration_minutes, Some(20));
    assert_eq!(run.dialogue().source_content_id, Some(source));
    generate_to_completion(&mut run);
}

#[test]
fn durations_are_kept_within_what_the_content_type_can_be() {
    let mut run = Run::of(ContentType::Affirmation);
    run.send(Event::Begin);
    run.send(say(
        "sleep, an hour",
        Slots {
            intent: Some(Intent::Sleep),
            duration_minutes: Some(60),
            ..Slots::default()
        },
    ));
    assert_eq!(run.dialogue().slots.duration_minutes, Some(10));
}

#[test]
fn a_snapshot_resumes_exactly_where_it_was() {
    let mut run = Run::of(ContentType::Ritual);
    run.walk(vec![Event::Begin, say("focus", intent(Intent::Focus))]);
    let snapshot = serde_json::to_string(&run.machine).unwrap();
    let mut resumed = Run {
        machine: serde_json::from_str(&snapshot).unwrap(),
    };
    assert_eq!(resumed.state(), "ContextGathering");
    assert_eq!(resumed.dialogue(), run.dialogue());
    let next = say("skip", Slots::default());
    assert_eq!(resumed.send(next.clone()), run.send(next));
    assert_eq!(resumed.state(), run.state());
    assert_eq!(resumed.state(), "PracticeDetails");
}

/// A summary of a 10-minute evening sleep meditation, in Confirmation.
fn at_the_summary() -> Run {
    let mut run = Run::of(ContentType::GuidedMeditation);
    run.walk(vec![
        Event::Begin,
        say(
            "sleep, in the evening, 10 minutes, a calm voice",
            Slots {
                intent: Some(Intent::Sleep),
                time_of_day: Some(TimeOfDay::Evening),
                duration_minutes: Some(10),
                tone: Some(Tone::Calm),
                ..Slots::default()
            },
        ),
    ]);
    assert_eq!(run.state(), "Confirmation");
    run
}

fn starts_generation(effects: &[Effect]) -> bool {
    effects
        .iter()
        .any(|e| matches!(e, Effect::StartGeneration { .. }))
}

/// A message as the offline reader understands it, for a machine not asking anything.
fn heard(text: &str) -> Event {
    say(text, extract(text, None))
}

#[test]
fn a_yes_with_a_change_at_the_summary_does_not_generate() {
    // The change is read: the summary comes again with it, nothing starts.
    let mut run = at_the_summary();
    let effects = run.send(heard("yes but make it 20 minutes"));
    assert!(!starts_generation(&effects), "{effects:?}");
    assert_eq!(run.state(), "Confirmation");
    assert_eq!(
        effects,
        vec![Effect::Say(Utterance::Summary {
            learned: vec![SlotName::Duration]
        })]
    );
    assert_eq!(run.dialogue().slots.duration_minutes, Some(20));
    assert_eq!(run.dialogue().attempts, 0);

    // Said again (nothing new to learn), or with the change not understood: still no
    // generation, and the person is asked what to change.
    for text in [
        "yes but make it 20 minutes",
        "yes but change the voice",
        "ok wait",
        "great, but make it shorter",
        "okay no, change the length",
    ] {
        let effects = run.send(say(text, Slots::default()));
        assert!(!starts_generation(&effects), "{text}: {effects:?}");
        assert_eq!(
            effects,
            vec![Effect::Say(Utterance::WhatToChange)],
            "{text}"
        );
        assert_eq!(run.state(), "Confirmation", "{text}");
    }
    // A no that is really a yes is not a no; nor is it a yes.
    let effects = run.send(say("no that's perfect", Slots::default()));
    assert_eq!(effects, vec![Effect::Say(Utterance::ConfirmPrompt)]);
    // A plain yes still starts it.
    let effects = run.send(say("perfect, thanks", Slots::default()));
    assert_eq!(effects, vec![Effect::StartGeneration { attempt: 1 }]);
}

#[test]
fn an_edit_after_the_turn_limit_is_asked_again_not_defaulted() {
    let mut run = Run::of(ContentType::GuidedMeditation);
    run.send(Event::Begin);
    for _ in 0..MAX_GATHERING_TURNS {
        run.send(say("I don't know", Slots::default()));
    }
    assert_eq!(run.state(), "Confirmation");
    assert!(run.dialogue().turns >= MAX_GATHERING_TURNS);

    let effects = run.send(Event::Edit(SlotName::Duration));
    assert_eq!(asks(&effects), Some(SlotName::Duration));
    for _ in 0..3 {
        let effects = run.send(say("hmm", Slots::default()));
        assert_eq!(run.state(), "PracticeDetails");
        assert_eq!(
            effects,
            vec![Effect::Say(Utterance::Ask {
                slot: SlotName::Duration,
                learned: vec![],
                again: true
            })]
        );
        assert_eq!(run.dialogue().slots.duration_minutes, None);
    }
    let effects = run.send(say(
        "twenty",
        Slots {
            duration_minutes: Some(20),
            ..Slots::default()
        },
    ));
    // Only the edited detail was asked; the summary comes back with it.
    assert_eq!(run.state(), "Confirmation");
    assert!(summarises(&effects));
    assert!(!run.dialogue().editing);
    assert_eq!(run.dialogue().slots.duration_minutes, Some(20));
}

#[test]
fn an_edit_while_gathering_asks_for_that_detail_then_resumes() {
    let mut run = Run::of(ContentType::GuidedMeditation);
    run.walk(vec![Event::Begin, say("sleep", intent(Intent::Sleep))]);
    assert_eq!(run.state(), "PracticeDetails");
    assert_eq!(run.dialogue().asking, Some(SlotName::TimeOfDay));

    // Changing the focus before the summary: forgotten, and asked for.
    let effects = run.send(Event::Edit(SlotName::Intent));
    assert_eq!(
        effects,
        vec![Effect::Say(Utterance::Ask {
            slot: SlotName::Intent,
            learned: vec![],
            again: false
        })]
    );
    assert_eq!(run.state(), "IntentDiscovery");
    assert_eq!(run.dialogue().slots.intent, None);
    assert!(run.dialogue().editing);

    // The answer is taken, and the question left off comes next.
    let effects = run.send(say("focus", intent(Intent::Focus)));
    assert_eq!(
        effects,
        vec![Effect::Say(Utterance::Ask {
            slot: SlotName::TimeOfDay,
            learned: vec![SlotName::Intent],
            again: false
        })]
    );
    assert_eq!(run.state(), "PracticeDetails");
    assert!(!run.dialogue().editing);
    assert_eq!(run.dialogue().slots.intent, Some(Intent::Focus));

    // A later detail can be edited out of order too: asked until answered, then back.
    let effects = run.send(Event::Edit(SlotName::Duration));
    assert_eq!(asks(&effects), Some(SlotName::Duration));
    let effects = run.send(say("hmm", Slots::default()));
    assert_eq!(asks(&effects), Some(SlotName::Duration));
    let effects = run.send(say(
        "five minutes",
        Slots {
            duration_minutes: Some(5),
            ..Slots::default()
        },
    ));
    assert_eq!(asks(&effects), Some(SlotName::TimeOfDay));
}
