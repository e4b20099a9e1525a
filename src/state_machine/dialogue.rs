//! The dialogue machine: what to ask next, when to summarise, when to generate.
//!
//! Synchronous and pure: an event goes in, the state and the [`Dialogue`] change, and
//! [`Effect`]s come out for the session actor to perform (speak, reserve credits, raise
//! an alert, ...). Everything a message says (slots, safety, yes/no) is read before it
//! reaches the machine and travels in the event.

use serde::{Deserialize, Serialize};
use statig::prelude::*;
use uuid::Uuid;

use super::reaction::{Reaction, asks_for_change};
use super::safety::{RiskLevel, SafetyAssessment};
use super::slots::{SlotName, Slots, TimeOfDay, duration_bounds};
use crate::domain::{ContentType, Pace, Tone};
use crate::state_machine::slots::Intent;

/// Messages gathered before missing details take their defaults and the summary comes.
/// Not applied while an edit is answered (see [`Dialogue::editing`]).
pub const MAX_GATHERING_TURNS: u32 = 8;

/// A message from the person, already understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserMessage {
    pub text: String,
    pub slots: Slots,
    pub safety: SafetyAssessment,
    pub reaction: Reaction,
}

/// Why a confirmed generation did not start. Nothing was held: the next confirmation
/// is the same attempt (and reuses its hold key, so it can never be charged twice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    InsufficientCredits {
        required: i64,
        available: i64,
    },
    /// The reservation could not be made (or its outcome is unknown).
    Unavailable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The session opened: greet, or go straight to the summary when enough is known.
    Begin,
    Message(UserMessage),
    Confirm,
    /// Change one detail: from the summary, or while still gathering.
    Edit(SlotName),
    Cancel,
    GenerationRefused(Refusal),
    GenerationStarted {
        content_id: Uuid,
    },
    GenerationProgress {
        stage: String,
        percent: u8,
    },
    GenerationSucceeded {
        content_id: Uuid,
    },
    GenerationFailed {
        code: String,
        refunded: bool,
    },
}

/// What the machine wants said. Rendered by templates, or by the LLM when configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Utterance {
    /// Hello, and the first question.
    Greeting {
        ask: SlotName,
    },
    /// Starting from an existing item: here is what it was; what should change?
    Revision,
    /// The next question, after acknowledging what was just learned.
    Ask {
        slot: SlotName,
        learned: Vec<SlotName>,
        /// The same question again: the last answer did not say it.
        again: bool,
    },
    /// Everything gathered, and the question whether to create it.
    Summary {
        learned: Vec<SlotName>,
    },
    /// In the summary, neither yes nor a change: ask again.
    ConfirmPrompt,
    /// "No" to the summary: what should change?
    WhatToChange,
    InsufficientCredits {
        required: i64,
        available: i64,
    },
    /// The generation could not start; confirming again retries.
    Unavailable,
    Generating,
    StillGenerating,
    Completed,
    GenerationFailed {
        refunded: bool,
    },
    Cancelled,
    /// The conversation is over (complete or cancelled).
    Closed,
    /// High risk: care first, resources, no generation.
    SafetyHold,
    /// Distress worth acknowledging, without stopping.
    SupportNote,
    /// Generation refused while in a safety hold.
    GenerationBlocked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effect {
    Say(Utterance),
    /// Reserve credits and create the item; the outcome comes back as an event.
    StartGeneration {
        attempt: u32,
    },
    Progress {
        stage: String,
        percent: u8,
    },
    Finished {
        content_id: Uuid,
    },
    Failed {
        code: String,
        refunded: bool,
    },
    /// Write a crisis alert and tell the admins.
    RaiseAlert(SafetyAssessment),
    /// Send the crisis resources to the person.
    ShowResources,
    /// The conversation ended: keep its record.
    Close,
}

/// Defaults the person's profile gives to the voice of a practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Personal {
    pub pace: Pace,
    pub tone: Tone,
}

