//! Process-wide Prometheus metrics (a leaf: the pipeline and the alert dispatcher count
//! into it, the web module encodes it). One registry per process, as Prometheus expects.

use std::sync::LazyLock;
use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

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
            registry: Registry::default(),
        };
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
