//! Any OpenAI-compatible chat API: slot extraction (JSON), streamed replies (SSE) and
//! content scripts (JSON). Answers are validated into our own types; a field the model
//! got wrong is dropped, never trusted.

use std::pin::Pin;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use async_openai::Client;
use async_openai::config::OpenAIConfig;
use futures_util::{Stream, StreamExt};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::LlmConfig;
use crate::domain::{ContentType, Pace, Tone};
use crate::state_machine::slots::{MAX_CONTEXT_CHARS, MAX_NAME_CHARS};
use crate::state_machine::{Intent, SlotName, Slots, TimeOfDay, VoiceStyle};
use crate::text::truncate_chars;

/// Longest wait for a whole content script.
const CONTENT_TIMEOUT: Duration = Duration::from_secs(90);
/// Token budgets: enough for the answer asked, and a bound on a model that rambles.
const SLOTS_MAX_TOKENS: u32 = 400;
const REPLY_MAX_TOKENS: u32 = 300;
const CONTENT_MAX_TOKENS: u32 = 16_000;

/// A stream of reply text pieces.
pub type ReplyStream = Pin<Box<dyn Stream<Item = anyhow::Result<String>> + Send>>;

/// A chat turn sent to the model.
#[derive(Debug, Clone)]
pub struct ChatTurn {
    /// `user` or `assistant`.
    pub role: &'static str,
    pub content: String,
}

pub struct Llm {
    client: Client<OpenAIConfig>,
    model: String,
    timeout: Duration,
}

#[derive(Deserialize)]
struct Completion {
    choices: Vec<CompletionChoice>,
}

#[derive(Deserialize)]
struct CompletionChoice {
    message: CompletionMessage,
}

#[derive(Deserialize)]
struct CompletionMessage {
    content: Option<String>,
}

#[derive(Deserialize)]
struct Chunk {
    #[serde(default)]
    choices: Vec<ChunkChoice>,
}

#[derive(Deserialize)]
struct ChunkChoice {
    #[serde(default)]
    delta: ChunkDelta,
}

#[derive(Deserialize, Default)]
struct ChunkDelta {
    content: Option<String>,
}

impl Llm {
    pub fn new(config: &LlmConfig) -> Llm {
        Llm {
            client: super::openai_client(&config.base_url, config.api_key.as_ref()),
            model: config.model.clone(),
            timeout: config.timeout,
        }
    }

    /// How long a conversation turn waits for the model.
    pub fn turn_timeout(&self) -> Duration {
        self.timeout
    }

    async fn complete_json(
        &self,
        system: String,
        user: String,
        max_tokens: u32,
        timeout: Duration,
    ) -> anyhow::Result<Value> {
        let request = json!({
            "model": self.model,
            "temperature": 0.4,
            "max_tokens": max_tokens,
            "response_format": { "type": "json_object" },
            "messages": [
                { "role": "system", "content": system },
                { "role": "user", "content": user },
            ],
        });
        let started = Instant::now();
        let response = tokio::time::timeout(
            timeout,
            self.client.chat().create_byot::<_, Completion>(request),
        )
        .await;
        let outcome = match &response {
            Ok(Ok(_)) => "ok",
            Ok(Err(_)) => "error",
            Err(_) => "timeout",
        };
        metrics::histogram!("llm_request_duration_seconds", "kind" => "json", "outcome" => outcome)
            .record(started.elapsed().as_secs_f64());
        let completion = response
            .map_err(|_| anyhow::anyhow!("the LLM did not answer within {timeout:?}"))?
            .context("LLM chat completion")?;
        let content = completion
            .choices
            .into_iter()
            .next()
            .and_then(|c| c.message.content)
            .context("the LLM answer has no content")?;
        serde_json::from_str(strip_code_fence(&content))
            .context("the LLM answer is not a JSON object")
    }

