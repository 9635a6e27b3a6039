//! Enums: a schema that became an enum, enum values added or removed, and
//! `x-extensible-enum` values removed. One change per value, so each new value is its
//! own (dedupable) change.

pub mod rules;

use rules::*;
use serde_json::Value;

use crate::diff::context::Direction;
use crate::diff::schema::cx::{SchemaCx, show};
use crate::spec::model::Schema;

/// Compares `enum` and `x-extensible-enum`.
pub fn check(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    match (&base.enum_values, &rev.enum_values) {
        (None, Some(values)) => {
            let list = values.iter().map(show).collect::<Vec<_>>().join(", ");
            cx.emit_for(BECAME_ENUM, &[&list]);
        }
        (Some(old), Some(new)) => {
            // A read-only property is not sent by clients, a write-only one not returned
            // by servers: their enum changes affect nobody at that place.
            let removed_table = if cx.direction() == Direction::Request && rev.read_only {
                READ_ONLY_ENUM_VALUE_REMOVED
            } else {
                ENUM_VALUE_REMOVED
            };
            for v in old.iter().filter(|v| !new.contains(v)) {
                cx.emit_removed_for(removed_table, &[&show(v)]);
            }
            let added_table = if cx.direction() == Direction::Response && rev.write_only {
                WRITE_ONLY_ENUM_VALUE_ADDED
            } else {
                ENUM_VALUE_ADDED
            };
            for v in new.iter().filter(|v| !old.contains(v)) {
                cx.emit_for(added_table, &[&show(v)]);
            }
        }
        _ => {}
    }
    extensible(cx, base, rev);
}

/// `x-extensible-enum` lists values clients may send; removing one breaks them.
fn extensible(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    let values = |s: &Schema| -> Vec<Value> {
        match s.extensions.get("x-extensible-enum") {
            Some(Value::Array(a)) => a.clone(),
            _ => Vec::new(),
        }
    };
    let (old, new) = (values(base), values(rev));
    if new.is_empty() {
        // Dropping the whole list is not a removal of values.
        return;
    }
    for v in old.iter().filter(|v| !new.contains(v)) {
        cx.emit_removed_for(X_EXTENSIBLE_ENUM_VALUE_REMOVED, &[&show(v)]);
    }
}
