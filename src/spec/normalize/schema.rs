//! Schema conversion into the arena. A worklist, not recursion: a schema's children
//! are allocated as placeholders and queued, so depth and cycles cost nothing.
//! Every schema is memoized by (document, pointer), so a component reached through
//! many `$ref`s is one node and recursive schemas are cycles in the arena.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::NormalizeError;
use super::refs::{DocId, Docs, MAX_REF_HOPS, escape, unescape};
use crate::spec::model::{BoolOrSchema, Bound, Discriminator, Schema, SchemaId};

/// Builds the schema arena for one document.
pub struct SchemaBuilder<'d, 'a> {
    docs: &'d Docs<'a>,
    /// The arena.
    pub schemas: Vec<Schema>,
    memo: HashMap<(DocId, String), SchemaId>,
    queue: Vec<(SchemaId, DocId, String)>,
    /// Single-branch compositions to replace by their branch (`anyOf: [{type: null}, T]`).
    collapse: Vec<(SchemaId, SchemaId)>,
}

impl<'d, 'a> SchemaBuilder<'d, 'a> {
    /// A builder over `docs`.
    pub fn new(docs: &'d Docs<'a>) -> Self {
        SchemaBuilder {
            docs,
            schemas: Vec::new(),
            memo: HashMap::new(),
            queue: Vec::new(),
            collapse: Vec::new(),
        }
    }

    /// Adds a schema built elsewhere (e.g. a 2.0 form body) and returns its id.
    pub fn push(&mut self, schema: Schema) -> SchemaId {
        self.schemas.push(schema);
        (self.schemas.len() - 1) as SchemaId
    }

    /// The id of the schema at `ptr` in `doc`, following `$ref` chains; the node is
    /// filled in later by `drain`.
    pub fn schema_at(&mut self, doc: DocId, ptr: String) -> Result<SchemaId, NormalizeError> {
        if let Some(&id) = self.memo.get(&(doc, ptr.clone())) {
            return Ok(id);
        }
        let mut chain: Vec<(DocId, String)> = Vec::new();
        let (mut cur_doc, mut cur_ptr) = (doc, ptr);
        loop {
            let Some(value) = self.docs.lookup(cur_doc, &cur_ptr) else {
                return Err(NormalizeError::UnresolvableRef {
                    reference: self.docs.display(cur_doc, &cur_ptr),
                    at: chain
                        .last()
                        .map(|(d, p)| self.docs.display(*d, p))
                        .unwrap_or_default(),
                    reason: "nothing exists at that location".into(),
                });
            };
            let reference = value.get("$ref").and_then(Value::as_str);
            match reference {
                Some(r) => {
                    let at = format!("{cur_ptr}/$ref");
                    let (d, p) = self.docs.resolve(cur_doc, r, &at)?;
                    chain.push((cur_doc, cur_ptr));
                    if chain.iter().any(|(cd, cp)| *cd == d && *cp == p)
                        || chain.len() > MAX_REF_HOPS
                    {
                        return Err(cyclic(self.docs, r, &chain));
                    }
                    if let Some(&id) = self.memo.get(&(d, p.clone())) {
                        return Ok(self.remember(chain, id));
                    }
                    cur_doc = d;
                    cur_ptr = p;
                }
                None => {
                    let id = self.push(Schema::default());
                    self.memo.insert((cur_doc, cur_ptr.clone()), id);
                    self.queue.push((id, cur_doc, cur_ptr));
                    return Ok(self.remember(chain, id));
                }
            }
        }
    }

    fn remember(&mut self, chain: Vec<(DocId, String)>, id: SchemaId) -> SchemaId {
        for key in chain {
            self.memo.insert(key, id);
        }
        id
    }

    /// Converts every queued schema (and the children they queue), then applies collapses.
    pub fn drain(&mut self) -> Result<(), NormalizeError> {
        while let Some((id, doc, ptr)) = self.queue.pop() {
            let node = self.convert(doc, &ptr)?;
            self.schemas[id as usize] = node;
            if let Some(target) = single_branch(&self.schemas[id as usize]) {
                self.collapse.push((id, target));
            }
        }
        self.apply_collapses();
        Ok(())
    }

    fn child(
        &mut self,
        doc: DocId,
        ptr: &str,
        key: &str,
        m: &Map<String, Value>,
    ) -> Result<Option<SchemaId>, NormalizeError> {
        match m.get(key) {
            Some(Value::Object(_)) | Some(Value::Bool(_)) => {
                Ok(Some(self.schema_at(doc, format!("{ptr}/{}", escape(key)))?))
            }
            _ => Ok(None),
        }
    }

