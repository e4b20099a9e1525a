use reqwest::StatusCode;
use serde_json::json;
use waqup::domain::UserStatus;

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, TestApp, expect_error, expect_status, tokens_of};

backend_tests!(
    register_login_me_refresh_and_reuse,
    register_normalises_and_refuses_duplicates,
    register_validates_input,
    login_does_not_reveal_which_part_was_wrong,
    logout_ends_the_sign_in,
    concurrent_refreshes_of_one_token_succeed_once,
    suspended_accounts_are_refused,
    change_password_ends_every_sign_in,
);

async fn register_login_me_refresh_and_reuse(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };

    // Register.
    let response = app.register("Serena@Example.com", PASSWORD).await;
    let body = expect_status(response, StatusCode::CREATED).await;
    assert_eq!(body["user"]["email"], "serena@example.com");
    assert_eq!(body["user"]["role"], "user");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);

    // Login.
    let body = expect_status(
        app.login("serena@example.com", PASSWORD).await,
        StatusCode::OK,
    )
    .await;
    let first = tokens_of(&body, "serena@example.com");

    // Me.
    let me = expect_status(
        app.get("/api/v1/users/me", Some(&first.access)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["id"], first.user_id.to_string());
    assert_eq!(me["email"], "serena@example.com");
    assert_eq!(me["preferences"]["pace"], "moderate");

    // Refresh: a new pair; the new access token works.
    let body = expect_status(app.refresh(&first.refresh).await, StatusCode::OK).await;
    let second_refresh = body["refresh_token"].as_str().unwrap().to_owned();
    let second_access = body["token"].as_str().unwrap().to_owned();
    assert_ne!(second_refresh, first.refresh);
    expect_status(
        app.get("/api/v1/users/me", Some(&second_access)).await,
        StatusCode::OK,
    )
    .await;

    // The old refresh token again: refused, and the newer one of its family too.
    expect_error(
        app.refresh(&first.refresh).await,
        StatusCode::UNAUTHORIZED,
        "INVALID_REFRESH_TOKEN",
    )
    .await;
    expect_error(
        app.refresh(&second_refresh).await,
        StatusCode::UNAUTHORIZED,
        "INVALID_REFRESH_TOKEN",
    )
    .await;

    // Another sign-in (another family) is untouched.
    let body = expect_status(
        app.login("serena@example.com", PASSWORD).await,
        StatusCode::OK,
    )
    .await;
    let other = tokens_of(&body, "serena@example.com");
    expect_status(app.refresh(&other.refresh).await, StatusCode::OK).await;

    // Unknown refresh tokens.
    for bogus in ["", "wqr_nope", "x".repeat(5000).as_str()] {
        expect_error(
            app.refresh(bogus).await,
            StatusCode::UNAUTHORIZED,
            "INVALID_REFRESH_TOKEN",
        )
        .await;
    }
}

async fn register_normalises_and_refuses_duplicates(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    expect_status(
        app.register("  dup@example.com ", PASSWORD).await,
        StatusCode::CREATED,
    )
    .await;
    let body = expect_error(
        app.register("DUP@EXAMPLE.COM", PASSWORD).await,
        StatusCode::CONFLICT,
        "EMAIL_TAKEN",
    )
    .await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already exists")
    );
    // Only one account exists and its first sign-in still works.
    expect_status(app.login("Dup@example.com", PASSWORD).await, StatusCode::OK).await;
}

