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

use crate::diff::{Change, Level, Report};

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

/// One group of changes sharing an endpoint (`None`: document-level changes).
pub(crate) struct Group<'r> {
    /// `"GET /pets"`, or `None` for changes outside any operation.
    pub operation: Option<&'r str>,
    /// The group's changes, most severe first.
    pub changes: Vec<&'r Change>,
}

/// Groups changes by endpoint: groups with the most severe change first, then by name;
/// document-level changes form their own group.
pub(crate) fn group_by_endpoint(report: &Report) -> Vec<Group<'_>> {
    let mut groups: indexmap::IndexMap<Option<&str>, Vec<&Change>> = indexmap::IndexMap::new();
    for c in &report.changes {
        groups.entry(c.operation.as_deref()).or_default().push(c);
    }
    let mut groups: Vec<Group<'_>> = groups
        .into_iter()
        .map(|(operation, mut changes)| {
            changes.sort_by_key(|c| std::cmp::Reverse(c.level));
            Group { operation, changes }
        })
        .collect();
    groups.sort_by(|a, b| {
        max_level(&b.changes)
            .cmp(&max_level(&a.changes))
            .then_with(|| a.operation.is_none().cmp(&b.operation.is_none()))
            .then_with(|| a.operation.cmp(&b.operation))
    });
    groups
}

fn max_level(changes: &[&Change]) -> Level {
    changes.iter().map(|c| c.level).max().unwrap_or(Level::Info)
}

/// "2 breaking, 1 warning, 0 info".
pub(crate) fn counts(report: &Report) -> String {
    let s = &report.summary;
    format!(
        "{} breaking, {} warning{}, {} info",
        s.breaking,
        s.warning,
        if s.warning == 1 { "" } else { "s" },
        s.info
    )
}

/// Label for a group heading.
pub(crate) fn endpoint_label(op: Option<&str>) -> &str {
    op.unwrap_or("Document")
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
        "{total} change{} ({}) across {} endpoint{}.",
        plural(total),
        counts(report),
        endpoints.len(),
        plural(endpoints.len())
    );
    let breaking: Vec<&Change> = report
        .changes
        .iter()
        .filter(|c| c.level == Level::Breaking)
        .collect();
    if !breaking.is_empty() {
        let quoted: Vec<String> = breaking
            .iter()
            .take(SUMMARY_QUOTES)
            .map(|c| match &c.operation {
                Some(op) => format!("{} ({op})", c.message),
                None => c.message.clone(),
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
    fn groups_put_breaking_endpoints_first_and_document_last_among_equals() {
        let report = sample();
        let order: Vec<Option<&str>> = group_by_endpoint(&report)
            .iter()
            .map(|g| g.operation)
            .collect();
        assert_eq!(
            order,
            vec![Some("GET /b"), Some("POST /c"), Some("GET /a"), None]
        );
        let a = &group_by_endpoint(&report)[2];
        assert_eq!(a.changes[0].level, Level::Warning);
    }

    #[test]
    fn changelog_summary_counts_and_quotes_breaking_changes() {
        let s = changelog_summary(&sample());
        assert_eq!(
            s,
            "5 changes (2 breaking, 1 warning, 2 info) across 3 endpoints. Breaking: removed the query request parameter 'x<y>' (GET /b); max length decreased from 5000 to 200 (POST /c)."
        );
        assert_eq!(changelog_summary(&Report::default()), "No API changes.");
    }
}
