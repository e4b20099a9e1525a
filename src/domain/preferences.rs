use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::InvalidField;

const MAX_VOICE_ID_LEN: usize = 64;
const MAX_DISPLAY_NAME_CHARS: usize = 60;

/// How fast the voice speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Pace {
    Slower,
    #[default]
    Moderate,
    Faster,
}

impl Pace {
    pub fn as_str(self) -> &'static str {
        match self {
            Pace::Slower => "slower",
            Pace::Moderate => "moderate",
            Pace::Faster => "faster",
        }
    }
}

/// The feel of the guide's voice and words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Tone {
    #[default]
    Warm,
    Gentle,
    Calm,
    Uplifting,
    Grounding,
    Neutral,
}

impl Tone {
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Warm => "warm",
            Tone::Gentle => "gentle",
            Tone::Calm => "calm",
            Tone::Uplifting => "uplifting",
            Tone::Grounding => "grounding",
            Tone::Neutral => "neutral",
        }
    }
}

/// What a person prefers for generated practices. Stored as JSON; fields missing in
/// older rows take their defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Preferences {
    /// The preferred voice from the voice catalogue; `null` uses the default voice.
    pub voice_id: Option<String>,
    pub pace: Pace,
    pub tone: Tone,
    /// IANA time zone used for streaks and time-of-day suggestions.
    #[schema(example = "Europe/Berlin")]
    pub timezone: String,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            voice_id: None,
            pace: Pace::default(),
            tone: Tone::default(),
            timezone: "UTC".to_owned(),
        }
    }
}

/// A partial update of [`Preferences`] as sent: absent fields are kept, `voice_id: null`
/// clears the voice.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesPatch {
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<String>, nullable)]
    pub voice_id: Option<Option<String>>,
    pub pace: Option<Pace>,
    pub tone: Option<Tone>,
    #[schema(example = "America/New_York")]
    pub timezone: Option<String>,
}

impl PreferencesPatch {
    /// Checks each new value.
    pub fn parse(self) -> Result<PreferenceChanges, InvalidField> {
        Ok(PreferenceChanges {
            voice_id: self
                .voice_id
                .map(|voice| voice.map(|v| parse_voice_id(&v)).transpose())
                .transpose()?,
            pace: self.pace,
            tone: self.tone,
            timezone: self.timezone.map(|tz| parse_timezone(&tz)).transpose()?,
        })
    }
}

/// Checked changes to [`Preferences`]; `None` keeps a field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreferenceChanges {
    /// `Some(None)` clears the voice.
    pub voice_id: Option<Option<String>>,
    pub pace: Option<Pace>,
    pub tone: Option<Tone>,
    pub timezone: Option<String>,
}

impl PreferenceChanges {
    pub fn is_empty(&self) -> bool {
        *self == PreferenceChanges::default()
    }

    pub fn apply(&self, current: Preferences) -> Preferences {
        Preferences {
            voice_id: self.voice_id.clone().unwrap_or(current.voice_id),
            pace: self.pace.unwrap_or(current.pace),
            tone: self.tone.unwrap_or(current.tone),
            timezone: self.timezone.clone().unwrap_or(current.timezone),
        }
    }
}

fn parse_voice_id(raw: &str) -> Result<String, InvalidField> {
    let ok = !raw.is_empty()
        && raw.len() <= MAX_VOICE_ID_LEN
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(InvalidField::new(
            "preferences.voice_id",
            "must be 1 to 64 letters, digits, '-', '_' or '.'",
        ))
    }
}

fn parse_timezone(raw: &str) -> Result<String, InvalidField> {
    raw.parse::<chrono_tz::Tz>()
        .map(|tz| tz.name().to_owned())
        .map_err(|_| {
            InvalidField::new(
                "preferences.timezone",
                format!("`{raw}` is not an IANA time zone such as Europe/Paris"),
            )
        })
}

/// The name shown to others (creators, reviews): 1 to 60 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<DisplayName, InvalidField> {
        let name = raw.trim();
        let chars = name.chars().count();
        if chars == 0 || chars > MAX_DISPLAY_NAME_CHARS {
            return Err(InvalidField::new(
                "display_name",
                "must be 1 to 60 characters",
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(InvalidField::new(
                "display_name",
                "must not contain control characters",
            ));
        }
        Ok(DisplayName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch(json: &str) -> PreferencesPatch {
        serde_json::from_str(json).unwrap()
    }

    fn apply(json: &str, current: Preferences) -> Result<Preferences, InvalidField> {
        Ok(patch(json).parse()?.apply(current))
    }

    #[test]
    fn absent_fields_are_kept_and_null_clears_the_voice() {
        let current = Preferences {
            voice_id: Some("calm-guide".into()),
            ..Preferences::default()
        };
        let next = apply(r#"{"pace":"slower"}"#, current.clone()).unwrap();
        assert_eq!(next.voice_id.as_deref(), Some("calm-guide"));
        assert_eq!(next.pace, Pace::Slower);
        assert_eq!(next.tone, Tone::Warm);
        let cleared = apply(r#"{"voice_id":null}"#, current).unwrap();
        assert!(patch("{}").parse().unwrap().is_empty());
        assert_eq!(cleared.voice_id, None);
    }

    #[test]
    fn timezones_are_checked_and_canonical() {
        let next = apply(r#"{"timezone":"Europe/Berlin"}"#, Preferences::default()).unwrap();
        assert_eq!(next.timezone, "Europe/Berlin");
        let err = apply(r#"{"timezone":"Mars/Olympus"}"#, Preferences::default()).unwrap_err();
        assert_eq!(err.field, "preferences.timezone");
    }

    #[test]
    fn bad_voice_ids_are_refused() {
        for raw in ["", "has space", "<script>", &"v".repeat(65)] {
            let body = serde_json::json!({ "voice_id": raw }).to_string();
            assert!(apply(&body, Preferences::default()).is_err(), "{raw}");
        }
    }

    #[test]
    fn unknown_and_mistyped_fields_fail_to_parse() {
        assert!(serde_json::from_str::<PreferencesPatch>(r#"{"volume":3}"#).is_err());
        assert!(serde_json::from_str::<PreferencesPatch>(r#"{"pace":"warp"}"#).is_err());
        assert!(serde_json::from_str::<PreferencesPatch>(r#"{"tone":7}"#).is_err());
    }

    #[test]
    fn stored_preferences_fill_missing_fields() {
        let prefs: Preferences = serde_json::from_str(r#"{"tone":"calm"}"#).unwrap();
        assert_eq!(prefs.tone, Tone::Calm);
        assert_eq!(prefs.timezone, "UTC");
    }

    #[test]
    fn display_names() {
        assert_eq!(DisplayName::parse("  Sarah  ").unwrap().as_str(), "Sarah");
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse("a\u{0007}b").is_err());
        assert!(DisplayName::parse(&"n".repeat(61)).is_err());
    }
}