async fn register_validates_input(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let cases = [
        (
            json!({"email": "not-an-email", "password": PASSWORD}),
            "email",
        ),
        (json!({"email": "a@b", "password": PASSWORD}), "email"),
        (json!({"email": "", "password": PASSWORD}), "email"),
        (
            json!({"email": "x@example.com", "password": "short"}),
            "password",
        ),
        (
            json!({"email": "x@example.com", "password": "password123"}),
            "password",
        ),
        (
            json!({"email": "x@example.com", "password": "aaaaaaaaaaaaaaa"}),
            "password",
        ),
        (
            json!({"email": "x@example.com", "password": "p".repeat(129)}),
            "password",
        ),
        (
            json!({"email": "x@example.com", "password": PASSWORD, "display_name": "  "}),
            "display_name",
        ),
    ];
    for (body, field) in cases {
        let response = app.post_json("/api/v1/auth/register", &body).await;
        let error = expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        )
        .await;
        assert_eq!(error["error"]["details"]["field"], field, "{body}");
    }
    // Nothing was created by the refused attempts.
    expect_error(
        app.login("x@example.com", PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "INVALID_CREDENTIALS",
    )
    .await;
}

async fn login_does_not_reveal_which_part_was_wrong(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let wrong_password = expect_error(
        app.login(&user.email, "not the right password").await,
        StatusCode::UNAUTHORIZED,
        "INVALID_CREDENTIALS",
    )
    .await;
    let unknown_email = expect_error(
        app.login("nobody@example.com", PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "INVALID_CREDENTIALS",
    )
    .await;
    let malformed_email = expect_error(
        app.login("nobody", PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "INVALID_CREDENTIALS",
    )
    .await;
    assert_eq!(wrong_password, unknown_email);
    assert_eq!(wrong_password, malformed_email);
}

async fn logout_ends_the_sign_in(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let response = app
        .post_json(
            "/api/v1/auth/logout",
            &json!({ "refresh_token": user.refresh }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    expect_error(
        app.refresh(&user.refresh).await,
        StatusCode::UNAUTHORIZED,
        "INVALID_REFRESH_TOKEN",
    )
    .await;
    // Logging out twice, or with an unknown token, is harmless.
    for token in [user.refresh.as_str(), "wqr_unknown"] {
        let response = app
            .post_json("/api/v1/auth/logout", &json!({ "refresh_token": token }))
            .await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }
}

async fn concurrent_refreshes_of_one_token_succeed_once(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let attempts = (0..8).map(|_| app.refresh(&user.refresh));
    let statuses: Vec<StatusCode> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.status())
        .collect();
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(ok, 1, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
}

async fn suspended_accounts_are_refused(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    // The status is cached by the first authenticated request.
    expect_status(
        app.get("/api/v1/users/me", Some(&user.access)).await,
        StatusCode::OK,
    )
    .await;

    app.state
        .accounts
        .set_status(user.user_id, UserStatus::Suspended)
        .await
        .unwrap();

    expect_error(
        app.get("/api/v1/users/me", Some(&user.access)).await,
        StatusCode::FORBIDDEN,
        "ACCOUNT_SUSPENDED",
    )
    .await;
    expect_error(
        app.login(&user.email, PASSWORD).await,
        StatusCode::FORBIDDEN,
        "ACCOUNT_SUSPENDED",
    )
    .await;
    // Suspension revoked the refresh tokens.
    expect_error(
        app.refresh(&user.refresh).await,
        StatusCode::UNAUTHORIZED,
        "INVALID_REFRESH_TOKEN",
    )
    .await;

    app.state
        .accounts
        .set_status(user.user_id, UserStatus::Active)
        .await
        .unwrap();
    expect_status(
        app.get("/api/v1/users/me", Some(&user.access)).await,
        StatusCode::OK,
    )
    .await;
    expect_status(app.login(&user.email, PASSWORD).await, StatusCode::OK).await;
}

async fn change_password_ends_every_sign_in(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let path = "/api/v1/users/me/password";
    let change =
        |current: &str, new: &str| json!({ "current_password": current, "new_password": new });

    let response = app
        .send_json(
            reqwest::Method::POST,
            path,
            Some(&user.access),
            &change("wrong password!", "a brand new passphrase"),
        )
        .await;
    let body = expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_ERROR",
    )
    .await;
    assert_eq!(body["error"]["details"]["field"], "current_password");

    let response = app
        .send_json(
            reqwest::Method::POST,
            path,
            Some(&user.access),
            &change(PASSWORD, "short"),
        )
        .await;
    let body = expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_ERROR",
    )
    .await;
    assert_eq!(body["error"]["details"]["field"], "new_password");

    let response = app
        .send_json(
            reqwest::Method::POST,
            path,
            Some(&user.access),
            &change(PASSWORD, "a brand new passphrase"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    expect_error(
        app.login(&user.email, PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "INVALID_CREDENTIALS",
    )
    .await;
    expect_status(
        app.login(&user.email, "a brand new passphrase").await,
        StatusCode::OK,
    )
    .await;
    expect_error(
        app.refresh(&user.refresh).await,
        StatusCode::UNAUTHORIZED,
        "INVALID_REFRESH_TOKEN",
    )
    .await;
}

/// Access tokens that are not ours, or no longer valid, answer 401 in the envelope.
#[actix_web::test]
async fn foreign_expired_and_forged_access_tokens_are_refused() {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use jsonwebtoken::{Algorithm, EncodingKey, Header};

    let Some(app) = TestApp::spawn(Backend::Embedded).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let now = chrono::Utc::now().timestamp();
    let claims = |exp: i64, role: &str| json!({ "sub": user.user_id, "role": role, "iss": "waqup", "iat": now, "exp": exp });
    let sign = |alg: Algorithm, secret: &[u8], claims: &serde_json::Value| {
        jsonwebtoken::encode(&Header::new(alg), claims, &EncodingKey::from_secret(secret)).unwrap()
    };
    let secret = crate::helpers::TEST_JWT_SECRET.as_bytes();

    // Sanity: a token we sign the way the server does is accepted.
    let good = sign(Algorithm::HS256, secret, &claims(now + 600, "user"));
    expect_status(
        app.get("/api/v1/users/me", Some(&good)).await,
        StatusCode::OK,
    )
    .await;

    let expired = sign(Algorithm::HS256, secret, &claims(now - 3600, "user"));
    expect_error(
        app.get("/api/v1/users/me", Some(&expired)).await,
        StatusCode::UNAUTHORIZED,
        "TOKEN_EXPIRED",
    )
    .await;

    let unsigned = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims(now + 600, "admin").to_string())
    );
    let tampered = {
        let mut parts: Vec<String> = user.access.split('.').map(str::to_owned).collect();
        parts[1] = URL_SAFE_NO_PAD.encode(claims(now + 600, "admin").to_string());
        parts.join(".")
    };
    let invalid = [
        sign(
            Algorithm::HS256,
            b"some-other-secret-some-other-secret!!",
            &claims(now + 600, "user"),
        ),
        sign(Algorithm::HS512, secret, &claims(now + 600, "user")),
        sign(Algorithm::HS384, secret, &claims(now + 600, "user")),
        unsigned,
        tampered,
        "garbage".to_owned(),
    ];
    for token in &invalid {
        expect_error(
            app.get("/api/v1/users/me", Some(token)).await,
            StatusCode::UNAUTHORIZED,
            "INVALID_TOKEN",
        )
        .await;
    }

    // No token, or not a bearer token.
    expect_error(
        app.get("/api/v1/users/me", None).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    )
    .await;
    let basic = app
        .client
        .get(app.url("/api/v1/users/me"))
        .header("authorization", "Basic dXNlcjpwYXNz")
        .send()
        .await
        .unwrap();
    expect_error(basic, StatusCode::UNAUTHORIZED, "INVALID_TOKEN").await;

    // A valid token of an account that does not exist.
    let ghost = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &json!({ "sub": uuid::Uuid::now_v7(), "role": "user", "iss": "waqup", "iat": now, "exp": now + 600 }),
        &EncodingKey::from_secret(secret),
    )
    .unwrap();
    expect_error(
        app.get("/api/v1/users/me", Some(&ghost)).await,
        StatusCode::UNAUTHORIZED,
        "INVALID_TOKEN",
    )
    .await;
}
