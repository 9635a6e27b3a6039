//! The probe scheduler: one task owns every endpoint's state and next due time; probes
//! run as their own tasks under a global and a per-host cap, over the shared keep-alive
//! client; their results are committed in batches — probe, state change and the events
//! it raised in one store transaction.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;
use tokio::sync::{Notify, mpsc, watch};
use tracing::{debug, info, warn};
use url::Url;

use super::cert;
use super::endpoints::{self, Endpoint};
use super::metrics::Metrics;
use super::rollup::Bucket;
use super::state::{self, Transition};
use crate::alerts::events;
use crate::clock::now_millis;
use crate::config::{HealthConfig, WatchConfig};
use crate::fetch::{FailureKind, Fetcher, ProbeRequest, build_headers, header_secrets};
use crate::notification::WatchRef;
use crate::schedule::phase;
use crate::scheduler::limits::Limits;
use crate::store::{
    CertRecord, EndpointRecord, ErrorClass, HealthBatch, NewAlert, ProbeSample, Store, hour_of,
};

/// How often the prober looks for new spec versions and config changes.
const REFRESH: Duration = Duration::from_secs(1);
/// Results committed per transaction at most.
const BATCH: usize = 4096;
/// Results wait at most this long to be committed together: one fsync for many probes
/// instead of one each.
const FLUSH: Duration = Duration::from_millis(200);
/// How often a host's certificate is read again.
const CERT_EVERY_MS: i64 = 3_600_000;
/// How often retention runs.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// Sleeps until `at` (never called without one).
async fn sleep_until(at: Option<tokio::time::Instant>) {
    if let Some(at) = at {
        tokio::time::sleep_until(at).await;
    }
}

/// Settings shared by every endpoint of one watch.
struct WatchCtx {
    name: String,
    watch_ref: WatchRef,
    cfg: HealthConfig,
    headers: HeaderMap,
    secrets: Vec<String>,
}

/// One endpoint being probed.
struct Target {
    watch: Arc<WatchCtx>,
    operation: String,
    method: String,
    url: Url,
    /// `host:port`, the per-host cap's key.
    host: String,
    body: Option<(String, String)>,
    record: EndpointRecord,
    bucket: Option<(i64, Bucket)>,
    due: i64,
    in_flight: bool,
}

/// What one probe task reports.
struct Outcome {
    id: u64,
    sample: ProbeSample,
    error: Option<String>,
    certificate: Option<Vec<u8>>,
}

/// The running prober; dropping it does not stop it (use the shutdown channel).
pub struct ProberHandle {
    config: watch::Sender<Arc<Vec<WatchConfig>>>,
    metrics: Metrics,
    task: tokio::task::JoinHandle<()>,
}

impl ProberHandle {
    /// Applies a reloaded config (new watches, changed `[watch.health]`).
    pub fn reload(&self, watches: &[WatchConfig]) {
        let _ = self.config.send(Arc::new(watches.to_vec()));
    }

    /// Per-endpoint counters since start, for `/metrics`.
    pub fn metrics(&self) -> Vec<super::metrics::EndpointMetrics> {
        self.metrics.snapshot()
    }

    /// The live counters themselves (the web module reads them at scrape time).
    pub fn counters(&self) -> Metrics {
        self.metrics.clone()
    }

    /// Waits for the prober to stop after shutdown was signalled.
    pub async fn join(self) {
        let _ = self.task.await;
    }
}

/// Starts probing the watches with `[watch.health] enabled = true`.
pub fn start(
    store: Arc<Store>,
    fetcher: Fetcher,
    watches: &[WatchConfig],
    alerts_queued: Arc<Notify>,
    shutdown: watch::Receiver<bool>,
) -> ProberHandle {
    let (tx, rx) = watch::channel(Arc::new(watches.to_vec()));
    let prober = Prober::new(store, fetcher, watches, alerts_queued);
    let metrics = prober.metrics.clone();
    let task = tokio::spawn(prober.run(rx, shutdown));
    ProberHandle {
        config: tx,
        metrics,
        task,
    }
}

/// Store-wide settings come from `[defaults.health]`, which every watch inherits.
fn store_wide(watches: &[WatchConfig]) -> HealthConfig {
    watches
        .first()
        .map(|w| w.health.clone())
        .unwrap_or_default()
}

