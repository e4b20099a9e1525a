//! What the dialogue learns about the person: the slots of a practice.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{ContentType, Pace, Tone};

/// Longest situation kept, in characters.
pub const MAX_CONTEXT_CHARS: usize = 300;
/// Longest name kept, in characters.
pub const MAX_NAME_CHARS: usize = 40;

/// What the person wants the practice to do for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    Sleep,
    Calm,
    Anxiety,
    Stress,
    Focus,
    Confidence,
    Gratitude,
    Energy,
    SelfLove,
    Healing,
    Motivation,
    Grief,
}

impl Intent {
    pub const ALL: [Intent; 12] = [
        Intent::Sleep,
        Intent::Calm,
        Intent::Anxiety,
        Intent::Stress,
        Intent::Focus,
        Intent::Confidence,
        Intent::Gratitude,
        Intent::Energy,
        Intent::SelfLove,
        Intent::Healing,
        Intent::Motivation,
        Intent::Grief,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Intent::Sleep => "sleep",
            Intent::Calm => "calm",
            Intent::Anxiety => "anxiety",
            Intent::Stress => "stress",
            Intent::Focus => "focus",
            Intent::Confidence => "confidence",
            Intent::Gratitude => "gratitude",
            Intent::Energy => "energy",
            Intent::SelfLove => "self_love",
            Intent::Healing => "healing",
            Intent::Motivation => "motivation",
            Intent::Grief => "grief",
        }
    }

    /// How it reads in a sentence: "a practice for {phrase}".
    pub fn phrase(self) -> &'static str {
        match self {
            Intent::Sleep => "restful sleep",
            Intent::Calm => "calm",
            Intent::Anxiety => "easing anxiety",
            Intent::Stress => "releasing stress",
            Intent::Focus => "focus",
            Intent::Confidence => "confidence",
            Intent::Gratitude => "gratitude",
            Intent::Energy => "energy",
            Intent::SelfLove => "self-love",
            Intent::Healing => "healing",
            Intent::Motivation => "motivation",
            Intent::Grief => "moving through grief",
        }
    }

    pub fn parse(s: &str) -> Option<Intent> {
        Intent::ALL.into_iter().find(|i| i.as_str() == s)
    }
}

/// When the person means to practise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimeOfDay {
    Morning,
    Midday,
    Afternoon,
    Evening,
    Night,
    Anytime,
}

impl TimeOfDay {
    pub const ALL: [TimeOfDay; 6] = [
        TimeOfDay::Morning,
        TimeOfDay::Midday,
        TimeOfDay::Afternoon,
        TimeOfDay::Evening,
        TimeOfDay::Night,
        TimeOfDay::Anytime,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TimeOfDay::Morning => "morning",
            TimeOfDay::Midday => "midday",
            TimeOfDay::Afternoon => "afternoon",
            TimeOfDay::Evening => "evening",
            TimeOfDay::Night => "night",
            TimeOfDay::Anytime => "anytime",
        }
    }

    pub fn parse(s: &str) -> Option<TimeOfDay> {
        TimeOfDay::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// The kind of voice the person asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VoiceStyle {
    Female,
    Male,
    Neutral,
}

impl VoiceStyle {
    pub const ALL: [VoiceStyle; 3] = [VoiceStyle::Female, VoiceStyle::Male, VoiceStyle::Neutral];

    pub fn as_str(self) -> &'static str {
        match self {
            VoiceStyle::Female => "female",
            VoiceStyle::Male => "male",
            VoiceStyle::Neutral => "neutral",
        }
    }

    pub fn parse(s: &str) -> Option<VoiceStyle> {
        VoiceStyle::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// One slot of [`Slots`], for asking about it or editing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SlotName {
    Intent,
    /// The person's situation in their own words.
    Context,
    TimeOfDay,
    Duration,
    Voice,
    Pace,
    Tone,
    /// How the practice should address the person.
    Name,
}

impl SlotName {
    pub const ALL: [SlotName; 8] = [
        SlotName::Intent,
        SlotName::Context,
        SlotName::TimeOfDay,
        SlotName::Duration,
        SlotName::Voice,
        SlotName::Pace,
        SlotName::Tone,
        SlotName::Name,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SlotName::Intent => "intent",
            SlotName::Context => "context",
            SlotName::TimeOfDay => "time_of_day",
            SlotName::Duration => "duration",
            SlotName::Voice => "voice",
            SlotName::Pace => "pace",
            SlotName::Tone => "tone",
            SlotName::Name => "name",
        }
    }

    pub fn parse(s: &str) -> Option<SlotName> {
        SlotName::ALL.into_iter().find(|n| n.as_str() == s)
    }
}

