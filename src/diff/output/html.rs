//! `--format html`: one self-contained page (inline CSS, no scripts, no external resources).

use std::fmt::Write;

use crate::diff::Report;
use crate::diff::output::{collapsed, totals};

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}\
h2{font-size:1.05rem;font-family:ui-monospace,monospace;margin-top:1.5rem}\
ul{list-style:none;padding-left:0}li{margin:.3rem 0}\
.lvl{display:inline-block;min-width:5.5rem;font-weight:600}\
.breaking{color:#b00020}.warning{color:#a06000}.info{color:#006080}\
code{color:#555;font-size:.85em}.ops{margin-left:5.5rem;font-size:.9em}";

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// Renders the report as an HTML document.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>API changes</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>API changes</h1>\n"
    );
    if report.changes.is_empty() {
        out.push_str("<p>No changes.</p>\n");
    } else {
        let _ = writeln!(
            out,
            "<p><strong>{}</strong></p>\n<ul>",
            escape(&totals(report))
        );
        for group in &report.groups {
            let lvl = group.level.as_str();
            let _ = write!(
                out,
                "<li><span class=\"lvl {lvl}\">{lvl}</span> {} <code title=\"{}\">{}</code>",
                escape(&group.message),
                escape(&group.pointer),
                escape(&group.id)
            );
            if let Some(ops) = collapsed(group, |op| format!("<code>{}</code>", escape(op))) {
                let _ = write!(out, "<br><span class=\"ops\">in {ops}</span>");
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::output::tests::sample;

    #[test]
    fn html_is_self_contained_and_escaped() {
        let out = render(&sample());
        assert!(out.starts_with("<!DOCTYPE html>"));
        assert!(!out.contains("<script") && !out.contains("src=") && !out.contains("href="));
        assert!(out.contains("parameter &#39;x&lt;y&gt;&#39;"));
        assert!(!out.contains("x<y>"));
        assert!(out.contains("in <code>GET /b</code>"), "{out}");
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
