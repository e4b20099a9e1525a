//! Group commit: callers hand in one write each and wait for its own outcome, while a
//! writer task sends whatever has gathered as one batch (one Redis pipeline, one
//! database transaction). Under load a batch carries many writes for the price of one
//! round trip; with a single caller it is one write, as before.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::{Semaphore, mpsc, oneshot};

/// Writes queued before callers wait for room.
const QUEUE: usize = 16_384;

/// A writer of batches of `T`, answering each with an `R`.
pub struct Batcher<T, R> {
    queue: mpsc::Sender<(T, oneshot::Sender<R>)>,
}

impl<T, R> Batcher<T, R>
where
    T: Send + 'static,
    R: Send + 'static,
{
    /// Starts the writer on the current tokio runtime. `write` gets up to `max_batch`
    /// items and must answer one result per item, in order; up to `in_flight` batches
    /// run at once (so callers must not depend on the order of different batches).
    pub fn start<F, Fut>(name: &'static str, max_batch: usize, in_flight: usize, write: F) -> Self
    where
        F: Fn(Vec<T>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Vec<R>> + Send + 'static,
    {
        let (queue, receiver) = mpsc::channel(QUEUE);
        tokio::spawn(run(
            name,
            receiver,
            max_batch.max(1),
            in_flight.max(1),
            write,
        ));
        Batcher { queue }
    }

    /// Queues one write and waits for its result; `None` when the writer has stopped
    /// or dropped the write.
    pub async fn submit(&self, item: T) -> Option<R> {
        let (done, result) = oneshot::channel();
        self.queue.send((item, done)).await.ok()?;
        result.await.ok()
    }
}

async fn run<T, R, F, Fut>(
    name: &'static str,
    mut receiver: mpsc::Receiver<(T, oneshot::Sender<R>)>,
    max_batch: usize,
    in_flight: usize,
    write: F,
) where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(Vec<T>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Vec<R>> + Send + 'static,
{
    let slots = Arc::new(Semaphore::new(in_flight));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let mut batch = Vec::with_capacity(max_batch);
        if receiver.recv_many(&mut batch, max_batch).await == 0 {
            return;
        }
        metrics::histogram!("batch_size", "writer" => name).record(batch.len() as f64);
        let (items, waiting): (Vec<T>, Vec<oneshot::Sender<R>>) = batch.into_iter().unzip();
        let written = write(items);
        tokio::spawn(async move {
            for (done, result) in waiting.into_iter().zip(written.await) {
                let _ = done.send(result);
            }
            drop(slot);
        });
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[tokio::test]
    async fn each_caller_hears_its_own_result_and_writes_travel_together() {
        let sizes = Arc::new(Mutex::new(Vec::new()));
        let seen = sizes.clone();
        let batcher = Arc::new(Batcher::start("test", 64, 1, move |items: Vec<u32>| {
            seen.lock().unwrap().push(items.len());
            async move {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                items.into_iter().map(|i| i * 10).collect::<Vec<_>>()
            }
        }));
        let calls = (0..500u32).map(|i| {
            let batcher = batcher.clone();
            async move { (i, batcher.submit(i).await) }
        });
        for (i, result) in futures_util::future::join_all(calls).await {
            assert_eq!(result, Some(i * 10));
        }
        let sizes = sizes.lock().unwrap();
        assert_eq!(sizes.iter().sum::<usize>(), 500);
        assert!(sizes.iter().all(|&n| n <= 64));
        // While one batch was being written, the others gathered.
        assert!(sizes.len() < 100, "{sizes:?}");
    }

    #[tokio::test]
    async fn a_writer_that_answers_short_drops_the_rest() {
        let batcher = Batcher::start("short", 8, 1, |_: Vec<u8>| async { Vec::<u8>::new() });
        assert_eq!(batcher.submit(1).await, None);
    }
}
