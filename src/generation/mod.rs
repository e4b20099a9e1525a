//! Writing the script of an item: the offline composer, or the LLM when configured.

pub mod composer;
pub mod narration;

use std::sync::Arc;

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::domain::{ContentType, Depth};
use crate::providers::llm::{Llm, require_text};
use crate::state_machine::Slots;
use crate::store::GeneratedText;
use crate::text::truncate_chars;
use composer::{Composition, Section, SectionKind, compose};

/// An LLM script may land this far from the asked length and still be accepted.
const LENGTH_TOLERANCE: f64 = 0.5;
/// At least this share of an LLM script's time is speech, not pause marks (the offline
/// composer's hour-long practices, the quietest, speak for about 15% of their time).
const MIN_SPEECH_SHARE: f64 = 0.1;
const MAX_TITLE_CHARS: usize = 120;
const MAX_TAGS: usize = 12;

/// Writes scripts: deterministic templates offline, the LLM otherwise.
#[derive(Clone)]
pub struct ContentWriter {
    llm: Option<Arc<Llm>>,
}

impl ContentWriter {
    pub fn new(llm: Option<Arc<Llm>>) -> Self {
        Self { llm }
    }

    /// Seconds a generation is expected to take, for `generation_started`.
    pub fn estimated_seconds(&self) -> u32 {
        if self.llm.is_some() { 30 } else { 2 }
    }

    /// The script of an item. `seed` varies the offline wording between items.
    pub async fn write(
        &self,
        content_type: ContentType,
        slots: &Slots,
        seed: u64,
    ) -> anyhow::Result<Composition> {
        match &self.llm {
            None => Ok(compose(content_type, slots, seed)),
            Some(llm) => {
                let pace = slots.pace.unwrap_or_default();
                let value = llm
                    .write_content(content_type, slots, composer::words_per_minute(pace))
                    .await?;
                composition_from_llm(&value, content_type, slots)
            }
        }
    }
}

/// Validates the LLM's script into a [`Composition`]; a script far from the asked length
/// or missing its parts is an error (the job retries, then fails and refunds).
pub fn composition_from_llm(
    value: &Value,
    content_type: ContentType,
    slots: &Slots,
) -> anyhow::Result<Composition> {
    let title = truncate_chars(&require_text(value, "title")?, MAX_TITLE_CHARS);
    let sections: Vec<Section> = value
        .get("sections")
        .and_then(Value::as_array)
        .context("the LLM answer has no `sections`")?
        .iter()
        .filter_map(|s| {
            let text = s.get("text")?.as_str()?.trim();
            if text.is_empty() {
                return None;
            }
            let kind = s
                .get("kind")
                .and_then(|k| serde_json::from_value::<SectionKind>(json!(k)).ok())
                .unwrap_or(SectionKind::Body);
            Some(Section {
                kind,
                text: text.to_owned(),
            })
        })
        .collect();
    if sections.is_empty() {
        bail!("the LLM script has no text");
    }
    let text = sections
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    if composer::has_malformed_pause(&text) {
        bail!("the LLM script has malformed pause marks");
    }
    let pace = slots.pace.unwrap_or_default();
    let (speech, silence) = composer::speech_and_silence(&text, pace);
    let estimated_seconds = speech + silence;
    let minutes = slots.minutes(content_type);
    let asked = f64::from(minutes * 60);
    let ratio = f64::from(estimated_seconds) / asked;
    if !(1.0 - LENGTH_TOLERANCE..=1.0 + LENGTH_TOLERANCE).contains(&ratio) {
        bail!(
            "the LLM script lasts {estimated_seconds} s for an asked {} s",
            asked as u32
        );
    }
    if f64::from(speech) < MIN_SPEECH_SHARE * f64::from(estimated_seconds) {
        bail!("the LLM script is mostly silence ({speech} s of speech in {estimated_seconds} s)");
    }
    let mut tags: Vec<String> = value
        .get("tags")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .filter_map(Value::as_str)
                .map(|t| truncate_chars(&t.trim().to_lowercase(), 40))
                .filter(|t| !t.is_empty())
                .collect()
        })
        .unwrap_or_default();
    for tag in [
        slots.intent.map(|i| i.as_str().to_owned()),
        Some(content_type.as_str().to_owned()),
    ]
    .into_iter()
    .flatten()
    {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags.truncate(MAX_TAGS);
    Ok(Composition {
        title,
        text,
        sections,
        tags,
        depth: depth_for(content_type, minutes),
        estimated_seconds,
    })
}

/// The system assigns depth: affirmations are shallow, meditations medium (deep from
/// 20 minutes), rituals deep.
pub fn depth_for(content_type: ContentType, minutes: u32) -> Depth {
    match content_type {
        ContentType::Affirmation => Depth::Shallow,
        ContentType::GuidedMeditation if minutes >= 20 => Depth::Deep,
        ContentType::GuidedMeditation => Depth::Medium,
        ContentType::Ritual => Depth::Deep,
    }
}

