//! Composition family: `allOf` / `anyOf` / `oneOf` branches and the `discriminator`.
//!
//! Branches match across versions by what they accept — structural equality (the
//! core's memoized, cycle-safe comparison) — then by component name, then by title,
//! then by shape similarity; never by position. So reordering branches, renaming a component or inlining a `$ref` is
//! no change, an unmatched branch is an added / removed subschema, and every
//! matched pair is handed back to the walker (with the parent's property path: a
//! branch describes the same value as its parent).

use crate::diff::rules::rule_def::rule_table;

use crate::diff::context::Direction;
use crate::diff::schema::subsume::{within, within_branch};
use crate::diff::schema::{Child, SchemaCx, SiteRules, Where};
use crate::spec::model::{Api, Schema, SchemaId};

/// A property-name overlap (Jaccard) at least this high pairs two inline branches of
/// the same type that neither structural equality, name nor title matched.
const SIMILARITY_THRESHOLD: f64 = 0.5;

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

/// How the branches of one keyword correspond across versions (indexes into the lists).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BranchMatch {
    /// (base index, revision index) of matched branches, by base index.
    pub pairs: Vec<(usize, usize)>,
    /// Base branches with no counterpart.
    pub removed: Vec<usize>,
    /// Revision branches with no counterpart.
    pub added: Vec<usize>,
}

/// Matches branch lists: structurally equal branches first (`equal`), then equal
/// component names, then equal titles, then the most similar inline branch of the same type.
pub fn match_branches(
    base_api: &Api,
    base: &[SchemaId],
    rev_api: &Api,
    rev: &[SchemaId],
    mut equal: impl FnMut(SchemaId, SchemaId) -> bool,
) -> BranchMatch {
    let mut state = Greedy {
        base_used: vec![false; base.len()],
        rev_used: vec![false; rev.len()],
        pairs: Vec::new(),
    };
    // Structural equality first, decided once per pair for the whole diff.
    let same: Vec<Vec<bool>> = base
        .iter()
        .map(|&b| rev.iter().map(|&r| equal(b, r)).collect())
        .collect();
    let bs = |i: usize| base_api.schema(base[i]);
    let rs = |j: usize| rev_api.schema(rev[j]);
    let exact = |same: bool| same.then_some(1.0);
    state.pass(|i, j| exact(same[i][j]));
    state.pass(|i, j| exact(bs(i).ref_name.is_some() && bs(i).ref_name == rs(j).ref_name));
    state.pass(|i, j| exact(bs(i).title.is_some() && bs(i).title == rs(j).title));
    state.pass(|i, j| similarity(bs(i), rs(j)).filter(|&s| s >= SIMILARITY_THRESHOLD));
    let Greedy {
        base_used,
        rev_used,
        mut pairs,
    } = state;
    pairs.sort_unstable();
    BranchMatch {
        pairs,
        removed: unused(&base_used),
        added: unused(&rev_used),
    }
}

/// Indexes of the entries still false.
fn unused(used: &[bool]) -> Vec<usize> {
    used.iter()
        .enumerate()
        .filter(|(_, u)| !**u)
        .map(|(i, _)| i)
        .collect()
}

/// Greedy matching state: which branches are taken, and the pairs so far.
struct Greedy {
    base_used: Vec<bool>,
    rev_used: Vec<bool>,
    pairs: Vec<(usize, usize)>,
}

impl Greedy {
    /// Pairs each free base branch with the free revision branch scoring highest
    /// (None = cannot pair), in base order.
    fn pass(&mut self, score: impl Fn(usize, usize) -> Option<f64>) {
        for (i, taken) in self.base_used.iter_mut().enumerate() {
            if *taken {
                continue;
            }
            let best = self
                .rev_used
                .iter()
                .enumerate()
                .filter(|(_, t)| !**t)
                .filter_map(|(j, _)| score(i, j).map(|s| (j, s)))
                // First of equal scores wins: keeps the pairing stable and order-preserving.
                .fold(None::<(usize, f64)>, |acc, (j, s)| match acc {
                    Some((_, best)) if best >= s => acc,
                    _ => Some((j, s)),
                });
            if let Some((j, _)) = best {
                *taken = true;
                self.rev_used[j] = true;
                self.pairs.push((i, j));
            }
        }
    }
}

