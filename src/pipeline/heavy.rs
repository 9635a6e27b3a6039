//! Admission of the heavy part of a poll: parsing, normalizing and diffing a fetched spec.
//!
//! That work is CPU-bound and its transient memory grows with the spec's size (about
//! 40× the spec's bytes for a Stripe diff), so running every changed spec at once buys
//! no throughput and can exhaust memory. Work is admitted by bytes: at most
//! `max_inflight_bytes` of spec text in flight and at most one large job per core.
//! A spec larger than the budget still runs, alone. Specs of at most 1/16 of the budget
//! go through their own lane (one job per core), so they never queue behind large ones;
//! their memory is bounded by that lane's size. Both lanes are FIFO.
//!
//! Fetching is not gated here: it runs under `[polling] max_concurrent`, and a poll
//! waiting for admission keeps its concurrency slot, so the bytes waiting are bounded by
//! `max_concurrent × max_spec_size`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Budget units are KiB, so a semaphore's u32-sized permits cover budgets up to 4 TiB.
const UNIT: u64 = 1024;

/// Limits and counters of heavy work; cheap to clone (shared state).
#[derive(Debug, Clone)]
pub struct HeavyGate {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    budget_units: u32,
    small_limit: u64,
    large_slots: Arc<Semaphore>,
    large_bytes: Arc<Semaphore>,
    small_slots: Arc<Semaphore>,
    queued: AtomicUsize,
    running: AtomicUsize,
    bytes_in_flight: AtomicU64,
}

/// A snapshot of the heavy-work queue, for `specwatch status` and metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeavyStats {
    /// Polls whose spec is fetched and waiting to be parsed and diffed.
    pub queued: usize,
    /// Polls parsing or diffing now.
    pub running: usize,
    /// Bytes of spec text being parsed or diffed now.
    pub bytes_in_flight: u64,
    /// The configured budget (`[polling] max_inflight_bytes`).
    pub budget_bytes: u64,
}

/// Held while heavy work runs; dropping it admits the next job.
#[derive(Debug)]
pub struct HeavyPermit {
    _slot: OwnedSemaphorePermit,
    _bytes: Option<OwnedSemaphorePermit>,
    bytes: u64,
    inner: Arc<Inner>,
}

impl Drop for HeavyPermit {
    fn drop(&mut self) {
        self.inner.running.fetch_sub(1, Ordering::Relaxed);
        self.inner
            .bytes_in_flight
            .fetch_sub(self.bytes, Ordering::Relaxed);
    }
}

/// Decrements the queue count however the wait ends (admitted or cancelled).
struct Queued<'a>(&'a AtomicUsize);

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl HeavyGate {
    /// At most `budget_bytes` of spec text in flight and `per_lane` jobs per lane at once
    /// (both at least 1; `per_lane` is normally the number of cores).
    pub fn new(budget_bytes: u64, per_lane: usize) -> HeavyGate {
        let budget_units = (budget_bytes / UNIT).clamp(1, u64::from(u32::MAX >> 3)) as u32;
        let per_lane = per_lane.clamp(1, Semaphore::MAX_PERMITS);
        HeavyGate {
            inner: Arc::new(Inner {
                budget_units,
                small_limit: budget_bytes / 16,
                large_slots: Arc::new(Semaphore::new(per_lane)),
                large_bytes: Arc::new(Semaphore::new(budget_units as usize)),
                small_slots: Arc::new(Semaphore::new(per_lane)),
                queued: AtomicUsize::new(0),
                running: AtomicUsize::new(0),
                bytes_in_flight: AtomicU64::new(0),
            }),
        }
    }

    /// The default lane width: the number of cores.
    pub fn cores() -> usize {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }

    /// Waits until a job over `bytes` of spec text may run.
    pub async fn admit(&self, bytes: u64) -> HeavyPermit {
        let inner = &self.inner;
        inner.queued.fetch_add(1, Ordering::Relaxed);
        let queued = Queued(&inner.queued);
        let (slot, bytes_permit) = if bytes <= inner.small_limit {
            (acquire(&inner.small_slots, 1).await, None)
        } else {
            // Slot first: a job holds budget only once it can run. A spec larger than
            // the whole budget takes all of it, so it runs alone among large jobs.
            let slot = acquire(&inner.large_slots, 1).await;
            let units = bytes.div_ceil(UNIT).clamp(1, u64::from(inner.budget_units)) as u32;
            (slot, Some(acquire(&inner.large_bytes, units).await))
        };
        drop(queued);
        inner.running.fetch_add(1, Ordering::Relaxed);
        inner.bytes_in_flight.fetch_add(bytes, Ordering::Relaxed);
        HeavyPermit {
            _slot: slot,
            _bytes: bytes_permit,
            bytes,
            inner: inner.clone(),
        }
    }

    /// The queue as it is now.
    pub fn stats(&self) -> HeavyStats {
        let inner = &self.inner;
        HeavyStats {
            queued: inner.queued.load(Ordering::Relaxed),
            running: inner.running.load(Ordering::Relaxed),
            bytes_in_flight: inner.bytes_in_flight.load(Ordering::Relaxed),
            budget_bytes: u64::from(inner.budget_units) * UNIT,
        }
    }
}

