//! The walker. For a site's root pair it first plans, once per diff, which reachable
//! pairs need their families run: a breadth-first walk over differing pairs (equal
//! pairs are skipped in O(1) by the equality memo) that keeps the pairs differing in
//! their own keywords or shape, or whose direct subschemas do. Each `compare` then
//! replays the plan, running every family on each planned pair not yet checked for
//! this operation and direction. What the families report on a nested pair is recorded
//! the first time and replayed at later sites of the same class (only the subject, which
//! names the site, is rebuilt). So recursive schemas terminate, a change in a shared
//! component is reported once per operation (at the shortest property path that
//! reaches it), and the hundreds of operations that reach the same component graph
//! pay for walking it only once.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

use crate::diff::context::{DiffCtx, Direction};
use crate::diff::schema::cx::{Child, Recorded, SchemaCx};
use crate::diff::schema::equal::{EqMemo, PairBuild, edges, equal, local_equal, pair_key};
use crate::diff::schema::{CHILDREN, FAMILIES, SchemaSite, SiteKind, WRAP_FAMILIES, composition};
use crate::spec::model::{Api, BoolOrSchema, ParamIn, Schema, SchemaId};

/// Property paths deeper than this are not descended into (the visited set already
/// guarantees termination; this bounds the work on pathological inline nesting).
pub const MAX_DEPTH: usize = 64;

/// A pair the families must check, at the path where the walk first reached it.
#[derive(Debug)]
struct Planned {
    base: SchemaId,
    rev: SchemaId,
    path: String,
    nested: bool,
    base_pointer: String,
    rev_pointer: String,
}

/// Plans are shared by every site with the same root pair, direction and site class.
type PlanKey = (u64, Direction, bool);

/// A planned pair's recorded changes are shared by every site with the same plan and
/// the same [`site_class`]: (plan, index in the plan, class).
type ReplayKey = (PlanKey, u32, u8);

/// What of a site the families read, besides its name (which only the subject shows):
/// the kind, which picks the rule ids; a parameter's location being `header`; and
/// whether a body's media type is JSON (which decides type-change levels).
fn site_class(kind: &SiteKind) -> u8 {
    let json = |media: &str| if media.contains("json") { 8 } else { 0 };
    match kind {
        SiteKind::Parameter {
            location: ParamIn::Header,
            ..
        } => 0,
        SiteKind::Parameter { .. } => 1,
        SiteKind::RequestBody { media } => 2 | json(media),
        SiteKind::ResponseBody { media, .. } => 3 | json(media),
        SiteKind::ResponseHeader { .. } => 4,
    }
}

/// Schema-walk state kept in the `DiffCtx` across `compare` calls.
#[derive(Default)]
pub struct SchemaState<'a> {
    /// Structural-equality verdicts, valid for the whole diff.
    pub(crate) eq: EqMemo,
    /// Plans by root pair (pointers of a root are the first site's; see `walk`).
    plans: HashMap<PlanKey, Arc<Vec<Planned>>>,
    /// The operation whose visited sets are current.
    operation: String,
    /// Pairs already checked for `operation`: request, response.
    visited: [HashSet<u64, PairBuild>; 2],
    /// `differs_here` verdicts, valid for the whole diff.
    differs_here: HashMap<u64, bool, PairBuild>,
    /// Scratch list of subschema pairs.
    kids: Vec<u64>,
    /// The children hooks' output by pair: it depends on the pair alone, and the plans
    /// of different roots reach the same pairs over and over.
    children: HashMap<u64, Rc<[Child<'a>]>, PairBuild>,
    /// The families' changes on each planned pair below a root, for every later
    /// operation whose site reaches it through the same plan.
    replays: HashMap<ReplayKey, Rc<[Recorded]>>,
}

impl SchemaState<'_> {
    /// Marks the pair checked for this operation and direction; false if it already was.
    fn visit(
        &mut self,
        operation: &str,
        direction: Direction,
        base: SchemaId,
        rev: SchemaId,
    ) -> bool {
        if self.operation != operation {
            self.operation.clear();
            self.operation.push_str(operation);
            self.visited.iter_mut().for_each(HashSet::clear);
        }
        let slot = match direction {
            Direction::Request => 0,
            Direction::Response => 1,
        };
        self.visited[slot].insert(pair_key(base, rev))
    }
}