    fn child_list(
        &mut self,
        doc: DocId,
        ptr: &str,
        key: &str,
        m: &Map<String, Value>,
    ) -> Result<Vec<SchemaId>, NormalizeError> {
        let mut out = Vec::new();
        if let Some(Value::Array(items)) = m.get(key) {
            for (i, item) in items.iter().enumerate() {
                if item.is_object() || item.is_boolean() {
                    out.push(self.schema_at(doc, format!("{ptr}/{key}/{i}"))?);
                }
            }
        }
        Ok(out)
    }

    fn child_map(
        &mut self,
        doc: DocId,
        ptr: &str,
        key: &str,
        m: &Map<String, Value>,
    ) -> Result<IndexMap<String, SchemaId>, NormalizeError> {
        let mut out = IndexMap::new();
        if let Some(Value::Object(props)) = m.get(key) {
            for (name, v) in props {
                if v.is_object() || v.is_boolean() {
                    let id = self.schema_at(doc, format!("{ptr}/{key}/{}", escape(name)))?;
                    out.insert(name.clone(), id);
                }
            }
        }
        Ok(out)
    }

    fn bool_or_schema(
        &mut self,
        doc: DocId,
        ptr: &str,
        key: &str,
        m: &Map<String, Value>,
    ) -> Result<Option<BoolOrSchema>, NormalizeError> {
        Ok(match m.get(key) {
            Some(Value::Bool(b)) => Some(BoolOrSchema::Bool(*b)),
            Some(Value::Object(_)) => Some(BoolOrSchema::Schema(
                self.schema_at(doc, format!("{ptr}/{key}"))?,
            )),
            _ => None,
        })
    }

