//! Spoken replies: a reply's text cut into sentences as it streams, and each sentence
//! voiced into a short clip (levelled and encoded like an item's track) that the socket
//! sends as binary frames.

use std::sync::Arc;

use actix_web::web::Bytes;
use anyhow::Context;

use crate::audio::{self, Assembly, AudioFormat, Piece, SAMPLE_RATE};
use crate::domain::{Pace, Tone};
use crate::generation::narration::Narrator;
use crate::providers::tts::VoiceEntry;

/// Bytes of encoded clips kept: a greeting or question said again is sent at once.
const CLIP_CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// A sentence shorter than this waits for the next one ("Hi." alone is too short a
/// clip to be worth a round of synthesis).
const MIN_SENTENCE_CHARS: usize = 12;
/// A run of text with no sentence end is cut at a space past this length, so a model
/// that never ends its sentence is still voiced as it goes.
const MAX_SENTENCE_CHARS: usize = 240;

/// Cuts streamed text into sentences: each one as soon as the next piece shows it has
/// ended (a `.`, `!`, `?` or `…` followed by white space, or a line break).
#[derive(Debug, Default)]
pub struct Sentences {
    pending: String,
}

impl Sentences {
    /// Adds a piece of text; answers the sentences it completed.
    pub fn push(&mut self, piece: &str) -> Vec<String> {
        self.pending.push_str(piece);
        let mut done = Vec::new();
        while let Some(end) = sentence_end(&self.pending) {
            let rest = self.pending.split_off(end);
            let sentence = std::mem::replace(&mut self.pending, rest);
            let sentence = sentence.trim();
            if !sentence.is_empty() {
                done.push(sentence.to_owned());
            }
        }
        done
    }

    /// What is left once the text is complete.
    pub fn finish(&mut self) -> Option<String> {
        let rest = std::mem::take(&mut self.pending);
        let rest = rest.trim();
        (!rest.is_empty()).then(|| rest.to_owned())
    }
}

/// Where the first complete sentence of `text` ends (a byte offset past its
/// terminator), if one has.
fn sentence_end(text: &str) -> Option<usize> {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let ends = match c {
            '\n' => true,
            '.' | '!' | '?' | '…' => chars.peek().is_some_and(|(_, next)| next.is_whitespace()),
            _ => false,
        };
        if ends && text[..i].trim().chars().count() + 1 >= MIN_SENTENCE_CHARS {
            return Some(i + c.len_utf8());
        }
    }
    // No end in sight: cut at the last space within the longest sentence.
    let (limit, _) = text.char_indices().nth(MAX_SENTENCE_CHARS)?;
    text[..limit].rfind(char::is_whitespace).filter(|&i| i > 0)
}

/// One voiced sentence, ready to send.
#[derive(Debug, Clone)]
pub struct Clip {
    pub bytes: Bytes,
    pub format: AudioFormat,
    pub sample_rate: u32,
}

/// How replies sound.
#[derive(Debug, Clone, Copy)]
pub struct Delivery {
    pub voice: &'static VoiceEntry,
    pub pace: Pace,
    pub tone: Tone,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ClipKey {
    voice: &'static str,
    pace: Pace,
    tone: Tone,
    text: String,
}

/// Voices reply sentences with the narrator's provider (its retries, its cache of
/// speech and its bound on requests at once), encoding each on the blocking pool.
#[derive(Clone)]
pub struct Speaker {
    narrator: Narrator,
    format: AudioFormat,
    clips: moka::future::Cache<ClipKey, Bytes>,
}

impl Speaker {
    pub fn new(narrator: Narrator, format: AudioFormat) -> Speaker {
        let clips = moka::future::Cache::builder()
            .weigher(|key: &ClipKey, clip: &Bytes| {
                u32::try_from(clip.len() + key.text.len()).unwrap_or(u32::MAX)
            })
            .max_capacity(CLIP_CACHE_BYTES)
            .build();
        Speaker {
            narrator,
            format,
            clips,
        }
    }

    /// False when no voice is available (the placeholder tone is not speech).
    pub fn available(&self) -> bool {
        self.narrator.speaks()
    }

    /// `sentence` as an encoded clip.
    pub async fn clip(&self, sentence: &str, delivery: Delivery) -> anyhow::Result<Clip> {
        let key = ClipKey {
            voice: delivery.voice.id,
            pace: delivery.pace,
            tone: delivery.tone,
            text: sentence.to_owned(),
        };
        let format = self.format;
        let bytes = self
            .clips
            .try_get_with(key, async {
                let pcm = self
                    .narrator
                    .speak_sentence(sentence, delivery.voice, delivery.pace, delivery.tone)
                    .await?;
                let options = Assembly {
                    format,
                    sentence_gap: 0.0,
                    ..Assembly::default()
                };
                let encoded = crate::cpu::run(crate::cpu::Lane::Live, move || {
                    audio::assemble(vec![Piece::Speech((*pcm).clone())], &options)
                })
                .await
                .context("encoding a reply clip")?
                .context("encoding a reply clip")?;
                Ok::<_, anyhow::Error>(Bytes::from(encoded.bytes))
            })
            .await
            .map_err(|e: Arc<anyhow::Error>| anyhow::anyhow!("{e:#}"))?;
        Ok(Clip {
            bytes,
            format,
            sample_rate: SAMPLE_RATE,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every sentence of a whole text.
    fn split(text: &str) -> Vec<String> {
        streamed(&[text])
    }

    fn streamed(pieces: &[&str]) -> Vec<String> {
        let mut sentences = Sentences::default();
        let mut all = Vec::new();
        for piece in pieces {
            all.extend(sentences.push(piece));
        }
        all.extend(sentences.finish());
        all
    }

    #[test]
    fn sentences_come_out_as_soon_as_they_end() {
        let mut sentences = Sentences::default();
        assert!(sentences.push("That sounds like a lot to").is_empty());
        assert_eq!(
            sentences.push(" carry. What"),
            ["That sounds like a lot to carry."]
        );
        assert_eq!(sentences.finish().as_deref(), Some("What"));

        let mut sentences = Sentences::default();
        // The terminator alone does not end it: "2.5" or a name may follow.
        assert!(sentences.push("Let us breathe for 2.").is_empty());
        assert_eq!(
            sentences.push("5 minutes together. "),
            ["Let us breathe for 2.5 minutes together."]
        );
    }

    #[test]
    fn streamed_and_whole_text_split_the_same() {
        let text = "Hi. I'm glad you're here! How are you feeling today?\nTake your time… \
                    Whenever you're ready, tell me.";
        let whole = split(text);
        assert_eq!(
            whole,
            [
                "Hi. I'm glad you're here!",
                "How are you feeling today?",
                "Take your time…",
                "Whenever you're ready, tell me."
            ]
        );
        let pieces: Vec<String> = text.chars().map(String::from).collect();
        let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
        assert_eq!(streamed(&pieces), whole);
    }

    #[test]
    fn a_sentence_that_never_ends_is_cut_at_a_space() {
        let words = "breathe in slowly and ".repeat(30);
        let parts = split(&words);
        assert!(parts.len() > 1, "{parts:?}");
        assert!(
            parts
                .iter()
                .all(|p| p.chars().count() <= MAX_SENTENCE_CHARS)
        );
        assert_eq!(parts.join(" "), words.trim());
        assert!(split("   \n  ").is_empty());
    }
}
