//! The object an `allOf` stack describes: its parts merged into one set of properties
//! and required names, so properties that only moved between parts are no change.

use crate::spec::model::{Api, Schema, SchemaId};

/// True when `s` constrains only an object's properties and required names (and its
/// type): a part whose move into or out of an `allOf` the merged shape accounts for.
pub(super) fn shape_only(s: &Schema) -> bool {
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
pub(super) fn merged_shape(api: &Api, s: &Schema) -> (Vec<String>, Vec<String>) {
    let (props, required) = merged_properties(api, s);
    (props.into_keys().collect(), required)
}

/// True when `name` is a property of one of the `allOf` parts of `s` (recursively):
/// a property that moved there from `s` itself was not removed.
pub fn in_all_of(api: &Api, s: &Schema, name: &str) -> bool {
    !s.all_of.is_empty() && merged_properties(api, s).0.contains_key(name)
}
