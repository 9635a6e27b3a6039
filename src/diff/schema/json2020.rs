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

use crate::diff::change::Level;
use crate::diff::rules::registry::RuleDef;
use crate::diff::schema::composition::escape;
use std::borrow::Cow;

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

/// A 'contains' subschema was added.
pub const CONTAINS_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_CONTAINS_ADDED),
    (Where::RequestProperty, &REQUEST_PROPERTY_CONTAINS_ADDED),
    (Where::ResponseBody, &RESPONSE_BODY_CONTAINS_ADDED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_CONTAINS_ADDED),
];

/// A 'contains' subschema was removed.
pub const CONTAINS_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_CONTAINS_REMOVED),
    (Where::RequestProperty, &REQUEST_PROPERTY_CONTAINS_REMOVED),
    (Where::ResponseBody, &RESPONSE_BODY_CONTAINS_REMOVED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_CONTAINS_REMOVED),
];

/// A 'contentSchema' was added.
pub const CONTENT_SCHEMA_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_CONTENT_SCHEMA_ADDED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_CONTENT_SCHEMA_ADDED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_CONTENT_SCHEMA_ADDED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_CONTENT_SCHEMA_ADDED,
    ),
];

/// A 'contentSchema' was removed.
pub const CONTENT_SCHEMA_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_CONTENT_SCHEMA_REMOVED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_CONTENT_SCHEMA_REMOVED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_CONTENT_SCHEMA_REMOVED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_CONTENT_SCHEMA_REMOVED,
    ),
];

/// A 'dependentSchemas' entry was added.
pub const DEPENDENT_SCHEMA_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_DEPENDENT_SCHEMA_ADDED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DEPENDENT_SCHEMA_ADDED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_DEPENDENT_SCHEMA_ADDED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DEPENDENT_SCHEMA_ADDED,
    ),
];

/// A 'dependentSchemas' entry was removed.
pub const DEPENDENT_SCHEMA_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_DEPENDENT_SCHEMA_REMOVED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DEPENDENT_SCHEMA_REMOVED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_DEPENDENT_SCHEMA_REMOVED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DEPENDENT_SCHEMA_REMOVED,
    ),
];

/// An 'if' subschema was added.
pub const IF_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_IF_ADDED),
    (Where::RequestProperty, &REQUEST_PROPERTY_IF_ADDED),
    (Where::ResponseBody, &RESPONSE_BODY_IF_ADDED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_IF_ADDED),
];

/// An 'if' subschema was removed.
pub const IF_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_IF_REMOVED),
    (Where::RequestProperty, &REQUEST_PROPERTY_IF_REMOVED),
    (Where::ResponseBody, &RESPONSE_BODY_IF_REMOVED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_IF_REMOVED),
];

/// A 'then' subschema was added.
pub const THEN_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_THEN_ADDED),
    (Where::RequestProperty, &REQUEST_PROPERTY_THEN_ADDED),
    (Where::ResponseBody, &RESPONSE_BODY_THEN_ADDED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_THEN_ADDED),
];

/// A 'then' subschema was removed.
pub const THEN_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_THEN_REMOVED),
    (Where::RequestProperty, &REQUEST_PROPERTY_THEN_REMOVED),
    (Where::ResponseBody, &RESPONSE_BODY_THEN_REMOVED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_THEN_REMOVED),
];

/// An 'else' subschema was added.
pub const ELSE_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_ELSE_ADDED),
    (Where::RequestProperty, &REQUEST_PROPERTY_ELSE_ADDED),
    (Where::ResponseBody, &RESPONSE_BODY_ELSE_ADDED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_ELSE_ADDED),
];

/// An 'else' subschema was removed.
pub const ELSE_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_ELSE_REMOVED),
    (Where::RequestProperty, &REQUEST_PROPERTY_ELSE_REMOVED),
    (Where::ResponseBody, &RESPONSE_BODY_ELSE_REMOVED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_ELSE_REMOVED),
];

/// A 'patternProperties' entry was added.
pub const PATTERN_PROPERTY_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_PATTERN_PROPERTY_ADDED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_PATTERN_PROPERTY_ADDED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_PATTERN_PROPERTY_ADDED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_PATTERN_PROPERTY_ADDED,
    ),
];

/// A 'patternProperties' entry was removed.
pub const PATTERN_PROPERTY_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_PATTERN_PROPERTY_REMOVED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_PATTERN_PROPERTY_REMOVED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_PATTERN_PROPERTY_REMOVED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_PATTERN_PROPERTY_REMOVED,
    ),
];

