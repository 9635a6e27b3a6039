//! Concurrency caps for polls: one global cap and one per host.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Global + per-host concurrency caps; cheap to clone (shared state).
#[derive(Debug, Clone)]
pub struct Limits {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    global: Arc<Semaphore>,
    per_host: usize,
    /// Only hosts with a poll running or waiting have an entry; idle ones are removed.
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// Held while a poll runs; dropping it frees both slots.
#[derive(Debug)]
pub struct LimitPermit {
    // Field order matters: the host permit is released before the slot checks for idleness.
    _host: Option<OwnedSemaphorePermit>,
    _slot: Option<HostSlot>,
    _global: OwnedSemaphorePermit,
}

/// A reference to a host's semaphore that removes the map entry when the last one goes away,
/// including when an `acquire` is cancelled while waiting.
#[derive(Debug)]
struct HostSlot {
    host: String,
    sem: Arc<Semaphore>,
    inner: Arc<Inner>,
}

impl Drop for HostSlot {
    fn drop(&mut self) {
        let mut hosts = self
            .inner
            .hosts
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // References: the map's and ours. Clones are only made under this lock, so the count is exact.
        if let Some(entry) = hosts.get(&self.host)
            && Arc::ptr_eq(entry, &self.sem)
            && Arc::strong_count(&self.sem) == 2
        {
            hosts.remove(&self.host);
        }
    }
}

impl Limits {
    /// At most `global` polls at once, and at most `per_host` against one host (both at least 1).
    pub fn new(global: usize, per_host: usize) -> Limits {
        Limits {
            inner: Arc::new(Inner {
                global: Arc::new(Semaphore::new(global.max(1))),
                per_host: per_host.max(1),
                hosts: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Waits for a slot for `host` (`None`, e.g. a local file, takes only a global slot).
    /// The host slot is taken first so a busy host never holds global slots while it waits.
    pub async fn acquire(&self, host: Option<&str>) -> LimitPermit {
        let (host_permit, slot) = match host {
            Some(h) => {
                let slot = self.slot(h);
                let permit = acquire_owned(&slot.sem).await;
                (Some(permit), Some(slot))
            }
            None => (None, None),
        };
        let global = acquire_owned(&self.inner.global).await;
        LimitPermit {
            _host: host_permit,
            _slot: slot,
            _global: global,
        }
    }

    /// Number of hosts with a poll running or waiting (for metrics and tests).
    pub fn hosts_tracked(&self) -> usize {
        self.inner
            .hosts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    fn slot(&self, host: &str) -> HostSlot {
        let mut hosts = self
            .inner
            .hosts
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let sem = hosts
            .entry(host.to_string())
            .or_insert_with(|| Arc::new(Semaphore::new(self.inner.per_host)))
            .clone();
        HostSlot {
            host: host.to_string(),
            sem,
            inner: self.inner.clone(),
        }
    }
}

async fn acquire_owned(sem: &Arc<Semaphore>) -> OwnedSemaphorePermit {
    // Our semaphores are never closed, so acquiring can only wait, not fail.
    sem.clone()
        .acquire_owned()
        .await
        .expect("limit semaphores are never closed")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// Current and peak count of one gauge.
    #[derive(Default)]
    struct Gauge {
        now: AtomicUsize,
        peak: AtomicUsize,
    }

    impl Gauge {
        fn enter(&self) {
            let n = self.now.fetch_add(1, Ordering::SeqCst) + 1;
            self.peak.fetch_max(n, Ordering::SeqCst);
        }
        fn leave(&self) {
            self.now.fetch_sub(1, Ordering::SeqCst);
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn caps_hold_under_200_concurrent_tasks() {
        const GLOBAL: usize = 10;
        const PER_HOST: usize = 3;
        const HOSTS: usize = 8;
        let limits = Limits::new(GLOBAL, PER_HOST);
        let global = Arc::new(Gauge::default());
        let hosts: Arc<Vec<Gauge>> = Arc::new((0..=HOSTS).map(|_| Gauge::default()).collect());
        let mut tasks = Vec::new();
        for i in 0..200 {
            let (limits, global, hosts) = (limits.clone(), global.clone(), hosts.clone());
            tasks.push(tokio::spawn(async move {
                // Every 9th task is a file source (no host).
                let h = i % (HOSTS + 1);
                let name = format!("host{h}.example");
                let host = (h < HOSTS).then_some(name.as_str());
                let _permit = limits.acquire(host).await;
                global.enter();
                hosts[h].enter();
                tokio::time::sleep(Duration::from_millis(2)).await;
                hosts[h].leave();
                global.leave();
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let peak = global.peak.load(Ordering::SeqCst);
        assert!(peak <= GLOBAL, "global peak {peak}");
        assert_eq!(
            peak, GLOBAL,
            "the global cap was never reached, so it was not tested"
        );
        for (h, g) in hosts.iter().enumerate().take(HOSTS) {
            let p = g.peak.load(Ordering::SeqCst);
            assert!(p <= PER_HOST, "host{h} peak {p}");
        }
        assert!(
            hosts
                .iter()
                .take(HOSTS)
                .any(|g| g.peak.load(Ordering::SeqCst) == PER_HOST)
        );
        assert_eq!(limits.hosts_tracked(), 0, "idle hosts must be forgotten");
    }

    #[tokio::test]
    async fn cancelled_waiters_do_not_leak_host_entries() {
        let limits = Limits::new(4, 1);
        let held = limits.acquire(Some("a.example")).await;
        let waited =
            tokio::time::timeout(Duration::from_millis(20), limits.acquire(Some("a.example")))
                .await;
        assert!(
            waited.is_err(),
            "the host cap of 1 must make the second acquire wait"
        );
        assert_eq!(limits.hosts_tracked(), 1);
        drop(held);
        assert_eq!(limits.hosts_tracked(), 0);
        // The host is usable again afterwards.
        let again = limits.acquire(Some("a.example")).await;
        assert_eq!(limits.hosts_tracked(), 1);
        drop(again);
        assert_eq!(limits.hosts_tracked(), 0);
    }

    #[tokio::test]
    async fn a_busy_host_does_not_block_other_hosts() {
        let limits = Limits::new(2, 1);
        let _busy = limits.acquire(Some("slow.example")).await;
        // A waiter on the busy host holds no global slot …
        let waiter = {
            let limits = limits.clone();
            tokio::spawn(async move { limits.acquire(Some("slow.example")).await })
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        // … so another host still gets the second global slot at once.
        let other =
            tokio::time::timeout(Duration::from_secs(1), limits.acquire(Some("fast.example")))
                .await;
        assert!(other.is_ok());
        waiter.abort();
    }
}
