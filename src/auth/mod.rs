//! Accounts and authentication: password hashing, access tokens (JWT), rotating refresh
//! tokens, and the extractor that turns a bearer token into an [`AuthUser`].

mod accounts;
mod extractor;
mod jwt;
mod password;
mod refresh;

pub use accounts::{Accounts, AuthError, Session, SignUp, WELCOME_CREDITS};
pub use extractor::{AuthUser, MaybeUser, TokenCheck};
pub use jwt::{ACCESS_TOKEN_TTL, Claims, JwtKeys, MIN_SECRET_BYTES, TokenError};
pub use password::{hash_password, verify_password, warm_up as warm_up_password_hashing};
pub use refresh::{REFRESH_TOKEN_TTL, hash_refresh_token, new_refresh_token};
