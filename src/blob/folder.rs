//! The embedded store: one file per key under `{data_dir}/blobs`, served by the app's
//! own `/media/...` route under signed, expiring URLs.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use async_trait::async_trait;

use super::signing::UrlSigner;
use super::{BlobError, BlobKey, BlobStore};

/// The path of the media route; playback URLs are `{public_url}{MEDIA_PATH}/{key}?...`.
pub const MEDIA_PATH: &str = "/media";

pub struct FolderStore {
    root: PathBuf,
    signer: UrlSigner,
    /// Put in front of `/media/...`; empty gives a path-only URL.
    public_base_url: String,
}

impl FolderStore {
    /// A store under `root` ([`super::connect`] creates it). `public_base_url`, such as
    /// `https://api.example.com`, makes playback URLs absolute.
    pub fn new(root: PathBuf, signing_key: [u8; 32], public_base_url: Option<String>) -> Self {
        Self {
            root,
            signer: UrlSigner::new(signing_key),
            public_base_url: public_base_url
                .map(|url| url.trim_end_matches('/').to_owned())
                .unwrap_or_default(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file that holds `key`. A [`BlobKey`] has no `..` or empty segment, so this
    /// never leaves the root.
    pub fn path_of(&self, key: &BlobKey) -> PathBuf {
        self.root.join(key.as_str())
    }

    /// Checks media URLs this store signed.
    pub fn signer(&self) -> &UrlSigner {
        &self.signer
    }

    /// The playback URL of `key`, valid until `expires` (Unix seconds).
    pub fn url_until(&self, key: &BlobKey, expires: u64) -> String {
        format!(
            "{}{MEDIA_PATH}/{key}?{}",
            self.public_base_url,
            self.signer.query(key, expires)
        )
    }
}

/// Writes `bytes` next to `path`, flushes it to disk, then renames it into place, so a
/// reader sees the old file or the new one, never a partial one.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().expect("a blob path has a parent");
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .expect("a blob path has a file name")
        .to_string_lossy();
    let aside = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let written = std::fs::File::create(&aside).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&aside, path));
    if let Err(e) = renamed {
        let _ = std::fs::remove_file(&aside);
        return Err(e);
    }
    // The rename itself survives a crash once the directory is flushed too.
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

/// Runs blocking file work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> std::io::Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(std::io::Error::other)?
}

/// A path that is missing, or is a directory (another key's prefix), holds no blob.
fn is_absent(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::NotFound | ErrorKind::IsADirectory | ErrorKind::NotADirectory
    )
}

