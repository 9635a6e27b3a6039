//! Building the `specwatch.alert.v1` document of one notification from its events.

use crate::alerts::payload::{
    AlertPayload, AlertStatus, EventKind, EventPayload, Links, SCHEMA, WatchRef, rfc3339,
};

/// What a notification is, before the store numbers it.
pub struct Draft<'a> {
    /// Route name.
    pub route: &'a str,
    /// The watch.
    pub watch: &'a WatchRef,
    /// The grouped events.
    pub events: Vec<EventPayload>,
    /// Firing or resolved.
    pub status: AlertStatus,
    /// A repeat of a still-firing condition.
    pub repeat: bool,
    /// `[alerts] public_url`.
    pub public_url: Option<&'a str>,
    /// Now (ms).
    pub now: i64,
}

/// The document; `id` and `idempotency_key` are set by the store and the dispatcher.
pub fn build(d: Draft<'_>) -> AlertPayload {
    let mut events = d.events;
    // Most severe first; equal levels keep their order.
    events.sort_by_key(|e| std::cmp::Reverse(e.level));
    let first = &events[0];
    let level = first.level;
    let fingerprint = if events.len() == 1 {
        first.fingerprint.clone()
    } else {
        let fps: Vec<&str> = events.iter().map(|e| e.fingerprint.as_str()).collect();
        super::events::fingerprint(&fps)
    };
    let mut title = title_of(&d.watch.name, first);
    if events.len() > 1 {
        title.push_str(&format!(" (+{} more)", events.len() - 1));
    }
    if d.status == AlertStatus::Resolved {
        title = format!("RESOLVED {title}");
    } else if d.repeat {
        title = format!("STILL FIRING {title}");
    }
    let summary = events
        .iter()
        .map(|e| e.summary.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let links = match d.public_url {
        None => Links::default(),
        Some(base) => Links {
            watch: Some(format!("{base}/watches/{}", d.watch.name)),
            version: first
                .versions
                .map(|v| format!("{base}/watches/{}/versions/{}", d.watch.name, v.to)),
        },
    };
    AlertPayload {
        schema: SCHEMA.to_string(),
        id: String::new(),
        idempotency_key: String::new(),
        fingerprint,
        group_key: format!("{}/{}", d.route, d.watch.name),
        status: d.status,
        event: first.kind,
        level,
        title,
        summary,
        watch: d.watch.clone(),
        created_at: rfc3339(d.now),
        repeat: d.repeat,
        links,
        events,
    }
}

/// One line naming the watch and what happened.
fn title_of(watch: &str, e: &EventPayload) -> String {
    let n = e.changes_total;
    let s = if n == 1 { "" } else { "s" };
    let to = e.versions.map_or(0, |v| v.to);
    match e.kind {
        EventKind::BreakingChange => format!(
            "{watch}: {} breaking change{} in v{to}",
            e.counts.breaking,
            if e.counts.breaking == 1 { "" } else { "s" }
        ),
        EventKind::ApiChanged => format!("{watch}: {n} change{s} in v{to}"),
        _ => e.summary.lines().next().unwrap_or_default().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::payload::{Counts, VersionPair};
    use crate::diff::Level;

    fn event(kind: EventKind, level: Level, fp: &str) -> EventPayload {
        let mut e = crate::alerts::events::plain(kind, level, fp.into(), format!("w: {fp}"), 0);
        if kind == EventKind::BreakingChange {
            e.versions = Some(VersionPair { from: 1, to: 2 });
            e.counts = Counts {
                breaking: 3,
                warning: 0,
                info: 1,
            };
            e.changes_total = 4;
        }
        e
    }

    #[test]
    fn the_most_severe_event_leads_and_links_point_at_the_version() {
        let w = WatchRef {
            name: "stripe".into(),
            ..WatchRef::default()
        };
        let p = build(Draft {
            route: "r",
            watch: &w,
            events: vec![
                event(EventKind::PollRecovered, Level::Info, "a"),
                event(EventKind::BreakingChange, Level::Breaking, "b"),
            ],
            status: AlertStatus::Firing,
            repeat: false,
            public_url: Some("https://sw.example"),
            now: 0,
        });
        assert_eq!(p.event, EventKind::BreakingChange);
        assert_eq!(p.level, Level::Breaking);
        assert_eq!(p.title, "stripe: 3 breaking changes in v2 (+1 more)");
        assert_eq!(p.group_key, "r/stripe");
        assert_eq!(
            p.links.version.as_deref(),
            Some("https://sw.example/watches/stripe/versions/2")
        );
        assert_ne!(p.fingerprint, "b", "a group has its own fingerprint");
    }

    #[test]
    fn a_single_event_keeps_its_fingerprint_and_resolutions_say_so() {
        let w = WatchRef::default();
        let p = build(Draft {
            route: "r",
            watch: &w,
            events: vec![event(EventKind::PollRecovered, Level::Info, "fp")],
            status: AlertStatus::Resolved,
            repeat: false,
            public_url: None,
            now: 0,
        });
        assert_eq!(p.fingerprint, "fp");
        assert!(p.title.starts_with("RESOLVED "), "{}", p.title);
        assert_eq!(p.links, Links::default());
    }
}
