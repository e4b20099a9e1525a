use reqwest::StatusCode;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, expect_error, expect_status};

backend_tests!(budgets_are_per_user_and_per_ip);

async fn budgets_are_per_user_and_per_ip(backend: Backend) {
    let Some(app) = TestApp::builder(backend)
        .env("WAQUP_RATE_LIMIT_PER_MINUTE", "6")
        .spawn()
        .await
    else {
        return;
    };
    // The sign-up spends one anonymous (per-IP) request; the user has a budget of its own.
    let user = app.signed_up_user().await;
    for expected_remaining in (0..6).rev() {
        let response = app.get("/api/v1/credits/balance", Some(&user.access)).await;
        assert_eq!(response.headers()["x-ratelimit-limit"], "6");
        assert_eq!(
            response.headers()["x-ratelimit-remaining"],
            expected_remaining.to_string().as_str()
        );
        expect_status(response, StatusCode::OK).await;
    }
    let refused = app.get("/api/v1/credits/balance", Some(&user.access)).await;
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=10).contains(&retry_after), "retry-after {retry_after}");
    let body = expect_error(refused, StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED").await;
    assert_eq!(body["error"]["details"]["retry_after"], retry_after);

    // The anonymous budget of this IP is separate: 5 left after the sign-up.
    for _ in 0..5 {
        expect_error(
            app.get("/api/v1/users/me", None).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
        )
        .await;
    }
    expect_error(
        app.get("/api/v1/users/me", None).await,
        StatusCode::TOO_MANY_REQUESTS,
        "RATE_LIMITED",
    )
    .await;

    // Operations endpoints are never limited.
    for _ in 0..10 {
        expect_status(app.get("/healthz", None).await, StatusCode::OK).await;
    }
}

#[actix_web::test]
async fn zero_disables_rate_limiting() {
    let Some(app) = TestApp::builder(Backend::Embedded)
        .env("WAQUP_RATE_LIMIT_PER_MINUTE", "0")
        .spawn()
        .await
    else {
        return;
    };
    for _ in 0..50 {
        let response = app.get("/api/v1/users/me", None).await;
        assert!(response.headers().get("x-ratelimit-limit").is_none());
        expect_error(response, StatusCode::UNAUTHORIZED, "UNAUTHORIZED").await;
    }
}