/// Compares the pair at `site` and everything reachable from it.
pub fn walk(cx: &mut DiffCtx, site: &SchemaSite, base: SchemaId, rev: SchemaId) {
    if equal(cx, base, rev) {
        return;
    }
    let parameter = matches!(site.kind, SiteKind::Parameter { .. });
    let key = (pair_key(base, rev), site.direction, parameter);
    let plan = match cx.schema_state.plans.get(&key) {
        Some(plan) => Arc::clone(plan),
        None => {
            let plan = Arc::new(make_plan(cx, site, base, rev));
            cx.schema_state.plans.insert(key, Arc::clone(&plan));
            plan
        }
    };
    let (bapi, rapi) = (cx.base, cx.rev);
    let class = site_class(&site.kind);
    for (i, p) in plan.iter().enumerate() {
        if !cx
            .schema_state
            .visit(site.operation, site.direction, p.base, p.rev)
        {
            continue;
        }
        // The root's pointers are the site's own; nested ones are the schemas' (shared),
        // so only nested pairs' changes can be replayed at another site.
        let root = p.path.is_empty() && p.base == base && p.rev == rev;
        let replay_key = (key, i as u32, class);
        if !root && let Some(recorded) = cx.schema_state.replays.get(&replay_key) {
            for change in Rc::clone(recorded).iter() {
                change.replay(cx, site);
            }
            continue;
        }
        let mut recorded = Vec::new();
        let mut scx = SchemaCx {
            diff: &mut *cx,
            site,
            path: &p.path,
            nested: p.nested,
            base_id: p.base,
            rev_id: p.rev,
            base_pointer: if root {
                site.base_pointer
            } else {
                &p.base_pointer
            },
            rev_pointer: if root {
                site.rev_pointer
            } else {
                &p.rev_pointer
            },
            record: (!root).then_some(&mut recorded),
        };
        let (b, r) = (bapi.schema(p.base), rapi.schema(p.rev));
        let families = if composition::is_wrap(&mut scx, b, r) {
            WRAP_FAMILIES
        } else {
            FAMILIES
        };
        for family in families {
            family(&mut scx, b, r);
        }
        if !root {
            cx.schema_state.replays.insert(replay_key, recorded.into());
        }
    }
}

/// One pair waiting to be planned; its property path is kept as a parent link and
/// built only for the pairs that end up in the plan.
struct Node {
    base: SchemaId,
    rev: SchemaId,
    /// Index into the planner's `trail`: this node's segment and parent.
    trail: usize,
    depth: usize,
    nested: bool,
}

