//! What every handler can reach: `web::Data<AppState>`.

use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;

use crate::actors::Engine;
use crate::audit::Audit;
use crate::auth::Accounts;
use crate::blob::BlobStore;
use crate::cache::Cache;
use crate::config::Config;
use crate::library::Library;
use crate::market::Catalog;
use crate::payments::Payments;
use crate::ratelimit::RateLimiter;
use crate::store::Repository;

pub struct AppState {
    pub config: Arc<Config>,
    pub store: Arc<dyn Repository>,
    pub cache: Arc<dyn Cache>,
    /// Generated audio: a local folder or S3.
    pub blobs: Arc<dyn BlobStore>,
    pub accounts: Accounts,
    /// Items, practice, share links, profiles, export and deletion.
    pub library: Library,
    /// Creators' packs, the catalog, reviews and recommendations.
    pub catalog: Catalog,
    /// Checkouts and the payment provider's webhook.
    pub payments: Payments,
    pub audit: Audit,
    /// `None` when rate limiting is disabled (`WAQUP_RATE_LIMIT_PER_MINUTE=0`).
    pub limiter: Option<Arc<dyn RateLimiter>>,
    pub metrics: PrometheusHandle,
    /// The conversation actors.
    pub engine: Engine,
    /// Speech input; `None` without `WAQUP_STT_BASE_URL`.
    pub transcriber: Option<crate::providers::stt::Transcriber>,
}
