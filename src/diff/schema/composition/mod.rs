//! Composition family: `allOf` / `anyOf` / `oneOf` branches and the `discriminator`.
//!
//! Branches match across versions by what they accept — structural equality (the
//! core's memoized, cycle-safe comparison) — then by component name, then by title,
//! then by shape similarity; never by position. So reordering branches, renaming a component or inlining a `$ref` is
//! no change, an unmatched branch is an added / removed subschema, and every
//! matched pair is handed back to the walker (with the parent's property path: a
//! branch describes the same value as its parent).

mod discriminator;
mod matching;
mod merge;
pub mod rules;
mod wrap;

use crate::diff::context::Direction;
use crate::diff::schema::subsume::{within, within_branch};
use crate::diff::schema::{Child, SchemaCx, SiteRules};
use crate::spec::model::{Api, Schema, SchemaId};
use matching::label;
pub use matching::{BranchMatch, match_branches};
pub use merge::{in_all_of, merged_properties};
use merge::{merged_shape, shape_only};
use rules::*;
pub use wrap::is_wrap;

/// One composition keyword and its rule tables.
struct Keyword {
    /// The keyword as written, also the pointer segment.
    name: &'static str,
    /// Reads the branch list off a schema.
    branches: fn(&Schema) -> &[SchemaId],
    added: &'static SiteRules,
    removed: &'static SiteRules,
    /// `allOf` only: the tables for branches that only annotate.
    annotation_added: Option<&'static SiteRules>,
    annotation_removed: Option<&'static SiteRules>,
}

const KEYWORDS: &[Keyword] = &[
    Keyword {
        name: "oneOf",
        branches: |s| &s.one_of,
        added: ONE_OF_ADDED,
        removed: ONE_OF_REMOVED,
        annotation_added: None,
        annotation_removed: None,
    },
    Keyword {
        name: "anyOf",
        branches: |s| &s.any_of,
        added: ANY_OF_ADDED,
        removed: ANY_OF_REMOVED,
        annotation_added: None,
        annotation_removed: None,
    },
    Keyword {
        name: "allOf",
        branches: |s| &s.all_of,
        added: ALL_OF_ADDED,
        removed: ALL_OF_REMOVED,
        annotation_added: Some(ALL_OF_ADDED_ANNOTATION_ONLY),
        annotation_removed: Some(ALL_OF_REMOVED_ANNOTATION_ONLY),
    },
];

/// True when `s` only annotates (title, description, examples, deprecation, …) and
/// constrains nothing: adding it to an `allOf` changes no instance's validity.
pub fn annotation_only(s: &Schema) -> bool {
    !s.nullable
        && s.all_of.is_empty()
        && s.any_of.is_empty()
        && s.one_of.is_empty()
        && s.constrains_only_by_composition()
}