/// Everything learned so far. Every field is optional: extraction fills what a message
/// says, and [`Slots::merge`] lays a newer message over what was known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Slots {
    pub intent: Option<Intent>,
    /// The situation or goal in the person's words ("a big exam on Friday").
    pub context: Option<String>,
    pub time_of_day: Option<TimeOfDay>,
    /// Length of the practice in minutes.
    pub duration_minutes: Option<u32>,
    pub voice: Option<VoiceStyle>,
    pub pace: Option<Pace>,
    pub tone: Option<Tone>,
    /// The name to use when addressing the person.
    pub name: Option<String>,
}

impl Slots {
    /// How long the item is to last: as asked, else the content type's default.
    pub fn minutes(&self, content_type: ContentType) -> u32 {
        self.duration_minutes
            .unwrap_or_else(|| content_type.default_minutes())
    }

    /// Lays `newer` over `self`: what the newer message says wins.
    pub fn merge(&mut self, newer: Slots) {
        let Slots {
            intent,
            context,
            time_of_day,
            duration_minutes,
            voice,
            pace,
            tone,
            name,
        } = newer;
        self.intent = intent.or(self.intent);
        self.context = context.or(self.context.take());
        self.time_of_day = time_of_day.or(self.time_of_day);
        self.duration_minutes = duration_minutes.or(self.duration_minutes);
        self.voice = voice.or(self.voice);
        self.pace = pace.or(self.pace);
        self.tone = tone.or(self.tone);
        self.name = name.or(self.name.take());
    }

    pub fn is_empty(&self) -> bool {
        *self == Slots::default()
    }

    pub fn has(&self, slot: SlotName) -> bool {
        match slot {
            SlotName::Intent => self.intent.is_some(),
            SlotName::Context => self.context.is_some(),
            SlotName::TimeOfDay => self.time_of_day.is_some(),
            SlotName::Duration => self.duration_minutes.is_some(),
            SlotName::Voice => self.voice.is_some(),
            SlotName::Pace => self.pace.is_some(),
            SlotName::Tone => self.tone.is_some(),
            SlotName::Name => self.name.is_some(),
        }
    }

    /// Forgets one slot (to ask about it again).
    pub fn clear(&mut self, slot: SlotName) {
        match slot {
            SlotName::Intent => self.intent = None,
            SlotName::Context => self.context = None,
            SlotName::TimeOfDay => self.time_of_day = None,
            SlotName::Duration => self.duration_minutes = None,
            SlotName::Voice => self.voice = None,
            SlotName::Pace => self.pace = None,
            SlotName::Tone => self.tone = None,
            SlotName::Name => self.name = None,
        }
    }
}

/// Shortest and longest practice, in minutes, per content type.
pub fn duration_bounds(content_type: ContentType) -> (u32, u32) {
    match content_type {
        ContentType::Affirmation => (1, 10),
        ContentType::GuidedMeditation => (2, 60),
        ContentType::Ritual => (3, 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_values_win_and_gaps_keep_older_ones() {
        let mut slots = Slots {
            intent: Some(Intent::Sleep),
            duration_minutes: Some(10),
            ..Slots::default()
        };
        slots.merge(Slots {
            duration_minutes: Some(5),
            tone: Some(Tone::Gentle),
            ..Slots::default()
        });
        assert_eq!(slots.intent, Some(Intent::Sleep));
        assert_eq!(slots.duration_minutes, Some(5));
        assert_eq!(slots.tone, Some(Tone::Gentle));
        slots.clear(SlotName::Duration);
        assert!(!slots.has(SlotName::Duration));
    }

    #[test]
    fn names_round_trip() {
        for slot in SlotName::ALL {
            assert_eq!(SlotName::parse(slot.as_str()), Some(slot));
        }
        for intent in Intent::ALL {
            assert_eq!(Intent::parse(intent.as_str()), Some(intent));
        }
        for t in TimeOfDay::ALL {
            assert_eq!(TimeOfDay::parse(t.as_str()), Some(t));
        }
    }
}
