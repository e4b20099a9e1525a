//! `/api/v1/content`: the caller's generated items.

mod get;

pub use get::{__path_get_content, get_content};
