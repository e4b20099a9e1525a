//! The catalog: published packs, search, a pack with its items, reviews and
//! recommendations. Listing and reading packs is public; a signed-in caller also learns
//! whether they hold the pack (and gets playback URLs when they do).

pub mod views;

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{AuthUser, MaybeUser};
use crate::domain::{PageParams, Pagination, PriceType};
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use crate::store::{CatalogQuery, NewReview};
use crate::time::now;

pub use views::{CreatorView, PackDetail, PackView, ReviewView, RitualView};

const MAX_SEARCH_CHARS: usize = 200;
const MAX_REVIEW_CHARS: usize = 2000;
const MAX_RECOMMENDATIONS: usize = 20;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CatalogParams {
    /// Words that must all be in the title or description (stemmed: `breathing` finds
    /// `breathe`).
    pub search: Option<String>,
    /// Comma-separated tags the pack must all carry.
    pub tags: Option<String>,
    pub creator_id: Option<Uuid>,
    pub price_type: Option<PriceType>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PacksResponse {
    pub packs: Vec<PackView>,
    pub pagination: Pagination,
}

/// Published packs, best match first when searching, else newest first. Results are
/// cached five minutes per query and dropped when any pack changes.
#[utoipa::path(
    get, path = "/api/v1/catalog/packs", tag = "catalog",
    params(PageParams, CatalogParams),
    responses(
        (status = 200, body = PacksResponse),
        (status = 400, description = "`INVALID_QUERY`", body = ErrorEnvelope),
        (status = 401, description = "A token was sent and is not valid", body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_packs(
    state: web::Data<AppState>,
    _caller: MaybeUser,
    page: web::Query<PageParams>,
    params: web::Query<CatalogParams>,
) -> Result<web::Json<PacksResponse>, ApiError> {
    let page = page.parse()?;
    let params = params.into_inner();
    let search = params
        .search
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    if search
        .as_ref()
        .is_some_and(|s| s.chars().count() > MAX_SEARCH_CHARS)
    {
        return Err(ApiError::validation(
            "search",
            format!("at most {MAX_SEARCH_CHARS} characters"),
        ));
    }
    let query = CatalogQuery {
        search,
        tags: crate::http::content::tag_filter(params.tags.as_deref())?,
        creator_id: params.creator_id,
        price_type: params.price_type,
    };
    let (packs, total) = state.catalog.search(&query, page).await?;
    Ok(web::Json(PacksResponse {
        packs: packs.into_iter().map(PackView::from).collect(),
        pagination: Pagination::new(page, total),
    }))
}

/// A published (or archived) pack with its items. `user_has_access` is true for its
/// creator, for buyers and subscribers in good standing, and for everyone signed in on
/// a free pack; those also get playback URLs. A draft is only its creator's to see.
#[utoipa::path(
    get, path = "/api/v1/catalog/packs/{id}", tag = "catalog",
    params(("id" = Uuid, Path, description = "The pack")),
    responses(
        (status = 200, body = PackDetail),
        (status = 401, description = "A token was sent and is not valid", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(pack_id = %id))]
pub async fn get_pack(
    state: web::Data<AppState>,
    caller: MaybeUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<PackDetail>, ApiError> {
    let viewer = caller.0.map(|u| u.id);
    let pack = state.catalog.pack(viewer, id.into_inner()).await?;
    let has_access = match viewer {
        Some(user_id) => state.catalog.has_access(user_id, pack.id).await?,
        None => false,
    };
    let items = state.catalog.pack_items(pack.id).await?;
    let mut rituals = Vec::with_capacity(items.len());
    for item in items {
        let (audio_url, audio_url_expires_at) = if has_access {
            let view = crate::actors::protocol::ContentView::signed(
                item.clone(),
                state.blobs.as_ref(),
                state.config.media_url_ttl,
            )
            .await;
            (view.audio_url, view.audio_url_expires_at)
        } else {
            (None, None)
        };
        rituals.push(RitualView {
            id: item.id,
            title: item.title,
            duration: item.audio_duration.or(item.duration_seconds),
            practice_type: item.content_type,
            tags: item.tags,
            audio_url,
            audio_url_expires_at,
        });
    }
    Ok(web::Json(PackDetail {
        pack: PackView::from(pack),
        rituals,
        user_has_access: has_access,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewsResponse {
    pub reviews: Vec<ReviewView>,
    pub pagination: Pagination,
}

/// A pack's reviews, newest first.
#[utoipa::path(
    get, path = "/api/v1/catalog/packs/{id}/reviews", tag = "catalog",
    params(("id" = Uuid, Path, description = "The pack"), PageParams),
    responses(
        (status = 200, body = ReviewsResponse),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn list_reviews(
    state: web::Data<AppState>,
    caller: MaybeUser,
    id: web::Path<Uuid>,
    page: web::Query<PageParams>,
) -> Result<web::Json<ReviewsResponse>, ApiError> {
    let page = page.parse()?;
    let pack = state
        .catalog
        .pack(caller.0.map(|u| u.id), id.into_inner())
        .await?;
    let (reviews, total) = state.catalog.reviews(pack.id, page).await?;
    Ok(web::Json(ReviewsResponse {
        reviews: reviews.into_iter().map(ReviewView::from).collect(),
        pagination: Pagination::new(page, total),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// 1 to 5.
    pub rating: i64,
    /// At most 2000 characters.
    pub body: Option<String>,
}

/// Reviews a pack the caller bought (once).
#[utoipa::path(
    post, path = "/api/v1/catalog/packs/{id}/reviews", tag = "catalog",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The pack")),
    request_body = ReviewRequest,
    responses(
        (status = 201, body = ReviewView),
        (status = 401, body = ErrorEnvelope),
        (status = 403, description = "`NOT_A_BUYER`", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`ALREADY_REVIEWED`", body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(pack_id = %id))]
pub async fn create_review(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: web::Json<ReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    if !(1..=5).contains(&body.rating) {
        return Err(ApiError::validation("rating", "must be 1 to 5"));
    }
    let text = body
        .body
        .map(|b| b.trim().to_owned())
        .filter(|b| !b.is_empty());
    if text
        .as_ref()
        .is_some_and(|b| b.chars().count() > MAX_REVIEW_CHARS)
    {
        return Err(ApiError::validation(
            "body",
            format!("at most {MAX_REVIEW_CHARS} characters"),
        ));
    }
    let pack = state.catalog.pack(Some(user.id), id.into_inner()).await?;
    let review = state
        .catalog
        .review(NewReview {
            id: Uuid::now_v7(),
            pack_id: pack.id,
            user_id: user.id,
            rating: body.rating,
            body: text,
            now: now(),
        })
        .await?;
    Ok(HttpResponse::Created().json(ReviewView::from(review)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationView {
    pub pack_id: Uuid,
    pub reason: String,
    /// 0 to 1.
    pub score: f64,
    pub pack: PackView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationsResponse {
    pub recommendations: Vec<RecommendationView>,
}

/// Published packs the caller does not hold, scored by how well their tags match the
/// tags of what the caller practised and made.
#[utoipa::path(
    get, path = "/api/v1/catalog/recommendations", tag = "catalog",
    security(("bearer" = [])),
    responses(
        (status = 200, body = RecommendationsResponse),
        (status = 401, body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn recommendations(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<RecommendationsResponse>, ApiError> {
    let picks = state
        .catalog
        .recommendations(user.id, MAX_RECOMMENDATIONS)
        .await?;
    Ok(web::Json(RecommendationsResponse {
        recommendations: picks
            .into_iter()
            .map(|r| RecommendationView {
                pack_id: r.pack.id,
                reason: r.reason,
                score: r.score,
                pack: PackView::from(r.pack),
            })
            .collect(),
    }))
}
