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
use crate::spec::model::{BoolOrSchema, NameMap, Schema, SchemaExt, SchemaId};

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
        && a.default == b.default
        && a.minimum == b.minimum
        && a.maximum == b.maximum
        && a.min_length == b.min_length
        && a.max_length == b.max_length
        && same_set(&a.required, &b.required)
        && a.read_only == b.read_only
        && a.write_only == b.write_only
        && a.deprecated == b.deprecated
        && match (&a.ext, &b.ext) {
            (None, None) => true, // most schemas: none of the rare keywords on either side
            _ => local_ext_equal(a.ext(), b.ext()),
        }
}

/// The rarely present keywords of two schemas match.
fn local_ext_equal(a: &SchemaExt, b: &SchemaExt) -> bool {
    a.const_value == b.const_value
        && a.multiple_of == b.multiple_of
        && a.pattern == b.pattern
        && a.min_items == b.min_items
        && a.max_items == b.max_items
        && a.unique_items == b.unique_items
        && a.min_properties == b.min_properties
        && a.max_properties == b.max_properties
        && a.min_contains == b.min_contains
        && a.max_contains == b.max_contains
        && a.dependent_required == b.dependent_required
        && a.content_media_type == b.content_media_type
        && a.content_encoding == b.content_encoding
        && a.discriminator == b.discriminator
        && same_map(&a.extensions, &b.extensions)
}

/// Pushes the matching subschema pairs of `a` and `b`; false when their shapes
/// differ (a subschema on one side only, different property names, …).
pub fn edges(a: &Schema, b: &Schema, out: &mut Vec<u64>) -> bool {
    let (ax, bx) = (a.ext(), b.ext());
    if !same_keys(&a.properties, &b.properties)
        || !same_keys(&ax.pattern_properties, &bx.pattern_properties)
        || !same_keys(&ax.dependent_schemas, &bx.dependent_schemas)
        || a.all_of.len() != b.all_of.len()
        || a.any_of.len() != b.any_of.len()
        || a.one_of.len() != b.one_of.len()
        || ax.prefix_items.len() != bx.prefix_items.len()
    {
        return false;
    }
    push_matched(&a.properties, &b.properties, out);
    push_matched(&ax.pattern_properties, &bx.pattern_properties, out);
    push_matched(&ax.dependent_schemas, &bx.dependent_schemas, out);
    for (xs, ys) in [
        (&a.all_of, &b.all_of),
        (&a.any_of, &b.any_of),
        (&a.one_of, &b.one_of),
        (&ax.prefix_items, &bx.prefix_items),
    ] {
        out.extend(xs.iter().zip(ys.iter()).map(|(&x, &y)| pair_key(x, y)));
    }
    for (x, y) in [
        (a.items, b.items),
        (ax.contains, bx.contains),
        (ax.property_names, bx.property_names),
        (ax.if_schema, bx.if_schema),
        (ax.then_schema, bx.then_schema),
        (ax.else_schema, bx.else_schema),
        (ax.content_schema, bx.content_schema),
        (ax.not, bx.not),
    ] {
        match (x, y) {
            (Some(x), Some(y)) => out.push(pair_key(x, y)),
            (None, None) => {}
            _ => return false,
        }
    }
    for (x, y) in [
        (a.additional_properties, b.additional_properties),
        (ax.unevaluated_items, bx.unevaluated_items),
        (ax.unevaluated_properties, bx.unevaluated_properties),
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