/// The shared storage of the machine: what is known of the practice being made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dialogue {
    pub content_type: ContentType,
    pub slots: Slots,
    pub personal: Personal,
    /// The slot the last question asked about.
    pub asking: Option<SlotName>,
    /// Optional questions already asked (an empty answer does not bring them back).
    pub settled: Vec<SlotName>,
    /// Messages received while gathering.
    pub turns: u32,
    /// An edit (see [`Event::Edit`]) is being answered: set from the edit until its
    /// detail is answered. While set, the edited question is the one asked (again after
    /// an unclear answer), [`MAX_GATHERING_TURNS`] does not apply (no default replaces
    /// the detail without asking), and the voice question asks for the voice alone
    /// (without offering the profile's usual). After the answer the dialogue goes on as
    /// usual: the next missing detail, or the summary (where nothing else is missing).
    pub editing: bool,
    /// The item this conversation makes a new version of (the return loop).
    pub source_content_id: Option<Uuid>,
    /// The item being (or last) generated.
    pub content_id: Option<Uuid>,
    /// Generation attempts, so each confirmation is charged at most once.
    pub attempts: u32,
}

impl Dialogue {
    pub fn new(content_type: ContentType, personal: Personal) -> Dialogue {
        Dialogue {
            content_type,
            slots: Slots::default(),
            personal,
            asking: None,
            settled: Vec::new(),
            turns: 0,
            editing: false,
            source_content_id: None,
            content_id: None,
            attempts: 0,
        }
    }

    /// Starts from what is already known (a `start` with an intent).
    pub fn with_slots(mut self, slots: Slots) -> Dialogue {
        self.slots.merge(normalise(self.content_type, slots));
        self
    }

    /// Starts from an existing item, to make a new version of it.
    pub fn revising(mut self, source_content_id: Uuid, slots: Slots) -> Dialogue {
        self.source_content_id = Some(source_content_id);
        self.slots = normalise(self.content_type, slots);
        self.settled = plan(self.content_type).to_vec();
        self
    }

    /// The slots to generate from: what was said, the rest from defaults.
    pub fn resolved_slots(&self) -> Slots {
        let mut resolved = defaults(self.content_type, self.personal);
        resolved.merge(self.slots.clone());
        resolved
    }

    /// The next question to ask, if any.
    pub fn next_missing(&self) -> Option<SlotName> {
        plan(self.content_type)
            .iter()
            .copied()
            .find(|slot| !self.is_settled(*slot))
    }

    fn is_settled(&self, slot: SlotName) -> bool {
        match slot {
            // One question covers voice, pace and tone.
            SlotName::Voice => {
                self.slots.voice.is_some()
                    || self.slots.pace.is_some()
                    || self.slots.tone.is_some()
                    || self.settled.contains(&slot)
            }
            slot if is_optional(slot) => self.slots.has(slot) || self.settled.contains(&slot),
            slot => self.slots.has(slot),
        }
    }

    /// Reads a message while gathering: learn, then ask the next thing or summarise.
    fn gather(&mut self, effects: &mut Vec<Effect>, message: &UserMessage) -> Outcome<State> {
        self.turns += 1;
        let learned = self.learn(&message.slots);
        if let Some(asked) = self.asking
            && is_optional(asked)
            && !self.settled.contains(&asked)
        {
            self.settled.push(asked);
        }
        // An edit lasts until its detail is answered: until then the same question comes
        // again, whatever the turn count, and never a default in its place.
        let edited = self
            .asking
            .filter(|slot| self.editing && !self.is_settled(*slot));
        self.editing = edited.is_some();
        let missing = edited.or_else(|| self.next_missing());
        let out_of_turns = !self.editing && self.turns >= MAX_GATHERING_TURNS;
        match missing {
            Some(slot) if !out_of_turns => {
                let again = self.asking == Some(slot) && learned.is_empty();
                self.ask(effects, slot, learned, again)
            }
            _ => {
                if missing.is_some() {
                    self.slots = self.resolved_slots();
                    // Out of turns: the unanswered optional questions are settled too,
                    // so a later edit asks for its own detail only.
                    for slot in plan(self.content_type) {
                        if !self.settled.contains(slot) {
                            self.settled.push(*slot);
                        }
                    }
                }
                self.summarise(effects, learned)
            }
        }
    }