struct Prober {
    store: Arc<Store>,
    fetcher: Fetcher,
    limits: Limits,
    alerts_queued: Arc<Notify>,
    targets: HashMap<u64, Target>,
    heap: BinaryHeap<Reverse<(i64, u64)>>,
    /// Per watch: the spec version and settings the targets were built from.
    synced: HashMap<String, (u64, HealthConfig)>,
    certs: HashMap<(String, String), CertRecord>,
    cert_checked: HashMap<(String, String), i64>,
    results_tx: mpsc::UnboundedSender<Outcome>,
    results_rx: mpsc::UnboundedReceiver<Outcome>,
    resync: bool,
    metrics: Metrics,
}

impl Prober {
    fn new(
        store: Arc<Store>,
        fetcher: Fetcher,
        watches: &[WatchConfig],
        alerts_queued: Arc<Notify>,
    ) -> Prober {
        let wide = store_wide(watches);
        let (results_tx, results_rx) = mpsc::unbounded_channel();
        Prober {
            store,
            fetcher,
            limits: Limits::new(wide.max_concurrent, wide.max_per_host),
            alerts_queued,
            targets: HashMap::new(),
            heap: BinaryHeap::new(),
            synced: HashMap::new(),
            certs: HashMap::new(),
            cert_checked: HashMap::new(),
            results_tx,
            results_rx,
            resync: false,
            metrics: Metrics::default(),
        }
    }

    async fn run(
        mut self,
        mut config: watch::Receiver<Arc<Vec<WatchConfig>>>,
        mut shutdown: watch::Receiver<bool>,
    ) {
        let mut watches = config.borrow_and_update().clone();
        let mut refresh = tokio::time::interval(REFRESH);
        refresh.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut prune = tokio::time::interval(PRUNE_EVERY);
        prune.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut buf = Vec::with_capacity(BATCH);
        let mut pending: Vec<Outcome> = Vec::new();
        let mut flush_at: Option<tokio::time::Instant> = None;
        loop {
            let next_due = self.heap.peek().map(|Reverse((t, _))| *t);
            let sleep = next_due.map_or(REFRESH, |t| {
                Duration::from_millis(u64::try_from(t - now_millis()).unwrap_or(0))
            });
            tokio::select! {
                _ = shutdown.changed() => break,
                _ = tokio::time::sleep(sleep) => self.dispatch(),
                n = self.results_rx.recv_many(&mut buf, BATCH) => {
                    if n == 0 { break }
                    pending.append(&mut buf);
                    flush_at.get_or_insert_with(|| tokio::time::Instant::now() + FLUSH);
                    if pending.len() >= BATCH {
                        flush_at = None;
                        self.commit(std::mem::take(&mut pending)).await;
                    }
                }
                _ = sleep_until(flush_at), if flush_at.is_some() => {
                    flush_at = None;
                    self.commit(std::mem::take(&mut pending)).await;
                }
                _ = refresh.tick() => self.refresh(&watches).await,
                Ok(()) = config.changed() => {
                    watches = config.borrow_and_update().clone();
                    self.refresh(&watches).await;
                }
                _ = prune.tick() => self.prune(&watches),
            }
        }
        // Probes that finished before shutdown are recorded; those still running are not.
        self.commit(pending).await;
    }

    /// Starts every probe that is due.
    fn dispatch(&mut self) {
        let now = now_millis();
        while let Some(&Reverse((due, id))) = self.heap.peek() {
            if due > now {
                break;
            }
            self.heap.pop();
            let Some(t) = self.targets.get_mut(&id) else {
                continue;
            };
            if t.due != due {
                continue; // rescheduled since
            }
            let schedule = &t.watch.cfg.schedule;
            let offset = phase(&format!("{}/{}", t.watch.name, t.operation), schedule);
            let next = schedule
                .next_fire(
                    chrono::DateTime::from_timestamp_millis(now).unwrap_or_default(),
                    offset,
                )
                .map_or(now + 60_000, |d| d.timestamp_millis());
            t.due = next;
            self.heap.push(Reverse((next, id)));
            if t.in_flight {
                continue; // the previous probe is still waiting for its timeout
            }
            t.in_flight = true;
            let cert_key = (t.watch.name.clone(), t.host.clone());
            let want_certificate = t.url.scheme() == "https"
                && self
                    .cert_checked
                    .get(&cert_key)
                    .is_none_or(|&at| now - at >= CERT_EVERY_MS);
            if want_certificate {
                self.cert_checked.insert(cert_key, now);
            }
            let job = Job {
                id,
                watch: t.watch.clone(),
                method: t.method.clone(),
                url: t.url.clone(),
                host: t.host.clone(),
                body: t.body.clone(),
                want_certificate,
            };
            let (fetcher, limits, tx) = (
                self.fetcher.clone(),
                self.limits.clone(),
                self.results_tx.clone(),
            );
            tokio::spawn(async move {
                let outcome = job.run(&fetcher, &limits).await;
                let _ = tx.send(outcome);
            });
        }
    }