    /// One schema node from the (non-`$ref`) value at `ptr`.
    fn convert(&mut self, doc: DocId, ptr: &str) -> Result<Schema, NormalizeError> {
        let docs = self.docs;
        let mut s = Schema {
            pointer: docs.display(doc, ptr),
            ref_name: component_name(ptr),
            ..Schema::default()
        };
        let m = match docs.lookup(doc, ptr) {
            Some(Value::Object(m)) => m,
            Some(Value::Bool(false)) => {
                // `false` accepts nothing: `not: {}`.
                s.not = Some(self.push(Schema {
                    pointer: s.pointer.clone(),
                    ..Schema::default()
                }));
                return Ok(s);
            }
            _ => return Ok(s), // `true` (or malformed): anything goes
        };

        // Types and nullability.
        match m.get("type") {
            Some(Value::String(t)) => s.types.push(t.clone()),
            Some(Value::Array(ts)) => s
                .types
                .extend(ts.iter().filter_map(Value::as_str).map(str::to_string)),
            _ => {}
        }
        if s.types.iter().any(|t| t == "null") {
            s.nullable = true;
            s.types.retain(|t| t != "null");
        }
        for t in &mut s.types {
            if t == "file" {
                // Swagger 2.0 file upload.
                *t = "string".to_string();
                if s.format.is_none() {
                    s.format = Some("binary".to_string());
                }
            }
        }
        s.types.sort();
        s.types.dedup();
        if m.get("nullable") == Some(&Value::Bool(true))
            || m.get("x-nullable") == Some(&Value::Bool(true))
        {
            s.nullable = true;
        }

        let string = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
        let uint = |k: &str| m.get(k).and_then(as_u64);
        let flag = |k: &str| m.get(k) == Some(&Value::Bool(true));
        if let Some(f) = string("format") {
            s.format = Some(f);
        }
        s.title = string("title");
        s.description = string("description");
        s.pattern = string("pattern");
        s.content_media_type = string("contentMediaType");
        s.content_encoding = string("contentEncoding");
        s.min_length = uint("minLength");
        s.max_length = uint("maxLength");
        s.min_items = uint("minItems");
        s.max_items = uint("maxItems");
        s.min_properties = uint("minProperties");
        s.max_properties = uint("maxProperties");
        s.min_contains = uint("minContains");
        s.max_contains = uint("maxContains");
        s.multiple_of = m.get("multipleOf").and_then(Value::as_f64);
        s.unique_items = flag("uniqueItems");
        s.read_only = flag("readOnly");
        s.write_only = flag("writeOnly");
        s.deprecated = flag("deprecated");
        s.default = m.get("default").cloned();
        s.const_value = m.get("const").cloned();
        if let Some(Value::Array(values)) = m.get("enum") {
            let mut values = values.clone();
            if values.iter().any(Value::is_null)
                && (s.nullable || m.get("type").is_none_or(|t| t.is_array()))
            {
                // A `null` entry only restates nullability.
                s.nullable = true;
                values.retain(|v| !v.is_null());
            }
            s.enum_values = Some(values);
        }
        s.minimum = bound(m, "minimum", "exclusiveMinimum", true);
        s.maximum = bound(m, "maximum", "exclusiveMaximum", false);
        if let Some(Value::Array(req)) = m.get("required") {
            s.required = req
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
        }
        if let Some(Value::Object(d)) = m.get("dependentRequired") {
            for (k, v) in d {
                let names = v
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                s.dependent_required.insert(k.clone(), names);
            }
        }
        if let Some(Value::Object(d)) = m.get("discriminator")
            && let Some(name) = d.get("propertyName").and_then(Value::as_str)
        {
            let mapping = d
                .get("mapping")
                .and_then(Value::as_object)
                .map(|mm| {
                    mm.iter()
                        .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                        .collect()
                })
                .unwrap_or_default();
            s.discriminator = Some(Discriminator {
                property_name: name.to_string(),
                mapping,
            });
        } else if let Some(Value::String(name)) = m.get("discriminator") {
            // Swagger 2.0: `discriminator` is just the property name.
            s.discriminator = Some(Discriminator {
                property_name: name.clone(),
                mapping: IndexMap::new(),
            });
        }
        for (k, v) in m {
            if k.starts_with("x-") && k != "x-nullable" {
                s.extensions.insert(k.clone(), v.clone());
            }
        }

        // Subschemas.
        s.properties = self.child_map(doc, ptr, "properties", m)?;
        s.pattern_properties = self.child_map(doc, ptr, "patternProperties", m)?;
        s.dependent_schemas = self.child_map(doc, ptr, "dependentSchemas", m)?;
        s.additional_properties = self.bool_or_schema(doc, ptr, "additionalProperties", m)?;
        s.unevaluated_items = self.bool_or_schema(doc, ptr, "unevaluatedItems", m)?;
        s.unevaluated_properties = self.bool_or_schema(doc, ptr, "unevaluatedProperties", m)?;
        match m.get("items") {
            // Draft-4 tuple form (2.0 documents) is 3.1's prefixItems.
            Some(Value::Array(_)) => s.prefix_items = self.child_list(doc, ptr, "items", m)?,
            _ => s.items = self.child(doc, ptr, "items", m)?,
        }
        if m.contains_key("prefixItems") {
            s.prefix_items = self.child_list(doc, ptr, "prefixItems", m)?;
        }
        s.contains = self.child(doc, ptr, "contains", m)?;
        s.property_names = self.child(doc, ptr, "propertyNames", m)?;
        s.if_schema = self.child(doc, ptr, "if", m)?;
        s.then_schema = self.child(doc, ptr, "then", m)?;
        s.else_schema = self.child(doc, ptr, "else", m)?;
        s.content_schema = self.child(doc, ptr, "contentSchema", m)?;
        s.not = self.child(doc, ptr, "not", m)?;
        s.all_of = self.child_list(doc, ptr, "allOf", m)?;
        s.any_of = self.branches_without_null(doc, ptr, "anyOf", m, &mut s.nullable)?;
        s.one_of = self.branches_without_null(doc, ptr, "oneOf", m, &mut s.nullable)?;
        Ok(s)
    }

    /// `anyOf`/`oneOf` branches, dropping `{type: "null"}` ones (they set `nullable`).
    fn branches_without_null(
        &mut self,
        doc: DocId,
        ptr: &str,
        key: &str,
        m: &Map<String, Value>,
        nullable: &mut bool,
    ) -> Result<Vec<SchemaId>, NormalizeError> {
        let mut out = Vec::new();
        if let Some(Value::Array(items)) = m.get(key) {
            for (i, item) in items.iter().enumerate() {
                if is_null_schema(item) {
                    *nullable = true;
                } else if item.is_object() || item.is_boolean() {
                    out.push(self.schema_at(doc, format!("{ptr}/{key}/{i}"))?);
                }
            }
        }
        Ok(out)
    }

