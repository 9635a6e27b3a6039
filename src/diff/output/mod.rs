//! Report renderers for `specwatch diff --format …` and the per-version changelog summary.

pub mod githubactions;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod singleline;
pub mod source;
pub mod text;
pub mod yaml;

use crate::diff::{ChangeGroup, Level, Report};

/// Output format of `specwatch diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Human text grouped by endpoint, breaking first (colored on a terminal).
    #[default]
    Text,
    /// The JSON contract: `{"changes":[…],"summary":{…}}`.
    Json,
    /// GitHub-flavored Markdown (for PR comments).
    Markdown,
    /// A self-contained HTML page.
    Html,
    /// GitHub Actions annotations at the revision's lines.
    Githubactions,
    /// JUnit XML: a test case per operation, a failure per breaking change.
    Junit,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// One change per line: `LEVEL [rule-id] METHOD /path: message`.
    Singleline,
    /// The JSON contract as YAML.
    Yaml,
}

impl Format {
    /// True for the formats that point at lines of the revision (the CLI builds a line
    /// map only for these).
    pub fn needs_locations(self) -> bool {
        matches!(self, Format::Githubactions | Format::Sarif)
    }
}

/// Renders `report` in `format`; `color` applies to text only.
pub fn render(report: &Report, format: Format, color: bool) -> String {
    render_with(report, format, color, &source::Context::default())
}

/// Renders `report` in `format` with the sources' context (locations, operations).
pub fn render_with(report: &Report, format: Format, color: bool, cx: &source::Context) -> String {
    match format {
        Format::Text => text::render(report, color),
        Format::Json => json::render(report),
        Format::Markdown => markdown::render(report),
        Format::Html => html::render(report),
        Format::Githubactions => githubactions::render(report, cx),
        Format::Junit => junit::render(report, cx),
        Format::Sarif => sarif::render(report, cx),
        Format::Singleline => singleline::render(report),
        Format::Yaml => yaml::render(report),
    }
}

/// "2 breaking, 1 warning, 0 info".
pub(crate) fn counts(report: &Report) -> String {
    let s = &report.summary;
    by_level(s.breaking, s.warning, s.info)
}

/// "2 breaking, 1 warning, 0 info" counted by root cause.
pub(crate) fn cause_counts(report: &Report) -> String {
    let s = &report.summary.root_causes;
    by_level(s.breaking, s.warning, s.info)
}

fn by_level(breaking: usize, warning: usize, info: usize) -> String {
    format!(
        "{breaking} breaking, {warning} warning{}, {info} info",
        if warning == 1 { "" } else { "s" }
    )
}

/// "3 root causes (2 breaking, 1 warning, 0 info) in 5 changes (3 breaking, …)".
pub(crate) fn totals(report: &Report) -> String {
    let (groups, changes) = (report.groups.len(), report.changes.len());
    format!(
        "{groups} root cause{} ({}) in {changes} change{} ({})",
        plural(groups),
        cause_counts(report),
        plural(changes),
        counts(report)
    )
}

/// A group's operations collapsed for humans: "`GET /v1/charges` and 354 more", each
/// name passed through `name` (quoting, escaping); None for document-level changes.
pub(crate) fn collapsed(group: &ChangeGroup, name: impl Fn(&str) -> String) -> Option<String> {
    let first = group.operations.first()?;
    let more = group.operation_count.saturating_sub(1);
    Some(match more {
        0 => name(first),
        1 => format!("{} and {}", name(first), name(&group.operations[1..][0])),
        n => format!("{} and {n} more", name(first)),
    })
}

/// How many breaking-change messages the changelog summary quotes.
const SUMMARY_QUOTES: usize = 3;

