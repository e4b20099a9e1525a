//! The voice catalogue: our voice ids, and the voice each provider speaks them with.

use serde::Serialize;
use utoipa::ToSchema;

use crate::state_machine::VoiceStyle;

/// One voice of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct VoiceEntry {
    /// Our id, stored on items and in preferences.
    #[schema(example = "aurora")]
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// `female`, `male` or `neutral`.
    #[schema(value_type = String, example = "female")]
    pub style: VoiceStyle,
    #[serde(skip)]
    pub openai: &'static str,
    #[serde(skip)]
    pub elevenlabs: &'static str,
    #[serde(skip)]
    pub espeak: &'static str,
}

/// Every voice we offer. The first of each style is that style's default.
pub const VOICES: &[VoiceEntry] = &[
    VoiceEntry {
        id: "aurora",
        name: "Aurora",
        description: "A warm, unhurried female voice",
        style: VoiceStyle::Female,
        openai: "nova",
        elevenlabs: "21m00Tcm4TlvDq8ikWAM",
        espeak: "en-us+f3",
    },
    VoiceEntry {
        id: "river",
        name: "River",
        description: "A calm, low male voice",
        style: VoiceStyle::Male,
        openai: "onyx",
        elevenlabs: "pNInY14gQrG4oaFjBZmq",
        espeak: "en-us+m3",
    },
    VoiceEntry {
        id: "sage",
        name: "Sage",
        description: "A clear, even voice",
        style: VoiceStyle::Neutral,
        openai: "alloy",
        elevenlabs: "yoZ06aMxZJJ28mfd3POQ",
        espeak: "en-gb-x-rp+f2",
    },
    VoiceEntry {
        id: "willow",
        name: "Willow",
        description: "A soft, gentle female voice",
        style: VoiceStyle::Female,
        openai: "shimmer",
        elevenlabs: "EXAVITQu4vr4xnSDxMaL",
        espeak: "en-us+f4",
    },
    VoiceEntry {
        id: "cedar",
        name: "Cedar",
        description: "A grounded, steady male voice",
        style: VoiceStyle::Male,
        openai: "echo",
        elevenlabs: "ErXwobaYiN019PkySvjV",
        espeak: "en-gb+m3",
    },
];

/// The voice used when nothing was asked.
pub const DEFAULT_VOICE: &str = "aurora";

/// The catalogue entry of `id`.
pub fn voice(id: &str) -> Option<&'static VoiceEntry> {
    VOICES.iter().find(|v| v.id == id)
}

/// The voice an item is read with: the style asked in the conversation wins (keeping
/// the preferred voice when it has that style), then the preferred voice, then the
/// default. An unknown preferred id is ignored.
pub fn choose(style: Option<VoiceStyle>, preferred: Option<&str>) -> &'static VoiceEntry {
    let preferred = preferred.and_then(voice);
    let chosen = match (style, preferred) {
        (Some(style), Some(p)) if p.style == style => Some(p),
        (Some(style), _) => VOICES.iter().find(|v| v.style == style),
        (None, p) => p,
    };
    chosen.unwrap_or(&VOICES[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_every_style_has_a_voice() {
        for (i, v) in VOICES.iter().enumerate() {
            assert!(VOICES[i + 1..].iter().all(|w| w.id != v.id), "{}", v.id);
        }
        for style in VoiceStyle::ALL {
            assert_eq!(choose(Some(style), None).style, style);
        }
        assert_eq!(VOICES[0].id, DEFAULT_VOICE);
    }

    #[test]
    fn the_asked_style_wins_over_the_preference() {
        assert_eq!(choose(None, None).id, "aurora");
        assert_eq!(choose(None, Some("cedar")).id, "cedar");
        assert_eq!(choose(None, Some("nobody")).id, "aurora");
        assert_eq!(choose(Some(VoiceStyle::Male), Some("aurora")).id, "river");
        assert_eq!(choose(Some(VoiceStyle::Male), Some("cedar")).id, "cedar");
        assert_eq!(choose(Some(VoiceStyle::Neutral), Some("willow")).id, "sage");
    }
}
