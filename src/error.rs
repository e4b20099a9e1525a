//! The one error type every route answers with: `{"error": {"code", "message", "details"}}`.
//!
//! Areas keep their own error enums (auth, users, credits, ...) and convert into
//! [`ApiError`]; the status, the stable `code` and the envelope are decided here, and the
//! cause chain of an unexpected error is logged here, once, at the edge.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// Stable error codes. Clients switch on these; never rename one.
pub mod code {
    pub const INVALID_BODY: &str = "INVALID_BODY";
    pub const INVALID_QUERY: &str = "INVALID_QUERY";
    pub const VALIDATION_ERROR: &str = "VALIDATION_ERROR";
    pub const PAYLOAD_TOO_LARGE: &str = "PAYLOAD_TOO_LARGE";
    pub const UNSUPPORTED_MEDIA_TYPE: &str = "UNSUPPORTED_MEDIA_TYPE";
    pub const UNAUTHORIZED: &str = "UNAUTHORIZED";
    pub const INVALID_TOKEN: &str = "INVALID_TOKEN";
    pub const TOKEN_EXPIRED: &str = "TOKEN_EXPIRED";
    pub const INVALID_CREDENTIALS: &str = "INVALID_CREDENTIALS";
    pub const INVALID_REFRESH_TOKEN: &str = "INVALID_REFRESH_TOKEN";
    pub const ACCOUNT_SUSPENDED: &str = "ACCOUNT_SUSPENDED";
    pub const FORBIDDEN: &str = "FORBIDDEN";
    pub const MEDIA_URL_INVALID: &str = "MEDIA_URL_INVALID";
    pub const MEDIA_URL_EXPIRED: &str = "MEDIA_URL_EXPIRED";
    pub const NOT_FOUND: &str = "NOT_FOUND";
    pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
    pub const EMAIL_TAKEN: &str = "EMAIL_TAKEN";
    pub const CONFLICT: &str = "CONFLICT";
    pub const CONTENT_NOT_READY: &str = "CONTENT_NOT_READY";
    pub const AUDIO_NOT_AVAILABLE: &str = "AUDIO_NOT_AVAILABLE";
    pub const RANGE_NOT_SATISFIABLE: &str = "RANGE_NOT_SATISFIABLE";
    pub const RATE_LIMITED: &str = "RATE_LIMITED";
    pub const BAD_REQUEST: &str = "BAD_REQUEST";
    pub const INTERNAL_ERROR: &str = "INTERNAL_ERROR";
    pub const SERVICE_UNAVAILABLE: &str = "SERVICE_UNAVAILABLE";
    pub const PACK_STATUS: &str = "PACK_STATUS";
    pub const INVALID_PACK_ITEMS: &str = "INVALID_PACK_ITEMS";
    pub const NOT_FOR_SALE: &str = "NOT_FOR_SALE";
    pub const ALREADY_OWNED: &str = "ALREADY_OWNED";
    pub const NOT_A_BUYER: &str = "NOT_A_BUYER";
    pub const ALREADY_REVIEWED: &str = "ALREADY_REVIEWED";
    pub const PAYMENT_PROVIDER_ERROR: &str = "PAYMENT_PROVIDER_ERROR";
    pub const INVALID_SIGNATURE: &str = "INVALID_SIGNATURE";
    pub const INVALID_EVENT: &str = "INVALID_EVENT";
}

/// The error envelope of every failed request.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable, machine-readable code such as `INVALID_CREDENTIALS`.
    #[schema(example = "NOT_FOUND")]
    pub code: &'static str,
    /// Human-readable explanation; may change between versions.
    pub message: String,
    /// Structured context, e.g. `{"field": "email", "reason": "..."}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub details: Option<Value>,
}

