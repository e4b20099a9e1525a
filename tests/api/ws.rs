//! A WebSocket client for `/ws/conversation`, speaking JSON frames.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::helpers::TestApp;

/// Longest wait for one frame.
pub const FRAME_TIMEOUT: Duration = Duration::from_secs(20);

pub struct WsClient {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl TestApp {
    pub async fn ws(&self, token: &str) -> WsClient {
        connect(&self.address, token).await
    }
}

/// A socket to the server at `base` (`http://host:port`).
pub async fn connect(base: &str, token: &str) -> WsClient {
    let url = format!(
        "{}/ws/conversation?token={token}",
        base.replace("http://", "ws://")
    );
    let (stream, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("websocket connects");
    WsClient { stream }
}

/// A frame of either kind.
#[derive(Debug)]
pub enum Frame {
    Json(Value),
    Binary(Vec<u8>),
}

/// What came off the socket.
#[derive(Debug)]
pub enum Incoming {
    Frame(Value),
    Closed(Option<CloseFrame>),
}

impl WsClient {
    pub async fn send(&mut self, frame: Value) {
        self.stream
            .send(Message::Text(frame.to_string().into()))
            .await
            .expect("send a frame");
    }

    pub async fn send_raw(&mut self, message: Message) {
        self.stream.send(message).await.expect("send a raw message");
    }

    /// The next JSON frame or the close, skipping pings and pongs.
    pub async fn next(&mut self) -> Incoming {
        loop {
            let message = tokio::time::timeout(FRAME_TIMEOUT, self.stream.next())
                .await
                .expect("a frame within the timeout");
            match message {
                None => return Incoming::Closed(None),
                Some(Err(_)) => return Incoming::Closed(None),
                Some(Ok(Message::Text(text))) => {
                    return Incoming::Frame(serde_json::from_str(&text).expect("frames are JSON"));
                }
                Some(Ok(Message::Close(frame))) => return Incoming::Closed(frame),
                Some(Ok(_)) => {}
            }
        }
    }

    /// The next frame, JSON or binary (spoken replies send both), skipping pings and
    /// pongs; a close fails the test.
    pub async fn next_any(&mut self) -> Frame {
        loop {
            let message = tokio::time::timeout(FRAME_TIMEOUT, self.stream.next())
                .await
                .expect("a frame within the timeout");
            match message {
                Some(Ok(Message::Text(text))) => {
                    return Frame::Json(serde_json::from_str(&text).expect("frames are JSON"));
                }
                Some(Ok(Message::Binary(bytes))) => return Frame::Binary(bytes.to_vec()),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                other => panic!("socket closed: {other:?}"),
            }
        }
    }

    pub async fn recv(&mut self) -> Value {
        match self.next().await {
            Incoming::Frame(frame) => frame,
            Incoming::Closed(frame) => panic!("socket closed: {frame:?}"),
        }
    }

    /// Frames until one of type `kind`; returns those before it and it.
    pub async fn until(&mut self, kind: &str) -> (Vec<Value>, Value) {
        let mut before = Vec::new();
        loop {
            let frame = self.recv().await;
            if frame["type"] == kind {
                return (before, frame);
            }
            before.push(frame);
        }
    }

    /// Sends a message and returns the final `response` of the turn.
    pub async fn say(&mut self, session_id: &str, text: &str) -> Value {
        self.send(json!({ "type": "message", "session_id": session_id, "content": text }))
            .await;
        self.until("response").await.1
    }

    /// Starts a conversation; returns the session id and the greeting `response`.
    pub async fn start(&mut self, content_type: &str) -> (String, Value) {
        self.send(json!({ "type": "start", "content_type": content_type }))
            .await;
        let (_, started) = self.until("started").await;
        let session_id = started["session_id"]
            .as_str()
            .expect("session id")
            .to_owned();
        let greeting = self.until("response").await.1;
        (session_id, greeting)
    }

    pub async fn closed(&mut self) -> Option<CloseFrame> {
        loop {
            match self.next().await {
                Incoming::Closed(frame) => return frame,
                Incoming::Frame(_) => {}
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.stream.close(None).await;
    }
}
