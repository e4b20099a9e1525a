use std::net::IpAddr;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, ResponseError, web};

use crate::auth::TokenCheck;
use crate::error::ApiError;
use crate::state::AppState;

const LIMIT_HEADER: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING_HEADER: HeaderName = HeaderName::from_static("x-ratelimit-remaining");

/// Paths that count against the budget: the API and the WebSocket upgrade. Health,
/// metrics and docs are free.
fn is_limited(path: &str) -> bool {
    path.starts_with("/api/v1/") || path.starts_with("/ws/")
}

/// Refuses requests past the budget of their user (a valid bearer token) or, when
/// anonymous, of their IP: 429 with `Retry-After`. A limiter that cannot answer (Redis
/// down) lets the request through and says so in the log.
pub async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let Some(limiter) = state.limiter.clone().filter(|_| is_limited(req.path())) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let key = match TokenCheck::of(req.request(), state.accounts.jwt()) {
        TokenCheck::Valid(claims) => format!("user:{}", claims.sub),
        _ => format!(
            "ip:{}",
            client_ip(req.request(), state.config.trust_forwarded_for)
        ),
    };
    let decision = match limiter.check(&key).await {
        Ok(decision) => decision,
        Err(e) => {
            tracing::warn!(error = %e, "rate limiter unavailable; request allowed");
            metrics::counter!("rate_limiter_errors_total").increment(1);
            return next
                .call(req)
                .await
                .map(ServiceResponse::map_into_boxed_body);
        }
    };
    let limit = HeaderValue::from(limiter.limit_per_minute());
    let remaining = HeaderValue::from(decision.remaining);
    let mut response = if decision.allowed {
        next.call(req).await?.map_into_boxed_body()
    } else {
        metrics::counter!("rate_limited_total").increment(1);
        let retry_after = decision.retry_after.as_secs_f64().ceil().max(1.0) as u64;
        req.into_response(ApiError::rate_limited(retry_after).error_response())
    };
    response.headers_mut().insert(LIMIT_HEADER, limit);
    response.headers_mut().insert(REMAINING_HEADER, remaining);
    Ok(response)
}

/// The peer address or, behind one trusted proxy, the address that proxy saw: the last
/// `X-Forwarded-For` entry (the client writes whatever it likes in front of it).
pub(crate) fn client_ip(req: &HttpRequest, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for {
        let forwarded = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok());
        if let Some(ip) = forwarded {
            return ip.to_string();
        }
    }
    req.peer_addr()
        .map_or_else(|| "unknown".to_owned(), |addr| addr.ip().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn only_api_and_socket_paths_are_limited() {
        assert!(is_limited("/api/v1/auth/login"));
        assert!(is_limited("/ws/conversation"));
        for free in [
            "/healthz",
            "/readyz",
            "/metrics",
            "/api/docs/",
            "/api/docs/openapi.json",
        ] {
            assert!(!is_limited(free), "{free}");
        }
    }

    #[test]
    fn forwarded_for_is_used_only_when_trusted() {
        let req = TestRequest::default()
            .peer_addr("10.0.0.1:4000".parse().unwrap())
            .insert_header(("x-forwarded-for", "198.51.100.7, 203.0.113.9"))
            .to_http_request();
        assert_eq!(client_ip(&req, false), "10.0.0.1");
        // The client wrote 198.51.100.7; the proxy appended what it saw.
        assert_eq!(client_ip(&req, true), "203.0.113.9");
        let spoofed = TestRequest::default()
            .peer_addr("10.0.0.1:4000".parse().unwrap())
            .insert_header(("x-forwarded-for", "203.0.113.9, not an ip"))
            .to_http_request();
        assert_eq!(client_ip(&spoofed, true), "10.0.0.1");
    }
}
