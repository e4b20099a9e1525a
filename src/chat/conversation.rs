//! One conversation over the socket: `start`, then turn by turn (the person's line, the
//! guide's reply) until the item is ready, the conversation is cancelled, or the person
//! leaves.

use anyhow::bail;
use uuid::Uuid;

use super::frames::{ClientFrame, Item, ServerFrame};
use super::input::{HELP, Input, Lines, parse_input};
use super::screen::Screen;
use super::socket::Socket;
use crate::domain::ContentType;

/// The dialogue state while the item is being made: nothing to say until it is done.
const GENERATING: &str = "Generating";
/// The dialogue state of a conversation ended without an item.
const CANCELLED: &str = "Cancelled";
/// The dialogue state once the item is made; `generation_complete` follows.
const COMPLETE: &str = "Complete";
/// The one error that comes with a reply of its own: the guide explains the missing
/// credits in the `response` that follows.
const INSUFFICIENT_CREDITS: &str = "INSUFFICIENT_CREDITS";
/// Errors after which the conversation cannot go on from this socket. Others
/// (`SESSION_BUSY`, `RATE_LIMITED`, ...) only refuse the one frame: try again.
const CONVERSATION_GONE: &[&str] = &[
    "SESSION_EXPIRED",
    "SESSION_NOT_FOUND",
    "SESSION_MOVED",
    "SESSION_MISMATCH",
    "NO_SESSION",
];

/// How a conversation ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Ending {
    /// The item is ready.
    Made(Item),
    /// Cancelled: nothing was made or charged.
    Cancelled,
    /// The person left with `/quit`.
    Quit,
}

/// The client's side of the dialogue: which conversation, where it stands, and whether
/// a reply is still due. Pure: it reads frames and says what they mean.
#[derive(Debug, Default)]
pub struct Talk {
    session_id: Option<Uuid>,
    state: String,
    /// A frame was sent and its reply has not come yet.
    awaiting_reply: bool,
}

impl Talk {
    /// Whether the next line is wanted: a reply came, and the item is not being made
    /// (`Complete` comes just before the item itself).
    pub fn persons_turn(&self) -> bool {
        self.session_id.is_some()
            && !self.awaiting_reply
            && self.state != GENERATING
            && self.state != COMPLETE
    }

    /// The frame for what the person typed, if it goes to the server. Only called on
    /// the person's turn, so the conversation exists.
    pub fn frame_for(&mut self, input: Input) -> Option<ClientFrame> {
        let session_id = self.session_id?;
        let frame = match input {
            Input::Say(content) => ClientFrame::Message {
                session_id,
                content,
            },
            Input::Confirm => ClientFrame::Confirm { session_id },
            Input::Edit(slot) => ClientFrame::Edit { session_id, slot },
            Input::Cancel => ClientFrame::Cancel { session_id },
            Input::Quit | Input::Help | Input::Nothing => return None,
        };
        self.awaiting_reply = true;
        Some(frame)
    }

    /// `start` was sent: the greeting is due.
    pub fn started(&mut self) {
        self.awaiting_reply = true;
    }

    /// Takes in one server frame; `Some` when the conversation is over.
    pub fn on_frame(&mut self, frame: &ServerFrame) -> anyhow::Result<Option<Ending>> {
        match frame {
            ServerFrame::Started { session_id, state } => {
                self.session_id = Some(*session_id);
                self.state.clone_from(state);
            }
            ServerFrame::StateChanged { to, .. } => self.state.clone_from(to),
            ServerFrame::Response { state, .. } => {
                self.state.clone_from(state);
                self.awaiting_reply = false;
                match state.as_str() {
                    CANCELLED => return Ok(Some(Ending::Cancelled)),
                    // The item comes in `generation_complete`, before this reply.
                    COMPLETE => bail!(
                        "the item was made but the server did not send it; find it in the library"
                    ),
                    _ => {}
                }
            }
            ServerFrame::GenerationComplete { content } => {
                return Ok(Some(Ending::Made(content.clone())));
            }
            ServerFrame::Error { code, message } => {
                if self.session_id.is_none() {
                    bail!("the conversation could not start: {code}: {message}");
                }
                if CONVERSATION_GONE.contains(&code.as_str()) {
                    bail!("the conversation is gone: {code}: {message}");
                }
                // The frame was not carried out: no reply will come for it.
                if code != INSUFFICIENT_CREDITS {
                    self.awaiting_reply = false;
                }
            }
            ServerFrame::ResponseDelta { .. }
            | ServerFrame::GenerationStarted { .. }
            | ServerFrame::GenerationProgress { .. }
            | ServerFrame::GenerationFailed { .. }
            | ServerFrame::Safety { .. }
            | ServerFrame::Other => {}
        }
        Ok(None)
    }
}

