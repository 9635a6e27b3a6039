//! Request parameters (path, query, header, cookie): added, removed, required-ness,
//! serialization style/explode, and their schemas (handed to the schema core).
//! Parameters match by location + key: header names case-insensitively, path
//! parameters by position, so renaming a path parameter is not a change.

use crate::diff::context::{DiffCtx, Direction};
use crate::diff::engine::OpPair;
use crate::diff::rules::deprecation::{self, Removal, classify_removal, param_sunset};
use crate::diff::rules::rule_def::rule_table;
use crate::diff::schema::{SchemaSite, SiteKind, compare};
use crate::spec::model::{Api, ParamIn, Parameter, SchemaId};

rule_table! {
    REQUEST_PARAMETER_REMOVED = "request-parameter-removed", Warning, "parameters",
        "A request parameter was removed; the server now ignores (or rejects) it.", "deleted the {0} request parameter '{1}'";
    NEW_REQUIRED_REQUEST_PARAMETER = "new-required-request-parameter", Breaking, "parameters",
        "A new required request parameter was added.", "added the new required {0} request parameter '{1}'";
    NEW_OPTIONAL_REQUEST_PARAMETER = "new-optional-request-parameter", Info, "parameters",
        "A new optional request parameter was added.", "added the new optional {0} request parameter '{1}'";
    NEW_REQUEST_PATH_PARAMETER = "new-request-path-parameter", Breaking, "parameters",
        "A new path parameter was declared for an existing operation.", "added the new path request parameter '{0}'";
    NEW_REQUIRED_DEFAULT_PARAMETER = "new-required-request-default-parameter-to-existing-path", Breaking, "parameters",
        "A new required parameter was added at path level, so to every operation of an existing path.",
        "added the new required {0} request parameter '{1}' to all operations of the path";
    NEW_OPTIONAL_DEFAULT_PARAMETER = "new-optional-request-default-parameter-to-existing-path", Info, "parameters",
        "A new optional parameter was added at path level, so to every operation of an existing path.",
        "added the new optional {0} request parameter '{1}' to all operations of the path";
    REQUEST_PARAMETER_BECAME_REQUIRED = "request-parameter-became-required", Breaking, "parameters",
        "An optional request parameter became required.", "the {0} request parameter '{1}' became required";
    REQUEST_PARAMETER_BECAME_OPTIONAL = "request-parameter-became-optional", Info, "parameters",
        "A required request parameter became optional.", "the {0} request parameter '{1}' became optional";
    REQUEST_PARAMETER_STYLE_CHANGED = "request-parameter-style-changed", Breaking, "parameters",
        "A request parameter's serialization style changed; clients encode it the old way.",
        "the {0} request parameter '{1}' style changed from '{2}' to '{3}'";
    REQUEST_PARAMETER_EXPLODE_CHANGED = "request-parameter-explode-changed", Breaking, "parameters",
        "A request parameter's explode setting changed; clients encode arrays/objects the old way.",
        "the {0} request parameter '{1}' explode changed from {2} to {3}";
}

/// The style in effect (OpenAPI defaults: form for query/cookie, simple for path/header).
fn style(p: &Parameter) -> &str {
    p.style.as_deref().unwrap_or(match p.location {
        ParamIn::Query | ParamIn::Cookie => "form",
        ParamIn::Path | ParamIn::Header => "simple",
    })
}

/// The explode in effect (default: true exactly for style form).
fn explode(p: &Parameter) -> bool {
    p.explode.unwrap_or(style(p) == "form")
}

/// What a parameter's values can be on the wire: scalars, arrays, objects.
#[derive(Default, Clone, Copy)]
struct Shapes {
    scalar: bool,
    array: bool,
    object: bool,
}

/// Composition branches deeper than this are not looked into (then: any shape).
const SHAPE_DEPTH: u32 = 8;

/// The shapes a schema's values may take, through its composition branches. A schema
/// with no type anywhere may be anything.
fn shapes(api: &Api, id: SchemaId, depth: u32) -> Shapes {
    let any = Shapes {
        scalar: true,
        array: true,
        object: true,
    };
    let s = api.schema(id);
    let mut out = Shapes::default();
    for t in &s.types {
        match t.as_str() {
            "array" => out.array = true,
            "object" => out.object = true,
            _ => out.scalar = true,
        }
    }
    if !s.types.is_empty() {
        return out;
    }
    if let Some(values) = &s.enum_values {
        for v in values {
            match v {
                serde_json::Value::Array(_) => out.array = true,
                serde_json::Value::Object(_) => out.object = true,
                _ => out.scalar = true,
            }
        }
        return out;
    }
    let branches: Vec<SchemaId> = s.any_of.iter().chain(&s.one_of).copied().collect();
    if branches.is_empty() && s.all_of.is_empty() || depth >= SHAPE_DEPTH {
        // String-only keywords say it is a string.
        let stringy = s.max_length.is_some() || s.min_length.is_some() || s.format.is_some();
        return if stringy && s.properties.is_empty() && s.items.is_none() {
            Shapes {
                scalar: true,
                ..Shapes::default()
            }
        } else {
            any
        };
    }
    for &b in &branches {
        let b = shapes(api, b, depth + 1);
        out.scalar |= b.scalar;
        out.array |= b.array;
        out.object |= b.object;
    }
    if branches.is_empty() {
        // allOf only: every part constrains the same value; the narrowest typed part wins.
        return s
            .all_of
            .iter()
            .map(|&p| shapes(api, p, depth + 1))
            .find(|p| !(p.scalar && p.array && p.object))
            .unwrap_or(any);
    }
    out
}

