//! The local `espeak-ng` program: real speech with no service and no key.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use super::{SpeechAudio, SpeechRequest, TtsError, TtsProvider};
use crate::domain::Pace;

const NAME: &str = "espeak";

pub struct Espeak {
    program: String,
    timeout: Duration,
}

/// Words per minute: slower than espeak's brisk default of 175, as a guide speaks.
fn words_per_minute(pace: Pace) -> u32 {
    match pace {
        Pace::Slower => 120,
        Pace::Moderate => 140,
        Pace::Faster => 160,
    }
}

impl Espeak {
    pub fn new(program: &str, timeout: Duration) -> Espeak {
        Espeak {
            program: program.to_owned(),
            timeout,
        }
    }

    /// Runs `espeak-ng --version`: whether the program is there and starts.
    pub async fn check(&self) -> anyhow::Result<()> {
        let output = tokio::time::timeout(
            Duration::from_secs(5),
            Command::new(&self.program)
                .arg("--version")
                .stdin(Stdio::null())
                .kill_on_drop(true)
                .output(),
        )
        .await??;
        anyhow::ensure!(output.status.success(), "exited with {}", output.status);
        Ok(())
    }

    fn failed(message: impl Into<String>) -> TtsError {
        TtsError::Transient {
            provider: NAME,
            message: message.into(),
        }
    }

    /// Speaks `text` into a WAV file at `path` (a file, not stdout: espeak-ng writes a
    /// complete header only to a file).
    async fn speak_to(&self, request: &SpeechRequest<'_>, path: &PathBuf) -> Result<(), TtsError> {
        let mut child = Command::new(&self.program)
            .args(["--stdin", "-v", request.voice.espeak, "-s"])
            .arg(words_per_minute(request.pace).to_string())
            .arg("-w")
            .arg(path)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| Self::failed(format!("cannot start {}: {e}", self.program)))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(request.text.as_bytes())
                .await
                .map_err(|e| Self::failed(format!("writing the text: {e}")))?;
        }
        let output = tokio::time::timeout(self.timeout, child.wait_with_output())
            .await
            .map_err(|_| Self::failed(format!("no audio within {} s", self.timeout.as_secs())))?
            .map_err(|e| Self::failed(e.to_string()))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(Self::failed(format!(
                "exited with {}: {}",
                output.status,
                stderr.trim()
            )));
        }
        Ok(())
    }
}

/// A temporary WAV path, removed when dropped (also when the synthesis is cancelled).
struct TempWav(PathBuf);

impl TempWav {
    fn new() -> TempWav {
        TempWav(std::env::temp_dir().join(format!("waqup-tts-{}.wav", uuid::Uuid::new_v4())))
    }
}

impl Drop for TempWav {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[async_trait]
impl TtsProvider for Espeak {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn synthesize(&self, request: &SpeechRequest<'_>) -> Result<SpeechAudio, TtsError> {
        let started = Instant::now();
        let file = TempWav::new();
        let spoken = self.speak_to(request, &file.0).await;
        let read = match spoken {
            Ok(()) => tokio::fs::read(&file.0)
                .await
                .map_err(|e| Self::failed(format!("reading its output: {e}"))),
            Err(e) => Err(e),
        };
        drop(file);
        metrics::histogram!("tts_request_seconds", "provider" => NAME)
            .record(started.elapsed().as_secs_f64());
        if read.is_err() {
            metrics::counter!("tts_errors_total", "provider" => NAME).increment(1);
        }
        read.map(SpeechAudio::Encoded)
    }
}
