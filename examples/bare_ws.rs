//! The reference point of the turn benchmark: an actix-ws server that answers every
//! frame at once with no work (no session, no state, no storage). `bench/turns.sh`
//! drives it with the same `waqup load` run as the engine, on the same cores.
//!
//! ```text
//! cargo run --release --example bare_ws -- 127.0.0.1:18099
//! ```

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use actix_ws::AggregatedMessage;
use futures_util::StreamExt;

const STARTED: &str = r#"{"type":"started","session_id":"00000000-0000-7000-8000-000000000000","content_type":"guided_meditation","state":"Greeting"}"#;
const RESPONSE: &str = r#"{"type":"response","session_id":"00000000-0000-7000-8000-000000000000","content":"ok","state":"Confirmation","context":{}}"#;

async fn socket(req: HttpRequest, body: web::Payload) -> actix_web::Result<HttpResponse> {
    let (response, mut session, stream) = actix_ws::handle(&req, body)?;
    let mut stream = stream.aggregate_continuations();
    actix_web::rt::spawn(async move {
        while let Some(Ok(message)) = stream.next().await {
            let sent = match message {
                AggregatedMessage::Text(text) => {
                    let start = text.contains(r#""type":"start""#);
                    let started = !start || session.text(STARTED).await.is_ok();
                    started && session.text(RESPONSE).await.is_ok()
                }
                AggregatedMessage::Ping(bytes) => session.pong(&bytes).await.is_ok(),
                AggregatedMessage::Close(_) => false,
                _ => true,
            };
            if !sent {
                break;
            }
        }
        let _ = session.close(None).await;
    });
    Ok(response)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18099".to_owned());
    HttpServer::new(|| App::new().route("/ws/conversation", web::get().to(socket)))
        .bind(addr)?
        .run()
        .await
}
