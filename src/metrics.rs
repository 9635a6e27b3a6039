//! Process-wide Prometheus metrics (the pipeline, the alert dispatcher and the prober
//! count into it, the web module encodes it). One registry per process, as Prometheus expects.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicU64;
use std::sync::{LazyLock, Mutex, PoisonError};

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;

use crate::store::EndpointHealth;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use serde::Serialize;

/// Upper bounds (seconds) of the `endpoint_response_time_seconds` histogram buckets.
pub const LATENCY_BOUNDS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// One endpoint's counters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndpointMetrics {
    /// Watch name.
    pub watch: String,
    /// `"GET /v1/charges"`.
    pub operation: String,
    /// Current state.
    pub state: EndpointHealth,
    /// Probes since start.
    pub checks_total: u64,
    /// Probes since start that failed.
    pub failures_total: u64,
    /// Answered probes with a latency ≤ each of [`LATENCY_BOUNDS`] (cumulative, like `le`).
    pub latency_le: [u64; LATENCY_BOUNDS.len()],
    /// Answered probes.
    pub latency_count: u64,
    /// Sum of their latencies (s).
    pub latency_sum: f64,
}

impl EndpointMetrics {
    /// Zeroed counters of an endpoint not yet probed.
    pub fn new(watch: &str, operation: &str) -> Self {
        EndpointMetrics {
            watch: watch.to_string(),
            operation: operation.to_string(),
            state: EndpointHealth::Unknown,
            checks_total: 0,
            failures_total: 0,
            latency_le: [0; LATENCY_BOUNDS.len()],
            latency_count: 0,
            latency_sum: 0.0,
        }
    }
}

/// `{watch, status}`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct WatchStatus {
    /// Watch name.
    pub watch: String,
    /// Poll outcome: unchanged, reformatted, new_version or the failure kind.
    pub status: String,
}

/// `{watch, level}`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct WatchLevel {
    /// Watch name.
    pub watch: String,
    /// breaking, warning or info.
    pub level: String,
}

/// `{sink, outcome}`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct SinkOutcome {
    /// Sink name.
    pub sink: String,
    /// ok, retry, failed or unavailable.
    pub outcome: String,
}

/// `{sink}`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct SinkLabel {
    /// Sink name.
    pub sink: String,
}

/// `{plugin}`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PluginLabel {
    /// Plugin name.
    pub plugin: String,
}

/// Every metric the daemon exports.
pub struct Metrics {
    /// The registry they are encoded from.
    pub registry: Registry,
    /// Deliveries that reached their sink.
    pub alerts_sent: Counter,
    /// Delivery attempts that failed.
    pub alerts_failed: Counter,
    /// Changes found in new versions, per watch and level.
    pub changes_detected: Family<WatchLevel, Counter>,
    /// Polls per watch and outcome.
    pub polling_attempts: Family<WatchStatus, Counter>,
    /// Time from poll start to the committed new version.
    pub version_creation_duration: Histogram,
    /// Delivery attempts per sink and outcome.
    pub delivery_attempts: Family<SinkOutcome, Counter>,
    /// Pending deliveries per sink (set at scrape time).
    pub queue_depth: Family<SinkLabel, Gauge>,
    /// 1 when the last config reload was applied, 0 when it was rejected.
    pub config_reload_ok: Gauge,
    /// Unix time (s) of the last config reload attempt.
    pub config_reload_time: Gauge<f64, AtomicU64>,
    /// 1 per plugin that is loaded, 0 when its last load failed.
    pub plugin_loaded: Family<PluginLabel, Gauge>,
    /// Bytes of the store file(s) on disk.
    pub store_size: Gauge,
    /// Watches in the running configuration.
    pub watches: Gauge,
    /// Polls waiting to parse and diff their fetched spec (set at scrape time).
    pub heavy_queued: Gauge,
    /// Polls parsing or diffing now (set at scrape time).
    pub heavy_running: Gauge,
    /// Bytes of spec text being parsed or diffed now (set at scrape time).
    pub heavy_bytes: Gauge,
    /// Content-Security-Policy violation reports browsers sent to `/csp-report`.
    pub csp_reports: Counter,
    /// The prober's per-endpoint counters (set at scrape time).
    pub endpoints: std::sync::Arc<EndpointSeries>,
}

