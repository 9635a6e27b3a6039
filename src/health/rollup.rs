//! Hourly rollups: probes, healthy probes, degraded probes and a latency [`Sketch`] per
//! endpoint and hour. Buckets merge exactly, so uptime and percentiles over any span of
//! hours (an endpoint or a whole watch) come from adding them up.

use super::sketch::Sketch;
use crate::store::ProbeSample;

/// One endpoint-hour.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bucket {
    /// Probes.
    pub probes: u64,
    /// Probes that counted as healthy.
    pub healthy: u64,
    /// Healthy probes slower than `degraded_latency`.
    pub degraded: u64,
    /// Latencies (ms) of probes that got an answer.
    pub latency: Sketch,
}

impl Bucket {
    /// Adds one probe.
    pub fn add(&mut self, p: &ProbeSample, degraded: bool) {
        self.probes += 1;
        if p.healthy() {
            self.healthy += 1;
            if degraded {
                self.degraded += 1;
            }
        }
        if p.status != 0 {
            self.latency.add(f64::from(p.latency_us) / 1000.0);
        }
    }

    /// Adds another bucket.
    pub fn merge(&mut self, other: &Bucket) {
        self.probes += other.probes;
        self.healthy += other.healthy;
        self.degraded += other.degraded;
        self.latency.merge(&other.latency);
    }

    /// Healthy share in percent; None without probes.
    pub fn uptime(&self) -> Option<f64> {
        (self.probes > 0).then(|| 100.0 * self.healthy as f64 / self.probes as f64)
    }

    /// Stored bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32);
        for n in [self.probes, self.healthy, self.degraded] {
            out.extend_from_slice(&(n.min(u64::from(u32::MAX)) as u32).to_le_bytes());
        }
        self.latency.encode(&mut out);
        out
    }

    /// Reads [`Bucket::encode`]'s bytes; None when they are damaged.
    pub fn decode(b: &[u8]) -> Option<Bucket> {
        let n = |i: usize| -> Option<u64> {
            Some(u64::from(u32::from_le_bytes(
                b.get(i..i + 4)?.try_into().ok()?,
            )))
        };
        let (latency, _) = Sketch::decode(b.get(12..)?)?;
        Some(Bucket {
            probes: n(0)?,
            healthy: n(4)?,
            degraded: n(8)?,
            latency,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ErrorClass;

    #[test]
    fn round_trips_and_counts() {
        let mut b = Bucket::default();
        let ok = ProbeSample {
            at: 0,
            status: 200,
            latency_us: 12_000,
            class: ErrorClass::None,
        };
        let down = ProbeSample {
            at: 1,
            status: 0,
            latency_us: 10_000_000,
            class: ErrorClass::Timeout,
        };
        b.add(&ok, false);
        b.add(&ok, true);
        b.add(&down, false);
        assert_eq!((b.probes, b.healthy, b.degraded), (3, 2, 1));
        assert_eq!(b.latency.count(), 2, "a timeout has no latency sample");
        assert!((b.uptime().unwrap() - 66.666).abs() < 0.01);
        assert_eq!(Bucket::decode(&b.encode()), Some(b.clone()));
        assert_eq!(Bucket::decode(&[1, 2]), None);
    }
}
