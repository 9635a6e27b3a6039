//! The walker: visits (base, revision) schema pairs breadth-first from a site's root,
//! runs every family on each pair that differs, and descends into the pairs the
//! children hooks list. Each pair is visited once per operation and direction, so
//! recursive schemas terminate and a change in a shared component is reported once
//! per operation — at the shortest property path that reaches it.

use std::collections::{HashSet, VecDeque};

use crate::diff::context::{DiffCtx, Direction};
use crate::diff::schema::cx::{Child, SchemaCx, join_path};
use crate::diff::schema::equal::{EqMemo, PairBuild, equal, pair_key};
use crate::diff::schema::{CHILDREN, FAMILIES, SchemaSite, SiteKind};
use crate::spec::model::{BoolOrSchema, Schema, SchemaId};

/// Property paths deeper than this are not descended into (the visited set already
/// guarantees termination; this bounds the work on pathological inline nesting).
pub const MAX_DEPTH: usize = 64;

/// Schema-walk state kept in the `DiffCtx` across `compare` calls.
#[derive(Default)]
pub struct SchemaState {
    /// Structural-equality verdicts, valid for the whole diff.
    pub(crate) eq: EqMemo,
    /// The operation whose visited sets are current.
    operation: String,
    /// Pairs already compared for `operation`: request, response.
    visited: [HashSet<u64, PairBuild>; 2],
}

impl SchemaState {
    /// Marks the pair visited for this operation and direction; false if it already was.
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

/// One pair waiting to be compared.
struct Node {
    base: SchemaId,
    rev: SchemaId,
    path: String,
    base_pointer: String,
    rev_pointer: String,
    depth: usize,
    nested: bool,
}

/// Compares the pair at `site` and everything reachable from it.
pub fn walk(cx: &mut DiffCtx, site: &SchemaSite, base: SchemaId, rev: SchemaId) {
    let (bapi, rapi) = (cx.base, cx.rev);
    let mut queue = VecDeque::from([Node {
        base,
        rev,
        path: String::new(),
        base_pointer: site.base_pointer.to_string(),
        rev_pointer: site.rev_pointer.to_string(),
        depth: 0,
        nested: false,
    }]);
    let parameter = matches!(site.kind, SiteKind::Parameter { .. });
    let mut children: Vec<Child> = Vec::new();
    while let Some(node) = queue.pop_front() {
        if !cx
            .schema_state
            .visit(site.operation, site.direction, node.base, node.rev)
        {
            continue;
        }
        if equal(cx, node.base, node.rev) {
            continue;
        }
        let (b, r) = (bapi.schema(node.base), rapi.schema(node.rev));
        let mut scx = SchemaCx {
            diff: &mut *cx,
            site,
            path: &node.path,
            nested: node.nested,
            base_id: node.base,
            rev_id: node.rev,
            base_pointer: &node.base_pointer,
            rev_pointer: &node.rev_pointer,
        };
        for family in FAMILIES {
            family(&mut scx, b, r);
        }
        if node.depth >= MAX_DEPTH {
            continue;
        }
        children.clear();
        for hook in CHILDREN {
            hook(&mut scx, b, r, &mut children);
        }
        for c in children.drain(..) {
            queue.push_back(Node {
                base: c.base,
                rev: c.rev,
                path: join_path(&node.path, &c.segment),
                base_pointer: bapi.schema(c.base).pointer.clone(),
                rev_pointer: rapi.schema(c.rev).pointer.clone(),
                depth: node.depth + 1,
                // An array parameter's items carry the parameter's own values.
                nested: node.nested
                    || !(c.segment.is_empty() || (parameter && c.segment == "items")),
            });
        }
    }
}

/// The core's children: properties present on both sides (by name), `items`, and
/// schema-valued `additionalProperties`.
pub fn structural_children(
    _cx: &mut SchemaCx<'_, '_>,
    b: &Schema,
    r: &Schema,
    out: &mut Vec<Child>,
) {
    for (name, &bp) in &b.properties {
        if let Some(&rp) = r.properties.get(name) {
            out.push(Child {
                base: bp,
                rev: rp,
                segment: name.clone(),
            });
        }
    }
    if let (Some(bi), Some(ri)) = (b.items, r.items) {
        out.push(Child {
            base: bi,
            rev: ri,
            segment: "items".to_string(),
        });
    }
    if let (Some(BoolOrSchema::Schema(ba)), Some(BoolOrSchema::Schema(ra))) =
        (b.additional_properties, r.additional_properties)
    {
        out.push(Child {
            base: ba,
            rev: ra,
            segment: "additionalProperties".to_string(),
        });
    }
}
