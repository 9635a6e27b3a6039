//! JSON Schema 2020-12 keywords (OpenAPI 3.1): `contains`, `prefixItems`,
//! `patternProperties`, `propertyNames`, `dependentRequired`, `dependentSchemas`,
//! `if` / `then` / `else`, `unevaluatedItems` / `unevaluatedProperties`,
//! `contentSchema` and `contentEncoding`.
//!
//! A keyword that appears constrains the instance further (breaking where the client
//! sends it), one that disappears relaxes it (breaking where the server returns it);
//! `prefixItems` is the exception the ids encode: a new leading position is checked
//! against what used to be any item. Subschemas kept on both sides go back to the
//! walker; `if` does not, since a changed condition narrows nothing by itself.

pub mod rules;

use std::borrow::Cow;

pub use rules::*;

use crate::diff::schema::composition::escape;
use crate::diff::schema::{Child, SchemaCx, SiteRules, Where};
use crate::spec::model::{BoolOrSchema, Schema, SchemaId};

/// A keyword holding at most one subschema (or a boolean, `true` meaning "absent").
struct Single {
    name: &'static str,
    present: fn(&Schema) -> bool,
    added: &'static SiteRules,
    removed: &'static SiteRules,
}

/// A keyword holding a map of subschemas or lists by key.
struct Keyed {
    name: &'static str,
    keys: fn(&Schema) -> Vec<&str>,
    added: &'static SiteRules,
    removed: &'static SiteRules,
}

/// A `true` boolean constrains nothing, like an absent keyword.
fn constraining(v: Option<BoolOrSchema>) -> bool {
    !matches!(v, None | Some(BoolOrSchema::Bool(true)))
}

const SINGLES: &[Single] = &[
    Single {
        name: "contains",
        present: |s| s.ext().contains.is_some(),
        added: CONTAINS_ADDED,
        removed: CONTAINS_REMOVED,
    },
    Single {
        name: "contentSchema",
        present: |s| s.ext().content_schema.is_some(),
        added: CONTENT_SCHEMA_ADDED,
        removed: CONTENT_SCHEMA_REMOVED,
    },
    Single {
        name: "if",
        present: |s| s.ext().if_schema.is_some(),
        added: IF_ADDED,
        removed: IF_REMOVED,
    },
    Single {
        name: "then",
        present: |s| s.ext().then_schema.is_some(),
        added: THEN_ADDED,
        removed: THEN_REMOVED,
    },
    Single {
        name: "else",
        present: |s| s.ext().else_schema.is_some(),
        added: ELSE_ADDED,
        removed: ELSE_REMOVED,
    },
    Single {
        name: "propertyNames",
        present: |s| s.ext().property_names.is_some(),
        added: PROPERTY_NAMES_ADDED,
        removed: PROPERTY_NAMES_REMOVED,
    },
    Single {
        name: "unevaluatedItems",
        present: |s| constraining(s.ext().unevaluated_items),
        added: UNEVALUATED_ITEMS_ADDED,
        removed: UNEVALUATED_ITEMS_REMOVED,
    },
    Single {
        name: "unevaluatedProperties",
        present: |s| constraining(s.ext().unevaluated_properties),
        added: UNEVALUATED_PROPERTIES_ADDED,
        removed: UNEVALUATED_PROPERTIES_REMOVED,
    },
];

const KEYED: &[Keyed] = &[
    Keyed {
        name: "patternProperties",
        keys: |s| {
            s.ext()
                .pattern_properties
                .keys()
                .map(String::as_str)
                .collect()
        },
        added: PATTERN_PROPERTY_ADDED,
        removed: PATTERN_PROPERTY_REMOVED,
    },
    Keyed {
        name: "dependentSchemas",
        keys: |s| {
            s.ext()
                .dependent_schemas
                .keys()
                .map(String::as_str)
                .collect()
        },
        added: DEPENDENT_SCHEMA_ADDED,
        removed: DEPENDENT_SCHEMA_REMOVED,
    },
    Keyed {
        name: "dependentRequired",
        keys: |s| {
            s.ext()
                .dependent_required
                .keys()
                .map(String::as_str)
                .collect()
        },
        added: DEPENDENT_REQUIRED_ADDED,
        removed: DEPENDENT_REQUIRED_REMOVED,
    },
];

/// True when `s` uses any keyword this family compares (most schemas use none).
fn uses_2020_keywords(s: &Schema) -> bool {
    s.ext().contains.is_some()
        || s.ext().content_schema.is_some()
        || s.ext().content_encoding.is_some()
        || s.ext().if_schema.is_some()
        || s.ext().then_schema.is_some()
        || s.ext().else_schema.is_some()
        || s.ext().property_names.is_some()
        || s.ext().unevaluated_items.is_some()
        || s.ext().unevaluated_properties.is_some()
        || !s.ext().prefix_items.is_empty()
        || !s.ext().pattern_properties.is_empty()
        || !s.ext().dependent_schemas.is_empty()
        || !s.ext().dependent_required.is_empty()
}

