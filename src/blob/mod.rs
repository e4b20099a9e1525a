//! Audio objects: a local folder (embedded default) or an S3-compatible store.
//!
//! Both sides implement [`BlobStore`]. Keys are [`BlobKey`]s, checked once so they are
//! safe as file paths and S3 keys alike. Playback goes through expiring URLs: pre-signed
//! S3 GETs, or the app's own `/media/...` route with an HMAC signature
//! ([`signing::UrlSigner`]) for the folder.

mod folder;
mod key;
mod s3;
pub mod signing;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;

use crate::config::Config;
use crate::error::ApiError;

pub use self::folder::{FolderStore, MEDIA_PATH};
pub use self::key::{BlobKey, MAX_KEY_BYTES, content_type_for};
pub use self::s3::S3Store;
pub use self::signing::{UrlCheckError, UrlSigner, derive_signing_key};

/// The folder store's directory under the data dir.
pub const BLOBS_DIR: &str = "blobs";

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("invalid blob key {0}")]
    InvalidKey(String),
    #[error("blob not found")]
    NotFound,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<BlobError> for ApiError {
    fn from(e: BlobError) -> Self {
        match e {
            BlobError::NotFound => ApiError::not_found("audio"),
            // Keys are made by the server, so a bad one is our bug, not the client's.
            BlobError::InvalidKey(reason) => {
                ApiError::unexpected(anyhow::anyhow!("invalid blob key {reason}"))
            }
            BlobError::Other(e) => ApiError::unexpected(e),
        }
    }
}

#[async_trait]
pub trait BlobStore: Send + Sync + 'static {
    /// `folder` or `s3`, for logs and `/readyz`.
    fn kind(&self) -> &'static str;
    /// Stores `bytes` at `key`, replacing what was there. Readers see the old object or
    /// the new one, never a partial one. S3 keeps `content_type` with the object; the
    /// folder answers the type of the key's extension ([`content_type_for`]).
    async fn put(&self, key: &BlobKey, bytes: Vec<u8>, content_type: &str)
    -> Result<(), BlobError>;
    /// The object's bytes; `None` when there is none.
    async fn get(&self, key: &BlobKey) -> Result<Option<Vec<u8>>, BlobError>;
    async fn exists(&self, key: &BlobKey) -> Result<bool, BlobError>;
    /// Removes the object; removing a missing one succeeds.
    async fn delete(&self, key: &BlobKey) -> Result<(), BlobError>;
    /// A URL that plays the object for `ttl`: a pre-signed S3 GET, or the folder's
    /// `{public_url}/media/{key}?expires={unix}&sig={hex}`. The object need not exist yet.
    async fn playback_url(&self, key: &BlobKey, ttl: Duration) -> Result<String, BlobError>;
    /// A cheap reachability check for `/readyz` (S3: HeadBucket).
    async fn ping(&self) -> Result<(), BlobError>;
    /// The folder store, which the `/media` route serves; `None` for remote stores.
    fn folder(&self) -> Option<&FolderStore> {
        None
    }
}

/// The configured store: S3 when `WAQUP_S3_BUCKET` is set, else `{data_dir}/blobs`
/// (created here). `signing_key` signs the folder's media URLs.
pub async fn connect(config: &Config, signing_key: [u8; 32]) -> anyhow::Result<Arc<dyn BlobStore>> {
    if let Some(s3) = &config.s3 {
        let store = S3Store::new(s3).await;
        match store.ping().await {
            Ok(()) => tracing::info!(
                bucket = %s3.bucket,
                endpoint = s3.endpoint.as_deref().unwrap_or("AWS"),
                "blobs in S3"
            ),
            // Like Redis: reported (and `/readyz` fails) rather than fatal.
            Err(e) => tracing::error!(
                bucket = %s3.bucket,
                error = format!("{e:#}"),
                "the S3 bucket does not answer; audio cannot be stored until it does"
            ),
        }
        return Ok(Arc::new(store));
    }
    let root = config.data_dir.join(BLOBS_DIR);
    tokio::fs::create_dir_all(&root)
        .await
        .with_context(|| format!("cannot create the blob folder {}", root.display()))?;
    tracing::info!(root = %root.display(), "blobs in a local folder");
    Ok(Arc::new(FolderStore::new(
        root,
        signing_key,
        config.public_url.clone(),
    )))
}
