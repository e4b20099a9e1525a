//! The blob store on both sides: the folder (embedded) and S3 (services, against the
//! S3-compatible server at `WAQUP_TEST_S3_ENDPOINT`).

use std::time::Duration;

use reqwest::StatusCode;
use uuid::Uuid;
use waqup::blob::{BlobError, BlobKey};

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, expect_error, test_s3};

backend_tests!(
    put_get_exists_delete_and_overwrite,
    unusual_but_valid_keys_round_trip,
    playback_urls_play_the_bytes,
    audio_lands_at_the_documented_key,
    altered_playback_urls_are_refused,
    expired_playback_urls_are_refused,
);

const TTL: Duration = Duration::from_secs(300);

fn audio_key(version: i64, extension: &str) -> BlobKey {
    BlobKey::audio(Uuid::new_v4(), Uuid::new_v4(), version, extension)
}

/// Bytes that differ at every offset (so a wrong slice cannot pass for a right one).
fn payload(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i % 251) as u8 ^ seed)
        .collect::<Vec<u8>>()
}

fn expected_kind(app: &TestApp) -> &'static str {
    if app.bucket.is_some() { "s3" } else { "folder" }
}

/// Playback URLs of the folder are paths on the app unless a public URL is configured.
fn absolute(app: &TestApp, url: &str) -> String {
    if url.starts_with('/') {
        app.url(url)
    } else {
        url.to_owned()
    }
}

async fn put_get_exists_delete_and_overwrite(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let blobs = &app.state.blobs;
    assert_eq!(blobs.kind(), expected_kind(&app));
    let key = audio_key(1, "mp3");
    assert!(!blobs.exists(&key).await.unwrap());
    assert_eq!(blobs.get(&key).await.unwrap(), None);

    let first = payload(10_000, 1);
    blobs.put(&key, first.clone(), "audio/mpeg").await.unwrap();
    assert!(blobs.exists(&key).await.unwrap());
    assert_eq!(blobs.get(&key).await.unwrap(), Some(first));

    // Overwriting replaces the whole object (a shorter one leaves no tail behind).
    let second = payload(300, 2);
    blobs.put(&key, second.clone(), "audio/mpeg").await.unwrap();
    assert_eq!(blobs.get(&key).await.unwrap(), Some(second));

    // An empty object is an object.
    let empty = audio_key(1, "wav");
    blobs.put(&empty, Vec::new(), "audio/wav").await.unwrap();
    assert!(blobs.exists(&empty).await.unwrap());
    assert_eq!(blobs.get(&empty).await.unwrap(), Some(Vec::new()));

    blobs.delete(&key).await.unwrap();
    assert!(!blobs.exists(&key).await.unwrap());
    assert_eq!(blobs.get(&key).await.unwrap(), None);
    // Deleting what is not there is fine.
    blobs.delete(&key).await.unwrap();
    blobs.delete(&audio_key(9, "mp3")).await.unwrap();
    assert!(blobs.exists(&empty).await.unwrap(), "only the one key went");
}

/// Keys are refused before they reach either store.
#[test]
fn invalid_keys_are_refused() {
    let long = format!("audio/{}", "x".repeat(600));
    for key in [
        "",
        "/audio/x.mp3",
        "audio//x.mp3",
        "audio/x.mp3/",
        "audio/../x.mp3",
        "audio/./x.mp3",
        "..",
        "audio/x y.mp3",
        "audio/x%2F.mp3",
        "audio\\x.mp3",
        "audio/ü.mp3",
        long.as_str(),
    ] {
        match BlobKey::parse(key) {
            Err(BlobError::InvalidKey(reason)) => assert!(!reason.is_empty()),
            other => panic!("{key:?} was not refused: {other:?}"),
        }
    }
}

async fn unusual_but_valid_keys_round_trip(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let blobs = &app.state.blobs;
    for (i, key) in ["a", ".hidden/x", "a..b/c-d_e.F.g", "deep/er/and/deeper/k"]
        .into_iter()
        .enumerate()
    {
        let key = BlobKey::parse(key).unwrap();
        let bytes = payload(64, i as u8);
        blobs
            .put(&key, bytes.clone(), "application/octet-stream")
            .await
            .unwrap();
        assert_eq!(blobs.get(&key).await.unwrap(), Some(bytes), "{key}");
    }
    if let Some(folder) = blobs.folder() {
        // A prefix of a key (a directory on disk) is not an object. (Not asked of S3
        // here: s3s-fs, the test server, also keeps objects as files and answers a HEAD
        // of a directory with 500 where S3 answers 404.)
        let prefix = BlobKey::parse("deep/er").unwrap();
        assert!(!blobs.exists(&prefix).await.unwrap());
        assert_eq!(blobs.get(&prefix).await.unwrap(), None);
        // Everything stayed under the store's root.
        assert!(
            folder
                .path_of(&BlobKey::parse("a..b/c-d_e.F.g").unwrap())
                .starts_with(folder.root())
        );
        assert!(folder.root().join(".hidden/x").is_file());
    }
}