/// A 'prefixItems' position was added.
pub const PREFIX_ITEMS_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_PREFIX_ITEMS_ADDED),
    (Where::RequestProperty, &REQUEST_PROPERTY_PREFIX_ITEMS_ADDED),
    (Where::ResponseBody, &RESPONSE_BODY_PREFIX_ITEMS_ADDED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_PREFIX_ITEMS_ADDED,
    ),
];

/// A 'prefixItems' position was removed.
pub const PREFIX_ITEMS_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_PREFIX_ITEMS_REMOVED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_PREFIX_ITEMS_REMOVED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_PREFIX_ITEMS_REMOVED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_PREFIX_ITEMS_REMOVED,
    ),
];

/// A 'propertyNames' subschema was added.
pub const PROPERTY_NAMES_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_PROPERTY_NAMES_ADDED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_PROPERTY_NAMES_ADDED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_PROPERTY_NAMES_ADDED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_PROPERTY_NAMES_ADDED,
    ),
];

/// A 'propertyNames' subschema was removed.
pub const PROPERTY_NAMES_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_PROPERTY_NAMES_REMOVED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_PROPERTY_NAMES_REMOVED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_PROPERTY_NAMES_REMOVED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_PROPERTY_NAMES_REMOVED,
    ),
];

/// An 'unevaluatedItems' constraint was added.
pub const UNEVALUATED_ITEMS_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_UNEVALUATED_ITEMS_ADDED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_UNEVALUATED_ITEMS_ADDED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_UNEVALUATED_ITEMS_ADDED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_UNEVALUATED_ITEMS_ADDED,
    ),
];

/// An 'unevaluatedItems' constraint was removed.
pub const UNEVALUATED_ITEMS_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_UNEVALUATED_ITEMS_REMOVED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_UNEVALUATED_ITEMS_REMOVED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_UNEVALUATED_ITEMS_REMOVED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_UNEVALUATED_ITEMS_REMOVED,
    ),
];

/// An 'unevaluatedProperties' constraint was added.
pub const UNEVALUATED_PROPERTIES_ADDED: &SiteRules = &[
    (
        Where::RequestBody,
        &REQUEST_BODY_UNEVALUATED_PROPERTIES_ADDED,
    ),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_UNEVALUATED_PROPERTIES_ADDED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_UNEVALUATED_PROPERTIES_ADDED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_UNEVALUATED_PROPERTIES_ADDED,
    ),
];

/// An 'unevaluatedProperties' constraint was removed.
pub const UNEVALUATED_PROPERTIES_REMOVED: &SiteRules = &[
    (
        Where::RequestBody,
        &REQUEST_BODY_UNEVALUATED_PROPERTIES_REMOVED,
    ),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_UNEVALUATED_PROPERTIES_REMOVED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_UNEVALUATED_PROPERTIES_REMOVED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_UNEVALUATED_PROPERTIES_REMOVED,
    ),
];

/// A 'dependentRequired' entry was added.
pub const DEPENDENT_REQUIRED_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_DEPENDENT_REQUIRED_ADDED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DEPENDENT_REQUIRED_ADDED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_DEPENDENT_REQUIRED_ADDED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DEPENDENT_REQUIRED_ADDED,
    ),
];

/// A 'dependentRequired' entry was removed.
pub const DEPENDENT_REQUIRED_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_DEPENDENT_REQUIRED_REMOVED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DEPENDENT_REQUIRED_REMOVED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_DEPENDENT_REQUIRED_REMOVED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DEPENDENT_REQUIRED_REMOVED,
    ),
];

/// A 'dependentRequired' entry changed.
pub const DEPENDENT_REQUIRED_CHANGED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_DEPENDENT_REQUIRED_CHANGED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DEPENDENT_REQUIRED_CHANGED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_DEPENDENT_REQUIRED_CHANGED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DEPENDENT_REQUIRED_CHANGED,
    ),
];

/// The 'contentEncoding' changed.
pub const CONTENT_ENCODING_CHANGED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_CONTENT_ENCODING_CHANGED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_CONTENT_ENCODING_CHANGED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_CONTENT_ENCODING_CHANGED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_CONTENT_ENCODING_CHANGED,
    ),
];

