//! `/api/v1/content`: the caller's library (list, read, edit, delete, export), practice
//! (play, complete) and share links; `/api/v1/shared/{token}` is a link's public view.

mod edit;
mod export;
mod fields;
mod get;
mod list;
mod practice;
mod share;

pub use edit::{
    __path_delete_content, __path_update_content, DeletedResponse, UpdateContentRequest,
    delete_content, update_content,
};
pub use export::{__path_export_content, ContentExport, ExportFormat, export_content};
pub use fields::{parse_tags, tag_filter};
pub use get::{__path_get_content, get_content};
pub use list::{
    __path_list_content, __path_list_folders, ContentListResponse, ContentSummary, Folder,
    FoldersResponse, SortParam, list_content, list_folders,
};
pub use practice::{
    __path_complete, __path_play, CompleteRequest, CompleteResponse, PlayRequest, PlayResponse,
    complete, play,
};
pub use share::{
    __path_create_share, __path_get_share, __path_revoke_share, __path_shared_content, ShareView,
    SharedContentView, create_share, get_share, revoke_share, shared_content,
};
