//! One load session's socket: connect (from a chosen source address), send frames and
//! read the server's, with what went wrong named by a code.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::Value;
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use uuid::Uuid;

/// Why a session stopped or a turn failed: a code for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The server answered the frame with `error`.
    Frame(String),
    /// The socket could not be opened.
    Connect(String),
    /// The server closed the socket, or it broke.
    Dropped(String),
    /// No answer in time.
    Timeout,
    /// The run is over.
    Stopped,
}

impl Failure {
    pub fn code(&self) -> String {
        match self {
            Failure::Frame(code) | Failure::Connect(code) | Failure::Dropped(code) => code.clone(),
            Failure::Timeout => "TURN_TIMEOUT".to_owned(),
            Failure::Stopped => "STOPPED".to_owned(),
        }
    }
}

/// The fields of a server frame a load session reads.
#[derive(Debug, Deserialize)]
pub struct Incoming {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub session_id: Option<Uuid>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    /// A binary frame (reply audio; `kind` is `binary`): its length.
    #[serde(skip)]
    pub audio_bytes: usize,
}

impl Incoming {
    /// An `error` or `generation_failed` frame as a failure under its code
    /// (`fallback` when it names none).
    pub fn refusal(self, fallback: &str) -> Failure {
        Failure::Frame(self.code.unwrap_or_else(|| fallback.to_owned()))
    }
}

/// Where and how sockets connect.
#[derive(Debug, Clone)]
pub struct Target {
    /// `ws://host:port/path`.
    pub url: String,
    pub addr: SocketAddr,
}

pub struct Socket {
    ws: WebSocketStream<TcpStream>,
}

impl Socket {
    /// TCP connect (bound to `source` when given) and the WebSocket handshake.
    pub async fn connect(
        target: &Target,
        token: &str,
        source: Option<IpAddr>,
    ) -> Result<Socket, Failure> {
        let socket = match target.addr {
            SocketAddr::V4(_) => TcpSocket::new_v4(),
            SocketAddr::V6(_) => TcpSocket::new_v6(),
        }
        .map_err(io_failure)?;
        if let Some(ip) = source {
            socket.bind(SocketAddr::new(ip, 0)).map_err(io_failure)?;
        }
        let stream = socket.connect(target.addr).await.map_err(io_failure)?;
        let _ = stream.set_nodelay(true);
        let mut request = target
            .url
            .as_str()
            .into_client_request()
            .map_err(|_| Failure::Connect("CONNECT_BAD_URL".into()))?;
        let bearer = HeaderValue::from_str(&format!("Bearer {token}"))
            .map_err(|_| Failure::Connect("CONNECT_BAD_TOKEN".into()))?;
        request.headers_mut().insert("authorization", bearer);
        let (ws, _) = tokio_tungstenite::client_async(request, stream)
            .await
            .map_err(|e| match e {
                WsError::Http(response) => {
                    Failure::Connect(format!("HTTP_{}", response.status().as_u16()))
                }
                WsError::Io(io) => io_failure(io),
                _ => Failure::Connect("CONNECT_HANDSHAKE".into()),
            })?;
        Ok(Socket { ws })
    }

    pub async fn send(&mut self, frame: &Value) -> Result<(), Failure> {
        self.ws
            .send(Message::text(frame.to_string()))
            .await
            .map_err(|e| Failure::Dropped(ws_failure(&e)))
    }

    pub async fn send_binary(&mut self, bytes: Vec<u8>) -> Result<(), Failure> {
        self.ws
            .send(Message::binary(bytes))
            .await
            .map_err(|e| Failure::Dropped(ws_failure(&e)))
    }

    /// The next frame, within `timeout`: a text frame, or a binary one as kind `binary`.
    pub async fn next(&mut self, timeout: Duration) -> Result<Incoming, Failure> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let message = match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Err(_) => return Err(Failure::Timeout),
                Ok(None) => return Err(Failure::Dropped("SOCKET_CLOSED".into())),
                Ok(Some(Err(e))) => return Err(Failure::Dropped(ws_failure(&e))),
                Ok(Some(Ok(message))) => message,
            };
            match message {
                Message::Text(text) => {
                    return serde_json::from_str(text.as_str())
                        .map_err(|_| Failure::Frame("CLIENT_UNREADABLE_FRAME".into()));
                }
                Message::Binary(bytes) => {
                    return Ok(Incoming {
                        kind: "binary".to_owned(),
                        session_id: None,
                        state: None,
                        code: None,
                        audio_bytes: bytes.len(),
                    });
                }
                Message::Close(frame) => {
                    let code = frame.map_or(1005, |f| u16::from(f.code));
                    return Err(Failure::Dropped(format!("SOCKET_CLOSED_{code}")));
                }
                // Pings are answered by the library as it reads.
                _ => {}
            }
        }
    }

    /// Closes politely (the end of a run).
    pub async fn close(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(2), self.ws.close(None)).await;
    }
}

fn io_failure(e: std::io::Error) -> Failure {
    let code = match e.raw_os_error() {
        // EADDRNOTAVAIL: no free local port for this source address.
        Some(99) => "CONNECT_NO_PORTS",
        // EMFILE / ENFILE.
        Some(24) | Some(23) => "CONNECT_TOO_MANY_FILES",
        _ => match e.kind() {
            std::io::ErrorKind::ConnectionRefused => "CONNECT_REFUSED",
            std::io::ErrorKind::TimedOut => "CONNECT_TIMEOUT",
            std::io::ErrorKind::ConnectionReset => "CONNECT_RESET",
            _ => "CONNECT_FAILED",
        },
    };
    Failure::Connect(code.to_owned())
}

fn ws_failure(e: &WsError) -> String {
    match e {
        WsError::ConnectionClosed | WsError::AlreadyClosed => "SOCKET_CLOSED".into(),
        WsError::Io(io) if io.kind() == std::io::ErrorKind::ConnectionReset => {
            "SOCKET_RESET".into()
        }
        WsError::Protocol(_) => "SOCKET_PROTOCOL".into(),
        _ => "SOCKET_BROKEN".into(),
    }
}