    /// Replaces each single-branch composition node by a copy of its branch (keeping
    /// the wrapper's nullability, deprecation and description), so
    /// `anyOf: [{$ref: T}, {type: null}]` equals `T` made nullable.
    fn apply_collapses(&mut self) {
        let targets: HashMap<SchemaId, SchemaId> = self.collapse.iter().copied().collect();
        for &(node, first) in &self.collapse {
            let mut target = first;
            let mut seen = HashSet::from([node]);
            let mut nullable = self.schemas[node as usize].nullable;
            while let Some(&next) = targets.get(&target) {
                if !seen.insert(target) || seen.len() > MAX_REF_HOPS {
                    break;
                }
                nullable |= self.schemas[target as usize].nullable;
                target = next;
            }
            if seen.contains(&target) {
                continue; // a composition cycle with no real schema: leave it as is
            }
            let wrapper = &self.schemas[node as usize];
            let mut copy = self.schemas[target as usize].clone();
            copy.nullable |= nullable;
            copy.deprecated |= wrapper.deprecated;
            if wrapper.description.is_some() {
                copy.description = wrapper.description.clone();
            }
            self.schemas[node as usize] = copy;
        }
    }
}

fn cyclic(docs: &Docs<'_>, reference: &str, chain: &[(DocId, String)]) -> NormalizeError {
    let path: Vec<String> = chain.iter().map(|(d, p)| docs.display(*d, p)).collect();
    NormalizeError::CyclicRef {
        reference: reference.to_string(),
        at: path.first().cloned().unwrap_or_default(),
        chain: path.join(" -> "),
    }
}

/// `Name` for `/components/schemas/Name` and `/definitions/Name`.
fn component_name(ptr: &str) -> Option<String> {
    let rest = ptr
        .strip_prefix("/components/schemas/")
        .or_else(|| ptr.strip_prefix("/definitions/"))?;
    (!rest.contains('/')).then(|| unescape(rest))
}

fn as_u64(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| {
        v.as_f64()
            .filter(|f| *f >= 0.0 && f.fract() == 0.0)
            .map(|f| f as u64)
    })
}

/// `{type: "null"}` (or `{type: ["null"]}`, `{const: null}`, `{enum: [null]}`) with nothing else structural.
fn is_null_schema(v: &Value) -> bool {
    let Value::Object(m) = v else { return false };
    let null_type = match m.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.len() == 1 && ts[0] == "null",
        _ => false,
    };
    let null_const = m.get("const") == Some(&Value::Null)
        || m.get("enum") == Some(&Value::Array(vec![Value::Null]));
    (null_type || null_const)
        && m.keys().all(|k| {
            matches!(
                k.as_str(),
                "type" | "const" | "enum" | "description" | "title"
            ) || k.starts_with("x-")
        })
}

/// Min/max with exclusivity: 3.0 `exclusiveMinimum: true` flags `minimum`; 3.1
/// `exclusiveMinimum: 5` is itself the bound. When both kinds are present the tighter wins.
fn bound(
    m: &Map<String, Value>,
    inclusive_key: &str,
    exclusive_key: &str,
    lower: bool,
) -> Option<Bound> {
    let inclusive = m.get(inclusive_key).and_then(Value::as_f64);
    match m.get(exclusive_key) {
        Some(Value::Bool(b)) => inclusive.map(|value| Bound {
            value,
            exclusive: *b,
        }),
        Some(v) if v.is_number() => {
            let ex = v.as_f64().unwrap_or_default();
            match inclusive {
                Some(inc) if (lower && inc > ex) || (!lower && inc < ex) => Some(Bound {
                    value: inc,
                    exclusive: false,
                }),
                _ => Some(Bound {
                    value: ex,
                    exclusive: true,
                }),
            }
        }
        _ => inclusive.map(|value| Bound {
            value,
            exclusive: false,
        }),
    }
}

/// The only branch of a pure `anyOf`/`oneOf`/`allOf` wrapper (nothing else structural).
fn single_branch(s: &Schema) -> Option<SchemaId> {
    let branches = s.all_of.len() + s.any_of.len() + s.one_of.len();
    if branches != 1 {
        return None;
    }
    let bare = s.types.is_empty()
        && s.format.is_none()
        && s.enum_values.is_none()
        && s.const_value.is_none()
        && s.default.is_none()
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
        && s.pattern_properties.is_empty()
        && s.property_names.is_none()
        && s.dependent_required.is_empty()
        && s.dependent_schemas.is_empty()
        && s.if_schema.is_none()
        && s.unevaluated_items.is_none()
        && s.unevaluated_properties.is_none()
        && s.not.is_none()
        && s.discriminator.is_none()
        && !s.read_only
        && !s.write_only;
    if !bare {
        return None;
    }
    s.all_of
        .first()
        .or(s.any_of.first())
        .or(s.one_of.first())
        .copied()
}