impl From<Composition> for GeneratedText {
    fn from(c: Composition) -> Self {
        GeneratedText {
            structure: json!({
                "sections": c.sections,
                "pauses": composer::pauses(&c.text),
                "estimated_seconds": c.estimated_seconds,
            }),
            title: c.title,
            text: c.text,
            tags: c.tags,
            depth: c.depth,
            duration_seconds: i64::from(c.estimated_seconds),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state_machine::Intent;

    fn slots(minutes: u32) -> Slots {
        Slots {
            intent: Some(Intent::Sleep),
            duration_minutes: Some(minutes),
            ..Slots::default()
        }
    }

    fn script(words: usize, pause_seconds: u32) -> Value {
        let sentence = "Breathe in slowly and let your shoulders soften. ";
        let body = sentence.repeat(words / 8) + &format!("[pause {pause_seconds}s]");
        json!({
            "title": "Deep Rest",
            "sections": [
                { "kind": "opening", "text": "Welcome. Settle in." },
                { "kind": "breath", "text": body },
                { "kind": "mystery", "text": "Sleep well." },
            ],
            "tags": ["Sleep", "Night", ""],
        })
    }

    #[test]
    fn a_good_llm_script_becomes_a_composition() {
        // 2 minutes at 130 wpm: ~200 words + 30 s of pause.
        let c = composition_from_llm(&script(200, 30), ContentType::GuidedMeditation, &slots(2))
            .unwrap();
        assert_eq!(c.title, "Deep Rest");
        assert_eq!(c.sections.len(), 3);
        assert_eq!(c.sections[2].kind, SectionKind::Body);
        assert!(c.tags.contains(&"sleep".to_owned()));
        assert!(c.tags.contains(&"guided_meditation".to_owned()));
        assert_eq!(c.depth, Depth::Medium);
        assert!(c.text.contains("[pause 30s]"));
    }

    #[test]
    fn scripts_far_from_the_asked_length_or_empty_are_refused() {
        assert!(
            composition_from_llm(&script(16, 1), ContentType::GuidedMeditation, &slots(10))
                .is_err()
        );
        assert!(
            composition_from_llm(
                &json!({"title": "x", "sections": []}),
                ContentType::Ritual,
                &slots(3)
            )
            .is_err()
        );
        assert!(
            composition_from_llm(
                &json!({"sections": [{"text": "hi"}]}),
                ContentType::Ritual,
                &slots(3)
            )
            .is_err()
        );
        assert!(composition_from_llm(&json!("nope"), ContentType::Ritual, &slots(3)).is_err());
    }

    #[test]
    fn scripts_of_silence_or_with_broken_pause_marks_are_refused() {
        // Two minutes, nearly all of it pause marks.
        let silent = json!({
            "title": "Quiet",
            "sections": [{ "text": "Rest. [pause 60s] Rest now. [pause 60s] Rest." }],
        });
        let err =
            composition_from_llm(&silent, ContentType::GuidedMeditation, &slots(2)).unwrap_err();
        assert!(err.to_string().contains("mostly silence"), "{err}");
        for broken in ["[pause 300s]", "[Pause 5 s]", "[pause five seconds]"] {
            let mut value = script(200, 30);
            value["sections"][0]["text"] = json!(format!("Welcome. {broken} Settle in."));
            let err =
                composition_from_llm(&value, ContentType::GuidedMeditation, &slots(2)).unwrap_err();
            assert!(
                err.to_string().contains("malformed pause"),
                "{broken}: {err}"
            );
        }
    }

    #[test]
    fn the_offline_scripts_pass_the_checks_asked_of_the_model() {
        for content_type in ContentType::ALL {
            for minutes in [1, 2, 5, 10, 20, 30, 60] {
                let c = compose(content_type, &slots(minutes), 7);
                let (speech, silence) = composer::speech_and_silence(&c.text, Default::default());
                assert!(!composer::has_malformed_pause(&c.text));
                assert!(
                    f64::from(speech) >= MIN_SPEECH_SHARE * f64::from(speech + silence),
                    "{content_type:?} {minutes} min: {speech} s of speech, {silence} s of silence"
                );
            }
        }
    }

    #[test]
    fn depth_rules() {
        assert_eq!(depth_for(ContentType::Affirmation, 5), Depth::Shallow);
        assert_eq!(depth_for(ContentType::GuidedMeditation, 19), Depth::Medium);
        assert_eq!(depth_for(ContentType::GuidedMeditation, 20), Depth::Deep);
        assert_eq!(depth_for(ContentType::Ritual, 3), Depth::Deep);
    }
}
