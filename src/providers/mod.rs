//! Adapters to paid outside services. Each is optional: without configuration the
//! engine uses its offline counterpart.

use async_openai::Client;
use async_openai::config::OpenAIConfig;
use secrecy::{ExposeSecret, SecretString};

pub mod llm;
pub mod payments;
pub mod stt;
pub mod tts;

/// A client of an OpenAI-compatible API at `base_url` (with its key, when it takes one).
pub fn openai_client(base_url: &str, api_key: Option<&SecretString>) -> Client<OpenAIConfig> {
    let key = api_key
        .map(|k| k.expose_secret().to_owned())
        .unwrap_or_default();
    Client::with_config(
        OpenAIConfig::new()
            .with_api_base(base_url)
            .with_api_key(key),
    )
}
