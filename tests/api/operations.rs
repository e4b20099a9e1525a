use reqwest::StatusCode;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, expect_error, expect_status};

backend_tests!(health_and_readiness);

async fn health_and_readiness(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let health = expect_status(app.get("/healthz", None).await, StatusCode::OK).await;
    assert_eq!(health["status"], "ok");
    let ready = expect_status(app.get("/readyz", None).await, StatusCode::OK).await;
    assert_eq!(ready["status"], "ready");
    let (store, cache) = match backend {
        Backend::Embedded => ("sqlite", "memory"),
        Backend::Services => (
            if crate::helpers::test_database_url().is_some() {
                "postgres"
            } else {
                "sqlite"
            },
            if crate::helpers::test_redis_url().is_some() {
                "redis"
            } else {
                "memory"
            },
        ),
    };
    assert_eq!(ready["checks"]["store"]["backend"], store);
    assert_eq!(ready["checks"]["cache"]["backend"], cache);
    let blobs = if app.bucket.is_some() { "s3" } else { "folder" };
    assert_eq!(ready["checks"]["blobs"]["backend"], blobs);
    assert_eq!(ready["checks"]["blobs"]["ok"], true);
}

/// A configured S3 store that does not answer makes the node not ready (it still starts).
#[actix_web::test]
async fn readiness_fails_when_s3_is_down() {
    // Nothing listens on port 1.
    let Some(app) = TestApp::builder(Backend::Embedded)
        .env("WAQUP_S3_BUCKET", "waqup-audio")
        .env("WAQUP_S3_ENDPOINT", "http://127.0.0.1:1")
        .env("WAQUP_S3_ACCESS_KEY_ID", "id")
        .env("WAQUP_S3_SECRET_ACCESS_KEY", "secret")
        .spawn()
        .await
    else {
        return;
    };
    assert_eq!(app.state.blobs.kind(), "s3");
    let body = expect_error(
        app.get("/readyz", None).await,
        StatusCode::SERVICE_UNAVAILABLE,
        "SERVICE_UNAVAILABLE",
    )
    .await;
    let checks = &body["error"]["details"]["checks"];
    assert_eq!(checks["store"]["ok"], true);
    assert_eq!(checks["blobs"]["ok"], false);
    assert_eq!(checks["blobs"]["backend"], "s3");
    assert!(!body.to_string().contains("127.0.0.1"));
}

/// A configured Redis that does not answer makes the node not ready, with the reason.
#[actix_web::test]
async fn readiness_fails_when_redis_is_down() {
    // Nothing listens on port 1.
    let Some(app) = TestApp::builder(Backend::Embedded)
        .env("WAQUP_REDIS_URL", "redis://127.0.0.1:1")
        .spawn()
        .await
    else {
        return;
    };
    expect_status(app.get("/healthz", None).await, StatusCode::OK).await;
    let body = expect_error(
        app.get("/readyz", None).await,
        StatusCode::SERVICE_UNAVAILABLE,
        "SERVICE_UNAVAILABLE",
    )
    .await;
    let checks = &body["error"]["details"]["checks"];
    assert_eq!(checks["store"]["ok"], true);
    assert_eq!(checks["cache"]["ok"], false);
    assert_eq!(checks["cache"]["backend"], "redis");
    // The kind of failure only; the cause (addresses, errors) stays in the log.
    let error = checks["cache"]["error"].as_str().unwrap();
    assert!(["unreachable", "timeout"].contains(&error), "{error}");
    assert!(!body.to_string().contains("127.0.0.1"));
}

/// The metrics registry is shared by the whole test binary, so this test looks for
/// series that only its own requests produce (methods no other test sends).
#[actix_web::test]
async fn metrics_count_requests_by_route_and_status() {
    let Some(app) = TestApp::spawn(Backend::Embedded).await else {
        return;
    };
    for _ in 0..3 {
        let response = app
            .client
            .patch(app.url("/api/v1/credits/balance"))
            .send()
            .await
            .unwrap();
        expect_error(
            response,
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
        )
        .await;
    }
    let response = app.client.delete(app.url("/readyz")).send().await.unwrap();
    expect_error(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
    )
    .await;
    let response = app.get("/metrics", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = response.text().await.unwrap();
    for line in [
        r#"http_requests_total{method="PATCH",route="/api/v1/credits/balance",status="405"} 3"#,
        r#"http_requests_total{method="DELETE",route="/readyz",status="405"} 1"#,
        r#"http_request_duration_seconds_count{method="PATCH",route="/api/v1/credits/balance"} 3"#,
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line} in\n{text}");
    }
    assert!(text.contains(r#"http_request_duration_seconds_bucket{method="PATCH",route="/api/v1/credits/balance",le="0.005"}"#));
}

#[actix_web::test]
async fn openapi_document_lists_every_route() {
    let Some(app) = TestApp::spawn(Backend::Embedded).await else {
        return;
    };
    let doc = expect_status(
        app.get("/api/docs/openapi.json", None).await,
        StatusCode::OK,
    )
    .await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/metrics", "get"),
        ("/api/v1/auth/register", "post"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/users/me", "get"),
        ("/api/v1/users/me", "put"),
        ("/api/v1/users/me/password", "post"),
        ("/api/v1/credits/balance", "get"),
        ("/api/v1/credits/transactions", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} undocumented"
        );
        // And the documented route exists: anything but a 404 from the router.
        let response = app
            .client
            .request(method.to_uppercase().parse().unwrap(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_ne!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());

    let ui = app.get("/api/docs/", None).await;
    assert_eq!(ui.status(), StatusCode::OK);
    assert!(ui.text().await.unwrap().contains("swagger"));
    let redirect = app.get("/api/docs", None).await;
    assert_eq!(redirect.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(redirect.headers()["location"], "/api/docs/");
}