/// A one-paragraph human summary of a report, stored with each version
/// ("what changed in v7") and used in alerts.
pub fn changelog_summary(report: &Report) -> String {
    let total = report.changes.len();
    if total == 0 {
        return "No API changes.".to_string();
    }
    let endpoints: std::collections::HashSet<&str> = report
        .changes
        .iter()
        .filter_map(|c| c.operation.as_deref())
        .collect();
    let mut out = format!(
        "{} across {} endpoint{}.",
        totals(report),
        endpoints.len(),
        plural(endpoints.len())
    );
    let breaking: Vec<&ChangeGroup> = report
        .groups
        .iter()
        .filter(|g| g.level == Level::Breaking)
        .collect();
    if !breaking.is_empty() {
        let quoted: Vec<String> = breaking
            .iter()
            .take(SUMMARY_QUOTES)
            .map(|g| match collapsed(g, str::to_string) {
                Some(ops) => format!("{} ({ops})", g.message),
                None => g.message.clone(),
            })
            .collect();
        out.push_str(" Breaking: ");
        out.push_str(&quoted.join("; "));
        if breaking.len() > SUMMARY_QUOTES {
            out.push_str(&format!("; and {} more", breaking.len() - SUMMARY_QUOTES));
        }
        out.push('.');
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::diff::Change;

    /// A small report with breaking, warning, info and document-level changes.
    pub(crate) fn sample() -> Report {
        let c = |id: &str, level, op: Option<&str>, msg: &str| {
            Change::new(
                id,
                level,
                op.map(str::to_string),
                format!("/paths/{id}"),
                msg.into(),
                &[],
            )
        };
        Report::from_changes(vec![
            c(
                "endpoint-added",
                Level::Info,
                Some("GET /a"),
                "endpoint added",
            ),
            c(
                "request-parameter-removed",
                Level::Breaking,
                Some("GET /b"),
                "removed the query request parameter 'x<y>'",
            ),
            c(
                "response-property-enum-value-added",
                Level::Warning,
                Some("GET /a"),
                "added enum value 'z'",
            ),
            c("api-tag-removed", Level::Info, None, "removed tag 'pets'"),
            c(
                "request-property-max-length-decreased",
                Level::Breaking,
                Some("POST /c"),
                "max length decreased from 5000 to 200",
            ),
        ])
    }

    #[test]
    fn one_change_reached_from_many_operations_is_one_collapsed_root_cause() {
        let shared = |op: &str| {
            Change::with_cause(
                "response-property-became-nullable",
                Level::Breaking,
                Some(op.to_string()),
                "/components/schemas/customer/properties/subscriptions".into(),
                format!("the response property 'customer/subscriptions' of {op} became nullable"),
                &[op],
                &[],
            )
        };
        let mut changes: Vec<Change> = (0..355)
            .map(|i| shared(&format!("GET /v1/x{i:03}")))
            .collect();
        changes.extend(sample().changes);
        let report = Report::from_changes(changes);
        assert_eq!(report.changes.len(), 360);
        assert_eq!(report.groups.len(), 6);
        let g = &report.groups[0];
        assert_eq!((g.level, g.operation_count), (Level::Breaking, 355));
        assert_eq!(
            collapsed(g, |s| format!("`{s}`")).as_deref(),
            Some("`GET /v1/x000` and 354 more")
        );
        assert_eq!(report.summary.root_causes.breaking, 3);
        assert_eq!(report.summary.breaking, 357);
        let doc = report
            .groups
            .iter()
            .find(|g| g.id == "api-tag-removed")
            .unwrap();
        assert_eq!(collapsed(doc, str::to_string), None);
        assert!(
            totals(&report)
                .starts_with("6 root causes (3 breaking, 1 warning, 2 info) in 360 changes")
        );
    }

    #[test]
    fn changelog_summary_counts_and_quotes_breaking_changes() {
        let s = changelog_summary(&sample());
        assert_eq!(
            s,
            "5 root causes (2 breaking, 1 warning, 2 info) in 5 changes (2 breaking, 1 warning, 2 info) across 3 endpoints. Breaking: removed the query request parameter 'x<y>' (GET /b); max length decreased from 5000 to 200 (POST /c)."
        );
        assert_eq!(changelog_summary(&Report::default()), "No API changes.");
    }
}
