//! What the daemon reports about itself: start time, config file and the last reload.

use std::sync::{Arc, RwLock};

use serde::Serialize;

/// Outcome of the last config reload.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
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
#[derive(Debug, Clone, Serialize, Default)]
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
    /// Parse and diff work waiting and running (`[polling] max_inflight_bytes`).
    pub heavy: crate::pipeline::HeavyStats,
}

/// Shared, cheaply cloned handle to the status.
#[derive(Clone, Default)]
pub struct StatusHandle(Arc<RwLock<DaemonStatus>>);

impl StatusHandle {
    /// A copy of the current status.
    pub fn get(&self) -> DaemonStatus {
        self.0.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Applies `f` to the status.
    pub fn update(&self, f: impl FnOnce(&mut DaemonStatus)) {
        if let Ok(mut s) = self.0.write() {
            f(&mut s);
        }
    }
}
