//! Keeps one timer task per watch and applies a new config as a difference:
//! added watches start, removed ones stop, changed ones restart, untouched ones keep
//! their timers and state.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::{info, warn};

use crate::config::{Config, WatchConfig};
use crate::pipeline::Pipeline;
use crate::scheduler::limits::Limits;
use crate::scheduler::runner;
use crate::store::WatchStatus;

struct Running {
    cfg: Arc<WatchConfig>,
    handle: JoinHandle<()>,
}

/// What `apply` changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Watches started.
    pub added: Vec<String>,
    /// Watches stopped.
    pub removed: Vec<String>,
    /// Watches restarted with new settings.
    pub changed: Vec<String>,
    /// Watches left running as they were.
    pub unchanged: usize,
}

/// The set of running watch tasks.
pub struct Supervisor {
    pipeline: Pipeline,
    limits: Limits,
    shutdown: watch::Receiver<bool>,
    running: HashMap<String, Running>,
}

impl Supervisor {
    /// A supervisor with no watches yet.
    pub fn new(pipeline: Pipeline, limits: Limits, shutdown: watch::Receiver<bool>) -> Self {
        Supervisor {
            pipeline,
            limits,
            shutdown,
            running: HashMap::new(),
        }
    }

    /// The running config of a watch.
    pub fn watch(&self, name: &str) -> Option<Arc<WatchConfig>> {
        self.running.get(name).map(|r| r.cfg.clone())
    }

    /// Names of running watches, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.running.keys().cloned().collect();
        v.sort();
        v
    }

    /// The running watches' configs.
    pub fn configs(&self) -> Vec<Arc<WatchConfig>> {
        self.running.values().map(|r| r.cfg.clone()).collect()
    }

    /// Brings the running tasks in line with `config`.
    pub async fn apply(&mut self, config: &Config) -> Applied {
        let mut applied = Applied::default();
        let wanted: HashMap<&str, &WatchConfig> = config
            .watches
            .iter()
            .filter(|w| w.enabled)
            .map(|w| (w.name.as_str(), w))
            .collect();
        let current: Vec<String> = self.running.keys().cloned().collect();
        for name in current {
            if !wanted.contains_key(name.as_str())
                && let Some(r) = self.running.remove(&name)
            {
                r.handle.abort();
                info!(watch = %name, "watch removed; stopped polling (its history is kept)");
                applied.removed.push(name);
            }
        }
        for w in &config.watches {
            if !w.enabled {
                continue;
            }
            let changed = match self.running.get(&w.name) {
                Some(r) if r.cfg.fingerprint == w.fingerprint => {
                    applied.unchanged += 1;
                    continue;
                }
                Some(_) => {
                    if let Some(r) = self.running.remove(&w.name) {
                        r.handle.abort();
                    }
                    info!(watch = %w.name, "watch changed; rescheduled");
                    applied.changed.push(w.name.clone());
                    true
                }
                None => {
                    info!(watch = %w.name, schedule = %w.schedule_text, "watch added");
                    applied.added.push(w.name.clone());
                    false
                }
            };
            let resumed = self.resume_if_entry_changed(w).await;
            self.start(Arc::new(w.clone()), changed || resumed);
        }
        applied
    }

    fn start(&mut self, cfg: Arc<WatchConfig>, poll_soon: bool) {
        let handle = runner::spawn(
            cfg.clone(),
            self.pipeline.clone(),
            self.limits.clone(),
            self.shutdown.clone(),
            poll_soon,
        );
        self.running
            .insert(cfg.name.clone(), Running { cfg, handle });
    }

    /// Restarts a watch's timer so it polls within a second (after `specwatch resume`).
    pub fn poll_soon(&mut self, name: &str) {
        if let Some(r) = self.running.remove(name) {
            r.handle.abort();
            self.start(r.cfg, true);
        }
    }

    /// A paused watch resumes when its config entry differs from the one it was paused with.
    async fn resume_if_entry_changed(&self, w: &WatchConfig) -> bool {
        let store = self.pipeline.store.clone();
        let name = w.name.clone();
        let fingerprint = w.fingerprint.clone();
        let result =
            tokio::task::spawn_blocking(move || -> Result<bool, crate::store::StoreError> {
                let Some(mut state) = store.watch_state(&name)? else {
                    return Ok(false);
                };
                if matches!(state.status, WatchStatus::Paused { .. })
                    && state.config_fingerprint.as_deref() != Some(fingerprint.as_str())
                {
                    state.status = WatchStatus::Active;
                    state.consecutive_failures = 0;
                    state.config_fingerprint = None;
                    store.put_watch_state(&name, &state)?;
                    return Ok(true);
                }
                Ok(false)
            })
            .await;
        match result {
            Ok(Ok(true)) => {
                info!(watch = %w.name, "paused watch resumed: its config entry changed");
                return true;
            }
            Ok(Ok(false)) => {}
            Ok(Err(e)) => warn!(watch = %w.name, "could not check pause state: {e}"),
            Err(e) => warn!(watch = %w.name, "could not check pause state: {e}"),
        }
        false
    }

    /// Stops scheduling and waits up to `deadline` for in-flight polls to finish.
    pub async fn shutdown(self, deadline: std::time::Duration) {
        let handles: Vec<JoinHandle<()>> = self.running.into_values().map(|r| r.handle).collect();
        let all = futures_util::future::join_all(handles);
        if tokio::time::timeout(deadline, all).await.is_err() {
            warn!(
                "some polls were still running after {}; exiting anyway (uncommitted polls are simply retried next start)",
                crate::units::format_duration(deadline)
            );
        }
    }
}
