//! `breaking_change` / `api_changed`: one event per new version with changes.

use crate::diff::{Level, Report};
use crate::explain::VersionSummary;
use crate::notification::{
    Counts, EventKind, EventPayload, MAX_CHANGES, MAX_GROUP_OPERATIONS, MAX_GROUPS, VersionPair,
    rfc3339,
};

/// The event for a new version `to` (diffed against `from`), or None when nothing changed.
/// All changes of one version are one event; its fingerprint is that of the change set.
pub fn from_report(
    watch: &str,
    report: &Report,
    from: u64,
    to: u64,
    now: i64,
) -> Option<EventPayload> {
    if report.changes.is_empty() {
        return None;
    }
    let s = &report.summary;
    let counts = Counts {
        breaking: s.breaking as u32,
        warning: s.warning as u32,
        info: s.info as u32,
    };
    let (kind, level) = if s.breaking > 0 {
        (EventKind::BreakingChange, Level::Breaking)
    } else if s.warning > 0 {
        (EventKind::ApiChanged, Level::Warning)
    } else {
        (EventKind::ApiChanged, Level::Info)
    };
    let mut fps: Vec<&str> = report
        .changes
        .iter()
        .map(|c| c.fingerprint.as_str())
        .collect();
    fps.sort_unstable();
    let mut parts = vec!["changes", watch];
    parts.extend(fps);
    let causes = &s.root_causes;
    let root_causes = Counts {
        breaking: causes.breaking as u32,
        warning: causes.warning as u32,
        info: causes.info as u32,
    };
    let operations: std::collections::HashSet<&str> = report
        .changes
        .iter()
        .filter_map(|c| c.operation.as_deref())
        .collect();
    let affected = report
        .changes
        .iter()
        .filter(|c| c.level == level)
        .filter_map(|c| c.operation.as_deref())
        .collect::<std::collections::HashSet<_>>()
        .len();
    let mut summary = format!(
        "v{from} → v{to}: {} breaking, {} warning, {} info change{} in {} operation{} ({} record{})",
        causes.breaking,
        causes.warning,
        causes.info,
        if report.groups.len() == 1 { "" } else { "s" },
        operations.len(),
        if operations.len() == 1 { "" } else { "s" },
        report.changes.len(),
        if report.changes.len() == 1 { "" } else { "s" },
    );
    // Root causes are sorted breaking first: the first few say what matters.
    for g in report.groups.iter().take(3) {
        let ops = crate::diff::output::collapsed(g, str::to_string);
        let ops = ops.as_deref().unwrap_or("document");
        summary.push_str(&format!("\n- {} {ops}: {}", g.level.as_str(), g.message));
    }
    if report.groups.len() > 3 {
        summary.push_str(&format!("\n- … and {} more", report.groups.len() - 3));
    }
    let groups = report
        .groups
        .iter()
        .take(MAX_GROUPS)
        .map(|g| {
            let mut g = g.clone();
            g.operations.truncate(MAX_GROUP_OPERATIONS);
            g
        })
        .collect();
    Some(EventPayload {
        kind,
        level,
        fingerprint: super::fingerprint(&parts),
        occurred_at: rfc3339(now),
        summary,
        versions: Some(VersionPair { from, to }),
        counts,
        changes_total: report.changes.len() as u32,
        changes: report.changes.iter().take(MAX_CHANGES).cloned().collect(),
        root_causes,
        groups,
        operations_affected: affected as u32,
        operation: None,
        error: None,
        sunset: None,
        headline: None,
        actions: vec![],
    })
}

