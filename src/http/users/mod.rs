//! `/api/v1/users/me*`: the caller's own profile, preferences and password.

mod me;
mod password;

pub use me::{__path_get_me, __path_update_me, UpdateMeRequest, UserProfile, get_me, update_me};
pub use password::{__path_change_password, ChangePasswordRequest, change_password};
