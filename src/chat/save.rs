//! Saving the finished item's audio: fetched through its signed playback URL (no token
//! needed: the signature is the permission) and written to a file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};

use super::frames::Item;
use super::server::{ServerUrl, refusal};

/// Longest wait for the whole file (a half-hour ritual is a few tens of megabytes).
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(300);
/// Longest file name made from a title, in characters (before the extension).
const MAX_STEM_CHARS: usize = 60;
/// The format assumed when the item does not say.
const DEFAULT_FORMAT: &str = "mp3";

/// Downloads the item's audio into `path` and returns how many bytes were written.
pub async fn save_audio(
    client: &reqwest::Client,
    server: &ServerUrl,
    item: &Item,
    path: &Path,
) -> anyhow::Result<usize> {
    let Some(link) = &item.audio_url else {
        bail!("the item {} has no audio to save", item.id);
    };
    let url = server.resolve(link);
    let response = client
        .get(url)
        .timeout(DOWNLOAD_TIMEOUT)
        .send()
        .await
        .with_context(|| format!("cannot reach {server} for the audio"))?;
    if !response.status().is_success() {
        bail!("downloading the audio failed: {}", refusal(response).await);
    }
    let audio = response.bytes().await.context("downloading the audio")?;
    tokio::fs::write(path, &audio)
        .await
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(audio.len())
}

/// Where the audio goes without `--out`: `./<title>.<format>`, the title made safe for
/// a file name (the item's id when it has none).
pub fn default_path(item: &Item) -> PathBuf {
    let stem = item
        .title
        .as_deref()
        .map(file_stem)
        .filter(|stem| !stem.is_empty())
        .unwrap_or_else(|| item.id.to_string());
    Path::new(".").join(format!(
        "{stem}.{}",
        extension(item.audio_format.as_deref())
    ))
}

/// A title as a file name: lower case letters and digits, other runs of characters as
/// one `-`, at most [`MAX_STEM_CHARS`]. "Calm, at Work!" -> `calm-at-work`.
pub fn file_stem(title: &str) -> String {
    let mut stem = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            stem.push(c);
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let stem: String = stem.chars().take(MAX_STEM_CHARS).collect();
    stem.trim_end_matches('-').to_owned()
}

/// The file extension for an audio format; anything unexpected falls back to mp3
/// rather than ending up in a file name.
fn extension(format: Option<&str>) -> &str {
    match format {
        Some(format) if !format.is_empty() && format.chars().all(|c| c.is_ascii_alphanumeric()) => {
            format
        }
        _ => DEFAULT_FORMAT,
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    #[test]
    fn titles_become_file_names() {
        let cases = [
            ("Calm, at Work!", "calm-at-work"),
            ("  Morning   confidence  ", "morning-confidence"),
            ("Évening rest", "évening-rest"),
            ("../../etc/passwd", "etc-passwd"),
            ("!!!", ""),
            ("", ""),
        ];
        for (title, stem) in cases {
            assert_eq!(file_stem(title), stem, "{title:?}");
        }
        assert_eq!(file_stem(&"a".repeat(100)).chars().count(), MAX_STEM_CHARS);
        assert!(!file_stem(&format!("{}-{}", "a".repeat(59), "b")).ends_with('-'));
    }

    #[test]
    fn the_default_path_uses_the_title_else_the_id() {
        let mut item = Item {
            id: Uuid::nil(),
            title: Some("Confident at Work".into()),
            audio_url: None,
            audio_format: Some("ogg".into()),
            audio_duration: None,
        };
        assert_eq!(default_path(&item), Path::new("./confident-at-work.ogg"));
        item.title = Some("???".into());
        item.audio_format = None;
        assert_eq!(
            default_path(&item),
            Path::new("./00000000-0000-0000-0000-000000000000.mp3")
        );
        item.audio_format = Some("../x".into());
        assert!(default_path(&item).to_string_lossy().ends_with(".mp3"));
    }
}