    /// The slots a message states, read by the model. `asking` is the last question.
    pub async fn extract_slots(
        &self,
        text: &str,
        content_type: ContentType,
        asking: Option<SlotName>,
    ) -> anyhow::Result<Slots> {
        let system = format!(
            "You read one message from a person planning a personal {noun} in a wellness app. \
             Reply with a JSON object holding only the fields the message states: \
             intent (one of {intents}), context (their situation in their own words, short), \
             time_of_day (one of {times}), duration_minutes (integer), voice (female, male or \
             neutral), pace (slower, moderate or faster), tone (warm, gentle, calm, uplifting, \
             grounding or neutral), name (how to address them). Leave out anything not stated. \
             The last question asked was about: {asking}.",
            noun = content_type.noun(),
            intents = Intent::ALL.map(Intent::as_str).join(", "),
            times = TimeOfDay::ALL.map(TimeOfDay::as_str).join(", "),
            asking = asking.map_or("nothing yet", SlotName::as_str),
        );
        let value = self
            .complete_json(system, text.to_owned(), SLOTS_MAX_TOKENS, self.timeout)
            .await?;
        Ok(slots_from_json(&value))
    }

    /// Streams a reply that says `instruction` in the model's own words.
    pub async fn stream_reply(
        &self,
        history: &[ChatTurn],
        instruction: &str,
    ) -> anyhow::Result<ReplyStream> {
        let mut messages = vec![json!({
            "role": "system",
            "content": "You are the voice guide of waQup, a wellness app that creates personal \
                affirmations, guided meditations and rituals. Speak warmly and simply, like a \
                calm friend. Your reply is read aloud: plain sentences, no lists, no markdown, \
                no emojis. Never give medical advice.",
        })];
        messages.extend(
            history
                .iter()
                .map(|t| json!({ "role": t.role, "content": t.content })),
        );
        messages.push(json!({
            "role": "system",
            "content": format!(
                "Say the following to the person in your own words, in at most three short \
                 sentences. Keep every question, number and detail; add no other question.\n\n{instruction}"
            ),
        }));
        let request = json!({
            "model": self.model,
            "stream": true,
            "temperature": 0.7,
            "max_tokens": REPLY_MAX_TOKENS,
            "messages": messages,
        });
        let stream = tokio::time::timeout(
            self.timeout,
            self.client.chat().create_stream_byot::<_, Chunk>(request),
        )
        .await
        .map_err(|_| anyhow::anyhow!("the LLM did not start a reply within {:?}", self.timeout))?
        .context("LLM reply stream")?;
        Ok(Box::pin(stream.filter_map(|chunk| async move {
            match chunk {
                Ok(chunk) => chunk
                    .choices
                    .into_iter()
                    .next()
                    .and_then(|c| c.delta.content)
                    .filter(|s| !s.is_empty())
                    .map(Ok),
                Err(e) => Some(Err(anyhow::Error::new(e).context("LLM reply stream"))),
            }
        })))
    }

    /// A content script as JSON: `{title, sections: [{kind, text}], tags}`.
    pub async fn write_content(
        &self,
        content_type: ContentType,
        slots: &Slots,
        words_per_minute: u32,
    ) -> anyhow::Result<Value> {
        let minutes = slots.minutes(content_type);
        let system = format!(
            "You write the spoken script of a personal {noun} for a wellness app. It is read \
             aloud by a voice, so write plain, warm sentences; no lists, no markdown, no \
             emojis, no medical claims. Put pause marks like [pause 5s] (whole seconds, 1 to \
             120) between sentences wherever the listener should breathe, rest or repeat. The \
             script must last about {minutes} minutes read at {words_per_minute} words per \
             minute, counting the pauses. Reply with a JSON object: {{\"title\": string, \
             \"sections\": [{{\"kind\": one of opening, breath, body, visualization, \
             affirmations, intention, integration, closing; \"text\": string}}], \"tags\": \
             [lowercase strings]}}.",
            noun = content_type.noun(),
        );
        let brief = serde_json::to_string(slots).context("describe the slots")?;
        // About 1.4 tokens a word, with room for the JSON around the script.
        let max_tokens = (minutes * words_per_minute * 14 / 10 + 1_000).min(CONTENT_MAX_TOKENS);
        self.complete_json(
            system,
            format!("What the person asked for: {brief}"),
            max_tokens,
            CONTENT_TIMEOUT,
        )
        .await
    }
}

