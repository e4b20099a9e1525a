//! Speech input: an OpenAI-compatible transcription API (`POST
//! {base}/audio/transcriptions`, a multipart upload of one utterance).

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_openai::Client;
use async_openai::config::OpenAIConfig;
use async_openai::error::OpenAIError;
use async_openai::types::audio::{AudioInput, CreateTranscriptionRequest};
use tokio::sync::Semaphore;

use crate::audio::Utterance;
use crate::config::SttConfig;

/// Transcriptions in flight at once on this node; the rest wait their turn.
const CONCURRENCY: usize = 16;

/// Why an utterance has no transcript.
#[derive(Debug, thiserror::Error)]
pub enum SttError {
    #[error("the speech-to-text service did not answer within {0} s")]
    Timeout(u64),
    #[error("the speech-to-text service refused the audio: {0}")]
    Rejected(String),
    #[error("the speech-to-text service failed: {0}")]
    Failed(String),
}

/// The part of the answer that matters.
#[derive(serde::Deserialize)]
struct Transcript {
    text: String,
}

/// The configured transcription API, shared by every socket of the node.
#[derive(Clone)]
pub struct Transcriber {
    client: Client<OpenAIConfig>,
    model: String,
    timeout: Duration,
    permits: Arc<Semaphore>,
}

impl Transcriber {
    pub fn new(config: &SttConfig) -> Transcriber {
        Transcriber {
            client: super::openai_client(&config.base_url, config.api_key.as_ref()),
            model: config.model.clone(),
            timeout: config.timeout,
            permits: Arc::new(Semaphore::new(CONCURRENCY)),
        }
    }

    /// The text of one utterance (trimmed; empty when nothing was said).
    pub async fn transcribe(&self, utterance: Utterance) -> Result<String, SttError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .expect("the semaphore is never closed");
        let request = CreateTranscriptionRequest {
            file: AudioInput::from_vec_u8(utterance.file_name.to_owned(), utterance.bytes),
            model: self.model.clone(),
            ..Default::default()
        };
        let started = Instant::now();
        // Read as `{text}` only: servers that speak this API do not all send `usage`.
        let answer = tokio::time::timeout(
            self.timeout,
            self.client
                .audio()
                .transcription()
                .create_byot::<_, Transcript>(request),
        )
        .await;
        metrics::histogram!("stt_request_seconds").record(started.elapsed().as_secs_f64());
        let result = match answer {
            Err(_) => Err(SttError::Timeout(self.timeout.as_secs())),
            Ok(Err(OpenAIError::ApiError(api))) if api.status_code.is_client_error() => {
                Err(SttError::Rejected(api.api_error.message))
            }
            Ok(Err(e)) => Err(SttError::Failed(e.to_string())),
            Ok(Ok(response)) => Ok(response.text.trim().to_owned()),
        };
        if let Err(e) = &result {
            metrics::counter!("stt_errors_total").increment(1);
            tracing::warn!(error = %e, "transcription failed");
        }
        result
    }
}
