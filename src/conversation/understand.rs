use std::sync::Arc;

use crate::domain::ContentType;
use crate::providers::llm::Llm;
use crate::state_machine::{SlotName, UserMessage, assess, extract, reaction};

/// Reads what a message says, behind one interface: the offline extractor, and the LLM
/// when configured, laid over it (the offline reading alone answers a turn the LLM fails
/// or is slow).
#[derive(Clone)]
pub struct Understanding {
    llm: Option<Arc<Llm>>,
}

impl Understanding {
    pub fn new(llm: Option<Arc<Llm>>) -> Self {
        Self { llm }
    }

    pub async fn read(
        &self,
        text: &str,
        content_type: ContentType,
        asking: Option<SlotName>,
    ) -> UserMessage {
        // Safety first: a message that needs a hold is not sent anywhere else.
        let safety = assess(text);
        let reaction = reaction(text);
        if safety.requires_hold() {
            return UserMessage {
                text: text.to_owned(),
                slots: Default::default(),
                safety,
                reaction,
            };
        }
        let mut slots = extract::extract(text, asking);
        if let Some(llm) = &self.llm {
            match llm.extract_slots(text, content_type, asking).await {
                // The model's reading wins; the offline one fills what it left out.
                Ok(read) => {
                    metrics::counter!("slot_extraction_total", "source" => "llm").increment(1);
                    slots.merge(read);
                }
                Err(e) => {
                    tracing::warn!(
                        error = format!("{e:#}"),
                        "LLM extraction failed; reading offline"
                    );
                    metrics::counter!("slot_extraction_total", "source" => "offline_fallback")
                        .increment(1);
                }
            }
        }
        UserMessage {
            text: text.to_owned(),
            slots,
            safety,
            reaction,
        }
    }
}
