//! `waqup chat`: an interactive terminal client, and a small worked example of the
//! conversation protocol for people writing clients of their own (`docs/protocol.md`,
//! `docs/terminal-client.md`).
//!
//! 1. Sign in over HTTP (`auth`) for an access token.
//! 2. Open `/ws/conversation` with it (`socket`) and send `start` (`frames`).
//! 3. Take turns (`conversation`): show the guide's reply (`screen`), read the
//!    person's line or slash command (`input`), send it, until the item is made.
//! 4. Download the item's audio through its signed URL (`save`).

mod auth;
mod conversation;
mod frames;
mod input;
mod save;
mod screen;
mod server;
mod socket;

use std::convert::Infallible;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use secrecy::{ExposeSecret, SecretString};

use self::auth::SignIn;
use self::conversation::Ending;
use self::input::Lines;
use self::server::ServerUrl;
use self::socket::Socket;
use crate::domain::ContentType;

/// Longest wait for a TCP connection to the server.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// `waqup chat`.
#[derive(Debug, Clone, clap::Args)]
pub struct ChatArgs {
    /// The server (plain http://; the socket is ws:// on the same address).
    #[arg(long, default_value = "http://127.0.0.1:8080", value_parser = ServerUrl::parse)]
    pub url: ServerUrl,
    /// The account's email (asked when omitted).
    #[arg(long)]
    pub email: Option<String>,
    /// The account's password (asked when omitted, without echo at a terminal).
    #[arg(long, env = "WAQUP_CHAT_PASSWORD", hide_env_values = true, value_parser = secret)]
    pub password: Option<SecretString>,
    /// Create the account instead of signing in to an existing one.
    #[arg(long)]
    pub register: bool,
    /// What to create: affirmation, guided_meditation or ritual (asked when omitted).
    #[arg(long, value_name = "TYPE")]
    pub content_type: Option<ContentType>,
    /// Where to save the audio [default: ./<title>.<format>].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

fn secret(text: &str) -> Result<SecretString, Infallible> {
    Ok(SecretString::from(text.to_owned()))
}

/// Signs in, holds one conversation, and saves the item it makes.
pub async fn run(args: ChatArgs) -> anyhow::Result<()> {
    let mut lines = Lines::stdin();
    let client = reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .build()
        .context("build the HTTP client")?;

    let email = match args.email {
        Some(email) => email,
        None => lines.ask("email: ", "email").await?,
    };
    // An empty WAQUP_CHAT_PASSWORD counts as none.
    let password = match args.password.filter(|p| !p.expose_secret().is_empty()) {
        Some(password) => password,
        None => lines.ask_secret("password: ").await?,
    };
    let how = if args.register {
        SignIn::Register
    } else {
        SignIn::LogIn
    };
    let session = auth::sign_in(&client, &args.url, how, email.trim(), &password).await?;
    println!("[signed in as {}]", session.user.email);

    let content_type = match args.content_type {
        Some(content_type) => content_type,
        None => lines.choose_content_type().await?,
    };
    let mut socket = Socket::connect(&args.url.socket(), &session.token).await?;
    let ending = conversation::converse(&mut socket, &mut lines, content_type).await;
    socket.close().await;

    match ending? {
        Ending::Made(item) => {
            let path = args.out.unwrap_or_else(|| save::default_path(&item));
            let bytes = save::save_audio(&client, &args.url, &item, &path).await?;
            screen::saved(&path, bytes, &item);
        }
        Ending::Cancelled => println!("[cancelled: nothing was created]"),
        Ending::Quit => println!("[left the conversation]"),
    }
    Ok(())
}
