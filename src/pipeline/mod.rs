//! One poll of one watch: fetch → detect change → diff → store, in one store transaction.
//!
//! The poll's outcome is returned (and logged by the caller) only after the store has
//! committed it durably, so an acknowledged version survives `kill -9`.

mod committer;
mod diff_step;
pub mod heavy;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use sha2::{Digest, Sha256};
use tracing::{info, warn};

use crate::alerts::events::{changes, polls, sunset};
use crate::clock::now_millis;
use crate::config::WatchConfig;
use crate::config::alerts::AlertsConfig;
use crate::config::summary::LlmConfig;
use crate::diff::Report;
use crate::explain::VersionSummary;
use crate::fetch::{FailureKind, FetchRequest, FetchResponse, Fetched, Fetcher, Source};
use crate::notification::WatchRef;
use crate::spec::load::{self, LoadOptions};
use crate::store::{
    ChangeCounts, NewAlert, NewVersion, PollCommit, PollOutcome, PollRecord, Store, StoreError,
    SunsetEntry, VersionMeta, WatchState, WatchStatus,
};
pub use heavy::{HeavyGate, HeavyStats};

/// What a poll needs: the store and the shared HTTP client.
#[derive(Clone)]
pub struct Pipeline {
    /// The store.
    pub store: Arc<Store>,
    /// The HTTP client.
    pub fetcher: Fetcher,
    /// One lock per watch, so a scheduled poll and an on-demand poll never race
    /// (both would see the same previous version and store the new one twice).
    locks: Arc<std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
    committer: Arc<committer::Committer>,
    /// Thresholds for the events polls raise (replaced on reload).
    alerting: Arc<std::sync::RwLock<AlertsConfig>>,
    /// Woken after a commit that queued alerts, so routing starts at once.
    alerts_queued: Arc<tokio::sync::Notify>,
    /// Admission of parse and diff work by spec size (`[polling] max_inflight_bytes`).
    heavy: HeavyGate,
    /// `[summary.llm]` (replaced on reload); None = no generated summaries.
    llm: Arc<std::sync::RwLock<Option<LlmConfig>>>,
}

/// Failure to record a poll (the poll itself failing is a `PollOutcome::Error`, not this).
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The store could not commit the poll.
    #[error("watch {watch}: could not record the poll in the store: {source}")]
    Store {
        /// The watch.
        watch: String,
        /// Why.
        #[source]
        source: StoreError,
    },
    /// A blocking task panicked or was cancelled.
    #[error("watch {watch}: internal task failed: {message}")]
    Task {
        /// The watch.
        watch: String,
        /// Why.
        message: String,
    },
}

/// The committed result of one poll.
#[derive(Debug, Clone)]
pub struct PollReport {
    /// What happened.
    pub outcome: PollOutcome,
    /// State after the poll.
    pub state: WatchState,
    /// HTTP status, if any (None for a file).
    pub http_status: Option<u16>,
    /// Changes of a new version against the previous one, by level.
    pub change_counts: Option<ChangeCounts>,
    /// True when this poll paused the watch.
    pub paused_now: bool,
}

enum Found {
    Unchanged {
        not_modified: bool,
    },
    Reformatted {
        raw_sha: String,
    },
    New {
        version: Box<NewVersion>,
        report: Option<Report>,
        summary: Option<crate::explain::VersionSummary>,
        sunsets: Vec<SunsetEntry>,
    },
    Failed {
        kind: FailureKind,
        message: String,
    },
}

impl Pipeline {
    /// A pipeline over `store` using `fetcher`.
    pub fn new(store: Arc<Store>, fetcher: Fetcher) -> Self {
        Pipeline {
            committer: Arc::new(committer::Committer::start(store.clone())),
            store,
            fetcher,
            locks: Arc::default(),
            alerting: Arc::default(),
            alerts_queued: Arc::default(),
            llm: Arc::default(),
            heavy: HeavyGate::new(
                crate::config::DEFAULT_MAX_INFLIGHT_BYTES,
                HeavyGate::cores(),
            ),
        }
    }

    /// Admits at most `budget_bytes` of spec text to parse and diff at once (one large
    /// job per core); set once, before polling starts.
    pub fn with_heavy_budget(mut self, budget_bytes: u64) -> Self {
        self.heavy = HeavyGate::new(budget_bytes, HeavyGate::cores());
        self
    }

    /// The heavy-work queue as it is now.
    pub fn heavy_stats(&self) -> HeavyStats {
        self.heavy.stats()
    }

