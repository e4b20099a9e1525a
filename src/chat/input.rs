//! What the person types: lines from stdin (a terminal or a pipe), the questions asked
//! before the conversation, and the slash commands understood during it.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Context;
use secrecy::SecretString;
use tokio::process::Command;
use tokio::sync::mpsc;

use crate::domain::ContentType;
use crate::state_machine::SlotName;

/// Lines read ahead of their turn. One: a piped script is read a line at a time, as
/// the conversation asks for them.
const READ_AHEAD: usize = 1;

/// The lines of stdin. They are read on a thread of their own so that the socket keeps
/// being read (and the server's pings answered) while the person thinks.
pub struct Lines {
    rx: mpsc::Receiver<String>,
    /// Stdin is a pipe or a file, not a person at a terminal: what is read is echoed,
    /// so that the output reads as a transcript.
    piped: bool,
}

impl Lines {
    pub fn stdin() -> Lines {
        let (tx, rx) = mpsc::channel(READ_AHEAD);
        // A plain thread rather than `spawn_blocking`: the runtime waits for its blocking
        // tasks when it shuts down, and a read of stdin may never return.
        std::thread::spawn(move || {
            for line in std::io::stdin().lock().lines().map_while(Result::ok) {
                let line = line.trim_end_matches('\r').to_owned();
                if tx.blocking_send(line).is_err() {
                    break;
                }
            }
        });
        Lines {
            rx,
            piped: !std::io::stdin().is_terminal(),
        }
    }

    /// The next line; `None` once stdin has ended.
    pub async fn next(&mut self) -> Option<String> {
        let line = self.rx.recv().await;
        if self.piped
            && let Some(line) = &line
        {
            println!("{line}");
        }
        line
    }

    /// Prints `prompt` and waits for an answer; the end of stdin is an error naming
    /// `what` was being asked.
    pub async fn ask(&mut self, prompt: &str, what: &str) -> anyhow::Result<String> {
        show_prompt(prompt);
        self.next()
            .await
            .with_context(|| format!("input ended before the {what} was given"))
    }

    /// Asks for a password. At a terminal the typing is not shown (`stty -echo`; where
    /// that is unavailable it shows). Piped, it is read but never echoed.
    pub async fn ask_secret(&mut self, prompt: &str) -> anyhow::Result<SecretString> {
        show_prompt(prompt);
        let hidden = !self.piped && set_echo(false).await;
        let answer = self.rx.recv().await;
        if hidden {
            set_echo(true).await;
        }
        println!();
        let answer = answer.context("input ended before the password was given")?;
        Ok(SecretString::from(answer))
    }

    /// Asks what to create until the answer is one of the list.
    pub async fn choose_content_type(&mut self) -> anyhow::Result<ContentType> {
        println!("What would you like to create?");
        for (number, content_type) in ContentType::ALL.iter().enumerate() {
            println!("  {}. {}", number + 1, content_type.noun());
        }
        loop {
            let answer = self.ask("choose 1-3: ", "content type").await?;
            match parse_content_type(&answer) {
                Some(content_type) => return Ok(content_type),
                None => println!("Please answer 1, 2 or 3 (or a name from the list)."),
            }
        }
    }
}

fn show_prompt(prompt: &str) {
    print!("{prompt}");
    let _ = std::io::stdout().flush();
}

/// Turns the terminal's echo on or off; false when `stty` could not do it.
async fn set_echo(on: bool) -> bool {
    Command::new("stty")
        .arg(if on { "echo" } else { "-echo" })
        .status()
        .await
        .is_ok_and(|status| status.success())
}

/// An answer to "what would you like to create?": its number in the list, or its name
/// (`guided meditation` and `guided_meditation` both).
pub fn parse_content_type(answer: &str) -> Option<ContentType> {
    let answer = answer.trim().to_lowercase();
    if let Ok(number) = answer.parse::<usize>() {
        return number
            .checked_sub(1)
            .and_then(|i| ContentType::ALL.get(i).copied());
    }
    answer.replace([' ', '-'], "_").parse().ok()
}

