use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;

use crate::providers::llm::{ChatTurn, Llm, ReplyStream};

/// How a reply reaches the person.
pub enum Reply {
    /// The whole text at once (templates).
    Whole(String),
    /// Pieces as the model writes them; `fallback` answers if the stream fails early,
    /// and a stream silent for `stall` is cut.
    Streamed {
        stream: ReplyStream,
        fallback: String,
        stall: Duration,
    },
}

/// Says what the machine decided: the template text, or the LLM's rewording of it.
#[derive(Clone)]
pub struct Voice {
    llm: Option<Arc<Llm>>,
}

impl Voice {
    pub fn new(llm: Option<Arc<Llm>>) -> Self {
        Self { llm }
    }

    /// Whether replies stream from the LLM (else they are the template text, at once).
    pub fn streams(&self) -> bool {
        self.llm.is_some()
    }

    /// A reply conveying `text` (already rendered from templates).
    pub async fn reply(&self, history: &[ChatTurn], text: String) -> Reply {
        let Some(llm) = &self.llm else {
            return Reply::Whole(text);
        };
        match llm.stream_reply(history, &text).await {
            Ok(stream) => Reply::Streamed {
                stream: Box::pin(stream.fuse()),
                fallback: text,
                stall: llm.turn_timeout(),
            },
            Err(e) => {
                tracing::warn!(
                    error = format!("{e:#}"),
                    "LLM reply failed; using the template"
                );
                metrics::counter!("llm_reply_fallback_total").increment(1);
                Reply::Whole(text)
            }
        }
    }
}