    /// Sets the thresholds of poll events (`[alerts]`), at start-up and on reload.
    pub fn set_alerting(&self, cfg: AlertsConfig) {
        *self.alerting.write().unwrap_or_else(|p| p.into_inner()) = cfg;
    }

    /// Sets `[summary.llm]`, at start-up and on reload (None: off).
    pub fn set_llm(&self, cfg: Option<LlmConfig>) {
        *self.llm.write().unwrap_or_else(|p| p.into_inner()) = cfg;
    }

    /// Asks the language model for version `number`'s summary in the background: the
    /// version is committed and its alerts queued already, so nothing waits for it.
    fn spawn_llm_summary(&self, watch: &str, number: u64, summary: VersionSummary) {
        let Some(cfg) = self.llm.read().unwrap_or_else(|p| p.into_inner()).clone() else {
            return;
        };
        let client = match self.fetcher.http_client(std::time::Duration::from_secs(10)) {
            Ok(c) => c,
            Err(e) => {
                warn!(watch, error = %e, "no generated summary: cannot build the HTTP client");
                return;
            }
        };
        tokio::spawn(crate::explain::llm::summarize_version(
            self.store.clone(),
            client,
            cfg,
            watch.to_string(),
            number,
            summary,
        ));
    }

    /// Notified whenever a commit queued alerts.
    pub fn alerts_queued(&self) -> Arc<tokio::sync::Notify> {
        self.alerts_queued.clone()
    }

    /// The per-watch lock every poll holds from reading the state to committing it;
    /// whoever changes a watch's state outside a poll (pause, resume) takes it too, so a
    /// poll in flight cannot overwrite that change with the state it read before.
    pub fn lock_for(&self, watch: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.locks.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(watch.to_string()).or_default().clone()
    }

    async fn blocking<T: Send + 'static>(
        &self,
        watch: &str,
        f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, PipelineError> {
        let store = self.store.clone();
        match tokio::task::spawn_blocking(move || f(&store)).await {
            Ok(r) => r.map_err(|source| PipelineError::Store {
                watch: watch.to_string(),
                source,
            }),
            Err(e) => Err(PipelineError::Task {
                watch: watch.to_string(),
                message: e.to_string(),
            }),
        }
    }

    /// Polls `watch` once and commits the outcome. Paused watches are polled too
    /// (callers skip them on schedule; `specwatch poll` polls on demand).
    pub async fn poll(&self, watch: &WatchConfig) -> Result<PollReport, PipelineError> {
        let name = watch.name.clone();
        let lock = self.lock_for(&name);
        let _guard = lock.lock().await;
        let started = now_millis();
        let clock = Instant::now();
        let state = self
            .blocking(&name, {
                let name = name.clone();
                move |s| s.watch_state(&name)
            })
            .await?
            .unwrap_or_default();

        let (found, http_status, fetched_meta) = self.fetch_and_detect(watch, &state).await;

        let mut next = state.clone();
        next.last_poll_at = Some(started);
        let mut paused_now = false;
        let mut new_version = None;
        let mut change_counts = None;
        let mut explained = None;
        let mut events = Vec::new();
        let alerting = self
            .alerting
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let outcome = match found {
            Found::Unchanged { not_modified } => {
                mark_success(&mut next, started, fetched_meta.as_ref());
                PollOutcome::Unchanged { not_modified }
            }
            Found::Reformatted { raw_sha } => {
                mark_success(&mut next, started, fetched_meta.as_ref());
                next.raw_sha256 = Some(raw_sha);
                PollOutcome::Reformatted
            }
            Found::New {
                version: v,
                report,
                summary,
                sunsets,
            } => {
                mark_success(&mut next, started, fetched_meta.as_ref());
                next.raw_sha256 = Some(v.meta.raw_sha256.clone());
                next.semantic_hash = Some(v.meta.semantic_hash.clone());
                next.sunsets = sunsets;
                // The pipeline's per-watch lock makes the store's number latest + 1.
                let (from, to) = (state.latest_version, state.latest_version + 1);
                events.extend(report.as_ref().and_then(|r| {
                    changes::from_version(&name, r, summary.as_ref(), from, to, started)
                }));
                change_counts = v.meta.change_counts;
                new_version = Some(*v);
                explained = summary;
                // The store assigns the number inside the transaction.
                PollOutcome::NewVersion { number: 0 }
            }
            Found::Failed { kind, message } => {
                next.consecutive_failures = next.consecutive_failures.saturating_add(1);
                let limit = watch.pause_after_failures;
                if limit > 0
                    && next.consecutive_failures >= limit
                    && matches!(next.status, WatchStatus::Active)
                {
                    next.status = WatchStatus::Paused {
                        reason: format!(
                            "{} consecutive failures; last: {message}",
                            next.consecutive_failures
                        ),
                        since: started,
                    };
                    next.config_fingerprint = Some(watch.fingerprint.clone());
                    paused_now = true;
                }
                PollOutcome::Error { kind, message }
            }
        };
        let error = match &outcome {
            PollOutcome::Error { message, .. } => Some(message.as_str()),
            _ => {
                events.extend(sunset::due(
                    &name,
                    &mut next.sunsets,
                    alerting.sunset_horizon,
                    started,
                ));
                None
            }
        };
        events.extend(polls::from_poll(
            &name,
            &state,
            &next,
            alerting.poll_failing_after,
            error,
            started,
        ));
        let watch_ref = WatchRef {
            name: name.clone(),
            provider: watch.provider.clone(),
            product: watch.product.clone(),
            labels: watch.labels.clone(),
        };
        let alerts: Vec<NewAlert> = events
            .into_iter()
            .map(|event| NewAlert {
                watch: watch_ref.clone(),
                event,
            })
            .collect();
        let queued_alerts = !alerts.is_empty();
        let record = PollRecord {
            at: started,
            duration_ms: clock.elapsed().as_millis() as u64,
            http_status,
            outcome,
        };
        let commit = PollCommit {
            state: next.clone(),
            record: record.clone(),
            new_version,
            alerts,
        };
        let number = self
            .committer
            .commit(&name, commit)
            .await
            .map_err(|source| PipelineError::Store {
                watch: name.clone(),
                source,
            })?;
        if queued_alerts {
            self.alerts_queued.notify_one();
        }
        let mut outcome = record.outcome;
        if let (Some(n), PollOutcome::NewVersion { number }) = (number, &mut outcome) {
            *number = n;
            next.latest_version = n;
            if let Some(s) = explained {
                self.spawn_llm_summary(&name, n, s);
            }
        }
        count_poll(&name, &outcome, change_counts, clock.elapsed());
        Ok(PollReport {
            outcome,
            state: next,
            http_status,
            change_counts,
            paused_now,
        })
    }

