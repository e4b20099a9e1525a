//! `waqup load`: many WebSocket sessions against a server, driven with the
//! conversation protocol, measured with HdrHistogram and reported as a table and JSON.
//!
//! Closed model by default (each session sends its next turn when the last is answered,
//! after its think time); with `--rate`, an open model: every session keeps its own
//! schedule, and latency runs from when a turn was due, so a slow server cannot hide
//! its slowness by slowing the load down (no coordinated omission).

pub mod accounts;
mod client;
mod report;
mod scenario;
mod stats;

use std::io::IsTerminal;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::watch;
use tokio::time::Instant;

use self::accounts::{AccountsFile, BulkUsers};
use self::client::Target;
pub use self::report::{Percentiles, RateReport, Report};
use self::scenario::{Driver, RunContext};
pub use self::scenario::{Scenario, ThinkTime, parse_duration};
use self::stats::{Latency, Stats};
use crate::config::Config;
use crate::domain::{ContentType, Role};
use crate::time::now;

/// Open files the process keeps for itself beyond one per session.
const SPARE_FILES: u64 = 256;
/// How long sessions have to finish the turn in flight when the run ends.
const DRAIN: Duration = Duration::from_secs(10);

/// `waqup load`.
#[derive(Debug, Clone, clap::Args)]
pub struct LoadArgs {
    /// What the sessions do.
    #[arg(long, value_enum, default_value_t = Scenario::Dialogue)]
    pub scenario: Scenario,
    /// The server (http://, ws://; the path defaults to /ws/conversation).
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// Concurrent sessions (one socket each).
    #[arg(long, default_value_t = 100)]
    pub sessions: usize,
    /// Time over which the sessions open, evenly (e.g. 10s).
    #[arg(long, value_parser = parse_duration, default_value = "0s")]
    pub ramp: Duration,
    /// How long to measure after the ramp.
    #[arg(long, value_parser = parse_duration, default_value = "30s")]
    pub duration: Duration,
    /// Pause before each turn, drawn from MIN..MAX (e.g. 500ms..2s; closed model only).
    #[arg(long, value_parser = ThinkTime::parse, default_value = "0")]
    pub think_time: ThinkTime,
    /// Open model: turns per second over all sessions, each session on its own
    /// schedule; latency counts from each turn's due time.
    #[arg(long)]
    pub rate: Option<f64>,
    /// Accounts the sessions are spread over. Taken from --tokens, or made now in the
    /// store this configuration names (the server's own).
    #[arg(long)]
    pub users: Option<usize>,
    /// Accounts made by `waqup admin create-users --out FILE`.
    #[arg(long, value_name = "FILE")]
    pub tokens: Option<PathBuf>,
    /// Local addresses to connect from, round robin (127.0.0.2-127.0.0.40, or a
    /// comma list), to go past one address's ports.
    #[arg(long, value_parser = parse_source_ips)]
    pub source_ips: Option<SourceIps>,
    /// Also write the report as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// `dialogue`: confirm each summary and wait for `generation_complete`.
    #[arg(long)]
    pub generate: bool,
    /// What the conversations make.
    #[arg(long, value_enum, default_value_t = ContentArg::GuidedMeditation)]
    pub content_type: ContentArg,
    /// `idle`: how often each session sends `ping`.
    #[arg(long, value_parser = parse_duration, default_value = "10s")]
    pub heartbeat: Duration,
    /// A turn not answered in this time counts as an error and ends its session.
    #[arg(long, value_parser = parse_duration, default_value = "30s")]
    pub turn_timeout: Duration,
    /// `--generate`: the longest wait for an item.
    #[arg(long, value_parser = parse_duration, default_value = "300s")]
    pub generation_timeout: Duration,
    /// `voice`: the WAV recording every message is spoken with (by default one is
    /// recorded with espeak-ng at the start of the run).
    #[arg(long, value_name = "FILE")]
    pub utterance: Option<PathBuf>,
    /// No live progress line.
    #[arg(long)]
    pub quiet: bool,
}

/// What the `voice` scenario says when no recording is given.
const SPOKEN: &str = "I want to feel calm and confident before my exams";