/// The process's metrics.
pub static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

impl Metrics {
    fn new() -> Metrics {
        let mut registry = Registry::default();
        let m = Metrics {
            alerts_sent: Counter::default(),
            alerts_failed: Counter::default(),
            changes_detected: Family::default(),
            polling_attempts: Family::default(),
            version_creation_duration: Histogram::new([
                0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
            ]),
            delivery_attempts: Family::default(),
            queue_depth: Family::default(),
            config_reload_ok: Gauge::default(),
            config_reload_time: Gauge::default(),
            plugin_loaded: Family::default(),
            store_size: Gauge::default(),
            watches: Gauge::default(),
            heavy_queued: Gauge::default(),
            heavy_running: Gauge::default(),
            heavy_bytes: Gauge::default(),
            csp_reports: Counter::default(),
            endpoints: std::sync::Arc::default(),
            registry: Registry::default(),
        };
        registry.register_collector(Box::new(m.endpoints.clone()));
        // The counter names get `_total` appended by the encoder.
        registry.register(
            "alerts_sent",
            "Alert deliveries that reached their sink",
            m.alerts_sent.clone(),
        );
        registry.register(
            "alerts_failed",
            "Alert delivery attempts that failed",
            m.alerts_failed.clone(),
        );
        registry.register(
            "api_changes_detected",
            "Changes found in new spec versions, per watch and level",
            m.changes_detected.clone(),
        );
        registry.register(
            "polling_attempts",
            "Polls per watch and outcome",
            m.polling_attempts.clone(),
        );
        registry.register(
            "version_creation_duration_seconds",
            "Seconds from poll start to a committed new version",
            m.version_creation_duration.clone(),
        );
        registry.register(
            "specwatch_delivery_attempts",
            "Alert delivery attempts per sink and outcome",
            m.delivery_attempts.clone(),
        );
        registry.register(
            "specwatch_delivery_queue_depth",
            "Pending alert deliveries per sink",
            m.queue_depth.clone(),
        );
        registry.register(
            "specwatch_config_reload_ok",
            "1 when the last config reload was applied (or none happened), 0 when rejected",
            m.config_reload_ok.clone(),
        );
        registry.register(
            "specwatch_config_reload_timestamp_seconds",
            "Unix time of the last config reload attempt (0 = none since start)",
            m.config_reload_time.clone(),
        );
        registry.register(
            "specwatch_plugin_loaded",
            "1 when the plugin is loaded and serving, 0 when its last load failed",
            m.plugin_loaded.clone(),
        );
        registry.register(
            "specwatch_store_size_bytes",
            "Bytes of the store on disk",
            m.store_size.clone(),
        );
        registry.register(
            "specwatch_watches",
            "Watches in the running configuration",
            m.watches.clone(),
        );
        registry.register(
            "specwatch_parse_diff_queued",
            "Polls waiting for the parse/diff budget ([polling] max_inflight_bytes)",
            m.heavy_queued.clone(),
        );
        registry.register(
            "specwatch_parse_diff_running",
            "Polls parsing and diffing their spec now",
            m.heavy_running.clone(),
        );
        registry.register(
            "specwatch_parse_diff_inflight_bytes",
            "Bytes of spec text being parsed and diffed now",
            m.heavy_bytes.clone(),
        );
        registry.register(
            "specwatch_csp_reports",
            "Content-Security-Policy violation reports received from browsers",
            m.csp_reports.clone(),
        );
        Metrics { registry, ..m }
    }

    /// Counts one committed poll.
    pub fn poll(&self, watch: &str, status: &str) {
        self.polling_attempts
            .get_or_create(&WatchStatus {
                watch: watch.to_string(),
                status: status.to_string(),
            })
            .inc();
    }

    /// Counts the changes of a new version.
    pub fn changes(&self, watch: &str, level: &str, n: u64) {
        if n > 0 {
            self.changes_detected
                .get_or_create(&WatchLevel {
                    watch: watch.to_string(),
                    level: level.to_string(),
                })
                .inc_by(n);
        }
    }

