//! Structural equality of a base schema and a revision schema, following `$ref`
//! cycles: the walker skips equal pairs, so a self-diff or an untouched component
//! costs one lookup. Component names, pointers, titles and descriptions are ignored,
//! so an inline schema equals an equivalent `$ref` and a renamed component equals
//! its old self.
//!
//! Two schemas are equal when their own keywords match and every pair of matching
//! subschemas is equal — a greatest fixed point over the graph of schema pairs. It is
//! computed with Tarjan's strongly-connected-components algorithm on an explicit
//! stack: an SCC of pairs is equal exactly when none of its members (or anything they
//! reach) differs, and every pair is decided once per diff.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde_json::{Map, Value};

use crate::diff::context::DiffCtx;
use crate::spec::model::{BoolOrSchema, NameMap, Schema, SchemaId};

/// A cheap hasher for `u64` pair keys (schema ids packed into one word).
#[derive(Default, Clone, Copy)]
pub struct PairHasher(u64);

impl Hasher for PairHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn finish(&self) -> u64 {
        // Fold the well-mixed high bits into the low bits the table indexes by.
        self.0 ^ (self.0 >> 32)
    }
}

/// Build-hasher for pair-keyed maps.
pub type PairBuild = BuildHasherDefault<PairHasher>;

/// A (base id, revision id) pair packed into one key.
pub fn pair_key(base: SchemaId, rev: SchemaId) -> u64 {
    (u64::from(base) << 32) | u64::from(rev)
}

/// Decided pairs and the scratch space of the SCC search, kept across calls.
#[derive(Default)]
pub struct EqMemo {
    decided: HashMap<u64, bool, PairBuild>,
    index: HashMap<u64, u32, PairBuild>,
}

/// One pair being explored; its subschema pairs are `kids[start..end]`.
struct Frame {
    key: u64,
    index: u32,
    low: u32,
    start: usize,
    end: usize,
    next: usize,
    differs: bool,
}

/// True when base schema `base` and revision schema `rev` are structurally equal.
pub fn equal(cx: &mut DiffCtx, base: SchemaId, rev: SchemaId) -> bool {
    if base == rev && std::ptr::eq(cx.base, cx.rev) {
        return true; // one schema of one model (identical inputs are loaded once)
    }
    let key = pair_key(base, rev);
    if let Some(&v) = cx.schema_state.eq.decided.get(&key) {
        return v;
    }
    let (bapi, rapi) = (cx.base, cx.rev);
    let memo = &mut cx.schema_state.eq;
    let mut counter: u32 = 0;
    let mut scc_stack: Vec<u64> = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    // The children of every open frame, stacked: a frame's are above its parent's.
    let mut kids: Vec<u64> = Vec::new();

    let open = |key: u64,
                counter: &mut u32,
                index: &mut HashMap<u64, u32, PairBuild>,
                scc_stack: &mut Vec<u64>,
                kids: &mut Vec<u64>|
     -> Frame {
        let (b, r) = ((key >> 32) as SchemaId, key as SchemaId);
        let (bs, rs) = (bapi.schema(b), rapi.schema(r));
        let start = kids.len();
        let differs = !local_equal(bs, rs) || !edges(bs, rs, kids);
        let i = *counter;
        *counter += 1;
        index.insert(key, i);
        scc_stack.push(key);
        Frame {
            key,
            index: i,
            low: i,
            start,
            end: kids.len(),
            next: start,
            differs,
        }
    };

    let first = open(
        key,
        &mut counter,
        &mut memo.index,
        &mut scc_stack,
        &mut kids,
    );
    frames.push(first);
    while let Some(top) = frames.last_mut() {
        if !top.differs && top.next < top.end {
            let child = kids[top.next];
            top.next += 1;
            if let Some(&v) = memo.decided.get(&child) {
                top.differs = !v;
            } else if let Some(&ci) = memo.index.get(&child) {
                // Still on the SCC stack (decided pairs were handled above).
                top.low = top.low.min(ci);
            } else {
                let f = open(
                    child,
                    &mut counter,
                    &mut memo.index,
                    &mut scc_stack,
                    &mut kids,
                );
                frames.push(f);
            }
            continue;
        }
        let Some(done) = frames.pop() else { break };
        kids.truncate(done.start);
        if done.low == done.index {
            // Root of an SCC: its members reach each other, so they share one verdict;
            // a differing member made the root differ through the parent links below.
            // Decided pairs leave the index, which is empty again when this call ends.
            let equal = !done.differs;
            while let Some(k) = scc_stack.pop() {
                memo.decided.insert(k, equal);
                memo.index.remove(&k);
                if k == done.key {
                    break;
                }
            }
        }
        if let Some(parent) = frames.last_mut() {
            parent.low = parent.low.min(done.low);
            parent.differs |= done.differs;
        }
    }
    memo.decided.get(&key).copied().unwrap_or(false)
}

/// Same set of keys, regardless of order (checked in order first: the common case,
/// and free of hashing).
fn same_keys<V, W>(a: &NameMap<V>, b: &NameMap<W>) -> bool {
    a.len() == b.len() && (a.keys().eq(b.keys()) || a.keys().all(|k| b.contains_key(k)))
}

