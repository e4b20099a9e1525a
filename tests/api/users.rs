use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, expect_error, expect_status};

backend_tests!(update_me_merges_and_validates);

async fn update_me_merges_and_validates(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let put = |body: serde_json::Value| {
        let token = user.access.clone();
        let app = &app;
        async move {
            app.send_json(Method::PUT, "/api/v1/users/me", Some(&token), &body)
                .await
        }
    };

    let body = expect_status(
        put(json!({ "display_name": "Serena", "preferences": { "pace": "slower", "timezone": "Europe/Berlin" } })).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(body["display_name"], "Serena");
    assert_eq!(body["preferences"]["pace"], "slower");
    assert_eq!(body["preferences"]["tone"], "warm");
    assert_eq!(body["preferences"]["timezone"], "Europe/Berlin");

    // A later partial update keeps what it does not mention.
    let body = expect_status(
        put(json!({ "preferences": { "tone": "calm", "voice_id": "calm-guide" } })).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(body["display_name"], "Serena");
    assert_eq!(body["preferences"]["pace"], "slower");
    assert_eq!(body["preferences"]["tone"], "calm");
    assert_eq!(body["preferences"]["voice_id"], "calm-guide");

    // null clears.
    let body = expect_status(
        put(json!({ "display_name": null, "preferences": { "voice_id": null } })).await,
        StatusCode::OK,
    )
    .await;
    assert!(body["display_name"].is_null());
    assert!(body["preferences"]["voice_id"].is_null());

    // The stored profile is what GET answers.
    let me = expect_status(
        app.get("/api/v1/users/me", Some(&user.access)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["preferences"]["tone"], "calm");
    assert!(me["display_name"].is_null());

    // Bad values: 422 naming the field; nothing changes.
    let cases = [
        (
            json!({ "preferences": { "timezone": "Mars/Olympus" } }),
            "preferences.timezone",
        ),
        (
            json!({ "preferences": { "voice_id": "<script>" } }),
            "preferences.voice_id",
        ),
        (json!({ "display_name": "x".repeat(61) }), "display_name"),
    ];
    for (body, field) in cases {
        let error = expect_error(
            put(body.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        )
        .await;
        assert_eq!(error["error"]["details"]["field"], field, "{body}");
    }
    // Wrong shapes: 400.
    for body in [
        json!({ "preferences": { "pace": "warp" } }),
        json!({ "preferences": { "volume": 3 } }),
        json!({ "email": "new@example.com" }),
        json!({ "display_name": 42 }),
        json!([]),
    ] {
        expect_error(
            put(body.clone()).await,
            StatusCode::BAD_REQUEST,
            "INVALID_BODY",
        )
        .await;
    }
    let me_after = expect_status(
        app.get("/api/v1/users/me", Some(&user.access)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me_after["preferences"], me["preferences"]);
    assert_eq!(me_after["email"], me["email"]);

    // An empty update changes nothing and answers the profile.
    let body = expect_status(put(json!({})).await, StatusCode::OK).await;
    assert_eq!(body["preferences"], me["preferences"]);
}
