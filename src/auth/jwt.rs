use std::time::Duration;

use chrono::{DateTime, Utc};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::Role;

/// Lifetime of an access token (seed: 15 minutes).
pub const ACCESS_TOKEN_TTL: Duration = Duration::from_secs(15 * 60);
/// The only algorithm accepted; a token signed any other way is refused.
const ALGORITHM: Algorithm = Algorithm::HS256;
const ISSUER: &str = "waqup";
/// Clock skew tolerated between nodes when checking `exp`.
const LEEWAY_SECS: u64 = 5;
/// Shortest HMAC secret accepted.
pub const MIN_SECRET_BYTES: usize = 32;

/// What an access token says about its bearer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub sub: Uuid,
    pub role: Role,
    pub iss: String,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the access token has expired")]
    Expired,
    #[error("the access token is not valid")]
    Invalid,
}

/// Signs and checks access tokens with one HMAC secret.
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Result<JwtKeys, String> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(format!(
                "the JWT secret must be at least {MIN_SECRET_BYTES} bytes"
            ));
        }
        let mut validation = Validation::new(ALGORITHM);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "sub", "iss"]);
        validation.leeway = LEEWAY_SECS;
        Ok(JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        })
    }

    /// Issues an access token valid for [`ACCESS_TOKEN_TTL`] from `now`.
    pub fn issue(&self, user_id: Uuid, role: Role, now: DateTime<Utc>) -> anyhow::Result<String> {
        self.issue_for(user_id, role, now, ACCESS_TOKEN_TTL)
    }

    /// Issues an access token valid for `ttl` from `now` (operators' tools, such as
    /// the accounts made for a load run).
    pub fn issue_for(
        &self,
        user_id: Uuid,
        role: Role,
        now: DateTime<Utc>,
        ttl: Duration,
    ) -> anyhow::Result<String> {
        let claims = Claims {
            sub: user_id,
            role,
            iss: ISSUER.to_owned(),
            iat: now.timestamp(),
            exp: now.timestamp() + i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2),
        };
        Ok(jsonwebtoken::encode(
            &Header::new(ALGORITHM),
            &claims,
            &self.encoding,
        )?)
    }

    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn keys() -> JwtKeys {
        JwtKeys::new(SECRET).unwrap()
    }

    fn claims(exp_offset: i64) -> Claims {
        let now = Utc::now().timestamp();
        Claims {
            sub: Uuid::now_v7(),
            role: Role::Creator,
            iss: ISSUER.into(),
            iat: now,
            exp: now + exp_offset,
        }
    }

    #[test]
    fn issued_tokens_verify() {
        let id = Uuid::now_v7();
        let token = keys().issue(id, Role::Admin, Utc::now()).unwrap();
        let claims = keys().verify(&token).unwrap();
        assert_eq!((claims.sub, claims.role), (id, Role::Admin));
        assert_eq!(claims.exp - claims.iat, 900);
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(JwtKeys::new(b"short").is_err());
    }

    #[test]
    fn expired_tokens_are_expired() {
        let token = jsonwebtoken::encode(
            &Header::new(ALGORITHM),
            &claims(-3600),
            &EncodingKey::from_secret(SECRET),
        )
        .unwrap();
        assert_eq!(keys().verify(&token), Err(TokenError::Expired));
    }

    #[test]
    fn forged_and_foreign_tokens_are_invalid() {
        let other_secret = jsonwebtoken::encode(
            &Header::new(ALGORITHM),
            &claims(600),
            &EncodingKey::from_secret(b"another-secret-another-secret-!!"),
        )
        .unwrap();
        let other_algorithm = jsonwebtoken::encode(
            &Header::new(Algorithm::HS512),
            &claims(600),
            &EncodingKey::from_secret(SECRET),
        )
        .unwrap();
        let mut wrong_issuer = claims(600);
        wrong_issuer.iss = "someone-else".into();
        let wrong_issuer = jsonwebtoken::encode(
            &Header::new(ALGORITHM),
            &wrong_issuer,
            &EncodingKey::from_secret(SECRET),
        )
        .unwrap();
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims(600)).unwrap());
        let unsigned = format!("{header}.{body}.");
        let valid = keys()
            .issue(Uuid::now_v7(), Role::User, Utc::now())
            .unwrap();
        let tampered = {
            let mut parts: Vec<String> = valid.split('.').map(str::to_owned).collect();
            let mut c = claims(600);
            c.role = Role::Admin;
            parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&c).unwrap());
            parts.join(".")
        };
        for token in [
            other_secret.as_str(),
            other_algorithm.as_str(),
            wrong_issuer.as_str(),
            unsigned.as_str(),
            tampered.as_str(),
            "not-a-jwt",
            "",
        ] {
            assert_eq!(keys().verify(token), Err(TokenError::Invalid), "{token}");
        }
    }
}
