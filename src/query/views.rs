//! The documents the read model hands out: what the control socket, the JSON API and
//! the pages show. None of them carries a secret (URLs come redacted from the store,
//! header values and sink configs are never copied in).

use std::collections::BTreeMap;

use serde::Serialize;

use super::status::DaemonStatus;
use crate::store::{ChangeCounts, Millis, PollRecord, SunsetEntry, VersionMeta};

/// One watch on the overview.
#[derive(Debug, Clone, Serialize)]
pub struct WatchSummary {
    /// Watch name.
    pub name: String,
    /// Who publishes the API.
    pub provider: Option<String>,
    /// Which API.
    pub product: Option<String>,
    /// Free-form labels.
    pub labels: BTreeMap<String, String>,
    /// ok, changed, failing, paused or new (never polled).
    pub state: &'static str,
    /// Newest stored version (0 = none).
    pub latest_version: u64,
    /// When the newest version was fetched.
    pub latest_at: Option<Millis>,
    /// Level of the newest version's most severe change, if it had any.
    pub last_level: Option<&'static str>,
    /// Counts of the newest version's changes.
    pub last_counts: Option<ChangeCounts>,
    /// When it was last polled.
    pub last_poll_at: Option<Millis>,
    /// Why it is failing or paused.
    pub problem: Option<String>,
    /// Fetch times of every version, oldest first (for the sparkline).
    pub version_times: Vec<Millis>,
    /// Probed endpoints by state (None when the watch's health is not probed).
    pub endpoints: Option<crate::health::query::StateCounts>,
}

/// Everything about one watch.
#[derive(Debug, Clone, Serialize)]
pub struct WatchDetail {
    /// The overview row.
    #[serde(flatten)]
    pub summary: WatchSummary,
    /// Schedule as written.
    pub schedule: Option<String>,
    /// Where it is fetched from (redacted).
    pub source: Option<String>,
    /// Whether it is in the running configuration.
    pub configured: bool,
    /// Deprecated operations with sunsets.
    pub sunsets: Vec<SunsetEntry>,
}

/// A page of versions, newest first.
#[derive(Debug, Clone, Serialize)]
pub struct VersionRow {
    /// Metadata.
    #[serde(flatten)]
    pub meta: VersionMeta,
    /// First line of the change summary ("3 breaking, 1 warning").
    pub headline: String,
}

/// The daemon's self-description for the system page.
#[derive(Debug, Clone, Serialize)]
pub struct SystemView {
    /// Start time, config file, last reload, readiness.
    pub status: DaemonStatus,
    /// Store directory.
    pub store_path: String,
    /// Bytes of the store on disk.
    pub store_size: u64,
    /// Plugins the daemon runs.
    pub plugins: Vec<PluginView>,
    /// Configured sinks (name and type only).
    pub sinks: Vec<SinkView>,
    /// Build information.
    pub build: BuildInfo,
    /// The last test alert of each sink tested since start.
    pub sink_tests: BTreeMap<String, crate::alerts::test_alert::TestOutcome>,
}

/// A plugin as the system page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PluginView {
    /// Plugin name.
    pub name: String,
    /// Loaded version, if any.
    pub version: Option<String>,
    /// WIT interface version it exports.
    pub wit: Option<String>,
    /// Sinks using it.
    pub sinks: Vec<String>,
    /// Last load error.
    pub error: Option<String>,
}

/// A sink, without its configuration.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SinkView {
    /// Sink name.
    pub name: String,
    /// webhook, email or plugin.
    pub kind: String,
}

/// What binary this is.
#[derive(Debug, Clone, Serialize)]
pub struct BuildInfo {
    /// Crate version.
    pub version: &'static str,
    /// Target OS/arch.
    pub target: String,
}

impl BuildInfo {
    /// This binary's build info.
    pub fn current() -> BuildInfo {
        BuildInfo {
            version: env!("CARGO_PKG_VERSION"),
            target: format!("{}-{}", std::env::consts::ARCH, std::env::consts::OS),
        }
    }
}

/// Recent polls of a watch, newest first.
pub type Polls = Vec<PollRecord>;

/// A silence, from the config file or added at run time.
#[derive(Debug, Clone, Serialize)]
pub struct SilenceView {
    /// Id of a run-time silence (None for `[[silence]]` entries, which only the file changes).
    pub id: Option<u64>,
    /// `config` or `api`.
    pub source: &'static str,
    /// Watch globs.
    pub watch: Vec<String>,
    /// Event kinds.
    pub event: Vec<String>,
    /// Levels.
    pub level: Vec<String>,
    /// Label globs.
    pub labels: BTreeMap<String, String>,
    /// Start (ms), if bounded.
    pub starts: Option<Millis>,
    /// End (ms), if bounded.
    pub ends: Option<Millis>,
    /// Why.
    pub comment: String,
    /// In force now.
    pub active: bool,
}

impl SilenceView {
    /// A stored (run-time) silence.
    pub fn stored(r: &crate::store::SilenceRecord, now: Millis) -> SilenceView {
        SilenceView {
            id: Some(r.id),
            source: "api",
            watch: r.watch.clone(),
            event: r.event.clone(),
            level: r.level.clone(),
            labels: r.labels.clone(),
            starts: Some(r.starts),
            ends: r.ends,
            comment: r.comment.clone(),
            active: r.active(now),
        }
    }

    /// A `[[silence]]` of the config.
    pub fn configured(s: &crate::config::alerts::SilenceConfig, now: Millis) -> SilenceView {
        SilenceView {
            id: None,
            source: "config",
            watch: s.matcher.watch.clone(),
            event: s
                .matcher
                .event
                .iter()
                .map(|e| e.as_str().to_string())
                .collect(),
            level: s
                .matcher
                .level
                .iter()
                .map(|l| l.as_str().to_string())
                .collect(),
            labels: s.matcher.labels.clone(),
            starts: s.starts,
            ends: s.ends,
            comment: s.comment.clone(),
            active: s.active(now),
        }
    }
}

/// A watch's endpoint health as the page and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct HealthView {
    /// `[watch.health] enabled` in the running config.
    pub enabled: bool,
    /// States, windows, endpoints and certificates.
    #[serde(flatten)]
    pub health: crate::health::query::WatchHealth,
    /// Hourly points of the whole watch over the hours asked for, oldest first.
    pub series: Vec<crate::health::query::HourPoint>,
    /// The same over 7 days, when charts are asked for.
    #[serde(skip)]
    pub series_7d: Vec<crate::health::query::HourPoint>,
    /// Per-minute points of the last hour, when charts are asked for.
    #[serde(skip)]
    pub series_1h: Vec<crate::health::query::HourPoint>,
}