/// What the composition keywords of a schema pair amount to.
#[derive(Default)]
struct Plan {
    /// Matched branches (base id, revision id), for the walker.
    pairs: Vec<(SchemaId, SchemaId)>,
    /// Unmatched revision branches: keyword and index.
    added: Vec<(&'static Keyword, usize)>,
    /// Unmatched base branches: keyword and index.
    removed: Vec<(&'static Keyword, usize)>,
}

fn plan(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) -> Plan {
    let (bapi, rapi) = (cx.base_api(), cx.rev_api());
    let mut plan = Plan::default();
    if let (Some(b), Some(r)) = (base.single_branch(), rev.single_branch()) {
        plan.pairs.push((b, r));
        return plan;
    }
    for kw in KEYWORDS {
        let (b, r) = ((kw.branches)(base), (kw.branches)(rev));
        if b.is_empty() && r.is_empty() {
            continue;
        }
        let m = match_branches(bapi, b, rapi, r, |x, y| cx.equal(x, y));
        plan.pairs
            .extend(m.pairs.iter().map(|&(i, j)| (b[i], r[j])));
        let (mut added, mut removed) = (m.added, m.removed);
        if kw.name != "allOf" {
            // `T` → `oneOf: [T', U]` (or back) where T' takes every value of T: T is
            // kept, only U comes or goes.
            let (base_id, rev_id) = (cx.base_id, cx.rev_id);
            if b.is_empty() && rev.types.is_empty() {
                let before = added.len();
                // The branch equal to T if there is one, else every branch taking all of T.
                match added.iter().position(|&j| cx.equal(base_id, r[j])) {
                    Some(k) => {
                        added.remove(k);
                    }
                    // In a response a branch wider than T brings new values: only one
                    // that also stays within T is T itself.
                    None if cx.direction() == Direction::Response => added.retain(|&j| {
                        !(within_branch(bapi, base_id, rapi, r[j], rev.nullable)
                            && within(rapi, r[j], bapi, base_id))
                    }),
                    None => {
                        added.retain(|&j| !within_branch(bapi, base_id, rapi, r[j], rev.nullable))
                    }
                }
                // At a body's root the types family reports `…-body-wrapped-in-one-of`.
                if added.len() < before && kw.name == "oneOf" && !cx.place().is_property() {
                    added.clear();
                }
            }
            if r.is_empty()
                && base.types.is_empty()
                && let Some(k) = removed.iter().position(|&i| {
                    cx.equal(b[i], rev_id)
                        || within(bapi, b[i], rapi, rev_id)
                        || within(rapi, rev_id, bapi, b[i])
                })
            {
                removed.remove(k);
            }
            // A branch whose values another branch of the other side still takes
            // changes nothing where it would break: dropped from a request (the values
            // are still accepted) or added to a response (no value is new).
            let rev_sides: Vec<SchemaId> = if r.is_empty() {
                vec![rev_id]
            } else {
                r.to_vec()
            };
            let base_sides: Vec<SchemaId> = if b.is_empty() {
                vec![base_id]
            } else {
                b.to_vec()
            };
            match cx.direction() {
                Direction::Request => {
                    removed.retain(|&i| !rev_sides.iter().any(|&y| within(bapi, b[i], rapi, y)))
                }
                Direction::Response => {
                    added.retain(|&j| !base_sides.iter().any(|&x| within(rapi, r[j], bapi, x)))
                }
            }
        }
        plan.added.extend(added.into_iter().map(|j| (kw, j)));
        plan.removed.extend(removed.into_iter().map(|i| (kw, i)));
    }
    let all_of_changed = plan
        .added
        .iter()
        .chain(&plan.removed)
        .any(|(kw, _)| kw.name == "allOf");
    if all_of_changed && merged_shape(bapi, base) == merged_shape(rapi, rev) {
        // Properties only moved between the schema and its allOf parts (a refactor
        // into a shared base schema): the merged object has the same properties and
        // required names; `children` compares each moved property at its own path.
        // Annotation-only parts are still reported: they carry no properties.
        // Parts that constrain more than the object's shape (a pattern, an enum, a
        // bound) are still reported: the merged shape does not show what they do.
        let keep = |api: &Api, owner: &Schema, &(kw, i): &(&Keyword, usize)| {
            let part = api.schema((kw.branches)(owner)[i]);
            kw.name != "allOf" || annotation_only(part) || !shape_only(part)
        };
        plan.added.retain(|a| keep(rapi, rev, a));
        plan.removed.retain(|r| keep(bapi, base, r));
    }
    plan
}

/// True when `s` has composition branches or a discriminator (most schemas have neither).
pub(super) fn composed(s: &Schema) -> bool {
    !(s.all_of.is_empty()
        && s.any_of.is_empty()
        && s.one_of.is_empty()
        && s.ext().discriminator.is_none())
}

/// Reports added / removed branches and discriminator changes of one schema pair.
pub fn check(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    if !composed(base) && !composed(rev) {
        return;
    }
    let (bapi, rapi) = (cx.base_api(), cx.rev_api());
    wrap::one_of_ambiguous(cx, base, rev);
    let narrowed = wrap::narrowed_into_union(cx, base, rev);
    let plan = plan(cx, base, rev);
    let (place, path) = (cx.place(), cx.path);
    // One change, one entry: a narrowing wrapper is reported as such, not branch by branch.
    let added = plan
        .added
        .iter()
        .filter(|(kw, _)| !(narrowed && kw.name != "allOf"));
    for &(kw, j) in added {
        let id = (kw.branches)(rev)[j];
        let annotation = annotation_only(rapi.schema(id));
        let table = kw
            .annotation_added
            .filter(|_| annotation)
            .unwrap_or(kw.added);
        let pointer = format!("{}/{}/{j}", cx.rev_pointer, kw.name);
        cx.emit_at(table, place, path, &pointer, &[&label(rapi, id, j)]);
    }
    for &(kw, i) in &plan.removed {
        let id = (kw.branches)(base)[i];
        let annotation = annotation_only(bapi.schema(id));
        let table = kw
            .annotation_removed
            .filter(|_| annotation)
            .unwrap_or(kw.removed);
        let pointer = format!("{}/{}/{i}", cx.base_pointer, kw.name);
        cx.emit_at(table, place, path, &pointer, &[&label(bapi, id, i)]);
    }
    discriminator::check_discriminator(cx, base, rev);
}

/// A JSON-pointer segment for `key` (`~` → `~0`, `/` → `~1`).
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Hands every matched branch pair to the walker, at the parent's property path; and
/// properties that moved into or out of `allOf` parts, at their own path.
pub fn children<'s>(
    cx: &mut SchemaCx<'_, 's>,
    base: &'s Schema,
    rev: &'s Schema,
    out: &mut Vec<Child<'s>>,
) {
    if !composed(base) && !composed(rev) {
        return;
    }
    for (b, r) in plan(cx, base, rev).pairs {
        out.push(Child {
            base: b,
            rev: r,
            segment: "".into(),
        });
    }
    if base.all_of.is_empty() && rev.all_of.is_empty() {
        return;
    }
    let (bapi, rapi) = (cx.base_api(), cx.rev_api());
    let (bprops, _) = merged_properties(bapi, base);
    let (rprops, _) = merged_properties(rapi, rev);
    for (name, b) in bprops {
        let moved = !(base.properties.contains_key(&name) && rev.properties.contains_key(&name));
        if let Some(&r) = rprops.get(&name).filter(|_| moved) {
            out.push(Child {
                base: b,
                rev: r,
                segment: name.into(),
            });
        }
    }
}

#[cfg(test)]
mod tests;
