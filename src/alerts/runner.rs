//! The running alert machinery: a router task (routing passes, on new alerts and when
//! a group window closes or a repeat is due), one dispatcher worker per sink, and a
//! retention sweep. Everything it works from is in the store, so a restart resumes.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;
use tracing::warn;

use crate::alerts::dispatch::{self, SinkMap, sleep_or};
use crate::alerts::route;
use crate::clock::now_millis;
use crate::config::alerts::{Alerting, AlertsConfig};
use crate::sinks::SharedSink;
use crate::store::{CancelTarget, Store};

/// Longest sleep of the router between passes (it also wakes on new alerts).
const ROUTER_IDLE: Duration = Duration::from_secs(30);
/// How often old history is pruned.
const RETENTION_EVERY: Duration = Duration::from_secs(3600);

/// Handle to the alert tasks.
pub struct AlertEngine {
    store: Arc<Store>,
    config: Arc<RwLock<Alerting>>,
    alerts_cfg: Arc<RwLock<AlertsConfig>>,
    sinks: SinkMap,
    deliveries_queued: Arc<Notify>,
    workers: Mutex<HashMap<String, JoinHandle<()>>>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
    shutdown: watch::Receiver<bool>,
}

impl AlertEngine {
    /// Starts routing and delivery. `alerts_queued` is notified by whoever commits alerts.
    pub fn start(
        store: Arc<Store>,
        alerting: Alerting,
        sinks: HashMap<String, SharedSink>,
        alerts_queued: Arc<Notify>,
        shutdown: watch::Receiver<bool>,
    ) -> Arc<AlertEngine> {
        let engine = Arc::new(AlertEngine {
            store,
            alerts_cfg: Arc::new(RwLock::new(alerting.alerts.clone())),
            config: Arc::new(RwLock::new(alerting)),
            sinks: Arc::new(RwLock::new(sinks)),
            deliveries_queued: Arc::default(),
            workers: Mutex::default(),
            tasks: Mutex::default(),
            shutdown,
        });
        engine.cancel_removed_sinks();
        let router = tokio::spawn(router_loop(engine.clone(), alerts_queued));
        let retention = tokio::spawn(retention_loop(engine.clone()));
        engine
            .tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend([router, retention]);
        engine.ensure_workers();
        engine
    }

    /// Applies a reloaded config: new routes, silences and sinks take effect at once;
    /// queued deliveries keep waiting for their sink by name.
    pub fn reload(&self, alerting: Alerting, sinks: HashMap<String, SharedSink>) {
        *self.alerts_cfg.write().unwrap_or_else(|p| p.into_inner()) = alerting.alerts.clone();
        *self.config.write().unwrap_or_else(|p| p.into_inner()) = alerting;
        *self.sinks.write().unwrap_or_else(|p| p.into_inner()) = sinks;
        self.cancel_removed_sinks();
        self.ensure_workers();
        self.deliveries_queued.notify_waiters();
    }

    /// Cancels the pending deliveries of sinks no longer in the config: they could never
    /// be sent, and would otherwise wait (and be retried) forever.
    fn cancel_removed_sinks(&self) {
        let configured: HashSet<String> = self
            .config
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .sinks
            .iter()
            .map(|s| s.name.clone())
            .collect();
        let queued = match self.store.queued_sinks() {
            Ok(q) => q,
            Err(e) => {
                warn!(error = %e, "cannot list queued deliveries");
                return;
            }
        };
        for sink in queued.into_iter().filter(|s| !configured.contains(s)) {
            let target = CancelTarget::Sink(sink.clone());
            match self
                .store
                .cancel(&target, "cancelled: sink removed", now_millis())
            {
                Ok(n) => tracing::info!(
                    sink = %sink,
                    deliveries = n,
                    "sink removed from the config: its pending deliveries are cancelled"
                ),
                Err(e) => {
                    warn!(sink = %sink, error = %e, "cannot cancel the deliveries of a removed sink")
                }
            }
        }
    }

    /// Acknowledges alert `id` with the running config: its open incidents resolve.
    pub fn acknowledge(&self, id: u64, how: &str) -> Result<usize, AckError> {
        let cfg = self
            .config
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let n = acknowledge(&self.store, &cfg, id, how)?;
        self.wake_deliveries();
        Ok(n)
    }

    /// Wakes every sink worker (after a redrive, say).
    pub fn wake_deliveries(&self) {
        self.ensure_workers();
        self.deliveries_queued.notify_waiters();
    }

    /// The `[[silence]]` entries of the running config.
    pub fn configured_silences(&self) -> Vec<crate::config::alerts::SilenceConfig> {
        self.config
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .silences
            .clone()
    }

    /// Sends a test alert to the running sink `name` now, outside the outbox; None when
    /// no such sink runs.
    pub async fn test_sink(&self, name: &str) -> Option<crate::alerts::test_alert::TestOutcome> {
        let sink = self
            .sinks
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(name)
            .cloned()?;
        let public_url = self
            .alerts_cfg
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .public_url
            .clone();
        Some(
            crate::alerts::test_alert::send(
                &sink,
                name,
                "the status page / API",
                public_url.as_deref(),
                now_millis(),
            )
            .await,
        )
    }

    /// Stops every task (deliveries in flight are dropped and retried on the next start).
    pub fn abort(&self) {
        for t in self
            .tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain(..)
        {
            t.abort();
        }
        for (_, t) in self
            .workers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain()
        {
            t.abort();
        }
    }