/// Like [`from_report`], told by the version's summary: the headline leads the
/// summary text and each root cause is named by what a client must do.
pub fn from_version(
    watch: &str,
    report: &Report,
    explained: Option<&VersionSummary>,
    from: u64,
    to: u64,
    now: i64,
) -> Option<EventPayload> {
    let mut e = from_report(watch, report, from, to, now)?;
    let Some(s) = explained else {
        return Some(e);
    };
    let mut summary = format!("v{from} → v{to}: {}", s.headline);
    for i in s.items.iter().take(3) {
        summary.push_str(&format!("\n- {}: {}", i.level.as_str(), i.text));
    }
    if s.items.len() > 3 {
        summary.push_str(&format!("\n- … and {} more", s.items.len() - 3));
    }
    e.summary = summary;
    e.headline = Some(s.headline.clone());
    e.actions = s
        .items
        .iter()
        .take(MAX_GROUPS)
        .map(|i| i.text.clone())
        .collect();
    Some(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Change;

    fn change(id: &str, level: Level, op: &str) -> Change {
        Change::new(
            id,
            level,
            Some(op.into()),
            "/paths/x".into(),
            format!("{id} on {op}"),
            &[],
        )
    }

    #[test]
    fn breaking_changes_make_one_breaking_event_with_counts() {
        let report = Report::from_changes(vec![
            change(
                "response-property-enum-value-added",
                Level::Warning,
                "GET /a",
            ),
            change("request-parameter-removed", Level::Breaking, "GET /b"),
        ]);
        let e = from_report("w", &report, 6, 7, 0).unwrap();
        assert_eq!(e.kind, EventKind::BreakingChange);
        assert_eq!(e.level, Level::Breaking);
        assert_eq!(
            e.counts,
            Counts {
                breaking: 1,
                warning: 1,
                info: 0
            }
        );
        assert_eq!(e.changes_total, 2);
        assert!(
            e.summary.starts_with("v6 → v7: 1 breaking"),
            "{}",
            e.summary
        );
        assert!(e.summary.contains("GET /b"), "{}", e.summary);
    }

    #[test]
    fn non_breaking_changes_are_api_changed_and_fingerprints_follow_the_change_set() {
        let a = Report::from_changes(vec![change("endpoint-added", Level::Info, "GET /a")]);
        let b = Report::from_changes(vec![change("endpoint-added", Level::Info, "GET /b")]);
        let ea = from_report("w", &a, 1, 2, 0).unwrap();
        assert_eq!(ea.kind, EventKind::ApiChanged);
        assert_eq!(ea.level, Level::Info);
        assert_eq!(
            ea.fingerprint,
            from_report("w", &a, 1, 2, 99).unwrap().fingerprint
        );
        assert_ne!(
            ea.fingerprint,
            from_report("w", &b, 1, 2, 0).unwrap().fingerprint
        );
        assert_ne!(
            ea.fingerprint,
            from_report("other", &a, 1, 2, 0).unwrap().fingerprint
        );
        assert!(from_report("w", &Report::default(), 1, 2, 0).is_none());
    }

    #[test]
    fn the_change_list_is_capped_but_counted() {
        let many: Vec<Change> = (0..MAX_CHANGES + 10)
            .map(|i| change("endpoint-added", Level::Info, &format!("GET /{i}")))
            .collect();
        let e = from_report("w", &Report::from_changes(many), 1, 2, 0).unwrap();
        assert_eq!(e.changes.len(), MAX_CHANGES);
        assert_eq!(e.changes_total as usize, MAX_CHANGES + 10);
    }

    #[test]
    fn the_version_summary_leads_the_event_and_names_what_to_do() {
        let report = Report::from_changes(vec![
            change("request-parameter-removed", Level::Breaking, "GET /b"),
            change("endpoint-added", Level::Info, "GET /c"),
        ]);
        let s = crate::explain::summarize(&report, None);
        let e = from_version("w", &report, Some(&s), 6, 7, 0).unwrap();
        assert_eq!(e.headline.as_deref(), Some(s.headline.as_str()));
        assert!(
            e.summary.starts_with(&format!("v6 → v7: {}", s.headline)),
            "{}",
            e.summary
        );
        assert_eq!(e.actions.len(), 2);
        assert!(e.summary.contains(&e.actions[0]), "{}", e.summary);
        // Without a summary the event is the report's, with no headline.
        let plain = from_version("w", &report, None, 6, 7, 0).unwrap();
        assert_eq!(plain.headline, None);
        assert_eq!(plain.fingerprint, e.fingerprint);
        // The title: the headline, and what to do when one breaking item leads.
        let title = crate::alerts::notify::title_for_test("w", &e);
        assert!(
            title.starts_with(&format!("w v7: {}", s.headline)),
            "{title}"
        );
        assert!(title.ends_with(&format!("({})", e.actions[0])), "{title}");
    }
}
