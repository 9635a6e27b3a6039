//! The control socket's wire format: one JSON request line, one JSON response line.
//! Reads (`history`, `show`) don't need it: the CLI opens the store read-only.

use serde::{Deserialize, Serialize};

/// A request from the CLI to the daemon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case")]
pub enum Request {
    /// Poll a watch now.
    Poll {
        /// Watch name.
        watch: String,
    },
    /// Resume a paused watch.
    Resume {
        /// Watch name.
        watch: String,
    },
    /// The daemon's status (watches, last reload).
    Status,
    /// A consistent snapshot of the store: the header's `data` is a
    /// [`crate::store::BackupSummary`] and its `bytes` raw bytes of the snapshot follow.
    Backup,
    /// Queue failed deliveries again: of one alert, or all.
    Redrive {
        /// Alert id; all failed deliveries when absent.
        target: Option<u64>,
    },
    /// Cancel the pending deliveries of one alert.
    Cancel {
        /// Alert id.
        alert: u64,
    },
    /// Acknowledge one alert: the incidents it opened resolve.
    Ack {
        /// Alert id.
        alert: u64,
    },
    /// The plugins the daemon serves (as `specwatch plugin list` shows them).
    Plugins,
}

/// The response header line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Response {
    /// Whether the request succeeded.
    pub ok: bool,
    /// Result data (command-specific JSON).
    #[serde(default)]
    pub data: serde_json::Value,
    /// Error message when `ok` is false.
    #[serde(default)]
    pub error: Option<String>,
}