/// The recording the `voice` scenario streams: the file given, or `SPOKEN` recorded
/// with espeak-ng. Checked as the server will check it.
fn utterance(path: Option<&std::path::Path>) -> anyhow::Result<Vec<u8>> {
    let bytes = match path {
        Some(path) => std::fs::read(path).with_context(|| format!("read {}", path.display()))?,
        None => {
            let file =
                std::env::temp_dir().join(format!("waqup-utterance-{}.wav", uuid::Uuid::new_v4()));
            let status = std::process::Command::new("espeak-ng")
                .arg("-w")
                .arg(&file)
                .arg(SPOKEN)
                .stdout(std::process::Stdio::null())
                .status();
            let recorded = std::fs::read(&file);
            let _ = std::fs::remove_file(&file);
            if !status.is_ok_and(|s| s.success()) {
                bail!(
                    "the voice scenario streams a recorded utterance: pass --utterance FILE.wav, \
                     or install espeak-ng to record one"
                );
            }
            recorded.context("read the recorded utterance")?
        }
    };
    crate::audio::check_utterance(crate::audio::UtteranceFormat::Wav, bytes.clone(), None)
        .context("the utterance must be a WAV file the server accepts")?;
    Ok(bytes)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ContentArg {
    Affirmation,
    GuidedMeditation,
    Ritual,
}

impl ContentArg {
    fn as_str(self) -> &'static str {
        match self {
            ContentArg::Affirmation => ContentType::Affirmation.as_str(),
            ContentArg::GuidedMeditation => ContentType::GuidedMeditation.as_str(),
            ContentArg::Ritual => ContentType::Ritual.as_str(),
        }
    }
}

/// Local addresses to connect from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceIps(pub Vec<IpAddr>);

/// `127.0.0.2-127.0.0.40` (IPv4 ranges) or `a,b,c`.
pub fn parse_source_ips(text: &str) -> Result<SourceIps, String> {
    let bad = |part: &str| format!("`{part}` is not an IP address");
    let mut ips = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((first, last)) => {
                let first: Ipv4Addr = first.trim().parse().map_err(|_| bad(first))?;
                let last: Ipv4Addr = last.trim().parse().map_err(|_| bad(last))?;
                let (first, last) = (u32::from(first), u32::from(last));
                if first > last || last - first >= 65_536 {
                    return Err(format!(
                        "`{part}`: expected a rising range of at most 65536"
                    ));
                }
                ips.extend((first..=last).map(|ip| IpAddr::V4(Ipv4Addr::from(ip))));
            }
            None => ips.push(part.parse().map_err(|_| bad(part))?),
        }
    }
    if ips.is_empty() {
        return Err("no addresses given".into());
    }
    Ok(SourceIps(ips))
}

/// The WebSocket URL and the address to connect to.
async fn target(url: &str) -> anyhow::Result<Target> {
    let (scheme, rest) = url
        .split_once("://")
        .with_context(|| format!("`{url}` is not a URL (like http://127.0.0.1:8080)"))?;
    match scheme {
        "http" | "ws" => {}
        "https" | "wss" => bail!(
            "the load client speaks plain ws:// only; point it at the server's own listener \
             rather than a TLS front"
        ),
        other => bail!("unsupported scheme `{other}` in {url}"),
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let path = if path.is_empty() || path == "/" {
        "/ws/conversation"
    } else {
        path
    };
    let host_port = if authority
        .rsplit(':')
        .next()
        .is_some_and(|p| p.parse::<u16>().is_ok())
        && !authority.ends_with(']')
    {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    let addr = tokio::net::lookup_host(&host_port)
        .await
        .with_context(|| format!("cannot resolve {host_port}"))?
        .next()
        .with_context(|| format!("{host_port} resolves to no address"))?;
    Ok(Target {
        url: format!("ws://{authority}{path}"),
        addr,
    })
}

/// Raises the soft open-file limit as far as the hard limit allows; fails, saying
/// what to change, when that is short of what the run needs.
fn raise_file_limit(sessions: usize) -> anyhow::Result<()> {
    let needed = sessions as u64 + SPARE_FILES;
    let (soft, hard) = rlimit::Resource::NOFILE
        .get()
        .context("read the open-file limit")?;
    if soft >= needed {
        return Ok(());
    }
    let raised = rlimit::increase_nofile_limit(needed.min(hard)).unwrap_or(soft);
    if raised < needed {
        bail!(
            "{sessions} sessions need about {needed} open files, but this process may hold \
             only {raised} (hard limit {hard}). Raise the hard limit (`ulimit -Hn {needed}` \
             as root, LimitNOFILE= for a systemd unit, or nofile in \
             /etc/security/limits.conf), or split the sessions over several load processes"
        );
    }
    Ok(())
}

/// Warns when one source address would run out of local ports.
fn check_ports(sessions: usize, sources: usize) {
    let Ok(range) = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range") else {
        return;
    };
    let mut bounds = range
        .split_whitespace()
        .filter_map(|n| n.parse::<usize>().ok());
    if let (Some(low), Some(high)) = (bounds.next(), bounds.next()) {
        let ports = high.saturating_sub(low) + 1;
        if sessions.div_ceil(sources.max(1)) > ports {
            eprintln!(
                "warning: {sessions} sockets from {} source address(es) need more than the \
                 {ports} local ports of each (net.ipv4.ip_local_port_range); pass \
                 --source-ips 127.0.0.2-127.0.0.40 to spread them",
                sources.max(1)
            );
        }
    }
}

/// The accounts' tokens: from the file, or made now through the fast path.
async fn tokens(args: &LoadArgs, config: &Config) -> anyhow::Result<Vec<String>> {
    let wanted = args.users;
    if let Some(path) = &args.tokens {
        let file = AccountsFile::read(path)?;
        let count = wanted.unwrap_or(file.accounts.len());
        if count == 0 || count > file.accounts.len() {
            bail!(
                "--users {count}: {} holds {} accounts",
                path.display(),
                file.accounts.len()
            );
        }
        return Ok(file
            .accounts
            .into_iter()
            .take(count)
            .map(|a| a.access_token)
            .collect());
    }
    let count = wanted.unwrap_or(args.sessions);
    if count == 0 {
        bail!("--users must be at least 1");
    }
    let started = std::time::Instant::now();
    let file = accounts::create_users(
        config,
        BulkUsers {
            count,
            role: Role::User,
            credits: 1_000_000,
            token_ttl: args.ramp + args.duration + Duration::from_secs(3600),
            password: None,
        },
    )
    .await
    .context("make the accounts of the run (or pass --tokens FILE)")?;
    eprintln!(
        "made {count} accounts in {} in {:.1} s",
        config.database_url,
        started.elapsed().as_secs_f64()
    );
    Ok(file.accounts.into_iter().map(|a| a.access_token).collect())
}

/// Runs `waqup load` and prints its report; fails when any error was counted.
pub async fn command(args: LoadArgs, config: &Config) -> anyhow::Result<()> {
    let tokens = tokens(&args, config).await?;
    let report = run(args.clone(), tokens).await?;
    println!("{}", report.table());
    if let Some(path) = &args.report {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)
            .with_context(|| format!("write the report to {}", path.display()))?;
        eprintln!("report written to {}", path.display());
    }
    if report.errors > 0 {
        bail!("{} errors during the run", report.errors);
    }
    Ok(())
}

