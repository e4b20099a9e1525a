//! The words of the offline guide: every [`Utterance`] as a sentence, from templates.
//! Variants rotate with the turn count so a long conversation does not repeat itself.

use super::dialogue::{Dialogue, Utterance};
use super::slots::{SlotName, Slots};
use crate::domain::{ContentType, Pace, Tone};

/// Everything the machine said in one turn, as one reply.
pub fn render_all<'a>(
    utterances: impl IntoIterator<Item = &'a Utterance>,
    dialogue: &Dialogue,
    cost: i64,
) -> String {
    utterances
        .into_iter()
        .map(|u| render(u, dialogue, cost))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One utterance as text. `cost` is what generating the item takes, in credits.
pub fn render(utterance: &Utterance, dialogue: &Dialogue, cost: i64) -> String {
    let noun = dialogue.content_type.noun();
    match utterance {
        Utterance::Greeting { ask } => format!(
            "{} I'd be glad to help you create a personal {noun}. {}",
            pick(
                &["Hello!", "Hi, welcome.", "Hello, and welcome."],
                dialogue.turns
            ),
            question(*ask, dialogue)
        ),
        Utterance::Revision => format!(
            "Let's make a new version of your {noun}. {} Tell me what to change, or say yes to \
             create it as it is.",
            summary_sentence(dialogue)
        ),
        Utterance::Ask {
            slot,
            learned,
            again,
        } => {
            let mut parts = Vec::new();
            if *again {
                parts.push(
                    pick(
                        &[
                            "Sorry, I didn't quite catch that.",
                            "I'm not sure I understood.",
                            "Let me ask that another way.",
                        ],
                        dialogue.turns,
                    )
                    .to_owned(),
                );
            } else if let Some(ack) = acknowledge(learned, &dialogue.slots, dialogue.turns) {
                parts.push(ack);
            }
            parts.push(question(*slot, dialogue));
            parts.join(" ")
        }
        Utterance::Summary { learned } => {
            let mut parts = Vec::new();
            if let Some(ack) = acknowledge(learned, &dialogue.slots, dialogue.turns) {
                parts.push(ack);
            }
            parts.push(summary_sentence(dialogue));
            parts.push(format!(
                "It uses {cost} credit{}. Shall I create it? You can also change any detail.",
                if cost == 1 { "" } else { "s" }
            ));
            parts.join(" ")
        }
        Utterance::ConfirmPrompt => format!(
            "Shall I create your {noun}? Say yes to begin, tell me what to change, or cancel."
        ),
        Utterance::WhatToChange => "Of course. What would you like to change: the focus, the \
             time, the length, or the voice?"
            .to_owned(),
        Utterance::InsufficientCredits {
            required,
            available,
        } => format!(
            "This {noun} needs {required} credit{} and you have {available} available. You can \
             get more credits, or choose a shorter kind of practice.",
            if *required == 1 { "" } else { "s" }
        ),
        Utterance::Unavailable => format!(
            "I couldn't start creating your {noun} just now. Say yes to try again in a moment."
        ),
        Utterance::Generating => {
            format!("Wonderful. I'm creating your {noun} now; it will be ready in a moment.")
        }
        Utterance::StillGenerating => {
            format!("Your {noun} is still being created. It will be ready shortly.")
        }
        Utterance::Completed => {
            format!("Your {noun} is ready and saved in your library. Replay it whenever you like.")
        }
        Utterance::GenerationFailed { refunded } => format!(
            "I'm sorry, something went wrong while creating your {noun}.{} Say yes to try \
             again, or cancel.",
            if *refunded {
                " No credits were used."
            } else {
                ""
            }
        ),
        Utterance::Cancelled => {
            "No problem, I've stopped here. Come back whenever you like.".to_owned()
        }
        Utterance::Closed => {
            "This conversation is finished. Start a new one to create something else.".to_owned()
        }
        Utterance::SafetyHold => "I'm really sorry you're going through this. You deserve \
             support right now, and you don't have to face it alone. I've shared people you can \
             reach straight away; if you are in immediate danger, please call your local \
             emergency number. I won't create a practice right now, but I'm here with you."
            .to_owned(),
        Utterance::SupportNote => "That sounds like a lot to carry. I've added some support \
             resources in case they help."
            .to_owned(),
        Utterance::GenerationBlocked => "I can't create a practice right now. Please reach out \
             to one of the people listed; they are there to help."
            .to_owned(),
    }
}

fn pick<'a>(variants: &[&'a str], turn: u32) -> &'a str {
    variants[turn as usize % variants.len()]
}

