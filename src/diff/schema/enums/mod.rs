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
        (Some(old), None) => {
            // Old clients may now meet values they never handled — unless `const`
            // still pins the value to one of the old ones.
            let still_listed = rev
                .ext()
                .const_value
                .as_ref()
                .is_some_and(|c| old.contains(c));
            if !still_listed {
                let list = old.iter().map(show).collect::<Vec<_>>().join(", ");
                cx.emit_removed_for(ENUM_REMOVED, &[&list]);
            }
        }
        (Some(old), Some(new)) => {
            // A read-only property is not sent by clients, a write-only one not returned
            // by servers: their enum changes affect nobody at that place.
            let removed_table = if cx.direction() == Direction::Request && rev.read_only {
                READ_ONLY_ENUM_VALUE_REMOVED
            } else {
                ENUM_VALUE_REMOVED
            };
            if old == new {
                return extensible(cx, base, rev);
            }
            for v in missing(old, new) {
                cx.emit_removed_for(removed_table, &[&show(v)]);
            }
            let added_table = if cx.direction() == Direction::Response && rev.write_only {
                WRITE_ONLY_ENUM_VALUE_ADDED
            } else {
                ENUM_VALUE_ADDED
            };
            for v in missing(new, old) {
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
        match s.ext().extensions.get("x-extensible-enum") {
            Some(Value::Array(a)) => a.clone(),
            _ => Vec::new(),
        }
    };
    let (old, new) = (values(base), values(rev));
    if new.is_empty() {
        // Dropping the whole list is not a removal of values.
        return;
    }
    for v in missing(&old, &new) {
        cx.emit_removed_for(X_EXTENSIBLE_ENUM_VALUE_REMOVED, &[&show(v)]);
    }
}

/// The values of `from` that `other` lacks, in `from`'s order. Enums of a few hundred
/// strings (currencies, countries, event types) are common and usually change by a few
/// values in place: the common prefix and suffix are present in `other`, so only the
/// middle of `from` is looked up — by scanning when that is cheap, else in a set of
/// strings (other values keep `Value`'s own equality).
pub fn missing<'v>(from: &'v [Value], other: &[Value]) -> Vec<&'v Value> {
    let prefix = from.iter().zip(other).take_while(|(a, b)| a == b).count();
    let suffix = from[prefix..]
        .iter()
        .rev()
        .zip(other[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let middle = &from[prefix..from.len() - suffix];
    if middle.len() * other.len() <= 4096 {
        return middle.iter().filter(|v| !other.contains(v)).collect();
    }
    let strings: std::collections::HashSet<&str> = other.iter().filter_map(Value::as_str).collect();
    middle
        .iter()
        .filter(|v| match v.as_str() {
            Some(s) => !strings.contains(s),
            None => !other.contains(v),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::missing;

    #[test]
    fn missing_keeps_order_and_value_equality_for_small_and_large_lists() {
        let small = [json!("a"), json!(1), json!({"k": 1})];
        let large: Vec<_> = (0..40)
            .map(|i| json!(format!("v{i}")))
            .chain([json!(1), json!({"k": 1})])
            .collect();
        let mut shuffled = large.clone();
        shuffled.reverse();
        let big_from: Vec<_> = (0..300)
            .map(|i| json!(format!("v{}", i * 7 % 50)))
            .collect();
        let got: Vec<_> = missing(&big_from, &shuffled).into_iter().cloned().collect();
        let want: Vec<_> = big_from
            .iter()
            .filter(|v| !shuffled.contains(v))
            .cloned()
            .collect();
        assert_eq!(got, want);
        for other in [&small[..], &large[..], &shuffled[..]] {
            let from = [
                json!("v3"),
                json!("a"),
                json!(1),
                json!(2),
                json!({"k": 1}),
                json!("zz"),
            ];
            let got: Vec<_> = missing(&from, other).into_iter().cloned().collect();
            let want: Vec<_> = from
                .iter()
                .filter(|v| !other.contains(v))
                .cloned()
                .collect();
            assert_eq!(got, want);
        }
        assert_eq!(missing(&large, &large), Vec::<&serde_json::Value>::new());
    }
}