/// The path from the root to the node whose trail entry is `at`.
fn trail_path(trail: &[(usize, Cow<'_, str>)], mut at: usize) -> String {
    let mut segments = Vec::new();
    while at != usize::MAX {
        let (parent, segment) = &trail[at];
        if !segment.is_empty() {
            segments.push(segment.as_ref());
        }
        at = *parent;
    }
    segments.reverse();
    segments.join("/")
}

/// Breadth-first over the differing pairs reachable from the root; keeps those the
/// families may report on.
fn make_plan<'a>(
    cx: &mut DiffCtx<'a>,
    site: &SchemaSite,
    base: SchemaId,
    rev: SchemaId,
) -> Vec<Planned> {
    let (bapi, rapi): (&'a Api, &'a Api) = (cx.base, cx.rev);
    let parameter = matches!(site.kind, SiteKind::Parameter { .. });
    let mut plan = Vec::new();
    let mut seen: HashSet<u64, PairBuild> = HashSet::default();
    let mut trail: Vec<(usize, Cow<str>)> = vec![(usize::MAX, "".into())];
    let mut queue = VecDeque::from([Node {
        base,
        rev,
        trail: 0,
        depth: 0,
        nested: false,
    }]);
    let mut children: Vec<Child> = Vec::new();
    while let Some(node) = queue.pop_front() {
        if !seen.insert(pair_key(node.base, node.rev)) || equal(cx, node.base, node.rev) {
            continue;
        }
        let (b, r) = (bapi.schema(node.base), rapi.schema(node.rev));
        if differs_here(cx, node.base, node.rev) {
            plan.push(Planned {
                base: node.base,
                rev: node.rev,
                path: trail_path(&trail, node.trail),
                nested: node.nested,
                base_pointer: b.pointer.clone(),
                rev_pointer: r.pointer.clone(),
            });
        }
        if node.depth >= MAX_DEPTH {
            continue;
        }
        let key = pair_key(node.base, node.rev);
        let kids = match cx.schema_state.children.get(&key) {
            Some(kids) => Rc::clone(kids),
            None => {
                // The hooks look at the pair only (not at the path or the place).
                let mut scx = SchemaCx {
                    diff: &mut *cx,
                    site,
                    path: "",
                    nested: node.nested,
                    base_id: node.base,
                    rev_id: node.rev,
                    base_pointer: &b.pointer,
                    rev_pointer: &r.pointer,
                    record: None,
                };
                for hook in CHILDREN {
                    hook(&mut scx, b, r, &mut children);
                }
                // Equal children would only be skipped when dequeued, and they are most
                // of a differing pair's (one changed property among dozens).
                let kids: Rc<[Child<'a>]> = children
                    .drain(..)
                    .filter(|c| !equal(cx, c.base, c.rev))
                    .collect();
                cx.schema_state.children.insert(key, Rc::clone(&kids));
                kids
            }
        };
        for c in kids.iter() {
            // An array parameter's items carry the parameter's own values.
            let nested =
                node.nested || !(c.segment.is_empty() || (parameter && c.segment == "items"));
            trail.push((node.trail, c.segment.clone()));
            queue.push_back(Node {
                base: c.base,
                rev: c.rev,
                trail: trail.len() - 1,
                depth: node.depth + 1,
                nested,
            });
        }
    }
    plan
}

/// True when a family may report on this (non-equal) pair: its own keywords or shape
/// differ, or those of a direct subschema do (families look one level down, e.g. at a
/// property's readOnly flag). Pairs that differ only deeper are left to their
/// descendants. Depends on the pair alone, so it is decided once per diff.
fn differs_here(cx: &mut DiffCtx, base: SchemaId, rev: SchemaId) -> bool {
    let key = pair_key(base, rev);
    if let Some(&v) = cx.schema_state.differs_here.get(&key) {
        return v;
    }
    let (bapi, rapi) = (cx.base, cx.rev);
    let (b, r) = (bapi.schema(base), rapi.schema(rev));
    let kids = &mut cx.schema_state.kids;
    kids.clear();
    let v = if !local_equal(b, r) || !edges(b, r, kids) {
        true
    } else {
        let mut grandkids = Vec::new();
        kids.iter().any(|&k| {
            let (x, y) = (
                bapi.schema((k >> 32) as SchemaId),
                rapi.schema(k as SchemaId),
            );
            grandkids.clear();
            !local_equal(x, y) || !edges(x, y, &mut grandkids)
        })
    };
    cx.schema_state.differs_here.insert(key, v);
    v
}

/// The core's children: properties present on both sides (by name), `items`, and
/// schema-valued `additionalProperties`.
pub fn structural_children<'s>(
    _cx: &mut SchemaCx<'_, 's>,
    b: &'s Schema,
    r: &'s Schema,
    out: &mut Vec<Child<'s>>,
) {
    for (name, &bp) in &b.properties {
        if let Some(&rp) = r.properties.get(name) {
            out.push(Child {
                base: bp,
                rev: rp,
                segment: name.as_str().into(),
            });
        }
    }
    if let (Some(bi), Some(ri)) = (b.items, r.items) {
        out.push(Child {
            base: bi,
            rev: ri,
            segment: "items".into(),
        });
    }
    if let (Some(BoolOrSchema::Schema(ba)), Some(BoolOrSchema::Schema(ra))) =
        (b.additional_properties, r.additional_properties)
    {
        out.push(Child {
            base: ba,
            rev: ra,
            segment: "additionalProperties".into(),
        });
    }
}