/// Runs the sessions and measures them.
pub async fn run(args: LoadArgs, tokens: Vec<String>) -> anyhow::Result<Report> {
    if args.sessions == 0 {
        bail!("--sessions must be at least 1");
    }
    if tokens.is_empty() {
        bail!("no accounts to run the sessions with");
    }
    if let Some(rate) = args.rate
        && !(rate.is_finite() && rate > 0.0)
    {
        bail!("--rate must be a positive number of turns per second");
    }
    let utterance = match args.scenario {
        Scenario::Voice => Some(Arc::new(utterance(args.utterance.as_deref())?)),
        _ => None,
    };
    raise_file_limit(args.sessions)?;
    let sources = args.source_ips.clone().map(|s| s.0).unwrap_or_default();
    check_ports(args.sessions, sources.len());
    let target = target(&args.url).await?;
    let users = tokens.len();
    let run = Arc::new(RunContext {
        target: target.clone(),
        tokens,
        source_ips: sources,
        stats: Stats::default(),
        scenario: args.scenario,
        content_type: args.content_type.as_str(),
        generate: args.generate,
        think: args.think_time,
        pacing: args
            .rate
            .map(|rate| Duration::from_secs_f64(args.sessions as f64 / rate)),
        heartbeat: args.heartbeat,
        turn_timeout: args.turn_timeout,
        generation_timeout: args.generation_timeout,
        utterance,
    });
    let (stop_tx, stop) = watch::channel(false);
    let started_at = now();
    let start = Instant::now();
    let progress = Progress::start(run.clone(), args.quiet);

    // Sessions open evenly over the ramp.
    let mut tasks = tokio::task::JoinSet::new();
    let step = args.ramp.div_f64(args.sessions as f64);
    for index in 0..args.sessions {
        let at = start + step.mul_f64(index as f64);
        tokio::time::sleep_until(at).await;
        tasks.spawn(Driver::new(run.clone(), index, stop.clone()).run());
    }
    let ramp_end = start + args.ramp;
    tokio::time::sleep_until(ramp_end).await;
    let (turns_before, sent_before) = (
        Stats::count(&run.stats.turns),
        Stats::count(&run.stats.sent),
    );
    tokio::time::sleep_until(ramp_end + args.duration).await;
    let (turns_after, sent_after) = (
        Stats::count(&run.stats.turns),
        Stats::count(&run.stats.sent),
    );
    let measured = ramp_end.elapsed().as_secs_f64().max(f64::EPSILON);
    let _ = stop_tx.send(true);
    let drain = tokio::time::timeout(DRAIN + args.turn_timeout.min(DRAIN), async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drain.is_err() {
        tasks.abort_all();
    }
    progress.finish();

    let stats = &run.stats;
    let errors_by_code = stats.errors_by_code();
    let histograms = stats.histograms();
    Ok(Report {
        scenario: args.scenario.name().to_owned(),
        url: target.url,
        sessions: args.sessions,
        users,
        started_at,
        ramp_seconds: args.ramp.as_secs_f64(),
        duration_seconds: args.duration.as_secs_f64(),
        think_time_ms: [
            args.think_time.min.as_millis() as u64,
            args.think_time.max.as_millis() as u64,
        ],
        rate: args.rate.map(|rate| RateReport {
            requested_per_second: rate,
            sent_per_second: (sent_after - sent_before) as f64 / measured,
            latency_from: "intended send time".to_owned(),
        }),
        sessions_opened: Stats::count(&stats.opened),
        peak_open: stats.peak_open.load(Ordering::Relaxed),
        sessions_dropped: Stats::count(&stats.dropped),
        turns: Stats::count(&stats.turns),
        turns_per_second: (turns_after - turns_before) as f64 / measured,
        conversations: Stats::count(&stats.conversations),
        generations: Stats::count(&stats.generations),
        heartbeats: Stats::count(&stats.heartbeats),
        resumes: Stats::count(&stats.resumes),
        utterances: Stats::count(&stats.utterances),
        reply_audio_kib: Stats::count(&stats.reply_audio_bytes) / 1024,
        errors: Stats::count(&stats.errors),
        hints: report::hints(&errors_by_code, args.sessions, users),
        errors_by_code,
        latency_ms: Report::latencies(&histograms),
    })
}

/// The live line: sessions open, turns/s, errors, p99 so far.
struct Progress {
    task: tokio::task::JoinHandle<()>,
    bar: Option<ProgressBar>,
}

impl Progress {
    fn start(run: Arc<RunContext>, quiet: bool) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let bar = (!quiet && terminal).then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar
        });
        let shown = bar.clone();
        let task = tokio::spawn(async move {
            // Without a terminal (logs, CI), a plain line every five seconds.
            let every = if terminal { 1 } else { 5 };
            let mut tick = tokio::time::interval(Duration::from_secs(every));
            tick.tick().await;
            let mut last = (Instant::now(), 0u64);
            loop {
                tick.tick().await;
                let turns = Stats::count(&run.stats.turns);
                let rate = (turns - last.1) as f64 / last.0.elapsed().as_secs_f64();
                last = (Instant::now(), turns);
                let p99 = run
                    .stats
                    .histograms()
                    .get(Latency::Turn)
                    .value_at_quantile(0.99) as f64
                    / 1000.0;
                let line = format!(
                    "open {} | turns/s {:.0} | turns {} | errors {} | turn p99 {:.2} ms",
                    run.stats.open.load(Ordering::Relaxed),
                    rate,
                    turns,
                    Stats::count(&run.stats.errors),
                    p99
                );
                match &shown {
                    Some(bar) => bar.set_message(line),
                    None if !quiet => eprintln!("{line}"),
                    None => {}
                }
            }
        });
        if let Some(bar) = &bar {
            bar.enable_steady_tick(Duration::from_millis(200));
        }
        Progress { task, bar }
    }

    fn finish(self) {
        self.task.abort();
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use super::*;

    #[test]
    fn source_ranges_expand() {
        let ips = parse_source_ips("127.0.0.2-127.0.0.4,10.0.0.1").unwrap().0;
        assert_eq!(
            ips.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["127.0.0.2", "127.0.0.3", "127.0.0.4", "10.0.0.1"]
        );
        assert!(parse_source_ips("127.0.0.9-127.0.0.2").is_err());
        assert!(parse_source_ips("localhost").is_err());
        assert!(parse_source_ips("").is_err());
    }

    #[tokio::test]
    async fn urls_become_socket_targets() {
        let t = target("http://127.0.0.1:8080").await.unwrap();
        assert_eq!(t.url, "ws://127.0.0.1:8080/ws/conversation");
        assert_eq!(t.addr, "127.0.0.1:8080".parse::<SocketAddr>().unwrap());
        let t = target("ws://127.0.0.1:9/custom").await.unwrap();
        assert_eq!(t.url, "ws://127.0.0.1:9/custom");
        assert!(target("https://example.com").await.is_err());
        assert!(target("127.0.0.1:8080").await.is_err());
    }
}