schema_rules! {
    REQUEST_BODY_CONTAINS_ADDED = "request-body-contains-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'contains' subschema was added to a request body", "added a 'contains' subschema{1} to {0}";
    REQUEST_PROPERTY_CONTAINS_ADDED = "request-property-contains-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'contains' subschema was added to a request property", "added a 'contains' subschema{1} to {0}";
    RESPONSE_BODY_CONTAINS_ADDED = "response-body-contains-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'contains' subschema was added to a response body", "added a 'contains' subschema{1} to {0}";
    RESPONSE_PROPERTY_CONTAINS_ADDED = "response-property-contains-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'contains' subschema was added to a response property", "added a 'contains' subschema{1} to {0}";
    REQUEST_BODY_CONTAINS_REMOVED = "request-body-contains-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'contains' subschema was removed from a request body", "removed a 'contains' subschema{1} from {0}";
    REQUEST_PROPERTY_CONTAINS_REMOVED = "request-property-contains-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'contains' subschema was removed from a request property", "removed a 'contains' subschema{1} from {0}";
    RESPONSE_BODY_CONTAINS_REMOVED = "response-body-contains-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'contains' subschema was removed from a response body", "removed a 'contains' subschema{1} from {0}";
    RESPONSE_PROPERTY_CONTAINS_REMOVED = "response-property-contains-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'contains' subschema was removed from a response property", "removed a 'contains' subschema{1} from {0}";
    REQUEST_BODY_CONTENT_SCHEMA_ADDED = "request-body-content-schema-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'contentSchema' was added to a request body", "added a 'contentSchema'{1} to {0}";
    REQUEST_PROPERTY_CONTENT_SCHEMA_ADDED = "request-property-content-schema-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'contentSchema' was added to a request property", "added a 'contentSchema'{1} to {0}";
    RESPONSE_BODY_CONTENT_SCHEMA_ADDED = "response-body-content-schema-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'contentSchema' was added to a response body", "added a 'contentSchema'{1} to {0}";
    RESPONSE_PROPERTY_CONTENT_SCHEMA_ADDED = "response-property-content-schema-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'contentSchema' was added to a response property", "added a 'contentSchema'{1} to {0}";
    REQUEST_BODY_CONTENT_SCHEMA_REMOVED = "request-body-content-schema-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'contentSchema' was removed from a request body", "removed a 'contentSchema'{1} from {0}";
    REQUEST_PROPERTY_CONTENT_SCHEMA_REMOVED = "request-property-content-schema-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'contentSchema' was removed from a request property", "removed a 'contentSchema'{1} from {0}";
    RESPONSE_BODY_CONTENT_SCHEMA_REMOVED = "response-body-content-schema-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'contentSchema' was removed from a response body", "removed a 'contentSchema'{1} from {0}";
    RESPONSE_PROPERTY_CONTENT_SCHEMA_REMOVED = "response-property-content-schema-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'contentSchema' was removed from a response property", "removed a 'contentSchema'{1} from {0}";
    REQUEST_BODY_DEPENDENT_SCHEMA_ADDED = "request-body-dependent-schema-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentSchemas' entry was added to a request body", "added a 'dependentSchemas' entry{1} to {0}";
    REQUEST_PROPERTY_DEPENDENT_SCHEMA_ADDED = "request-property-dependent-schema-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentSchemas' entry was added to a request property", "added a 'dependentSchemas' entry{1} to {0}";
    RESPONSE_BODY_DEPENDENT_SCHEMA_ADDED = "response-body-dependent-schema-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentSchemas' entry was added to a response body", "added a 'dependentSchemas' entry{1} to {0}";
    RESPONSE_PROPERTY_DEPENDENT_SCHEMA_ADDED = "response-property-dependent-schema-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentSchemas' entry was added to a response property", "added a 'dependentSchemas' entry{1} to {0}";
    REQUEST_BODY_DEPENDENT_SCHEMA_REMOVED = "request-body-dependent-schema-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentSchemas' entry was removed from a request body", "removed a 'dependentSchemas' entry{1} from {0}";
    REQUEST_PROPERTY_DEPENDENT_SCHEMA_REMOVED = "request-property-dependent-schema-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentSchemas' entry was removed from a request property", "removed a 'dependentSchemas' entry{1} from {0}";
    RESPONSE_BODY_DEPENDENT_SCHEMA_REMOVED = "response-body-dependent-schema-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentSchemas' entry was removed from a response body", "removed a 'dependentSchemas' entry{1} from {0}";
    RESPONSE_PROPERTY_DEPENDENT_SCHEMA_REMOVED = "response-property-dependent-schema-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentSchemas' entry was removed from a response property", "removed a 'dependentSchemas' entry{1} from {0}";
    REQUEST_BODY_IF_ADDED = "request-body-if-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'if' subschema was added to a request body", "added an 'if' subschema{1} to {0}";
    REQUEST_PROPERTY_IF_ADDED = "request-property-if-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'if' subschema was added to a request property", "added an 'if' subschema{1} to {0}";
    RESPONSE_BODY_IF_ADDED = "response-body-if-added", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'if' subschema was added to a response body", "added an 'if' subschema{1} to {0}";
    RESPONSE_PROPERTY_IF_ADDED = "response-property-if-added", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'if' subschema was added to a response property", "added an 'if' subschema{1} to {0}";
    REQUEST_BODY_IF_REMOVED = "request-body-if-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'if' subschema was removed from a request body", "removed an 'if' subschema{1} from {0}";
    REQUEST_PROPERTY_IF_REMOVED = "request-property-if-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'if' subschema was removed from a request property", "removed an 'if' subschema{1} from {0}";
    RESPONSE_BODY_IF_REMOVED = "response-body-if-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'if' subschema was removed from a response body", "removed an 'if' subschema{1} from {0}";
    RESPONSE_PROPERTY_IF_REMOVED = "response-property-if-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'if' subschema was removed from a response property", "removed an 'if' subschema{1} from {0}";
    REQUEST_BODY_THEN_ADDED = "request-body-then-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'then' subschema was added to a request body", "added a 'then' subschema{1} to {0}";
    REQUEST_PROPERTY_THEN_ADDED = "request-property-then-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'then' subschema was added to a request property", "added a 'then' subschema{1} to {0}";
    RESPONSE_BODY_THEN_ADDED = "response-body-then-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'then' subschema was added to a response body", "added a 'then' subschema{1} to {0}";
    RESPONSE_PROPERTY_THEN_ADDED = "response-property-then-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'then' subschema was added to a response property", "added a 'then' subschema{1} to {0}";
    REQUEST_BODY_THEN_REMOVED = "request-body-then-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'then' subschema was removed from a request body", "removed a 'then' subschema{1} from {0}";
    REQUEST_PROPERTY_THEN_REMOVED = "request-property-then-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'then' subschema was removed from a request property", "removed a 'then' subschema{1} from {0}";
    RESPONSE_BODY_THEN_REMOVED = "response-body-then-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'then' subschema was removed from a response body", "removed a 'then' subschema{1} from {0}";
    RESPONSE_PROPERTY_THEN_REMOVED = "response-property-then-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'then' subschema was removed from a response property", "removed a 'then' subschema{1} from {0}";
    REQUEST_BODY_ELSE_ADDED = "request-body-else-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'else' subschema was added to a request body", "added an 'else' subschema{1} to {0}";
    REQUEST_PROPERTY_ELSE_ADDED = "request-property-else-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'else' subschema was added to a request property", "added an 'else' subschema{1} to {0}";
    RESPONSE_BODY_ELSE_ADDED = "response-body-else-added", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'else' subschema was added to a response body", "added an 'else' subschema{1} to {0}";
    RESPONSE_PROPERTY_ELSE_ADDED = "response-property-else-added", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'else' subschema was added to a response property", "added an 'else' subschema{1} to {0}";
    REQUEST_BODY_ELSE_REMOVED = "request-body-else-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'else' subschema was removed from a request body", "removed an 'else' subschema{1} from {0}";
    REQUEST_PROPERTY_ELSE_REMOVED = "request-property-else-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'else' subschema was removed from a request property", "removed an 'else' subschema{1} from {0}";
    RESPONSE_BODY_ELSE_REMOVED = "response-body-else-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'else' subschema was removed from a response body", "removed an 'else' subschema{1} from {0}";
    RESPONSE_PROPERTY_ELSE_REMOVED = "response-property-else-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'else' subschema was removed from a response property", "removed an 'else' subschema{1} from {0}";
    REQUEST_BODY_PATTERN_PROPERTY_ADDED = "request-body-pattern-property-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'patternProperties' entry was added to a request body", "added a 'patternProperties' entry{1} to {0}";
    REQUEST_PROPERTY_PATTERN_PROPERTY_ADDED = "request-property-pattern-property-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'patternProperties' entry was added to a request property", "added a 'patternProperties' entry{1} to {0}";
    RESPONSE_BODY_PATTERN_PROPERTY_ADDED = "response-body-pattern-property-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'patternProperties' entry was added to a response body", "added a 'patternProperties' entry{1} to {0}";
    RESPONSE_PROPERTY_PATTERN_PROPERTY_ADDED = "response-property-pattern-property-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'patternProperties' entry was added to a response property", "added a 'patternProperties' entry{1} to {0}";
    REQUEST_BODY_PATTERN_PROPERTY_REMOVED = "request-body-pattern-property-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'patternProperties' entry was removed from a request body", "removed a 'patternProperties' entry{1} from {0}";
    REQUEST_PROPERTY_PATTERN_PROPERTY_REMOVED = "request-property-pattern-property-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'patternProperties' entry was removed from a request property", "removed a 'patternProperties' entry{1} from {0}";
    RESPONSE_BODY_PATTERN_PROPERTY_REMOVED = "response-body-pattern-property-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'patternProperties' entry was removed from a response body", "removed a 'patternProperties' entry{1} from {0}";
    RESPONSE_PROPERTY_PATTERN_PROPERTY_REMOVED = "response-property-pattern-property-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'patternProperties' entry was removed from a response property", "removed a 'patternProperties' entry{1} from {0}";
    REQUEST_BODY_PREFIX_ITEMS_ADDED = "request-body-prefix-items-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'prefixItems' position was added to a request body", "added a 'prefixItems' position{1} to {0}";
    REQUEST_PROPERTY_PREFIX_ITEMS_ADDED = "request-property-prefix-items-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'prefixItems' position was added to a request property", "added a 'prefixItems' position{1} to {0}";
    RESPONSE_BODY_PREFIX_ITEMS_ADDED = "response-body-prefix-items-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'prefixItems' position was added to a response body", "added a 'prefixItems' position{1} to {0}";
    RESPONSE_PROPERTY_PREFIX_ITEMS_ADDED = "response-property-prefix-items-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'prefixItems' position was added to a response property", "added a 'prefixItems' position{1} to {0}";
    REQUEST_BODY_PREFIX_ITEMS_REMOVED = "request-body-prefix-items-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'prefixItems' position was removed from a request body", "removed a 'prefixItems' position{1} from {0}";
    REQUEST_PROPERTY_PREFIX_ITEMS_REMOVED = "request-property-prefix-items-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'prefixItems' position was removed from a request property", "removed a 'prefixItems' position{1} from {0}";
    RESPONSE_BODY_PREFIX_ITEMS_REMOVED = "response-body-prefix-items-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'prefixItems' position was removed from a response body", "removed a 'prefixItems' position{1} from {0}";
    RESPONSE_PROPERTY_PREFIX_ITEMS_REMOVED = "response-property-prefix-items-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'prefixItems' position was removed from a response property", "removed a 'prefixItems' position{1} from {0}";
    REQUEST_BODY_PROPERTY_NAMES_ADDED = "request-body-property-names-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'propertyNames' subschema was added to a request body", "added a 'propertyNames' subschema{1} to {0}";
    REQUEST_PROPERTY_PROPERTY_NAMES_ADDED = "request-property-property-names-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'propertyNames' subschema was added to a request property", "added a 'propertyNames' subschema{1} to {0}";
    RESPONSE_BODY_PROPERTY_NAMES_ADDED = "response-body-property-names-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'propertyNames' subschema was added to a response body", "added a 'propertyNames' subschema{1} to {0}";
    RESPONSE_PROPERTY_PROPERTY_NAMES_ADDED = "response-property-property-names-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'propertyNames' subschema was added to a response property", "added a 'propertyNames' subschema{1} to {0}";
    REQUEST_BODY_PROPERTY_NAMES_REMOVED = "request-body-property-names-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'propertyNames' subschema was removed from a request body", "removed a 'propertyNames' subschema{1} from {0}";
    REQUEST_PROPERTY_PROPERTY_NAMES_REMOVED = "request-property-property-names-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'propertyNames' subschema was removed from a request property", "removed a 'propertyNames' subschema{1} from {0}";
    RESPONSE_BODY_PROPERTY_NAMES_REMOVED = "response-body-property-names-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'propertyNames' subschema was removed from a response body", "removed a 'propertyNames' subschema{1} from {0}";
    RESPONSE_PROPERTY_PROPERTY_NAMES_REMOVED = "response-property-property-names-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'propertyNames' subschema was removed from a response property", "removed a 'propertyNames' subschema{1} from {0}";
    REQUEST_BODY_UNEVALUATED_ITEMS_ADDED = "request-body-unevaluated-items-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedItems' constraint was added to a request body", "added an 'unevaluatedItems' constraint{1} to {0}";
    REQUEST_PROPERTY_UNEVALUATED_ITEMS_ADDED = "request-property-unevaluated-items-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedItems' constraint was added to a request property", "added an 'unevaluatedItems' constraint{1} to {0}";
    RESPONSE_BODY_UNEVALUATED_ITEMS_ADDED = "response-body-unevaluated-items-added", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedItems' constraint was added to a response body", "added an 'unevaluatedItems' constraint{1} to {0}";
    RESPONSE_PROPERTY_UNEVALUATED_ITEMS_ADDED = "response-property-unevaluated-items-added", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedItems' constraint was added to a response property", "added an 'unevaluatedItems' constraint{1} to {0}";
    REQUEST_BODY_UNEVALUATED_ITEMS_REMOVED = "request-body-unevaluated-items-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedItems' constraint was removed from a request body", "removed an 'unevaluatedItems' constraint{1} from {0}";
    REQUEST_PROPERTY_UNEVALUATED_ITEMS_REMOVED = "request-property-unevaluated-items-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedItems' constraint was removed from a request property", "removed an 'unevaluatedItems' constraint{1} from {0}";
    RESPONSE_BODY_UNEVALUATED_ITEMS_REMOVED = "response-body-unevaluated-items-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedItems' constraint was removed from a response body", "removed an 'unevaluatedItems' constraint{1} from {0}";
    RESPONSE_PROPERTY_UNEVALUATED_ITEMS_REMOVED = "response-property-unevaluated-items-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedItems' constraint was removed from a response property", "removed an 'unevaluatedItems' constraint{1} from {0}";
    REQUEST_BODY_UNEVALUATED_PROPERTIES_ADDED = "request-body-unevaluated-properties-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedProperties' constraint was added to a request body", "added an 'unevaluatedProperties' constraint{1} to {0}";
    REQUEST_PROPERTY_UNEVALUATED_PROPERTIES_ADDED = "request-property-unevaluated-properties-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedProperties' constraint was added to a request property", "added an 'unevaluatedProperties' constraint{1} to {0}";
    RESPONSE_BODY_UNEVALUATED_PROPERTIES_ADDED = "response-body-unevaluated-properties-added", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedProperties' constraint was added to a response body", "added an 'unevaluatedProperties' constraint{1} to {0}";
    RESPONSE_PROPERTY_UNEVALUATED_PROPERTIES_ADDED = "response-property-unevaluated-properties-added", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedProperties' constraint was added to a response property", "added an 'unevaluatedProperties' constraint{1} to {0}";
    REQUEST_BODY_UNEVALUATED_PROPERTIES_REMOVED = "request-body-unevaluated-properties-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedProperties' constraint was removed from a request body", "removed an 'unevaluatedProperties' constraint{1} from {0}";
    REQUEST_PROPERTY_UNEVALUATED_PROPERTIES_REMOVED = "request-property-unevaluated-properties-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedProperties' constraint was removed from a request property", "removed an 'unevaluatedProperties' constraint{1} from {0}";
    RESPONSE_BODY_UNEVALUATED_PROPERTIES_REMOVED = "response-body-unevaluated-properties-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedProperties' constraint was removed from a response body", "removed an 'unevaluatedProperties' constraint{1} from {0}";
    RESPONSE_PROPERTY_UNEVALUATED_PROPERTIES_REMOVED = "response-property-unevaluated-properties-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedProperties' constraint was removed from a response property", "removed an 'unevaluatedProperties' constraint{1} from {0}";
    REQUEST_BODY_DEPENDENT_REQUIRED_ADDED = "request-body-dependent-required-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry was added to a request body", "added a 'dependentRequired' entry{1} to {0}";
    REQUEST_PROPERTY_DEPENDENT_REQUIRED_ADDED = "request-property-dependent-required-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry was added to a request property", "added a 'dependentRequired' entry{1} to {0}";
    RESPONSE_BODY_DEPENDENT_REQUIRED_ADDED = "response-body-dependent-required-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry was added to a response body", "added a 'dependentRequired' entry{1} to {0}";
    RESPONSE_PROPERTY_DEPENDENT_REQUIRED_ADDED = "response-property-dependent-required-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry was added to a response property", "added a 'dependentRequired' entry{1} to {0}";
    REQUEST_BODY_DEPENDENT_REQUIRED_REMOVED = "request-body-dependent-required-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry was removed from a request body", "removed a 'dependentRequired' entry{1} from {0}";
    REQUEST_PROPERTY_DEPENDENT_REQUIRED_REMOVED = "request-property-dependent-required-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry was removed from a request property", "removed a 'dependentRequired' entry{1} from {0}";
    RESPONSE_BODY_DEPENDENT_REQUIRED_REMOVED = "response-body-dependent-required-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry was removed from a response body", "removed a 'dependentRequired' entry{1} from {0}";
    RESPONSE_PROPERTY_DEPENDENT_REQUIRED_REMOVED = "response-property-dependent-required-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry was removed from a response property", "removed a 'dependentRequired' entry{1} from {0}";
    REQUEST_BODY_DEPENDENT_REQUIRED_CHANGED = "request-body-dependent-required-changed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry of a request body changed", "changed the 'dependentRequired' entry{1} of {0} from [{2}] to [{3}]";
    REQUEST_PROPERTY_DEPENDENT_REQUIRED_CHANGED = "request-property-dependent-required-changed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry of a request property changed", "changed the 'dependentRequired' entry{1} of {0} from [{2}] to [{3}]";
    RESPONSE_BODY_DEPENDENT_REQUIRED_CHANGED = "response-body-dependent-required-changed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry of a response body changed", "changed the 'dependentRequired' entry{1} of {0} from [{2}] to [{3}]";
    RESPONSE_PROPERTY_DEPENDENT_REQUIRED_CHANGED = "response-property-dependent-required-changed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry of a response property changed", "changed the 'dependentRequired' entry{1} of {0} from [{2}] to [{3}]";
    REQUEST_BODY_CONTENT_ENCODING_CHANGED = "request-body-content-encoding-changed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "The 'contentEncoding' of a request body changed", "changed the 'contentEncoding' of {0} from '{1}' to '{2}'";
    REQUEST_PROPERTY_CONTENT_ENCODING_CHANGED = "request-property-content-encoding-changed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "The 'contentEncoding' of a request property changed", "changed the 'contentEncoding' of {0} from '{1}' to '{2}'";
    RESPONSE_BODY_CONTENT_ENCODING_CHANGED = "response-body-content-encoding-changed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "The 'contentEncoding' of a response body changed", "changed the 'contentEncoding' of {0} from '{1}' to '{2}'";
    RESPONSE_PROPERTY_CONTENT_ENCODING_CHANGED = "response-property-content-encoding-changed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "The 'contentEncoding' of a response property changed", "changed the 'contentEncoding' of {0} from '{1}' to '{2}'";
}