    /// One worker per configured sink and per sink with queued deliveries.
    fn ensure_workers(&self) {
        let mut names: HashSet<String> = self
            .sinks
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .keys()
            .cloned()
            .collect();
        match self.store.queued_sinks() {
            Ok(q) => names.extend(q),
            Err(e) => warn!(error = %e, "cannot list queued deliveries"),
        }
        let mut workers = self.workers.lock().unwrap_or_else(|p| p.into_inner());
        workers.retain(|_, t| !t.is_finished());
        for name in names {
            workers.entry(name.clone()).or_insert_with(|| {
                tokio::spawn(dispatch::run_sink(
                    self.store.clone(),
                    name,
                    self.sinks.clone(),
                    self.config.clone(),
                    self.alerts_cfg.clone(),
                    self.deliveries_queued.clone(),
                    self.shutdown.clone(),
                ))
            });
        }
    }

    /// One routing pass; returns when the next one is due.
    fn route_once(&self) -> Option<i64> {
        let mut cfg = self
            .config
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let (new, firing) = match (self.store.new_alerts(), self.store.firing()) {
            (Ok(n), Ok(f)) => (n, f),
            (Err(e), _) | (_, Err(e)) => {
                warn!(error = %e, "cannot read alerts to route; retrying");
                return Some(now_millis() + 5_000);
            }
        };
        if new.is_empty() && firing.is_empty() {
            return None;
        }
        // Silences added through the API live in the store, beside the config's.
        match self.store.silences() {
            Ok(list) => cfg
                .silences
                .extend(list.iter().filter_map(crate::alerts::silences::to_config)),
            Err(e) => {
                warn!(error = %e, "cannot read the stored silences; routing with the config's")
            }
        }
        let store = &self.store;
        let lookup = |id: u64| store.alert(id).ok().flatten();
        let now = now_millis();
        let versions = StoreVersions(store);
        let pass = route::plan(&cfg, &new, &firing, &lookup, &versions, now);
        let created = !pass.batch.notifications.is_empty();
        if let Err(e) = self.store.apply_routing(pass.batch, now) {
            warn!(error = %e, "cannot commit routed alerts; retrying");
            return Some(now + 5_000);
        }
        if created {
            self.ensure_workers();
            self.deliveries_queued.notify_waiters();
        }
        pass.next_due
    }
}

/// The store's versions, for revert detection.
struct StoreVersions<'a>(&'a Store);

impl route::Versions for StoreVersions<'_> {
    fn same_api(&self, watch: &str, a: u64, b: u64) -> bool {
        let hash = |n| {
            self.0
                .version_meta(watch, n)
                .ok()
                .flatten()
                .map(|m| m.semantic_hash)
        };
        matches!((hash(a), hash(b)), (Some(x), Some(y)) if x == y)
    }
}

/// Why an acknowledgement did nothing.
#[derive(Debug, thiserror::Error)]
pub enum AckError {
    /// No alert with this id.
    #[error("no alert {0}; `specwatch alerts` lists them")]
    NoAlert(u64),
    /// The alert opened no incident that is still open.
    #[error(
        "alert {0} has no open incident (only breaking_change, poll_failing and endpoint_down open one, until acknowledged, reverted or recovered)"
    )]
    NotOpen(u64),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Resolves the incidents alert `id` opened (`specwatch alert ack ID`): each route it
/// went to gets the resolution (where `send_resolved`); returns how many routes.
pub fn acknowledge(store: &Store, cfg: &Alerting, id: u64, how: &str) -> Result<usize, AckError> {
    let a = store.alert(id)?.ok_or(AckError::NoAlert(id))?;
    let firing = store.firing()?;
    let now = now_millis();
    let batch = route::acknowledge(cfg, &a, &firing, how, now).ok_or(AckError::NotOpen(id))?;
    let n = batch
        .firing
        .iter()
        .filter(|c| matches!(c, crate::store::FiringChange::Remove { .. }))
        .count();
    store.apply_routing(batch, now)?;
    Ok(n)
}

async fn router_loop(engine: Arc<AlertEngine>, alerts_queued: Arc<Notify>) {
    let mut shutdown = engine.shutdown.clone();
    loop {
        if *shutdown.borrow() {
            return;
        }
        let e = engine.clone();
        let next = match tokio::task::spawn_blocking(move || e.route_once()).await {
            Ok(n) => n,
            Err(_) => return,
        };
        let wait = next.map_or(ROUTER_IDLE, |t| {
            Duration::from_millis(u64::try_from(t - now_millis()).unwrap_or(0)).min(ROUTER_IDLE)
        });
        sleep_or(&alerts_queued, &mut shutdown, wait).await;
    }
}

async fn retention_loop(engine: Arc<AlertEngine>) {
    let mut shutdown = engine.shutdown.clone();
    let never = Notify::new();
    loop {
        let keep = engine
            .alerts_cfg
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .retention;
        let before = now_millis() - i64::try_from(keep.as_millis()).unwrap_or(i64::MAX);
        let store = engine.store.clone();
        match tokio::task::spawn_blocking(move || store.prune_alerts(before)).await {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!(alerts = n, "pruned alert history past its retention"),
            Ok(Err(e)) => warn!(error = %e, "cannot prune alert history"),
            Err(_) => return,
        }
        sleep_or(&never, &mut shutdown, RETENTION_EVERY).await;
        if *shutdown.borrow() {
            return;
        }
    }
}