    /// Applies a batch of results and commits it in one transaction.
    async fn commit(&mut self, outcomes: Vec<Outcome>) {
        if outcomes.is_empty() {
            return;
        }
        let now = now_millis();
        let mut batch = HealthBatch::default();
        for o in outcomes {
            let Some(t) = self.targets.get_mut(&o.id) else {
                continue; // the endpoint left the spec while its probe ran
            };
            t.in_flight = false;
            let cfg = &t.watch.cfg;
            let transition = state::apply(&mut t.record, &o.sample, o.error.clone(), cfg);
            let hour = hour_of(o.sample.at);
            let bucket = match &mut t.bucket {
                Some((h, b)) if *h == hour => b,
                slot => {
                    // After a restart the hour may already have a stored bucket.
                    let stored = match slot {
                        None => self
                            .store
                            .health_hour(t.record.id, hour)
                            .ok()
                            .flatten()
                            .and_then(|b| Bucket::decode(&b)),
                        Some(_) => None,
                    };
                    &mut slot.insert((hour, stored.unwrap_or_default())).1
                }
            };
            let slow = u128::from(o.sample.latency_us) > cfg.degraded_latency.as_micros();
            bucket.add(&o.sample, slow);
            batch.hours.push((t.record.id, hour, bucket.encode()));
            batch.raw.push((t.record.id, hour, o.sample.pack()));
            let (w, op) = (&t.watch.name, &t.operation);
            let event = match transition {
                Some(Transition::Down) => Some(events::health::down(
                    w,
                    op,
                    t.record.consecutive_failures,
                    o.error.as_deref().unwrap_or("unhealthy"),
                    now,
                )),
                Some(Transition::Recovered { down_since }) => {
                    Some(events::health::recovered(w, op, down_since, now))
                }
                None => None,
            };
            if let Some(e) = event {
                info!(watch = %w, operation = %op, event = e.kind.as_str(), "{}", e.summary);
                batch.alerts.push(NewAlert {
                    watch: t.watch.watch_ref.clone(),
                    event: e,
                });
            }
            if let Some(not_after) = o.certificate.as_deref().and_then(cert::not_after) {
                let key = (w.clone(), t.host.clone());
                let warning =
                    i64::try_from(cfg.cert_expiry_warning.as_millis()).unwrap_or(i64::MAX);
                let (rec, event) =
                    cert::check(w, &t.host, self.certs.get(&key), not_after, warning, now);
                if let Some(e) = event {
                    info!(watch = %w, host = %t.host, "{}", e.summary);
                    batch.alerts.push(NewAlert {
                        watch: t.watch.watch_ref.clone(),
                        event: e,
                    });
                }
                batch
                    .certs
                    .push((key.0.clone(), key.1.clone(), rec.clone()));
                self.certs.insert(key, rec);
            }
            self.metrics
                .record(t.record.id, w, op, &o.sample, t.record.state);
            batch
                .endpoints
                .push((w.clone(), op.clone(), t.record.clone()));
        }
        let raised = !batch.alerts.is_empty();
        let store = self.store.clone();
        let result = tokio::task::spawn_blocking(move || store.commit_health(&batch, now)).await;
        match result {
            Ok(Ok(())) => {
                if raised {
                    self.alerts_queued.notify_one();
                }
            }
            Ok(Err(e)) => {
                warn!(
                    "could not record endpoint probes: {e}; reloading endpoint state from the store"
                );
                self.resync = true;
            }
            Err(e) => {
                warn!("recording endpoint probes failed: {e}");
                self.resync = true;
            }
        }
    }

