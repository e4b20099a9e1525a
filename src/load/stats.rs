//! What a run measures: latency histograms (HdrHistogram, microseconds), counters and
//! errors by code. Sessions record into one of a few shards, so thousands of tasks
//! rarely wait on one lock; readers merge the shards.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use hdrhistogram::Histogram;

/// Shards of the histograms.
const SHARDS: usize = 8;
/// The longest latency recorded exactly; longer ones are clamped to it.
const MAX_MICROS: u64 = 10 * 60 * 1_000_000;

/// The latencies a run measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Latency {
    /// TCP connect and WebSocket handshake.
    Connect,
    /// A frame sent (or, with `--rate`, due) until its final `response`.
    Turn,
    /// A frame sent (or due) until the first `response_delta` of its reply.
    FirstDelta,
    /// `confirm` until `generation_complete`.
    Generation,
    /// A new socket until `resumed`.
    Resume,
    /// `voice`: the end of an utterance (`audio_end` sent) until its `transcript`.
    Transcript,
    /// `voice`: the end of an utterance until the reply's first words (a delta, a
    /// voiced sentence's caption or the whole response).
    ReplyText,
    /// `voice`: the end of an utterance until the first byte of reply audio.
    ReplyAudio,
}

impl Latency {
    pub const ALL: [Latency; 8] = [
        Latency::Connect,
        Latency::Turn,
        Latency::FirstDelta,
        Latency::Generation,
        Latency::Resume,
        Latency::Transcript,
        Latency::ReplyText,
        Latency::ReplyAudio,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Latency::Connect => "connect",
            Latency::Turn => "turn",
            Latency::FirstDelta => "first_delta",
            Latency::Generation => "generation",
            Latency::Resume => "resume",
            Latency::Transcript => "transcript",
            Latency::ReplyText => "reply_text",
            Latency::ReplyAudio => "reply_audio",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One histogram per latency.
#[derive(Clone)]
pub struct Histograms([Histogram<u64>; Latency::ALL.len()]);

impl Histograms {
    fn new() -> Histograms {
        Histograms(std::array::from_fn(|_| {
            Histogram::new_with_bounds(1, MAX_MICROS, 3).expect("valid histogram bounds")
        }))
    }

    fn record(&mut self, latency: Latency, elapsed: Duration) {
        let micros = u64::try_from(elapsed.as_micros())
            .unwrap_or(MAX_MICROS)
            .clamp(1, MAX_MICROS);
        self.0[latency.index()].saturating_record(micros);
    }

    fn add(&mut self, other: &Histograms) {
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            mine.add(theirs)
                .expect("histograms with the same bounds add");
        }
    }

    pub fn get(&self, latency: Latency) -> &Histogram<u64> {
        &self.0[latency.index()]
    }
}

/// Everything a run counts, shared by its sessions.
pub struct Stats {
    shards: Vec<Mutex<Histograms>>,
    /// Turns answered with their final `response`.
    pub turns: AtomicU64,
    /// Turn frames sent.
    pub sent: AtomicU64,
    pub errors: AtomicU64,
    pub open: AtomicI64,
    pub peak_open: AtomicI64,
    pub opened: AtomicU64,
    pub dropped: AtomicU64,
    /// Conversations that reached their summary.
    pub conversations: AtomicU64,
    pub generations: AtomicU64,
    pub heartbeats: AtomicU64,
    pub resumes: AtomicU64,
    /// `voice`: utterances sent, and bytes of reply audio received.
    pub utterances: AtomicU64,
    pub reply_audio_bytes: AtomicU64,
    by_code: Mutex<BTreeMap<String, u64>>,
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            shards: (0..SHARDS).map(|_| Mutex::new(Histograms::new())).collect(),
            turns: AtomicU64::new(0),
            sent: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            open: AtomicI64::new(0),
            peak_open: AtomicI64::new(0),
            opened: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
            conversations: AtomicU64::new(0),
            generations: AtomicU64::new(0),
            heartbeats: AtomicU64::new(0),
            resumes: AtomicU64::new(0),
            utterances: AtomicU64::new(0),
            reply_audio_bytes: AtomicU64::new(0),
            by_code: Mutex::new(BTreeMap::new()),
        }
    }
}

impl Stats {
    pub fn record(&self, session: usize, latency: Latency, elapsed: Duration) {
        lock(&self.shards[session % SHARDS]).record(latency, elapsed);
        if latency == Latency::Turn {
            self.turns.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts an error under its code (a server error code, or one of the client's).
    pub fn error(&self, code: &str) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        *lock(&self.by_code).entry(code.to_owned()).or_default() += 1;
    }

    pub fn errors_by_code(&self) -> BTreeMap<String, u64> {
        lock(&self.by_code).clone()
    }

    pub fn socket_opened(&self) {
        self.opened.fetch_add(1, Ordering::Relaxed);
        let open = self.open.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak_open.fetch_max(open, Ordering::Relaxed);
    }

    pub fn socket_closed(&self) {
        self.open.fetch_sub(1, Ordering::Relaxed);
    }

    /// The shards merged.
    pub fn histograms(&self) -> Histograms {
        let mut all = Histograms::new();
        for shard in &self.shards {
            all.add(&lock(shard));
        }
        all
    }

    pub fn count(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_merge_into_one_distribution() {
        let stats = Stats::default();
        for i in 0..1000u64 {
            stats.record(i as usize, Latency::Turn, Duration::from_micros(i + 1));
        }
        stats.record(3, Latency::Connect, Duration::from_secs(100_000));
        let all = stats.histograms();
        let turns = all.get(Latency::Turn);
        assert_eq!(turns.len(), 1000);
        assert_eq!(Stats::count(&stats.turns), 1000);
        let p50 = turns.value_at_quantile(0.5);
        assert!((495..=505).contains(&p50), "{p50}");
        // Longer than the histogram holds: clamped, not lost.
        assert_eq!(all.get(Latency::Connect).len(), 1);
        assert!(all.get(Latency::Connect).max() >= MAX_MICROS * 999 / 1000);
        stats.error("RATE_LIMITED");
        stats.error("RATE_LIMITED");
        assert_eq!(stats.errors_by_code()["RATE_LIMITED"], 2);
        assert_eq!(Stats::count(&stats.errors), 2);
    }
}
