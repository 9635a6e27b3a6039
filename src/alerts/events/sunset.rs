//! `sunset_approaching`: a deprecated operation whose `x-sunset` date comes within the
//! horizon, raised once per operation and date. The sunset list is taken from each new
//! version and checked on every successful poll, so a date approaches even while the
//! spec stays the same.

use std::time::Duration;

use serde_json::Value;

use crate::diff::Level;
use crate::notification::{EventKind, EventPayload};
use crate::store::SunsetEntry;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Deprecated operations with a parseable `x-sunset` (RFC 3339 or `YYYY-MM-DD`), keeping
/// `notified` from `previous` for the same operation and date.
pub fn collect(doc: &Value, previous: &[SunsetEntry]) -> Vec<SunsetEntry> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        for m in METHODS {
            let Some(op) = item.get(*m) else { continue };
            if op.get("deprecated").and_then(Value::as_bool) != Some(true) {
                continue;
            }
            let Some(sunset) = op.get("x-sunset").and_then(Value::as_str) else {
                continue;
            };
            let Some(at) = parse_date(sunset) else {
                continue;
            };
            let operation = format!("{} {path}", m.to_ascii_uppercase());
            let notified = previous
                .iter()
                .any(|p| p.operation == operation && p.at == at && p.notified);
            out.push(SunsetEntry {
                operation,
                sunset: sunset.to_string(),
                at,
                notified,
            });
        }
    }
    out
}

fn parse_date(s: &str) -> Option<i64> {
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(d.timestamp_millis());
    }
    let d = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

/// Events for entries whose sunset is within `horizon` of `now` (and not past by more
/// than a day: a long-gone date is not "approaching"); marks them notified.
pub fn due(
    watch: &str,
    entries: &mut [SunsetEntry],
    horizon: Duration,
    now: i64,
) -> Vec<EventPayload> {
    let horizon = i64::try_from(horizon.as_millis()).unwrap_or(i64::MAX);
    let mut out = Vec::new();
    for e in entries.iter_mut().filter(|e| !e.notified) {
        let left = e.at - now;
        if left > horizon || left < -86_400_000 {
            continue;
        }
        e.notified = true;
        let days = left.max(0) / 86_400_000;
        let mut ev = super::plain(
            EventKind::SunsetApproaching,
            Level::Warning,
            super::fingerprint(&["sunset", watch, &e.operation, &e.sunset]),
            format!(
                "{watch}: {} is deprecated and sunsets on {} (in {days} day{})",
                e.operation,
                e.sunset,
                if days == 1 { "" } else { "s" }
            ),
            now,
        );
        ev.operation = Some(e.operation.clone());
        ev.sunset = Some(e.sunset.clone());
        out.push(ev);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    #[test]
    fn deprecated_operations_with_a_sunset_fire_once_within_the_horizon() {
        let doc = serde_json::json!({"paths": {
            "/old": {"get": {"deprecated": true, "x-sunset": "2027-01-10"}},
            "/also": {"post": {"deprecated": true, "x-sunset": "2027-06-01T00:00:00Z"}},
            "/live": {"get": {"x-sunset": "2027-01-10"}},
            "/bad": {"get": {"deprecated": true, "x-sunset": "soon"}}
        }});
        let mut entries = collect(&doc, &[]);
        assert_eq!(entries.len(), 2);
        let now = parse_date("2026-12-20").unwrap();
        let fired = due("w", &mut entries, Duration::from_secs(30 * 86_400), now);
        assert_eq!(fired.len(), 1);
        assert_eq!(fired[0].operation.as_deref(), Some("GET /old"));
        assert!(
            fired[0].summary.contains("in 21 days"),
            "{}",
            fired[0].summary
        );
        assert!(
            due(
                "w",
                &mut entries,
                Duration::from_secs(30 * 86_400),
                now + DAY
            )
            .is_empty()
        );
        // A new version keeps the flag for the same date; a moved date fires again.
        let again = collect(&doc, &entries);
        assert!(
            again
                .iter()
                .any(|e| e.operation == "GET /old" && e.notified)
        );
        let moved = serde_json::json!({"paths": {"/old": {"get": {"deprecated": true, "x-sunset": "2027-01-15"}}}});
        let mut moved = collect(&moved, &entries);
        assert_eq!(
            due("w", &mut moved, Duration::from_secs(30 * 86_400), now).len(),
            1
        );
    }

    #[test]
    fn long_past_sunsets_do_not_fire() {
        let doc = serde_json::json!({"paths": {"/old": {"get": {"deprecated": true, "x-sunset": "2020-01-01"}}}});
        let mut entries = collect(&doc, &[]);
        let now = parse_date("2026-12-20").unwrap();
        assert!(due("w", &mut entries, Duration::from_secs(30 * 86_400), now).is_empty());
    }
}
