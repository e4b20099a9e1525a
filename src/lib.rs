//! waQup engine: a voice-first wellness backend.
//!
//! `waqup serve` runs everything; see `README.md` for the two commands and
//! `docs/architecture.md` for how the parts fit.
#![forbid(unsafe_code)]

pub mod actors;
pub mod audio;
pub mod audit;
pub mod auth;
pub mod batch;
pub mod blob;
pub mod cache;
pub mod chat;
pub mod cli;
pub mod config;
pub mod conversation;
pub mod cpu;
pub mod domain;
pub mod error;
pub mod generation;
pub mod http;
pub mod library;
pub mod load;
pub mod market;
pub mod payments;
pub mod providers;
pub mod ratelimit;
pub mod startup;
pub mod state;
pub mod state_machine;
pub mod store;
pub mod telemetry;
pub mod text;
pub mod time;