/// True when `s` only annotates (title, description, examples, deprecation, …) and
/// constrains nothing: adding it to an `allOf` changes no instance's validity.
pub fn annotation_only(s: &Schema) -> bool {
    !s.nullable
        && s.all_of.is_empty()
        && s.any_of.is_empty()
        && s.one_of.is_empty()
        && s.constrains_only_by_composition()
}

/// How alike two unmatched branches are, or None when they cannot be the same branch:
/// different types, or two different named components / titles (a renamed component
/// with the same shape was already matched by structural equality).
fn similarity(a: &Schema, b: &Schema) -> Option<f64> {
    let different = |x: &Option<String>, y: &Option<String>| x.is_some() && y.is_some() && x != y;
    if a.types != b.types || different(&a.ref_name, &b.ref_name) || different(&a.title, &b.title) {
        return None;
    }
    if a.properties.is_empty() && b.properties.is_empty() {
        return Some(1.0);
    }
    let common = a
        .properties
        .keys()
        .filter(|k| b.properties.contains_key(*k))
        .count();
    let union = a.properties.len() + b.properties.len() - common;
    Some(common as f64 / union as f64)
}

/// How a branch is named in messages: its component name, its title, or its position.
fn label(api: &Api, id: SchemaId, index: usize) -> String {
    let s = api.schema(id);
    match (&s.ref_name, &s.title) {
        (Some(name), _) => format!("'{name}'"),
        (None, Some(title)) => format!("'{title}'"),
        (None, None) => format!("#{index}"),
    }
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

/// True when `s` constrains only an object's properties and required names (and its
/// type): a part whose move into or out of an `allOf` the merged shape accounts for.
fn shape_only(s: &Schema) -> bool {
    s.types.iter().all(|t| t == "object")
        && s.format.is_none()
        && s.enum_values.is_none()
        && s.minimum.is_none()
        && s.maximum.is_none()
        && s.min_length.is_none()
        && s.max_length.is_none()
        && s.items.is_none()
        && s.any_of.is_empty()
        && s.one_of.is_empty()
        && s.ext().is_empty()
}

/// allOf parts deeper than this are not merged (bounds work on recursive schemas).
const MERGE_DEPTH: u32 = 8;

/// Every property (own and from `allOf` parts, recursively) with its schema, and
/// every required name: the object an `allOf` stack describes.
pub fn merged_properties(
    api: &Api,
    s: &Schema,
) -> (std::collections::BTreeMap<String, SchemaId>, Vec<String>) {
    let mut props = std::collections::BTreeMap::new();
    let mut required = Vec::new();
    let mut stack = vec![(s, 0u32)];
    while let Some((node, depth)) = stack.pop() {
        for (k, &v) in &node.properties {
            props.entry(k.clone()).or_insert(v);
        }
        required.extend(node.required.iter().cloned());
        if depth < MERGE_DEPTH {
            stack.extend(node.all_of.iter().map(|&id| (api.schema(id), depth + 1)));
        }
    }
    required.sort_unstable();
    required.dedup();
    (props, required)
}

/// The property names and required names of the merged object of `s`.
fn merged_shape(api: &Api, s: &Schema) -> (Vec<String>, Vec<String>) {
    let (props, required) = merged_properties(api, s);
    (props.into_keys().collect(), required)
}

/// True when `name` is a property of one of the `allOf` parts of `s` (recursively):
/// a property that moved there from `s` itself was not removed.
pub fn in_all_of(api: &Api, s: &Schema, name: &str) -> bool {
    !s.all_of.is_empty() && merged_properties(api, s).0.contains_key(name)
}

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
        return branches(rev)
            .into_iter()
            .any(|r| cx.equal(base_id, r) || within_branch(bapi, base_id, rapi, r, rev.nullable));
    }
    if !composed(rev) && bare(base) {
        return branches(base).into_iter().any(|b| {
            cx.equal(b, rev_id) || within(bapi, b, rapi, rev_id) || within(rapi, rev_id, bapi, b)
        });
    }
    false
}