async fn acquire(sem: &Arc<Semaphore>, n: u32) -> OwnedSemaphorePermit {
    match sem.clone().acquire_many_owned(n).await {
        Ok(p) => p,
        // The gate's semaphores are never closed.
        Err(_) => unreachable!("heavy-work semaphores are never closed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const MIB: u64 = 1024 * 1024;

    async fn try_admit(gate: &HeavyGate, bytes: u64) -> Option<HeavyPermit> {
        tokio::time::timeout(Duration::from_millis(50), gate.admit(bytes))
            .await
            .ok()
    }

    #[tokio::test]
    async fn large_jobs_are_admitted_by_bytes() {
        let gate = HeavyGate::new(8 * MIB, 4);
        let a = try_admit(&gate, 4 * MIB).await.expect("fits");
        let _b = try_admit(&gate, 3 * MIB).await.expect("fits");
        assert!(
            try_admit(&gate, 2 * MIB).await.is_none(),
            "over budget must wait"
        );
        assert_eq!(gate.stats().running, 2);
        assert_eq!(gate.stats().bytes_in_flight, 7 * MIB);
        drop(a);
        assert!(
            try_admit(&gate, 2 * MIB).await.is_some(),
            "freed budget admits"
        );
        assert_eq!(gate.stats().queued, 0, "a cancelled wait leaves the queue");
    }

    #[tokio::test]
    async fn a_spec_larger_than_the_budget_runs_alone() {
        let gate = HeavyGate::new(8 * MIB, 4);
        let huge = try_admit(&gate, 100 * MIB)
            .await
            .expect("runs even over budget");
        assert!(
            try_admit(&gate, 2 * MIB).await.is_none(),
            "nothing large beside it"
        );
        drop(huge);
        assert!(try_admit(&gate, 2 * MIB).await.is_some());
    }

    #[tokio::test]
    async fn large_jobs_are_capped_per_core() {
        let gate = HeavyGate::new(100 * MIB, 2);
        let _a = try_admit(&gate, 2 * MIB).await.expect("first");
        let _b = try_admit(&gate, 2 * MIB).await.expect("second");
        assert!(try_admit(&gate, 2 * MIB).await.is_none(), "one per core");
    }

    #[tokio::test]
    async fn small_specs_do_not_queue_behind_large_ones() {
        let gate = HeavyGate::new(8 * MIB, 1);
        let _big = try_admit(&gate, 8 * MIB).await.expect("big runs");
        let waiting = tokio::spawn({
            let gate = gate.clone();
            async move { gate.admit(6 * MIB).await }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(gate.stats().queued, 1);
        let small = try_admit(&gate, 10 * 1024).await;
        assert!(small.is_some(), "a small spec has its own lane");
        waiting.abort();
    }
}
