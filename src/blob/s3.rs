//! The production store: any S3-compatible service (AWS, MinIO, s3s, ...), reached with
//! aws-sdk-s3. Playback URLs are pre-signed GETs: clients fetch audio from S3 itself.

use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use secrecy::ExposeSecret;

use super::{BlobError, BlobKey, BlobStore};
use crate::config::S3Config;

/// Credentials given in the configuration are named so in the SDK's logs.
const CONFIG_CREDENTIALS: &str = "waqup-config";

pub struct S3Store {
    client: Client,
    bucket: String,
}

impl S3Store {
    /// A client for the configured bucket. Credentials come from the configuration or,
    /// when it has none, from the usual AWS chain (`AWS_ACCESS_KEY_ID`, profiles, IMDS, ...).
    /// Nothing is contacted here; `ping` checks the bucket.
    pub async fn new(config: &S3Config) -> S3Store {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(config.region.clone()));
        if let Some(credentials) = &config.credentials {
            loader = loader.credentials_provider(Credentials::new(
                credentials.access_key_id.clone(),
                credentials.secret_access_key.expose_secret().to_owned(),
                None,
                None,
                CONFIG_CREDENTIALS,
            ));
        }
        let shared = loader.load().await;
        let mut builder =
            aws_sdk_s3::config::Builder::from(&shared).force_path_style(config.path_style);
        if let Some(endpoint) = &config.endpoint {
            builder = builder.endpoint_url(endpoint.clone());
        }
        S3Store::from_client(Client::from_conf(builder.build()), config.bucket.clone())
    }

    pub fn from_client(client: Client, bucket: String) -> S3Store {
        S3Store { client, bucket }
    }

    pub fn bucket(&self) -> &str {
        &self.bucket
    }
}

/// The SDK's error with its whole cause chain (its `Display` alone says "service error").
fn sdk_error<E, R>(error: SdkError<E, R>, what: String) -> BlobError
where
    E: std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    anyhow::anyhow!("{what}: {}", DisplayErrorContext(&error)).into()
}

/// Whether a failed request was answered 404 (some S3-compatible servers answer a HEAD
/// or DELETE of a missing key without the modelled error code).
fn is_http_404<E>(error: &SdkError<E, aws_sdk_s3::config::http::HttpResponse>) -> bool {
    error
        .raw_response()
        .is_some_and(|r| r.status().as_u16() == 404)
}

#[async_trait]
impl BlobStore for S3Store {
    fn kind(&self) -> &'static str {
        "s3"
    }

    #[tracing::instrument(skip_all, fields(key = %key, bytes = bytes.len()))]
    async fn put(
        &self,
        key: &BlobKey,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> Result<(), BlobError> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .content_type(content_type)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| sdk_error(e, format!("put s3://{}/{key}", self.bucket)))?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(key = %key))]
    async fn get(&self, key: &BlobKey) -> Result<Option<Vec<u8>>, BlobError> {
        let output = match self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .send()
            .await
        {
            Ok(output) => output,
            Err(e) if e.as_service_error().is_some_and(|e| e.is_no_such_key()) => return Ok(None),
            Err(e) if is_http_404(&e) => return Ok(None),
            Err(e) => return Err(sdk_error(e, format!("get s3://{}/{key}", self.bucket))),
        };
        let bytes = output
            .body
            .collect()
            .await
            .with_context(|| format!("read s3://{}/{key}", self.bucket))?;
        Ok(Some(bytes.into_bytes().to_vec()))
    }

    #[tracing::instrument(skip_all, fields(key = %key))]
    async fn exists(&self, key: &BlobKey) -> Result<bool, BlobError> {
        match self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(false),
            Err(e) if is_http_404(&e) => Ok(false),
            Err(e) => Err(sdk_error(e, format!("head s3://{}/{key}", self.bucket))),
        }
    }

    #[tracing::instrument(skip_all, fields(key = %key))]
    async fn delete(&self, key: &BlobKey) -> Result<(), BlobError> {
        match self
            .client
            .delete_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .send()
            .await
        {
            Ok(_) => Ok(()),
            // S3 answers 204 for a missing key; some compatible servers answer 404.
            Err(e)
                if is_http_404(&e)
                    && e.as_service_error().and_then(|e| e.code()) != Some("NoSuchBucket") =>
            {
                Ok(())
            }
            Err(e) => Err(sdk_error(e, format!("delete s3://{}/{key}", self.bucket))),
        }
    }

    async fn playback_url(&self, key: &BlobKey, ttl: Duration) -> Result<String, BlobError> {
        let presigning = PresigningConfig::expires_in(ttl).context("pre-signed URL lifetime")?;
        let request = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .presigned(presigning)
            .await
            .map_err(|e| sdk_error(e, format!("pre-sign s3://{}/{key}", self.bucket)))?;
        Ok(request.uri().to_owned())
    }

    async fn ping(&self) -> Result<(), BlobError> {
        self.client
            .head_bucket()
            .bucket(&self.bucket)
            .send()
            .await
            .map_err(|e| sdk_error(e, format!("head bucket {}", self.bucket)))?;
        Ok(())
    }
}