/// True when `s` has composition branches or a discriminator (most schemas have neither).
fn composed(s: &Schema) -> bool {
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
    one_of_ambiguous(cx, base, rev);
    let plan = plan(cx, base, rev);
    let (place, path) = (cx.place(), cx.path);
    for &(kw, j) in &plan.added {
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
    check_discriminator(cx, base, rev);
}

/// A request value that became a `oneOf` at least two of whose branches take every old
/// value: `oneOf` rejects a value matching more than one branch, so every old value is
/// now rejected (or at least those the branches share). Judged by what the branches
/// accept, not by whether one of them equals the old schema.
fn one_of_ambiguous(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
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

/// Discriminator added / removed / renamed, and its mapping entries.
fn check_discriminator(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    let pointer = format!("{}/discriminator", cx.rev_pointer);
    match (&base.ext().discriminator, &rev.ext().discriminator) {
        (None, None) => {}
        (None, Some(r)) => {
            cx.emit_at(
                DISCRIMINATOR_ADDED,
                cx.place(),
                cx.path,
                &pointer,
                &[&r.property_name],
            );
        }
        (Some(b), None) => {
            let pointer = format!("{}/discriminator", cx.base_pointer);
            cx.emit_at(
                DISCRIMINATOR_REMOVED,
                cx.place(),
                cx.path,
                &pointer,
                &[&b.property_name],
            );
        }
        (Some(b), Some(r)) => {
            let (place, path) = (cx.place(), cx.path);
            if b.property_name != r.property_name {
                let args: [&str; 2] = [&b.property_name, &r.property_name];
                cx.emit_at(
                    DISCRIMINATOR_PROPERTY_NAME_CHANGED,
                    place,
                    path,
                    &pointer,
                    &args,
                );
            }
            for (key, target) in &r.mapping {
                match b.mapping.get(key) {
                    None => {
                        let p = format!("{pointer}/mapping/{}", escape(key));
                        cx.emit_at(DISCRIMINATOR_MAPPING_ADDED, place, path, &p, &[key, target]);
                    }
                    Some(old) if old != target => {
                        let p = format!("{pointer}/mapping/{}", escape(key));
                        let args: [&str; 3] = [key, old, target];
                        cx.emit_at(DISCRIMINATOR_MAPPING_CHANGED, place, path, &p, &args);
                    }
                    Some(_) => {}
                }
            }
            for (key, target) in &b.mapping {
                if !r.mapping.contains_key(key) {
                    let p = format!("{}/discriminator/mapping/{}", cx.base_pointer, escape(key));
                    cx.emit_at(
                        DISCRIMINATOR_MAPPING_DELETED,
                        place,
                        path,
                        &p,
                        &[key, target],
                    );
                }
            }
        }
    }
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

/// A request value became a `oneOf` with several branches taking every old value (at a
/// body's root the types family reports `request-body-wrapped-in-one-of`).
pub const ONE_OF_AMBIGUOUS: &SiteRules = &[
    (Where::RequestProperty, &REQUEST_PROPERTY_ONE_OF_AMBIGUOUS),
    (Where::RequestParameter, &REQUEST_PARAMETER_ONE_OF_AMBIGUOUS),
    (
        Where::RequestParameterProperty,
        &REQUEST_PARAMETER_ONE_OF_AMBIGUOUS,
    ),
];

/// A subschema was added to `oneOf`.
pub const ONE_OF_ADDED: &SiteRules = &[
    (Where::RequestParameter, &REQUEST_PARAMETER_ONE_OF_ADDED),
    (
        Where::RequestParameterProperty,
        &REQUEST_PARAMETER_ONE_OF_ADDED,
    ),
    (Where::ResponseHeader, &RESPONSE_HEADER_ONE_OF_ADDED),
    (Where::RequestBody, &REQUEST_BODY_ONE_OF_ADDED),
    (Where::RequestProperty, &REQUEST_PROPERTY_ONE_OF_ADDED),
    (Where::ResponseBody, &RESPONSE_BODY_ONE_OF_ADDED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_ONE_OF_ADDED),
];

/// A subschema was removed from `oneOf`.
pub const ONE_OF_REMOVED: &SiteRules = &[
    (Where::RequestParameter, &REQUEST_PARAMETER_ONE_OF_REMOVED),
    (
        Where::RequestParameterProperty,
        &REQUEST_PARAMETER_ONE_OF_REMOVED,
    ),
    (Where::ResponseHeader, &RESPONSE_HEADER_ONE_OF_REMOVED),
    (Where::RequestBody, &REQUEST_BODY_ONE_OF_REMOVED),
    (Where::RequestProperty, &REQUEST_PROPERTY_ONE_OF_REMOVED),
    (Where::ResponseBody, &RESPONSE_BODY_ONE_OF_REMOVED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_ONE_OF_REMOVED),
];

/// A subschema was added to `anyOf`.
pub const ANY_OF_ADDED: &SiteRules = &[
    (Where::RequestParameter, &REQUEST_PARAMETER_ANY_OF_ADDED),
    (
        Where::RequestParameterProperty,
        &REQUEST_PARAMETER_ANY_OF_ADDED,
    ),
    (Where::ResponseHeader, &RESPONSE_HEADER_ANY_OF_ADDED),
    (Where::RequestBody, &REQUEST_BODY_ANY_OF_ADDED),
    (Where::RequestProperty, &REQUEST_PROPERTY_ANY_OF_ADDED),
    (Where::ResponseBody, &RESPONSE_BODY_ANY_OF_ADDED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_ANY_OF_ADDED),
];

/// A subschema was removed from `anyOf`.
pub const ANY_OF_REMOVED: &SiteRules = &[
    (Where::RequestParameter, &REQUEST_PARAMETER_ANY_OF_REMOVED),
    (
        Where::RequestParameterProperty,
        &REQUEST_PARAMETER_ANY_OF_REMOVED,
    ),
    (Where::ResponseHeader, &RESPONSE_HEADER_ANY_OF_REMOVED),
    (Where::RequestBody, &REQUEST_BODY_ANY_OF_REMOVED),
    (Where::RequestProperty, &REQUEST_PROPERTY_ANY_OF_REMOVED),
    (Where::ResponseBody, &RESPONSE_BODY_ANY_OF_REMOVED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_ANY_OF_REMOVED),
];

/// A subschema was added to `allOf`.
pub const ALL_OF_ADDED: &SiteRules = &[
    (Where::RequestParameter, &REQUEST_PARAMETER_ALL_OF_ADDED),
    (
        Where::RequestParameterProperty,
        &REQUEST_PARAMETER_ALL_OF_ADDED,
    ),
    (Where::ResponseHeader, &RESPONSE_HEADER_ALL_OF_ADDED),
    (Where::RequestBody, &REQUEST_BODY_ALL_OF_ADDED),
    (Where::RequestProperty, &REQUEST_PROPERTY_ALL_OF_ADDED),
    (Where::ResponseBody, &RESPONSE_BODY_ALL_OF_ADDED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_ALL_OF_ADDED),
];

/// A subschema was removed from `allOf`.
pub const ALL_OF_REMOVED: &SiteRules = &[
    (Where::RequestParameter, &REQUEST_PARAMETER_ALL_OF_REMOVED),
    (
        Where::RequestParameterProperty,
        &REQUEST_PARAMETER_ALL_OF_REMOVED,
    ),
    (Where::ResponseHeader, &RESPONSE_HEADER_ALL_OF_REMOVED),
    (Where::RequestBody, &REQUEST_BODY_ALL_OF_REMOVED),
    (Where::RequestProperty, &REQUEST_PROPERTY_ALL_OF_REMOVED),
    (Where::ResponseBody, &RESPONSE_BODY_ALL_OF_REMOVED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_ALL_OF_REMOVED),
];

/// An annotation-only subschema was added to `allOf`.
pub const ALL_OF_ADDED_ANNOTATION_ONLY: &SiteRules = &[
    (
        Where::RequestBody,
        &REQUEST_BODY_ALL_OF_ADDED_ANNOTATION_ONLY,
    ),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_ALL_OF_ADDED_ANNOTATION_ONLY,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_ALL_OF_ADDED_ANNOTATION_ONLY,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_ALL_OF_ADDED_ANNOTATION_ONLY,
    ),
];

/// An annotation-only subschema was removed from `allOf`.
pub const ALL_OF_REMOVED_ANNOTATION_ONLY: &SiteRules = &[
    (
        Where::RequestBody,
        &REQUEST_BODY_ALL_OF_REMOVED_ANNOTATION_ONLY,
    ),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_ALL_OF_REMOVED_ANNOTATION_ONLY,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_ALL_OF_REMOVED_ANNOTATION_ONLY,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_ALL_OF_REMOVED_ANNOTATION_ONLY,
    ),
];

/// A discriminator was added.
pub const DISCRIMINATOR_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_DISCRIMINATOR_ADDED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DISCRIMINATOR_ADDED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_DISCRIMINATOR_ADDED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DISCRIMINATOR_ADDED,
    ),
];

