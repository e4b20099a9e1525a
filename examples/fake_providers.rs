//! Local servers that speak the OpenAI chat completions API (JSON and SSE), the OpenAI
//! and ElevenLabs speech APIs and the OpenAI transcription API, with fixed latencies:
//! the providers of the generation and voice benchmarks (`bench/generation.sh`,
//! `bench/voice.sh`). The same fakes serve the tests.
//!
//! ```text
//! cargo run --release --example fake_providers -- --llm-delay-ms 300 --tts-delay-ms 200 \
//!     --stt-delay-ms 150 --stt-text "I want to feel calm"
//! ```
//! Prints `LLM <base url>`, `TTS <base url>` and `STT <base url>`, then serves until
//! interrupted or terminated. The transcription API answers every upload with
//! `--stt-text` (after checking it is real audio). `--numbered-replies` begins each
//! streamed reply with a sentence of its own, so that no reply is spoken from a cache.

#[allow(dead_code)]
#[path = "../tests/api/fake_llm.rs"]
mod fake_llm;
#[allow(dead_code)]
#[path = "../tests/api/fake_stt.rs"]
mod fake_stt;
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
    llm.state.numbered_replies.store(
        args.iter().any(|a| a == "--numbered-replies"),
        Ordering::Relaxed,
    );
    let tts = fake_tts::FakeTts::start();
    tts.state
        .delay_ms
        .store(flag(&args, "--tts-delay-ms", 200), Ordering::Relaxed);
    let text = args
        .iter()
        .position(|a| a == "--stt-text")
        .and_then(|i| args.get(i + 1))
        .map_or(
            "I want to feel calm and confident before my exams",
            String::as_str,
        );
    let stt = fake_stt::FakeStt::start(text);
    stt.state
        .delay_ms
        .store(flag(&args, "--stt-delay-ms", 150), Ordering::Relaxed);
    println!("LLM {}", llm.base_url);
    println!("TTS {}", tts.openai_base_url);
    println!("STT {}", stt.base_url);
    std::io::stdout().flush().expect("stdout");
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("listen for SIGTERM");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
    println!(
        "served {} script, {} speech and {} transcription requests",
        llm.state.content_requests.load(Ordering::Relaxed),
        tts.requests(),
        stt.requests()
    );
}
