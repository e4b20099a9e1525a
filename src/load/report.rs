//! The end of a run: percentiles per latency, counts, errors by code; printed as a
//! table and written as JSON.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{DateTime, Utc};
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

use super::stats::{Histograms, Latency};

/// Percentiles of one latency, in milliseconds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Percentiles {
    pub count: u64,
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}

impl Percentiles {
    pub fn of(histogram: &Histogram<u64>) -> Option<Percentiles> {
        if histogram.is_empty() {
            return None;
        }
        let ms = |micros: u64| round(micros as f64 / 1000.0);
        Some(Percentiles {
            count: histogram.len(),
            mean: round(histogram.mean() / 1000.0),
            p50: ms(histogram.value_at_quantile(0.50)),
            p90: ms(histogram.value_at_quantile(0.90)),
            p99: ms(histogram.value_at_quantile(0.99)),
            p999: ms(histogram.value_at_quantile(0.999)),
            max: ms(histogram.max()),
        })
    }
}

fn round(ms: f64) -> f64 {
    (ms * 1000.0).round() / 1000.0
}

/// The rate asked for with `--rate`, and what was sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RateReport {
    pub requested_per_second: f64,
    /// Turn frames sent per second during the measured window.
    pub sent_per_second: f64,
    /// Latencies run from when each turn was due, not when it could be sent.
    pub latency_from: String,
}

/// A whole run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub scenario: String,
    pub url: String,
    pub sessions: usize,
    pub users: usize,
    pub started_at: DateTime<Utc>,
    pub ramp_seconds: f64,
    /// The measured window after the ramp.
    pub duration_seconds: f64,
    pub think_time_ms: [u64; 2],
    pub rate: Option<RateReport>,
    pub sessions_opened: u64,
    pub peak_open: i64,
    /// Sockets the server closed, or that broke, before the run ended.
    pub sessions_dropped: u64,
    pub turns: u64,
    /// Turns answered per second during the measured window.
    pub turns_per_second: f64,
    pub conversations: u64,
    pub generations: u64,
    pub heartbeats: u64,
    pub resumes: u64,
    /// `voice`: utterances streamed, and KiB of reply audio heard.
    #[serde(default)]
    pub utterances: u64,
    #[serde(default)]
    pub reply_audio_kib: u64,
    pub errors: u64,
    pub errors_by_code: BTreeMap<String, u64>,
    /// Milliseconds, by latency (`connect`, `turn`, `first_delta`, `generation`,
    /// `resume`); absent when nothing was measured.
    pub latency_ms: BTreeMap<String, Percentiles>,
    /// What the numbers suggest changing, if anything.
    pub hints: Vec<String>,
}

impl Report {
    pub fn latencies(histograms: &Histograms) -> BTreeMap<String, Percentiles> {
        Latency::ALL
            .iter()
            .filter_map(|l| Percentiles::of(histograms.get(*l)).map(|p| (l.name().to_owned(), p)))
            .collect()
    }