    /// Forgets one detail and asks for it again; the answer goes on as usual (the next
    /// missing detail, or the summary).
    fn edit(&mut self, effects: &mut Vec<Effect>, slot: SlotName) -> Outcome<State> {
        self.slots.clear(slot);
        self.settled.retain(|s| *s != slot);
        self.editing = true;
        self.ask(effects, slot, Vec::new(), false)
    }

    /// Merges newly stated slots; returns the ones that changed.
    fn learn(&mut self, stated: &Slots) -> Vec<SlotName> {
        let before = self.slots.clone();
        self.slots
            .merge(normalise(self.content_type, stated.clone()));
        SlotName::ALL
            .into_iter()
            .filter(|slot| self.slots.has(*slot) && !same_slot(&before, &self.slots, *slot))
            .collect()
    }

    fn ask(
        &mut self,
        effects: &mut Vec<Effect>,
        slot: SlotName,
        learned: Vec<SlotName>,
        again: bool,
    ) -> Outcome<State> {
        self.asking = Some(slot);
        effects.push(Effect::Say(Utterance::Ask {
            slot,
            learned,
            again,
        }));
        Transition(state_for(slot))
    }

    fn summarise(&mut self, effects: &mut Vec<Effect>, learned: Vec<SlotName>) -> Outcome<State> {
        self.asking = None;
        self.editing = false;
        effects.push(Effect::Say(Utterance::Summary { learned }));
        Transition(State::confirmation())
    }

    fn start_generation(&mut self, effects: &mut Vec<Effect>) -> Outcome<State> {
        self.attempts += 1;
        self.slots = self.resolved_slots();
        effects.push(Effect::StartGeneration {
            attempt: self.attempts,
        });
        Transition(State::generating())
    }

    /// Safety comes first on every message: a high risk stops the dialogue.
    fn screen(
        &mut self,
        effects: &mut Vec<Effect>,
        message: &UserMessage,
    ) -> Option<Outcome<State>> {
        if message.safety.requires_hold() {
            effects.push(Effect::RaiseAlert(message.safety.clone()));
            effects.push(Effect::ShowResources);
            effects.push(Effect::Say(Utterance::SafetyHold));
            return Some(Transition(State::safety_hold()));
        }
        if message.safety.level >= RiskLevel::Medium {
            effects.push(Effect::ShowResources);
            effects.push(Effect::Say(Utterance::SupportNote));
        }
        None
    }

    fn cancel(effects: &mut Vec<Effect>, utterance: Utterance) -> Outcome<State> {
        effects.push(Effect::Say(utterance));
        effects.push(Effect::Close);
        Transition(State::cancelled())
    }
}

/// The slots a content type asks about, in order. An affirmation needs little; a ritual
/// also asks about the person's situation.
pub fn plan(content_type: ContentType) -> &'static [SlotName] {
    match content_type {
        ContentType::Affirmation => &[SlotName::Intent],
        ContentType::GuidedMeditation => &[
            SlotName::Intent,
            SlotName::TimeOfDay,
            SlotName::Duration,
            SlotName::Voice,
        ],
        ContentType::Ritual => &[
            SlotName::Intent,
            SlotName::Context,
            SlotName::TimeOfDay,
            SlotName::Duration,
            SlotName::Voice,
        ],
    }
}

/// Slots whose question may go unanswered.
fn is_optional(slot: SlotName) -> bool {
    matches!(
        slot,
        SlotName::Context | SlotName::Voice | SlotName::Pace | SlotName::Tone | SlotName::Name
    )
}

