//! Wrap detection by instance semantics: whether a value that became (or stopped being)
//! an `anyOf` / `oneOf` keeps every old value valid, and where `oneOf`'s exclusivity
//! rejects values that match more than one branch.

use super::composed;
use super::matching::{label, match_branches};
use super::rules::{COMPOSITION_NARROWED, ONE_OF_AMBIGUOUS};
use crate::diff::context::Direction;
use crate::diff::schema::SchemaCx;
use crate::diff::schema::subsume::{schema_within_branch, within, within_branch};
use crate::spec::model::{Schema, SchemaId};

/// True when one side is `anyOf` / `oneOf` around the other (`T` → `anyOf: [T, U]`, or
/// back) and adds nothing of its own: every value of `T` is still valid, so only the
/// composition family (the branch that came or went) and the types family (a body
/// wrapped in `oneOf`) speak. Comparing `T`'s own keywords with the wrapper's empty
/// ones would report every property of `T` as removed, once per place it is used.
pub fn is_wrap(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) -> bool {
    // The wrapper adds nothing of its own: a bound beside the `anyOf` would be lost.
    let bare = |s: &Schema| s.all_of.is_empty() && s.constrains_only_by_composition();
    let branches =
        |s: &Schema| -> Vec<SchemaId> { s.any_of.iter().chain(&s.one_of).copied().collect() };
    let (base_id, rev_id) = (cx.base_id, cx.rev_id);
    let (bapi, rapi) = (cx.base_api(), cx.rev_api());
    if !composed(base) && bare(rev) {
        // In a request, a wrapper that rejects some old values is judged by the
        // composition family as a whole (`narrowed_into_union`), not keyword by keyword.
        return cx.direction() == Direction::Request
            || branches(rev).into_iter().any(|r| {
                cx.equal(base_id, r) || within_branch(bapi, base_id, rapi, r, rev.nullable)
            });
    }
    if !composed(rev) && bare(base) {
        return branches(base).into_iter().any(|b| {
            cx.equal(b, rev_id) || within(bapi, b, rapi, rev_id) || within(rapi, rev_id, bapi, b)
        });
    }
    false
}

/// A request value that became a `oneOf` at least two of whose branches take every old
/// value: `oneOf` rejects a value matching more than one branch, so every old value is
/// now rejected (or at least those the branches share). Judged by what the branches
/// accept, not by whether one of them equals the old schema.
pub(super) fn one_of_ambiguous(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    if cx.direction() != Direction::Request || rev.one_of.len() < 2 {
        return;
    }
    if !base.one_of.is_empty() {
        return one_of_overlap(cx, base, rev);
    }
    let (bapi, rapi, base_id) = (cx.base_api(), cx.rev_api(), cx.base_id);
    let (mut taking, mut others) = (Vec::new(), Vec::new());
    for (j, &r) in rev.one_of.iter().enumerate() {
        if cx.equal(base_id, r) || within(bapi, base_id, rapi, r) {
            taking.push(label(rapi, r, j));
        } else if may_overlap(base, rapi.schema(r)) {
            others.push(label(rapi, r, j));
        }
    }
    // The old values go to a branch that takes them all; any other branch that may take
    // some of them too makes those ambiguous.
    if !taking.is_empty() && taking.len() + others.len() >= 2 {
        taking.extend(others);
        cx.emit_for(ONE_OF_AMBIGUOUS, &[&taking.join(", ")]);
    }
}

/// A branch added to a request's `oneOf` that may accept a value of a branch that was
/// already there: such values now match two branches, and `oneOf` rejects them. Only
/// branches that cannot overlap (disjoint types or enums) are safe to add.
fn one_of_overlap(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    let (bapi, rapi) = (cx.base_api(), cx.rev_api());
    let m = match_branches(bapi, &base.one_of, rapi, &rev.one_of, |x, y| cx.equal(x, y));
    let mut taking = Vec::new();
    for &j in &m.added {
        let new = rapi.schema(rev.one_of[j]);
        if let Some(&(i, _)) = m
            .pairs
            .iter()
            .find(|&&(i, _)| may_overlap(bapi.schema(base.one_of[i]), new))
        {
            taking.push(format!(
                "{} and {}",
                label(bapi, base.one_of[i], i),
                label(rapi, rev.one_of[j], j)
            ));
        }
    }
    if !taking.is_empty() {
        cx.emit_for(ONE_OF_AMBIGUOUS, &[&taking.join("; ")]);
    }
}

/// False only when no value can match both schemas: neither is null-able with the other,
/// and their types, or their enums, are disjoint.
fn may_overlap(a: &Schema, b: &Schema) -> bool {
    if a.nullable && b.nullable {
        return true;
    }
    if let (Some(x), Some(y)) = (&a.enum_values, &b.enum_values) {
        return x.iter().any(|v| y.contains(v));
    }
    if a.types.is_empty() || b.types.is_empty() {
        return true;
    }
    let number = |t: &str| t == "number" || t == "integer";
    a.types
        .iter()
        .any(|t| b.types.iter().any(|u| t == u || (number(t) && number(u))))
}

/// A request value that became an `anyOf` / `oneOf` that rejects some values it accepted
/// before: no branch takes every old value, nor do the branches together, type by type
/// (`string | integer` → `anyOf: [string, integer]` keeps every value) or value by value
/// of an enum. A client sending such a value is now turned away. Returns true when
/// reported: the branches are then not reported again one by one as added.
pub(super) fn narrowed_into_union(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) -> bool {
    let bare = rev.all_of.is_empty() && rev.constrains_only_by_composition();
    if cx.direction() != Direction::Request || composed(base) || !bare {
        return false;
    }
    let (keyword, branches) = match (rev.any_of.is_empty(), rev.one_of.is_empty()) {
        (false, true) => ("anyOf", &rev.any_of),
        (true, false) => ("oneOf", &rev.one_of),
        _ => return false,
    };
    let (bapi, rapi, base_id) = (cx.base_api(), cx.rev_api(), cx.base_id);
    if branches.iter().any(|&r| cx.equal(base_id, r)) {
        return false;
    }
    let fits = |piece: &Schema| {
        branches
            .iter()
            .any(|&r| schema_within_branch(bapi, piece, rapi, r, rev.nullable))
    };
    if fits(base) || pieces(base).is_some_and(|p| p.iter().all(fits)) {
        return false;
    }
    cx.emit_for(COMPOSITION_NARROWED, &[keyword]);
    true
}

/// `s` split into the schemas of its types, or of its enum values, when it has several:
/// each piece may be taken by a different branch.
fn pieces(s: &Schema) -> Option<Vec<Schema>> {
    if s.types.len() > 1 {
        return Some(
            s.types
                .iter()
                .map(|t| Schema {
                    types: vec![t.clone()],
                    ..s.clone()
                })
                .collect(),
        );
    }
    let values = s.enum_values.as_ref().filter(|v| v.len() > 1)?;
    Some(
        values
            .iter()
            .map(|v| Schema {
                enum_values: Some(vec![v.clone()]),
                ..s.clone()
            })
            .collect(),
    )
}
