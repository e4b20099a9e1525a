//! Local servers that speak the OpenAI chat completions API (JSON and SSE) and the
//! OpenAI and ElevenLabs speech APIs, with fixed latencies: the providers of the
//! generation benchmark (`bench/generation.sh`). The same fakes serve the tests.
//!
//! ```text
//! cargo run --release --example fake_providers -- --llm-delay-ms 300 --tts-delay-ms 200
//! ```
//! Prints `LLM <base url>` and `TTS <base url>`, then serves until interrupted or
//! terminated.

#[allow(dead_code)]
#[path = "../tests/api/fake_llm.rs"]
mod fake_llm;
#[allow(dead_code)]
#[path = "../tests/api/fake_tts.rs"]
mod fake_tts;

use std::io::Write;
use std::sync::atomic::Ordering;

fn flag(args: &[String], name: &str, default: u64) -> u64 {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(|v| {
            v.parse()
                .unwrap_or_else(|_| panic!("{name} takes a number of milliseconds"))
        })
        .unwrap_or(default)
}

#[actix_web::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let llm = fake_llm::FakeLlm::start();
    llm.state
        .content_delay_ms
        .store(flag(&args, "--llm-delay-ms", 300), Ordering::Relaxed);
    llm.state
        .chunk_delay_ms
        .store(flag(&args, "--chunk-delay-ms", 5), Ordering::Relaxed);
    let tts = fake_tts::FakeTts::start();
    tts.state
        .delay_ms
        .store(flag(&args, "--tts-delay-ms", 200), Ordering::Relaxed);
    println!("LLM {}", llm.base_url);
    println!("TTS {}", tts.openai_base_url);
    std::io::stdout().flush().expect("stdout");
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("listen for SIGTERM");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
    println!(
        "served {} script and {} speech requests",
        llm.state.content_requests.load(Ordering::Relaxed),
        tts.requests()
    );
}
