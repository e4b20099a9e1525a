use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a conversation creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContentType {
    /// Short statements to repeat: a minute or two.
    Affirmation,
    /// A guided state induction with pauses: minutes to half an hour.
    GuidedMeditation,
    /// A personal practice encoding an identity: opening, core, closing.
    Ritual,
}

impl ContentType {
    pub const ALL: [ContentType; 3] = [
        ContentType::Affirmation,
        ContentType::GuidedMeditation,
        ContentType::Ritual,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContentType::Affirmation => "affirmation",
            ContentType::GuidedMeditation => "guided_meditation",
            ContentType::Ritual => "ritual",
        }
    }

    /// How long one lasts, in minutes, when the person does not say.
    pub fn default_minutes(self) -> u32 {
        match self {
            ContentType::Affirmation => 2,
            ContentType::GuidedMeditation => 10,
            ContentType::Ritual => 12,
        }
    }

    /// How people call it in a sentence.
    pub fn noun(self) -> &'static str {
        match self {
            ContentType::Affirmation => "affirmation",
            ContentType::GuidedMeditation => "guided meditation",
            ContentType::Ritual => "ritual",
        }
    }
}

impl FromStr for ContentType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ContentType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown content type `{s}` (expected affirmation, guided_meditation or ritual)"
                )
            })
    }
}

impl fmt::Display for ContentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How deep a practice goes; assigned by the system, never asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Depth {
    Shallow,
    Medium,
    Deep,
}

impl Depth {
    pub fn as_str(self) -> &'static str {
        match self {
            Depth::Shallow => "shallow",
            Depth::Medium => "medium",
            Depth::Deep => "deep",
        }
    }
}

impl FromStr for Depth {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "shallow" => Ok(Depth::Shallow),
            "medium" => Ok(Depth::Medium),
            "deep" => Ok(Depth::Deep),
            other => Err(format!("unknown depth `{other}`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_round_trip_through_text() {
        for t in ContentType::ALL {
            assert_eq!(t.as_str().parse::<ContentType>().unwrap(), t);
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
        }
        assert!("podcast".parse::<ContentType>().is_err());
    }
}
