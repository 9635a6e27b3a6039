//! `endpoint_down` / `endpoint_recovered` from endpoint state changes, and
//! `cert_expiring` / `cert_expired` from the certificates the probes saw.

use crate::diff::Level;
use crate::notification::{EventKind, EventPayload, rfc3339};

/// Fingerprint of an endpoint's down condition (its recovery carries the same).
pub fn down_fingerprint(watch: &str, operation: &str) -> String {
    super::fingerprint(&["endpoint_down", watch, operation])
}

/// `endpoint_down`: `failures` failures in a row, the last one `error`.
pub fn down(watch: &str, operation: &str, failures: u32, error: &str, now: i64) -> EventPayload {
    let mut e = super::plain(
        EventKind::EndpointDown,
        Level::Breaking,
        down_fingerprint(watch, operation),
        format!("{watch}: {operation} is down ({failures} failed probes in a row: {error})"),
        now,
    );
    e.operation = Some(operation.to_string());
    e.error = Some(error.to_string());
    e
}

/// `endpoint_recovered` after `down_for_ms` down.
pub fn recovered(watch: &str, operation: &str, down_since: i64, now: i64) -> EventPayload {
    let mut e = super::plain(
        EventKind::EndpointRecovered,
        Level::Info,
        down_fingerprint(watch, operation),
        format!(
            "{watch}: {operation} is up again after {} down",
            down_for(now - down_since)
        ),
        now,
    );
    e.operation = Some(operation.to_string());
    e
}

/// "45 s", "12 min", "3 h 5 min", "2 d 4 h": how long an endpoint was down.
fn down_for(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        3600..86_400 => format!("{} h {} min", s / 3600, s % 3600 / 60),
        _ => format!("{} d {} h", s / 86_400, s % 86_400 / 3600),
    }
}

/// `cert_expiring` (`expired` false) or `cert_expired` for `host`'s certificate.
pub fn cert(watch: &str, host: &str, not_after: i64, expired: bool, now: i64) -> EventPayload {
    let days = (not_after - now).max(0) / 86_400_000;
    let (kind, level, summary) = if expired {
        (
            EventKind::CertExpired,
            Level::Breaking,
            format!(
                "{watch}: the TLS certificate of {host} expired on {}",
                rfc3339(not_after)
            ),
        )
    } else {
        (
            EventKind::CertExpiring,
            Level::Warning,
            format!(
                "{watch}: the TLS certificate of {host} expires in {days} days ({})",
                rfc3339(not_after)
            ),
        )
    };
    let mut e = super::plain(
        kind,
        level,
        super::fingerprint(&[kind.as_str(), watch, host, &not_after.to_string()]),
        summary,
        now,
    );
    e.error = Some(format!(
        "certificate of {host} valid until {}",
        rfc3339(not_after)
    ));
    e
}