async fn playback_urls_play_the_bytes(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let blobs = &app.state.blobs;
    for (extension, content_type) in [
        ("mp3", "audio/mpeg"),
        ("ogg", "audio/ogg"),
        ("wav", "audio/wav"),
    ] {
        let key = audio_key(2, extension);
        let bytes = payload(4096, 3);
        blobs.put(&key, bytes.clone(), content_type).await.unwrap();
        let url = blobs.playback_url(&key, TTL).await.unwrap();
        if app.bucket.is_none() {
            assert!(url.starts_with(&format!("/media/{key}?expires=")), "{url}");
        }
        let response = app.client.get(absolute(&app, &url)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        assert_eq!(response.headers()["content-type"], content_type);
        assert_eq!(response.bytes().await.unwrap(), bytes);
    }
}

async fn audio_lands_at_the_documented_key(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (user, content) = (Uuid::new_v4(), Uuid::new_v4());
    let key = BlobKey::audio(user, content, 7, "mp3");
    let layout = format!("audio/{user}/{content}/7.mp3");
    assert_eq!(key.as_str(), layout);
    let bytes = payload(2048, 4);
    app.state
        .blobs
        .put(&key, bytes.clone(), "audio/mpeg")
        .await
        .unwrap();
    match &app.bucket {
        Some(bucket) => {
            // Seen from outside the app, with a client of our own.
            let client = test_s3().expect("S3 configured").client();
            let head = client
                .head_object()
                .bucket(&bucket.name)
                .key(&layout)
                .send()
                .await
                .expect("the object is at the documented key");
            assert_eq!(head.content_length(), Some(2048));
            assert_eq!(head.content_type(), Some("audio/mpeg"));
            let listed = client
                .list_objects_v2()
                .bucket(&bucket.name)
                .send()
                .await
                .unwrap();
            let keys: Vec<_> = listed.contents().iter().filter_map(|o| o.key()).collect();
            assert_eq!(keys, vec![layout.as_str()]);
        }
        None => {
            let folder = app.state.blobs.folder().expect("the folder store");
            let path = folder.root().join(&layout);
            assert_eq!(std::fs::read(path).unwrap(), bytes);
        }
    }
}

/// Replaces one hex digit of the value of `param` in `url`.
fn alter_param(url: &str, param: &str) -> String {
    let start = url.find(&format!("{param}=")).expect("the parameter") + param.len() + 1;
    let mut bytes = url.as_bytes().to_vec();
    bytes[start] = if bytes[start] == b'0' { b'1' } else { b'0' };
    String::from_utf8(bytes).unwrap()
}

async fn altered_playback_urls_are_refused(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let blobs = &app.state.blobs;
    let user = Uuid::new_v4();
    let content = Uuid::new_v4();
    let mine = BlobKey::audio(user, content, 1, "mp3");
    let other = BlobKey::audio(user, content, 2, "mp3");
    blobs
        .put(&mine, payload(100, 5), "audio/mpeg")
        .await
        .unwrap();
    blobs
        .put(&other, payload(100, 6), "audio/mpeg")
        .await
        .unwrap();
    let url = absolute(&app, &blobs.playback_url(&mine, TTL).await.unwrap());
    let ok = app.client.get(&url).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);

    let signature_param = if app.bucket.is_some() {
        "X-Amz-Signature"
    } else {
        "sig"
    };
    let altered = [
        alter_param(&url, signature_param),
        // The same signature on another object (the next version, which exists).
        url.replacen("/1.mp3", "/2.mp3", 1),
    ];
    for altered in altered {
        assert_ne!(altered, url);
        let response = app.client.get(&altered).send().await.unwrap();
        if app.bucket.is_some() {
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{altered}");
        } else {
            expect_error(response, StatusCode::FORBIDDEN, "MEDIA_URL_INVALID").await;
        }
    }
}

async fn expired_playback_urls_are_refused(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let blobs = &app.state.blobs;
    let key = audio_key(1, "mp3");
    blobs
        .put(&key, payload(100, 7), "audio/mpeg")
        .await
        .unwrap();
    let url = absolute(
        &app,
        &blobs
            .playback_url(&key, Duration::from_secs(2))
            .await
            .unwrap(),
    );
    let fresh = app.client.get(&url).send().await.unwrap();
    assert_eq!(fresh.status(), StatusCode::OK, "{url}");
    // Past the TTL, with a second to spare for rounding (URLs carry whole seconds).
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let response = app.client.get(&url).send().await.unwrap();
    if app.bucket.is_some() {
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{url}");
    } else {
        expect_error(response, StatusCode::FORBIDDEN, "MEDIA_URL_EXPIRED").await;
    }
}
