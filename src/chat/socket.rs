//! The conversation socket: opened with the access token in `Authorization`, JSON text
//! frames both ways.

use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use futures_util::{SinkExt, StreamExt};
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::frames::{ClientFrame, ServerFrame};
use super::server::describe_refusal;

/// Longest wait for the socket to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// Longest wait for a polite close at the end.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

pub struct Socket {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Socket {
    /// Opens `url` (`ws://host:port/ws/conversation`) as the token's user. A refused
    /// upgrade reads as the server's error (`INVALID_TOKEN: ...`).
    pub async fn connect(url: &Url, token: &SecretString) -> anyhow::Result<Socket> {
        let mut request = url
            .as_str()
            .into_client_request()
            .with_context(|| format!("`{url}` is not a socket address"))?;
        let bearer = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret()))
            .context("the access token is not a valid header value")?;
        request.headers_mut().insert("authorization", bearer);
        let opened =
            tokio::time::timeout(CONNECT_TIMEOUT, tokio_tungstenite::connect_async(request))
                .await
                .map_err(|_| anyhow!("no answer from {url} in {CONNECT_TIMEOUT:?}"))?;
        match opened {
            Ok((ws, _)) => Ok(Socket { ws }),
            Err(WsError::Http(response)) => {
                let body = response
                    .body()
                    .as_deref()
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default();
                bail!(
                    "the server refused the conversation socket: {}",
                    describe_refusal(response.status().as_u16(), &body)
                )
            }
            Err(e) => Err(anyhow!(e).context(format!("cannot reach {url}"))),
        }
    }

    pub async fn send(&mut self, frame: &ClientFrame) -> anyhow::Result<()> {
        let text = serde_json::to_string(frame).context("writing a frame")?;
        self.ws
            .send(Message::text(text))
            .await
            .context("sending to the server")
    }

    /// The next frame from the server. Reading is also what answers the server's pings
    /// (tungstenite replies as it reads), so the socket must be read even while the
    /// person is typing.
    pub async fn next(&mut self) -> anyhow::Result<ServerFrame> {
        loop {
            let message = self
                .ws
                .next()
                .await
                .context("the connection to the server was lost")?
                .context("reading from the server")?;
            match message {
                Message::Text(text) => {
                    return serde_json::from_str(text.as_str())
                        .with_context(|| format!("unreadable frame from the server: {text}"));
                }
                Message::Close(Some(frame)) => bail!(
                    "the server closed the conversation ({}: {})",
                    u16::from(frame.code),
                    frame.reason
                ),
                Message::Close(None) => bail!("the server closed the conversation"),
                // Pings are answered by tungstenite; this client sends no binary audio.
                Message::Ping(_) | Message::Pong(_) | Message::Binary(_) | Message::Frame(_) => {}
            }
        }
    }

    /// Closes politely; the server keeps the conversation for a while either way.
    pub async fn close(mut self) {
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, self.ws.close(None)).await;
    }
}
