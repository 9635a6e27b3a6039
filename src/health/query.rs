//! What the CLI, the JSON API, the status page and metrics read: per-endpoint and
//! per-watch summaries (state, uptime over 1 h / 24 h / 7 d / 30 d, latency p50 / p95 /
//! p99) and hourly series for charts, all from the store (read-only handles work).
//!
//! Windows of 24 h and more are whole hourly buckets: "24 h" is the current hour and
//! the 23 before it. "1 h" is exact, from the raw probes of the last 60 minutes.
//! Percentiles are within [`RELATIVE_ACCURACY`] of the exact value of the same rank.

use serde::Serialize;

use super::rollup::Bucket;
use super::sketch::RELATIVE_ACCURACY;
use crate::store::{
    EndpointHealth, EndpointRecord, HOUR_MS, Millis, ProbeSample, Store, StoreError, hour_of,
};

/// Window lengths in hours, with their names.
const WINDOWS: [(&str, i64); 3] = [("24h", 24), ("7d", 24 * 7), ("30d", 24 * 30)];

/// Uptime and latency over one window.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WindowStats {
    /// Probes in the window.
    pub probes: u64,
    /// Healthy share in percent (None without probes).
    pub uptime: Option<f64>,
    /// Median latency (ms) of answered probes.
    pub p50_ms: Option<f64>,
    /// 95th percentile (ms).
    pub p95_ms: Option<f64>,
    /// 99th percentile (ms).
    pub p99_ms: Option<f64>,
}

impl WindowStats {
    fn from_bucket(b: &Bucket) -> WindowStats {
        WindowStats {
            probes: b.probes,
            uptime: b.uptime(),
            p50_ms: b.latency.quantile(0.50),
            p95_ms: b.latency.quantile(0.95),
            p99_ms: b.latency.quantile(0.99),
        }
    }
}

/// The windows of one endpoint or watch.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Windows {
    /// The last 60 minutes (exact, from raw probes).
    #[serde(rename = "1h")]
    pub h1: WindowStats,
    /// The current hour and the 23 before it.
    #[serde(rename = "24h")]
    pub h24: WindowStats,
    /// 168 hourly buckets.
    #[serde(rename = "7d")]
    pub d7: WindowStats,
    /// 720 hourly buckets.
    #[serde(rename = "30d")]
    pub d30: WindowStats,
}

/// One endpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndpointSummary {
    /// `"GET /v1/charges"`.
    pub operation: String,
    /// The URL probed.
    pub url: String,
    /// up / degraded / down / unknown.
    pub state: EndpointHealth,
    /// Since when (ms since the epoch).
    pub since: Millis,
    /// The last probe.
    pub last: Option<ProbeSample>,
    /// The last failure's message.
    pub last_error: Option<String>,
    /// Uptime and latency windows.
    pub windows: Windows,
}

/// A https host's certificate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CertSummary {
    /// `host:port`.
    pub host: String,
    /// Expiry (ms since the epoch).
    pub not_after: Millis,
    /// Whole days left (negative once expired).
    pub days_left: i64,
    /// When it was last read.
    pub checked_at: Millis,
}

/// Endpoint counts by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StateCounts {
    /// Up.
    pub up: u32,
    /// Degraded.
    pub degraded: u32,
    /// Down.
    pub down: u32,
    /// Unknown.
    pub unknown: u32,
}

impl StateCounts {
    /// Counts one endpoint in `state`.
    pub fn add(&mut self, state: EndpointHealth) {
        match state {
            EndpointHealth::Up => self.up += 1,
            EndpointHealth::Degraded => self.degraded += 1,
            EndpointHealth::Down => self.down += 1,
            EndpointHealth::Unknown => self.unknown += 1,
        }
    }

    /// Endpoints counted.
    pub fn total(&self) -> u32 {
        self.up + self.degraded + self.down + self.unknown
    }
}

/// Endpoint counts of a watch by state, from the endpoint records alone (cheap enough
/// for the overview of every watch).
pub fn counts(store: &Store, watch: &str) -> Result<StateCounts, StoreError> {
    let mut c = StateCounts::default();
    for (_, rec) in store
        .endpoints(watch)?
        .into_iter()
        .filter(|(_, r)| r.active)
    {
        c.add(rec.state);
    }
    Ok(c)
}

/// A watch's health.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WatchHealth {
    /// The watch.
    pub watch: String,
    /// Endpoints by state.
    pub counts: StateCounts,
    /// All endpoints merged.
    pub windows: Windows,
    /// Relative error bound of every percentile.
    pub percentile_error: f64,
    /// Active endpoints, by operation.
    pub endpoints: Vec<EndpointSummary>,
    /// Certificates of the https hosts probed.
    pub certificates: Vec<CertSummary>,
}

/// One hour (or minute) of a chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HourPoint {
    /// Start of the hour, or of the minute in [`minute_series`] (ms since the epoch).
    pub hour: Millis,
    /// Uptime and latency of that hour (or minute).
    pub stats: WindowStats,
}

/// Windows of one endpoint, with its merged buckets per window for the watch totals.
fn endpoint_windows(
    store: &Store,
    rec: &EndpointRecord,
    now: Millis,
) -> Result<(Windows, [Bucket; 3], Vec<ProbeSample>), StoreError> {
    let top = hour_of(now) + HOUR_MS;
    let buckets = store.health_hours(rec.id, top - 720 * HOUR_MS, top)?;
    let mut merged: [Bucket; 3] = Default::default();
    for (hour, bytes) in &buckets {
        let Some(b) = Bucket::decode(bytes) else {
            continue;
        };
        for (i, (_, hours)) in WINDOWS.iter().enumerate() {
            if *hour >= top - hours * HOUR_MS {
                merged[i].merge(&b);
            }
        }
    }
    let recent = recent_probes(store, rec.id, now)?;
    let mut h1 = Bucket::default();
    for p in &recent {
        h1.add(p, false);
    }
    let windows = Windows {
        h1: WindowStats::from_bucket(&h1),
        h24: WindowStats::from_bucket(&merged[0]),
        d7: WindowStats::from_bucket(&merged[1]),
        d30: WindowStats::from_bucket(&merged[2]),
    };
    Ok((windows, merged, recent))
}