    /// Rebuilds the targets of watches whose latest version or health settings changed.
    async fn refresh(&mut self, watches: &[WatchConfig]) {
        if std::mem::take(&mut self.resync) {
            self.synced.clear();
            self.targets.clear();
            self.heap.clear();
        }
        let wanted: HashSet<&str> = watches
            .iter()
            .filter(|w| w.enabled && w.health.enabled)
            .map(|w| w.name.as_str())
            .collect();
        let gone: Vec<String> = self
            .synced
            .keys()
            .filter(|n| !wanted.contains(n.as_str()))
            .cloned()
            .collect();
        for name in gone {
            self.synced.remove(&name);
            self.targets.retain(|_, t| t.watch.name != name);
            let targets = &self.targets;
            self.metrics.retain(|id| targets.contains_key(&id));
            let store = self.store.clone();
            let n = name.clone();
            let _ =
                tokio::task::spawn_blocking(move || store.sync_endpoints(&n, &[], now_millis()))
                    .await;
            info!(watch = %name, "endpoint probes stopped");
        }
        for w in watches.iter().filter(|w| wanted.contains(w.name.as_str())) {
            if let Err(e) = self.refresh_watch(w).await {
                warn!(watch = %w.name, "endpoint probes not updated: {e}");
            }
        }
    }

    async fn refresh_watch(&mut self, w: &WatchConfig) -> Result<(), String> {
        let store = self.store.clone();
        let name = w.name.clone();
        let version = tokio::task::spawn_blocking(move || store.watch_state(&name))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?
            .map_or(0, |s| s.latest_version);
        if self
            .synced
            .get(&w.name)
            .is_some_and(|(v, c)| *v == version && *c == w.health)
        {
            return Ok(());
        }
        // Recorded first, so a spec that yields nothing is not re-read every second.
        self.synced
            .insert(w.name.clone(), (version, w.health.clone()));
        let found = if version == 0 {
            debug!(watch = %w.name, "no stored version yet; no endpoints to probe");
            Vec::new()
        } else {
            let store = self.store.clone();
            let name = w.name.clone();
            let spec_url = Some(w.url.expose().to_string()).filter(|u| u.starts_with("http"));
            let cfg = w.health.clone();
            // Reading and parsing a large spec takes a while: off the scheduler's thread.
            let found = tokio::task::spawn_blocking(move || {
                let bytes = store
                    .version_bytes(&name, version)
                    .map_err(|e| e.to_string())?
                    .ok_or("the latest version is missing from the store")?;
                let doc =
                    crate::spec::load::parse_document(&bytes, &name).map_err(|e| e.to_string())?;
                endpoints::extract(&doc, &cfg, spec_url.as_deref()).map_err(|e| e.to_string())
            })
            .await
            .map_err(|e| e.to_string())??;
            for s in &found.skipped {
                debug!(watch = %w.name, operation = %s.operation, "not probed: {}", s.reason);
            }
            found.probes
        };
        self.install(w, found).await
    }

