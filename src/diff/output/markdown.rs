//! `--format markdown`: for pull-request comments and changelogs.

use std::fmt::Write;

use crate::diff::Report;
use crate::diff::output::{collapsed, totals};

/// Escapes characters Markdown would interpret (including inline HTML).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '{' | '}' | '!' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(ch),
        }
    }
    out
}

/// Renders the report as Markdown.
pub fn render(report: &Report) -> String {
    let mut out = String::from("# API changes\n\n");
    if report.changes.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    let _ = writeln!(out, "**{}**\n", totals(report));
    for group in &report.groups {
        let _ = write!(
            out,
            "- **{}** {} (`{}`)",
            group.level.as_str(),
            escape(&group.message),
            group.id
        );
        if let Some(ops) = collapsed(group, |op| format!("`{}`", op.replace('`', "'"))) {
            let _ = write!(out, " — {ops}");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::output::tests::sample;

    #[test]
    fn markdown_escapes_and_groups() {
        let out = render(&sample());
        assert!(
            out.starts_with(
                "# API changes\n\n**5 root causes (2 breaking, 1 warning, 2 info) in 5 changes (2 breaking, 1 warning, 2 info)**\n\n- **breaking** "
            ),
            "{out}"
        );
        assert!(out.contains("- **breaking** removed the query request parameter 'x&lt;y&gt;' (`request-parameter-removed`) — `GET /b`\n"), "{out}");
        assert_eq!(escape("a|b_*c\nd"), "a\\|b\\_\\*c d");
    }
}
