//! Turning a script into one audio file: split it, speak each sentence through the TTS
//! provider (a few at once, retried with backoff, cached), then assemble the pieces
//! with the script's pauses, fitted to the asked length, and encode.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use futures_util::{StreamExt, TryStreamExt, stream};
use tokio::sync::mpsc::UnboundedSender;

use crate::audio::{self, Assembly, AudioFormat, Bed, Part, Pcm, Piece};
use crate::cpu::{self, Lane};
use crate::domain::{Pace, Tone};
use crate::providers::tts::{SpeechAudio, SpeechRequest, TtsError, TtsProvider, VoiceEntry};

/// Tries per sentence before the narration fails.
const TTS_ATTEMPTS: u32 = 3;
/// First wait between tries; doubles each time.
const TTS_BACKOFF: Duration = Duration::from_millis(300);
/// Bytes of decoded speech the cache keeps (16-bit samples).
const CACHE_BYTES: u64 = 256 * 1024 * 1024;

/// What to narrate.
#[derive(Debug, Clone, Copy)]
pub struct NarrationRequest<'a> {
    pub script: &'a str,
    pub voice: &'static VoiceEntry,
    pub pace: Pace,
    pub tone: Tone,
    /// How long the whole track should last; pauses stretch or shrink to fit.
    pub target_seconds: Option<f64>,
}

/// A finished track.
#[derive(Debug)]
pub struct Narration {
    pub bytes: Vec<u8>,
    pub seconds: f64,
    pub format: AudioFormat,
    pub provider: &'static str,
    /// False when no voice was available and a tone stands in for speech.
    pub spoken: bool,
    pub sentences: usize,
}

/// Sentences spoken so far, of how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spoken {
    pub done: usize,
    pub total: usize,
}

/// A sentence already spoken with this provider, voice and delivery.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    provider: &'static str,
    voice: &'static str,
    pace: Pace,
    tone: Tone,
    text: String,
}

/// Speaks scripts through one TTS provider.
#[derive(Clone)]
pub struct Narrator {
    tts: Arc<dyn TtsProvider>,
    cache: moka::future::Cache<CacheKey, Arc<Pcm>>,
    /// Sentences being spoken on this node at once, across all generations.
    speaking: Arc<tokio::sync::Semaphore>,
    concurrency: usize,
    format: AudioFormat,
    bed: Option<Bed>,
}

impl Narrator {
    pub fn new(
        tts: Arc<dyn TtsProvider>,
        concurrency: usize,
        format: AudioFormat,
        bed: Option<Bed>,
    ) -> Narrator {
        let cache = moka::future::Cache::builder()
            .weigher(|key: &CacheKey, pcm: &Arc<Pcm>| {
                let bytes = pcm.samples.len() * 2 + key.text.len();
                u32::try_from(bytes).unwrap_or(u32::MAX)
            })
            .max_capacity(CACHE_BYTES)
            .build();
        let concurrency = concurrency.max(1);
        Narrator {
            tts,
            cache,
            speaking: Arc::new(tokio::sync::Semaphore::new(concurrency)),
            concurrency,
            format,
            bed,
        }
    }