#[cfg(test)]
mod tests {
    use crate::diff::change::Level;
    use crate::diff::schema::schema2_kit::{Doc, changes, ids, object, request, response, ty};
    use crate::spec::model::{BoolOrSchema, Schema, SchemaExt};

    /// `{a, b, c}` object roots in two docs; `edit` shapes the revision's root.
    fn pair(
        edit: impl Fn(&mut Doc, &mut Schema),
    ) -> (crate::spec::model::Api, u32, crate::spec::model::Api, u32) {
        let build = |d: &mut Doc| {
            let (a, b, c) = (
                d.add(ty("string")),
                d.add(ty("string")),
                d.add(ty("string")),
            );
            object(&[("a", a), ("b", b), ("c", c)], &[])
        };
        let mut bd = Doc::default();
        let broot = build(&mut bd);
        let broot = bd.add(broot);
        let mut rd = Doc::default();
        let mut rroot = build(&mut rd);
        edit(&mut rd, &mut rroot);
        let rroot = rd.add(rroot);
        (bd.api(), broot, rd.api(), rroot)
    }

    #[test]
    fn added_keywords_break_requests_and_removed_ones_break_responses() {
        let (b, bi, r, ri) = pair(|d, s| {
            let cond = d.add(Schema {
                required: vec!["a".into()],
                ..Schema::default()
            });
            s.ext_mut().if_schema = Some(cond);
            s.ext_mut().unevaluated_properties = Some(BoolOrSchema::Bool(false));
            s.ext_mut()
                .dependent_required
                .insert("a".into(), vec!["b".into()]);
        });
        let added = changes(&b, bi, &r, ri, request());
        assert_eq!(added.len(), 3, "{added:?}");
        assert!(added.iter().all(|c| c.level == Level::Breaking));
        assert_eq!(
            ids(&b, bi, &r, ri, request()),
            [
                "request-body-dependent-required-added",
                "request-body-if-added",
                "request-body-unevaluated-properties-added"
            ]
        );
        let removed = changes(&r, ri, &b, bi, response());
        assert_eq!(removed.len(), 3);
        assert!(removed.iter().all(|c| c.level == Level::Breaking));
        assert!(
            changes(&b, bi, &r, ri, response())
                .iter()
                .all(|c| c.level == Level::Info)
        );
    }

