//! Instance semantics for composition: whether every value one schema accepts is also
//! accepted by another. Used where a verdict depends on what a branch accepts rather
//! than on what it looks like — a body wrapped in `oneOf` whose branches both accept the
//! old bodies, an `anyOf` branch dropped whose values another branch still takes.
//!
//! The answer is conservative: `true` only when it is sure, so a "no" keeps today's
//! structural verdict. Objects are judged by their documented properties: a value of
//! `small` carries only properties `small` declares, and they must be declared by `big`
//! too (a property `big` does not document is one its clients do not expect), while the
//! optional properties only `big` declares are simply absent from `small`'s values.
//! Without that reading no object schema would be within another that adds one optional
//! property, and every new branch of a `oneOf` would be within its open-ended siblings.

use crate::spec::model::{Api, BoolOrSchema, Schema, SchemaId};

/// Nesting deeper than this is not followed (answers "not sure").
const DEPTH: u32 = 16;

/// True when every value `small` (in `sa`) accepts is accepted by `big` (in `ba`).
pub fn within(sa: &Api, small: SchemaId, ba: &Api, big: SchemaId) -> bool {
    within_at(sa, small, ba, big, 0)
}

/// Like [`within`] for `big` a branch of a composition that is itself nullable (3.0's
/// `nullable: true` beside `anyOf`): `null` is accepted by the wrapper, not the branch.
pub fn within_branch(sa: &Api, small: SchemaId, ba: &Api, big: SchemaId, null_ok: bool) -> bool {
    schema_within_branch(sa, sa.schema(small), ba, big, null_ok)
}

/// [`within_branch`] for a schema not stored in `sa` (a piece of one, such as one of its
/// types): `sa` resolves its children.
pub fn schema_within_branch(sa: &Api, s: &Schema, ba: &Api, big: SchemaId, null_ok: bool) -> bool {
    if !null_ok || !s.nullable {
        return within_schema(sa, s, ba, big, 0);
    }
    let mut s = s.clone();
    s.nullable = false;
    within_schema(sa, &s, ba, big, 0)
}

fn within_at(sa: &Api, small: SchemaId, ba: &Api, big: SchemaId, depth: u32) -> bool {
    within_schema(sa, sa.schema(small), ba, big, depth)
}

fn within_schema(sa: &Api, s: &Schema, ba: &Api, big: SchemaId, depth: u32) -> bool {
    if depth > DEPTH {
        return false;
    }
    let b = ba.schema(big);
    // A union on the small side: each branch must fit.
    if s.constrains_only_by_composition() && s.all_of.is_empty() {
        let branches: Vec<SchemaId> = s.any_of.iter().chain(&s.one_of).copied().collect();
        if !branches.is_empty() && (!s.nullable || b.nullable) {
            return branches
                .iter()
                .all(|&x| within_at(sa, x, ba, big, depth + 1));
        }
    }
    // A union on the big side: one branch taking all of `small` is enough for `anyOf`.
    if b.constrains_only_by_composition()
        && b.all_of.is_empty()
        && b.one_of.is_empty()
        && !b.any_of.is_empty()
        && (!s.nullable || b.nullable)
    {
        return b
            .any_of
            .iter()
            .any(|&y| within_schema(sa, s, ba, y, depth + 1));
    }
    if has_composition(s) || has_composition(b) || !b.ext().is_empty() || !s.ext().is_empty() {
        return false;
    }
    if s.nullable && !b.nullable {
        return false;
    }
    if !types_within(s, b) || !values_within(s, b) || !bounds_within(s, b) {
        return false;
    }
    if b.format.is_some() && b.format != s.format {
        return false;
    }
    objects_within(sa, s, ba, b, depth) && items_within(sa, s, ba, b, depth)
}

fn has_composition(s: &Schema) -> bool {
    !(s.all_of.is_empty() && s.any_of.is_empty() && s.one_of.is_empty())
}

/// Every type `s` allows is one of `b`'s (an integer is a number).
fn types_within(s: &Schema, b: &Schema) -> bool {
    if b.types.is_empty() {
        return true;
    }
    if s.types.is_empty() {
        // Untyped but listed values can still all be of `b`'s types.
        return s.enum_values.as_ref().is_some_and(|values| {
            values.iter().all(|v| {
                let t = match v {
                    serde_json::Value::String(_) => "string",
                    serde_json::Value::Bool(_) => "boolean",
                    serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
                    serde_json::Value::Number(_) => "number",
                    serde_json::Value::Array(_) => "array",
                    serde_json::Value::Object(_) => "object",
                    serde_json::Value::Null => "null",
                };
                type_in(t, b)
            })
        });
    }
    s.types.iter().all(|t| type_in(t, b))
}

fn type_in(t: &str, b: &Schema) -> bool {
    b.types
        .iter()
        .any(|bt| bt == t || (bt == "number" && t == "integer"))
}

/// `b`'s enum (if any) lists every value of `s`'s.
fn values_within(s: &Schema, b: &Schema) -> bool {
    match (&s.enum_values, &b.enum_values) {
        (_, None) => true,
        (Some(sv), Some(bv)) => sv.iter().all(|v| bv.contains(v)),
        (None, Some(_)) => false,
    }
}

/// Each bound of `b` is at most as tight as `s`'s.
fn bounds_within(s: &Schema, b: &Schema) -> bool {
    let upper = |x: Option<u64>, y: Option<u64>| y.is_none_or(|y| x.is_some_and(|x| x <= y));
    let lower = |x: Option<u64>, y: Option<u64>| y.is_none_or(|y| x.is_some_and(|x| x >= y));
    let num = |x: Option<crate::spec::model::Bound>,
               y: Option<crate::spec::model::Bound>,
               tighter: fn(f64, f64) -> bool| {
        y.is_none_or(|y| {
            x.is_some_and(|x| {
                tighter(x.value, y.value) || (x.value == y.value && (x.exclusive || !y.exclusive))
            })
        })
    };
    upper(s.max_length, b.max_length)
        && lower(s.min_length, b.min_length)
        && num(s.maximum, b.maximum, |x, y| x < y)
        && num(s.minimum, b.minimum, |x, y| x > y)
}

/// Objects: `b` requires nothing `s` does not, and declares every property of `s` at
/// least as widely.
fn objects_within(sa: &Api, s: &Schema, ba: &Api, b: &Schema, depth: u32) -> bool {
    if !b.required.iter().all(|r| s.required.contains(r)) {
        return false;
    }
    let open = |x: &Schema| {
        matches!(
            x.additional_properties,
            None | Some(BoolOrSchema::Bool(true))
        )
    };
    // A free-form object of `s` fits only a free-form `b`.
    if s.properties.is_empty() && open(s) && s.types.iter().any(|t| t == "object") {
        return b.properties.is_empty() && open(b);
    }
    s.properties
        .iter()
        .all(|(name, &sp)| match b.properties.get(name) {
            Some(&bp) => within_at(sa, sp, ba, bp, depth + 1),
            None => b.properties.is_empty() && open(b),
        })
}

/// Arrays: `b`'s items take every item of `s`'s.
fn items_within(sa: &Api, s: &Schema, ba: &Api, b: &Schema, depth: u32) -> bool {
    match (s.items, b.items) {
        (_, None) => true,
        (Some(si), Some(bi)) => within_at(sa, si, ba, bi, depth + 1),
        (None, Some(_)) => !s.types.is_empty() && !s.types.iter().any(|t| t == "array"),
    }
}