    async fn fetch_and_detect(
        &self,
        watch: &WatchConfig,
        state: &WatchState,
    ) -> (Found, Option<u16>, Option<FetchedMeta>) {
        let source = match Source::parse(watch.url.expose(), &watch.base_dir) {
            Ok(s) => s,
            Err(e) => {
                return (
                    Found::Failed {
                        kind: FailureKind::Other,
                        message: e.to_string(),
                    },
                    None,
                    None,
                );
            }
        };
        let headers: Vec<(String, String)> = watch
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.expose().to_string()))
            .collect();
        // Conditional GET only once a version exists, so a failing first poll retries fully.
        let have_version = state.latest_version > 0;
        let req = FetchRequest {
            source: &source,
            headers: &headers,
            timeout: watch.timeout,
            connect_timeout: Some(watch.connect_timeout),
            max_size: watch.max_spec_size,
            etag: state.etag.as_deref().filter(|_| have_version),
            last_modified: state.last_modified.as_deref().filter(|_| have_version),
        };
        let fetched = match self.fetcher.fetch(&req).await {
            Ok(FetchResponse::NotModified { status }) => {
                return (Found::Unchanged { not_modified: true }, Some(status), None);
            }
            Ok(FetchResponse::Fetched(f)) => f,
            Err(e) => {
                return (
                    Found::Failed {
                        kind: e.kind(),
                        message: e.to_string(),
                    },
                    e.status(),
                    None,
                );
            }
        };
        // A file has no HTTP status; Fetched carries 200 for it, which is not worth logging.
        let status = Some(fetched.status).filter(|_| matches!(source, Source::Url(_)));
        let meta = FetchedMeta::from(&fetched);
        let raw_sha = hex::encode(Sha256::digest(&fetched.body));
        if state.raw_sha256.as_deref() == Some(raw_sha.as_str()) && have_version {
            return (
                Found::Unchanged {
                    not_modified: false,
                },
                status,
                Some(meta),
            );
        }
        let found = self.detect(watch, &source, state, fetched, raw_sha).await;
        (found, status, Some(meta))
    }

    async fn detect(
        &self,
        watch: &WatchConfig,
        source: &Source,
        state: &WatchState,
        fetched: Fetched,
        raw_sha: String,
    ) -> Found {
        let origin = format!("watch {} ({})", watch.name, source.redacted());
        // The parser's size limit follows the watch's `max_spec_size` (the fetch already
        // enforced it), so a watch allowed above the 50 MiB default is parsed too.
        let opts = LoadOptions {
            max_size: usize::try_from(watch.max_spec_size).unwrap_or(usize::MAX),
            ..LoadOptions::default()
        };
        let prev_number = state.latest_version;
        let prev_semantic = state.semantic_hash.clone();
        let prev_sunsets = state.sunsets.clone();
        let store = self.store.clone();
        let name = watch.name.clone();
        let source_text = source.redacted();
        let size = fetched.body.len() as u64;
        let job = move || -> Found {
            let loaded = match load::load(&fetched.body, &origin, &opts) {
                Ok(l) => l,
                Err(e) => {
                    return Found::Failed {
                        kind: FailureKind::NotASpec,
                        message: e.to_string(),
                    };
                }
            };
            let semantic = crate::spec::canonical::semantic_hash(&loaded.doc);
            if prev_semantic.as_deref() == Some(semantic.as_str()) && prev_number > 0 {
                return Found::Reformatted { raw_sha };
            }
            let diff =
                diff_step::diff_against_previous(&store, &name, prev_number, &loaded.doc, &opts);
            let (report, changes_json, change_counts, summary) = match diff {
                Ok(Some(d)) => (
                    Some(d.report),
                    Some(d.json),
                    Some(d.counts),
                    Some(d.summary),
                ),
                Ok(None) => (None, None, None, None),
                Err(e) => {
                    warn!(watch = %name, error = %e, "stored the new version but could not diff it against the previous one");
                    (None, None, None, None)
                }
            };
            let summary_json = summary.as_ref().and_then(|s| {
                serde_json::to_vec(&crate::explain::StoredSummary::new(s.clone())).ok()
            });
            let sunsets = sunset::collect(&loaded.doc, &prev_sunsets);
            let meta = VersionMeta {
                number: 0,
                fetched_at: now_millis(),
                raw_size: fetched.body.len() as u64,
                stored_size: 0,
                raw_sha256: raw_sha,
                semantic_hash: semantic,
                etag: fetched.etag.clone(),
                last_modified: fetched.last_modified.clone(),
                content_type: fetched.content_type.clone(),
                source: source_text,
                spec_version: Some(loaded.spec_version.clone()),
                change_counts,
            };
            Found::New {
                version: Box::new(NewVersion {
                    meta,
                    raw: fetched.body,
                    changes_json,
                    summary_json,
                }),
                report,
                summary,
                sunsets,
            }
        };
        // Waiting here keeps the poll's concurrency slot, so fetched bodies waiting for
        // admission stay bounded by `max_concurrent`.
        let _permit = self.heavy.admit(size).await;
        match tokio::task::spawn_blocking(job).await {
            Ok(found) => found,
            Err(e) => Found::Failed {
                kind: FailureKind::Other,
                message: format!("internal error while parsing the spec: {e}"),
            },
        }
    }
}