    /// The report as a table, for people.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "scenario {} against {}: {} sessions over {} users, {:.0} s measured after a {:.0} s ramp",
            self.scenario,
            self.url,
            self.sessions,
            self.users,
            self.duration_seconds,
            self.ramp_seconds
        );
        if let Some(rate) = &self.rate {
            let _ = writeln!(
                out,
                "rate: {:.1} turns/s requested, {:.1} sent; latency from {}",
                rate.requested_per_second, rate.sent_per_second, rate.latency_from
            );
        }
        let _ = writeln!(
            out,
            "sessions opened {}, peak open {}, dropped {}",
            self.sessions_opened, self.peak_open, self.sessions_dropped
        );
        let _ = writeln!(
            out,
            "turns {} ({:.1}/s), conversations {}, generations {}, heartbeats {}, resumes {}",
            self.turns,
            self.turns_per_second,
            self.conversations,
            self.generations,
            self.heartbeats,
            self.resumes
        );
        if self.utterances > 0 {
            let _ = writeln!(
                out,
                "utterances {}, reply audio {} KiB",
                self.utterances, self.reply_audio_kib
            );
        }
        let _ = writeln!(
            out,
            "\n{:<12} {:>9} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
            "latency ms", "count", "mean", "p50", "p90", "p99", "p99.9", "max"
        );
        for latency in Latency::ALL {
            if let Some(p) = self.latency_ms.get(latency.name()) {
                let _ = writeln!(
                    out,
                    "{:<12} {:>9} {:>10.3} {:>10.3} {:>10.3} {:>10.3} {:>10.3} {:>10.3}",
                    latency.name(),
                    p.count,
                    p.mean,
                    p.p50,
                    p.p90,
                    p.p99,
                    p.p999,
                    p.max
                );
            }
        }
        let _ = writeln!(out, "\nerrors {}", self.errors);
        for (code, count) in &self.errors_by_code {
            let _ = writeln!(out, "  {code:<24} {count}");
        }
        for hint in &self.hints {
            let _ = writeln!(out, "hint: {hint}");
        }
        out
    }
}

/// What to change when errors show a server limit rather than a fault.
pub fn hints(errors: &BTreeMap<String, u64>, sessions: usize, users: usize) -> Vec<String> {
    let mut hints = Vec::new();
    if errors.contains_key("SESSION_LIMIT") {
        hints.push(format!(
            "SESSION_LIMIT: {sessions} sessions over {users} users is {} conversations per \
             user; raise WAQUP_MAX_SESSIONS_PER_USER on the server or pass more --users",
            sessions.div_ceil(users.max(1))
        ));
    }
    if errors.contains_key("RATE_LIMITED") {
        hints.push(
            "RATE_LIMITED: the server limits each user's messages; for load runs set \
             WAQUP_RATE_LIMIT_PER_MINUTE=0 (off) or higher on the server"
                .to_owned(),
        );
    }
    if errors.contains_key("INSUFFICIENT_CREDITS") {
        hints.push(
            "INSUFFICIENT_CREDITS: make the accounts with more credits \
             (`waqup admin create-users --credits`)"
                .to_owned(),
        );
    }
    if errors.contains_key("CONNECT_NO_PORTS") {
        hints.push(
            "CONNECT_NO_PORTS: one source address ran out of ports; spread the sockets with \
             --source-ips 127.0.0.2-127.0.0.40"
                .to_owned(),
        );
    }
    if errors.contains_key("CONNECT_TOO_MANY_FILES") {
        hints.push(
            "CONNECT_TOO_MANY_FILES: this process hit its open-file limit; raise `ulimit -n` \
             or run several load processes"
                .to_owned(),
        );
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_in_milliseconds() {
        let mut h = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).unwrap();
        for micros in 1..=10_000u64 {
            h.record(micros).unwrap();
        }
        let p = Percentiles::of(&h).unwrap();
        assert_eq!(p.count, 10_000);
        assert!((p.p50 - 5.0).abs() < 0.01, "{p:?}");
        assert!((p.p99 - 9.9).abs() < 0.02, "{p:?}");
        assert!((p.max - 10.0).abs() < 0.01, "{p:?}");
        assert!(Percentiles::of(&Histogram::<u64>::new(3).unwrap()).is_none());
    }

    #[test]
    fn limits_come_with_what_to_change() {
        let errors = BTreeMap::from([
            ("SESSION_LIMIT".to_owned(), 3),
            ("RATE_LIMITED".to_owned(), 1),
        ]);
        let hints = hints(&errors, 1000, 100);
        assert!(hints[0].contains("10 conversations per user"), "{hints:?}");
        assert!(
            hints[1].contains("WAQUP_RATE_LIMIT_PER_MINUTE"),
            "{hints:?}"
        );
        assert!(super::hints(&BTreeMap::new(), 1, 1).is_empty());
    }
}