fn same_slot(a: &Slots, b: &Slots, slot: SlotName) -> bool {
    match slot {
        SlotName::Intent => a.intent == b.intent,
        SlotName::Context => a.context == b.context,
        SlotName::TimeOfDay => a.time_of_day == b.time_of_day,
        SlotName::Duration => a.duration_minutes == b.duration_minutes,
        SlotName::Voice => a.voice == b.voice,
        SlotName::Pace => a.pace == b.pace,
        SlotName::Tone => a.tone == b.tone,
        SlotName::Name => a.name == b.name,
    }
}

/// Keeps a stated duration within what the content type can be.
fn normalise(content_type: ContentType, mut slots: Slots) -> Slots {
    let (min, max) = duration_bounds(content_type);
    slots.duration_minutes = slots.duration_minutes.map(|m| m.clamp(min, max));
    slots
}

/// What an unanswered slot becomes.
pub fn defaults(content_type: ContentType, personal: Personal) -> Slots {
    Slots {
        intent: Some(Intent::Calm),
        context: None,
        time_of_day: Some(TimeOfDay::Anytime),
        duration_minutes: Some(content_type.default_minutes()),
        voice: None,
        pace: Some(personal.pace),
        tone: Some(personal.tone),
        name: None,
    }
}

/// The state in which a slot is asked about.
fn state_for(slot: SlotName) -> State {
    match slot {
        SlotName::Intent => State::intent_discovery(),
        SlotName::Context => State::context_gathering(),
        SlotName::TimeOfDay | SlotName::Duration => State::practice_details(),
        SlotName::Voice | SlotName::Pace | SlotName::Tone | SlotName::Name => {
            State::personalization()
        }
    }
}

/// The machine. Each state's doc lists where it goes.
#[state_machine(
    initial = "State::greeting()",
    state(derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)),
    superstate(derive(Debug)),
    after_transition = "Self::after_transition"
)]
impl Dialogue {
    /// Begin -> Confirmation (enough known, or revising) | the first question's state.
    /// Messages before Begin are gathered as usual.
    #[state(superstate = "gathering")]
    fn greeting(&mut self, context: &mut Vec<Effect>, event: &Event) -> Outcome<State> {
        match event {
            Event::Begin => {
                if self.source_content_id.is_some() {
                    context.push(Effect::Say(Utterance::Revision));
                    return Transition(State::confirmation());
                }
                match self.next_missing() {
                    Some(slot) => {
                        self.asking = Some(slot);
                        context.push(Effect::Say(Utterance::Greeting { ask: slot }));
                        Transition(state_for(slot))
                    }
                    None => self.summarise(context, Vec::new()),
                }
            }
            _ => Super,
        }
    }

    /// Asks what the practice is for. Message -> the next question's state | Confirmation.
    #[state(superstate = "gathering")]
    fn intent_discovery() -> Outcome<State> {
        Super
    }

    /// Asks about the person's situation (rituals). Message -> next question | Confirmation.
    #[state(superstate = "gathering")]
    fn context_gathering() -> Outcome<State> {
        Super
    }

    /// Asks when and for how long. Message -> next question | Confirmation.
    #[state(superstate = "gathering")]
    fn practice_details() -> Outcome<State> {
        Super
    }

    /// Asks about voice, pace and tone (profile defaults otherwise). Message -> Confirmation.
    #[state(superstate = "gathering")]
    fn personalization() -> Outcome<State> {
        Super
    }

