//! Group commit for poll outcomes: polls finishing at the same time share one store
//! transaction (one fsync). A dedicated thread takes whatever is queued while the
//! previous commit was on disk, so an idle daemon adds no latency and a burst of
//! 1,000 polls pays tens of fsyncs instead of 1,000. Each caller is answered only
//! after its poll is durable.

use std::sync::Arc;
use std::sync::mpsc;

use tokio::sync::oneshot;

use crate::store::{PollCommit, Store, StoreError};

/// Most polls committed in one transaction.
const MAX_BATCH: usize = 512;

struct Job {
    watch: String,
    commit: PollCommit,
    reply: oneshot::Sender<Result<Option<u64>, StoreError>>,
}

/// Handle to the commit thread; dropping it drains the queue and joins the thread,
/// so the store is released (and reopenable) once the handle is gone.
pub(crate) struct Committer {
    tx: std::sync::Mutex<Option<mpsc::Sender<Job>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Committer {
    fn drop(&mut self) {
        // Closing the channel ends the thread after the jobs already queued.
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Committer {
    /// Starts the commit thread for `store`.
    pub(crate) fn start(store: Arc<Store>) -> Committer {
        let (tx, rx) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("specwatch-commit".into())
            .spawn(move || run(&store, &rx))
            .expect("spawning the commit thread");
        Committer {
            tx: std::sync::Mutex::new(Some(tx)),
            thread: Some(thread),
        }
    }

    /// Commits one poll durably; returns the new version's number, if any.
    pub(crate) async fn commit(
        &self,
        watch: &str,
        commit: PollCommit,
    ) -> Result<Option<u64>, StoreError> {
        let (reply, wait) = oneshot::channel();
        let job = Job {
            watch: watch.to_string(),
            commit,
            reply,
        };
        let sent = self
            .tx
            .lock()
            .map_err(|_| closed(watch))?
            .as_ref()
            .is_some_and(|tx| tx.send(job).is_ok());
        if !sent {
            return Err(closed(watch));
        }
        wait.await.map_err(|_| closed(watch))?
    }
}

fn closed(watch: &str) -> StoreError {
    StoreError::InvalidCommit {
        watch: watch.to_string(),
        reason: "the commit thread has stopped".into(),
    }
}

fn run(store: &Store, rx: &mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let (versions, plain): (Vec<Job>, Vec<Job>) = batch
            .into_iter()
            .partition(|j| j.commit.new_version.is_some());
        for job in versions {
            let result = store.commit_poll(&job.watch, job.commit);
            let _ = job.reply.send(result);
        }
        if plain.len() == 1 {
            let job = plain.into_iter().next().expect("one job");
            let result = store.commit_poll(&job.watch, job.commit);
            let _ = job.reply.send(result);
            continue;
        }
        let items: Vec<(String, PollCommit)> = plain
            .iter()
            .map(|j| (j.watch.clone(), j.commit.clone()))
            .collect();
        match store.commit_polls(&items) {
            Ok(()) => {
                for job in plain {
                    let _ = job.reply.send(Ok(None));
                }
            }
            // Commit one by one so every caller gets its own, precise error.
            Err(_) => {
                for job in plain {
                    let result = store.commit_poll(&job.watch, job.commit);
                    let _ = job.reply.send(result);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{PollOutcome, PollRecord, WatchState};

    fn unchanged(at: i64) -> PollCommit {
        PollCommit {
            state: WatchState {
                last_poll_at: Some(at),
                ..WatchState::default()
            },
            record: PollRecord {
                at,
                duration_ms: 1,
                http_status: Some(304),
                outcome: PollOutcome::Unchanged { not_modified: true },
            },
            new_version: None,
            alerts: vec![],
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_commits_are_all_durable() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let committer = Arc::new(Committer::start(store.clone()));
        let tasks: Vec<_> = (0..200)
            .map(|i| {
                let c = committer.clone();
                tokio::spawn(async move { c.commit(&format!("w{i}"), unchanged(i)).await })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap(), None);
        }
        drop(committer);
        drop(store);
        // Everything acknowledged is there after reopening.
        let store = Store::open(dir.path()).unwrap();
        for i in 0..200 {
            let state = store.watch_state(&format!("w{i}")).unwrap().unwrap();
            assert_eq!(state.last_poll_at, Some(i));
            assert_eq!(store.poll_log(&format!("w{i}"), 10).unwrap().len(), 1);
        }
    }
}
