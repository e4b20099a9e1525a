//! The conversation: the WebSocket `/ws/conversation` and its REST mirror
//! (`/api/v1/conversation/start|message|complete|state`), both reaching the same
//! session actor.

mod complete;
mod message;
mod start;
mod state;
pub mod ws;

use std::time::Duration;

use actix::Addr;
use tokio::sync::oneshot;
use uuid::Uuid;

pub use complete::{__path_complete, CompleteRequest, CompleteResponse, complete};
pub use message::{__path_message, MessageRequest, MessageResponse, message};
pub use start::{__path_start, StartRequest, StartResponse, start};
pub use state::{__path_state, StateQuery, StateResponse, state};

use crate::actors::{
    Backlog, ClientCommand, Command, Engine, Open, SessionActor, SessionError, TurnReply,
};
use crate::auth::AuthUser;
use crate::error::ApiError;

/// Longest a REST call waits for the reply of its turn.
const REPLY_TIMEOUT: Duration = Duration::from_secs(120);

/// Runs a command in the caller's session and waits for the reply it ends with. A
/// session put away between lookup and delivery is opened once more.
async fn run(
    engine: &Engine,
    user: &AuthUser,
    session_id: Uuid,
    command: ClientCommand,
) -> Result<TurnReply, ApiError> {
    match turn(
        &open(engine, user, session_id).await?,
        user,
        command.clone(),
    )
    .await
    {
        Err(SessionError::Stopped) => {
            Ok(turn(&open(engine, user, session_id).await?, user, command).await?)
        }
        other => Ok(other?),
    }
}

/// The session of the caller, live or rehydrated.
async fn open(
    engine: &Engine,
    user: &AuthUser,
    session_id: Uuid,
) -> Result<Addr<SessionActor>, SessionError> {
    engine
        .registry
        .send(Open {
            user_id: user.id,
            session_id,
            home: actix::Arbiter::current(),
        })
        .await?
}

/// Runs a command and waits for the reply it ends with.
async fn turn(
    addr: &Addr<SessionActor>,
    user: &AuthUser,
    command: ClientCommand,
) -> Result<TurnReply, SessionError> {
    let (tx, rx) = oneshot::channel();
    addr.send(Command {
        user_id: user.id,
        command,
        reply_to: Some(tx),
        queued: Backlog::enter("session"),
    })
    .await??;
    tokio::time::timeout(REPLY_TIMEOUT, rx)
        .await
        .map_err(|_| SessionError::Busy)?
        .map_err(|_| SessionError::Busy)
}
