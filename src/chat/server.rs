//! The server the client talks to: its address, the URLs derived from it, and how its
//! refusals read.

use std::fmt;

use reqwest::Url;
use serde::Deserialize;

/// Where the conversation socket lives on every server.
const SOCKET_PATH: &str = "/ws/conversation";

/// The server's base address: a plain `http://` URL (the socket is plain `ws://`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUrl(Url);

impl ServerUrl {
    /// Parses `--url`. `https://` is refused because the socket would need TLS, which
    /// this client does not speak; point it at the server's own listener instead.
    pub fn parse(text: &str) -> Result<ServerUrl, String> {
        let url = Url::parse(text.trim())
            .map_err(|e| format!("`{text}` is not a URL like http://127.0.0.1:8080 ({e})"))?;
        match url.scheme() {
            "http" => {}
            "https" => {
                return Err(
                    "the terminal client speaks plain http:// and ws:// only; use the \
                     server's own address rather than a TLS front"
                        .into(),
                );
            }
            other => return Err(format!("unsupported scheme `{other}` in {text}")),
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(format!("`{text}` names no host"));
        }
        Ok(ServerUrl(url))
    }

    /// A route of the API, e.g. `/api/v1/auth/login`.
    pub fn api(&self, path: &str) -> Url {
        self.resolve(path)
    }

    /// The conversation socket: the same host and port, `ws://`, `/ws/conversation`.
    pub fn socket(&self) -> Url {
        let mut url = self.resolve(SOCKET_PATH);
        // Switching between the "special" schemes http and ws is always allowed.
        url.set_scheme("ws")
            .expect("http and ws are both special schemes");
        url
    }

    /// A link the server sent: a path like `/media/audio/...?expires=..&sig=..` is
    /// taken relative to the server; an absolute URL (an S3 store) is kept as it is.
    pub fn resolve(&self, link: &str) -> Url {
        self.0.join(link).unwrap_or_else(|_| self.0.clone())
    }
}

impl fmt::Display for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

/// The envelope of every refusal: `{"error": {"code", "message"}}`.
#[derive(Debug, Deserialize)]
struct Envelope {
    error: ErrorBody,
}

#[derive(Debug, Deserialize)]
struct ErrorBody {
    code: String,
    message: String,
}

/// Longest stretch of an unexpected body quoted in an error.
const MAX_QUOTED_BODY: usize = 200;

/// Reads an answer that was not a success: `CODE: message (HTTP status)` from the
/// server's envelope, else the status and the start of the body (a proxy's page).
pub fn describe_refusal(status: u16, body: &str) -> String {
    match serde_json::from_str::<Envelope>(body) {
        Ok(Envelope { error }) => format!("{}: {} (HTTP {status})", error.code, error.message),
        Err(_) => {
            let quoted: String = body.trim().chars().take(MAX_QUOTED_BODY).collect();
            if quoted.is_empty() {
                format!("HTTP {status}")
            } else {
                format!("HTTP {status}: {quoted}")
            }
        }
    }
}

/// The refusal in `response`, read whole (see [`describe_refusal`]).
pub async fn refusal(response: reqwest::Response) -> String {
    let status = response.status().as_u16();
    let body = response.text().await.unwrap_or_default();
    describe_refusal(status, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_socket_is_the_same_host_on_ws() {
        let cases = [
            (
                "http://127.0.0.1:8080",
                "ws://127.0.0.1:8080/ws/conversation",
            ),
            (
                "http://127.0.0.1:8080/",
                "ws://127.0.0.1:8080/ws/conversation",
            ),
            ("http://localhost", "ws://localhost/ws/conversation"),
            ("http://[::1]:9000/api", "ws://[::1]:9000/ws/conversation"),
        ];
        for (base, socket) in cases {
            let server = ServerUrl::parse(base).unwrap();
            assert_eq!(server.socket().as_str(), socket, "{base}");
        }
    }

    #[test]
    fn links_resolve_against_the_server() {
        let server = ServerUrl::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            server.api("/api/v1/auth/login").as_str(),
            "http://127.0.0.1:8080/api/v1/auth/login"
        );
        assert_eq!(
            server
                .resolve("/media/audio/u/i/1.mp3?expires=10&sig=ab")
                .as_str(),
            "http://127.0.0.1:8080/media/audio/u/i/1.mp3?expires=10&sig=ab"
        );
        let s3 = "https://bucket.s3.example.com/audio/1.mp3?X-Amz-Signature=1";
        assert_eq!(server.resolve(s3).as_str(), s3);
    }

    #[test]
    fn only_plain_http_urls_are_accepted() {
        for bad in [
            "127.0.0.1:8080",
            "https://example.com",
            "ftp://x",
            "not a url",
            "",
        ] {
            assert!(ServerUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn refusals_show_the_servers_code_and_message() {
        let body =
            r#"{"error":{"code":"INVALID_CREDENTIALS","message":"invalid email or password"}}"#;
        assert_eq!(
            describe_refusal(401, body),
            "INVALID_CREDENTIALS: invalid email or password (HTTP 401)"
        );
        assert_eq!(describe_refusal(502, ""), "HTTP 502");
        assert_eq!(
            describe_refusal(502, "<html>Bad gateway</html>"),
            "HTTP 502: <html>Bad gateway</html>"
        );
    }
}
