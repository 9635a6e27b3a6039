//! Markdown reference docs (GitHub-flavored). Spec strings are escaped so HTML in a
//! description stays text wherever the markdown is rendered.

use std::fmt::Write as _;

use super::{Body, Doc, OpDoc, Part, Row};
use crate::spec::model::Api;

/// The docs of `api` as markdown.
pub fn render(api: &Api) -> String {
    let doc = Doc::build(api);
    let mut out = String::with_capacity(1 << 20);
    let title = api.title.as_deref().unwrap_or("API");
    let _ = writeln!(out, "# {}", text(title));
    let _ = writeln!(
        out,
        "\nVersion {} · {} {} · {} operations · {} schemas\n",
        text(api.api_version.as_deref().unwrap_or("—")),
        if api.spec_version.starts_with('2') {
            "Swagger"
        } else {
            "OpenAPI"
        },
        text(&api.spec_version),
        api.operations.len(),
        api.components.len()
    );
    for s in &api.servers {
        let _ = writeln!(out, "- Server: `{}`", code(s));
    }
    out.push_str("\n## Contents\n\n");
    for (group, ops) in &doc.groups {
        let _ = writeln!(out, "- {}", text(group));
        for o in ops {
            let _ = writeln!(
                out,
                "  - [`{} {}`](#{}){}",
                o.op.method,
                code(&o.op.path),
                o.anchor,
                if o.op.deprecated { " (deprecated)" } else { "" }
            );
        }
    }
    if !doc.schemas.is_empty() {
        out.push_str("- [Schemas](#schemas)\n");
    }
    if !doc.security.is_empty() {
        out.push_str("\n## Authentication\n\n");
        for (name, line) in &doc.security {
            let _ = writeln!(out, "- `{}`: {}", code(name), text(line));
        }
    }
    for (group, ops) in &doc.groups {
        let _ = writeln!(out, "\n## {}\n", text(group));
        for o in ops {
            operation(&mut out, o);
        }
    }
    if !doc.webhooks.is_empty() {
        out.push_str("\n## Webhooks\n\n");
        for o in &doc.webhooks {
            operation(&mut out, o);
        }
    }
    if !doc.schemas.is_empty() {
        out.push_str("\n## Schemas\n");
        for s in &doc.schemas {
            let _ = writeln!(
                out,
                "\n<a id=\"schema-{}\"></a>\n### `{}`{}\n",
                attr(&s.name),
                code(&s.name),
                if s.deprecated {
                    " — **deprecated**"
                } else {
                    ""
                }
            );
            if !s.ty.is_empty() {
                let _ = writeln!(out, "Type: {}\n", parts(&s.ty));
            }
            rows(&mut out, &s.rows);
        }
    }
    out
}

fn operation(out: &mut String, o: &OpDoc<'_>) {
    let op = o.op;
    let _ = writeln!(
        out,
        "<a id=\"{}\"></a>\n### `{} {}`\n",
        o.anchor,
        op.method,
        code(&op.path)
    );
    if op.deprecated || op.sunset.is_some() {
        let mut line = String::from("> **Deprecated**");
        if let Some(s) = &op.sunset {
            let _ = write!(line, " — sunset {}", text(s));
        }
        let _ = writeln!(out, "{line}\n");
    }
    if let Some(s) = &op.summary {
        let _ = writeln!(out, "**{}**\n", text(s));
    }
    if let Some(d) = &op.description {
        let _ = writeln!(out, "{}\n", text(d));
    }
    let mut facts = Vec::new();
    if let Some(id) = &op.operation_id {
        facts.push(format!("operationId `{}`", code(id)));
    }
    if let Some(s) = &op.stability {
        facts.push(format!("stability {}", text(s)));
    }
    if op.security.is_some() {
        let auth = if o.auth.is_empty() {
            "none".to_string()
        } else {
            o.auth
                .iter()
                .map(|a| text(a))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        facts.push(format!("auth: {auth}"));
    }
    if !facts.is_empty() {
        let _ = writeln!(out, "{}\n", facts.join(" · "));
    }
    if !o.params.is_empty() {
        out.push_str("| Parameter | In | Type | Required | Notes |\n|---|---|---|---|---|\n");
        for p in &o.params {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} |",
                code(&p.name),
                p.location,
                parts(&p.ty),
                yes(p.required),
                cell(&p.notes)
            );
        }
        out.push('\n');
    }
    if let Some((required, bodies)) = &o.request {
        let _ = writeln!(
            out,
            "**Request body**{}\n",
            if *required { " (required)" } else { "" }
        );
        for b in bodies {
            body(out, b);
        }
    }
    if !o.responses.is_empty() {
        out.push_str("**Responses**\n\n");
        for r in &o.responses {
            let _ = write!(out, "- `{}`", code(&r.status));
            if !r.headers.is_empty() {
                let h: Vec<String> = r.headers.iter().map(|h| format!("`{}`", code(h))).collect();
                let _ = write!(out, " (headers {})", h.join(", "));
            }
            out.push('\n');
            for b in &r.bodies {
                let _ = writeln!(out, "  - `{}`: {}", code(&b.media_type), parts(&b.ty));
            }
            for b in r.bodies.iter().filter(|b| !b.rows.is_empty()) {
                out.push('\n');
                rows(out, &b.rows);
            }
        }
        out.push('\n');
    }
}

fn body(out: &mut String, b: &Body) {
    let _ = writeln!(out, "`{}`: {}\n", code(&b.media_type), parts(&b.ty));
    rows(out, &b.rows);
}

fn rows(out: &mut String, rows: &[Row]) {
    if rows.is_empty() {
        return;
    }
    out.push_str("| Property | Type | Required | Notes |\n|---|---|---|---|\n");
    for r in rows {
        let _ = writeln!(
            out,
            "| `{}`{} | {} | {} | {} |",
            code(&r.name),
            if r.deprecated { " ⚠" } else { "" },
            parts(&r.ty),
            yes(r.required),
            cell(&r.notes)
        );
    }
    out.push('\n');
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "" }
}

fn parts(ps: &[Part]) -> String {
    ps.iter()
        .map(|p| match p {
            Part::Text(t) => text(t),
            Part::Link(name) => format!("[`{}`](#schema-{})", code(name), attr(name)),
        })
        .collect()
}

fn cell(notes: &[String]) -> String {
    notes.iter().map(|n| text(n)).collect::<Vec<_>>().join("; ")
}

/// Text for markdown: HTML-significant characters as entities, markdown punctuation
/// that could start markup (or end a table cell) escaped.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            '\\' | '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Text inside a code span: backticks cannot be escaped there, so they become quotes;
/// `|` is escaped for tables; newlines become spaces.
fn code(s: &str) -> String {
    s.replace('`', "'")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// An anchor id: characters outside `[A-Za-z0-9_.-]` become `-`.
pub fn attr(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_strings_cannot_inject_markup() {
        assert_eq!(
            text("<script>alert(1)</script> a|b *x*"),
            "&lt;script&gt;alert(1)&lt;/script&gt; a\\|b \\*x\\*"
        );
        assert_eq!(code("a`b|c"), "a'b\\|c");
        assert_eq!(attr("a b\"<"), "a-b--");
    }
}
