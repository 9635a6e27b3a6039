//! The daemon's read model: one [`Query`] that the control socket, the JSON API and the
//! status page all read (and act) through, so the CLI, the API and the page agree.
//! The daemon owns it and keeps its view of the running configuration current; this
//! module depends on the stages below it (store, pipeline, alerts, plugins), never on
//! the daemon or on its readers.

pub mod explain;
pub mod ops;
pub mod status;
pub mod views;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tracing::{Instrument, info, info_span};

use crate::alerts::AlertEngine;
use crate::clock::now_millis;
use crate::config::WatchConfig;
use crate::diff::Report;
use crate::pipeline::Pipeline;
use crate::plugin_host::Plugins;
use crate::scheduler::limits::Limits;
use crate::store::{AlertHistory, AlertQuery, PollOutcome, Store, VersionMeta, WatchStatus};

pub use ops::OpError;
pub use status::{DaemonStatus, Readiness, ReloadStatus, StatusHandle};
pub use views::{
    BuildInfo, HealthView, PluginView, SilenceView, SinkView, SystemView, VersionRow, WatchDetail,
    WatchSummary,
};

/// Age after which the cached overview is rebuilt: with a thousand watches, building it
/// reads every version list, and a page refreshed by many operators must not do that
/// per request. One second is below anything a schedule (10 s at least) can observe.
const OVERVIEW_TTL: Duration = Duration::from_secs(1);

/// A version counts as a "change" on the overview for this long after it was fetched.
const CHANGED_FOR_MS: i64 = 24 * 3600 * 1000;

/// The read model. Cheap to clone.
#[derive(Clone)]
pub struct Query {
    inner: Arc<Inner>,
}

struct Inner {
    pipeline: Pipeline,
    /// The scheduler's concurrency caps: on-demand polls take them too.
    limits: Limits,
    alerts: Arc<AlertEngine>,
    status: StatusHandle,
    plugins: Option<Plugins>,
    /// The prober's per-endpoint counters (for `/metrics`).
    health: crate::health::metrics::Metrics,
    /// The running watches' configs, by name (replaced after every apply).
    watches: RwLock<Arc<HashMap<String, Arc<WatchConfig>>>>,
    sinks: RwLock<Vec<SinkView>>,
    /// Asks the daemon to restart a watch's timer so it polls within a second.
    poll_soon: mpsc::UnboundedSender<String>,
    overview: Mutex<Option<(Instant, Arc<Vec<WatchSummary>>)>>,
    /// A background rebuild of `overview` is running.
    refreshing: AtomicBool,
    /// The last test alert per sink (shown on the system page; not kept across restarts).
    sink_tests: Mutex<std::collections::BTreeMap<String, crate::alerts::test_alert::TestOutcome>>,
}

impl Query {
    /// A read model over the daemon's parts; `poll_soon` is served by the daemon's loop.
    pub fn new(
        pipeline: Pipeline,
        limits: Limits,
        alerts: Arc<AlertEngine>,
        status: StatusHandle,
        plugins: Option<Plugins>,
        health: crate::health::metrics::Metrics,
        poll_soon: mpsc::UnboundedSender<String>,
    ) -> Query {
        Query {
            inner: Arc::new(Inner {
                pipeline,
                limits,
                alerts,
                status,
                plugins,
                health,
                watches: RwLock::default(),
                sinks: RwLock::default(),
                poll_soon,
                overview: Mutex::default(),
                refreshing: AtomicBool::new(false),
                sink_tests: Mutex::default(),
            }),
        }
    }

    /// The store.
    pub fn store(&self) -> &Arc<Store> {
        &self.inner.pipeline.store
    }

    /// The daemon's status handle.
    pub fn status(&self) -> &StatusHandle {
        &self.inner.status
    }

    /// The daemon's status as of now, with the heavy-work queue.
    pub fn daemon_status(&self) -> DaemonStatus {
        let mut status = self.inner.status.get();
        status.heavy = self.inner.pipeline.heavy_stats();
        status
    }

    /// Replaces the view of the running configuration (after start-up and each reload).
    pub fn set_config(&self, watches: Vec<Arc<WatchConfig>>, sinks: Vec<SinkView>) {
        let map = watches.into_iter().map(|w| (w.name.clone(), w)).collect();
        *self
            .inner
            .watches
            .write()
            .unwrap_or_else(|p| p.into_inner()) = Arc::new(map);
        *self.inner.sinks.write().unwrap_or_else(|p| p.into_inner()) = sinks;
        self.invalidate();
    }

