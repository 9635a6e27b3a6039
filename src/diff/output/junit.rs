//! `--format junit`: JUnit XML as CI dashboards read it (the Jenkins / Ant `junit-10.xsd`
//! shape): one test case per operation compared, one `<failure>` per breaking change;
//! warnings and info go to the test case's `<system-out>`.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::diff::output::html;
use crate::diff::output::source::{Context, headline};
use crate::diff::{Change, Level, Report};

/// The test case of document-level changes (info, tags, security schemes, …).
const DOCUMENT: &str = "Document";

/// The report as a JUnit XML document.
pub fn render(report: &Report, cx: &Context) -> String {
    // Test cases: every operation compared, any other operation a change names, the document.
    let mut cases: BTreeMap<&str, Vec<&Change>> = cx
        .operations
        .iter()
        .map(|op| (op.as_str(), Vec::new()))
        .collect();
    let mut document = Vec::new();
    for c in &report.changes {
        match &c.operation {
            Some(op) => cases.entry(op.as_str()).or_default().push(c),
            None => document.push(c),
        }
    }
    let failures = report.summary.breaking;
    let tests = cases.len() + 1;
    let name = format!("specwatch diff {}", cx.revision);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" time=\"0\">",
        escape(&name)
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"0\">",
        escape(&name)
    );
    for (op, changes) in cases
        .iter()
        .map(|(op, c)| (*op, c))
        .chain([(DOCUMENT, &document)])
    {
        test_case(&mut out, op, changes);
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

fn test_case(out: &mut String, name: &str, changes: &[&Change]) {
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"specwatch.api\" time=\"0\"",
        escape(name)
    );
    if changes.is_empty() {
        out.push_str("/>\n");
        return;
    }
    out.push_str(">\n");
    let (breaking, other): (Vec<&Change>, Vec<&Change>) =
        changes.iter().partition(|c| c.level == Level::Breaking);
    for c in breaking {
        let _ = writeln!(
            out,
            "      <failure message=\"{}\" type=\"{}\">{}&#10;rule: {}&#10;pointer: {}&#10;fingerprint: {}</failure>",
            escape(&c.message),
            escape(&c.id),
            escape(&headline(c)),
            escape(&c.id),
            escape(&c.pointer),
            c.fingerprint
        );
    }
    if !other.is_empty() {
        out.push_str("      <system-out>");
        for c in other {
            let _ = write!(
                out,
                "{} [{}] {}&#10;",
                c.level.as_str(),
                escape(&c.id),
                escape(&c.message)
            );
        }
        out.push_str("</system-out>\n");
    }
    out.push_str("    </testcase>\n");
}

/// Escapes text and attribute values: characters XML 1.0 cannot carry become U+FFFD,
/// then HTML's escaping, which is also XML's.
fn escape(s: &str) -> String {
    let xml_chars: String = s
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect();
    html::escape(&xml_chars)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::output::tests::sample;

    #[test]
    fn one_case_per_operation_and_one_failure_per_breaking_change() {
        let cx = Context {
            revision: "rev.yaml".into(),
            operations: vec!["DELETE /z".into(), "GET /a".into()],
            ..Context::default()
        };
        let xml = render(&sample(), &cx);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let cases: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .map(|n| n.attribute("name").unwrap())
            .collect();
        assert_eq!(
            cases,
            ["DELETE /z", "GET /a", "GET /b", "POST /c", "Document"]
        );
        let failures: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .collect();
        assert_eq!(failures.len(), 2);
        assert_eq!(
            failures[0].attribute("message"),
            Some("removed the query request parameter 'x<y>'")
        );
        let suite = doc
            .descendants()
            .find(|n| n.has_tag_name("testsuite"))
            .unwrap();
        assert_eq!(suite.attribute("tests"), Some("5"));
        assert_eq!(suite.attribute("failures"), Some("2"));
        assert!(
            xml.contains("<testcase name=\"DELETE /z\" classname=\"specwatch.api\" time=\"0\"/>")
        );
        assert_eq!(escape("a\u{1}&\"b"), "a\u{fffd}&amp;&quot;b");
    }
}
