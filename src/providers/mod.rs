//! Adapters to paid outside services. Each is optional: without configuration the
//! engine uses its offline counterpart.

pub mod llm;
pub mod payments;
pub mod stt;
pub mod tts;
