//! What the person sees: the guide's words as they arrive, short bracketed lines for
//! the rest (`[IntentDiscovery -> Confirmation]`, `[generating: audio 57%]`), and
//! errors on stderr.

use std::io::Write;
use std::path::Path;

use super::frames::{Item, Resource, ServerFrame};

/// The terminal, remembering whether a streamed reply is still being written on the
/// current line.
#[derive(Debug, Default)]
pub struct Screen {
    streaming: bool,
}

impl Screen {
    /// Shows one server frame.
    pub fn show(&mut self, frame: &ServerFrame) {
        match frame {
            ServerFrame::ResponseDelta { delta } => {
                if !self.streaming {
                    print!("guide: ");
                    self.streaming = true;
                }
                print!("{delta}");
                let _ = std::io::stdout().flush();
            }
            ServerFrame::Response {
                content,
                interrupted,
                ..
            } => {
                if self.streaming {
                    // The words are on screen already; end their line.
                    self.streaming = false;
                    println!();
                } else {
                    println!("guide: {content}");
                }
                if *interrupted {
                    self.note("cut short");
                }
            }
            ServerFrame::Started { .. } | ServerFrame::Other => {}
            ServerFrame::StateChanged { from, to } => self.note(&format!("{from} -> {to}")),
            ServerFrame::GenerationStarted { estimated_time, .. } => {
                self.note(&format!("creating it: about {estimated_time} s"));
            }
            ServerFrame::GenerationProgress { stage, percent } => {
                self.note(&format!("generating: {stage} {percent}%"));
            }
            ServerFrame::GenerationComplete { .. } => self.note("ready"),
            ServerFrame::GenerationFailed {
                code,
                message,
                refunded,
            } => {
                let credits = if *refunded {
                    "no credits were used"
                } else {
                    "credits may have been used"
                };
                self.note(&format!("generation failed, {code}: {message} ({credits})"));
            }
            ServerFrame::Safety { resources, .. } => self.resources(resources),
            ServerFrame::Error { code, message } => self.error(&format!("{code}: {message}")),
        }
    }

    /// A short bracketed line about where things stand.
    pub fn note(&mut self, text: &str) {
        self.end_line();
        println!("[{text}]");
    }

    /// Something that went wrong but does not end the conversation.
    pub fn error(&mut self, text: &str) {
        self.end_line();
        eprintln!("error: {text}");
    }

    /// The prompt for the person's turn.
    pub fn prompt(&mut self) {
        self.end_line();
        print!("> ");
        let _ = std::io::stdout().flush();
    }

    pub fn help(&mut self, text: &str) {
        self.end_line();
        println!("{text}");
    }

    fn resources(&mut self, resources: &[Resource]) {
        self.end_line();
        println!("If you are in danger or thinking about harming yourself, please reach out now:");
        for resource in resources {
            println!(
                "  * {}: {} ({}, {})",
                resource.name, resource.contact, resource.region, resource.available
            );
        }
    }

    /// Ends a streamed reply's line before anything else is printed.
    fn end_line(&mut self) {
        if self.streaming {
            self.streaming = false;
            println!();
        }
    }
}

/// The closing lines: where the audio went and what it is.
pub fn saved(path: &Path, bytes: usize, item: &Item) {
    println!("saved {} ({} KB)", path.display(), bytes.div_ceil(1024));
    if let Some(title) = &item.title {
        println!("  title:    {title}");
    }
    if let Some(seconds) = item.audio_duration {
        println!("  duration: {}", minutes_and_seconds(seconds));
    }
}

/// `65` -> `1:05`.
pub fn minutes_and_seconds(seconds: i64) -> String {
    let seconds = seconds.max(0);
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_minutes_and_seconds() {
        let cases = [
            (0, "0:00"),
            (9, "0:09"),
            (65, "1:05"),
            (600, "10:00"),
            (-3, "0:00"),
        ];
        for (seconds, text) in cases {
            assert_eq!(minutes_and_seconds(seconds), text);
        }
    }
}
