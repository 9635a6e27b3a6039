//! Reference docs of one version, from the normalized model (so Swagger 2.0, OpenAPI 3.0
//! and 3.1 read the same): operations grouped by tag, their parameters, request bodies and
//! responses with schemas as tables, auth, deprecations and sunsets; component schemas
//! once each, linked wherever they are used (so recursive schemas end in a link).
//! This module walks the model into rows; `markdown` and `html` only print them.

pub mod html;
pub mod markdown;

use std::collections::HashSet;

use indexmap::IndexMap;

use crate::spec::model::{Api, Operation, Schema};

/// How deep inline (unnamed) schemas are expanded into dotted rows.
const MAX_INLINE_DEPTH: usize = 6;
/// How many enum values a row lists.
const MAX_ENUM_VALUES: usize = 12;

/// A piece of a type label: text, or a link to a component schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Plain text.
    Text(String),
    /// A component schema by name.
    Link(String),
}

/// One row of a schema table.
#[derive(Debug, Clone)]
pub struct Row {
    /// Dotted name (`shipping_options[].shipping_rate`).
    pub name: String,
    /// Type label.
    pub ty: Vec<Part>,
    /// Required by its parent.
    pub required: bool,
    /// Constraints, enum values, deprecation, read/write-only.
    pub notes: Vec<String>,
    /// Deprecated (highlighted).
    pub deprecated: bool,
}

/// A parameter, flattened for a table.
#[derive(Debug, Clone)]
pub struct Param {
    /// Name.
    pub name: String,
    /// path / query / header / cookie.
    pub location: &'static str,
    /// Type label.
    pub ty: Vec<Part>,
    /// Required.
    pub required: bool,
    /// Notes (enum values, bounds, deprecation).
    pub notes: Vec<String>,
    /// Deprecated.
    pub deprecated: bool,
}

/// A body (request or one response's media type): its label and, when inline, its rows.
#[derive(Debug, Clone)]
pub struct Body {
    /// Media type.
    pub media_type: String,
    /// Type label.
    pub ty: Vec<Part>,
    /// Rows of an inline object (empty for a linked component).
    pub rows: Vec<Row>,
}

/// One response status.
#[derive(Debug, Clone)]
pub struct ResponseDoc {
    /// Status as written.
    pub status: String,
    /// Bodies per media type.
    pub bodies: Vec<Body>,
    /// Header names.
    pub headers: Vec<String>,
}

/// One operation, ready to print.
#[derive(Debug, Clone)]
pub struct OpDoc<'a> {
    /// Anchor id (unique in the document).
    pub anchor: String,
    /// The operation.
    pub op: &'a Operation,
    /// Auth alternatives ("bearerAuth", "oauth (read, write)"); empty = none.
    pub auth: Vec<String>,
    /// Parameters.
    pub params: Vec<Param>,
    /// Request body: required, bodies.
    pub request: Option<(bool, Vec<Body>)>,
    /// Responses.
    pub responses: Vec<ResponseDoc>,
}

/// A component schema section.
#[derive(Debug, Clone)]
pub struct SchemaDoc {
    /// Component name (anchor `schema-{name}`).
    pub name: String,
    /// Its type label when it is not a plain object.
    pub ty: Vec<Part>,
    /// Deprecated.
    pub deprecated: bool,
    /// Rows.
    pub rows: Vec<Row>,
}

/// The whole document, walked once.
#[derive(Debug, Clone)]
pub struct Doc<'a> {
    /// The model.
    pub api: &'a Api,
    /// Operation groups: tag (or first path segment) → operations.
    pub groups: IndexMap<String, Vec<OpDoc<'a>>>,
    /// Webhooks (3.1).
    pub webhooks: Vec<OpDoc<'a>>,
    /// Security schemes: name → description line.
    pub security: Vec<(String, String)>,
    /// Component schemas.
    pub schemas: Vec<SchemaDoc>,
}

impl<'a> Doc<'a> {
    /// Walks `api` into printable sections.
    pub fn build(api: &'a Api) -> Doc<'a> {
        let mut anchors = HashSet::new();
        let mut groups: IndexMap<String, Vec<OpDoc<'a>>> = IndexMap::new();
        for tag in &api.tags {
            groups.insert(tag.clone(), Vec::new());
        }
        for op in api.operations.values() {
            let group = op
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| group_of(&op.path));
            groups
                .entry(group)
                .or_default()
                .push(op_doc(api, op, &mut anchors));
        }
        groups.retain(|_, ops| !ops.is_empty());
        let webhooks = api
            .webhooks
            .values()
            .map(|op| op_doc(api, op, &mut anchors))
            .collect();
        let security = api
            .security_schemes
            .iter()
            .map(|(name, s)| {
                let mut line = s.kind.clone();
                if let Some(scheme) = &s.scheme {
                    line.push_str(&format!(", scheme {scheme}"));
                }
                if let (Some(loc), Some(n)) = (&s.location, &s.name) {
                    line.push_str(&format!(", {n} in {loc}"));
                }
                for (flow, f) in &s.flows {
                    line.push_str(&format!(", {flow} flow"));
                    if !f.scopes.is_empty() {
                        line.push_str(&format!(" (scopes: {})", f.scopes.join(", ")));
                    }
                }
                (name.clone(), line)
            })
            .collect();
        let schemas = api
            .components
            .iter()
            .map(|(name, id)| {
                let s = api.schema(*id);
                let mut rows = Vec::new();
                object_rows(api, s, "", 0, &mut rows);
                let ty = if is_plain_object(s) {
                    Vec::new()
                } else {
                    label_of(api, s, true)
                };
                SchemaDoc {
                    name: name.clone(),
                    ty,
                    deprecated: s.deprecated,
                    rows,
                }
            })
            .collect();
        Doc {
            api,
            groups,
            webhooks,
            security,
            schemas,
        }
    }

