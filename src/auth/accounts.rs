//! The account service: sign-up, sign-in, refresh-token rotation, sign-out, password
//! change and the "is this account still allowed in" check behind every request.

use std::sync::Arc;
use std::time::Duration;

use actix_web::http::StatusCode;
use chrono::{DateTime, Utc};
use secrecy::ExposeSecret;
use uuid::Uuid;

use super::jwt::{ACCESS_TOKEN_TTL, JwtKeys};
use super::password::{hash_password, verify_password};
use super::refresh::{REFRESH_TOKEN_TTL, hash_refresh_token, new_refresh_token};
use crate::cache::{self, Cache, Lookup, keys};
use crate::domain::{
    Credits, DisplayName, Email, InvalidField, Password, Preferences, Role, UserStatus,
};
use crate::error::{ApiError, code};
use crate::store::{IssuedToken, NewUser, Repository, Rotation, StoreError, User};
use crate::time::now;

/// Credits a new account starts with (seed: the free tier holds one).
pub const WELCOME_CREDITS: Credits = 1;
/// How long a user's status is trusted from the cache. Status changes made through
/// [`Accounts::set_status`] invalidate it at once.
const STATUS_CACHE_TTL: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error("email or password is incorrect")]
    InvalidCredentials,
    #[error("the current password is incorrect")]
    WrongPassword,
    #[error("this account is suspended")]
    Suspended,
    #[error("the refresh token is not valid; sign in again")]
    InvalidRefreshToken,
    #[error("the account no longer exists")]
    UnknownAccount,
    #[error(transparent)]
    Invalid(#[from] InvalidField),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<StoreError> for AuthError {
    fn from(e: StoreError) -> Self {
        AuthError::Unexpected(anyhow::Error::new(e))
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        let message = e.to_string();
        match e {
            AuthError::EmailTaken => {
                ApiError::new(StatusCode::CONFLICT, code::EMAIL_TAKEN, message)
            }
            AuthError::InvalidCredentials => {
                ApiError::unauthorized(code::INVALID_CREDENTIALS, message)
            }
            AuthError::WrongPassword => ApiError::validation("current_password", "is incorrect"),
            AuthError::Suspended => {
                ApiError::new(StatusCode::FORBIDDEN, code::ACCOUNT_SUSPENDED, message)
            }
            AuthError::InvalidRefreshToken => {
                ApiError::unauthorized(code::INVALID_REFRESH_TOKEN, message)
            }
            AuthError::UnknownAccount => ApiError::unauthorized(code::INVALID_TOKEN, message),
            AuthError::Invalid(field) => field.into(),
            AuthError::Unexpected(e) => ApiError::unexpected(e),
        }
    }
}

/// What creates an account.
#[derive(Debug)]
pub struct SignUp {
    pub email: Email,
    pub password: Password,
    pub display_name: Option<DisplayName>,
    pub role: Role,
    pub initial_credits: Credits,
}

/// The tokens handed to a client after sign-in or refresh.
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: Duration,
    pub user: User,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("access_token", &"[REDACTED]")
            .field("refresh_token", &"[REDACTED]")
            .field("expires_in", &self.expires_in)
            .field("user", &self.user)
            .finish()
    }
}

/// Account operations over the store, the token keys and the cache.
#[derive(Clone)]
pub struct Accounts {
    store: Arc<dyn Repository>,
    jwt: Arc<JwtKeys>,
    cache: Arc<dyn Cache>,
}

impl Accounts {
    pub fn new(store: Arc<dyn Repository>, jwt: Arc<JwtKeys>, cache: Arc<dyn Cache>) -> Self {
        Self { store, jwt, cache }
    }

    pub fn jwt(&self) -> &JwtKeys {
        &self.jwt
    }

    /// Creates an account (argon2id hash, welcome credits in the ledger).
    #[tracing::instrument(skip_all, fields(role = %sign_up.role))]
    pub async fn create_account(&self, sign_up: SignUp) -> Result<User, AuthError> {
        let password_hash = hash_password(sign_up.password.expose().to_owned()).await?;
        let new = NewUser {
            id: Uuid::now_v7(),
            email: sign_up.email,
            password_hash,
            role: sign_up.role,
            display_name: sign_up.display_name.map(DisplayName::into_inner),
            preferences: Preferences::default(),
            initial_credits: sign_up.initial_credits,
            now: now(),
        };
        match self.store.create_user(new).await {
            Ok(user) => {
                tracing::info!(user_id = %user.id, "account created");
                Ok(user)
            }
            Err(StoreError::Conflict(_)) => Err(AuthError::EmailTaken),
            Err(e) => Err(e.into()),
        }
    }

    /// Creates an account and signs it in.
    pub async fn register(&self, sign_up: SignUp) -> Result<Session, AuthError> {
        let user = self.create_account(sign_up).await?;
        self.start_session(user).await
    }

    /// Signs in. Unknown email and wrong password give the same error in the same time.
    #[tracing::instrument(skip_all)]
    pub async fn log_in(&self, email: &str, password: String) -> Result<Session, AuthError> {
        let user = match Email::parse(email) {
            Ok(email) => self.store.user_by_email(email.as_str()).await?,
            Err(_) => None,
        };
        let hash = user
            .as_ref()
            .map(|u| u.password_hash.expose_secret().to_owned());
        let matched = verify_password(password, hash).await?;
        let user = match user {
            Some(user) if matched => user,
            _ => {
                tracing::warn!(event = "login_failed", "sign-in refused: bad credentials");
                return Err(AuthError::InvalidCredentials);
            }
        };
        if user.status != UserStatus::Active {
            tracing::warn!(user_id = %user.id, event = "login_refused", "sign-in refused: suspended");
            return Err(AuthError::Suspended);
        }
        tracing::info!(user_id = %user.id, "signed in");
        self.start_session(user).await
    }