/// Holds the conversation: starts it, shows every frame, and reads a line from the
/// person whenever it is their turn, until it ends. The end of input before that is an
/// error.
pub async fn converse(
    socket: &mut Socket,
    lines: &mut Lines,
    content_type: ContentType,
) -> anyhow::Result<Ending> {
    let mut screen = Screen::default();
    let mut talk = Talk::default();
    socket.send(&ClientFrame::Start { content_type }).await?;
    talk.started();
    let mut prompted = false;
    loop {
        if talk.persons_turn() && !prompted {
            screen.prompt();
            prompted = true;
        }
        tokio::select! {
            frame = socket.next() => {
                let frame = frame?;
                screen.show(&frame);
                if let Some(ending) = talk.on_frame(&frame)? {
                    return Ok(ending);
                }
            }
            line = lines.next(), if talk.persons_turn() => {
                prompted = false;
                let Some(line) = line else {
                    println!();
                    bail!("input ended before the item was made");
                };
                let input = match parse_input(&line) {
                    Ok(input) => input,
                    Err(problem) => {
                        screen.error(&problem);
                        continue;
                    }
                };
                match input {
                    Input::Quit => return Ok(Ending::Quit),
                    Input::Help => screen.help(HELP),
                    input => {
                        if let Some(frame) = talk.frame_for(input) {
                            socket.send(&frame).await?;
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state_machine::SlotName;

    fn response(state: &str) -> ServerFrame {
        ServerFrame::Response {
            content: "…".into(),
            state: state.into(),
            interrupted: false,
        }
    }

    fn error(code: &str) -> ServerFrame {
        ServerFrame::Error {
            code: code.into(),
            message: "…".into(),
        }
    }

    fn changed(from: &str, to: &str) -> ServerFrame {
        ServerFrame::StateChanged {
            from: from.into(),
            to: to.into(),
        }
    }

    /// A conversation past its greeting: the person's turn.
    fn greeted() -> Talk {
        let mut talk = Talk::default();
        talk.started();
        for frame in [
            ServerFrame::Started {
                session_id: Uuid::nil(),
                state: "Greeting".into(),
            },
            changed("Greeting", "IntentDiscovery"),
        ] {
            assert_eq!(talk.on_frame(&frame).unwrap(), None);
            assert!(!talk.persons_turn(), "no turn before the greeting");
        }
        assert_eq!(talk.on_frame(&response("IntentDiscovery")).unwrap(), None);
        assert!(talk.persons_turn());
        talk
    }

    #[test]
    fn turns_alternate_between_the_person_and_the_guide() {
        let mut talk = greeted();
        let frame = talk.frame_for(Input::Say("more confidence".into()));
        assert_eq!(
            frame,
            Some(ClientFrame::Message {
                session_id: Uuid::nil(),
                content: "more confidence".into()
            })
        );
        assert!(!talk.persons_turn());
        talk.on_frame(&ServerFrame::ResponseDelta {
            delta: "Lov".into(),
        })
        .unwrap();
        assert!(!talk.persons_turn());
        talk.on_frame(&response("Confirmation")).unwrap();
        assert!(talk.persons_turn());
        let frame = talk.frame_for(Input::Edit(SlotName::Duration));
        assert_eq!(
            frame,
            Some(ClientFrame::Edit {
                session_id: Uuid::nil(),
                slot: SlotName::Duration
            })
        );
    }

    #[test]
    fn local_commands_send_nothing_and_keep_the_turn() {
        let mut talk = greeted();
        for input in [Input::Help, Input::Nothing, Input::Quit] {
            assert_eq!(talk.frame_for(input), None);
            assert!(talk.persons_turn());
        }
    }

    #[test]
    fn nothing_is_asked_while_the_item_is_made_and_it_ends_the_conversation() {
        let mut talk = greeted();
        talk.frame_for(Input::Confirm).unwrap();
        talk.on_frame(&changed("Confirmation", "Generating"))
            .unwrap();
        talk.on_frame(&response("Generating")).unwrap();
        assert!(!talk.persons_turn(), "waiting for the item");
        talk.on_frame(&changed("Generating", "Complete")).unwrap();
        assert!(!talk.persons_turn(), "the item is on its way");
        let item = Item {
            id: Uuid::nil(),
            title: Some("Calm".into()),
            audio_url: Some("/media/audio/x.mp3".into()),
            audio_format: Some("mp3".into()),
            audio_duration: Some(60),
        };
        let ending = talk
            .on_frame(&ServerFrame::GenerationComplete {
                content: item.clone(),
            })
            .unwrap();
        assert_eq!(ending, Some(Ending::Made(item)));
    }

    #[test]
    fn a_failed_generation_gives_the_turn_back() {
        let mut talk = greeted();
        talk.frame_for(Input::Say("yes".into())).unwrap();
        talk.on_frame(&changed("Confirmation", "Generating"))
            .unwrap();
        talk.on_frame(&ServerFrame::GenerationFailed {
            code: "GENERATION_FAILED".into(),
            message: "…".into(),
            refunded: true,
        })
        .unwrap();
        talk.on_frame(&changed("Generating", "Failed")).unwrap();
        talk.on_frame(&response("Failed")).unwrap();
        assert!(talk.persons_turn());
    }

    #[test]
    fn a_refused_frame_gives_the_turn_back_but_missing_credits_wait_for_the_reply() {
        let mut talk = greeted();
        talk.frame_for(Input::Say("hello".into())).unwrap();
        talk.on_frame(&error("RATE_LIMITED")).unwrap();
        assert!(talk.persons_turn());
        talk.frame_for(Input::Say("hello".into())).unwrap();
        talk.on_frame(&error("SESSION_BUSY")).unwrap();
        assert!(talk.persons_turn(), "busy: try again");

        talk.frame_for(Input::Confirm).unwrap();
        talk.on_frame(&error(INSUFFICIENT_CREDITS)).unwrap();
        assert!(!talk.persons_turn(), "the guide explains first");
        talk.on_frame(&response("Confirmation")).unwrap();
        assert!(talk.persons_turn());
    }

    #[test]
    fn errors_about_the_conversation_itself_end_it() {
        let mut talk = Talk::default();
        talk.started();
        assert!(talk.on_frame(&error("SESSION_LIMIT")).is_err());

        let mut talk = greeted();
        talk.frame_for(Input::Say("hello".into())).unwrap();
        assert!(talk.on_frame(&error("SESSION_EXPIRED")).is_err());
    }

    #[test]
    fn cancelling_ends_the_conversation() {
        let mut talk = greeted();
        assert_eq!(
            talk.frame_for(Input::Cancel),
            Some(ClientFrame::Cancel {
                session_id: Uuid::nil()
            })
        );
        talk.on_frame(&changed("IntentDiscovery", "Cancelled"))
            .unwrap();
        assert_eq!(
            talk.on_frame(&response("Cancelled")).unwrap(),
            Some(Ending::Cancelled)
        );
    }
}
