//! Middleware every route runs through, outermost first: request context (id, span,
//! access log, metrics) -> error envelope -> CORS -> rate limit -> the route.

mod cors;
mod envelope;
pub(crate) mod rate_limit;
mod request_context;

pub use cors::cors;
pub use envelope::error_envelope;
pub use rate_limit::rate_limit;
pub use request_context::{REQUEST_ID_HEADER, RequestId, request_context};
