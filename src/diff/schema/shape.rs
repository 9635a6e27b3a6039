//! Structural fingerprints of schemas, used to match composition branches across
//! versions by what they accept rather than by position or component name: an inline
//! schema and an equivalent `$ref` get the same fingerprint, annotations are ignored.

use std::hash::{DefaultHasher, Hash, Hasher};

use crate::spec::model::{Api, BoolOrSchema, Bound, Schema, SchemaId};

/// How deep a fingerprint looks; deeper differences are left to the walker, which
/// compares matched branches anyway. Also bounds the work on recursive schemas.
pub const FINGERPRINT_DEPTH: u32 = 3;

/// Fingerprint of the schema `id` in `api`, ignoring titles, descriptions, examples,
/// defaults, deprecation, extensions and the component name.
pub fn fingerprint(api: &Api, id: SchemaId) -> u64 {
    let mut h = DefaultHasher::new();
    hash_schema(api, id, FINGERPRINT_DEPTH, &mut h);
    h.finish()
}

/// True when `s` only annotates (title, description, examples, deprecation, …) and
/// constrains nothing: adding it to an `allOf` changes no instance's validity.
pub fn annotation_only(s: &Schema) -> bool {
    s.types.is_empty()
        && !s.nullable
        && s.format.is_none()
        && s.enum_values.is_none()
        && s.const_value.is_none()
        && s.minimum.is_none()
        && s.maximum.is_none()
        && s.multiple_of.is_none()
        && s.min_length.is_none()
        && s.max_length.is_none()
        && s.pattern.is_none()
        && s.min_items.is_none()
        && s.max_items.is_none()
        && !s.unique_items
        && s.min_properties.is_none()
        && s.max_properties.is_none()
        && s.properties.is_empty()
        && s.required.is_empty()
        && s.additional_properties.is_none()
        && s.items.is_none()
        && s.prefix_items.is_empty()
        && s.contains.is_none()
        && s.min_contains.is_none()
        && s.max_contains.is_none()
        && s.pattern_properties.is_empty()
        && s.property_names.is_none()
        && s.dependent_required.is_empty()
        && s.dependent_schemas.is_empty()
        && s.if_schema.is_none()
        && s.then_schema.is_none()
        && s.else_schema.is_none()
        && s.unevaluated_items.is_none()
        && s.unevaluated_properties.is_none()
        && s.content_media_type.is_none()
        && s.content_encoding.is_none()
        && s.content_schema.is_none()
        && s.all_of.is_empty()
        && s.any_of.is_empty()
        && s.one_of.is_empty()
        && s.not.is_none()
        && s.discriminator.is_none()
        && !s.read_only
        && !s.write_only
}

fn hash_bound(b: Option<Bound>, h: &mut DefaultHasher) {
    b.map(|b| (b.value.to_bits(), b.exclusive)).hash(h);
}

fn hash_child(api: &Api, id: Option<SchemaId>, depth: u32, h: &mut DefaultHasher) {
    match id {
        Some(id) => {
            1u8.hash(h);
            hash_schema(api, id, depth, h);
        }
        None => 0u8.hash(h),
    }
}

fn hash_bool_or(api: &Api, v: Option<BoolOrSchema>, depth: u32, h: &mut DefaultHasher) {
    match v {
        None => 0u8.hash(h),
        Some(BoolOrSchema::Bool(b)) => (1u8, b).hash(h),
        Some(BoolOrSchema::Schema(id)) => {
            2u8.hash(h);
            hash_schema(api, id, depth, h);
        }
    }
}

/// Order-insensitive hash of a list of branches (anyOf / oneOf / allOf order carries no meaning).
fn hash_set(api: &Api, ids: &[SchemaId], depth: u32, h: &mut DefaultHasher) {
    let mut parts: Vec<u64> = ids
        .iter()
        .map(|&id| {
            let mut sub = DefaultHasher::new();
            hash_schema(api, id, depth, &mut sub);
            sub.finish()
        })
        .collect();
    parts.sort_unstable();
    parts.hash(h);
}

fn hash_schema(api: &Api, id: SchemaId, depth: u32, h: &mut DefaultHasher) {
    let Some(s) = api.schemas.get(id as usize) else {
        u8::MAX.hash(h);
        return;
    };
    // Cheap summary at every level, so that even the deepest node tells types apart.
    s.types.hash(h);
    s.nullable.hash(h);
    s.format.hash(h);
    if depth == 0 {
        return;
    }
    let d = depth - 1;
    s.enum_values
        .as_ref()
        .map(|v| serde_json::to_string(v).unwrap_or_default())
        .hash(h);
    s.const_value.as_ref().map(|v| v.to_string()).hash(h);
    hash_bound(s.minimum, h);
    hash_bound(s.maximum, h);
    s.multiple_of.map(f64::to_bits).hash(h);
    (s.min_length, s.max_length, &s.pattern).hash(h);
    (s.min_items, s.max_items, s.unique_items).hash(h);
    (s.min_properties, s.max_properties).hash(h);
    (s.read_only, s.write_only).hash(h);
    let mut required = s.required.clone();
    required.sort_unstable();
    required.hash(h);
    // Property order carries no meaning either.
    let mut props: Vec<(&String, SchemaId)> = s.properties.iter().map(|(k, v)| (k, *v)).collect();
    props.sort_unstable_by(|a, b| a.0.cmp(b.0));
    props.len().hash(h);
    for (name, child) in props {
        name.hash(h);
        hash_schema(api, child, d, h);
    }
    hash_bool_or(api, s.additional_properties, d, h);
    hash_child(api, s.items, d, h);
    s.prefix_items.len().hash(h);
    for &p in &s.prefix_items {
        hash_schema(api, p, d, h);
    }
    hash_child(api, s.contains, d, h);
    (s.min_contains, s.max_contains).hash(h);
    let mut patterns: Vec<(&String, SchemaId)> =
        s.pattern_properties.iter().map(|(k, v)| (k, *v)).collect();
    patterns.sort_unstable_by(|a, b| a.0.cmp(b.0));
    for (p, child) in patterns {
        p.hash(h);
        hash_schema(api, child, d, h);
    }
    hash_child(api, s.property_names, d, h);
    let mut dep_req: Vec<(&String, &Vec<String>)> = s.dependent_required.iter().collect();
    dep_req.sort_unstable();
    dep_req.hash(h);
    let mut dep_schemas: Vec<(&String, SchemaId)> =
        s.dependent_schemas.iter().map(|(k, v)| (k, *v)).collect();
    dep_schemas.sort_unstable_by(|a, b| a.0.cmp(b.0));
    for (k, child) in dep_schemas {
        k.hash(h);
        hash_schema(api, child, d, h);
    }
    hash_child(api, s.if_schema, d, h);
    hash_child(api, s.then_schema, d, h);
    hash_child(api, s.else_schema, d, h);
    hash_bool_or(api, s.unevaluated_items, d, h);
    hash_bool_or(api, s.unevaluated_properties, d, h);
    (&s.content_media_type, &s.content_encoding).hash(h);
    hash_child(api, s.content_schema, d, h);
    hash_set(api, &s.all_of, d, h);
    hash_set(api, &s.any_of, d, h);
    hash_set(api, &s.one_of, d, h);
    hash_child(api, s.not, d, h);
    s.discriminator
        .as_ref()
        .map(|x| (&x.property_name, x.mapping.iter().collect::<Vec<_>>()))
        .hash(h);
}