/// Raw probes of the last 60 minutes.
fn recent_probes(store: &Store, id: u64, now: Millis) -> Result<Vec<ProbeSample>, StoreError> {
    let from = now - HOUR_MS;
    probes(store, id, from, now + 1)
}

/// Raw probes of an endpoint with `from ≤ at < to`, oldest first (kept for the raw
/// retention window).
pub fn probes(
    store: &Store,
    id: u64,
    from: Millis,
    to: Millis,
) -> Result<Vec<ProbeSample>, StoreError> {
    let mut out = Vec::new();
    for (hour, chunk) in store.health_raw(id, hour_of(from), to)? {
        out.extend(
            ProbeSample::unpack_chunk(hour, &chunk)
                .into_iter()
                .filter(|p| p.at >= from && p.at < to),
        );
    }
    Ok(out)
}

/// Summaries of a watch's active endpoints.
pub fn endpoint_summaries(
    store: &Store,
    watch: &str,
    now: Millis,
) -> Result<Vec<EndpointSummary>, StoreError> {
    Ok(watch_health(store, watch, now)?.endpoints)
}

/// A watch's health: counts, merged windows, endpoints and certificates.
pub fn watch_health(store: &Store, watch: &str, now: Millis) -> Result<WatchHealth, StoreError> {
    let mut counts = StateCounts::default();
    let mut totals: [Bucket; 3] = Default::default();
    let mut h1 = Bucket::default();
    let mut endpoints = Vec::new();
    for (operation, rec) in store
        .endpoints(watch)?
        .into_iter()
        .filter(|(_, r)| r.active)
    {
        counts.add(rec.state);
        let (windows, merged, recent) = endpoint_windows(store, &rec, now)?;
        for (t, m) in totals.iter_mut().zip(&merged) {
            t.merge(m);
        }
        for p in &recent {
            h1.add(p, false);
        }
        endpoints.push(EndpointSummary {
            operation,
            url: rec.url,
            state: rec.state,
            since: rec.since,
            last: rec.last,
            last_error: rec.last_error,
            windows,
        });
    }
    let certificates = store
        .health_certs(watch)?
        .into_iter()
        .map(|(host, c)| CertSummary {
            host,
            not_after: c.not_after,
            days_left: (c.not_after - now).div_euclid(86_400_000),
            checked_at: c.checked_at,
        })
        .collect();
    Ok(WatchHealth {
        watch: watch.to_string(),
        counts,
        windows: Windows {
            h1: WindowStats::from_bucket(&h1),
            h24: WindowStats::from_bucket(&totals[0]),
            d7: WindowStats::from_bucket(&totals[1]),
            d30: WindowStats::from_bucket(&totals[2]),
        },
        percentile_error: RELATIVE_ACCURACY,
        endpoints,
        certificates,
    })
}

/// Hourly points of one endpoint (`operation`), or of the whole watch (None), over
/// the `hours` hours up to now: the data of a latency / uptime chart.
pub fn hourly_series(
    store: &Store,
    watch: &str,
    operation: Option<&str>,
    hours: i64,
    now: Millis,
) -> Result<Vec<HourPoint>, StoreError> {
    let top = hour_of(now) + HOUR_MS;
    let from = top - hours.max(1) * HOUR_MS;
    let mut per_hour: std::collections::BTreeMap<Millis, Bucket> = Default::default();
    for (op, rec) in store.endpoints(watch)? {
        if !rec.active || operation.is_some_and(|o| o != op) {
            continue;
        }
        for (hour, bytes) in store.health_hours(rec.id, from, top)? {
            if let Some(b) = Bucket::decode(&bytes) {
                per_hour.entry(hour).or_default().merge(&b);
            }
        }
    }
    Ok(per_hour
        .into_iter()
        .map(|(hour, b)| HourPoint {
            hour,
            stats: WindowStats::from_bucket(&b),
        })
        .collect())
}

/// One minute, in milliseconds.
pub const MINUTE_MS: Millis = 60_000;

/// Per-minute points of the whole watch over the `minutes` minutes up to now, from the
/// raw probes (exact within the sketch's error): the data of a recent-latency chart.
pub fn minute_series(
    store: &Store,
    watch: &str,
    minutes: i64,
    now: Millis,
) -> Result<Vec<HourPoint>, StoreError> {
    let top = now - now.rem_euclid(MINUTE_MS) + MINUTE_MS;
    let from = top - minutes.max(1) * MINUTE_MS;
    let mut per_minute: std::collections::BTreeMap<Millis, Bucket> = Default::default();
    for (_, rec) in store.endpoints(watch)? {
        if !rec.active {
            continue;
        }
        for p in probes(store, rec.id, from, top)? {
            per_minute
                .entry(p.at - p.at.rem_euclid(MINUTE_MS))
                .or_default()
                .add(&p, false);
        }
    }
    Ok(per_minute
        .into_iter()
        .map(|(hour, b)| HourPoint {
            hour,
            stats: WindowStats::from_bucket(&b),
        })
        .collect())
}