/// An error answered to a client.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    details: Option<Value>,
    retry_after_secs: Option<u64>,
    /// The cause of a 5xx; logged, never sent.
    source: Option<anyhow::Error>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: None,
            retry_after_secs: None,
            source: None,
        }
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    /// A failure that is not the client's: 500 with a generic message; the cause is logged.
    pub fn unexpected(source: anyhow::Error) -> Self {
        Self {
            source: Some(source),
            ..Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                code::INTERNAL_ERROR,
                "an internal error occurred",
            )
        }
    }

    /// A value that parsed but is not acceptable: 422 naming the field.
    pub fn validation(field: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            code::VALIDATION_ERROR,
            format!("{field}: {reason}"),
        )
        .with_details(serde_json::json!({ "field": field, "reason": reason }))
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            code::NOT_FOUND,
            format!("{what} not found"),
        )
    }

    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code::FORBIDDEN, message)
    }

    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self {
            retry_after_secs: Some(retry_after_secs),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                code::RATE_LIMITED,
                format!("too many requests; retry in {retry_after_secs} s"),
            )
            .with_details(serde_json::json!({ "retry_after": retry_after_secs }))
        }
    }

    pub fn service_unavailable(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            code::SERVICE_UNAVAILABLE,
            message,
        )
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The envelope for a bare status produced outside our handlers (router, middleware).
    pub fn from_status(status: StatusCode) -> Self {
        let (code, message) = match status {
            StatusCode::NOT_FOUND => (code::NOT_FOUND, "no such route"),
            StatusCode::METHOD_NOT_ALLOWED => {
                (code::METHOD_NOT_ALLOWED, "method not allowed on this route")
            }
            StatusCode::PAYLOAD_TOO_LARGE => (code::PAYLOAD_TOO_LARGE, "request body too large"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                (code::UNSUPPORTED_MEDIA_TYPE, "unsupported content type")
            }
            StatusCode::UNAUTHORIZED => (code::UNAUTHORIZED, "authentication required"),
            StatusCode::FORBIDDEN => (code::FORBIDDEN, "forbidden"),
            StatusCode::RANGE_NOT_SATISFIABLE => (
                code::RANGE_NOT_SATISFIABLE,
                "the requested range is outside the content",
            ),
            StatusCode::TOO_MANY_REQUESTS => (code::RATE_LIMITED, "too many requests"),
            StatusCode::SERVICE_UNAVAILABLE => (code::SERVICE_UNAVAILABLE, "service unavailable"),
            s if s.is_server_error() => (code::INTERNAL_ERROR, "an internal error occurred"),
            _ => (code::BAD_REQUEST, "bad request"),
        };
        Self::new(status, code, message)
    }

    fn envelope(&self) -> ErrorEnvelope {
        ErrorEnvelope {
            error: ErrorBody {
                code: self.code,
                message: self.message.clone(),
                details: self.details.clone(),
            },
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        if let Some(source) = &self.source {
            tracing::error!(error.cause_chain = ?source, error.message = %source, "unexpected error");
        }
        let mut response = HttpResponse::build(self.status);
        if let Some(secs) = self.retry_after_secs {
            response.insert_header((header::RETRY_AFTER, HeaderValue::from(secs)));
        }
        response.json(self.envelope())
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        Self::unexpected(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    async fn body_of(err: ApiError) -> (StatusCode, Value) {
        let response = err.error_response();
        let status = response.status();
        let bytes = to_bytes(response.into_body()).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[actix_web::test]
    async fn envelope_has_code_message_and_details() {
        let (status, body) = body_of(ApiError::validation("email", "not an address")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["code"], "VALIDATION_ERROR");
        assert_eq!(body["error"]["details"]["field"], "email");
        assert!(body["error"]["message"].as_str().unwrap().contains("email"));
    }

    #[actix_web::test]
    async fn unexpected_errors_hide_their_cause() {
        let err = ApiError::unexpected(anyhow::anyhow!("password=hunter2 connection refused"));
        let (status, body) = body_of(err).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body["error"]["code"], "INTERNAL_ERROR");
        assert!(!body.to_string().contains("hunter2"));
    }

    #[actix_web::test]
    async fn rate_limited_sets_retry_after() {
        let response = ApiError::rate_limited(7).error_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "7");
    }
}