fn question(slot: SlotName, dialogue: &Dialogue) -> String {
    let noun = dialogue.content_type.noun();
    let turn = dialogue.turns;
    match slot {
        SlotName::Intent => format!(
            "{} For example sleep, calm, focus, confidence, gratitude or self-love.",
            pick(
                &[
                    &format!("What would you like this {noun} to help you with?"),
                    &format!("What should your {noun} be about?"),
                ],
                turn
            )
        ),
        SlotName::Context => "Tell me a little about what's going on for you, so the ritual \
             fits your life. You can also say skip."
            .to_owned(),
        SlotName::TimeOfDay => pick(
            &[
                "When would you like to practise: morning, afternoon, evening or before bed?",
                "What time of day is this for: morning, midday, evening or night?",
            ],
            turn,
        )
        .to_owned(),
        SlotName::Duration => {
            let (min, max) = super::slots::duration_bounds(dialogue.content_type);
            format!(
                "How long would you like it to be? Anything from {min} to {max} minutes, for \
                 example {}.",
                match dialogue.content_type {
                    ContentType::Affirmation => "2 or 5 minutes",
                    _ => "5, 10 or 20 minutes",
                }
            )
        }
        SlotName::Voice if !dialogue.editing => {
            let personal = dialogue.personal;
            format!(
                "Any preference for the voice (female, male or neutral), the pace or the tone? \
                 Otherwise I'll use your usual: a {} tone at a {} pace.",
                Tone::as_str(personal.tone),
                pace_word(personal.pace)
            )
        }
        SlotName::Voice => "Which voice would you like: female, male or neutral?".to_owned(),
        SlotName::Pace => "How fast should the voice speak: slower, moderate or faster?".to_owned(),
        SlotName::Tone => {
            "Which tone would you like: warm, gentle, calm, uplifting, grounding or neutral?"
                .to_owned()
        }
        SlotName::Name => "What name should I use for you?".to_owned(),
    }
}

/// "Lovely: sleep, in the evening." for the slots just learned.
fn acknowledge(learned: &[SlotName], slots: &Slots, turn: u32) -> Option<String> {
    let parts: Vec<String> = learned
        .iter()
        .filter_map(|slot| describe(*slot, slots))
        .collect();
    if parts.is_empty() {
        return None;
    }
    Some(format!(
        "{} {}.",
        pick(&["Lovely:", "Got it:", "Wonderful:", "Noted:"], turn),
        join_words(&parts)
    ))
}

fn describe(slot: SlotName, slots: &Slots) -> Option<String> {
    Some(match slot {
        SlotName::Intent => slots.intent?.phrase().to_owned(),
        SlotName::Context => "thank you for sharing that".to_owned(),
        SlotName::TimeOfDay => time_words(slots.time_of_day?.as_str()),
        SlotName::Duration => minutes(slots.duration_minutes?),
        SlotName::Voice => format!("a {} voice", slots.voice?.as_str()),
        SlotName::Pace => format!("a {} pace", pace_word(slots.pace?)),
        SlotName::Tone => format!("a {} tone", Tone::as_str(slots.tone?)),
        SlotName::Name => format!("I'll call you {}", slots.name.as_deref()?),
    })
}

