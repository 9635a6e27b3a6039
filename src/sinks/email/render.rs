//! What an alert email says: subject, plain-text and HTML bodies, and the message ids
//! that make retries the same message and thread a condition's trigger and resolve.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::diff::Change;
use crate::notification::{AlertPayload, AlertStatus, EventPayload};

/// Changes listed in an email at most (the payload holds up to 50 per event).
pub(crate) const TOP_CHANGES: usize = 20;

/// `[specwatch] BREAKING stripe: 3 breaking changes in v7`; `RESOLVED` replaces the
/// level on a resolved notification. Control characters become spaces (no header injection).
pub(crate) fn subject(p: &AlertPayload) -> String {
    let tag = match p.status {
        AlertStatus::Resolved => "RESOLVED".to_string(),
        AlertStatus::Firing => p.level.as_str().to_ascii_uppercase(),
    };
    let title: String = p
        .title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("[specwatch] {tag} {}", title.trim())
}

/// `<{kind}.{hash}@{domain}>`: a valid msg-id whatever characters `key` holds.
pub(crate) fn message_id(kind: &str, key: &str, domain: &str) -> String {
    let hash = hex::encode(&Sha256::digest(key.as_bytes())[..16]);
    format!("<{kind}.{hash}@{domain}>")
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// "stripe (Stripe, Payments API)".
fn watch_line(p: &AlertPayload) -> String {
    let extra: Vec<&str> = [p.watch.provider.as_deref(), p.watch.product.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if extra.is_empty() {
        p.watch.name.clone()
    } else {
        format!("{} ({})", p.watch.name, extra.join(", "))
    }
}

/// "v6 → v7" of the first event that has a version pair.
fn versions_line(p: &AlertPayload) -> Option<String> {
    let v = p.events.iter().find_map(|e| e.versions)?;
    Some(if v.from == 0 {
        format!("v{} (first version)", v.to)
    } else {
        format!("v{} → v{}", v.from, v.to)
    })
}

/// "3 breaking, 1 warning, 0 info", or None when there are no changes.
fn counts_line(p: &AlertPayload) -> Option<String> {
    let c = p.counts();
    (c.breaking + c.warning + c.info > 0).then(|| {
        format!(
            "{} breaking, {} warning, {} info",
            c.breaking, c.warning, c.info
        )
    })
}

/// Changes in the payload beyond the ones listed.
fn unlisted(p: &AlertPayload, listed: usize) -> u64 {
    let total: u64 = p.events.iter().map(|e| u64::from(e.changes_total)).sum();
    total.saturating_sub(listed as u64)
}

/// `[breaking] response-property-removed GET /v1/charges: message`.
fn change_line(c: &Change) -> String {
    match &c.operation {
        Some(op) => format!("[{}] {} {op}: {}", c.level.as_str(), c.id, c.message),
        None => format!("[{}] {}: {}", c.level.as_str(), c.id, c.message),
    }
}

/// The detail fields of an event that are set: operation, error, sunset.
fn event_details(e: &EventPayload) -> Vec<(&'static str, &str)> {
    [
        ("operation", e.operation.as_deref()),
        ("error", e.error.as_deref()),
        ("sunset", e.sunset.as_deref()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect()
}

/// Status-page links that are set.
fn links(p: &AlertPayload) -> Vec<(&'static str, &str)> {
    [
        ("Changelog", p.links.version.as_deref()),
        ("Watch", p.links.watch.as_deref()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect()
}

/// The plain-text body.
pub(crate) fn text_body(p: &AlertPayload) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", p.title);
    if p.status == AlertStatus::Resolved {
        let _ = writeln!(s, "(resolved)");
    } else if p.repeat {
        let _ = writeln!(s, "(still firing: repeat notification)");
    }
    let _ = writeln!(s, "\n{}\n", p.summary.trim_end());
    let _ = writeln!(s, "Watch:    {}", watch_line(p));
    if let Some(v) = versions_line(p) {
        let _ = writeln!(s, "Versions: {v}");
    }
    if let Some(c) = counts_line(p) {
        let _ = writeln!(s, "Changes:  {c}");
    }
    let top = p.top_changes(TOP_CHANGES);
    if !top.is_empty() {
        let _ = writeln!(s, "\nTop changes:");
        for c in &top {
            let _ = writeln!(s, "- {}", change_line(c));
        }
        let more = unlisted(p, top.len());
        if more > 0 {
            let _ = writeln!(s, "… and {more} more");
        }
    }
    let _ = writeln!(s, "\nEvents:");
    for e in &p.events {
        let _ = writeln!(
            s,
            "- {} ({}) at {}: {}",
            e.kind.as_str(),
            e.level.as_str(),
            e.occurred_at,
            e.summary.trim_end()
        );
        for (k, v) in event_details(e) {
            let _ = writeln!(s, "    {k}: {v}");
        }
    }
    let links = links(p);
    if !links.is_empty() {
        let _ = writeln!(s);
        for (k, v) in links {
            let _ = writeln!(s, "{k}: {v}");
        }
    }
    let _ = writeln!(
        s,
        "\n-- \nspecwatch notification {} (fingerprint {})",
        p.id, p.fingerprint
    );
    s
}

/// The HTML body; every value from the payload is escaped.
pub(crate) fn html_body(p: &AlertPayload) -> String {
    let e = escape_html;
    let mut s = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body style=\"font-family:sans-serif\">\n",
    );
    let _ = writeln!(s, "<h2>{}</h2>", e(&p.title));
    if p.status == AlertStatus::Resolved {
        let _ = writeln!(s, "<p><strong>Resolved</strong></p>");
    } else if p.repeat {
        let _ = writeln!(s, "<p><em>Still firing: repeat notification</em></p>");
    }
    let _ = writeln!(
        s,
        "<p style=\"white-space:pre-wrap\">{}</p>",
        e(p.summary.trim_end())
    );
    let _ = writeln!(s, "<table>");
    let mut row = |k: &str, v: &str| {
        let _ = writeln!(s, "<tr><th align=\"left\">{k}</th><td>{}</td></tr>", e(v));
    };
    row("Watch", &watch_line(p));
    if let Some(v) = versions_line(p) {
        row("Versions", &v);
    }
    if let Some(c) = counts_line(p) {
        row("Changes", &c);
    }
    let _ = writeln!(s, "</table>");
    let top = p.top_changes(TOP_CHANGES);
    if !top.is_empty() {
        let _ = writeln!(s, "<h3>Top changes</h3>\n<ul>");
        for c in &top {
            let op = c
                .operation
                .as_deref()
                .map(|o| format!(" <code>{}</code>", e(o)))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "<li>[{}] <code>{}</code>{op}: {}</li>",
                c.level.as_str(),
                e(&c.id),
                e(&c.message)
            );
        }
        let more = unlisted(p, top.len());
        if more > 0 {
            let _ = writeln!(s, "<li>… and {more} more</li>");
        }
        let _ = writeln!(s, "</ul>");
    }
    let _ = writeln!(s, "<h3>Events</h3>\n<ul>");
    for ev in &p.events {
        let _ = write!(
            s,
            "<li>{} ({}) at {}: {}",
            ev.kind.as_str(),
            ev.level.as_str(),
            e(&ev.occurred_at),
            e(ev.summary.trim_end())
        );
        for (k, v) in event_details(ev) {
            let _ = write!(s, "<br>{k}: {}", e(v));
        }
        let _ = writeln!(s, "</li>");
    }
    let _ = writeln!(s, "</ul>");
    for (k, v) in links(p) {
        let _ = writeln!(s, "<p><a href=\"{}\">{k}</a></p>", e(v));
    }
    let _ = writeln!(
        s,
        "<p style=\"color:#888\">specwatch notification {} (fingerprint {})</p>\n</body></html>",
        e(&p.id),
        e(&p.fingerprint)
    );
    s
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::diff::Level;
    use crate::notification::{Counts, EventKind, Links, VersionPair, WatchRef};

    pub(crate) fn payload() -> AlertPayload {
        let change = |id: &str, level, op: Option<&str>, msg: &str| Change {
            id: id.into(),
            level,
            operation: op.map(str::to_string),
            pointer: "/paths".into(),
            message: msg.into(),
            fingerprint: format!("fp-{id}"),
            cause: 0,
        };
        AlertPayload {
            schema: "specwatch.alert.v1".into(),
            id: "n-1".into(),
            idempotency_key: "n-1/mail".into(),
            fingerprint: "breaking_change/stripe".into(),
            group_key: "default/stripe".into(),
            status: AlertStatus::Firing,
            event: EventKind::BreakingChange,
            level: Level::Breaking,
            title: "stripe: 2 breaking changes in v7".into(),
            summary: "2 breaking, 1 info".into(),
            watch: WatchRef {
                name: "stripe".into(),
                provider: Some("Stripe".into()),
                product: Some("Payments <API>".into()),
                labels: Default::default(),
            },
            created_at: "2026-12-01T08:00:00.000Z".into(),
            repeat: false,
            links: Links {
                watch: None,
                version: Some("https://sw.example/w/stripe/v/7?a=1&b=2".into()),
            },
            events: vec![EventPayload {
                kind: EventKind::BreakingChange,
                level: Level::Breaking,
                fingerprint: "breaking_change/stripe".into(),
                occurred_at: "2026-12-01T08:00:00.000Z".into(),
                summary: "2 breaking".into(),
                versions: Some(VersionPair { from: 6, to: 7 }),
                counts: Counts {
                    breaking: 2,
                    warning: 0,
                    info: 1,
                },
                changes_total: 5,
                changes: vec![
                    change("endpoint-added", Level::Info, Some("GET /v1/x"), "added"),
                    change(
                        "response-property-removed",
                        Level::Breaking,
                        Some("GET /v1/charges"),
                        "removed <b>amount</b> & 'fee'",
                    ),
                    change("api-removed", Level::Breaking, None, "removed"),
                ],
                root_causes: Counts::default(),
                groups: vec![],
                operations_affected: 0,
                operation: None,
                error: None,
                sunset: None,
                headline: None,
                actions: vec![],
            }],
        }
    }

    #[test]
    fn subject_has_level_and_title() {
        let mut p = payload();
        assert_eq!(
            subject(&p),
            "[specwatch] BREAKING stripe: 2 breaking changes in v7"
        );
        p.status = AlertStatus::Resolved;
        p.title = "stripe:\r\nBcc: x@evil polls again".into();
        assert_eq!(
            subject(&p),
            "[specwatch] RESOLVED stripe:  Bcc: x@evil polls again"
        );
    }

    #[test]
    fn html_escaping_covers_markup_and_quotes() {
        assert_eq!(
            escape_html(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn html_body_escapes_payload_text() {
        let html = html_body(&payload());
        assert!(html.contains("removed &lt;b&gt;amount&lt;/b&gt; &amp; &#39;fee&#39;"));
        assert!(html.contains("Payments &lt;API&gt;"));
        assert!(html.contains("href=\"https://sw.example/w/stripe/v/7?a=1&amp;b=2\""));
        assert!(!html.contains("<b>amount"));
    }

    #[test]
    fn text_body_lists_the_most_severe_changes_first() {
        let text = text_body(&payload());
        let first = text
            .find("- [breaking] response-property-removed GET /v1/charges: removed")
            .unwrap();
        let doc_level = text.find("- [breaking] api-removed: removed").unwrap();
        let info = text
            .find("- [info] endpoint-added GET /v1/x: added")
            .unwrap();
        assert!(first < info && doc_level < info, "{text}");
        assert!(text.contains("Versions: v6 → v7"));
        assert!(text.contains("Changes:  2 breaking, 0 warning, 1 info"));
        assert!(text.contains("… and 2 more"), "5 total, 3 listed");
        assert!(text.contains("Changelog: https://sw.example/w/stripe/v/7?a=1&b=2"));
    }

    #[test]
    fn message_ids_are_stable_and_valid() {
        let a = message_id("alert", "n-1/mail", "example.com");
        assert_eq!(a, message_id("alert", "n-1/mail", "example.com"));
        assert_ne!(a, message_id("alert", "n-2/mail", "example.com"));
        assert!(a.starts_with("<alert.") && a.ends_with("@example.com>"));
        assert_eq!(a.len(), "<alert.@example.com>".len() + 32);
    }
}
