//! `GET|HEAD /media/{key}?expires=..&sig=..`: audio of the folder store.
//!
//! No bearer token: the URL's signature is the authorisation (an `<audio>` element
//! cannot send headers), and it expires. Ranges, conditional requests and HEAD are
//! answered by `actix-files`. With S3 the route answers 404: playback URLs point at S3.

use std::collections::HashMap;
use std::io::ErrorKind;
use std::time::{SystemTime, UNIX_EPOCH};

use actix_files::NamedFile;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use anyhow::Context;

use crate::blob::{BlobKey, UrlCheckError, content_type_for};
use crate::error::{ApiError, ErrorEnvelope, code};
use crate::state::AppState;

/// Serves one stored audio file of the local folder store, through the signed URL an
/// item's `audio_url` gives (no bearer token: the signature is the permission). HTTP
/// `Range` and `HEAD` work. With an S3 store, playback URLs point at S3 and this answers
/// 404.
#[utoipa::path(
    get, path = "/media/{key}", tag = "content",
    params(
        ("key" = String, Path, description = "The object key, e.g. `audio/{user}/{item}/1.mp3`"),
        ("expires" = u64, Query, description = "Unix time the URL stops working"),
        ("sig" = String, Query, description = "HMAC-SHA256 of the key and `expires`, hex"),
    ),
    responses(
        (status = 200, description = "The file", content_type = "audio/mpeg"),
        (status = 206, description = "The requested byte range"),
        (status = 403, description = "`MEDIA_URL_INVALID` or `MEDIA_URL_EXPIRED`", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 416, description = "`RANGE_NOT_SATISFIABLE`", body = ErrorEnvelope),
    )
)]
pub async fn media(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let Some(folder) = state.blobs.folder() else {
        return Err(ApiError::not_found("media"));
    };
    let raw_key = req.match_info().query("key");
    let params = web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .unwrap_or_default();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the clock is before 1970")?
        .as_secs();
    let expires = folder
        .signer()
        .verify(
            raw_key,
            params.get("expires").map(String::as_str),
            params.get("sig").map(String::as_str),
            now,
        )
        .map_err(refusal)?;
    // Only valid keys are ever signed, so this cannot fail for a signed URL.
    let key = BlobKey::parse(raw_key).map_err(|_| refusal(UrlCheckError::Invalid))?;
    let path = folder.path_of(&key);
    let opened = web::block(move || {
        let file = NamedFile::open(&path)?;
        // A directory opens too: another key's prefix, not a blob.
        if !file.metadata().is_file() {
            return Err(std::io::Error::from(ErrorKind::NotFound));
        }
        Ok(file)
    })
    .await
    .context("blocking pool")?;
    let file = match opened {
        Ok(file) => file,
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
            return Err(ApiError::not_found("audio"));
        }
        Err(e) => {
            return Err(anyhow::Error::new(e)
                .context(format!("open blob {key}"))
                .into());
        }
    };
    let mime = content_type_for(&key)
        .parse()
        .expect("the known content types parse");
    let mut response = file.set_content_type(mime).into_response(&req);
    if matches!(
        response.status(),
        StatusCode::OK | StatusCode::PARTIAL_CONTENT | StatusCode::NOT_MODIFIED
    ) {
        // Caches may keep it as long as the URL is good, and only for this client.
        let cache_control = format!("private, max-age={}", expires.saturating_sub(now));
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_str(&cache_control).expect("ASCII header value"),
        );
    }
    Ok(response)
}

fn refusal(error: UrlCheckError) -> ApiError {
    match error {
        UrlCheckError::Invalid => ApiError::new(
            StatusCode::FORBIDDEN,
            code::MEDIA_URL_INVALID,
            "the media URL is not valid",
        ),
        UrlCheckError::Expired => ApiError::new(
            StatusCode::FORBIDDEN,
            code::MEDIA_URL_EXPIRED,
            "the media URL has expired; ask for a fresh one",
        ),
    }
}