    /// Shared by the gathering states. Message -> SafetyHold | next question | Confirmation
    /// (also when out of turns, with defaults, unless an edit is being answered);
    /// Edit(slot) -> that slot's question, as from the summary (the detail is forgotten
    /// and asked for; the questions left resume after the answer); Confirm -> the
    /// current question again; Cancel -> Cancelled.
    #[superstate]
    fn gathering(&mut self, context: &mut Vec<Effect>, event: &Event) -> Outcome<State> {
        match event {
            Event::Message(message) => {
                if let Some(outcome) = self.screen(context, message) {
                    return outcome;
                }
                if message.reaction == Reaction::Cancel && message.slots.is_empty() {
                    return Self::cancel(context, Utterance::Cancelled);
                }
                self.gather(context, message)
            }
            Event::Cancel => Self::cancel(context, Utterance::Cancelled),
            Event::Edit(slot) => self.edit(context, *slot),
            Event::Confirm => {
                context.push(Effect::Say(match self.asking {
                    Some(slot) => Utterance::Ask {
                        slot,
                        learned: Vec::new(),
                        again: true,
                    },
                    None => Utterance::ConfirmPrompt,
                }));
                Handled
            }
            _ => Handled,
        }
    }

    /// The summary. Confirm (or a plain "yes") -> Generating; a changed detail ->
    /// Confirmation again; "no", or a change it could not read ("yes but ...", "wait")
    /// -> what to change; Edit(slot) -> that slot's state; Cancel -> Cancelled; danger ->
    /// SafetyHold.
    #[state]
    fn confirmation(&mut self, context: &mut Vec<Effect>, event: &Event) -> Outcome<State> {
        match event {
            Event::Message(message) => {
                if let Some(outcome) = self.screen(context, message) {
                    return outcome;
                }
                let learned = self.learn(&message.slots);
                if !learned.is_empty() {
                    return self.summarise(context, learned);
                }
                match message.reaction {
                    Reaction::Yes => self.start_generation(context),
                    Reaction::No => {
                        context.push(Effect::Say(Utterance::WhatToChange));
                        Handled
                    }
                    Reaction::Cancel => Self::cancel(context, Utterance::Cancelled),
                    // Asks for a change it did not say (or said in words not understood):
                    // never a yes.
                    Reaction::Other if asks_for_change(&message.text) => {
                        context.push(Effect::Say(Utterance::WhatToChange));
                        Handled
                    }
                    Reaction::Other => {
                        context.push(Effect::Say(Utterance::ConfirmPrompt));
                        Handled
                    }
                }
            }
            Event::Confirm => self.start_generation(context),
            Event::Edit(slot) => self.edit(context, *slot),
            Event::Cancel => Self::cancel(context, Utterance::Cancelled),
            _ => Handled,
        }
    }

    /// Creating the item. Started -> (stays); Progress -> (stays); Succeeded -> Complete;
    /// Failed -> Failed; Refused (credits, unavailable) -> Confirmation, the same attempt.
    /// Confirm again changes nothing.
    #[state]
    fn generating(&mut self, context: &mut Vec<Effect>, event: &Event) -> Outcome<State> {
        match event {
            Event::GenerationStarted { content_id } => {
                self.content_id = Some(*content_id);
                context.push(Effect::Say(Utterance::Generating));
                Handled
            }
            Event::GenerationProgress { stage, percent } => {
                context.push(Effect::Progress {
                    stage: stage.clone(),
                    percent: *percent,
                });
                Handled
            }
            Event::GenerationSucceeded { content_id } => {
                self.content_id = Some(*content_id);
                context.push(Effect::Finished {
                    content_id: *content_id,
                });
                context.push(Effect::Say(Utterance::Completed));
                context.push(Effect::Close);
                Transition(State::complete())
            }
            Event::GenerationFailed { code, refunded } => {
                context.push(Effect::Failed {
                    code: code.clone(),
                    refunded: *refunded,
                });
                context.push(Effect::Say(Utterance::GenerationFailed {
                    refunded: *refunded,
                }));
                Transition(State::failed())
            }
            Event::GenerationRefused(refusal) => {
                self.attempts = self.attempts.saturating_sub(1);
                context.push(Effect::Say(match *refusal {
                    Refusal::InsufficientCredits {
                        required,
                        available,
                    } => Utterance::InsufficientCredits {
                        required,
                        available,
                    },
                    Refusal::Unavailable => Utterance::Unavailable,
                }));
                Transition(State::confirmation())
            }
            Event::Message(message) => {
                if let Some(outcome) = self.screen(context, message) {
                    return outcome;
                }
                context.push(Effect::Say(Utterance::StillGenerating));
                Handled
            }
            _ => Handled,
        }
    }

