//! `AlertPayload` → the WIT `alert` record: typed essentials plus the whole
//! `specwatch.alert.v1` document (`payload-json`, the exact bytes a webhook would POST).

use crate::diff::Level;
use crate::notification::AlertStatus;
use crate::sinks::Delivery;

use super::bindings::specwatch::sink::types::{self as wit};

/// Changes listed in `top-changes` at most (the full list is in `payload-json`).
pub const TOP_CHANGES: usize = 10;

/// Builds the record a plugin's `deliver` receives.
pub fn to_wit(d: &Delivery<'_>) -> wit::Alert {
    let p = d.payload;
    let counts = p.counts();
    let versions = p.events.iter().find_map(|e| e.versions);
    let occurred_at_ms = chrono::DateTime::parse_from_rfc3339(&p.created_at)
        .or_else(|_| {
            chrono::DateTime::parse_from_rfc3339(
                p.events.first().map_or("", |e| e.occurred_at.as_str()),
            )
        })
        .map_or(0, |t| t.timestamp_millis().max(0) as u64);
    wit::Alert {
        id: p.id.clone(),
        idempotency_key: d.idempotency_key.to_string(),
        fingerprint: p.fingerprint.clone(),
        event: p.event.as_str().to_string(),
        status: match p.status {
            AlertStatus::Firing => wit::Status::Firing,
            AlertStatus::Resolved => wit::Status::Resolved,
        },
        level: level(p.level),
        title: p.title.clone(),
        summary: p.summary.clone(),
        watch: p.watch.name.clone(),
        provider: p.watch.provider.clone(),
        product: p.watch.product.clone(),
        labels: p
            .watch
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        from_version: versions.map(|v| v.from),
        to_version: versions.map(|v| v.to),
        counts: wit::Counts {
            breaking: counts.breaking,
            warning: counts.warning,
            info: counts.info,
        },
        top_changes: p
            .top_changes(TOP_CHANGES)
            .into_iter()
            .map(|c| wit::Change {
                id: c.id.clone(),
                level: level(c.level),
                operation: c.operation.clone(),
                message: c.message.clone(),
            })
            .collect(),
        link: p.links.watch.clone(),
        occurred_at_ms,
        payload_json: String::from_utf8_lossy(d.body).into_owned(),
    }
}

fn level(l: Level) -> wit::Level {
    match l {
        Level::Info => wit::Level::Info,
        Level::Warning => wit::Level::Warning,
        Level::Breaking => wit::Level::Breaking,
    }
}
