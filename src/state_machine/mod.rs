//! The conversation's pure core: the dialogue machine, what a message says (slots,
//! safety, yes/no), and the words of the replies. No I/O, no clock, no randomness but
//! what is passed in.

pub mod dialogue;
#[cfg(test)]
mod dialogue_tests;
pub mod extract;
pub mod prompts;
pub mod reaction;
pub mod safety;
pub mod slots;

pub use dialogue::{
    Dialogue, Effect, Event, MAX_GATHERING_TURNS, Personal, Refusal, State, UserMessage, Utterance,
    is_terminal, state_name,
};
pub use reaction::{Reaction, reaction};
pub use safety::{RiskLevel, SafetyAssessment, assess};
pub use slots::{Intent, SlotName, Slots, TimeOfDay, VoiceStyle};
