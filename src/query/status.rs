//! What the daemon reports about itself: start time, config file, the last reload, where
//! it listens, and whether it is ready (the store healthy). `specwatch status` prints it;
//! `/readyz` reads [`StatusHandle::readiness`].

use std::sync::{Arc, OnceLock, RwLock};

use serde::{Deserialize, Serialize};

use crate::store::{Store, StoreHealth};

/// Outcome of the last config reload.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReloadStatus {
    /// When it happened (ms since epoch).
    pub at: i64,
    /// Whether the new config was applied.
    pub ok: bool,
    /// Every problem found (file:line:col key: message), empty when ok.
    pub errors: Vec<String>,
    /// What triggered it: "file" or "sighup".
    pub cause: String,
}

/// The daemon's self-description, shared with the control socket (and later the status page).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct DaemonStatus {
    /// Start time (ms since epoch).
    pub started_at: i64,
    /// Config file in use.
    pub config_file: String,
    /// Watches currently scheduled.
    pub watches: Vec<String>,
    /// Last reload, if any.
    pub last_reload: Option<ReloadStatus>,
    /// The last reload that failed, kept until a later reload succeeds.
    pub last_reload_error: Option<ReloadStatus>,
    /// `[server] listen`: the address of the status page and API.
    #[serde(default)]
    pub listen: String,
    /// The control socket's path.
    #[serde(default)]
    pub control_socket: String,
    /// True once the watches are scheduled (start-up finished).
    #[serde(default)]
    pub serving: bool,
    /// The store's health (filled in by [`StatusHandle::get`]).
    #[serde(default)]
    pub store: StoreHealth,
    /// Ready to do its job: serving and the store healthy.
    #[serde(default)]
    pub ready: bool,
    /// Parse and diff work waiting and running (`[polling] max_inflight_bytes`).
    #[serde(default)]
    pub heavy: crate::pipeline::HeavyStats,
}

impl DaemonStatus {
    /// Readiness with its reasons: a daemon whose store cannot write is up but not ready.
    pub fn readiness(&self) -> Readiness {
        let s = self;
        let mut problems = Vec::new();
        if !s.serving {
            problems.push("starting up".to_string());
        }
        if !s.store.ok {
            problems.push(format!(
                "store {} cannot write: {}",
                s.store.path,
                s.store.last_error.as_deref().unwrap_or("unknown error")
            ));
        }
        Readiness {
            ready: problems.is_empty(),
            problems,
        }
    }
}

/// Whether the daemon is ready, and if not, why (for `/readyz`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Readiness {
    /// True when every check passes.
    pub ready: bool,
    /// What is not ready, one sentence each; empty when ready.
    pub problems: Vec<String>,
}

/// Shared, cheaply cloned handle to the status.
#[derive(Clone, Default)]
pub struct StatusHandle {
    status: Arc<RwLock<DaemonStatus>>,
    store: Arc<OnceLock<Arc<Store>>>,
}

impl StatusHandle {
    /// Lets the status report the store's health (once, at start-up).
    pub fn attach_store(&self, store: Arc<Store>) {
        let _ = self.store.set(store);
    }

    /// A copy of the current status, with the store's health as of now.
    pub fn get(&self) -> DaemonStatus {
        let mut s = self.status.read().map(|s| s.clone()).unwrap_or_default();
        if let Some(store) = self.store.get() {
            s.store = store.health();
        }
        s.ready = s.serving && s.store.ok;
        s
    }

    /// Readiness with its reasons (see [`DaemonStatus::readiness`]).
    pub fn readiness(&self) -> Readiness {
        self.get().readiness()
    }
    /// Applies `f` to the status.
    pub fn update(&self, f: impl FnOnce(&mut DaemonStatus)) {
        if let Ok(mut s) = self.status.write() {
            f(&mut s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_needs_start_up_done_and_a_healthy_store() {
        let dir = tempfile::tempdir().unwrap();
        let h = StatusHandle::default();
        h.attach_store(Arc::new(Store::open(dir.path()).unwrap()));
        let r = h.readiness();
        assert!(!r.ready && r.problems == ["starting up"], "{r:?}");
        h.update(|s| s.serving = true);
        assert!(h.readiness().ready);
        let s = h.get();
        assert!(s.ready && s.store.ok && s.store.path.ends_with("specwatch.redb"));
    }
}