/// What a line typed during the conversation asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Words for the guide.
    Say(String),
    /// `/confirm`: create the item from the summary.
    Confirm,
    /// `/edit <slot>`: change one detail.
    Edit(SlotName),
    /// `/cancel`: end the conversation without an item.
    Cancel,
    /// `/quit`: leave (the server keeps the conversation for a while).
    Quit,
    /// `/help`.
    Help,
    /// A blank line.
    Nothing,
}

/// The slash commands, for `/help`.
pub const HELP: &str = "\
Type your answer and press Enter. Commands:
  /confirm        create the item from the summary (or just say \"yes\")
  /edit <detail>  change one detail: intent, context, time_of_day, duration,
                  voice, pace, tone or name
  /cancel         end the conversation without creating anything
  /quit           leave now
  /help           this list";

/// Reads one line: a slash command, or words for the guide. A mistyped command is an
/// error to show, never sent as words.
pub fn parse_input(line: &str) -> Result<Input, String> {
    let line = line.trim();
    let Some(command) = line.strip_prefix('/') else {
        if line.is_empty() {
            return Ok(Input::Nothing);
        }
        return Ok(Input::Say(line.to_owned()));
    };
    let mut words = command.split_whitespace();
    let name = words.next().unwrap_or_default().to_lowercase();
    let argument = words.next();
    let input = match (name.as_str(), argument) {
        ("confirm", None) => Input::Confirm,
        ("cancel", None) => Input::Cancel,
        ("quit" | "exit", None) => Input::Quit,
        ("help", None) => Input::Help,
        ("edit", Some(slot)) => match SlotName::parse(&slot.to_lowercase()) {
            Some(slot) => Input::Edit(slot),
            None => return Err(format!("`{slot}` is not a detail; {}", slot_list())),
        },
        ("edit", None) => return Err(format!("say which detail to change; {}", slot_list())),
        ("confirm" | "cancel" | "quit" | "exit" | "help", Some(_)) => {
            return Err(format!("/{name} takes nothing after it"));
        }
        _ => return Err(format!("unknown command /{name}; /help lists them")),
    };
    if words.next().is_some() {
        return Err(format!("/{name} takes one detail"));
    }
    Ok(input)
}

fn slot_list() -> String {
    let names: Vec<&str> = SlotName::ALL.iter().map(|slot| slot.as_str()).collect();
    format!("one of {}", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_inputs() {
        let cases = [
            (
                "I want to sleep better",
                Input::Say("I want to sleep better".into()),
            ),
            ("  yes  ", Input::Say("yes".into())),
            ("", Input::Nothing),
            ("   ", Input::Nothing),
            ("/confirm", Input::Confirm),
            ("/Confirm ", Input::Confirm),
            ("/cancel", Input::Cancel),
            ("/quit", Input::Quit),
            ("/exit", Input::Quit),
            ("/help", Input::Help),
            ("/edit duration", Input::Edit(SlotName::Duration)),
            ("/edit  Time_Of_Day", Input::Edit(SlotName::TimeOfDay)),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_input(line), Ok(expected), "{line:?}");
        }
    }

    #[test]
    fn mistyped_commands_are_refused_not_sent() {
        let cases = [
            ("/edit", "say which detail"),
            ("/edit colour", "`colour` is not a detail"),
            ("/edit voice pace", "takes one detail"),
            ("/confirm now", "takes nothing after it"),
            ("/shout", "unknown command /shout"),
            ("/", "unknown command"),
        ];
        for (line, message) in cases {
            let error = parse_input(line).unwrap_err();
            assert!(error.contains(message), "{line:?}: {error}");
        }
    }

    #[test]
    fn content_types_are_chosen_by_number_or_name() {
        let cases = [
            ("1", Some(ContentType::Affirmation)),
            (" 2 ", Some(ContentType::GuidedMeditation)),
            ("3", Some(ContentType::Ritual)),
            ("guided meditation", Some(ContentType::GuidedMeditation)),
            ("Guided_Meditation", Some(ContentType::GuidedMeditation)),
            ("ritual", Some(ContentType::Ritual)),
            ("0", None),
            ("4", None),
            ("", None),
            ("poem", None),
        ];
        for (answer, expected) in cases {
            assert_eq!(parse_content_type(answer), expected, "{answer:?}");
        }
    }
}
