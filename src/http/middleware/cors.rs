use actix_cors::Cors;
use actix_web::http::{Method, header};
use actix_web::middleware::Condition;

/// How long browsers may cache a preflight answer.
const PREFLIGHT_MAX_AGE_SECS: usize = 3600;

/// CORS for the configured origins (`*` for any). With none configured the middleware
/// is off and browsers keep to the same origin.
pub fn cors(origins: &[String]) -> Condition<Cors> {
    let mut cors = Cors::default()
        .allowed_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static(super::REQUEST_ID_HEADER),
        ])
        .expose_headers([
            header::RETRY_AFTER,
            header::HeaderName::from_static(super::REQUEST_ID_HEADER),
            header::HeaderName::from_static("x-ratelimit-limit"),
            header::HeaderName::from_static("x-ratelimit-remaining"),
        ])
        .max_age(PREFLIGHT_MAX_AGE_SECS);
    if origins.iter().any(|o| o == "*") {
        cors = cors.allow_any_origin().send_wildcard();
    } else {
        for origin in origins {
            cors = cors.allowed_origin(origin);
        }
    }
    Condition::new(!origins.is_empty(), cors)
}
