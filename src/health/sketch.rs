//! A mergeable latency sketch (DDSketch, Masson et al. 2019): values go into
//! logarithmic buckets of ratio γ = (1 + α) / (1 − α), so any quantile it returns is
//! within a relative error α of the true value at that rank, and two sketches merge
//! exactly by adding their bucket counts (hours into days into months).

use std::collections::BTreeMap;

/// α: every quantile is within ±1 % of the exact value of the same rank.
pub const RELATIVE_ACCURACY: f64 = 0.01;

/// Values below this (ms) count as zero: one microsecond.
const MIN_VALUE: f64 = 0.001;

fn gamma() -> f64 {
    (1.0 + RELATIVE_ACCURACY) / (1.0 - RELATIVE_ACCURACY)
}

/// Latencies in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sketch {
    zero: u64,
    buckets: BTreeMap<i16, u64>,
}

impl Sketch {
    /// Adds one value (ms).
    pub fn add(&mut self, ms: f64) {
        // NaN and negatives count as zero too.
        if ms.is_nan() || ms < MIN_VALUE {
            self.zero += 1;
            return;
        }
        let i = (ms.ln() / gamma().ln()).ceil();
        // ±32767 buckets of 2 % reach far beyond any latency.
        let i = i.clamp(f64::from(i16::MIN), f64::from(i16::MAX)) as i16;
        *self.buckets.entry(i).or_default() += 1;
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &Sketch) {
        self.zero += other.zero;
        for (&i, &n) in &other.buckets {
            *self.buckets.entry(i).or_default() += n;
        }
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.zero + self.buckets.values().sum::<u64>()
    }

    /// The `q`-quantile (0 ≤ q ≤ 1) of rank ⌊q·(n−1)⌋, within [`RELATIVE_ACCURACY`]; None when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = (q.clamp(0.0, 1.0) * (n - 1) as f64).floor() as u64;
        if rank < self.zero {
            return Some(0.0);
        }
        let mut seen = self.zero;
        let g = gamma();
        for (&i, &c) in &self.buckets {
            seen += c;
            if seen > rank {
                return Some(2.0 * g.powi(i32::from(i)) / (g + 1.0));
            }
        }
        None
    }

    /// Compact bytes (varints): the zero count, then runs of adjacent buckets as
    /// (first index, length, counts…) — latencies of one endpoint-hour sit in a few
    /// adjacent buckets, so a bucket costs about one byte.
    pub fn encode(&self, out: &mut Vec<u8>) {
        put(out, self.zero);
        let mut runs: Vec<(i16, Vec<u64>)> = Vec::new();
        for (&i, &c) in &self.buckets {
            match runs.last_mut() {
                Some((start, counts))
                    if i32::from(*start) + counts.len() as i32 == i32::from(i) =>
                {
                    counts.push(c)
                }
                _ => runs.push((i, vec![c])),
            }
        }
        put(out, runs.len() as u64);
        for (start, counts) in runs {
            // Zigzag: small negative indexes (sub-millisecond values) stay short.
            put(
                out,
                ((i64::from(start) << 1) ^ (i64::from(start) >> 63)) as u64,
            );
            put(out, counts.len() as u64);
            for c in counts {
                put(out, c);
            }
        }
    }

    /// Reads what [`Sketch::encode`] wrote; returns the rest of the input.
    pub fn decode(mut b: &[u8]) -> Option<(Sketch, &[u8])> {
        let zero = get(&mut b)?;
        let runs = get(&mut b)?;
        let mut buckets = BTreeMap::new();
        for _ in 0..runs {
            let z = get(&mut b)?;
            let start = ((z >> 1) as i64) ^ -((z & 1) as i64);
            let len = get(&mut b)?;
            for k in 0..len {
                let i = i16::try_from(start.checked_add(i64::try_from(k).ok()?)?).ok()?;
                buckets.insert(i, get(&mut b)?);
            }
        }
        Some((Sketch { zero, buckets }, b))
    }
}

/// Appends `v` as a LEB128 varint.
fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a LEB128 varint, advancing `b`.
fn get(b: &mut &[u8]) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = b.split_first()?;
        *b = rest;
        v |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(sorted: &[f64], q: f64) -> f64 {
        sorted[(q * (sorted.len() - 1) as f64).floor() as usize]
    }

    #[test]
    fn quantiles_are_within_the_stated_error_and_merge_exactly() {
        let mut rng = fastrand::Rng::with_seed(7);
        let values: Vec<f64> = (0..20_000)
            .map(|_| 0.05 + rng.f64().powi(4) * 5_000.0)
            .collect();
        let (mut a, mut b, mut all) = (Sketch::default(), Sketch::default(), Sketch::default());
        for (i, &v) in values.iter().enumerate() {
            if i % 2 == 0 {
                a.add(v)
            } else {
                b.add(v)
            }
            all.add(v);
        }
        a.merge(&b);
        assert_eq!(a, all, "merging is exact");
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        for q in [0.0, 0.5, 0.9, 0.95, 0.99, 1.0] {
            let (est, ex) = (a.quantile(q).unwrap(), exact(&sorted, q));
            assert!(
                (est - ex).abs() <= RELATIVE_ACCURACY * ex + 1e-9,
                "q={q}: {est} vs {ex}"
            );
        }
        let mut bytes = Vec::new();
        a.encode(&mut bytes);
        bytes.push(9);
        let (back, rest) = Sketch::decode(&bytes).unwrap();
        assert_eq!(back, a);
        assert_eq!(rest, [9]);
        assert_eq!(Sketch::default().quantile(0.5), None);
        assert!(Sketch::decode(&bytes[..7]).is_none());
        assert!(
            bytes.len() < 3 * a.buckets.len(),
            "{} bytes for {} buckets",
            bytes.len(),
            a.buckets.len()
        );
    }
}
