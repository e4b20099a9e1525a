//! Integration tests: the whole application over HTTP, on both backends.

mod helpers;

mod auth;
mod credits;
mod errors;
mod operations;
mod process;
mod rate_limit;
mod store;
mod users;
