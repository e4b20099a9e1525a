//! Any OpenAI-compatible speech API (`POST {base}/audio/speech`).

use std::time::{Duration, Instant};

use async_openai::Client;
use async_openai::config::OpenAIConfig;
use async_openai::error::OpenAIError;
use async_openai::types::audio::{CreateSpeechRequest, SpeechModel, SpeechResponseFormat, Voice};
use async_trait::async_trait;

use super::{SpeechAudio, SpeechRequest, TtsError, TtsProvider, delivery, speed};
use crate::config::{DEFAULT_LLM_BASE_URL, TtsConfig};

const NAME: &str = "openai";
/// `response_format: "pcm"` is raw 16-bit mono at this rate.
const PCM_SAMPLE_RATE: u32 = 24_000;

pub struct OpenAiSpeech {
    client: Client<OpenAIConfig>,
    model: String,
    timeout: Duration,
}

impl OpenAiSpeech {
    pub fn new(config: &TtsConfig, timeout: Duration) -> OpenAiSpeech {
        let base_url = config
            .openai_base_url
            .as_deref()
            .unwrap_or(DEFAULT_LLM_BASE_URL);
        OpenAiSpeech {
            client: crate::providers::openai_client(base_url, config.openai_api_key.as_ref()),
            model: config.openai_model.clone(),
            timeout,
        }
    }

    /// `tts-1` models take no instructions; newer ones are told how to sound.
    fn takes_instructions(&self) -> bool {
        !self.model.starts_with("tts-1")
    }
}

#[async_trait]
impl TtsProvider for OpenAiSpeech {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn synthesize(&self, request: &SpeechRequest<'_>) -> Result<SpeechAudio, TtsError> {
        let instructions = self.takes_instructions().then(|| {
            format!(
                "You are a meditation guide. Speak {}, with a {} voice, leaving room \
                 between sentences.",
                match request.pace {
                    crate::domain::Pace::Slower => "slowly",
                    crate::domain::Pace::Moderate => "unhurriedly",
                    crate::domain::Pace::Faster => "at an easy conversational pace",
                },
                delivery(request.tone)
            )
        });
        let speech = CreateSpeechRequest {
            input: request.text.to_owned(),
            model: SpeechModel::Other(self.model.clone()),
            voice: Voice::Other(request.voice.openai.to_owned()),
            instructions,
            response_format: Some(SpeechResponseFormat::Pcm),
            speed: Some(speed(request.pace)),
            stream_format: None,
        };
        let started = Instant::now();
        let answer =
            tokio::time::timeout(self.timeout, self.client.audio().speech().create(speech)).await;
        metrics::histogram!("tts_request_seconds", "provider" => NAME)
            .record(started.elapsed().as_secs_f64());
        let response = match answer {
            Err(_) => {
                metrics::counter!("tts_errors_total", "provider" => NAME).increment(1);
                return Err(TtsError::Transient {
                    provider: NAME,
                    message: format!("no answer within {} s", self.timeout.as_secs()),
                });
            }
            Ok(Err(e)) => return Err(classify(e)),
            Ok(Ok(response)) => response,
        };
        if response.bytes.is_empty() {
            return Err(TtsError::Transient {
                provider: NAME,
                message: "empty audio".into(),
            });
        }
        let bytes = response.bytes.to_vec();
        // A compatible server that answers a file instead of raw samples is decoded as one.
        if is_audio_file(&bytes) {
            return Ok(SpeechAudio::Encoded(bytes));
        }
        Ok(SpeechAudio::S16le {
            sample_rate: PCM_SAMPLE_RATE,
            bytes,
        })
    }
}

/// Whether `bytes` start like a WAV, tagged MP3 or Ogg file rather than raw samples (a
/// bare MP3 frame header is not tested: raw samples can start the same way).
fn is_audio_file(bytes: &[u8]) -> bool {
    bytes.starts_with(b"RIFF") || bytes.starts_with(b"ID3") || bytes.starts_with(b"OggS")
}

/// An API error with a status of 4xx (but 408/429) is the request's fault; anything
/// else (transport, 5xx, 429) may pass on another try.
fn classify(error: OpenAIError) -> TtsError {
    metrics::counter!("tts_errors_total", "provider" => NAME).increment(1);
    match &error {
        OpenAIError::ApiError(api) => {
            TtsError::from_status(NAME, api.status_code.as_u16(), &api.api_error.message)
        }
        OpenAIError::InvalidArgument(message) => TtsError::Rejected {
            provider: NAME,
            message: message.clone(),
        },
        other => TtsError::Transient {
            provider: NAME,
            message: other.to_string(),
        },
    }
}