/// How a value of one shape is written on the wire with this style and explode, as a
/// name for comparison: two settings with the same name serialize every value of that
/// shape alike (OpenAPI 3 "Style Examples").
fn wire(location: ParamIn, shape: &str, style: &str, explode: bool) -> String {
    match (shape, style) {
        // A scalar in a query, header or cookie is `name=value` / `value` whatever the style.
        ("scalar", "label" | "matrix") if location == ParamIn::Path => style.to_string(),
        ("scalar", _) => "plain".to_string(),
        // `simple` ignores explode for arrays (`1,2`), so do the delimited styles when exploded.
        ("array", "simple") => "csv".to_string(),
        ("array", "form" | "spaceDelimited" | "pipeDelimited") if explode => "repeated".to_string(),
        ("array", "form") => "csv".to_string(),
        ("object", "deepObject") => "deepObject".to_string(),
        _ => format!("{style}/{explode}"),
    }
}

/// True when some value the parameter's schemas allow is written differently.
fn wire_changed(cx: &DiffCtx, b: &Parameter, r: &Parameter) -> bool {
    let all = Shapes {
        scalar: true,
        array: true,
        object: true,
    };
    let of = |api: &Api, p: &Parameter| p.schema.map_or(all, |id| shapes(api, id, 0));
    let (sb, sr) = (of(cx.base, b), of(cx.rev, r));
    [
        ("scalar", sb.scalar || sr.scalar),
        ("array", sb.array || sr.array),
        ("object", sb.object || sr.object),
    ]
    .into_iter()
    .filter(|&(_, present)| present)
    .any(|(shape, _)| {
        wire(b.location, shape, style(b), explode(b))
            != wire(r.location, shape, style(r), explode(r))
    })
}

fn find<'a>(list: &'a [Parameter], p: &Parameter) -> Option<&'a Parameter> {
    list.iter()
        .find(|q| q.location == p.location && q.key == p.key)
}

/// Compares the parameters of one operation.
pub fn check(cx: &mut DiffCtx, pair: &OpPair) {
    let op = Some(pair.label.as_str());
    for b in &pair.base.parameters {
        if find(&pair.rev.parameters, b).is_some() {
            continue;
        }
        let (loc, name) = (b.location.as_str(), b.name.as_str());
        let ptr = b.pointer.as_str();
        match classify_removal(b.deprecated, param_sunset(b)) {
            Removal::NotDeprecated => cx.emit(&REQUEST_PARAMETER_REMOVED, op, ptr, &[loc, name]),
            Removal::BeforeSunset(s) => cx.emit(
                &deprecation::REQUEST_PARAMETER_REMOVED_BEFORE_SUNSET,
                op,
                ptr,
                &[loc, name, &s],
            ),
            Removal::BadSunset(s) => cx.emit(
                &deprecation::REQUEST_PARAMETER_SUNSET_PARSE,
                op,
                ptr,
                &[loc, name, &s],
            ),
            Removal::AfterDeprecation => cx.emit(
                &deprecation::REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION,
                op,
                ptr,
                &[loc, name],
            ),
        }
    }
    for r in &pair.rev.parameters {
        let (loc, name) = (r.location.as_str(), r.name.as_str());
        let ptr = r.pointer.as_str();
        let Some(b) = find(&pair.base.parameters, r) else {
            let rule = match (r.location, r.required, r.path_level) {
                (ParamIn::Path, _, _) => {
                    cx.emit(&NEW_REQUEST_PATH_PARAMETER, op, ptr, &[name]);
                    continue;
                }
                (_, true, true) => &NEW_REQUIRED_DEFAULT_PARAMETER,
                (_, false, true) => &NEW_OPTIONAL_DEFAULT_PARAMETER,
                (_, true, false) => &NEW_REQUIRED_REQUEST_PARAMETER,
                (_, false, false) => &NEW_OPTIONAL_REQUEST_PARAMETER,
            };
            cx.emit(rule, op, ptr, &[loc, name]);
            continue;
        };
        match (b.required, r.required) {
            (false, true) => cx.emit(&REQUEST_PARAMETER_BECAME_REQUIRED, op, ptr, &[loc, name]),
            (true, false) => cx.emit(&REQUEST_PARAMETER_BECAME_OPTIONAL, op, ptr, &[loc, name]),
            _ => {}
        }
        if wire_changed(cx, b, r) {
            if style(b) != style(r) {
                cx.emit(
                    &REQUEST_PARAMETER_STYLE_CHANGED,
                    op,
                    ptr,
                    &[loc, name, style(b), style(r)],
                );
            } else if explode(b) != explode(r) {
                let (eb, er) = (explode(b).to_string(), explode(r).to_string());
                cx.emit(
                    &REQUEST_PARAMETER_EXPLODE_CHANGED,
                    op,
                    ptr,
                    &[loc, name, &eb, &er],
                );
            }
        }
        deprecation::check_parameter(cx, pair, b, r);
        if let (Some(bs), Some(rs)) = (b.schema, r.schema) {
            let base_pointer = cx.base.schema(bs).pointer.clone();
            let rev_pointer = cx.rev.schema(rs).pointer.clone();
            let site = SchemaSite {
                operation: &pair.label,
                direction: Direction::Request,
                kind: SiteKind::Parameter {
                    location: r.location,
                    name: r.name.clone(),
                },
                base_pointer: &base_pointer,
                rev_pointer: &rev_pointer,
            };
            compare(cx, &site, bs, rs);
        }
    }
}
