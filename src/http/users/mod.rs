//! `/api/v1/users/me*`: the caller's profile, preferences, password, practice history
//! and stats, data export and account deletion.

mod data;
mod history;
mod me;
mod password;

pub use data::{
    __path_delete_me, __path_export_me, AccountDeleted, DeleteAccountRequest, delete_me, export_me,
};
pub use history::{
    __path_history, __path_stats, HistoryResponse, PracticeEventView, history, stats,
};
pub use me::{__path_get_me, __path_update_me, UpdateMeRequest, UserProfile, get_me, update_me};
pub use password::{__path_change_password, ChangePasswordRequest, change_password};