#[async_trait]
impl BlobStore for FolderStore {
    fn kind(&self) -> &'static str {
        "folder"
    }

    #[tracing::instrument(skip_all, fields(key = %key, bytes = bytes.len()))]
    async fn put(
        &self,
        key: &BlobKey,
        bytes: Vec<u8>,
        _content_type: &str,
    ) -> Result<(), BlobError> {
        let path = self.path_of(key);
        blocking(move || write_atomically(&path, &bytes))
            .await
            .with_context(|| format!("write blob {key}"))?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(key = %key))]
    async fn get(&self, key: &BlobKey) -> Result<Option<Vec<u8>>, BlobError> {
        match tokio::fs::read(self.path_of(key)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if is_absent(&e) => Ok(None),
            Err(e) => Err(anyhow::Error::new(e)
                .context(format!("read blob {key}"))
                .into()),
        }
    }

    #[tracing::instrument(skip_all, fields(key = %key))]
    async fn exists(&self, key: &BlobKey) -> Result<bool, BlobError> {
        match tokio::fs::metadata(self.path_of(key)).await {
            Ok(meta) => Ok(meta.is_file()),
            Err(e) if is_absent(&e) => Ok(false),
            Err(e) => Err(anyhow::Error::new(e)
                .context(format!("look up blob {key}"))
                .into()),
        }
    }

    #[tracing::instrument(skip_all, fields(key = %key))]
    async fn delete(&self, key: &BlobKey) -> Result<(), BlobError> {
        match tokio::fs::remove_file(self.path_of(key)).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound || e.kind() == ErrorKind::NotADirectory => {
                Ok(())
            }
            Err(e) => Err(anyhow::Error::new(e)
                .context(format!("delete blob {key}"))
                .into()),
        }
    }

    async fn playback_url(&self, key: &BlobKey, ttl: Duration) -> Result<String, BlobError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .context("the clock is before 1970")?;
        // Whole seconds, rounded up, so a URL never expires before `ttl` has passed.
        let expires = (now + ttl).as_secs() + u64::from((now + ttl).subsec_nanos() > 0);
        Ok(self.url_until(key, expires))
    }

    async fn ping(&self) -> Result<(), BlobError> {
        let meta = tokio::fs::metadata(&self.root)
            .await
            .with_context(|| format!("blob folder {}", self.root.display()))?;
        if !meta.is_dir() {
            return Err(anyhow::anyhow!("{} is not a directory", self.root.display()).into());
        }
        Ok(())
    }

    fn folder(&self) -> Option<&FolderStore> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dir: &Path, base: Option<&str>) -> FolderStore {
        FolderStore::new(dir.join("blobs"), [7u8; 32], base.map(str::to_owned))
    }

    #[actix_web::test]
    async fn put_get_overwrite_delete() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path(), None);
        let key = BlobKey::parse("audio/u/c/1.mp3").unwrap();
        assert!(!store.exists(&key).await.unwrap());
        assert_eq!(store.get(&key).await.unwrap(), None);
        store
            .put(&key, b"first".to_vec(), "audio/mpeg")
            .await
            .unwrap();
        store
            .put(&key, b"second".to_vec(), "audio/mpeg")
            .await
            .unwrap();
        assert_eq!(
            store.get(&key).await.unwrap().as_deref(),
            Some(&b"second"[..])
        );
        assert!(store.exists(&key).await.unwrap());
        // Nothing but the blob is left in its folder: the temporary file was renamed.
        let names: Vec<_> = std::fs::read_dir(store.path_of(&key).parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec!["1.mp3"]);
        store.delete(&key).await.unwrap();
        store.delete(&key).await.unwrap();
        assert!(!store.exists(&key).await.unwrap());
    }

    #[actix_web::test]
    async fn a_key_prefix_is_not_a_blob() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path(), None);
        store
            .put(&BlobKey::parse("a/b/c").unwrap(), vec![1], "x")
            .await
            .unwrap();
        let prefix = BlobKey::parse("a/b").unwrap();
        assert!(!store.exists(&prefix).await.unwrap());
        assert_eq!(store.get(&prefix).await.unwrap(), None);
        let under_a_file = BlobKey::parse("a/b/c/d").unwrap();
        assert!(!store.exists(&under_a_file).await.unwrap());
        assert_eq!(store.get(&under_a_file).await.unwrap(), None);
        store.delete(&under_a_file).await.unwrap();
    }

    #[actix_web::test]
    async fn playback_urls_are_signed_and_based() {
        let dir = tempfile::tempdir().unwrap();
        let key = BlobKey::parse("audio/u/c/1.mp3").unwrap();
        let relative = store(dir.path(), None).url_until(&key, 1234);
        assert!(
            relative.starts_with("/media/audio/u/c/1.mp3?expires=1234&sig="),
            "{relative}"
        );
        let absolute = store(dir.path(), Some("https://api.example.com/"))
            .playback_url(&key, Duration::from_secs(60))
            .await
            .unwrap();
        assert!(
            absolute.starts_with("https://api.example.com/media/audio/u/c/1.mp3?expires="),
            "{absolute}"
        );
    }

    #[actix_web::test]
    async fn ping_needs_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path(), None);
        assert!(store.ping().await.is_err());
        std::fs::write(store.root(), b"not a dir").unwrap();
        assert!(store.ping().await.is_err());
        std::fs::remove_file(store.root()).unwrap();
        std::fs::create_dir(store.root()).unwrap();
        store.ping().await.unwrap();
    }
}
