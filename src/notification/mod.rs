//! The `specwatch.alert.v1` document: what the webhook sink POSTs and what plugins get
//! (as `payload-json`, beside typed essentials). Documented in `docs/alerts.md`, with
//! a JSON Schema in `docs/alert.schema.json`; a test checks the two agree.

pub mod template;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diff::{Change, ChangeGroup, Level};

/// Value of the `schema` field.
pub const SCHEMA: &str = "specwatch.alert.v1";

/// Changes listed per event at most; `changes_total` tells how many there were.
pub const MAX_CHANGES: usize = 50;

/// Root causes listed per event at most; `root_causes` counts them all.
pub const MAX_GROUPS: usize = 50;

/// Operations listed per root cause at most; its `operation_count` counts them all.
pub const MAX_GROUP_OPERATIONS: usize = 20;

/// What an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A new version with at least one breaking change.
    BreakingChange,
    /// A new version with warning / info changes only.
    ApiChanged,
    /// A probed endpoint went down (emitted by the health checks).
    EndpointDown,
    /// A probed endpoint is up again.
    EndpointRecovered,
    /// A watch failed `poll_failing_after` polls in a row.
    PollFailing,
    /// A failing watch polled successfully again.
    PollRecovered,
    /// A watch was paused after repeated failures.
    WatchPaused,
    /// An operation marked deprecated has an `x-sunset` date within the horizon.
    SunsetApproaching,
    /// A probed https host's certificate expires within `cert_expiry_warning`.
    CertExpiring,
    /// A probed https host's certificate has expired.
    CertExpired,
    /// Sent by `specwatch alert test SINK`.
    Test,
}

impl EventKind {
    /// Every kind, in documentation order.
    pub const ALL: &[EventKind] = &[
        EventKind::BreakingChange,
        EventKind::ApiChanged,
        EventKind::EndpointDown,
        EventKind::EndpointRecovered,
        EventKind::PollFailing,
        EventKind::PollRecovered,
        EventKind::WatchPaused,
        EventKind::SunsetApproaching,
        EventKind::CertExpiring,
        EventKind::CertExpired,
        EventKind::Test,
    ];

    /// The snake_case name used in config, payloads and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::BreakingChange => "breaking_change",
            EventKind::ApiChanged => "api_changed",
            EventKind::EndpointDown => "endpoint_down",
            EventKind::EndpointRecovered => "endpoint_recovered",
            EventKind::PollFailing => "poll_failing",
            EventKind::PollRecovered => "poll_recovered",
            EventKind::WatchPaused => "watch_paused",
            EventKind::SunsetApproaching => "sunset_approaching",
            EventKind::CertExpiring => "cert_expiring",
            EventKind::CertExpired => "cert_expired",
            EventKind::Test => "test",
        }
    }

    /// Parses a snake_case name.
    pub fn parse(s: &str) -> Option<EventKind> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    /// Recovery events resolve the condition their firing counterpart opened.
    pub fn is_resolution(self) -> bool {
        matches!(
            self,
            EventKind::EndpointRecovered | EventKind::PollRecovered
        )
    }
}

/// Firing or resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// Something happened, or a condition holds.
    Firing,
    /// The condition is over (`send_resolved`).
    Resolved,
}

/// Change counts per level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    /// Breaking changes.
    pub breaking: u32,
    /// Warnings.
    pub warning: u32,
    /// Informational changes.
    pub info: u32,
}

/// The watch an alert is about.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WatchRef {
    /// Unique slug.
    pub name: String,
    /// e.g. "Stripe".
    pub provider: Option<String>,
    /// e.g. "Payments API".
    pub product: Option<String>,
    /// Labels from the config.
    pub labels: BTreeMap<String, String>,
}

/// The version pair of a spec change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionPair {
    /// Previous version number (0 when there was none).
    pub from: u64,
    /// New version number.
    pub to: u64,
}