/// Some models wrap JSON in a Markdown code fence even when asked not to.
fn strip_code_fence(text: &str) -> &str {
    let trimmed = text.trim();
    trimmed
        .strip_prefix("```json")
        .or_else(|| trimmed.strip_prefix("```"))
        .and_then(|t| t.strip_suffix("```"))
        .map_or(trimmed, str::trim)
}

/// Reads the model's JSON into [`Slots`], keeping only well-formed, known values.
pub fn slots_from_json(value: &Value) -> Slots {
    let text = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let word = |key: &str| text(key).map(|s| s.to_ascii_lowercase().replace([' ', '-'], "_"));
    Slots {
        intent: word("intent").as_deref().and_then(Intent::parse),
        context: text("context").map(|c| truncate_chars(c, MAX_CONTEXT_CHARS)),
        time_of_day: word("time_of_day").as_deref().and_then(TimeOfDay::parse),
        duration_minutes: value
            .get("duration_minutes")
            .and_then(|v| v.as_u64().or_else(|| v.as_f64().map(|f| f.round() as u64)))
            .filter(|m| (1..=180).contains(m))
            .map(|m| m as u32),
        voice: word("voice").as_deref().and_then(VoiceStyle::parse),
        pace: word("pace").and_then(|p| serde_json::from_value::<Pace>(json!(p)).ok()),
        tone: word("tone").and_then(|t| serde_json::from_value::<Tone>(json!(t)).ok()),
        name: text("name")
            .filter(|n| n.chars().count() <= MAX_NAME_CHARS)
            .filter(|n| {
                n.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\''))
            })
            .map(str::to_owned),
    }
}

/// Fails when the model left out what a script needs.
pub fn require_text(value: &Value, key: &str) -> anyhow::Result<String> {
    match value.get(key).and_then(Value::as_str).map(str::trim) {
        Some(s) if !s.is_empty() => Ok(s.to_owned()),
        _ => bail!("the LLM answer has no `{key}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_json_is_validated_into_slots() {
        let value = json!({
            "intent": "Self Love",
            "context": "  new job next week ",
            "time_of_day": "evening",
            "duration_minutes": 12.4,
            "voice": "female",
            "pace": "SLOWER",
            "tone": "gentle",
            "name": "Ana",
            "extra": "ignored",
        });
        let slots = slots_from_json(&value);
        assert_eq!(slots.intent, Some(Intent::SelfLove));
        assert_eq!(slots.context.as_deref(), Some("new job next week"));
        assert_eq!(slots.time_of_day, Some(TimeOfDay::Evening));
        assert_eq!(slots.duration_minutes, Some(12));
        assert_eq!(slots.voice, Some(VoiceStyle::Female));
        assert_eq!(slots.pace, Some(Pace::Slower));
        assert_eq!(slots.tone, Some(Tone::Gentle));
        assert_eq!(slots.name.as_deref(), Some("Ana"));
    }

    #[test]
    fn wrong_values_are_dropped_not_trusted() {
        let value = json!({
            "intent": "world domination",
            "time_of_day": 7,
            "duration_minutes": 5000,
            "voice": "robot",
            "pace": ["fast"],
            "tone": null,
            "name": "<script>alert(1)</script>",
            "context": "",
        });
        assert_eq!(slots_from_json(&value), Slots::default());
        assert_eq!(slots_from_json(&json!([1, 2])), Slots::default());
    }

    #[test]
    fn code_fences_are_stripped() {
        assert_eq!(strip_code_fence("```json\n{\"a\":1}\n```"), "{\"a\":1}");
        assert_eq!(strip_code_fence(" {\"a\":1} "), "{\"a\":1}");
    }
}
