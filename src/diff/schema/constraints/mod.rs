//! Constraints: minimum/maximum (inclusive and exclusive), min/max length, items and
//! contains, and pattern. Each numeric bound is one row of [`BOUNDS`]; which rule a
//! change maps to (and so whether it is breaking) comes from the place's table.

pub mod rules;

use rules::*;

use crate::diff::schema::cx::{SchemaCx, SiteRules, show_num};
use serde_json::Value;

use crate::spec::model::Schema;

/// No rule for any place.
const NONE: &SiteRules = &[];

/// One numeric constraint keyword.
struct BoundKind {
    /// Its value in a schema, if present.
    get: fn(&Schema) -> Option<f64>,
    /// The value an absent keyword means (0 for the `min*` counts); `None` when
    /// absence means "unbounded" and so cannot be compared with a number.
    implicit: Option<f64>,
    increased: &'static SiteRules,
    decreased: &'static SiteRules,
    set: &'static SiteRules,
    unset: &'static SiteRules,
    /// True for upper bounds (`max*`): increasing or unsetting one widens.
    upper: bool,
    /// Whether a value obeys this keyword at bound `b` (values of other types do).
    holds: fn(&Value, f64) -> bool,
    /// The types the keyword applies to.
    applies: &'static [&'static str],
}

const NUMERIC: &[&str] = &["integer", "number"];
const STRING: &[&str] = &["string"];
const ARRAY: &[&str] = &["array"];

fn num_at_most(v: &Value, b: f64) -> bool {
    v.as_f64().is_none_or(|n| n <= b)
}
fn num_below(v: &Value, b: f64) -> bool {
    v.as_f64().is_none_or(|n| n < b)
}
fn num_at_least(v: &Value, b: f64) -> bool {
    v.as_f64().is_none_or(|n| n >= b)
}
fn num_above(v: &Value, b: f64) -> bool {
    v.as_f64().is_none_or(|n| n > b)
}
fn chars(v: &Value) -> Option<f64> {
    v.as_str().map(|s| s.chars().count() as f64)
}
fn len_at_most(v: &Value, b: f64) -> bool {
    chars(v).is_none_or(|n| n <= b)
}
fn len_at_least(v: &Value, b: f64) -> bool {
    chars(v).is_none_or(|n| n >= b)
}
fn items_at_most(v: &Value, b: f64) -> bool {
    v.as_array().is_none_or(|a| a.len() as f64 <= b)
}
fn items_at_least(v: &Value, b: f64) -> bool {
    v.as_array().is_none_or(|a| a.len() as f64 >= b)
}
/// `contains` counts depend on the `contains` schema: never decided from values.
fn unknown(_: &Value, _: f64) -> bool {
    false
}

fn count(v: Option<u64>) -> Option<f64> {
    v.map(|n| n as f64)
}

/// Every numeric constraint keyword the family compares.
const BOUNDS: &[BoundKind] = &[
    BoundKind {
        get: |s| s.maximum.filter(|b| !b.exclusive).map(|b| b.value),
        implicit: None,
        increased: MAX_INCREASED,
        decreased: MAX_DECREASED,
        set: MAX_SET,
        unset: MAX_UNSET,
        upper: true,
        holds: num_at_most,
        applies: NUMERIC,
    },
    BoundKind {
        get: |s| s.minimum.filter(|b| !b.exclusive).map(|b| b.value),
        implicit: None,
        increased: MIN_INCREASED,
        decreased: MIN_DECREASED,
        set: MIN_SET,
        unset: MIN_UNSET,
        upper: false,
        holds: num_at_least,
        applies: NUMERIC,
    },
    BoundKind {
        get: |s| s.maximum.filter(|b| b.exclusive).map(|b| b.value),
        implicit: None,
        increased: EXCLUSIVE_MAX_INCREASED,
        decreased: EXCLUSIVE_MAX_DECREASED,
        set: EXCLUSIVE_MAX_SET,
        unset: MAX_UNSET,
        upper: true,
        holds: num_below,
        applies: NUMERIC,
    },
    BoundKind {
        get: |s| s.minimum.filter(|b| b.exclusive).map(|b| b.value),
        implicit: None,
        increased: EXCLUSIVE_MIN_INCREASED,
        decreased: EXCLUSIVE_MIN_DECREASED,
        set: EXCLUSIVE_MIN_SET,
        unset: MIN_UNSET,
        upper: false,
        holds: num_above,
        applies: NUMERIC,
    },
    BoundKind {
        get: |s| count(s.max_length),
        implicit: None,
        increased: MAX_LENGTH_INCREASED,
        decreased: MAX_LENGTH_DECREASED,
        set: MAX_LENGTH_SET,
        unset: MAX_LENGTH_UNSET,
        upper: true,
        holds: len_at_most,
        applies: STRING,
    },
    BoundKind {
        get: |s| count(s.min_length),
        implicit: Some(0.0),
        increased: MIN_LENGTH_INCREASED,
        decreased: MIN_LENGTH_DECREASED,
        set: NONE,
        unset: NONE,
        upper: false,
        holds: len_at_least,
        applies: STRING,
    },
    BoundKind {
        get: |s| count(s.ext().max_items),
        implicit: None,
        increased: MAX_ITEMS_INCREASED,
        decreased: MAX_ITEMS_DECREASED,
        set: MAX_ITEMS_SET,
        unset: MAX_ITEMS_UNSET,
        upper: true,
        holds: items_at_most,
        applies: ARRAY,
    },
    BoundKind {
        get: |s| count(s.ext().min_items),
        implicit: Some(0.0),
        increased: MIN_ITEMS_INCREASED,
        decreased: MIN_ITEMS_DECREASED,
        set: MIN_ITEMS_SET,
        unset: MIN_ITEMS_UNSET,
        upper: false,
        holds: items_at_least,
        applies: ARRAY,
    },
    BoundKind {
        get: |s| count(s.ext().max_contains),
        implicit: None,
        increased: MAX_CONTAINS_INCREASED,
        decreased: MAX_CONTAINS_DECREASED,
        set: NONE,
        unset: NONE,
        upper: true,
        holds: unknown,
        applies: ARRAY,
    },
    BoundKind {
        // minContains defaults to 1 when `contains` is present.
        get: |s| count(s.ext().min_contains),
        implicit: Some(1.0),
        increased: MIN_CONTAINS_INCREASED,
        decreased: MIN_CONTAINS_DECREASED,
        set: NONE,
        unset: NONE,
        upper: false,
        holds: unknown,
        applies: ARRAY,
    },
];