/// A discriminator was removed.
pub const DISCRIMINATOR_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_DISCRIMINATOR_REMOVED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DISCRIMINATOR_REMOVED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_DISCRIMINATOR_REMOVED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DISCRIMINATOR_REMOVED,
    ),
];

/// The discriminator property name changed.
pub const DISCRIMINATOR_PROPERTY_NAME_CHANGED: &SiteRules = &[
    (
        Where::RequestBody,
        &REQUEST_BODY_DISCRIMINATOR_PROPERTY_NAME_CHANGED,
    ),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DISCRIMINATOR_PROPERTY_NAME_CHANGED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_DISCRIMINATOR_PROPERTY_NAME_CHANGED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DISCRIMINATOR_PROPERTY_NAME_CHANGED,
    ),
];

/// A discriminator mapping entry was added.
pub const DISCRIMINATOR_MAPPING_ADDED: &SiteRules = &[
    (
        Where::RequestBody,
        &REQUEST_BODY_DISCRIMINATOR_MAPPING_ADDED,
    ),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_ADDED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_DISCRIMINATOR_MAPPING_ADDED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_ADDED,
    ),
];

/// A discriminator mapping entry was deleted.
pub const DISCRIMINATOR_MAPPING_DELETED: &SiteRules = &[
    (
        Where::RequestBody,
        &REQUEST_BODY_DISCRIMINATOR_MAPPING_DELETED,
    ),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_DELETED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_DISCRIMINATOR_MAPPING_DELETED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_DELETED,
    ),
];