/// One event inside a notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPayload {
    /// What happened.
    pub kind: EventKind,
    /// Severity.
    pub level: Level,
    /// Identifies the condition; a recovery carries the fingerprint of what it resolves.
    pub fingerprint: String,
    /// When it was detected (RFC 3339, UTC).
    pub occurred_at: String,
    /// One or a few lines for humans.
    pub summary: String,
    /// Spec changes: the version pair.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versions: Option<VersionPair>,
    /// Spec changes: counts per level over all changes.
    #[serde(default)]
    pub counts: Counts,
    /// Spec changes: total number of changes (may exceed `changes.len()`).
    #[serde(default)]
    pub changes_total: u32,
    /// Spec changes: the first [`MAX_CHANGES`] changes, most severe first.
    #[serde(default)]
    pub changes: Vec<Change>,
    /// Spec changes: counts per level by root cause (one per distinct change, however
    /// many operations it reaches).
    #[serde(default)]
    pub root_causes: Counts,
    /// Spec changes: the first [`MAX_GROUPS`] root causes, most severe first, each with
    /// at most [`MAX_GROUP_OPERATIONS`] of its operations.
    #[serde(default)]
    pub groups: Vec<ChangeGroup>,
    /// Spec changes: how many operations the changes reach (for `breaking_change`, the
    /// breaking ones).
    #[serde(default)]
    pub operations_affected: u32,
    /// Endpoint events and sunsets: `"GET /v1/charges"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Poll / endpoint failures: the last error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Sunsets: the `x-sunset` date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sunset: Option<String>,
    /// Spec changes: the version summary's headline ("2 breaking changes in 355
    /// operations, 5 endpoints added, 12 other changes").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    /// Spec changes: what a client must do, one line per root cause, breaking first
    /// (at most [`MAX_GROUPS`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
}

/// Links for humans.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Links {
    /// The watch on the status page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watch: Option<String>,
    /// The new version's changelog on the status page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// One notification: the events of one route and watch grouped within `group_wait`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertPayload {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Notification id (unique in this daemon's store).
    pub id: String,
    /// Same on every retry of one delivery; receivers deduplicate on it.
    pub idempotency_key: String,
    /// Identifies the condition: the same on repeats and on the recovery.
    pub fingerprint: String,
    /// `route/watch`: the group this notification belongs to.
    pub group_key: String,
    /// Firing or resolved.
    pub status: AlertStatus,
    /// The kind of the most severe event.
    pub event: EventKind,
    /// Highest level of the events.
    pub level: Level,
    /// One line, e.g. "stripe: 3 breaking changes in v7".
    pub title: String,
    /// Plain text, a few lines.
    pub summary: String,
    /// The watch.
    pub watch: WatchRef,
    /// When the notification was created (RFC 3339, UTC).
    pub created_at: String,
    /// True when this repeats a still-firing condition after `repeat_interval`.
    #[serde(default)]
    pub repeat: bool,
    /// Status-page links (present when `[server] public_url` is set).
    #[serde(default)]
    pub links: Links,
    /// The grouped events, most severe first.
    pub events: Vec<EventPayload>,
}

impl AlertPayload {
    /// Counts summed over the events.
    pub fn counts(&self) -> Counts {
        self.events.iter().fold(Counts::default(), |a, e| Counts {
            breaking: a.breaking + e.counts.breaking,
            warning: a.warning + e.counts.warning,
            info: a.info + e.counts.info,
        })
    }

    /// The first `n` changes over all events, most severe first.
    pub fn top_changes(&self, n: usize) -> Vec<&Change> {
        let mut all: Vec<&Change> = self.events.iter().flat_map(|e| &e.changes).collect();
        all.sort_by_key(|c| std::cmp::Reverse(c.level));
        all.truncate(n);
        all
    }
}

/// RFC 3339 (UTC, milliseconds) of a Unix time in milliseconds.
pub fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl EventPayload {
    /// An event with only its kind, level, fingerprint and summary set.
    pub fn plain(
        kind: EventKind,
        level: Level,
        fingerprint: String,
        summary: String,
        now: i64,
    ) -> Self {
        EventPayload {
            kind,
            level,
            fingerprint,
            occurred_at: rfc3339(now),
            summary,
            versions: None,
            counts: Counts::default(),
            changes_total: 0,
            changes: vec![],
            root_causes: Counts::default(),
            groups: vec![],
            operations_affected: 0,
            operation: None,
            error: None,
            sunset: None,
            headline: None,
            actions: vec![],
        }
    }
}
