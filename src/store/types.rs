//! Records kept in the store: watch state, version metadata and the poll log.

use serde::{Deserialize, Serialize};

use crate::fetch::FailureKind;

/// Unix time in milliseconds.
pub type Millis = i64;

/// Whether a watch is being polled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum WatchStatus {
    /// Polled on its schedule.
    #[default]
    Active,
    /// Not polled until its config entry changes or `specwatch resume` is run.
    Paused {
        /// Why the watch was paused (the last error).
        reason: String,
        /// When it was paused.
        since: Millis,
    },
}

/// Per-watch state, updated in the same transaction as each poll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct WatchState {
    /// SHA-256 (hex) of the raw bytes of the last successful fetch.
    pub raw_sha256: Option<String>,
    /// Semantic hash (hex) of the last stored version.
    pub semantic_hash: Option<String>,
    /// ETag of the last successful response.
    pub etag: Option<String>,
    /// Last-Modified of the last successful response.
    pub last_modified: Option<String>,
    /// Time of the last poll, successful or not.
    pub last_poll_at: Option<Millis>,
    /// Time of the last successful poll.
    pub last_success_at: Option<Millis>,
    /// Consecutive failed polls; reset by a success.
    pub consecutive_failures: u32,
    /// Active or paused (flattened: `"status": "paused", "reason": …, "since": …`).
    #[serde(flatten)]
    pub status: WatchStatus,
    /// Number of the newest stored version (0 = none yet).
    pub latest_version: u64,
    /// Fingerprint of the watch's config entry when it was paused; a different
    /// fingerprint at start-up or reload resumes the watch.
    pub config_fingerprint: Option<String>,
    /// Deprecated operations of the latest version with an `x-sunset` date, and whether
    /// `sunset_approaching` was raised for each (once per operation and date).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sunsets: Vec<SunsetEntry>,
}

/// A deprecated operation with a sunset date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SunsetEntry {
    /// `"GET /v1/charges"`.
    pub operation: String,
    /// The `x-sunset` value as written.
    pub sunset: String,
    /// The sunset as ms since the epoch.
    pub at: Millis,
    /// True once `sunset_approaching` was raised for this operation and date.
    pub notified: bool,
}

/// Metadata of one stored version (the bytes are stored separately, compressed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionMeta {
    /// 1, 2, 3 … per watch.
    pub number: u64,
    /// When it was fetched.
    pub fetched_at: Millis,
    /// Size of the raw bytes as fetched.
    pub raw_size: u64,
    /// Size of the compressed frame in the store.
    pub stored_size: u64,
    /// SHA-256 (hex) of the raw bytes.
    pub raw_sha256: String,
    /// Semantic hash (hex) of the parsed document.
    pub semantic_hash: String,
    /// ETag sent by the server, if any.
    pub etag: Option<String>,
    /// Last-Modified sent by the server, if any.
    pub last_modified: Option<String>,
    /// Content-Type sent by the server, if any.
    pub content_type: Option<String>,
    /// Where it came from (URL with secrets redacted, or file path).
    pub source: String,
    /// Detected spec flavour, e.g. "openapi 3.0.0" or "swagger 2.0".
    pub spec_version: Option<String>,
    /// Counts of changes against the previous version, if diffed.
    pub change_counts: Option<ChangeCounts>,
}

/// Change counts per level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ChangeCounts {
    /// Breaking changes.
    pub breaking: u32,
    /// Warnings.
    pub warning: u32,
    /// Informational changes.
    pub info: u32,
    /// The same counted by root cause (one per distinct change, however many operations
    /// reach it); None for versions stored before root causes were counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_causes: Option<RootCauseCounts>,
}

/// Root causes per level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RootCauseCounts {
    /// Breaking root causes.
    pub breaking: u32,
    /// Warnings.
    pub warning: u32,
    /// Informational.
    pub info: u32,
}

/// What one poll found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PollOutcome {
    /// Same bytes, or the server answered 304.
    Unchanged {
        /// True when the server answered 304 Not Modified.
        not_modified: bool,
    },
    /// Different bytes, same semantic content: not a new version.
    Reformatted,
    /// A new version was stored.
    NewVersion {
        /// Its number.
        number: u64,
    },
    /// The poll failed.
    Error {
        /// Classification.
        kind: FailureKind,
        /// Human message (never contains secrets).
        message: String,
    },
}

/// One entry of a watch's bounded poll log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollRecord {
    /// When the poll started.
    pub at: Millis,
    /// How long it took.
    pub duration_ms: u64,
    /// HTTP status, if a response arrived.
    pub http_status: Option<u16>,
    /// Outcome.
    #[serde(flatten)]
    pub outcome: PollOutcome,
}
