//! The changelog of a watch over a range of stored versions, as text, markdown (the
//! agent context: a compact file to drop into a consumer repository for coding agents)
//! or JSON. A field deprecated in one version and removed in a later one is one entry.

use std::fmt::Write as _;

use serde::Serialize;

use crate::diff::Level;
use crate::store::{Store, VersionMeta};

use super::history::{ExplainError, version_summary};
use super::{StoredSummary, SummaryItem};

/// Where a changelog starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// Every version.
    All,
    /// Versions after this number.
    Version(u64),
    /// Versions fetched at or after this time (ms since the epoch).
    Time(i64),
}

impl Since {
    /// Parses `7`, `v7` or a date `2026-01-31` (UTC midnight) / RFC 3339 time.
    pub fn parse(s: &str) -> Result<Since, String> {
        let t = s.trim();
        if let Ok(n) = t.trim_start_matches('v').parse::<u64>() {
            return Ok(Since::Version(n));
        }
        if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            let ms = d
                .and_hms_opt(0, 0, 0)
                .map_or(0, |dt| dt.and_utc().timestamp_millis());
            return Ok(Since::Time(ms));
        }
        if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
            return Ok(Since::Time(dt.timestamp_millis()));
        }
        Err(format!(
            "--since {s:?}: expected a version number (7 or v7) or a date (2026-01-31)"
        ))
    }

    fn includes(self, m: &VersionMeta) -> bool {
        match self {
            Since::All => true,
            Since::Version(n) => m.number > n,
            Since::Time(t) => m.fetched_at >= t,
        }
    }
}

/// One version of a changelog.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Version number.
    pub version: u64,
    /// When it was fetched (RFC 3339).
    pub fetched_at: String,
    /// Its summary (none for the first version).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<StoredSummary>,
}

/// One line of the combined view: an item and the versions it spans.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// First version the item appeared in.
    pub from_version: u64,
    /// Version it was completed in (the removal of a deprecated field).
    pub to_version: u64,
    /// The item (text adjusted for merged ones).
    pub item: SummaryItem,
}

/// A watch's changelog.
#[derive(Debug, Clone, Serialize)]
pub struct Changelog {
    /// The watch.
    pub watch: String,
    /// The versions, oldest first.
    pub versions: Vec<Entry>,
    /// All items over the range, breaking first, deprecations merged with later removals.
    pub lines: Vec<Line>,
}

impl Changelog {
    /// The one-entry changelog of version `to` compared directly with `from`.
    pub fn compared(
        watch: &str,
        from: u64,
        to: &VersionMeta,
        summary: super::VersionSummary,
    ) -> Changelog {
        let versions = vec![Entry {
            version: to.number,
            fetched_at: crate::notification::rfc3339(to.fetched_at),
            summary: Some(StoredSummary::new(summary)),
        }];
        let mut lines = combine(&versions);
        for l in &mut lines {
            l.from_version = from;
        }
        Changelog {
            watch: watch.to_string(),
            versions,
            lines,
        }
    }
}

/// Builds the changelog of `watch` from the store.
pub fn build(store: &Store, watch: &str, since: Since) -> Result<Changelog, ExplainError> {
    let metas = store.versions(watch)?;
    let mut versions = Vec::new();
    for m in metas.iter().filter(|m| since.includes(m)) {
        versions.push(Entry {
            version: m.number,
            fetched_at: crate::notification::rfc3339(m.fetched_at),
            summary: version_summary(store, watch, m.number)?,
        });
    }
    let lines = combine(&versions);
    Ok(Changelog {
        watch: watch.to_string(),
        versions,
        lines,
    })
}

/// The first backticked (else single-quoted) name of an item's text.
fn first_name(text: &str) -> Option<&str> {
    let quoted = |q: char| -> Option<&str> {
        let start = text.find(q)? + 1;
        let len = text[start..].find(q)?;
        Some(&text[start..start + len])
    };
    quoted('`').or_else(|| quoted('\''))
}

