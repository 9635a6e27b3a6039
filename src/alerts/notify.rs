//! Building the `specwatch.alert.v1` document of one notification from its events.

use crate::notification::{
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

/// One line naming the watch and what happened, counting root causes (one per distinct
/// change, however many operations it reaches): "stripe v15: 1 breaking change
/// (the response property 'subscriptions' became nullable) in 355 operations".
fn title_of(watch: &str, e: &EventPayload) -> String {
    let to = e.versions.map_or(0, |v| v.to);
    let (n, what) = match e.kind {
        EventKind::BreakingChange => (e.root_causes.breaking, "breaking change"),
        EventKind::ApiChanged => (
            e.root_causes.breaking + e.root_causes.warning + e.root_causes.info,
            "change",
        ),
        _ => return e.summary.lines().next().unwrap_or_default().to_string(),
    };
    // Events stored before root causes were counted have only record counts.
    let n = if n == 0 {
        match e.kind {
            EventKind::BreakingChange => e.counts.breaking,
            _ => e.changes_total,
        }
    } else {
        n
    };
    if let Some(h) = &e.headline {
        return explained_title(watch, to, h, e);
    }
    let mut title = format!("{watch} v{to}: {n} {what}{}", if n == 1 { "" } else { "s" });
    let only = e.groups.first().filter(|g| n == 1 && g.level >= e.level);
    if let Some(g) = only {
        title.push_str(&format!(" ({})", shorten(&g.message, TITLE_MESSAGE_CHARS)));
    }
    let ops = e.operations_affected;
    if ops > 0 {
        title.push_str(&format!(
            " in {ops} operation{}",
            if ops == 1 { "" } else { "s" }
        ));
    }
    title
}

/// "stripe v15: 1 breaking change in 355 operations (handle `null` in `customer.subscriptions`)":
/// the summary's headline, and what to do when one breaking root cause leads.
fn explained_title(watch: &str, to: u64, headline: &str, e: &EventPayload) -> String {
    let mut title = format!("{watch} v{to}: {headline}");
    // The headline counts items (a rename is one), not root causes.
    let one_breaking = headline.starts_with("1 breaking change");
    if let (true, Some(first)) = (one_breaking, e.actions.first()) {
        // The action without its reach, which the headline already counts.
        let what = first.split(" — reached from ").next().unwrap_or(first);
        title.push_str(&format!(" ({})", shorten(what, TITLE_MESSAGE_CHARS)));
    }
    title
}

/// [`title_of`] for tests of other modules.
#[cfg(test)]
pub(crate) fn title_for_test(watch: &str, e: &EventPayload) -> String {
    title_of(watch, e)
}

/// Characters of a root cause's message quoted in a title at most.
const TITLE_MESSAGE_CHARS: usize = 120;

/// `s` cut to `max` characters, with an ellipsis when cut.
fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((at, _)) => format!("{}…", &s[..at]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Level;
    use crate::notification::{Counts, VersionPair};

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
        assert_eq!(p.title, "stripe v2: 3 breaking changes (+1 more)");
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

    #[test]
    fn titles_count_root_causes_not_records() {
        use crate::diff::{Change, Report};
        let change = |id: &str, level, op: String, ptr: &str, msg: &str| {
            Change::with_cause(
                id,
                level,
                Some(op.clone()),
                ptr.into(),
                format!("{msg} ({op})"),
                &[&op],
                &[],
            )
        };
        // One field of a shared component, returned by 355 operations; one breaking
        // change on one of them; an info change elsewhere.
        let mut changes: Vec<Change> = (0..355)
            .map(|i| {
                change(
                    "response-property-became-nullable",
                    Level::Breaking,
                    format!("GET /v1/r{i:03}"),
                    "/components/schemas/customer/properties/subscriptions",
                    "customer.subscriptions became nullable",
                )
            })
            .collect();
        let one = Report::from_changes(changes.clone());
        let e = crate::alerts::events::changes::from_report("stripe", &one, 14, 15, 0).unwrap();
        let w = WatchRef {
            name: "stripe".into(),
            ..WatchRef::default()
        };
        let draft = |events| Draft {
            route: "r",
            watch: &w,
            events,
            status: AlertStatus::Firing,
            repeat: false,
            public_url: None,
            now: 0,
        };
        let p = build(draft(vec![e.clone()]));
        assert_eq!(
            p.title,
            "stripe v15: 1 breaking change (customer.subscriptions became nullable (GET /v1/r000)) in 355 operations"
        );
        assert!(
            p.summary.starts_with("v14 → v15: 1 breaking, 0 warning, 0 info change in 355 operations (355 records)\n- breaking GET /v1/r000 and 354 more: "),
            "{}",
            p.summary
        );
        assert_eq!(e.groups.len(), 1);
        assert_eq!(e.groups[0].operation_count, 355);
        assert_eq!(
            e.groups[0].operations.len(),
            crate::notification::MAX_GROUP_OPERATIONS
        );
        changes.push(change(
            "request-parameter-removed",
            Level::Breaking,
            "GET /v1/r007".into(),
            "/paths/x",
            "q removed",
        ));
        changes.push(change(
            "endpoint-added",
            Level::Info,
            "GET /v1/new".into(),
            "/paths/new",
            "added",
        ));
        let two = Report::from_changes(changes);
        let e = crate::alerts::events::changes::from_report("stripe", &two, 14, 15, 0).unwrap();
        assert_eq!(
            build(draft(vec![e])).title,
            "stripe v15: 2 breaking changes in 355 operations"
        );
    }
}