    /// Done; the item is in the library. Nothing leaves this state.
    #[state]
    fn complete(context: &mut Vec<Effect>, event: &Event) -> Outcome<State> {
        if matches!(event, Event::Message(_)) {
            context.push(Effect::Say(Utterance::Closed));
        }
        Handled
    }

    /// Generation failed (credits released). Confirm (or "yes") -> Generating (a new
    /// attempt); Cancel -> Cancelled.
    #[state]
    fn failed(&mut self, context: &mut Vec<Effect>, event: &Event) -> Outcome<State> {
        match event {
            Event::Confirm => self.start_generation(context),
            Event::Message(message) => {
                if let Some(outcome) = self.screen(context, message) {
                    return outcome;
                }
                match message.reaction {
                    Reaction::Yes => self.start_generation(context),
                    Reaction::Cancel | Reaction::No => Self::cancel(context, Utterance::Cancelled),
                    Reaction::Other => {
                        context.push(Effect::Say(Utterance::GenerationFailed { refunded: true }));
                        Handled
                    }
                }
            }
            Event::Cancel => Self::cancel(context, Utterance::Cancelled),
            _ => Handled,
        }
    }

    /// High risk was heard: care and resources only, never generation. Messages keep the
    /// resources in view (a new high-risk message raises a new alert); Cancel ->
    /// Cancelled.
    #[state]
    fn safety_hold(context: &mut Vec<Effect>, event: &Event) -> Outcome<State> {
        match event {
            Event::Message(message) => {
                if message.safety.requires_hold() {
                    context.push(Effect::RaiseAlert(message.safety.clone()));
                }
                context.push(Effect::ShowResources);
                context.push(Effect::Say(Utterance::SafetyHold));
                Handled
            }
            Event::Confirm | Event::Edit(_) => {
                context.push(Effect::Say(Utterance::GenerationBlocked));
                Handled
            }
            Event::Cancel => Self::cancel(context, Utterance::Cancelled),
            _ => Handled,
        }
    }

    /// Ended without an item. Nothing leaves this state.
    #[state]
    fn cancelled(context: &mut Vec<Effect>, event: &Event) -> Outcome<State> {
        if matches!(event, Event::Message(_)) {
            context.push(Effect::Say(Utterance::Closed));
        }
        Handled
    }
}

impl Dialogue {
    fn after_transition(&mut self, source: &State, target: &State, _context: &mut Vec<Effect>) {
        if source != target {
            tracing::debug!(
                from = state_name(source),
                to = state_name(target),
                "dialogue transition"
            );
        }
    }
}

/// The name of a state on the wire (`"IntentDiscovery"`, ...).
pub fn state_name(state: &State) -> &'static str {
    match state {
        State::Greeting {} => "Greeting",
        State::IntentDiscovery {} => "IntentDiscovery",
        State::ContextGathering {} => "ContextGathering",
        State::PracticeDetails {} => "PracticeDetails",
        State::Personalization {} => "Personalization",
        State::Confirmation {} => "Confirmation",
        State::Generating {} => "Generating",
        State::Complete {} => "Complete",
        State::Failed {} => "Failed",
        State::SafetyHold {} => "SafetyHold",
        State::Cancelled {} => "Cancelled",
    }
}

/// States after which nothing more happens in the session.
pub fn is_terminal(state: &State) -> bool {
    matches!(state, State::Complete {} | State::Cancelled {})
}
