//! Every error is the envelope with a stable code; malformed input never panics.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Backend, TestApp, assert_envelope, expect_error, expect_status};

/// Bodies that are not what a route expects, sent to every route that takes a body.
#[actix_web::test]
async fn malformed_bodies_get_the_envelope() {
    let Some(app) = TestApp::spawn(Backend::Embedded).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let routes = [
        (Method::POST, "/api/v1/auth/register"),
        (Method::POST, "/api/v1/auth/login"),
        (Method::POST, "/api/v1/auth/refresh"),
        (Method::POST, "/api/v1/auth/logout"),
        (Method::PUT, "/api/v1/users/me"),
        (Method::POST, "/api/v1/users/me/password"),
    ];
    let bodies: [(&str, &str); 10] = [
        ("not json", "{email: "),
        ("truncated", r#"{"email": "a@b.c", "pass"#),
        (
            "wrong types",
            r#"{"email": 42, "password": true, "refresh_token": 7, "current_password": [], "new_password": {}, "display_name": 1, "preferences": "x"}"#,
        ),
        ("missing fields", "{}"),
        (
            "unknown field",
            r#"{"email": "a@example.com", "password": "correct horse battery", "refresh_token": "x", "current_password": "y", "new_password": "z", "is_admin": true}"#,
        ),
        ("array", "[]"),
        ("null", "null"),
        ("number", "12"),
        ("nul bytes", "{\"email\": \"\u{0}\"\u{0}}"),
        ("deep nesting", &"[".repeat(10_000)),
    ];
    for (method, path) in &routes {
        for (label, body) in &bodies {
            let response = app
                .client
                .request(method.clone(), app.url(path))
                .bearer_auth(&user.access)
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .unwrap();
            let status = response.status();
            let text = response.text().await.unwrap();
            // `{}` is a valid (empty) profile update; everything else is refused.
            if *label == "missing fields" && *path == "/api/v1/users/me" {
                assert_eq!(status, StatusCode::OK, "{path}");
                continue;
            }
            assert!(
                status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY,
                "{method} {path} with {label}: {status} {text}"
            );
            let body: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_envelope(&body);
        }
    }
    // Still serving after all of that.
    expect_status(app.get("/healthz", None).await, StatusCode::OK).await;
}

#[actix_web::test]
async fn transport_level_mistakes_get_the_envelope() {
    let Some(app) = TestApp::spawn(Backend::Embedded).await else {
        return;
    };

    // A body over the limit (64 KiB by default), declared and streamed.
    let huge = json!({ "email": "a@example.com", "password": "x".repeat(200_000) });
    expect_error(
        app.post_json("/api/v1/auth/register", &huge).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
    )
    .await;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..100).map(|_| Ok(vec![b' '; 10_000])).collect();
    let streamed = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    expect_error(streamed, StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE").await;

    // Not JSON at all.
    let form = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=a&password=b")
        .send()
        .await
        .unwrap();
    expect_error(
        form,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UNSUPPORTED_MEDIA_TYPE",
    )
    .await;
    let no_type = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .body(r#"{"email":"a@example.com","password":"b"}"#)
        .send()
        .await
        .unwrap();
    expect_error(
        no_type,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UNSUPPORTED_MEDIA_TYPE",
    )
    .await;

    // Unknown routes and wrong methods.
    expect_error(
        app.get("/api/v1/nothing-here", None).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    // Outside the API too (`/` is the console's page).
    expect_error(
        app.get("/nothing-here", None).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    let response = app
        .client
        .delete(app.url("/api/v1/auth/login"))
        .send()
        .await
        .unwrap();
    let allow = response
        .headers()
        .get("allow")
        .map(|v| v.to_str().unwrap().to_owned());
    expect_error(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
    )
    .await;
    assert_eq!(allow.as_deref(), Some("POST"));
    let response = app
        .client
        .get(app.url("/api/v1/auth/register"))
        .send()
        .await
        .unwrap();
    expect_error(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
    )
    .await;
    let response = app.client.post(app.url("/healthz")).send().await.unwrap();
    expect_error(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
    )
    .await;

    // A mangled JWT in the header is a 401, never a 500.
    let response = app
        .client
        .get(app.url("/api/v1/users/me"))
        .header(
            "authorization",
            reqwest::header::HeaderValue::from_bytes(b"Bearer \xff\xfe").unwrap(),
        )
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::UNAUTHORIZED, "INVALID_TOKEN").await;

    expect_status(app.get("/healthz", None).await, StatusCode::OK).await;
}

#[actix_web::test]
async fn request_ids_are_echoed_or_made() {
    let Some(app) = TestApp::spawn(Backend::Embedded).await else {
        return;
    };
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-abc-123");

    // Made up when missing or unreasonable; error responses carry one too.
    let too_long = "x".repeat(500);
    for sent in [None, Some(too_long.as_str()), Some("has space")] {
        let mut request = app.client.get(app.url("/api/v1/nope"));
        if let Some(id) = sent {
            request = request.header("x-request-id", id);
        }
        let response = request.send().await.unwrap();
        let id = response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    }
}

#[actix_web::test]
async fn cors_answers_configured_origins_only() {
    let Some(app) = TestApp::builder(Backend::Embedded)
        .env("WAQUP_CORS_ORIGINS", "https://app.example.com")
        .spawn()
        .await
    else {
        return;
    };
    let preflight = app
        .client
        .request(Method::OPTIONS, app.url("/api/v1/auth/login"))
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), StatusCode::OK);
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );

    // Another origin: no allow header (the browser blocks the read), and its preflight
    // is refused in the envelope.
    let foreign = app
        .client
        .get(app.url("/healthz"))
        .header("origin", "https://evil.example.net")
        .send()
        .await
        .unwrap();
    assert!(
        foreign
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    let preflight = app
        .client
        .request(Method::OPTIONS, app.url("/api/v1/auth/login"))
        .header("origin", "https://evil.example.net")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(
        preflight
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    expect_error(preflight, StatusCode::BAD_REQUEST, "BAD_REQUEST").await;
}
