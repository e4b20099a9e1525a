//! Signing in over HTTP: `POST /api/v1/auth/login` or `/register`, both answering with
//! an access token for the socket.

use std::time::Duration;

use anyhow::{Context, bail};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::server::{ServerUrl, refusal};

/// Longest wait for a sign-in answer (password hashing takes a moment on the server).
const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(30);

/// How the person gets a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    /// An existing account.
    LogIn,
    /// A new account (it starts with one free credit).
    Register,
}

impl SignIn {
    fn path(self) -> &'static str {
        match self {
            SignIn::LogIn => "/api/v1/auth/login",
            SignIn::Register => "/api/v1/auth/register",
        }
    }
}

/// The body of both routes. Not `Debug`: it carries a password.
#[derive(Serialize)]
struct Credentials<'a> {
    email: &'a str,
    password: &'a str,
}

/// What a successful sign-in answers (the fields this client reads).
#[derive(Debug, Deserialize)]
pub struct Session {
    /// Access token (15 minutes): enough to open the socket, which stays open after.
    pub token: SecretString,
    pub user: User,
}

#[derive(Debug, Deserialize)]
pub struct User {
    pub email: String,
}

/// Signs in (or registers) and returns the session. A refusal reads as the server's
/// code and message, e.g. `INVALID_CREDENTIALS: invalid email or password`.
pub async fn sign_in(
    client: &reqwest::Client,
    server: &ServerUrl,
    how: SignIn,
    email: &str,
    password: &SecretString,
) -> anyhow::Result<Session> {
    let response = client
        .post(server.api(how.path()))
        .timeout(SIGN_IN_TIMEOUT)
        .json(&Credentials {
            email,
            password: password.expose_secret(),
        })
        .send()
        .await
        .with_context(|| format!("cannot reach {server}"))?;
    if !response.status().is_success() {
        let what = match how {
            SignIn::LogIn => "sign-in failed",
            SignIn::Register => "registration failed",
        };
        bail!("{what}: {}", refusal(response).await);
    }
    response.json().await.context("reading the sign-in answer")
}