/// Every item over the versions; a deprecation followed by the removal of the same
/// name in the same operations becomes one line.
fn combine(versions: &[Entry]) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    for e in versions {
        let Some(s) = &e.summary else { continue };
        for item in &s.summary.items {
            let removal = item.rules.iter().any(|r| r.contains("removed"));
            let earlier = removal
                .then(|| first_name(&item.text))
                .flatten()
                .and_then(|name| {
                    lines.iter().position(|l| {
                        l.item.rules.iter().any(|r| r.contains("deprecated"))
                            && first_name(&l.item.text) == Some(name)
                            && l.item.operations == item.operations
                    })
                });
            match earlier {
                Some(at) => {
                    let l = &mut lines[at];
                    l.to_version = e.version;
                    l.item.level = l.item.level.max(item.level);
                    l.item.kind = super::ItemKind::RemovedAfterDeprecation;
                    l.item.rules.extend(item.rules.iter().cloned());
                    l.item.text = format!(
                        "{} (deprecated in v{}, removed in v{})",
                        item.text, l.from_version, e.version
                    );
                }
                None => lines.push(Line {
                    from_version: e.version,
                    to_version: e.version,
                    item: item.clone(),
                }),
            }
        }
    }
    lines.sort_by_key(|l| std::cmp::Reverse(l.item.level));
    lines
}

fn span(l: &Line) -> String {
    if l.from_version == l.to_version {
        format!("v{}", l.to_version)
    } else {
        format!("v{}→v{}", l.from_version, l.to_version)
    }
}

/// Plain text: one block per version, newest last.
pub fn text(c: &Changelog) -> String {
    let mut out = String::new();
    if c.versions.is_empty() {
        let _ = writeln!(out, "{}: no versions in this range", c.watch);
    }
    for e in &c.versions {
        let _ = write!(out, "v{}  {}  ", e.version, e.fetched_at);
        match &e.summary {
            None => out.push_str("first version\n"),
            Some(s) => {
                let _ = writeln!(out, "{}", s.summary.headline);
                for i in &s.summary.items {
                    let _ = writeln!(out, "  - {:<8} {}", i.level.as_str(), i.text);
                }
                if let Some(g) = &s.generated {
                    let _ = writeln!(
                        out,
                        "  Generated summary ({}, {}; may be wrong):",
                        g.provider, g.model
                    );
                    for l in g.text.lines() {
                        let _ = writeln!(out, "    {l}");
                    }
                }
            }
        }
    }
    out
}

/// Markdown for humans and coding agents: what breaks and what to change first, then
/// the rest, then the versions covered.
pub fn markdown(c: &Changelog) -> String {
    use super::docs::markdown::text as esc;
    let mut out = String::new();
    let (first, last) = (
        c.versions.first().map_or(0, |e| e.version),
        c.versions.last().map_or(0, |e| e.version),
    );
    let _ = writeln!(out, "# API changes: {}", esc(&c.watch));
    if c.versions.is_empty() {
        out.push_str("\nNo versions in this range.\n");
        return out;
    }
    let _ = writeln!(
        out,
        "\nVersions v{first}–v{last}, from specwatch's stored history (deterministic; \
         items name what a client must do).\n"
    );
    let breaking: Vec<&Line> = c
        .lines
        .iter()
        .filter(|l| l.item.level == Level::Breaking)
        .collect();
    let other: Vec<&Line> = c
        .lines
        .iter()
        .filter(|l| l.item.level != Level::Breaking)
        .collect();
    out.push_str("## What breaks and what to change\n\n");
    if breaking.is_empty() {
        out.push_str("Nothing breaking.\n");
    }
    for l in breaking {
        let _ = writeln!(out, "- **{}** {}", span(l), l.item.text);
    }
    if !other.is_empty() {
        out.push_str("\n## Other changes\n\n");
        for l in other {
            let _ = writeln!(
                out,
                "- {} ({}) {}",
                span(l),
                l.item.level.as_str(),
                l.item.text
            );
        }
    }
    out.push_str("\n## Versions\n\n");
    for e in &c.versions {
        let head = e
            .summary
            .as_ref()
            .map_or("first version", |s| s.summary.headline.as_str());
        let _ = writeln!(out, "- v{} ({}): {}", e.version, e.fetched_at, esc(head));
        if let Some(g) = e.summary.as_ref().and_then(|s| s.generated.as_ref()) {
            let _ = writeln!(
                out,
                "  - Generated by {} (may be wrong): {}",
                esc(&g.model),
                esc(&g.text.replace('\n', " "))
            );
        }
    }
    out
}

/// JSON: the versions and the combined lines.
pub fn json(c: &Changelog) -> String {
    serde_json::to_string_pretty(c).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_versions_and_dates() {
        assert_eq!(Since::parse("v7"), Ok(Since::Version(7)));
        assert_eq!(Since::parse("3"), Ok(Since::Version(3)));
        assert_eq!(
            Since::parse("2021-10-08"),
            Ok(Since::Time(1_633_651_200_000))
        );
        assert!(Since::parse("yesterday").unwrap_err().contains("--since"));
    }
}