    /// Exchanges a refresh token for a new pair. A token presented twice revokes every
    /// token of its sign-in.
    #[tracing::instrument(skip_all)]
    pub async fn refresh(&self, refresh_token: &str) -> Result<Session, AuthError> {
        let issued_at = now();
        let (token, replacement) = issue_refresh_token(issued_at);
        let rotation = self
            .store
            .rotate_refresh_token(&hash_refresh_token(refresh_token), &replacement)
            .await?;
        let user_id = match rotation {
            Rotation::Rotated { user_id } => user_id,
            Rotation::Reused { user_id } => {
                tracing::warn!(%user_id, event = "refresh_token_reuse", "refresh token reused; its family is revoked");
                return Err(AuthError::InvalidRefreshToken);
            }
            Rotation::Suspended { .. } => return Err(AuthError::Suspended),
            Rotation::Unknown | Rotation::Expired => return Err(AuthError::InvalidRefreshToken),
        };
        let user = self
            .store
            .user_by_id(user_id)
            .await?
            .ok_or(AuthError::UnknownAccount)?;
        Ok(Session {
            access_token: self.jwt.issue(user.id, user.role, issued_at)?,
            refresh_token: token,
            expires_in: ACCESS_TOKEN_TTL,
            user,
        })
    }

    /// Ends the sign-in the refresh token belongs to. Unknown tokens are ignored.
    pub async fn log_out(&self, refresh_token: &str) -> Result<(), AuthError> {
        self.store
            .revoke_refresh_family(&hash_refresh_token(refresh_token), now())
            .await?;
        Ok(())
    }

    /// Checks a signed-in user's password again before a sensitive change;
    /// `WrongPassword` when it does not match.
    pub async fn confirm_password(
        &self,
        user_id: Uuid,
        password: String,
    ) -> Result<User, AuthError> {
        let user = self
            .store
            .user_by_id(user_id)
            .await?
            .ok_or(AuthError::UnknownAccount)?;
        let hash = user.password_hash.expose_secret().to_owned();
        if !verify_password(password, Some(hash)).await? {
            return Err(AuthError::WrongPassword);
        }
        Ok(user)
    }

    /// Changes the password and ends every sign-in of the account.
    #[tracing::instrument(skip_all, fields(user_id = %user_id))]
    pub async fn change_password(
        &self,
        user_id: Uuid,
        current: String,
        new: &str,
    ) -> Result<(), AuthError> {
        let user = self.confirm_password(user_id, current).await?;
        let email = Email::parse(&user.email).map_err(|e| anyhow::anyhow!("stored email: {e}"))?;
        let password = Password::parse(new, &email)
            .map_err(|e| InvalidField::new("new_password", e.reason))?;
        let hash = hash_password(password.expose().to_owned()).await?;
        self.store.set_password_hash(user_id, &hash, now()).await?;
        cache::invalidate(&*self.cache, &keys::user_profile(user_id)).await;
        tracing::info!(
            event = "password_changed",
            "password changed; sign-ins revoked"
        );
        Ok(())
    }

    /// Suspends or restores an account. Suspension ends its sign-ins and takes effect on
    /// the next request of any access token still in circulation.
    pub async fn set_status(&self, user_id: Uuid, status: UserStatus) -> Result<(), AuthError> {
        match self.store.set_user_status(user_id, status, now()).await {
            Err(StoreError::NotFound) => return Err(AuthError::UnknownAccount),
            other => other?,
        }
        self.standing_changed(user_id).await;
        tracing::info!(%user_id, status = status.as_str(), "account status changed");
        Ok(())
    }

    /// Refuses requests of suspended or deleted accounts and answers the account's
    /// current role (both cached briefly; status and role changes fence the key).
    pub async fn ensure_active(&self, user_id: Uuid) -> Result<Role, AuthError> {
        let key = keys::user_status(user_id);
        let standing =
            match cache::lookup::<Option<(UserStatus, Role)>>(&*self.cache, "status", &key).await {
                Lookup::Hit(standing) => standing,
                Lookup::Miss(ticket) => {
                    let standing = self
                        .store
                        .user_by_id(user_id)
                        .await?
                        .map(|u| (u.status, u.role));
                    cache::fill(&*self.cache, ticket, &standing, STATUS_CACHE_TTL).await;
                    standing
                }
            };
        match standing {
            Some((UserStatus::Active, role)) => Ok(role),
            Some((UserStatus::Suspended, _)) => Err(AuthError::Suspended),
            None => Err(AuthError::UnknownAccount),
        }
    }

    /// Forgets the cached standing (status and role) of an account after a change.
    pub async fn standing_changed(&self, user_id: Uuid) {
        cache::invalidate(&*self.cache, &keys::user_status(user_id)).await;
        cache::invalidate(&*self.cache, &keys::user_profile(user_id)).await;
    }

    async fn start_session(&self, user: User) -> Result<Session, AuthError> {
        let issued_at = now();
        let (token, issued) = issue_refresh_token(issued_at);
        self.store
            .insert_refresh_token(user.id, Uuid::now_v7(), &issued)
            .await?;
        Ok(Session {
            access_token: self.jwt.issue(user.id, user.role, issued_at)?,
            refresh_token: token,
            expires_in: ACCESS_TOKEN_TTL,
            user,
        })
    }
}

fn issue_refresh_token(issued_at: DateTime<Utc>) -> (String, IssuedToken) {
    let (token, token_hash) = new_refresh_token();
    let issued = IssuedToken {
        id: Uuid::now_v7(),
        token_hash,
        issued_at,
        expires_at: issued_at + REFRESH_TOKEN_TTL,
    };
    (token, issued)
}
