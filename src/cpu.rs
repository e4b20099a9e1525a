//! CPU-bound audio work (checking an utterance, encoding a reply clip, decoding speech,
//! assembling an item's track) runs on the blocking pool, at most one job per core at
//! once in each lane: the threads that serve sockets, actors and database transactions
//! are never crowded out by it, and a burst of work queues here instead. Live sessions
//! and generation have a lane each, so a long track being encoded never holds up the
//! voice of a conversation.

use std::sync::OnceLock;

use tokio::sync::Semaphore;

/// Whose work it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// A person is waiting on it now (a spoken turn).
    Live,
    /// Generation jobs.
    Batch,
}

impl Lane {
    fn name(self) -> &'static str {
        match self {
            Lane::Live => "live",
            Lane::Batch => "batch",
        }
    }

    fn permits(self) -> &'static Semaphore {
        static LIVE: OnceLock<Semaphore> = OnceLock::new();
        static BATCH: OnceLock<Semaphore> = OnceLock::new();
        let lane = match self {
            Lane::Live => &LIVE,
            Lane::Batch => &BATCH,
        };
        lane.get_or_init(|| {
            let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
            Semaphore::new(cores)
        })
    }
}

/// Runs `work` on the blocking pool once a core of its lane is free. Errs when it
/// panicked.
pub async fn run<T, F>(lane: Lane, work: F) -> anyhow::Result<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let _permit = lane.permits().acquire().await?;
    let running = metrics::gauge!("cpu_jobs_running", "lane" => lane.name());
    running.increment(1.0);
    let done = tokio::task::spawn_blocking(work).await;
    running.decrement(1.0);
    Ok(done?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_and_a_panic_is_an_error() {
        assert_eq!(run(Lane::Live, || 6 * 7).await.unwrap(), 42);
        assert!(
            run(Lane::Batch, || -> i32 { panic!("boom") })
                .await
                .is_err()
        );
        let many = (0..32).map(|i| run(Lane::Batch, move || i * 2));
        let sums: Vec<i32> = futures_util::future::try_join_all(many).await.unwrap();
        assert_eq!(sums, (0..32).map(|i| i * 2).collect::<Vec<i32>>());
    }
}