    #[test]
    fn a_true_boolean_constrains_nothing() {
        let (b, bi, r, ri) =
            pair(|_, s| s.ext_mut().unevaluated_properties = Some(BoolOrSchema::Bool(true)));
        assert_eq!(ids(&b, bi, &r, ri, request()), Vec::<String>::new());
    }

    #[test]
    fn keyed_keywords_and_changed_lists_are_reported_per_key() {
        let (b, bi, r, ri) = pair(|d, s| {
            s.ext_mut()
                .dependent_required
                .insert("a".into(), vec!["b".into()]);
            let x = d.add(ty("string"));
            s.ext_mut().pattern_properties.insert("^x-".into(), x);
        });
        let (b2, bi2, r2, ri2) = pair(|d, s| {
            s.ext_mut()
                .dependent_required
                .insert("a".into(), vec!["b".into(), "c".into()]);
            let x = d.add(ty("string"));
            s.ext_mut().pattern_properties.insert("^y-".into(), x);
        });
        let _ = (b, bi);
        let _ = (b2, bi2);
        let found = changes(&r, ri, &r2, ri2, response());
        let mut got: Vec<&str> = found.iter().map(|c| c.id.as_str()).collect();
        got.sort();
        assert_eq!(
            got,
            [
                "response-body-dependent-required-changed",
                "response-body-pattern-property-added",
                "response-body-pattern-property-removed"
            ]
        );
        let changed = found
            .iter()
            .find(|c| c.id.ends_with("changed"))
            .map(|c| c.message.clone())
            .unwrap_or_default();
        assert!(changed.contains("from [b] to [b, c]"), "{changed}");
    }

