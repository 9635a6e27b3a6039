//! `--format text`: grouped by endpoint, breaking first; ANSI colors only on a terminal.

use std::fmt::Write;
use std::io::IsTerminal;

use crate::diff::output::{collapsed, totals};
use crate::diff::{Level, Report};

/// Whether stdout should get colors: a terminal, and `NO_COLOR` unset or empty (no-color.org).
pub fn stdout_wants_color() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    !no_color && std::io::stdout().is_terminal()
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";

fn level_color(level: Level) -> &'static str {
    match level {
        Level::Breaking => "\x1b[1;31m",
        Level::Warning => "\x1b[33m",
        Level::Info => "\x1b[36m",
    }
}

/// Replaces control characters (a hostile spec could embed terminal escapes in names).
pub(crate) fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// Renders the report as text; `color` adds ANSI escapes.
pub fn render(report: &Report, color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("{code}{s}{RESET}")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    if report.changes.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    for group in &report.groups {
        let tag = format!("{:<8}", group.level.as_str());
        let _ = writeln!(
            out,
            "{} {}  [{}]",
            paint(level_color(group.level), &tag),
            sanitize(&group.message),
            group.id
        );
        if let Some(ops) = collapsed(group, sanitize) {
            let _ = writeln!(out, "         in {}", paint(BOLD, &ops));
        }
    }
    out.push('\n');
    let _ = writeln!(out, "{}", totals(report));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::output::tests::sample;

    #[test]
    fn text_lists_root_causes_breaking_first_without_color() {
        let out = render(&sample(), false);
        assert!(!out.contains('\x1b'));
        let b = out.find("removed the query request parameter").unwrap();
        let w = out.find("added enum value 'z'").unwrap();
        let doc = out.find("removed tag 'pets'").unwrap();
        assert!(b < w && w < doc, "{out}");
        assert!(out.contains(
            "breaking removed the query request parameter 'x<y>'  [request-parameter-removed]\n         in GET /b\n"
        ), "{out}");
        assert!(out.ends_with(
            "5 root causes (2 breaking, 1 warning, 2 info) in 5 changes (2 breaking, 1 warning, 2 info)\n"
        ), "{out}");
    }

    #[test]
    fn text_colors_levels_when_asked() {
        let out = render(&sample(), true);
        assert!(out.contains("\x1b[1;31mbreaking\x1b[0m"));
        assert_eq!(render(&Report::default(), true), "No changes.\n");
        assert_eq!(sanitize("a\x1b[2Jb"), "a\u{fffd}[2Jb");
    }
}