/// Compares every constraint keyword of the pair.
pub fn check(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    for kind in BOUNDS {
        let (from, to) = ((kind.get)(base), (kind.get)(rev));
        if from != to && !unobservable(kind, base, rev, from, to) {
            bound(cx, kind, from, to);
        }
    }
    pattern(cx, base, rev);
}

fn bound(cx: &mut SchemaCx<'_, '_>, kind: &BoundKind, base: Option<f64>, rev: Option<f64>) {
    let moved = |cx: &mut SchemaCx<'_, '_>, from: f64, to: f64| {
        let table = if to > from {
            kind.increased
        } else {
            kind.decreased
        };
        // Read-only request properties get the readOnly/writeOnly family's variants.
        let table = crate::diff::schema::read_write::for_access(cx, table);
        cx.emit_for(table, &[&show_num(from), &show_num(to)]);
    };
    match (base, rev) {
        (Some(from), Some(to)) if from != to => moved(cx, from, to),
        (None, Some(to)) => {
            // A "set" rule where oasdiff has one; otherwise compare with the implicit value.
            if !cx.emit_for(kind.set, &[&show_num(to)])
                && let Some(from) = kind.implicit.filter(|&i| i != to)
            {
                moved(cx, from, to);
            }
        }
        (Some(from), None) => {
            if !cx.emit_removed_for(kind.unset, &[&show_num(from)])
                && let Some(to) = kind.implicit.filter(|&i| i != from)
            {
                moved(cx, from, to);
            }
        }
        _ => {}
    }
}

/// The values a schema is limited to by `enum` or `const`, if it is.
pub fn listed_values(s: &Schema) -> Option<Vec<&Value>> {
    match (&s.enum_values, &s.ext().const_value) {
        (_, Some(c)) => Some(vec![c]),
        (Some(values), None) => Some(values.iter().collect()),
        (None, None) => None,
    }
}

/// Formats whose values are never longer than this many characters.
const FORMAT_MAX_LENGTH: &[(&str, f64)] = &[
    ("date", 10.0),
    ("uuid", 36.0),
    ("ipv4", 15.0),
    ("ipv6", 45.0),
];

/// True when a change of this keyword from `from` to `to` lets no instance through
/// that was rejected before (or rejects none that passed), judged against the other
/// keywords of the schema on the side that decides: a widening matters only for values
/// the revision still allows, a narrowing only for values the base allowed. So a
/// response string whose `maxLength: 5000` gave way to an enum of short values, or a
/// bound on a property that is no longer of a type the keyword applies to, is no change.
fn unobservable(
    kind: &BoundKind,
    base: &Schema,
    rev: &Schema,
    from: Option<f64>,
    to: Option<f64>,
) -> bool {
    let (from, to) = (from.or(kind.implicit), to.or(kind.implicit));
    let widening = match (from, to) {
        (Some(f), Some(t)) => (t > f) == kind.upper,
        (Some(_), None) => true,
        (None, _) => false,
    };
    // The side whose values decide, and the bound they must obey.
    let (side, limit) = if widening { (rev, from) } else { (base, to) };
    let Some(limit) = limit else {
        return false;
    };
    if !side.types.is_empty()
        && !side
            .types
            .iter()
            .any(|t| kind.applies.contains(&t.as_str()))
    {
        return true;
    }
    if let Some(values) = listed_values(side) {
        return values.iter().all(|v| (kind.holds)(v, limit));
    }
    kind.upper
        && kind.applies == STRING
        && side.format.as_deref().is_some_and(|f| {
            FORMAT_MAX_LENGTH
                .iter()
                .any(|&(name, max)| name == f && max <= limit)
        })
}

/// Patterns that accept every string: changing to one of them only widens.
fn matches_everything(p: &str) -> bool {
    matches!(
        p,
        "" | ".*" | "^.*$" | "^.*" | ".*$" | "[\\s\\S]*" | "^[\\s\\S]*$"
    )
}

fn pattern(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    match (&base.ext().pattern, &rev.ext().pattern) {
        (None, Some(p)) => {
            cx.emit_for(PATTERN_ADDED, &[p]);
        }
        (Some(p), None) => {
            cx.emit_removed_for(PATTERN_REMOVED, &[p]);
        }
        (Some(from), Some(to)) if from != to => {
            let table = if matches_everything(to) {
                PATTERN_GENERALIZED
            } else {
                PATTERN_CHANGED
            };
            cx.emit_for(table, &[from, to]);
        }
        _ => {}
    }
}
