//! Integration tests: the whole application over HTTP, on both backends.

mod fake_llm;
mod fake_stt;
mod fake_tts;
mod helpers;
mod library_fixtures;
mod llm;
mod ws;

mod auth;
mod blob;
mod browser;
mod chat;
mod cluster;
mod console;
mod conversation;
mod credits;
mod errors;
mod generation_store;
mod library;
mod load;
mod marketplace;
mod media;
mod operations;
mod payments;
mod privacy;
mod process;
mod rate_limit;
mod speech_input;
mod spoken_replies;
mod store;
mod users;
mod voice;
