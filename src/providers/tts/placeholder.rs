//! No voice available: a soft tone as long as the text would take to say, so the item
//! still plays with its pauses and length. Items made this way say so in their metadata.

use async_trait::async_trait;

use super::{SpeechAudio, SpeechRequest, TtsError, TtsProvider};
use crate::audio::{self, Pcm};
use crate::domain::Pace;

pub struct Placeholder;

/// Words per minute the tone is timed at.
fn words_per_minute(pace: Pace) -> f64 {
    match pace {
        Pace::Slower => 110.0,
        Pace::Moderate => 130.0,
        Pace::Faster => 150.0,
    }
}

/// Seconds `text` would take to say at `pace` (at least half a second).
pub fn spoken_seconds(text: &str, pace: Pace) -> f64 {
    let words = text.split_whitespace().count() as f64;
    (words * 60.0 / words_per_minute(pace)).max(0.5)
}

#[async_trait]
impl TtsProvider for Placeholder {
    fn name(&self) -> &'static str {
        "placeholder"
    }

    fn speaks(&self) -> bool {
        false
    }

    async fn synthesize(&self, request: &SpeechRequest<'_>) -> Result<SpeechAudio, TtsError> {
        let seconds = spoken_seconds(request.text, request.pace);
        let wav = tokio::task::spawn_blocking(move || {
            let tone: Pcm = audio::tone(seconds, audio::SAMPLE_RATE);
            audio::to_wav(&tone)
        })
        .await
        .map_err(|e| TtsError::Transient {
            provider: "placeholder",
            message: e.to_string(),
        })?;
        Ok(SpeechAudio::Encoded(wav))
    }
}