    /// Counts one delivery attempt.
    pub fn delivery(&self, sink: &str, outcome: &str) {
        match outcome {
            "ok" => {
                self.alerts_sent.inc();
            }
            "unavailable" => {}
            _ => {
                self.alerts_failed.inc();
            }
        }
        self.delivery_attempts
            .get_or_create(&SinkOutcome {
                sink: sink.to_string(),
                outcome: outcome.to_string(),
            })
            .inc();
    }

    /// The registry in Prometheus text format.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// Endpoints exported one by one at most; the rest of each watch's are summed into
/// `endpoint="(other)"`, so a spec with thousands of operations cannot blow up the
/// series count (each endpoint costs 17 series).
pub const MAX_ENDPOINT_SERIES: usize = 1000;

/// The label of endpoints beyond [`MAX_ENDPOINT_SERIES`].
pub const OTHER_ENDPOINTS: &str = "(other)";

/// `{watch, endpoint}`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EndpointLabel {
    watch: String,
    endpoint: String,
}

/// `{watch, endpoint, result}`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CheckLabel {
    watch: String,
    endpoint: String,
    result: &'static str,
}

/// `{watch, state}`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabel {
    watch: String,
    state: &'static str,
}

/// The value of `endpoint_health_status`: 1 up, 2 degraded, 0 down, -1 unknown (as
/// Uptime Kuma's `monitor_status`, so `== 0` alerts on down).
fn status_value(s: EndpointHealth) -> i64 {
    match s {
        EndpointHealth::Up => 1,
        EndpointHealth::Degraded => 2,
        EndpointHealth::Down => 0,
        EndpointHealth::Unknown => -1,
    }
}

/// How bad a state is, for folding endpoints together.
fn severity(s: EndpointHealth) -> u8 {
    match s {
        EndpointHealth::Up => 0,
        EndpointHealth::Unknown => 1,
        EndpointHealth::Degraded => 2,
        EndpointHealth::Down => 3,
    }
}

/// The endpoint metrics: `endpoint_health_status`, `endpoint_checks_total`,
/// `endpoint_response_time_seconds` per `{watch, endpoint}`, and
/// `specwatch_endpoints{watch, state}`, encoded from the prober's last snapshot.
#[derive(Debug, Default)]
pub struct EndpointSeries(Mutex<Vec<EndpointMetrics>>);

impl EndpointSeries {
    /// Replaces the snapshot (sorted by watch and operation, as the prober gives it).
    pub fn set(&self, snapshot: Vec<EndpointMetrics>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = snapshot;
    }

    /// The snapshot with endpoints beyond the cap folded into one per watch.
    fn capped(&self) -> Vec<EndpointMetrics> {
        let all = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if all.len() <= MAX_ENDPOINT_SERIES {
            return all;
        }
        let mut out: Vec<EndpointMetrics> = Vec::with_capacity(MAX_ENDPOINT_SERIES + 16);
        let mut other: BTreeMap<String, EndpointMetrics> = BTreeMap::new();
        for (i, m) in all.into_iter().enumerate() {
            if i < MAX_ENDPOINT_SERIES {
                out.push(m);
                continue;
            }
            let o = other
                .entry(m.watch.clone())
                .or_insert_with(|| EndpointMetrics {
                    operation: OTHER_ENDPOINTS.to_string(),
                    checks_total: 0,
                    failures_total: 0,
                    latency_le: [0; LATENCY_BOUNDS.len()],
                    latency_count: 0,
                    latency_sum: 0.0,
                    // The worst state of those folded in.
                    state: EndpointHealth::Up,
                    ..m.clone()
                });
            o.checks_total += m.checks_total;
            o.failures_total += m.failures_total;
            o.latency_count += m.latency_count;
            o.latency_sum += m.latency_sum;
            for (a, b) in o.latency_le.iter_mut().zip(m.latency_le) {
                *a += b;
            }
            if severity(m.state) > severity(o.state) {
                o.state = m.state;
            }
        }
        out.extend(other.into_values());
        out
    }
}

