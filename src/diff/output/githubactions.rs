//! `--format githubactions`: workflow commands that GitHub shows as annotations on the
//! revision's lines — `::error` for breaking changes, `::warning`, `::notice` for info.

use std::fmt::Write;

use crate::diff::output::source::{Context, headline};
use crate::diff::{Level, Report};

/// One `::level file=…,line=…,col=…,title=…::message` line per change.
pub fn render(report: &Report, cx: &Context) -> String {
    let mut out = String::new();
    for c in &report.changes {
        let command = match c.level {
            Level::Breaking => "error",
            Level::Warning => "warning",
            Level::Info => "notice",
        };
        let loc = cx.locate(c);
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},title={}::{}",
            property(&loc.file),
            loc.at.line,
            loc.at.column,
            property(&c.id),
            data(&headline(c))
        );
    }
    out
}

/// Escapes a command's message as the Actions runner unescapes it.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`:` and `,` separate properties).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::output::source::Location;
    use crate::diff::output::tests::sample;
    use crate::spec::positions::Position;

    #[test]
    fn one_annotation_per_change_at_its_line_with_escapes() {
        let report = sample();
        let mut cx = Context {
            revision: "api/open,api.yaml".into(),
            ..Context::default()
        };
        cx.locations.insert(
            "/paths/request-parameter-removed".into(),
            Location {
                file: "api/open,api.yaml".into(),
                at: Position {
                    line: 12,
                    column: 7,
                },
            },
        );
        let out = render(&report, &cx);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), report.changes.len());
        assert!(lines.contains(
            &"::error file=api/open%2Capi.yaml,line=12,col=7,title=request-parameter-removed::GET /b: removed the query request parameter 'x<y>'"
        ), "{out}");
        assert!(out.contains("::warning file=api/open%2Capi.yaml,line=1,col=1,title=response-property-enum-value-added::GET /a: added enum value 'z'\n"), "{out}");
        assert!(out.contains("::notice "), "{out}");
        assert_eq!(data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(property("a:b"), "a%3Ab");
    }
}
