//! Text to speech behind one interface: an OpenAI-compatible speech API, ElevenLabs,
//! the local `espeak-ng` program, or a placeholder tone when no voice is available.
//!
//! A provider turns one short piece of text into audio bytes; splitting a script,
//! retries, caching and assembly happen in [`crate::generation::narration`].

mod elevenlabs;
mod espeak;
mod openai;
mod placeholder;
pub mod voices;

use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;
use async_trait::async_trait;

pub use elevenlabs::ElevenLabs;
pub use espeak::Espeak;
pub use openai::OpenAiSpeech;
pub use placeholder::Placeholder;
pub use voices::{DEFAULT_VOICE, VOICES, VoiceEntry};

use crate::config::{TtsChoice, TtsConfig};
use crate::domain::{Pace, Tone};

/// One piece of text to speak.
#[derive(Debug, Clone, Copy)]
pub struct SpeechRequest<'a> {
    pub text: &'a str,
    pub voice: &'static VoiceEntry,
    pub pace: Pace,
    pub tone: Tone,
}

/// What a provider sent back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpeechAudio {
    /// A file the decoder recognises by its first bytes: WAV, MP3 or Ogg.
    Encoded(Vec<u8>),
    /// Raw signed 16-bit little-endian mono samples.
    S16le { sample_rate: u32, bytes: Vec<u8> },
}

/// Why a provider could not speak a piece of text.
#[derive(Debug, thiserror::Error)]
pub enum TtsError {
    /// Worth another try: a timeout, a refused connection, HTTP 429 or 5xx.
    #[error("{provider} failed: {message}")]
    Transient {
        provider: &'static str,
        message: String,
    },
    /// Trying again will not help: bad credentials, a refused voice or text.
    #[error("{provider} refused the request: {message}")]
    Rejected {
        provider: &'static str,
        message: String,
    },
}

impl TtsError {
    pub fn is_retryable(&self) -> bool {
        matches!(self, TtsError::Transient { .. })
    }

    /// Sorts an HTTP error status of `provider` into transient or rejected.
    fn from_status(provider: &'static str, status: u16, body: &str) -> TtsError {
        let message = format!("HTTP {status}: {}", crate::text::truncate_chars(body, 300));
        if status == 408 || status == 429 || status >= 500 {
            TtsError::Transient { provider, message }
        } else {
            TtsError::Rejected { provider, message }
        }
    }
}

/// A text-to-speech provider.
#[async_trait]
pub trait TtsProvider: Send + Sync + 'static {
    /// `openai`, `elevenlabs`, `espeak` or `placeholder`: stored with each item.
    fn name(&self) -> &'static str;
    /// False for the placeholder, which plays a tone instead of a voice.
    fn speaks(&self) -> bool {
        true
    }
    async fn synthesize(&self, request: &SpeechRequest<'_>) -> Result<SpeechAudio, TtsError>;
}

/// Speed factor asked of providers that take one (1.0 = their natural speed).
pub fn speed(pace: Pace) -> f32 {
    match pace {
        Pace::Slower => 0.85,
        Pace::Moderate => 0.95,
        Pace::Faster => 1.1,
    }
}

/// How a guide with this tone should sound, for models that take instructions.
pub fn delivery(tone: Tone) -> &'static str {
    match tone {
        Tone::Warm => "warm and kind",
        Tone::Gentle => "soft and gentle",
        Tone::Calm => "calm and even",
        Tone::Uplifting => "bright and encouraging",
        Tone::Grounding => "steady and grounded",
        Tone::Neutral => "clear and neutral",
    }
}

/// The provider the configuration asks for. `auto` picks ElevenLabs or the OpenAI
/// speech API when credentials are set, else `espeak-ng` when it is installed, else
/// the placeholder. An explicit choice that cannot work is an error at start-up.
pub async fn from_config(config: &TtsConfig) -> anyhow::Result<Arc<dyn TtsProvider>> {
    let timeout = config.timeout;
    let provider: Arc<dyn TtsProvider> = match config.provider {
        TtsChoice::OpenAi => {
            if config.openai_api_key.is_none() && config.openai_base_url.is_none() {
                bail!(
                    "WAQUP_TTS_PROVIDER=openai needs WAQUP_TTS_API_KEY (or WAQUP_TTS_BASE_URL \
                     for a compatible server; the LLM's settings are used when set)"
                );
            }
            Arc::new(OpenAiSpeech::new(config, timeout))
        }
        TtsChoice::ElevenLabs => match &config.elevenlabs_api_key {
            Some(_) => Arc::new(ElevenLabs::new(config, timeout)?),
            None => bail!("WAQUP_TTS_PROVIDER=elevenlabs needs WAQUP_ELEVENLABS_API_KEY"),
        },
        TtsChoice::Espeak => {
            let espeak = Espeak::new(&config.espeak_path, timeout);
            if let Err(e) = espeak.check().await {
                bail!(
                    "WAQUP_TTS_PROVIDER=espeak but `{}` does not run ({e}); install espeak-ng \
                     (apt-get install espeak-ng) or set WAQUP_ESPEAK_PATH",
                    config.espeak_path
                );
            }
            Arc::new(espeak)
        }
        TtsChoice::Placeholder => Arc::new(Placeholder),
        TtsChoice::Auto => auto(config, timeout).await?,
    };
    Ok(provider)
}

async fn auto(config: &TtsConfig, timeout: Duration) -> anyhow::Result<Arc<dyn TtsProvider>> {
    if config.elevenlabs_api_key.is_some() {
        return Ok(Arc::new(ElevenLabs::new(config, timeout)?));
    }
    if config.openai_api_key.is_some() || config.openai_base_url.is_some() {
        return Ok(Arc::new(OpenAiSpeech::new(config, timeout)));
    }
    let espeak = Espeak::new(&config.espeak_path, timeout);
    match espeak.check().await {
        Ok(()) => Ok(Arc::new(espeak)),
        Err(e) => {
            tracing::warn!(
                error = %e,
                "no voice available (no TTS API configured and espeak-ng does not run): \
                 items get a placeholder tone instead of speech"
            );
            Ok(Arc::new(Placeholder))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_sort_into_retryable_or_not() {
        for status in [408, 429, 500, 502, 503] {
            assert!(TtsError::from_status("openai", status, "").is_retryable());
        }
        for status in [400, 401, 403, 404, 422] {
            assert!(!TtsError::from_status("openai", status, "").is_retryable());
        }
        let long = "x".repeat(1000);
        assert!(
            TtsError::from_status("openai", 500, &long)
                .to_string()
                .len()
                < 400
        );
    }

    #[test]
    fn slower_pace_is_slower() {
        assert!(speed(Pace::Slower) < speed(Pace::Moderate));
        assert!(speed(Pace::Moderate) < speed(Pace::Faster));
    }
}
