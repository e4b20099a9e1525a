//! The conversation's I/O around the pure machine: reading a message (safety, then
//! slots, offline or by the LLM) and saying a reply (templates, or the LLM streamed),
//! in words and, when asked, in a voice.

mod reply;
mod speech;
mod understand;

pub use reply::{Reply, Voice};
pub use speech::{Clip, Delivery, Sentences, Speaker};
pub use understand::Understanding;