impl Collector for EndpointSeries {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let all = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let mut states: BTreeMap<(String, &'static str), i64> = BTreeMap::new();
        for m in &all {
            *states
                .entry((m.watch.clone(), m.state.as_str()))
                .or_default() += 1;
        }
        let list = self.capped();
        let label = |m: &EndpointMetrics| EndpointLabel {
            watch: m.watch.clone(),
            endpoint: m.operation.clone(),
        };

        let mut e = encoder.encode_descriptor(
            "endpoint_health_status",
            "State of each probed endpoint: 1 up, 2 degraded, 0 down, -1 unknown",
            None,
            MetricType::Gauge,
        )?;
        for m in &list {
            ConstGauge::new(status_value(m.state)).encode(e.encode_family(&label(m))?)?;
        }

        let mut e = encoder.encode_descriptor(
            "endpoint_checks",
            "Probes of each endpoint since the daemon started, by result",
            None,
            MetricType::Counter,
        )?;
        for m in &list {
            for (result, n) in [
                (
                    "healthy",
                    m.checks_total - m.failures_total.min(m.checks_total),
                ),
                ("unhealthy", m.failures_total),
            ] {
                let l = CheckLabel {
                    watch: m.watch.clone(),
                    endpoint: m.operation.clone(),
                    result,
                };
                ConstCounter::new(n).encode(e.encode_family(&l)?)?;
            }
        }

        let mut e = encoder.encode_descriptor(
            "endpoint_response_time_seconds",
            "Latency of answered probes (timeouts and connection errors are not in it)",
            None,
            MetricType::Histogram,
        )?;
        for m in &list {
            // The encoder wants per-bucket counts and accumulates them itself.
            let mut buckets = Vec::with_capacity(LATENCY_BOUNDS.len() + 1);
            let mut below = 0;
            for (bound, le) in LATENCY_BOUNDS.iter().zip(m.latency_le) {
                buckets.push((*bound, le.saturating_sub(below)));
                below = le;
            }
            buckets.push((f64::INFINITY, m.latency_count.saturating_sub(below)));
            e.encode_family(&label(m))?
                .encode_histogram::<EndpointLabel>(
                    m.latency_sum,
                    m.latency_count,
                    &buckets,
                    None,
                )?;
        }

        let mut e = encoder.encode_descriptor(
            "specwatch_endpoints",
            "Probed endpoints per watch and state",
            None,
            MetricType::Gauge,
        )?;
        for ((watch, state), n) in states {
            ConstGauge::new(n).encode(e.encode_family(&StateLabel { watch, state })?)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(watch: &str, op: &str, state: EndpointHealth) -> EndpointMetrics {
        EndpointMetrics {
            watch: watch.into(),
            operation: op.into(),
            state,
            checks_total: 5,
            failures_total: 2,
            latency_le: [0, 1, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3],
            latency_count: 3,
            latency_sum: 0.12,
        }
    }

    fn encode(series: EndpointSeries) -> String {
        let mut r = Registry::default();
        r.register_collector(Box::new(series));
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &r).unwrap();
        out
    }

    #[test]
    fn endpoint_series_encode_and_are_capped() {
        let s = EndpointSeries::default();
        s.set(vec![endpoint("w", "GET /a", EndpointHealth::Down)]);
        let out = encode(s);
        assert!(
            out.contains("endpoint_health_status{watch=\"w\",endpoint=\"GET /a\"} 0"),
            "{out}"
        );
        assert!(
            out.contains(
                "endpoint_checks_total{watch=\"w\",endpoint=\"GET /a\",result=\"unhealthy\"} 2"
            ),
            "{out}"
        );
        assert!(out.contains("endpoint_response_time_seconds_bucket{le=\"0.05\",watch=\"w\",endpoint=\"GET /a\"} 2")
            || out.contains("endpoint_response_time_seconds_bucket{watch=\"w\",endpoint=\"GET /a\",le=\"0.05\"} 2"), "{out}");
        assert!(
            out.contains("specwatch_endpoints{watch=\"w\",state=\"down\"} 1"),
            "{out}"
        );

        let s = EndpointSeries::default();
        let many: Vec<_> = (0..MAX_ENDPOINT_SERIES + 50)
            .map(|i| endpoint("big", &format!("GET /p{i:05}"), EndpointHealth::Up))
            .collect();
        s.set(many);
        let capped = s.capped();
        assert_eq!(capped.len(), MAX_ENDPOINT_SERIES + 1);
        let other = capped.last().unwrap();
        assert_eq!(
            (other.operation.as_str(), other.checks_total),
            (OTHER_ENDPOINTS, 250)
        );
    }
}
