//! `/api/v1/auth/*`: register, login, refresh, logout.

mod login;
mod logout;
mod refresh;
mod register;

pub use login::{__path_login, LoginRequest, login};
pub use logout::{__path_logout, LogoutRequest, logout};
pub use refresh::{__path_refresh, RefreshRequest, refresh};
pub use register::{__path_register, RegisterRequest, register};

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Session;
use crate::domain::Role;

/// Answer to a successful register or login. Not `Debug`: it carries tokens.
#[derive(Serialize, ToSchema)]
pub struct AuthResponse {
    #[serde(flatten)]
    pub tokens: TokenPair,
    pub user: UserSummary,
}

/// An access token and the refresh token to renew it. Not `Debug`: it carries tokens.
#[derive(Serialize, ToSchema)]
pub struct TokenPair {
    /// Access token (JWT, 15 minutes); send as `Authorization: Bearer <token>`.
    pub token: String,
    /// Opaque refresh token (7 days, single use: each refresh returns a new one).
    pub refresh_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until `token` expires.
    #[schema(example = 900)]
    pub expires_in: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserSummary {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
}

impl From<Session> for AuthResponse {
    fn from(session: Session) -> Self {
        AuthResponse {
            user: UserSummary {
                id: session.user.id,
                email: session.user.email.clone(),
                role: session.user.role,
            },
            tokens: session.into(),
        }
    }
}

impl From<Session> for TokenPair {
    fn from(session: Session) -> Self {
        TokenPair {
            token: session.access_token,
            refresh_token: session.refresh_token,
            token_type: "Bearer",
            expires_in: session.expires_in.as_secs(),
        }
    }
}