    /// Drops the cached overview (after a mutation, so the next read shows it).
    fn invalidate(&self) {
        *self
            .inner
            .overview
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = None;
    }

    fn configs(&self) -> Arc<HashMap<String, Arc<WatchConfig>>> {
        self.inner
            .watches
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The running config of a watch.
    pub fn watch_config(&self, name: &str) -> Option<Arc<WatchConfig>> {
        self.configs().get(name).cloned()
    }

    /// Runs a store read on the blocking pool.
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, OpError> + Send + 'static,
    ) -> Result<T, OpError> {
        let store = self.store().clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|e| OpError::NotFound(format!("internal error: {e}")))?
    }

    /// Every configured watch (sorted by name). Served from a cache: once it is more
    /// than a second old, one background task rebuilds it while readers keep getting the
    /// previous one, so no request waits on a rebuild except the first after a change.
    pub async fn watches(&self) -> Result<Arc<Vec<WatchSummary>>, OpError> {
        let cached = self
            .inner
            .overview
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some((at, list)) = cached {
            if at.elapsed() >= OVERVIEW_TTL && !self.inner.refreshing.swap(true, Ordering::AcqRel) {
                let me = self.clone();
                tokio::spawn(async move {
                    let _ = me.rebuild_overview().await;
                    me.inner.refreshing.store(false, Ordering::Release);
                });
            }
            return Ok(list);
        }
        self.rebuild_overview().await
    }

    async fn rebuild_overview(&self) -> Result<Arc<Vec<WatchSummary>>, OpError> {
        let configs = self.configs();
        let started = Instant::now();
        let list = self
            .blocking(move |s| {
                let mut names: Vec<&String> = configs.keys().collect();
                names.sort();
                let now = now_millis();
                names
                    .into_iter()
                    .map(|n| summarize(s, &configs[n], now))
                    .collect::<Result<Vec<_>, _>>()
            })
            .await?;
        let list = Arc::new(list);
        *self
            .inner
            .overview
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some((started, list.clone()));
        Ok(list)
    }

    /// One watch, configured or only in the store.
    pub async fn watch(&self, name: &str) -> Result<WatchDetail, OpError> {
        let cfg = self.watch_config(name);
        let name = name.to_string();
        self.blocking(move |s| {
            let state = s.watch_state(&name)?;
            if cfg.is_none() && state.is_none() {
                return Err(not_found(&name));
            }
            let versions = s.versions(&name)?;
            let mut summary = summary_of(
                &name,
                cfg.as_deref(),
                state.as_ref(),
                &versions,
                now_millis(),
            );
            summary.endpoints = endpoint_counts(s, &name)?;
            Ok(WatchDetail {
                summary,
                schedule: cfg.as_ref().map(|c| c.schedule_text.clone()),
                source: versions.last().map(|v| v.source.clone()),
                configured: cfg.is_some(),
                sunsets: state.map(|s| s.sunsets).unwrap_or_default(),
            })
        })
        .await
    }

    /// A watch's versions, newest first, with their headlines.
    pub async fn versions(&self, name: &str) -> Result<Vec<VersionRow>, OpError> {
        let name = name.to_string();
        self.blocking(move |s| {
            let mut v = s.versions(&name)?;
            if v.is_empty() && s.watch_state(&name)?.is_none() {
                return Err(not_found(&name));
            }
            v.reverse();
            Ok(v.into_iter().map(version_row).collect())
        })
        .await
    }

    /// The last `limit` polls of a watch, newest first.
    pub async fn polls(
        &self,
        name: &str,
        limit: usize,
    ) -> Result<Vec<crate::store::PollRecord>, OpError> {
        let name = name.to_string();
        self.blocking(move |s| Ok(s.poll_log(&name, limit)?)).await
    }

    /// The raw stored bytes of a version.
    pub async fn raw(&self, name: &str, number: u64) -> Result<(VersionMeta, Vec<u8>), OpError> {
        let name = name.to_string();
        self.blocking(move |s| {
            let meta = s
                .version_meta(&name, number)?
                .ok_or_else(|| no_version(&name, number))?;
            Ok((meta, ops::show(s, &name, Some(number))?))
        })
        .await
    }

    /// The diff between two versions: the stored change list when they are adjacent,
    /// otherwise diffed now from the stored bytes.
    pub async fn diff(&self, name: &str, from: u64, to: u64) -> Result<Report, OpError> {
        let name = name.to_string();
        self.blocking(move |s| {
            if to == from + 1
                && let Some(json) = s.version_changes(&name, to)?
                && let Ok(report) = serde_json::from_slice::<Report>(&json)
            {
                // Versions stored before root causes were grouped have no `groups`.
                if report.groups.is_empty() && !report.changes.is_empty() {
                    return Ok(Report::from_changes(report.changes));
                }
                return Ok(report);
            }
            let base = s
                .version_bytes(&name, from)?
                .ok_or_else(|| no_version(&name, from))?;
            let rev = s
                .version_bytes(&name, to)?
                .ok_or_else(|| no_version(&name, to))?;
            crate::diff::diff_bytes(&base, &rev, &crate::spec::load::LoadOptions::default())
                .map_err(|e| OpError::NotFound(format!("cannot diff v{from} and v{to}: {e}")))
        })
        .await
    }

    /// Alert history, newest first.
    pub async fn alerts(&self, q: AlertQuery) -> Result<Vec<AlertHistory>, OpError> {
        self.blocking(move |s| Ok(s.alert_history(&q)?)).await
    }

    /// Pending deliveries per sink.
    pub async fn queue_depths(&self) -> Result<Vec<(String, usize)>, OpError> {
        self.blocking(|s| {
            let mut out = Vec::new();
            for sink in s.queued_sinks()? {
                let n = s.queue_head(&sink, 100_000)?.len();
                out.push((sink, n));
            }
            Ok(out)
        })
        .await
    }

    /// The daemon, its store, plugins and sinks.
    pub fn system(&self) -> SystemView {
        let plugins = self
            .inner
            .plugins
            .as_ref()
            .map(|p| {
                p.list()
                    .into_iter()
                    .map(|s| PluginView {
                        name: s.name,
                        version: s.loaded.as_ref().map(|i| i.version.clone()),
                        wit: s.loaded.as_ref().map(|i| i.wit_version.clone()),
                        sinks: s.sinks,
                        error: s.error,
                    })
                    .collect()
            })
            .unwrap_or_default();
        SystemView {
            status: self.daemon_status(),
            store_path: self.store().path().display().to_string(),
            store_size: dir_size(self.store().path()),
            plugins,
            sinks: self
                .inner
                .sinks
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
            build: BuildInfo::current(),
            sink_tests: self
                .inner
                .sink_tests
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
        }
    }

    /// Polls a watch now and returns the committed outcome.
    pub async fn poll_now(&self, name: &str) -> Result<PollOutcome, OpError> {
        let cfg = self.watch_config(name).ok_or_else(|| {
            OpError::NotFound(format!(
                "watch {name:?} is not in the running configuration"
            ))
        })?;
        // On-demand polls share the scheduler's caps: a burst of `specwatch poll` (or API
        // calls) must not fetch, and buffer, every spec at once.
        let host = crate::fetch::Source::parse(cfg.url.expose(), &cfg.base_dir)
            .ok()
            .and_then(|s| s.host());
        let _permit = self.inner.limits.acquire(host.as_deref()).await;
        let span = info_span!("watch", watch = %cfg.name);
        let report = crate::scheduler::runner::run_poll(&self.inner.pipeline, &cfg)
            .instrument(span)
            .await
            .map_err(|e| OpError::NotFound(e.to_string()))?;
        self.invalidate();
        Ok(report.outcome)
    }

    /// Pauses a watch; false if it already was.
    pub async fn pause(&self, name: &str) -> Result<bool, OpError> {
        let cfg = self.watch_config(name).ok_or_else(|| not_found(name))?;
        let n = name.to_string();
        let lock = self.inner.pipeline.lock_for(name);
        let _poll = lock.lock().await;
        let paused = self
            .blocking(move |s| ops::pause(s, &n, &cfg.fingerprint, now_millis()))
            .await?;
        if paused {
            info!(watch = %name, "paused by command");
        }
        self.invalidate();
        Ok(paused)
    }

    /// Resumes a paused watch and has it poll within a second; false if it was not paused.
    pub async fn resume(&self, name: &str) -> Result<bool, OpError> {
        let n = name.to_string();
        let lock = self.inner.pipeline.lock_for(name);
        let resumed = {
            let _poll = lock.lock().await;
            self.blocking(move |s| ops::resume(s, &n)).await?
        };
        if resumed {
            info!(watch = %name, "resumed by command");
            let _ = self.inner.poll_soon.send(name.to_string());
        }
        self.invalidate();
        Ok(resumed)
    }

    /// Cancels the pending deliveries of one alert; returns how many.
    pub async fn cancel(&self, alert: u64) -> Result<usize, OpError> {
        let n = self.blocking(move |s| ops::cancel(s, alert)).await?;
        info!(
            alert,
            deliveries = n,
            "pending deliveries cancelled by command"
        );
        Ok(n)
    }

    /// Acknowledges one alert: the incidents it opened resolve (the seam for the web
    /// API's ack, too); returns on how many routes.
    pub async fn ack(&self, alert: u64) -> Result<usize, OpError> {
        let engine = self.inner.alerts.clone();
        let r =
            tokio::task::spawn_blocking(move || engine.acknowledge(alert, "`specwatch alert ack`"))
                .await
                .map_err(|e| OpError::NotFound(format!("acknowledging failed: {e}")))?;
        let n = r.map_err(|e| match e {
            crate::alerts::runner::AckError::Store(s) => OpError::Store(s),
            other => OpError::NotFound(other.to_string()),
        })?;
        info!(alert, routes = n, "alert acknowledged by command");
        Ok(n)
    }

    /// Sends a test alert to a running sink now (outside the outbox) and reports how
    /// the receiver answered.
    pub async fn test_sink(
        &self,
        sink: &str,
    ) -> Result<crate::alerts::test_alert::TestOutcome, OpError> {
        let outcome = self.inner.alerts.test_sink(sink).await.ok_or_else(|| {
            OpError::NotFound(format!(
                "no sink named {sink:?} runs; /api/v1/system lists the configured sinks"
            ))
        })?;
        info!(
            sink,
            ok = outcome.ok,
            result = outcome.result,
            "test alert sent by command"
        );
        self.inner
            .sink_tests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(sink.to_string(), outcome.clone());
        Ok(outcome)
    }

    /// Silences in force or scheduled, and those that ended: the config's first, then
    /// those added at run time, newest first.
    pub async fn silences(&self) -> Result<Vec<SilenceView>, OpError> {
        let now = now_millis();
        let mut out: Vec<SilenceView> = self
            .inner
            .alerts
            .configured_silences()
            .iter()
            .map(|s| SilenceView::configured(s, now))
            .collect();
        let stored = self.blocking(|s| Ok(s.silences()?)).await?;
        out.extend(stored.iter().map(|r| SilenceView::stored(r, now)));
        Ok(out)
    }

    /// Adds a silence (checked, stored durably); routing applies it from the next pass.
    pub async fn add_silence(
        &self,
        req: crate::alerts::silences::SilenceRequest,
    ) -> Result<SilenceView, OpError> {
        let now = now_millis();
        let rec = req.into_record(now).map_err(OpError::Invalid)?;
        let rec = self.blocking(move |s| Ok(s.add_silence(rec)?)).await?;
        info!(silence = rec.id, comment = %rec.comment, "silence added by command");
        Ok(SilenceView::stored(&rec, now))
    }

    /// Ends a run-time silence now.
    pub async fn expire_silence(&self, id: u64) -> Result<SilenceView, OpError> {
        let now = now_millis();
        let rec = self
            .blocking(move |s| Ok(s.expire_silence(id, now)?))
            .await?
            .ok_or_else(|| {
                OpError::NotFound(format!(
                    "no silence {id} added at run time (config silences end by editing the file)"
                ))
            })?;
        info!(silence = id, "silence expired by command");
        // Alerts held while it was in force are not replayed; the next ones route normally.
        self.inner.alerts.wake_deliveries();
        Ok(SilenceView::stored(&rec, now))
    }

    /// A watch's endpoint health with `hours` hourly points of the whole watch, and
    /// with `charts` the page's other series too (7 days hourly, the last hour per minute).
    pub async fn health(
        &self,
        name: &str,
        hours: i64,
        charts: bool,
    ) -> Result<HealthView, OpError> {
        use crate::health::query as hq;
        let cfg = self.watch_config(name);
        let name = name.to_string();
        self.blocking(move |s| {
            if cfg.is_none() && s.watch_state(&name)?.is_none() {
                return Err(not_found(&name));
            }
            let now = now_millis();
            let (series_7d, series_1h) = if charts {
                (
                    hq::hourly_series(s, &name, None, 24 * 7, now)?,
                    hq::minute_series(s, &name, 60, now)?,
                )
            } else {
                Default::default()
            };
            Ok(HealthView {
                enabled: cfg.as_ref().is_some_and(|c| c.health.enabled),
                health: hq::watch_health(s, &name, now)?,
                series: hq::hourly_series(s, &name, None, hours, now)?,
                series_7d,
                series_1h,
            })
        })
        .await
    }

    /// The prober's per-endpoint counters since start.
    pub fn health_counters(&self) -> Vec<crate::health::metrics::EndpointMetrics> {
        self.inner.health.snapshot()
    }

    /// The plugin host, when `[plugins]` is configured.
    pub fn plugins(&self) -> Option<&Plugins> {
        self.inner.plugins.as_ref()
    }

    /// Queues failed deliveries again (of one alert, or all); returns how many.
    pub async fn redrive(&self, target: Option<u64>) -> Result<usize, OpError> {
        let n = self.blocking(move |s| ops::redrive(s, target)).await?;
        info!(deliveries = n, "failed deliveries queued again by command");
        self.inner.alerts.wake_deliveries();
        Ok(n)
    }
}