    pub fn provider(&self) -> &'static str {
        self.tts.name()
    }

    /// Seconds the audio of an item is expected to take: a local voice speaks in a few
    /// seconds, a remote one in tens.
    pub fn estimated_seconds(&self) -> u32 {
        match self.tts.name() {
            "espeak" | "placeholder" => 5,
            _ => 30,
        }
    }

    /// False when a placeholder tone stands in for a voice.
    pub fn speaks(&self) -> bool {
        self.tts.speaks()
    }

    /// Narrates a script. `progress` hears of every sentence spoken.
    pub async fn narrate(
        &self,
        request: NarrationRequest<'_>,
        progress: Option<UnboundedSender<Spoken>>,
    ) -> anyhow::Result<Narration> {
        let parts = audio::split_script(request.script);
        let total = parts
            .iter()
            .filter(|p| matches!(p, Part::Speech(_)))
            .count();
        anyhow::ensure!(total > 0, "the script has nothing to say");
        let mut done = 0;
        let pieces: Vec<Piece> = stream::iter(parts)
            .map(|part| async move {
                match part {
                    Part::Pause(seconds) => Ok::<_, anyhow::Error>(Piece::Pause(seconds)),
                    Part::Speech(text) => {
                        let pcm = self.speak(&text, &request, Lane::Batch).await?;
                        Ok(Piece::Speech((*pcm).clone()))
                    }
                }
            })
            .buffered(self.concurrency)
            .inspect_ok(|piece| {
                if matches!(piece, Piece::Speech(_)) {
                    done += 1;
                    if let Some(progress) = &progress {
                        let _ = progress.send(Spoken { done, total });
                    }
                }
            })
            .try_collect()
            .await?;
        let options = Assembly {
            format: self.format,
            sentence_gap: sentence_gap(request.pace),
            target_seconds: request.target_seconds,
            bed: self.bed,
            ..Assembly::default()
        };
        let encoded = cpu::run(Lane::Batch, move || audio::assemble(pieces, &options))
            .await
            .context("assembling the audio")?
            .context("assembling the audio")?;
        Ok(Narration {
            bytes: encoded.bytes,
            seconds: encoded.seconds,
            format: encoded.format,
            provider: self.tts.name(),
            spoken: self.tts.speaks(),
            sentences: total,
        })
    }

    /// One sentence (of a spoken reply) as PCM, through the same cache and retries.
    pub async fn speak_sentence(
        &self,
        text: &str,
        voice: &'static VoiceEntry,
        pace: Pace,
        tone: Tone,
    ) -> anyhow::Result<Arc<Pcm>> {
        let request = NarrationRequest {
            script: text,
            voice,
            pace,
            tone,
            target_seconds: None,
        };
        self.speak(text, &request, Lane::Live).await
    }

    /// One sentence as PCM: from the cache, or spoken (and retried) and decoded (in
    /// `lane`).
    async fn speak(
        &self,
        text: &str,
        request: &NarrationRequest<'_>,
        lane: Lane,
    ) -> anyhow::Result<Arc<Pcm>> {
        let key = CacheKey {
            provider: self.tts.name(),
            voice: request.voice.id,
            pace: request.pace,
            tone: request.tone,
            text: text.to_owned(),
        };
        if let Some(pcm) = self.cache.get(&key).await {
            metrics::counter!("tts_cache_hits_total").increment(1);
            return Ok(pcm);
        }
        metrics::counter!("tts_cache_misses_total").increment(1);
        let speech = SpeechRequest {
            text,
            voice: request.voice,
            pace: request.pace,
            tone: request.tone,
        };
        let answer = self.with_retries(&speech).await?;
        let pcm = cpu::run(lane, move || decode(answer))
            .await
            .context("decoding speech")??;
        let pcm = Arc::new(pcm);
        self.cache.insert(key, pcm.clone()).await;
        Ok(pcm)
    }

    async fn with_retries(&self, speech: &SpeechRequest<'_>) -> anyhow::Result<SpeechAudio> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let spoken = {
                let _permit = self
                    .speaking
                    .acquire()
                    .await
                    .context("the narrator is shutting down")?;
                self.tts.synthesize(speech).await
            };
            match spoken {
                Ok(answer) => return Ok(answer),
                Err(e) if e.is_retryable() && attempt < TTS_ATTEMPTS => {
                    tracing::warn!(attempt, error = %e, "speech failed; retrying");
                    tokio::time::sleep(TTS_BACKOFF * 2u32.pow(attempt - 1)).await;
                }
                Err(e) => return Err(given_up(e, attempt)),
            }
        }
    }
}

fn given_up(error: TtsError, attempts: u32) -> anyhow::Error {
    anyhow::Error::new(error).context(format!("speech failed after {attempts} tries"))
}

fn decode(answer: SpeechAudio) -> anyhow::Result<Pcm> {
    let pcm = match answer {
        SpeechAudio::Encoded(bytes) => audio::decode(&bytes),
        SpeechAudio::S16le { sample_rate, bytes } => audio::from_s16le(&bytes, sample_rate),
    };
    pcm.context("the speech provider sent audio that does not decode")
}

/// Silence between two sentences that follow each other: a slower guide leaves more.
pub fn sentence_gap(pace: Pace) -> f64 {
    match pace {
        Pace::Slower => 1.0,
        Pace::Moderate => 0.75,
        Pace::Faster => 0.5,
    }
}
