//! In-process counters for Prometheus (`endpoint_health_status`,
//! `endpoint_checks_total`, `endpoint_response_time_seconds`): per endpoint since the
//! daemon started, as counters should be. The exposition belongs to the web module.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::store::{EndpointHealth, ProbeSample};

pub use crate::metrics::{EndpointMetrics, LATENCY_BOUNDS};

/// Shared between the prober (writer) and whoever serves metrics (reader).
#[derive(Debug, Clone, Default)]
pub struct Metrics(Arc<Mutex<HashMap<u64, EndpointMetrics>>>);

impl Metrics {
    /// Counts one probe of endpoint `id` and records its state after it.
    pub(crate) fn record(
        &self,
        id: u64,
        watch: &str,
        operation: &str,
        probe: &ProbeSample,
        state: EndpointHealth,
    ) {
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let m = map
            .entry(id)
            .or_insert_with(|| EndpointMetrics::new(watch, operation));
        m.state = state;
        m.checks_total += 1;
        if !probe.healthy() {
            m.failures_total += 1;
        }
        if probe.status != 0 {
            let s = f64::from(probe.latency_us) / 1e6;
            m.latency_count += 1;
            m.latency_sum += s;
            for (n, bound) in m.latency_le.iter_mut().zip(LATENCY_BOUNDS) {
                if s <= bound {
                    *n += 1;
                }
            }
        }
    }

    /// Forgets endpoints no longer probed.
    pub(crate) fn retain(&self, keep: impl Fn(u64) -> bool) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|id, _| keep(*id));
    }

    /// Every probed endpoint's counters, by watch and operation.
    pub fn snapshot(&self) -> Vec<EndpointMetrics> {
        let mut v: Vec<EndpointMetrics> = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        v.sort_by(|a, b| (&a.watch, &a.operation).cmp(&(&b.watch, &b.operation)));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ErrorClass;

    #[test]
    fn counts_and_cumulative_buckets() {
        let m = Metrics::default();
        let p = |status, ms: u32, class| ProbeSample {
            at: 0,
            status,
            latency_us: ms * 1000,
            class,
        };
        m.record(
            1,
            "w",
            "GET /a",
            &p(200, 30, ErrorClass::None),
            EndpointHealth::Up,
        );
        m.record(
            1,
            "w",
            "GET /a",
            &p(500, 300, ErrorClass::Status),
            EndpointHealth::Up,
        );
        m.record(
            1,
            "w",
            "GET /a",
            &p(0, 10_000, ErrorClass::Timeout),
            EndpointHealth::Up,
        );
        let s = &m.snapshot()[0];
        assert_eq!(
            (s.checks_total, s.failures_total, s.latency_count),
            (3, 2, 2)
        );
        assert_eq!(s.latency_le[3], 1, "≤ 50 ms");
        assert_eq!(s.latency_le[6], 2, "≤ 500 ms");
        assert!((s.latency_sum - 0.33).abs() < 1e-9);
        m.retain(|id| id != 1);
        assert!(m.snapshot().is_empty());
    }
}
