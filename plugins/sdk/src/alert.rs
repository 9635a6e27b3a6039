//! The alert a plugin delivers: the typed essentials of the WIT record plus the
//! parsed `specwatch.alert.v1` document.

use serde_json::Value;

use crate::bindings::specwatch::sink::types as wit;

/// Severity of an alert or change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Nothing a client must do.
    Info,
    /// May break some clients.
    Warning,
    /// Breaks existing clients.
    Breaking,
}

impl Level {
    /// `info`, `warning` or `breaking`, as in the payload.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Breaking => "breaking",
        }
    }

    /// A conventional colour (0xRRGGBB): red, amber, blue.
    pub fn rgb(self) -> u32 {
        match self {
            Level::Info => 0x1E88E5,
            Level::Warning => 0xF9A825,
            Level::Breaking => 0xD32F2F,
        }
    }
}

/// Firing or resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Something happened, or a condition holds.
    Firing,
    /// The condition is over.
    Resolved,
}

impl Status {
    /// `firing` or `resolved`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Firing => "firing",
            Status::Resolved => "resolved",
        }
    }
}

/// Change counts per level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Breaking changes.
    pub breaking: u32,
    /// Warnings.
    pub warning: u32,
    /// Informational changes.
    pub info: u32,
}

impl Counts {
    /// Sum of all levels.
    pub fn total(&self) -> u32 {
        self.breaking + self.warning + self.info
    }
}

/// One change of a spec diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Rule id, e.g. `response-property-removed`.
    pub id: String,
    /// Severity.
    pub level: Level,
    /// `"GET /v1/charges"`, or `None` for document-level changes.
    pub operation: Option<String>,
    /// Human message.
    pub message: String,
}

impl Change {
    /// `GET /v1/charges: message` (or just the message), without the level.
    pub fn text(&self) -> String {
        match &self.operation {
            Some(op) => format!("{op}: {}", self.message),
            None => self.message.clone(),
        }
    }

    /// Plain one-line form: `breaking GET /v1/charges: message`.
    pub fn line(&self) -> String {
        match &self.operation {
            Some(op) => format!("{} {op}: {}", self.level.as_str(), self.message),
            None => format!("{}: {}", self.level.as_str(), self.message),
        }
    }
}

/// One notification.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// Notification id.
    pub id: String,
    /// Same on every retry of this delivery.
    pub idempotency_key: String,
    /// Identifies the condition across repeats and its recovery: the dedup key.
    pub fingerprint: String,
    /// `breaking_change`, `api_changed`, `endpoint_down`, … (see the WIT).
    pub event: String,
    /// Firing or resolved.
    pub status: Status,
    /// Highest level.
    pub level: Level,
    /// One line.
    pub title: String,
    /// A few lines of plain text.
    pub summary: String,
    /// Watch name.
    pub watch: String,
    /// e.g. "Stripe".
    pub provider: Option<String>,
    /// e.g. "Payments API".
    pub product: Option<String>,
    /// Labels of the watch.
    pub labels: Vec<(String, String)>,
    /// Previous spec version, for spec changes.
    pub from_version: Option<u64>,
    /// New spec version, for spec changes.
    pub to_version: Option<u64>,
    /// Change counts.
    pub counts: Counts,
    /// The first few changes, most severe first.
    pub top_changes: Vec<Change>,
    /// Status-page link of the watch.
    pub link: Option<String>,
    /// When it happened (Unix ms).
    pub occurred_at_ms: u64,
    /// The whole `specwatch.alert.v1` document (`Value::Null` if the host sent
    /// something unparsable, which a conforming host never does).
    pub payload: Value,
}

impl Alert {
    /// True for a recovery.
    pub fn is_resolved(&self) -> bool {
        self.status == Status::Resolved
    }

    /// `occurred_at_ms` as RFC 3339 UTC (`2026-12-01T07:38:21.000Z`).
    pub fn occurred_at(&self) -> String {
        crate::time::rfc3339(self.occurred_at_ms)
    }

    /// `v6 → v7` when the alert is about a spec change.
    pub fn versions(&self) -> Option<String> {
        match (self.from_version, self.to_version) {
            (Some(f), Some(t)) if f > 0 => Some(format!("v{f} → v{t}")),
            (_, Some(t)) => Some(format!("v{t}")),
            _ => None,
        }
    }

    /// The label's value, if the watch has it.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Colour for the alert: green when resolved, else by level.
    pub fn rgb(&self) -> u32 {
        match self.status {
            Status::Resolved => 0x2E7D32,
            Status::Firing => self.level.rgb(),
        }
    }

    /// Emoji marking the alert in chat messages.
    pub fn emoji(&self) -> &'static str {
        match (self.status, self.level) {
            (Status::Resolved, _) => "✅",
            (_, Level::Breaking) => "🔴",
            (_, Level::Warning) => "🟠",
            (_, Level::Info) => "🔵",
        }
    }

    /// `RESOLVED`, or the level in capitals.
    pub fn badge(&self) -> &'static str {
        match (self.status, self.level) {
            (Status::Resolved, _) => "RESOLVED",
            (_, Level::Breaking) => "BREAKING",
            (_, Level::Warning) => "WARNING",
            (_, Level::Info) => "INFO",
        }
    }
}

impl From<wit::Level> for Level {
    fn from(l: wit::Level) -> Level {
        match l {
            wit::Level::Info => Level::Info,
            wit::Level::Warning => Level::Warning,
            wit::Level::Breaking => Level::Breaking,
        }
    }
}

impl From<wit::Alert> for Alert {
    fn from(a: wit::Alert) -> Alert {
        let payload = serde_json::from_str(&a.payload_json).unwrap_or(Value::Null);
        Alert {
            id: a.id,
            idempotency_key: a.idempotency_key,
            fingerprint: a.fingerprint,
            event: a.event,
            status: match a.status {
                wit::Status::Firing => Status::Firing,
                wit::Status::Resolved => Status::Resolved,
            },
            level: a.level.into(),
            title: a.title,
            summary: a.summary,
            watch: a.watch,
            provider: a.provider,
            product: a.product,
            labels: a.labels,
            from_version: a.from_version,
            to_version: a.to_version,
            counts: Counts {
                breaking: a.counts.breaking,
                warning: a.counts.warning,
                info: a.counts.info,
            },
            top_changes: a
                .top_changes
                .into_iter()
                .map(|c| Change {
                    id: c.id,
                    level: c.level.into(),
                    operation: c.operation,
                    message: c.message,
                })
                .collect(),
            link: a.link,
            occurred_at_ms: a.occurred_at_ms,
            payload,
        }
    }
}
