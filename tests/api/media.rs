//! `GET|HEAD /media/{key}`: the folder store's signed, expiring URLs, with HTTP Range.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::{Response, StatusCode};
use uuid::Uuid;
use waqup::blob::{BlobKey, FolderStore};

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, expect_error};

backend_tests!(
    whole_file_with_its_headers,
    byte_ranges,
    head_requests,
    content_type_follows_the_extension,
    expired_urls_are_refused,
    altered_urls_are_refused,
    a_missing_object_is_not_found,
);

const SIZE: usize = 5000;
const TTL: Duration = Duration::from_secs(600);

/// The app on this backend with blobs in its folder, whatever services are configured.
async fn spawn(backend: Backend) -> Option<TestApp> {
    TestApp::builder(backend).folder_blobs().spawn().await
}

fn folder(app: &TestApp) -> &FolderStore {
    app.state.blobs.folder().expect("the folder store")
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Bytes that differ at every offset, so a wrong slice cannot pass for the right one.
fn payload() -> Vec<u8> {
    (0..SIZE).map(|i| (i % 251) as u8).collect()
}

/// Puts the payload at a fresh audio key and returns the key and its playback URL.
async fn stored(app: &TestApp, extension: &str) -> (BlobKey, String) {
    let key = BlobKey::audio(Uuid::new_v4(), Uuid::new_v4(), 1, extension);
    app.state
        .blobs
        .put(&key, payload(), "audio/mpeg")
        .await
        .unwrap();
    let url = app.state.blobs.playback_url(&key, TTL).await.unwrap();
    (key, app.url(&url))
}

async fn get_range(app: &TestApp, url: &str, range: &str) -> Response {
    app.client
        .get(url)
        .header("range", range)
        .send()
        .await
        .unwrap()
}

fn header<'a>(response: &'a Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

async fn whole_file_with_its_headers(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let (_, url) = stored(&app, "mp3").await;
    let response = app.client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "audio/mpeg");
    assert_eq!(header(&response, "content-length"), SIZE.to_string());
    assert_eq!(header(&response, "accept-ranges"), "bytes");
    let cache_control = header(&response, "cache-control");
    let max_age: u64 = cache_control
        .strip_prefix("private, max-age=")
        .unwrap_or_else(|| panic!("cache-control: {cache_control}"))
        .parse()
        .unwrap();
    assert!(
        max_age > TTL.as_secs() - 30 && max_age <= TTL.as_secs() + 1,
        "{max_age}"
    );
    assert_eq!(response.bytes().await.unwrap(), payload());
}

async fn byte_ranges(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let (_, url) = stored(&app, "mp3").await;
    let body = payload();
    let cases = [
        ("bytes=1000-1999", 1000..2000),
        ("bytes=0-0", 0..1),
        // Open-ended: from 4000 to the end.
        ("bytes=4000-", 4000..SIZE),
        // Suffix: the last 500 bytes.
        ("bytes=-500", SIZE - 500..SIZE),
        // An end past the size stops at the size.
        ("bytes=4990-9999", 4990..SIZE),
    ];
    for (range, expected) in cases {
        let response = get_range(&app, &url, range).await;
        assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT, "{range}");
        assert_eq!(
            header(&response, "content-range"),
            format!("bytes {}-{}/{SIZE}", expected.start, expected.end - 1),
            "{range}"
        );
        assert_eq!(
            header(&response, "content-length"),
            expected.len().to_string(),
            "{range}"
        );
        assert_eq!(header(&response, "content-type"), "audio/mpeg");
        assert_eq!(header(&response, "accept-ranges"), "bytes");
        assert_eq!(response.bytes().await.unwrap(), body[expected], "{range}");
    }

    for range in ["bytes=5000-5100", "bytes=9000-"] {
        let response = get_range(&app, &url, range).await;
        assert_eq!(
            header(&response, "content-range"),
            format!("bytes */{SIZE}"),
            "{range}"
        );
        expect_error(
            response,
            StatusCode::RANGE_NOT_SATISFIABLE,
            "RANGE_NOT_SATISFIABLE",
        )
        .await;
    }

    // A Range header that is not about bytes is ignored: the whole file.
    let response = get_range(&app, &url, "items=0-1").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.bytes().await.unwrap().len(), SIZE);
}

