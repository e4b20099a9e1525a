//! The conversation's I/O around the pure machine: reading a message (safety, then
//! slots, offline or by the LLM) and saying a reply (templates, or the LLM streamed).

mod reply;
mod understand;

pub use reply::{Reply, Voice};
pub use understand::Understanding;
