//! `--format singleline`: one change per line, `LEVEL [rule-id] METHOD /path: message`,
//! for grep, wc -l and log search.

use std::fmt::Write;

use crate::diff::Report;
use crate::diff::output::source::headline;
use crate::diff::output::text::sanitize;

/// One line per change, in report order (breaking first).
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for c in &report.changes {
        let _ = writeln!(
            out,
            "{} [{}] {}",
            c.level.as_str(),
            c.id,
            sanitize(&headline(c))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::output::tests::sample;

    #[test]
    fn one_line_per_change_with_level_id_and_endpoint() {
        let out = render(&sample());
        assert_eq!(out.lines().count(), 5);
        assert!(out.starts_with(
            "breaking [request-parameter-removed] GET /b: removed the query request parameter 'x<y>'\n"
        ), "{out}");
        assert!(
            out.contains("\ninfo [api-tag-removed] removed tag 'pets'\n"),
            "{out}"
        );
        assert_eq!(render(&Report::default()), "");
    }
}