/// Response metadata kept in the watch state for the next conditional GET.
struct FetchedMeta {
    etag: Option<String>,
    last_modified: Option<String>,
}

impl From<&Fetched> for FetchedMeta {
    fn from(f: &Fetched) -> Self {
        FetchedMeta {
            etag: f.etag.clone(),
            last_modified: f.last_modified.clone(),
        }
    }
}

fn mark_success(state: &mut WatchState, at: i64, meta: Option<&FetchedMeta>) {
    state.last_success_at = Some(at);
    if state.consecutive_failures > 0 {
        info!(
            failures = state.consecutive_failures,
            "poll succeeded again"
        );
    }
    state.consecutive_failures = 0;
    if let Some(m) = meta {
        state.etag = m.etag.clone();
        state.last_modified = m.last_modified.clone();
    }
}

/// Counts a committed poll in the process metrics.
fn count_poll(
    watch: &str,
    outcome: &PollOutcome,
    counts: Option<crate::store::ChangeCounts>,
    took: std::time::Duration,
) {
    let m = &crate::metrics::METRICS;
    let status = match outcome {
        PollOutcome::Unchanged { .. } => "unchanged",
        PollOutcome::Reformatted => "reformatted",
        PollOutcome::NewVersion { .. } => "new_version",
        PollOutcome::Error { kind, .. } => kind.as_str(),
    };
    m.poll(watch, status);
    if let PollOutcome::NewVersion { .. } = outcome {
        m.version_creation_duration.observe(took.as_secs_f64());
        if let Some(c) = counts {
            m.changes(watch, "breaking", c.breaking.into());
            m.changes(watch, "warning", c.warning.into());
            m.changes(watch, "info", c.info.into());
        }
    }
}