    /// Every operation, in document order of groups.
    pub fn operations(&self) -> impl Iterator<Item = &OpDoc<'a>> {
        self.groups.values().flatten()
    }
}

/// `/v1/checkout/sessions/{session}` → "checkout" (the first segment that is not a
/// version or parameter), for APIs without tags.
fn group_of(path: &str) -> String {
    path.split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .find(|s| !is_version_segment(s))
        .unwrap_or("default")
        .to_string()
}

fn is_version_segment(s: &str) -> bool {
    let s = s.strip_prefix('v').unwrap_or("x");
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// A unique anchor for an operation: `op-post-v1-charges-charge`.
fn anchor(op: &Operation, used: &mut HashSet<String>) -> String {
    let mut slug = format!("op-{}", op.method.to_ascii_lowercase());
    let mut dash = true;
    for c in op.path.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            if !dash && !slug.ends_with('-') {
                slug.push('-');
            }
            slug.push(c.to_ascii_lowercase());
            dash = true;
        } else {
            dash = false;
        }
    }
    let mut out = slug.clone();
    let mut n = 2;
    while !used.insert(out.clone()) {
        out = format!("{slug}-{n}");
        n += 1;
    }
    out
}

fn op_doc<'a>(api: &'a Api, op: &'a Operation, anchors: &mut HashSet<String>) -> OpDoc<'a> {
    let auth = op
        .security
        .iter()
        .flatten()
        .map(|req| {
            req.iter()
                .map(|(name, scopes)| {
                    if scopes.is_empty() {
                        name.clone()
                    } else {
                        format!("{name} ({})", scopes.join(", "))
                    }
                })
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .map(|s| if s.is_empty() { "none".to_string() } else { s })
        .collect();
    let params = op
        .parameters
        .iter()
        .map(|p| {
            let s = p.schema.map(|id| api.schema(id));
            Param {
                name: p.name.clone(),
                location: p.location.as_str(),
                ty: s.map_or_else(
                    || vec![Part::Text("any".into())],
                    |s| label_of(api, s, false),
                ),
                required: p.required,
                notes: s.map(|s| notes(s, p.deprecated)).unwrap_or_default(),
                deprecated: p.deprecated,
            }
        })
        .collect();
    let request = op
        .request_body
        .as_ref()
        .map(|b| (b.required, bodies(api, &b.content)));
    let responses = op
        .responses
        .iter()
        .map(|(status, r)| ResponseDoc {
            status: status.clone(),
            bodies: bodies(api, &r.content),
            headers: r.headers.values().map(|h| h.name.clone()).collect(),
        })
        .collect();
    OpDoc {
        anchor: anchor(op, anchors),
        op,
        auth,
        params,
        request,
        responses,
    }
}

fn bodies(api: &Api, content: &IndexMap<String, crate::spec::model::MediaType>) -> Vec<Body> {
    content
        .iter()
        .map(|(media_type, m)| {
            let mut rows = Vec::new();
            let ty = match m.schema.map(|id| api.schema(id)) {
                Some(s) => {
                    if s.ref_name.is_none() {
                        object_rows(api, s, "", 0, &mut rows);
                    }
                    label_of(api, s, false)
                }
                None => vec![Part::Text("any".into())],
            };
            Body {
                media_type: media_type.clone(),
                ty,
                rows,
            }
        })
        .collect()
}

fn is_plain_object(s: &Schema) -> bool {
    (s.types.is_empty() || s.types == ["object"])
        && s.any_of.is_empty()
        && s.one_of.is_empty()
        && s.all_of.is_empty()
        && !s.properties.is_empty()
}

/// The rows of an object's properties (and of its inline `allOf` parts), expanding
/// inline objects into dotted rows; component schemas end in a link.
fn object_rows(api: &Api, s: &Schema, prefix: &str, depth: usize, out: &mut Vec<Row>) {
    if depth > MAX_INLINE_DEPTH {
        return;
    }
    for part in &s.all_of {
        let p = api.schema(*part);
        if p.ref_name.is_none() {
            object_rows(api, p, prefix, depth + 1, out);
        }
    }
    for (name, id) in &s.properties {
        let p = api.schema(*id);
        let full = format!("{prefix}{name}");
        out.push(Row {
            name: full.clone(),
            ty: label_of(api, p, false),
            required: s.required.iter().any(|r| r == name),
            notes: notes(p, false),
            deprecated: p.deprecated,
        });
        if p.ref_name.is_some() {
            continue;
        }
        if !p.properties.is_empty() || !p.all_of.is_empty() {
            object_rows(api, p, &format!("{full}."), depth + 1, out);
        } else if let Some(items) = p.items.map(|i| api.schema(i))
            && items.ref_name.is_none()
            && !items.properties.is_empty()
        {
            object_rows(api, items, &format!("{full}[]."), depth + 1, out);
        }
    }
}

/// A schema's type in words: `string (date-time) | null`, `array of [charge]`,
/// `one of [a] | [b]`. `top` labels a component itself (not a link to it).
pub fn label_of(api: &Api, s: &Schema, top: bool) -> Vec<Part> {
    let mut out = Vec::new();
    label_into(api, s, top, 0, &mut out);
    out
}

fn label_into(api: &Api, s: &Schema, top: bool, depth: usize, out: &mut Vec<Part>) {
    let text = |out: &mut Vec<Part>, t: &str| match out.last_mut() {
        Some(Part::Text(prev)) => prev.push_str(t),
        _ => out.push(Part::Text(t.to_string())),
    };
    if let (Some(name), false) = (&s.ref_name, top) {
        out.push(Part::Link(name.clone()));
        if s.nullable {
            text(out, " | null");
        }
        return;
    }
    if depth > 3 {
        text(out, "…");
        return;
    }
    let branches = [
        ("one of ", &s.one_of),
        ("any of ", &s.any_of),
        ("all of ", &s.all_of),
    ];
    let mut wrote = false;
    for (word, list) in branches {
        if list.is_empty() {
            continue;
        }
        if wrote {
            text(out, "; ");
        }
        text(out, word);
        for (i, b) in list.iter().enumerate() {
            if i > 0 {
                text(out, " | ");
            }
            label_into(api, api.schema(*b), false, depth + 1, out);
        }
        wrote = true;
    }
    if !wrote || !s.types.is_empty() {
        if wrote {
            text(out, "; ");
        }
        if s.types.is_empty() {
            text(
                out,
                if s.properties.is_empty() {
                    "any"
                } else {
                    "object"
                },
            );
        }
        for (i, t) in s.types.iter().enumerate() {
            if i > 0 {
                text(out, " | ");
            }
            if t == "array" {
                text(out, "array of ");
                match s.items.map(|i| api.schema(i)) {
                    Some(items) => label_into(api, items, false, depth + 1, out),
                    None => text(out, "any"),
                }
            } else {
                text(out, t);
            }
        }
        if let Some(f) = &s.format {
            text(out, &format!(" ({f})"));
        }
    }
    if s.nullable {
        text(out, " | null");
    }
}

/// Constraints and annotations worth a reader's attention.
fn notes(s: &Schema, deprecated: bool) -> Vec<String> {
    let mut n = Vec::new();
    if deprecated || s.deprecated {
        n.push("deprecated".into());
    }
    if let Some(values) = &s.enum_values {
        let shown: Vec<String> = values
            .iter()
            .take(MAX_ENUM_VALUES)
            .map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        let more = values.len().saturating_sub(MAX_ENUM_VALUES);
        let mut line = format!("one of: {}", shown.join(", "));
        if more > 0 {
            line.push_str(&format!(" and {more} more"));
        }
        n.push(line);
    }
    if let Some(m) = s.max_length {
        n.push(format!("max length {m}"));
    }
    if let Some(m) = s.min_length.filter(|m| *m > 0) {
        n.push(format!("min length {m}"));
    }
    if let Some(b) = s.minimum {
        n.push(format!(
            "{} {}",
            if b.exclusive { ">" } else { "≥" },
            b.value
        ));
    }
    if let Some(b) = s.maximum {
        n.push(format!(
            "{} {}",
            if b.exclusive { "<" } else { "≤" },
            b.value
        ));
    }
    if let Some(p) = &s.ext().pattern {
        n.push(format!("pattern {p}"));
    }
    if let Some(d) = &s.default {
        n.push(format!("default {d}"));
    }
    if s.read_only {
        n.push("read-only".into());
    }
    if s.write_only {
        n.push("write-only".into());
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untagged_operations_are_grouped_by_their_first_path_segment() {
        assert_eq!(group_of("/v1/checkout/sessions/{session}"), "checkout");
        assert_eq!(group_of("/pets"), "pets");
        assert_eq!(group_of("/v2.1/x"), "x");
        assert_eq!(group_of("/"), "default");
    }
}
