//! ElevenLabs text to speech (`POST {base}/v1/text-to-speech/{voice_id}`), answered as MP3.

use std::time::{Duration, Instant};

use anyhow::Context;
use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::{SpeechAudio, SpeechRequest, TtsError, TtsProvider, speed};
use crate::config::TtsConfig;
use crate::domain::Tone;

const NAME: &str = "elevenlabs";
/// Available on every plan; decoded like any MP3.
const OUTPUT_FORMAT: &str = "mp3_44100_128";

pub struct ElevenLabs {
    http: reqwest::Client,
    base_url: String,
    api_key: SecretString,
    model: String,
}

impl ElevenLabs {
    pub fn new(config: &TtsConfig, timeout: Duration) -> anyhow::Result<ElevenLabs> {
        let api_key = config
            .elevenlabs_api_key
            .clone()
            .context("WAQUP_ELEVENLABS_API_KEY is not set")?;
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .context("build the ElevenLabs HTTP client")?;
        Ok(ElevenLabs {
            http,
            base_url: config.elevenlabs_base_url.trim_end_matches('/').to_owned(),
            api_key,
            model: config.elevenlabs_model.clone(),
        })
    }
}

/// Steadier delivery for the quiet tones, livelier for the bright one.
fn stability(tone: Tone) -> f32 {
    match tone {
        Tone::Calm | Tone::Gentle | Tone::Grounding => 0.7,
        Tone::Warm | Tone::Neutral => 0.55,
        Tone::Uplifting => 0.4,
    }
}

#[async_trait]
impl TtsProvider for ElevenLabs {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn synthesize(&self, request: &SpeechRequest<'_>) -> Result<SpeechAudio, TtsError> {
        let url = format!(
            "{}/v1/text-to-speech/{}?output_format={OUTPUT_FORMAT}",
            self.base_url, request.voice.elevenlabs
        );
        let body = json!({
            "text": request.text,
            "model_id": self.model,
            "voice_settings": {
                "stability": stability(request.tone),
                "similarity_boost": 0.75,
                "style": 0.0,
                "use_speaker_boost": true,
                "speed": speed(request.pace),
            },
        });
        let started = Instant::now();
        let sent = self
            .http
            .post(url)
            .header("xi-api-key", self.api_key.expose_secret())
            .header("accept", "audio/mpeg")
            .json(&body)
            .send()
            .await;
        let result = match sent {
            Err(e) => Err(TtsError::Transient {
                provider: NAME,
                message: e.without_url().to_string(),
            }),
            Ok(response) if !response.status().is_success() => {
                let status = response.status().as_u16();
                let text = response.text().await.unwrap_or_default();
                Err(TtsError::from_status(NAME, status, &text))
            }
            Ok(response) => match response.bytes().await {
                Ok(bytes) if !bytes.is_empty() => Ok(SpeechAudio::Encoded(bytes.to_vec())),
                Ok(_) => Err(TtsError::Transient {
                    provider: NAME,
                    message: "empty audio".into(),
                }),
                Err(e) => Err(TtsError::Transient {
                    provider: NAME,
                    message: e.without_url().to_string(),
                }),
            },
        };
        metrics::histogram!("tts_request_seconds", "provider" => NAME)
            .record(started.elapsed().as_secs_f64());
        if result.is_err() {
            metrics::counter!("tts_errors_total", "provider" => NAME).increment(1);
        }
        result
    }
}