/// Same elements, regardless of order (duplicates are not expected in these lists).
fn same_set<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && (a == b || a.iter().all(|x| b.contains(x)))
}

/// Same extensions, regardless of key order.
fn same_map(a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    a.len() == b.len() && (a.iter().eq(b.iter()) || a.iter().all(|(k, v)| b.get(k) == Some(v)))
}

/// Pushes `(a[k], b[k])` for every key (the key sets are known to be equal).
fn push_matched(a: &NameMap<SchemaId>, b: &NameMap<SchemaId>, out: &mut Vec<u64>) {
    if a.keys().eq(b.keys()) {
        out.extend(a.values().zip(b.values()).map(|(&x, &y)| pair_key(x, y)));
    } else {
        out.extend(a.iter().map(|(k, &x)| pair_key(x, b[k])));
    }
}

/// The schema's own keywords match (subschemas are compared as pairs by `edges`).
pub fn local_equal(a: &Schema, b: &Schema) -> bool {
    let enums = match (&a.enum_values, &b.enum_values) {
        (Some(x), Some(y)) => {
            x.len() == y.len() && (x == y || crate::diff::schema::enums::missing(x, y).is_empty())
        }
        (None, None) => true,
        _ => false,
    };
    enums
        && same_set(&a.types, &b.types)
        && a.nullable == b.nullable
        && a.format == b.format
        && a.ext().const_value == b.ext().const_value
        && a.default == b.default
        && a.minimum == b.minimum
        && a.maximum == b.maximum
        && a.ext().multiple_of == b.ext().multiple_of
        && a.min_length == b.min_length
        && a.max_length == b.max_length
        && a.ext().pattern == b.ext().pattern
        && a.ext().min_items == b.ext().min_items
        && a.ext().max_items == b.ext().max_items
        && a.ext().unique_items == b.ext().unique_items
        && a.ext().min_properties == b.ext().min_properties
        && a.ext().max_properties == b.ext().max_properties
        && same_set(&a.required, &b.required)
        && a.ext().min_contains == b.ext().min_contains
        && a.ext().max_contains == b.ext().max_contains
        && a.ext().dependent_required == b.ext().dependent_required
        && a.ext().content_media_type == b.ext().content_media_type
        && a.ext().content_encoding == b.ext().content_encoding
        && a.ext().discriminator == b.ext().discriminator
        && a.read_only == b.read_only
        && a.write_only == b.write_only
        && a.deprecated == b.deprecated
        && same_map(&a.ext().extensions, &b.ext().extensions)
}

/// Pushes the matching subschema pairs of `a` and `b`; false when their shapes
/// differ (a subschema on one side only, different property names, …).
pub fn edges(a: &Schema, b: &Schema, out: &mut Vec<u64>) -> bool {
    if !same_keys(&a.properties, &b.properties)
        || !same_keys(&a.ext().pattern_properties, &b.ext().pattern_properties)
        || !same_keys(&a.ext().dependent_schemas, &b.ext().dependent_schemas)
        || a.all_of.len() != b.all_of.len()
        || a.any_of.len() != b.any_of.len()
        || a.one_of.len() != b.one_of.len()
        || a.ext().prefix_items.len() != b.ext().prefix_items.len()
    {
        return false;
    }
    push_matched(&a.properties, &b.properties, out);
    push_matched(
        &a.ext().pattern_properties,
        &b.ext().pattern_properties,
        out,
    );
    push_matched(&a.ext().dependent_schemas, &b.ext().dependent_schemas, out);
    for (xs, ys) in [
        (&a.all_of, &b.all_of),
        (&a.any_of, &b.any_of),
        (&a.one_of, &b.one_of),
        (&a.ext().prefix_items, &b.ext().prefix_items),
    ] {
        out.extend(xs.iter().zip(ys.iter()).map(|(&x, &y)| pair_key(x, y)));
    }
    for (x, y) in [
        (a.items, b.items),
        (a.ext().contains, b.ext().contains),
        (a.ext().property_names, b.ext().property_names),
        (a.ext().if_schema, b.ext().if_schema),
        (a.ext().then_schema, b.ext().then_schema),
        (a.ext().else_schema, b.ext().else_schema),
        (a.ext().content_schema, b.ext().content_schema),
        (a.ext().not, b.ext().not),
    ] {
        match (x, y) {
            (Some(x), Some(y)) => out.push(pair_key(x, y)),
            (None, None) => {}
            _ => return false,
        }
    }
    for (x, y) in [
        (a.additional_properties, b.additional_properties),
        (a.ext().unevaluated_items, b.ext().unevaluated_items),
        (
            a.ext().unevaluated_properties,
            b.ext().unevaluated_properties,
        ),
    ] {
        match (x, y) {
            (Some(BoolOrSchema::Schema(x)), Some(BoolOrSchema::Schema(y))) => {
                out.push(pair_key(x, y))
            }
            (x, y) if x == y => {}
            _ => return false,
        }
    }
    true
}
