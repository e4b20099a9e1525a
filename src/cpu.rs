//! CPU-bound work of live sessions (checking an utterance, encoding a reply clip) runs
//! on the blocking pool, at most one job per core at once: the threads that serve
//! sockets and actors never wait on it, and a burst of voice turns queues here instead
//! of crowding out everything else.

use std::sync::OnceLock;

use tokio::sync::Semaphore;

fn permits() -> &'static Semaphore {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Semaphore::new(cores)
    })
}

/// Runs `work` on the blocking pool once a core is free. Errs when it panicked.
pub async fn run<T, F>(work: F) -> anyhow::Result<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let _permit = permits().acquire().await?;
    metrics::gauge!("cpu_jobs_running").increment(1.0);
    let done = tokio::task::spawn_blocking(work).await;
    metrics::gauge!("cpu_jobs_running").decrement(1.0);
    Ok(done?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_and_a_panic_is_an_error() {
        assert_eq!(run(|| 6 * 7).await.unwrap(), 42);
        assert!(run(|| -> i32 { panic!("boom") }).await.is_err());
        let many = (0..32).map(|i| run(move || i * 2));
        let sums: Vec<i32> = futures_util::future::try_join_all(many).await.unwrap();
        assert_eq!(sums, (0..32).map(|i| i * 2).collect::<Vec<i32>>());
    }
}