async fn head_requests(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let (_, url) = stored(&app, "mp3").await;
    let response = app.client.head(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "audio/mpeg");
    assert_eq!(header(&response, "content-length"), SIZE.to_string());
    assert_eq!(header(&response, "accept-ranges"), "bytes");
    assert!(response.bytes().await.unwrap().is_empty());

    // HEAD checks the signature like GET.
    let expired = app.url(&folder(&app).url_until(
        &BlobKey::audio(Uuid::new_v4(), Uuid::new_v4(), 1, "mp3"),
        now() - 1,
    ));
    let response = app.client.head(&expired).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

async fn content_type_follows_the_extension(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    for (extension, content_type) in [
        ("mp3", "audio/mpeg"),
        ("ogg", "audio/ogg"),
        ("wav", "audio/wav"),
        ("bin", "application/octet-stream"),
    ] {
        let (_, url) = stored(&app, extension).await;
        let response = app.client.get(&url).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{extension}");
        assert_eq!(header(&response, "content-type"), content_type);
    }
}

async fn expired_urls_are_refused(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let (key, _) = stored(&app, "mp3").await;
    for expires in [now() - 1, now() - 3600, 0] {
        let url = app.url(&folder(&app).url_until(&key, expires));
        let response = app.client.get(&url).send().await.unwrap();
        let body = expect_error(response, StatusCode::FORBIDDEN, "MEDIA_URL_EXPIRED").await;
        assert!(!body.to_string().contains(key.as_str()));
    }
}

async fn altered_urls_are_refused(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let (key, url) = stored(&app, "mp3").await;
    let (_, other_url) = stored(&app, "mp3").await;
    let expires = now() + 600;
    let signer = folder(&app).signer();
    let sig = signer.sign(&key, expires);
    let other_key = other_url
        .split_once("/media/")
        .and_then(|(_, rest)| rest.split_once('?'))
        .map(|(key, _)| key.to_owned())
        .unwrap();
    let base = app.url("/media");
    let mut flipped = sig.clone().into_bytes();
    flipped[0] = if flipped[0] == b'a' { b'b' } else { b'a' };
    let flipped = String::from_utf8(flipped).unwrap();
    let cases = [
        // Another object with this URL's signature.
        format!("{base}/{other_key}?expires={expires}&sig={sig}"),
        // A later expiry.
        format!("{base}/{key}?expires={}&sig={sig}", expires + 1),
        // A changed, shortened or missing signature.
        format!("{base}/{key}?expires={expires}&sig={flipped}"),
        format!("{base}/{key}?expires={expires}&sig={}", &sig[..40]),
        format!("{base}/{key}?expires={expires}&sig=not-hex"),
        format!("{base}/{key}?expires={expires}"),
        format!("{base}/{key}?sig={sig}"),
        format!("{base}/{key}"),
        format!("{base}/{key}?expires=soon&sig={sig}"),
    ];
    for altered in cases {
        let response = app.client.get(&altered).send().await.unwrap();
        expect_error(response, StatusCode::FORBIDDEN, "MEDIA_URL_INVALID").await;
    }
    // The untouched URL still works.
    let response = app.client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

async fn a_missing_object_is_not_found(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let (key, url) = stored(&app, "mp3").await;
    app.state.blobs.delete(&key).await.unwrap();
    let response = app.client.get(&url).send().await.unwrap();
    expect_error(response, StatusCode::NOT_FOUND, "NOT_FOUND").await;
    // A signed URL for a prefix of keys (a directory on disk) finds no object either.
    let prefix = BlobKey::parse(key.as_str().rsplit_once('/').unwrap().0).unwrap();
    let response = app
        .client
        .get(app.url(&folder(&app).url_until(&prefix, now() + 60)))
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::NOT_FOUND, "NOT_FOUND").await;
}

/// With S3 the app serves no media: playback URLs point at S3.
#[actix_web::test]
async fn the_route_is_absent_with_s3() {
    let Some(app) = TestApp::spawn(Backend::Services).await else {
        return;
    };
    if app.bucket.is_none() {
        eprintln!("skipped: WAQUP_TEST_S3_ENDPOINT is not configured");
        return;
    }
    let key = BlobKey::audio(Uuid::new_v4(), Uuid::new_v4(), 1, "mp3");
    app.state
        .blobs
        .put(&key, payload(), "audio/mpeg")
        .await
        .unwrap();
    // Even a URL the folder store would have signed for the same secret.
    let signer = waqup::blob::UrlSigner::new(waqup::blob::derive_signing_key(
        crate::helpers::TEST_JWT_SECRET.as_bytes(),
    ));
    let expires = now() + 60;
    let url = app.url(&format!(
        "/media/{key}?expires={expires}&sig={}",
        signer.sign(&key, expires)
    ));
    let response = app.client.get(&url).send().await.unwrap();
    expect_error(response, StatusCode::NOT_FOUND, "NOT_FOUND").await;
}