/// Reports 2020-12 keywords added, removed or changed on one schema pair.
pub fn check(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    if !uses_2020_keywords(base) && !uses_2020_keywords(rev) {
        return;
    }
    let place = cx.place();
    if !matches!(
        place,
        Where::RequestBody | Where::RequestProperty | Where::ResponseBody | Where::ResponseProperty
    ) {
        return;
    }
    let path = cx.path;
    for kw in SINGLES {
        match ((kw.present)(base), (kw.present)(rev)) {
            (false, true) => {
                let p = format!("{}/{}", cx.rev_pointer, kw.name);
                cx.emit_at(kw.added, place, path, &p, &[""]);
            }
            (true, false) => {
                let p = format!("{}/{}", cx.base_pointer, kw.name);
                cx.emit_at(kw.removed, place, path, &p, &[""]);
            }
            _ => {}
        }
    }
    for kw in KEYED {
        let (bk, rk) = ((kw.keys)(base), (kw.keys)(rev));
        for k in rk.iter().filter(|k| !bk.contains(k)) {
            let p = format!("{}/{}/{}", cx.rev_pointer, kw.name, escape(k));
            cx.emit_at(kw.added, place, path, &p, &[&format!(" '{k}'")]);
        }
        for k in bk.iter().filter(|k| !rk.contains(k)) {
            let p = format!("{}/{}/{}", cx.base_pointer, kw.name, escape(k));
            cx.emit_at(kw.removed, place, path, &p, &[&format!(" '{k}'")]);
        }
    }
    for (k, b_list) in &base.ext().dependent_required {
        let Some(r_list) = rev.ext().dependent_required.get(k) else {
            continue;
        };
        let mut bs: Vec<&String> = b_list.iter().collect();
        let mut rs: Vec<&String> = r_list.iter().collect();
        bs.sort_unstable();
        rs.sort_unstable();
        if bs != rs {
            let p = format!("{}/dependentRequired/{}", cx.rev_pointer, escape(k));
            let args: [&str; 3] = [&format!(" '{k}'"), &b_list.join(", "), &r_list.join(", ")];
            cx.emit_at(DEPENDENT_REQUIRED_CHANGED, place, path, &p, &args);
        }
    }
    let (bn, rn) = (base.ext().prefix_items.len(), rev.ext().prefix_items.len());
    for i in bn..rn {
        let p = format!("{}/prefixItems/{i}", cx.rev_pointer);
        cx.emit_at(PREFIX_ITEMS_ADDED, place, path, &p, &[&format!(" #{i}")]);
    }
    for i in rn..bn {
        let p = format!("{}/prefixItems/{i}", cx.base_pointer);
        cx.emit_at(PREFIX_ITEMS_REMOVED, place, path, &p, &[&format!(" #{i}")]);
    }
    if base.ext().content_encoding != rev.ext().content_encoding {
        let p = format!("{}/contentEncoding", cx.rev_pointer);
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".to_string());
        let args: [&str; 2] = [
            &show(&base.ext().content_encoding),
            &show(&rev.ext().content_encoding),
        ];
        cx.emit_at(CONTENT_ENCODING_CHANGED, place, path, &p, &args);
    }
}

/// Subschemas present on both sides: those describing the same value (`then`,
/// `else`, `dependentSchemas`) keep the parent's path; the others (array items,
/// matching properties, property names, decoded content) get their own segment.
pub fn children<'s>(
    _cx: &mut SchemaCx<'_, 's>,
    base: &'s Schema,
    rev: &'s Schema,
    out: &mut Vec<Child<'s>>,
) {
    if !uses_2020_keywords(base) || !uses_2020_keywords(rev) {
        return;
    }
    let mut push = |b: SchemaId, r: SchemaId, segment: Cow<'s, str>| {
        out.push(Child {
            base: b,
            rev: r,
            segment,
        })
    };
    let pairs = [
        (base.ext().contains, rev.ext().contains, "contains"),
        (
            base.ext().property_names,
            rev.ext().property_names,
            "propertyNames",
        ),
        (
            base.ext().content_schema,
            rev.ext().content_schema,
            "contentSchema",
        ),
        (base.ext().then_schema, rev.ext().then_schema, ""),
        (base.ext().else_schema, rev.ext().else_schema, ""),
    ];
    for (b, r, segment) in pairs {
        if let (Some(b), Some(r)) = (b, r) {
            push(b, r, segment.into());
        }
    }
    let bools = [
        (
            base.ext().unevaluated_items,
            rev.ext().unevaluated_items,
            "unevaluatedItems",
        ),
        (
            base.ext().unevaluated_properties,
            rev.ext().unevaluated_properties,
            "unevaluatedProperties",
        ),
    ];
    for (b, r, segment) in bools {
        if let (Some(BoolOrSchema::Schema(b)), Some(BoolOrSchema::Schema(r))) = (b, r) {
            push(b, r, segment.into());
        }
    }
    for (i, (&b, &r)) in base
        .ext()
        .prefix_items
        .iter()
        .zip(&rev.ext().prefix_items)
        .enumerate()
    {
        push(b, r, format!("prefixItems/{i}").into());
    }
    for (k, &b) in &base.ext().pattern_properties {
        if let Some(&r) = rev.ext().pattern_properties.get(k) {
            push(b, r, format!("patternProperties/{k}").into());
        }
    }
    for (k, &b) in &base.ext().dependent_schemas {
        if let Some(&r) = rev.ext().dependent_schemas.get(k) {
            push(b, r, "".into());
        }
    }
}

#[cfg(test)]
mod tests;
