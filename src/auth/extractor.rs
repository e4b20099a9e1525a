//! `AuthUser`: the authenticated caller of a route, from `Authorization: Bearer <jwt>`.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use uuid::Uuid;

use super::jwt::{Claims, JwtKeys, TokenError};
use crate::domain::Role;
use crate::error::{ApiError, code};
use crate::state::AppState;

/// The outcome of reading a request's bearer token, computed once per request (the rate
/// limiter needs it before the handler does) and kept in the request's extensions.
#[derive(Debug, Clone)]
pub enum TokenCheck {
    Missing,
    Invalid(TokenError),
    Valid(Claims),
}

impl TokenCheck {
    /// Reads and verifies the bearer token of `req`, once.
    pub fn of(req: &HttpRequest, jwt: &JwtKeys) -> TokenCheck {
        if let Some(check) = req.extensions().get::<TokenCheck>() {
            return check.clone();
        }
        let check = match bearer_token(req) {
            None => TokenCheck::Missing,
            Some(Err(())) => TokenCheck::Invalid(TokenError::Invalid),
            Some(Ok(token)) => match jwt.verify(token) {
                Ok(claims) => TokenCheck::Valid(claims),
                Err(e) => TokenCheck::Invalid(e),
            },
        };
        req.extensions_mut().insert(check.clone());
        check
    }
}

/// `Some(Err)` when an Authorization header is present but is not a bearer token.
/// Browsers cannot set headers on a WebSocket, so `/ws/` also accepts `?token=`.
fn bearer_token(req: &HttpRequest) -> Option<Result<&str, ()>> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return socket_token(req).map(Ok);
    };
    let value = match value.to_str() {
        Ok(v) => v.trim(),
        Err(_) => return Some(Err(())),
    };
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Some(Ok(token.trim()))
        }
        _ => Some(Err(())),
    }
}

fn socket_token(req: &HttpRequest) -> Option<&str> {
    if !req.path().starts_with("/ws/") {
        return None;
    }
    req.query_string()
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .filter(|token| !token.is_empty())
}

/// The signed-in caller. Extracting it answers 401 without a valid access token and 403
/// for a suspended account.
#[derive(Debug, Clone, Copy)]
pub struct AuthUser {
    pub id: Uuid,
    pub role: Role,
}

impl AuthUser {
    /// Refuses (403) unless the caller has one of `roles`.
    pub fn require_role(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "this action needs the role {}",
                roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            )))
        }
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let caller = authenticate(req);
        Box::pin(async move {
            caller.await?.ok_or_else(|| {
                ApiError::unauthorized(
                    code::UNAUTHORIZED,
                    "sign in first: send Authorization: Bearer <access token>",
                )
            })
        })
    }
}

/// The caller when a token is sent, `None` when none is (public routes that show more
/// to signed-in people). A token that is sent but not valid still answers 401.
#[derive(Debug, Clone, Copy)]
pub struct MaybeUser(pub Option<AuthUser>);

impl FromRequest for MaybeUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let caller = authenticate(req);
        Box::pin(async move { caller.await.map(MaybeUser) })
    }
}

/// Checks the request's token and that its account is active (401 for a bad token,
/// 403 for a suspended account); `None` when no token is sent. The role comes from the
/// store (cached briefly), so a role change applies without a new token.
fn authenticate(req: &HttpRequest) -> LocalBoxFuture<'static, Result<Option<AuthUser>, ApiError>> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Box::pin(async { Err(ApiError::unexpected(anyhow::anyhow!("AppState missing"))) });
    };
    let check = TokenCheck::of(req, state.accounts.jwt());
    Box::pin(async move {
        let claims = match check {
            TokenCheck::Valid(claims) => claims,
            TokenCheck::Missing => return Ok(None),
            TokenCheck::Invalid(TokenError::Expired) => {
                return Err(ApiError::unauthorized(
                    code::TOKEN_EXPIRED,
                    "the access token has expired; refresh it",
                ));
            }
            TokenCheck::Invalid(TokenError::Invalid) => {
                return Err(ApiError::unauthorized(
                    code::INVALID_TOKEN,
                    "the access token is not valid",
                ));
            }
        };
        let role = state.accounts.ensure_active(claims.sub).await?;
        tracing::Span::current().record("user_id", tracing::field::display(claims.sub));
        Ok(Some(AuthUser {
            id: claims.sub,
            role,
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_checks() {
        let creator = AuthUser {
            id: Uuid::now_v7(),
            role: Role::Creator,
        };
        assert!(creator.require_role(&[Role::Creator, Role::Admin]).is_ok());
        let err = creator.require_role(&[Role::Admin]).unwrap_err();
        assert_eq!(err.code(), code::FORBIDDEN);
    }

    #[test]
    fn bearer_parsing() {
        let cases = [
            (Some("Bearer abc.def.ghi"), Some(Ok("abc.def.ghi"))),
            (Some("bearer   abc"), Some(Ok("abc"))),
            (Some("Basic dXNlcjpwdw=="), Some(Err(()))),
            (Some("Bearer "), Some(Err(()))),
            (Some("Bearer"), Some(Err(()))),
            (None, None),
        ];
        for (header_value, expected) in cases {
            let mut req = actix_web::test::TestRequest::default();
            if let Some(v) = header_value {
                req = req.insert_header((header::AUTHORIZATION, v));
            }
            let req = req.to_http_request();
            assert_eq!(bearer_token(&req), expected, "{header_value:?}");
        }
    }
}
