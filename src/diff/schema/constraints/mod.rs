//! Constraints: minimum/maximum (inclusive and exclusive), min/max length, items and
//! contains, and pattern. Each numeric bound is one row of [`BOUNDS`]; which rule a
//! change maps to (and so whether it is breaking) comes from the place's table.

pub mod rules;

use rules::*;

use crate::diff::schema::cx::{SchemaCx, SiteRules, show_num};
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
        unset: NONE,
    },
    BoundKind {
        get: |s| s.minimum.filter(|b| !b.exclusive).map(|b| b.value),
        implicit: None,
        increased: MIN_INCREASED,
        decreased: MIN_DECREASED,
        set: MIN_SET,
        unset: NONE,
    },
    BoundKind {
        get: |s| s.maximum.filter(|b| b.exclusive).map(|b| b.value),
        implicit: None,
        increased: EXCLUSIVE_MAX_INCREASED,
        decreased: EXCLUSIVE_MAX_DECREASED,
        set: EXCLUSIVE_MAX_SET,
        unset: NONE,
    },
    BoundKind {
        get: |s| s.minimum.filter(|b| b.exclusive).map(|b| b.value),
        implicit: None,
        increased: EXCLUSIVE_MIN_INCREASED,
        decreased: EXCLUSIVE_MIN_DECREASED,
        set: EXCLUSIVE_MIN_SET,
        unset: NONE,
    },
    BoundKind {
        get: |s| count(s.max_length),
        implicit: None,
        increased: MAX_LENGTH_INCREASED,
        decreased: MAX_LENGTH_DECREASED,
        set: MAX_LENGTH_SET,
        unset: MAX_LENGTH_UNSET,
    },
    BoundKind {
        get: |s| count(s.min_length),
        implicit: Some(0.0),
        increased: MIN_LENGTH_INCREASED,
        decreased: MIN_LENGTH_DECREASED,
        set: NONE,
        unset: NONE,
    },
    BoundKind {
        get: |s| count(s.ext().max_items),
        implicit: None,
        increased: MAX_ITEMS_INCREASED,
        decreased: MAX_ITEMS_DECREASED,
        set: NONE,
        unset: NONE,
    },
    BoundKind {
        get: |s| count(s.ext().min_items),
        implicit: Some(0.0),
        increased: MIN_ITEMS_INCREASED,
        decreased: MIN_ITEMS_DECREASED,
        set: MIN_ITEMS_SET,
        unset: MIN_ITEMS_UNSET,
    },
    BoundKind {
        get: |s| count(s.ext().max_contains),
        implicit: None,
        increased: MAX_CONTAINS_INCREASED,
        decreased: MAX_CONTAINS_DECREASED,
        set: NONE,
        unset: NONE,
    },
    BoundKind {
        // minContains defaults to 1 when `contains` is present.
        get: |s| count(s.ext().min_contains),
        implicit: Some(1.0),
        increased: MIN_CONTAINS_INCREASED,
        decreased: MIN_CONTAINS_DECREASED,
        set: NONE,
        unset: NONE,
    },
];

/// Compares every constraint keyword of the pair.
pub fn check(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    for kind in BOUNDS {
        bound(cx, kind, (kind.get)(base), (kind.get)(rev));
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
