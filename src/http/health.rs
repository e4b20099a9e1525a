//! Operations: liveness, readiness and Prometheus metrics.

use std::future::Future;
use std::time::Duration;

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// How long a readiness probe waits for each dependency.
const READY_CHECK_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug, Serialize, ToSchema)]
pub struct HealthResponse {
    #[schema(example = "ok")]
    pub status: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReadyResponse {
    #[schema(example = "ready")]
    pub status: &'static str,
    pub checks: ReadyChecks,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReadyChecks {
    pub store: DependencyCheck,
    pub cache: DependencyCheck,
    pub blobs: DependencyCheck,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DependencyCheck {
    /// `sqlite`, `postgres`, `memory`, `redis`, `folder` or `s3`.
    pub backend: &'static str,
    pub ok: bool,
    /// `unreachable` or `timeout`; the cause is in the server's log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'static str>,
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, body = HealthResponse)))]
pub async fn healthz() -> web::Json<HealthResponse> {
    web::Json(HealthResponse { status: "ok" })
}

/// The store, Redis (when configured) and the blob store answer; 503 otherwise.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, body = ReadyResponse),
        (status = 503, description = "`SERVICE_UNAVAILABLE`; `details` holds the checks", body = ErrorEnvelope),
    ))]
pub async fn readyz(state: web::Data<AppState>) -> Result<web::Json<ReadyResponse>, ApiError> {
    let (store, cache, blobs) = futures_util::join!(
        check(state.store.kind().as_str(), async {
            state.store.ping().await.map_err(anyhow::Error::from)
        }),
        check(state.cache.kind(), state.cache.ping()),
        check(state.blobs.kind(), async {
            state.blobs.ping().await.map_err(anyhow::Error::from)
        }),
    );
    let checks = ReadyChecks {
        store,
        cache,
        blobs,
    };
    if checks.store.ok && checks.cache.ok && checks.blobs.ok {
        return Ok(web::Json(ReadyResponse {
            status: "ready",
            checks,
        }));
    }
    let details = serde_json::to_value(&checks).unwrap_or_default();
    Err(ApiError::service_unavailable("a dependency is unavailable")
        .with_details(serde_json::json!({ "checks": details })))
}

async fn check(
    backend: &'static str,
    probe: impl Future<Output = anyhow::Result<()>>,
) -> DependencyCheck {
    // The cause goes to the log; the answer (public) only says what kind of failure.
    let error = match tokio::time::timeout(READY_CHECK_TIMEOUT, probe).await {
        Ok(Ok(())) => None,
        Ok(Err(e)) => {
            tracing::warn!(backend, error = format!("{e:#}"), "readiness check failed");
            Some("unreachable")
        }
        Err(_) => {
            tracing::warn!(backend, "readiness check timed out");
            Some("timeout")
        }
    };
    DependencyCheck {
        backend,
        ok: error.is_none(),
        error,
    }
}

/// Prometheus metrics in the text exposition format.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, content_type = "text/plain", body = String)))]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}