fn not_found(name: &str) -> OpError {
    OpError::NotFound(format!("no watch named {name:?}"))
}

fn no_version(name: &str, n: u64) -> OpError {
    OpError::NotFound(format!("watch {name:?} has no version {n}"))
}

fn summarize(s: &Store, cfg: &WatchConfig, now: i64) -> Result<WatchSummary, OpError> {
    let state = s.watch_state(&cfg.name)?;
    let versions = s.versions(&cfg.name)?;
    let mut summary = summary_of(&cfg.name, Some(cfg), state.as_ref(), &versions, now);
    summary.endpoints = endpoint_counts(s, &cfg.name)?;
    Ok(summary)
}

/// Endpoint counts by state, None when the watch has no probed endpoints.
fn endpoint_counts(
    s: &Store,
    name: &str,
) -> Result<Option<crate::health::query::StateCounts>, OpError> {
    let c = crate::health::query::counts(s, name)?;
    Ok((c.total() > 0).then_some(c))
}

fn summary_of(
    name: &str,
    cfg: Option<&WatchConfig>,
    state: Option<&crate::store::WatchState>,
    versions: &[VersionMeta],
    now: i64,
) -> WatchSummary {
    let last = versions.last();
    let counts = last.and_then(|v| v.change_counts);
    let last_level = counts.and_then(|c| {
        if c.breaking > 0 {
            Some("breaking")
        } else if c.warning > 0 {
            Some("warning")
        } else if c.info > 0 {
            Some("info")
        } else {
            None
        }
    });
    let (st, problem) = match state {
        None => ("new", None),
        Some(st) => match &st.status {
            WatchStatus::Paused { reason, .. } => ("paused", Some(reason.clone())),
            WatchStatus::Active if st.consecutive_failures > 0 => (
                "failing",
                Some(format!(
                    "{} consecutive failed polls",
                    st.consecutive_failures
                )),
            ),
            WatchStatus::Active
                if last.is_some_and(|v| now - v.fetched_at < CHANGED_FOR_MS && v.number > 1) =>
            {
                ("changed", None)
            }
            WatchStatus::Active => ("ok", None),
        },
    };
    WatchSummary {
        name: name.to_string(),
        provider: cfg.and_then(|c| c.provider.clone()),
        product: cfg.and_then(|c| c.product.clone()),
        labels: cfg.map(|c| c.labels.clone()).unwrap_or_default(),
        state: st,
        latest_version: last.map_or(0, |v| v.number),
        latest_at: last.map(|v| v.fetched_at),
        last_level,
        last_counts: counts,
        last_poll_at: state.and_then(|s| s.last_poll_at),
        problem,
        version_times: versions.iter().map(|v| v.fetched_at).collect(),
        endpoints: None,
    }
}

/// "2 breaking, 1 warning" (or "first version" / "no changes").
pub fn headline(meta: &VersionMeta) -> String {
    match meta.change_counts {
        None if meta.number == 1 => "first version".into(),
        None => "not diffed".into(),
        Some(c) => {
            let parts: Vec<String> = [
                (c.breaking, "breaking"),
                (c.warning, "warning"),
                (c.info, "info"),
            ]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, l)| format!("{n} {l}"))
            .collect();
            if parts.is_empty() {
                "no API changes".into()
            } else {
                parts.join(", ")
            }
        }
    }
}

fn version_row(meta: VersionMeta) -> VersionRow {
    VersionRow {
        headline: headline(&meta),
        meta,
    }
}

/// Total bytes of the regular files in the store's directory (`db` is its database file).
fn dir_size(db: &std::path::Path) -> u64 {
    let dir = db.parent().unwrap_or(db);
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}