/// A discriminator mapping entry points elsewhere.
pub const DISCRIMINATOR_MAPPING_CHANGED: &SiteRules = &[
    (
        Where::RequestBody,
        &REQUEST_BODY_DISCRIMINATOR_MAPPING_CHANGED,
    ),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_CHANGED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_DISCRIMINATOR_MAPPING_CHANGED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_CHANGED,
    ),
];

rule_table! {
    REQUEST_PARAMETER_ONE_OF_ADDED = "request-parameter-one-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was added to a request parameter (specwatch)", "added the oneOf subschema {1} to {0}";
    REQUEST_PARAMETER_ONE_OF_REMOVED = "request-parameter-one-of-removed", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was removed from a request parameter (specwatch)", "removed the oneOf subschema {1} from {0}";
    RESPONSE_HEADER_ONE_OF_ADDED = "response-header-one-of-added", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was added to a response header (specwatch)", "added the oneOf subschema {1} to {0}";
    RESPONSE_HEADER_ONE_OF_REMOVED = "response-header-one-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was removed from a response header (specwatch)", "removed the oneOf subschema {1} from {0}";
    REQUEST_PARAMETER_ANY_OF_ADDED = "request-parameter-any-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was added to a request parameter (specwatch)", "added the anyOf subschema {1} to {0}";
    REQUEST_PARAMETER_ANY_OF_REMOVED = "request-parameter-any-of-removed", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was removed from a request parameter (specwatch)", "removed the anyOf subschema {1} from {0}";
    RESPONSE_HEADER_ANY_OF_ADDED = "response-header-any-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was added to a response header (specwatch)", "added the anyOf subschema {1} to {0}";
    RESPONSE_HEADER_ANY_OF_REMOVED = "response-header-any-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was removed from a response header (specwatch)", "removed the anyOf subschema {1} from {0}";
    REQUEST_PARAMETER_ALL_OF_ADDED = "request-parameter-all-of-added", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was added to a request parameter (specwatch)", "added the allOf subschema {1} to {0}";
    REQUEST_PARAMETER_ALL_OF_REMOVED = "request-parameter-all-of-removed", Warning, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was removed from a request parameter (specwatch)", "removed the allOf subschema {1} from {0}";
    RESPONSE_HEADER_ALL_OF_ADDED = "response-header-all-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was added to a response header (specwatch)", "added the allOf subschema {1} to {0}";
    RESPONSE_HEADER_ALL_OF_REMOVED = "response-header-all-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was removed from a response header (specwatch)", "removed the allOf subschema {1} from {0}";
    REQUEST_PROPERTY_ONE_OF_AMBIGUOUS = "request-property-one-of-ambiguous", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A request property became a oneOf whose branches both accept old values, so oneOf rejects them (specwatch)", "{0} became a oneOf whose subschemas {1} accept old values; oneOf rejects a value matching more than one";
    REQUEST_PARAMETER_ONE_OF_AMBIGUOUS = "request-parameter-one-of-ambiguous", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A request parameter became a oneOf whose branches both accept old values, so oneOf rejects them (specwatch)", "{0} became a oneOf whose subschemas {1} accept old values; oneOf rejects a value matching more than one";
    REQUEST_BODY_ONE_OF_ADDED = "request-body-one-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was added to a request body", "added the oneOf subschema {1} to {0}";
    REQUEST_PROPERTY_ONE_OF_ADDED = "request-property-one-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was added to a request property", "added the oneOf subschema {1} to {0}";
    RESPONSE_BODY_ONE_OF_ADDED = "response-body-one-of-added", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was added to a response body", "added the oneOf subschema {1} to {0}";
    RESPONSE_PROPERTY_ONE_OF_ADDED = "response-property-one-of-added", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was added to a response property", "added the oneOf subschema {1} to {0}";
    REQUEST_BODY_ONE_OF_REMOVED = "request-body-one-of-removed", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was removed from a request body", "removed the oneOf subschema {1} from {0}";
    REQUEST_PROPERTY_ONE_OF_REMOVED = "request-property-one-of-removed", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was removed from a request property", "removed the oneOf subschema {1} from {0}";
    RESPONSE_BODY_ONE_OF_REMOVED = "response-body-one-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was removed from a response body", "removed the oneOf subschema {1} from {0}";
    RESPONSE_PROPERTY_ONE_OF_REMOVED = "response-property-one-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was removed from a response property", "removed the oneOf subschema {1} from {0}";
    REQUEST_BODY_ANY_OF_ADDED = "request-body-any-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was added to a request body", "added the anyOf subschema {1} to {0}";
    REQUEST_PROPERTY_ANY_OF_ADDED = "request-property-any-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was added to a request property", "added the anyOf subschema {1} to {0}";
    RESPONSE_BODY_ANY_OF_ADDED = "response-body-any-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was added to a response body", "added the anyOf subschema {1} to {0}";
    RESPONSE_PROPERTY_ANY_OF_ADDED = "response-property-any-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was added to a response property", "added the anyOf subschema {1} to {0}";
    REQUEST_BODY_ANY_OF_REMOVED = "request-body-any-of-removed", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was removed from a request body", "removed the anyOf subschema {1} from {0}";
    REQUEST_PROPERTY_ANY_OF_REMOVED = "request-property-any-of-removed", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was removed from a request property", "removed the anyOf subschema {1} from {0}";
    RESPONSE_BODY_ANY_OF_REMOVED = "response-body-any-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was removed from a response body", "removed the anyOf subschema {1} from {0}";
    RESPONSE_PROPERTY_ANY_OF_REMOVED = "response-property-any-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was removed from a response property", "removed the anyOf subschema {1} from {0}";
    REQUEST_BODY_ALL_OF_ADDED = "request-body-all-of-added", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was added to a request body", "added the allOf subschema {1} to {0}";
    REQUEST_PROPERTY_ALL_OF_ADDED = "request-property-all-of-added", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was added to a request property", "added the allOf subschema {1} to {0}";
    RESPONSE_BODY_ALL_OF_ADDED = "response-body-all-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was added to a response body", "added the allOf subschema {1} to {0}";
    RESPONSE_PROPERTY_ALL_OF_ADDED = "response-property-all-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was added to a response property", "added the allOf subschema {1} to {0}";
    REQUEST_BODY_ALL_OF_REMOVED = "request-body-all-of-removed", Warning, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was removed from a request body", "removed the allOf subschema {1} from {0}";
    REQUEST_PROPERTY_ALL_OF_REMOVED = "request-property-all-of-removed", Warning, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was removed from a request property", "removed the allOf subschema {1} from {0}";
    RESPONSE_BODY_ALL_OF_REMOVED = "response-body-all-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was removed from a response body", "removed the allOf subschema {1} from {0}";
    RESPONSE_PROPERTY_ALL_OF_REMOVED = "response-property-all-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was removed from a response property", "removed the allOf subschema {1} from {0}";
    REQUEST_BODY_ALL_OF_ADDED_ANNOTATION_ONLY = "request-body-all-of-added-annotation-only", Info, "composition: allOf/anyOf/oneOf/discriminator", "An allOf subschema holding only annotations was added to a request body", "added the annotation-only allOf subschema {1} to {0}";
    REQUEST_PROPERTY_ALL_OF_ADDED_ANNOTATION_ONLY = "request-property-all-of-added-annotation-only", Info, "composition: allOf/anyOf/oneOf/discriminator", "An allOf subschema holding only annotations was added to a request property", "added the annotation-only allOf subschema {1} to {0}";
    RESPONSE_BODY_ALL_OF_ADDED_ANNOTATION_ONLY = "response-body-all-of-added-annotation-only", Info, "composition: allOf/anyOf/oneOf/discriminator", "An allOf subschema holding only annotations was added to a response body", "added the annotation-only allOf subschema {1} to {0}";
    RESPONSE_PROPERTY_ALL_OF_ADDED_ANNOTATION_ONLY = "response-property-all-of-added-annotation-only", Info, "composition: allOf/anyOf/oneOf/discriminator", "An allOf subschema holding only annotations was added to a response property", "added the annotation-only allOf subschema {1} to {0}";
    REQUEST_BODY_ALL_OF_REMOVED_ANNOTATION_ONLY = "request-body-all-of-removed-annotation-only", Info, "composition: allOf/anyOf/oneOf/discriminator", "An allOf subschema holding only annotations was removed from a request body", "removed the annotation-only allOf subschema {1} from {0}";
    REQUEST_PROPERTY_ALL_OF_REMOVED_ANNOTATION_ONLY = "request-property-all-of-removed-annotation-only", Info, "composition: allOf/anyOf/oneOf/discriminator", "An allOf subschema holding only annotations was removed from a request property", "removed the annotation-only allOf subschema {1} from {0}";
    RESPONSE_BODY_ALL_OF_REMOVED_ANNOTATION_ONLY = "response-body-all-of-removed-annotation-only", Info, "composition: allOf/anyOf/oneOf/discriminator", "An allOf subschema holding only annotations was removed from a response body", "removed the annotation-only allOf subschema {1} from {0}";
    RESPONSE_PROPERTY_ALL_OF_REMOVED_ANNOTATION_ONLY = "response-property-all-of-removed-annotation-only", Info, "composition: allOf/anyOf/oneOf/discriminator", "An allOf subschema holding only annotations was removed from a response property", "removed the annotation-only allOf subschema {1} from {0}";
    REQUEST_BODY_DISCRIMINATOR_ADDED = "request-body-discriminator-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator was added to a request body", "added a discriminator on property '{1}' to {0}";
    REQUEST_PROPERTY_DISCRIMINATOR_ADDED = "request-property-discriminator-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator was added to a request property", "added a discriminator on property '{1}' to {0}";
    RESPONSE_BODY_DISCRIMINATOR_ADDED = "response-body-discriminator-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator was added to a response body", "added a discriminator on property '{1}' to {0}";
    RESPONSE_PROPERTY_DISCRIMINATOR_ADDED = "response-property-discriminator-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator was added to a response property", "added a discriminator on property '{1}' to {0}";
    REQUEST_BODY_DISCRIMINATOR_REMOVED = "request-body-discriminator-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "The discriminator was removed from a request body", "removed the discriminator on property '{1}' from {0}";
    REQUEST_PROPERTY_DISCRIMINATOR_REMOVED = "request-property-discriminator-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "The discriminator was removed from a request property", "removed the discriminator on property '{1}' from {0}";
    RESPONSE_BODY_DISCRIMINATOR_REMOVED = "response-body-discriminator-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "The discriminator was removed from a response body", "removed the discriminator on property '{1}' from {0}";
    RESPONSE_PROPERTY_DISCRIMINATOR_REMOVED = "response-property-discriminator-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "The discriminator was removed from a response property", "removed the discriminator on property '{1}' from {0}";
    REQUEST_BODY_DISCRIMINATOR_PROPERTY_NAME_CHANGED = "request-body-discriminator-property-name-changed", Info, "composition: allOf/anyOf/oneOf/discriminator", "The discriminator property name of a request body changed", "changed the discriminator property of {0} from '{1}' to '{2}'";
    REQUEST_PROPERTY_DISCRIMINATOR_PROPERTY_NAME_CHANGED = "request-property-discriminator-property-name-changed", Info, "composition: allOf/anyOf/oneOf/discriminator", "The discriminator property name of a request property changed", "changed the discriminator property of {0} from '{1}' to '{2}'";
    RESPONSE_BODY_DISCRIMINATOR_PROPERTY_NAME_CHANGED = "response-body-discriminator-property-name-changed", Info, "composition: allOf/anyOf/oneOf/discriminator", "The discriminator property name of a response body changed", "changed the discriminator property of {0} from '{1}' to '{2}'";
    RESPONSE_PROPERTY_DISCRIMINATOR_PROPERTY_NAME_CHANGED = "response-property-discriminator-property-name-changed", Info, "composition: allOf/anyOf/oneOf/discriminator", "The discriminator property name of a response property changed", "changed the discriminator property of {0} from '{1}' to '{2}'";
    REQUEST_BODY_DISCRIMINATOR_MAPPING_ADDED = "request-body-discriminator-mapping-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry was added to a request body", "added the discriminator mapping '{1}' to '{2}' in {0}";
    REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_ADDED = "request-property-discriminator-mapping-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry was added to a request property", "added the discriminator mapping '{1}' to '{2}' in {0}";
    RESPONSE_BODY_DISCRIMINATOR_MAPPING_ADDED = "response-body-discriminator-mapping-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry was added to a response body", "added the discriminator mapping '{1}' to '{2}' in {0}";
    RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_ADDED = "response-property-discriminator-mapping-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry was added to a response property", "added the discriminator mapping '{1}' to '{2}' in {0}";
    REQUEST_BODY_DISCRIMINATOR_MAPPING_DELETED = "request-body-discriminator-mapping-deleted", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry was deleted from a request body", "deleted the discriminator mapping '{1}' (to '{2}') from {0}";
    REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_DELETED = "request-property-discriminator-mapping-deleted", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry was deleted from a request property", "deleted the discriminator mapping '{1}' (to '{2}') from {0}";
    RESPONSE_BODY_DISCRIMINATOR_MAPPING_DELETED = "response-body-discriminator-mapping-deleted", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry was deleted from a response body", "deleted the discriminator mapping '{1}' (to '{2}') from {0}";
    RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_DELETED = "response-property-discriminator-mapping-deleted", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry was deleted from a response property", "deleted the discriminator mapping '{1}' (to '{2}') from {0}";
    REQUEST_BODY_DISCRIMINATOR_MAPPING_CHANGED = "request-body-discriminator-mapping-changed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry of a request body points at another schema", "changed the discriminator mapping '{1}' of {0} from '{2}' to '{3}'";
    REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_CHANGED = "request-property-discriminator-mapping-changed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry of a request property points at another schema", "changed the discriminator mapping '{1}' of {0} from '{2}' to '{3}'";
    RESPONSE_BODY_DISCRIMINATOR_MAPPING_CHANGED = "response-body-discriminator-mapping-changed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry of a response body points at another schema", "changed the discriminator mapping '{1}' of {0} from '{2}' to '{3}'";
    RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_CHANGED = "response-property-discriminator-mapping-changed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry of a response property points at another schema", "changed the discriminator mapping '{1}' of {0} from '{2}' to '{3}'";
}

#[cfg(test)]
mod tests;
