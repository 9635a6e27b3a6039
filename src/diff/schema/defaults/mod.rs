//! Defaults and const: `default` and `const` added, changed or removed.

pub mod rules;

use rules::*;
use serde_json::Value;

use crate::diff::schema::cx::{SchemaCx, SiteRules, show};
use crate::spec::model::Schema;

/// Compares `default` and `const`.
pub fn check(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    value(
        cx,
        &base.default,
        &rev.default,
        [
            DEFAULT_VALUE_ADDED,
            DEFAULT_VALUE_CHANGED,
            DEFAULT_VALUE_REMOVED,
        ],
    );
    value(
        cx,
        &base.ext().const_value,
        &rev.ext().const_value,
        [CONST_ADDED, CONST_CHANGED, CONST_REMOVED],
    );
}

/// `[added, changed, removed]` tables for one keyword.
fn value(
    cx: &mut SchemaCx<'_, '_>,
    base: &Option<Value>,
    rev: &Option<Value>,
    [added, changed, removed]: [&SiteRules; 3],
) {
    match (base, rev) {
        (None, Some(v)) => {
            cx.emit_for(added, &[&show(v)]);
        }
        (Some(v), None) => {
            cx.emit_removed_for(removed, &[&show(v)]);
        }
        (Some(a), Some(b)) if a != b => {
            cx.emit_for(changed, &[&show(a), &show(b)]);
        }
        _ => {}
    }
}
