use actix_web::web;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::fields::{parse_folder, tag_filter};
use crate::auth::AuthUser;
use crate::domain::{ContentType, Depth, InvalidField, PageParams, Pagination};
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use crate::store::{ContentItem, ContentQuery, ContentSort, ContentStatus};

/// Longest title search accepted.
const MAX_SEARCH_CHARS: usize = 100;

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortParam {
    /// Newest first (default).
    Recent,
    /// Most recently played first; never played last.
    LastPlayed,
    /// Most played first.
    MostPlayed,
    /// By title, A to Z.
    Title,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContentListQuery {
    pub content_type: Option<ContentType>,
    pub depth: Option<Depth>,
    /// `ready`, `generating` or `failed`; by default ready and generating items.
    pub status: Option<ContentStatus>,
    /// Comma-separated: items carrying every one of these tags.
    pub tags: Option<String>,
    /// Items filed in this folder.
    pub folder: Option<String>,
    /// Words the title contains (case-insensitive).
    pub q: Option<String>,
    #[param(inline)]
    pub sort: Option<SortParam>,
}

impl ContentListQuery {
    fn parse(&self) -> Result<ContentQuery, InvalidField> {
        let tags = tag_filter(self.tags.as_deref())?;
        let title_contains = self
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| {
                if q.chars().count() > MAX_SEARCH_CHARS {
                    Err(InvalidField::new(
                        "q",
                        format!("at most {MAX_SEARCH_CHARS} characters"),
                    ))
                } else {
                    Ok(q.to_owned())
                }
            })
            .transpose()?;
        Ok(ContentQuery {
            content_type: self.content_type,
            depth: self.depth,
            status: self.status,
            tags,
            folder: self.folder.as_deref().map(parse_folder).transpose()?,
            title_contains,
            sort: match self.sort {
                None | Some(SortParam::Recent) => ContentSort::Recent,
                Some(SortParam::LastPlayed) => ContentSort::LastPlayed,
                Some(SortParam::MostPlayed) => ContentSort::MostPlayed,
                Some(SortParam::Title) => ContentSort::Title,
            },
        })
    }
}

/// One line of the library.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContentSummary {
    pub id: Uuid,
    pub content_type: ContentType,
    pub status: ContentStatus,
    pub title: Option<String>,
    pub depth: Option<Depth>,
    /// Seconds.
    pub duration: Option<i64>,
    pub tags: Vec<String>,
    pub folder: Option<String>,
    pub version: i64,
    pub has_audio: bool,
    pub created_at: DateTime<Utc>,
    pub last_played_at: Option<DateTime<Utc>>,
    pub play_count: i64,
}

impl From<ContentItem> for ContentSummary {
    fn from(item: ContentItem) -> Self {
        ContentSummary {
            id: item.id,
            content_type: item.content_type,
            status: item.status,
            title: item.title,
            depth: item.depth,
            duration: item.audio_duration.or(item.duration_seconds),
            tags: item.tags,
            folder: item.folder,
            version: item.version,
            has_audio: item.audio_url.is_some(),
            created_at: item.created_at,
            last_played_at: item.last_played_at,
            play_count: item.play_count,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContentListResponse {
    pub content_items: Vec<ContentSummary>,
    pub pagination: Pagination,
}

/// The caller's library, filtered, sorted and paginated. Deleted items never show;
/// failed generations only with `status=failed`.
#[utoipa::path(
    get, path = "/api/v1/content", tag = "content",
    security(("bearer" = [])),
    params(PageParams, ContentListQuery),
    responses(
        (status = 200, body = ContentListResponse),
        (status = 400, description = "`INVALID_QUERY`: unknown type, depth, status or sort", body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope),
        (status = 422, description = "`VALIDATION_ERROR`: page, limit, tags, folder or q out of range", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_content(
    state: web::Data<AppState>,
    auth: AuthUser,
    page: web::Query<PageParams>,
    query: web::Query<ContentListQuery>,
) -> Result<web::Json<ContentListResponse>, ApiError> {
    let page = page.parse()?;
    let query = query.parse()?;
    let (items, total) = state.store.list_content(auth.id, &query, page).await?;
    Ok(web::Json(ContentListResponse {
        content_items: items.into_iter().map(ContentSummary::from).collect(),
        pagination: Pagination::new(page, total),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Folder {
    pub name: String,
    /// Items filed in it (failed and deleted ones not counted).
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FoldersResponse {
    pub folders: Vec<Folder>,
}

/// The caller's folders, by name, with how many items each holds.
#[utoipa::path(
    get, path = "/api/v1/content/folders", tag = "content",
    security(("bearer" = [])),
    responses(
        (status = 200, body = FoldersResponse),
        (status = 401, body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_folders(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> Result<web::Json<FoldersResponse>, ApiError> {
    let folders = state.store.content_folders(auth.id).await?;
    Ok(web::Json(FoldersResponse {
        folders: folders
            .into_iter()
            .map(|(name, count)| Folder { name, count })
            .collect(),
    }))
}