    #[test]
    fn prefix_items_and_nested_subschemas() {
        let mut bd = Doc::default();
        let item = bd.add(ty("string"));
        let first = bd.add(ty("string"));
        let broot = bd.add(Schema {
            ext: SchemaExt {
                prefix_items: vec![first],
                ..SchemaExt::default()
            }
            .boxed(),
            items: Some(item),
            ..ty("array")
        });
        let mut rd = Doc::default();
        let item = rd.add(ty("string"));
        let inner = rd.add(ty("string"));
        let first = rd.add(Schema {
            ext: SchemaExt {
                contains: Some(inner),
                ..SchemaExt::default()
            }
            .boxed(),
            ..ty("string")
        });
        let second = rd.add(ty("integer"));
        let rroot = rd.add(Schema {
            ext: SchemaExt {
                prefix_items: vec![first, second],
                ..SchemaExt::default()
            }
            .boxed(),
            items: Some(item),
            ..ty("array")
        });
        let (b, r) = (bd.api(), rd.api());
        let found = changes(&b, broot, &r, rroot, response());
        let mut got: Vec<(&str, Level)> = found.iter().map(|c| (c.id.as_str(), c.level)).collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("response-body-prefix-items-added", Level::Breaking),
                ("response-property-contains-added", Level::Info)
            ]
        );
        let nested = found
            .iter()
            .find(|c| c.id.contains("contains"))
            .map(|c| c.message.clone());
        assert!(nested.unwrap_or_default().contains("'prefixItems/0'"));
    }

    #[test]
    fn content_encoding_change_is_breaking_both_ways() {
        let mut bd = Doc::default();
        let b0 = bd.add(Schema {
            ext: SchemaExt {
                content_encoding: Some("base64".into()),
                ..SchemaExt::default()
            }
            .boxed(),
            ..ty("string")
        });
        let mut rd = Doc::default();
        let r0 = rd.add(Schema {
            ext: SchemaExt {
                content_encoding: Some("base32".into()),
                ..SchemaExt::default()
            }
            .boxed(),
            ..ty("string")
        });
        let (b, r) = (bd.api(), rd.api());
        for kind in [request(), response()] {
            let found = changes(&b, b0, &r, r0, kind);
            assert_eq!(found.len(), 1);
            assert!(found[0].id.ends_with("-body-content-encoding-changed"));
            assert_eq!(found[0].level, Level::Breaking);
            assert!(found[0].message.contains("from 'base64' to 'base32'"));
        }
    }
}
