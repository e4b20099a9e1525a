//! How malformed input becomes the error envelope: bodies, query strings and paths.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};

use crate::error::{ApiError, code};

/// JSON bodies: size limit, and every failure as the envelope (413, 415 or 400).
pub fn json_config(max_body_bytes: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(max_body_bytes)
        .error_handler(move |err, _req: &HttpRequest| json_error(err, max_body_bytes).into())
}

fn json_error(err: JsonPayloadError, max_body_bytes: usize) -> ApiError {
    match err {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                code::PAYLOAD_TOO_LARGE,
                format!("the JSON body is larger than {max_body_bytes} bytes"),
            )
        }
        JsonPayloadError::ContentType => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code::UNSUPPORTED_MEDIA_TYPE,
            "send the body as JSON with Content-Type: application/json",
        ),
        JsonPayloadError::Deserialize(e) => {
            let kind = if e.is_data() {
                "the JSON body does not match the expected shape"
            } else {
                "the body is not valid JSON"
            };
            ApiError::new(
                StatusCode::BAD_REQUEST,
                code::INVALID_BODY,
                format!("{kind}: {e}"),
            )
            .with_details(serde_json::json!({ "line": e.line(), "column": e.column() }))
        }
        other => ApiError::new(
            StatusCode::BAD_REQUEST,
            code::INVALID_BODY,
            format!("the body could not be read: {other}"),
        ),
    }
}

/// Query strings: a value of the wrong type or an unknown enum value is a 400.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err: QueryPayloadError, _req| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            code::INVALID_QUERY,
            format!("invalid query string: {err}"),
        )
        .into()
    })
}

/// Path segments that do not parse (a malformed id) name nothing that exists: 404.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default()
        .error_handler(|_err: PathError, _req| ApiError::not_found("resource").into())
}