    /// Replaces the watch's targets with `found`, keeping the state of those that stay.
    async fn install(&mut self, w: &WatchConfig, found: Vec<Endpoint>) -> Result<(), String> {
        let headers_plain: Vec<(String, String)> = w
            .health
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.expose().to_string()))
            .collect();
        let headers = build_headers(&headers_plain).map_err(|e| e.to_string())?;
        let secrets = header_secrets(&headers_plain);
        let ctx = Arc::new(WatchCtx {
            name: w.name.clone(),
            watch_ref: WatchRef {
                name: w.name.clone(),
                provider: w.provider.clone(),
                product: w.product.clone(),
                labels: w.labels.clone(),
            },
            cfg: w.health.clone(),
            headers,
            secrets,
        });
        let ops: Vec<(String, String)> = found
            .iter()
            .map(|e| (e.operation.clone(), e.url.clone()))
            .collect();
        let store = self.store.clone();
        let name = w.name.clone();
        let now = now_millis();
        let records = tokio::task::spawn_blocking(move || {
            let recs = store.sync_endpoints(&name, &ops, now)?;
            let certs = store.health_certs(&name)?;
            Ok::<_, crate::store::StoreError>((recs, certs))
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
        let (records, certs) = records;
        for (host, rec) in certs {
            self.certs.entry((w.name.clone(), host)).or_insert(rec);
        }
        let keep: HashSet<u64> = records.iter().map(|(_, r)| r.id).collect();
        self.targets
            .retain(|id, t| t.watch.name != w.name || keep.contains(id));
        let targets = &self.targets;
        self.metrics
            .retain(|id| targets.contains_key(&id) || keep.contains(&id));
        let (added, total) = (
            records
                .iter()
                .filter(|(_, r)| !self.targets.contains_key(&r.id))
                .count(),
            records.len(),
        );
        for (endpoint, (op, rec)) in found.into_iter().zip(records) {
            let Ok(url) = Url::parse(&endpoint.url) else {
                continue;
            };
            let host = format!(
                "{}:{}",
                url.host_str().unwrap_or_default(),
                url.port_or_known_default().unwrap_or(0)
            );
            let body = endpoint
                .body
                .map(|b| (endpoint.content_type.unwrap_or_default(), b));
            match self.targets.get_mut(&rec.id) {
                Some(t) => {
                    t.watch = ctx.clone();
                    t.url = url;
                    t.host = host;
                    t.body = body;
                    t.record.url = rec.url;
                }
                None => {
                    let schedule = &ctx.cfg.schedule;
                    let offset = phase(&format!("{}/{op}", w.name), schedule);
                    let due = schedule
                        .next_fire(
                            chrono::DateTime::from_timestamp_millis(now).unwrap_or_default(),
                            offset,
                        )
                        .map_or(now, |d| d.timestamp_millis());
                    self.heap.push(Reverse((due, rec.id)));
                    self.targets.insert(
                        rec.id,
                        Target {
                            watch: ctx.clone(),
                            operation: op,
                            method: endpoint.method,
                            url,
                            host,
                            body,
                            record: rec,
                            bucket: None,
                            due,
                            in_flight: false,
                        },
                    );
                }
            }
        }
        info!(watch = %w.name, endpoints = total, added, "endpoint probes updated");
        Ok(())
    }

    /// Drops raw probes and rollups past their retention, off the scheduler's thread.
    fn prune(&self, watches: &[WatchConfig]) {
        let wide = store_wide(watches);
        let now = now_millis();
        let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        let raw_before = hour_of(now.saturating_sub(ms(wide.raw_retention)));
        let hours_before = hour_of(now.saturating_sub(ms(wide.rollup_retention)));
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || match store.prune_health(raw_before, hours_before) {
            Ok(0) => {}
            Ok(n) => debug!(removed = n, "endpoint history pruned"),
            Err(e) => warn!("could not prune endpoint history: {e}"),
        });
    }
}

/// One probe to run.
struct Job {
    id: u64,
    watch: Arc<WatchCtx>,
    method: String,
    url: Url,
    host: String,
    body: Option<(String, String)>,
    want_certificate: bool,
}

impl Job {
    async fn run(self, fetcher: &Fetcher, limits: &Limits) -> Outcome {
        let _permit = limits.acquire(Some(&self.host)).await;
        let at = now_millis();
        let cfg = &self.watch.cfg;
        let req = ProbeRequest {
            method: &self.method,
            url: &self.url,
            headers: &self.watch.headers,
            body: self.body.as_ref().map(|(ct, b)| (ct.as_str(), b.as_str())),
            timeout: cfg.timeout,
            secrets: &self.watch.secrets,
            want_certificate: self.want_certificate,
        };
        let micros = |d: Duration| u32::try_from(d.as_micros()).unwrap_or(u32::MAX);
        match fetcher.probe(&req).await {
            Ok(a) => {
                let healthy = cfg.is_healthy_status(a.status);
                Outcome {
                    id: self.id,
                    sample: ProbeSample {
                        at,
                        status: a.status,
                        latency_us: micros(a.latency),
                        class: if healthy {
                            ErrorClass::None
                        } else {
                            ErrorClass::Status
                        },
                    },
                    error: (!healthy).then(|| format!("HTTP {}", a.status)),
                    certificate: a.certificate,
                }
            }
            Err((e, took)) => Outcome {
                id: self.id,
                sample: ProbeSample {
                    at,
                    status: 0,
                    latency_us: micros(took),
                    class: match e.kind() {
                        FailureKind::Dns => ErrorClass::Dns,
                        FailureKind::Connect => ErrorClass::Connect,
                        FailureKind::Tls => ErrorClass::Tls,
                        FailureKind::Timeout => ErrorClass::Timeout,
                        _ => ErrorClass::Other,
                    },
                },
                error: Some(e.to_string()),
                certificate: None,
            },
        }
    }
}