/// "a 10-minute guided meditation for restful sleep, for the evening, ..."
fn summary_sentence(dialogue: &Dialogue) -> String {
    let slots = dialogue.resolved_slots();
    let mut sentence = format!(
        "Here is what I'll create: a {}-minute {}",
        slots.duration_minutes.unwrap_or(1),
        dialogue.content_type.noun()
    );
    if let Some(intent) = slots.intent {
        sentence.push_str(&format!(" for {}", intent.phrase()));
    }
    let mut details = Vec::new();
    if let Some(time) = slots.time_of_day {
        details.push(time_words(time.as_str()));
    }
    if let (Some(tone), Some(pace)) = (slots.tone, slots.pace) {
        details.push(format!(
            "in a {} tone at a {} pace",
            Tone::as_str(tone),
            pace_word(pace)
        ));
    }
    if let Some(voice) = slots.voice {
        details.push(format!("with a {} voice", voice.as_str()));
    }
    if let Some(name) = &slots.name {
        details.push(format!("personal to {name}"));
    }
    if slots.context.is_some() {
        details.push("shaped around what you shared".to_owned());
    }
    if !details.is_empty() {
        sentence.push_str(", ");
        sentence.push_str(&details.join(", "));
    }
    sentence.push('.');
    sentence
}

fn time_words(time: &str) -> String {
    match time {
        "anytime" => "for any time of day".to_owned(),
        "night" => "for bedtime".to_owned(),
        other => format!("for the {other}"),
    }
}

fn minutes(n: u32) -> String {
    if n == 1 {
        "one minute".to_owned()
    } else {
        format!("{n} minutes")
    }
}

fn pace_word(pace: Pace) -> &'static str {
    match pace {
        Pace::Slower => "slower",
        Pace::Moderate => "moderate",
        Pace::Faster => "brisker",
    }
}

fn join_words(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state_machine::dialogue::Personal;
    use crate::state_machine::slots::{Intent, TimeOfDay};

    fn dialogue(content_type: ContentType) -> Dialogue {
        Dialogue::new(content_type, Personal::default())
    }

    #[test]
    fn every_utterance_has_words() {
        let d = dialogue(ContentType::Ritual);
        let utterances = [
            Utterance::Greeting {
                ask: SlotName::Intent,
            },
            Utterance::Revision,
            Utterance::Ask {
                slot: SlotName::Duration,
                learned: vec![],
                again: true,
            },
            Utterance::Summary { learned: vec![] },
            Utterance::ConfirmPrompt,
            Utterance::WhatToChange,
            Utterance::InsufficientCredits {
                required: 3,
                available: 1,
            },
            Utterance::Unavailable,
            Utterance::Generating,
            Utterance::StillGenerating,
            Utterance::Completed,
            Utterance::GenerationFailed { refunded: true },
            Utterance::Cancelled,
            Utterance::Closed,
            Utterance::SafetyHold,
            Utterance::SupportNote,
            Utterance::GenerationBlocked,
        ];
        for u in &utterances {
            let text = render(u, &d, 3);
            assert!(text.len() > 20, "{u:?}: {text}");
            assert!(!text.contains("  "), "{u:?}: {text}");
        }
        for slot in SlotName::ALL {
            assert!(question(slot, &d).ends_with(['?', '.']), "{slot:?}");
        }
    }

    #[test]
    fn summary_says_what_will_be_made_and_what_it_costs() {
        let mut d = dialogue(ContentType::GuidedMeditation);
        d.slots = Slots {
            intent: Some(Intent::Sleep),
            time_of_day: Some(TimeOfDay::Night),
            duration_minutes: Some(10),
            name: Some("Sam".into()),
            ..Slots::default()
        };
        let text = render(
            &Utterance::Summary {
                learned: vec![SlotName::Duration],
            },
            &d,
            2,
        );
        for needle in [
            "10-minute guided meditation",
            "restful sleep",
            "bedtime",
            "warm tone",
            "Sam",
            "2 credits",
            "10 minutes",
        ] {
            assert!(text.contains(needle), "{needle}: {text}");
        }
    }

    #[test]
    fn acknowledgements_join_what_was_learned() {
        let slots = Slots {
            intent: Some(Intent::Focus),
            time_of_day: Some(TimeOfDay::Morning),
            duration_minutes: Some(5),
            ..Slots::default()
        };
        let ack = acknowledge(
            &[SlotName::Intent, SlotName::TimeOfDay, SlotName::Duration],
            &slots,
            0,
        )
        .unwrap();
        assert_eq!(ack, "Lovely: focus, for the morning and 5 minutes.");
        assert!(acknowledge(&[], &slots, 0).is_none());
    }
}
