//! Schema conversion into the arena. A worklist, not recursion: a schema's children
//! are allocated as placeholders and queued, so depth and cycles cost nothing.
//! Every schema is memoized by its JSON node, so a component reached through
//! many `$ref`s is one node and recursive schemas are cycles in the arena.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;

use super::NormalizeError;
use super::refs::{DocId, Docs, MAX_REF_HOPS, escape, unescape};
use crate::spec::dom::Node;
use crate::spec::model::{
    BoolOrSchema, Bound, Discriminator, NameMap, SCHEMA_EXTENSIONS, Schema, SchemaExt, SchemaId,
    Schemas,
};

/// Address of a JSON node: documents are immutable while normalizing, so it identifies
/// the node (cheaper to hash than its pointer string).
type NodeKey = usize;

fn key_of(v: &Node<'_>) -> NodeKey {
    v as *const Node<'_> as usize
}

/// A multiplicative hasher for `NodeKey`s (addresses need no DoS-resistant hashing).
#[derive(Default, Clone, Copy)]
pub struct AddrHasher(u64);

impl std::hash::Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64 ^ (n as u64 >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type AddrMap<V> = HashMap<NodeKey, V, std::hash::BuildHasherDefault<AddrHasher>>;

/// The keywords of one schema object that need more than a direct copy.
#[derive(Default)]
struct Keywords<'v> {
    type_: Option<&'v Node<'v>>,
    minimum: Option<&'v Node<'v>>,
    maximum: Option<&'v Node<'v>>,
    exclusive_minimum: Option<&'v Node<'v>>,
    exclusive_maximum: Option<&'v Node<'v>>,
    dependent_required: Option<&'v Node<'v>>,
    discriminator: Option<&'v Node<'v>>,
    properties: Option<&'v Node<'v>>,
    pattern_properties: Option<&'v Node<'v>>,
    dependent_schemas: Option<&'v Node<'v>>,
    additional_properties: Option<&'v Node<'v>>,
    unevaluated_items: Option<&'v Node<'v>>,
    unevaluated_properties: Option<&'v Node<'v>>,
    items: Option<&'v Node<'v>>,
    prefix_items: Option<&'v Node<'v>>,
    contains: Option<&'v Node<'v>>,
    property_names: Option<&'v Node<'v>>,
    if_: Option<&'v Node<'v>>,
    then: Option<&'v Node<'v>>,
    else_: Option<&'v Node<'v>>,
    content_schema: Option<&'v Node<'v>>,
    not: Option<&'v Node<'v>>,
    all_of: Option<&'v Node<'v>>,
    any_of: Option<&'v Node<'v>>,
    one_of: Option<&'v Node<'v>>,
}

impl Keywords<'_> {
    /// True when any of the rarely used subschema keywords is present.
    fn has_2020_subschemas(&self) -> bool {
        [
            self.pattern_properties,
            self.dependent_schemas,
            self.unevaluated_items,
            self.unevaluated_properties,
            self.prefix_items,
            self.contains,
            self.property_names,
            self.if_,
            self.then,
            self.else_,
            self.content_schema,
        ]
        .iter()
        .any(Option::is_some)
    }
}

/// Builds the schema arena for one document.
pub struct SchemaBuilder<'d, 'a> {
    docs: &'d Docs<'a>,
    /// The arena.
    pub schemas: Schemas,
    memo: AddrMap<SchemaId>,
    queue: Vec<(SchemaId, DocId, String, &'d Node<'d>)>,
    /// Single-branch compositions to replace by their branch (`anyOf: [{type: null}, T]`).
    collapse: Vec<(SchemaId, SchemaId)>,
}

impl<'d, 'a> SchemaBuilder<'d, 'a> {
    /// A builder over `docs`.
    pub fn new(docs: &'d Docs<'a>) -> Self {
        SchemaBuilder {
            docs,
            schemas: Schemas::default(),
            memo: AddrMap::default(),
            queue: Vec::new(),
            collapse: Vec::new(),
        }
    }

    /// Adds a schema built elsewhere (e.g. a 2.0 form body) and returns its id.
    pub fn push(&mut self, schema: Schema) -> SchemaId {
        self.schemas.push(schema)
    }

    /// The id of the schema at `ptr` in `doc`, following `$ref` chains; the node is
    /// filled in later by `drain`.
    pub fn schema_at(&mut self, doc: DocId, ptr: String) -> Result<SchemaId, NormalizeError> {
        let docs: &'d Docs<'a> = self.docs;
        let Some(value) = docs.lookup(doc, &ptr) else {
            return Err(NormalizeError::UnresolvableRef {
                reference: docs.display(doc, &ptr),
                at: String::new(),
                reason: "nothing exists at that location".into(),
            });
        };
        self.schema_for(doc, value, || ptr)
    }

    /// Like `schema_at` for a value already at hand: `value` is at `ptr()` in `doc`
    /// (built only when the value is not memoized yet: most `$ref`s are).
    pub fn schema_for(
        &mut self,
        doc: DocId,
        value: &'d Node<'d>,
        ptr: impl FnOnce() -> String,
    ) -> Result<SchemaId, NormalizeError> {
        if let Some(&id) = self.memo.get(&key_of(value)) {
            return Ok(id);
        }
        let docs: &'d Docs<'a> = self.docs;
        let mut chain: Vec<(DocId, String, NodeKey)> = Vec::new();
        let (mut cur_doc, mut cur_ptr, mut cur) = (doc, ptr(), value);
        loop {
            match cur.as_object().and_then(|m| m.reference()) {
                Some(r) => {
                    let (d, p, target) = docs.resolve(cur_doc, r, &cur_ptr)?;
                    chain.push((cur_doc, cur_ptr, key_of(cur)));
                    if chain.iter().any(|c| c.2 == key_of(target)) || chain.len() > MAX_REF_HOPS {
                        let path: Vec<(DocId, String)> =
                            chain.into_iter().map(|(d, p, _)| (d, p)).collect();
                        return Err(cyclic(docs, r, &path));
                    }
                    if let Some(&id) = self.memo.get(&key_of(target)) {
                        return Ok(self.remember(&chain, id));
                    }
                    cur_doc = d;
                    cur_ptr = p;
                    cur = target;
                }
                None => {
                    let id = self.push(Schema::default());
                    self.memo.insert(key_of(cur), id);
                    self.queue.push((id, cur_doc, cur_ptr, cur));
                    return Ok(self.remember(&chain, id));
                }
            }
        }
    }

    fn remember(&mut self, chain: &[(DocId, String, NodeKey)], id: SchemaId) -> SchemaId {
        for c in chain {
            self.memo.insert(c.2, id);
        }
        id
    }

    /// Converts every queued schema (and the children they queue), then applies collapses.
    pub fn drain(&mut self) -> Result<(), NormalizeError> {
        while let Some((id, doc, ptr, value)) = self.queue.pop() {
            let mut node = self.convert(doc, &ptr, value)?;
            node.pointer = if doc == 0 {
                ptr // the root document's pointers are displayed as they are
            } else {
                self.docs.display(doc, &ptr)
            };
            self.schemas[id as usize] = node;
            if let Some(target) = collapsible(&self.schemas[id as usize]) {
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
        v: Option<&'d Node<'d>>,
    ) -> Result<Option<SchemaId>, NormalizeError> {
        match v {
            Some(v @ (Node::Object(_) | Node::Bool(_))) => {
                Ok(Some(self.schema_for(doc, v, || join(ptr, &[key]))?))
            }
            _ => Ok(None),
        }
    }

    fn child_list(
        &mut self,
        doc: DocId,
        ptr: &str,
        key: &str,
        v: Option<&'d Node<'d>>,
    ) -> Result<Vec<SchemaId>, NormalizeError> {
        let mut out = Vec::new();
        if let Some(Node::Array(items)) = v {
            for (i, item) in items.iter().enumerate() {
                if item.is_object() || item.is_boolean() {
                    out.push(self.schema_for(doc, item, || join_index(ptr, key, i))?);
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
        v: Option<&'d Node<'d>>,
    ) -> Result<NameMap<SchemaId>, NormalizeError> {
        let mut out = NameMap::default();
        if let Some(Node::Object(props)) = v {
            out.reserve(props.len());
            for (name, v) in props.iter() {
                if v.is_object() || v.is_boolean() {
                    let id = self.schema_for(doc, v, || join(ptr, &[key, &escape(name)]))?;
                    out.insert(name.to_string(), id);
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
        v: Option<&'d Node<'d>>,
    ) -> Result<Option<BoolOrSchema>, NormalizeError> {
        Ok(match v {
            Some(Node::Bool(b)) => Some(BoolOrSchema::Bool(*b)),
            Some(v @ Node::Object(_)) => {
                Some(BoolOrSchema::Schema(
                    self.schema_for(doc, v, || join(ptr, &[key]))?,
                ))
            }
            _ => None,
        })
    }

    /// One schema node from the (non-`$ref`) value at `ptr`. Keywords are read in one
    /// pass over the object's entries (far cheaper than ~40 hashed lookups per node).
    fn convert(
        &mut self,
        doc: DocId,
        ptr: &str,
        value: &'d Node<'d>,
    ) -> Result<Schema, NormalizeError> {
        // `pointer` is filled in by `drain`, which owns the pointer string.
        let mut s = Schema {
            ref_name: component_name(ptr),
            ..Schema::default()
        };
        let m = match value {
            Node::Object(m) => m,
            Node::Bool(false) => {
                // `false` accepts nothing: `not: {}`.
                s.ext_mut().not = Some(self.push(Schema {
                    pointer: self.docs.display(doc, ptr),
                    ..Schema::default()
                }));
                return Ok(s);
            }
            _ => return Ok(s), // `true` (or malformed): anything goes
        };
        let mut k = Keywords::default();
        let mut nullable_flag = false;
        let mut enum_values = None;
        let mut required = None;
        let yes = Node::Bool(true);
        for (key, v) in m.iter() {
            let text = || v.as_str().map(str::to_string);
            match key {
                // The most common keys first: the arms are tried in order.
                "description" | "example" | "examples" => {}
                "type" => k.type_ = Some(v),
                "nullable" | "x-nullable" => nullable_flag |= *v == yes,
                "format" => s.format = text(),
                "title" => s.title = text(),
                "pattern" => s.ext_mut().pattern = text(),
                "contentMediaType" => s.ext_mut().content_media_type = text(),
                "contentEncoding" => s.ext_mut().content_encoding = text(),
                "minLength" => s.min_length = as_u64(v),
                "maxLength" => s.max_length = as_u64(v),
                "minItems" => s.ext_mut().min_items = as_u64(v),
                "maxItems" => s.ext_mut().max_items = as_u64(v),
                "minProperties" => s.ext_mut().min_properties = as_u64(v),
                "maxProperties" => s.ext_mut().max_properties = as_u64(v),
                "minContains" => s.ext_mut().min_contains = as_u64(v),
                "maxContains" => s.ext_mut().max_contains = as_u64(v),
                "multipleOf" => s.ext_mut().multiple_of = v.as_f64(),
                "uniqueItems" => s.ext_mut().unique_items = *v == yes,
                "readOnly" => s.read_only = *v == yes,
                "writeOnly" => s.write_only = *v == yes,
                "deprecated" => s.deprecated = *v == yes,
                "default" => s.default = Some(v.to_value()),
                "const" => s.ext_mut().const_value = Some(v.to_value()),
                "enum" => enum_values = v.as_array(),
                "required" => required = v.as_array(),
                "minimum" => k.minimum = Some(v),
                "maximum" => k.maximum = Some(v),
                "exclusiveMinimum" => k.exclusive_minimum = Some(v),
                "exclusiveMaximum" => k.exclusive_maximum = Some(v),
                "dependentRequired" => k.dependent_required = Some(v),
                "discriminator" => k.discriminator = Some(v),
                "properties" => k.properties = Some(v),
                "patternProperties" => k.pattern_properties = Some(v),
                "dependentSchemas" => k.dependent_schemas = Some(v),
                "additionalProperties" => k.additional_properties = Some(v),
                "unevaluatedItems" => k.unevaluated_items = Some(v),
                "unevaluatedProperties" => k.unevaluated_properties = Some(v),
                "items" => k.items = Some(v),
                "prefixItems" => k.prefix_items = Some(v),
                "contains" => k.contains = Some(v),
                "propertyNames" => k.property_names = Some(v),
                "if" => k.if_ = Some(v),
                "then" => k.then = Some(v),
                "else" => k.else_ = Some(v),
                "contentSchema" => k.content_schema = Some(v),
                "not" => k.not = Some(v),
                "allOf" => k.all_of = Some(v),
                "anyOf" => k.any_of = Some(v),
                "oneOf" => k.one_of = Some(v),
                x if SCHEMA_EXTENSIONS.contains(&x) => {
                    s.ext_mut().extensions.insert(key.to_string(), v.to_value());
                }
                _ => {}
            }
        }

        // Types and nullability.
        match k.type_ {
            Some(Node::String(t)) => s.types.push(t.to_string()),
            Some(Node::Array(ts)) => s
                .types
                .extend(ts.iter().filter_map(Node::as_str).map(str::to_string)),
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
        s.nullable |= nullable_flag;
        if let Some(values) = enum_values {
            let mut values: Vec<_> = values.iter().map(Node::to_value).collect();
            if values.iter().any(serde_json::Value::is_null)
                && (s.nullable || k.type_.is_none_or(Node::is_array))
            {
                // A `null` entry only restates nullability.
                s.nullable = true;
                values.retain(|v| !v.is_null());
            }
            s.enum_values = Some(values);
        }
        s.minimum = bound(k.minimum, k.exclusive_minimum, true);
        s.maximum = bound(k.maximum, k.exclusive_maximum, false);
        if let Some(req) = required {
            s.required = req
                .iter()
                .filter_map(Node::as_str)
                .map(str::to_string)
                .collect();
        }
        if let Some(Node::Object(d)) = k.dependent_required {
            for (name, v) in d.iter() {
                let names = v
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(Node::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                s.ext_mut()
                    .dependent_required
                    .insert(name.to_string(), names);
            }
        }
        if let Some(d) = discriminator(k.discriminator) {
            s.ext_mut().discriminator = Some(d);
        }

        // Subschemas.
        s.properties = self.child_map(doc, ptr, "properties", k.properties)?;
        s.additional_properties =
            self.bool_or_schema(doc, ptr, "additionalProperties", k.additional_properties)?;
        match k.items {
            // Draft-4 tuple form (2.0 documents) is 3.1's prefixItems.
            Some(Node::Array(_)) => {
                s.ext_mut().prefix_items = self.child_list(doc, ptr, "items", k.items)?
            }
            other => s.items = self.child(doc, ptr, "items", other)?,
        }
        if let Some(not) = self.child(doc, ptr, "not", k.not)? {
            s.ext_mut().not = Some(not);
        }
        if k.has_2020_subschemas() {
            self.subschemas_2020(doc, ptr, &k, s.ext_mut())?;
        }
        s.all_of = self.child_list(doc, ptr, "allOf", k.all_of)?;
        s.any_of = self.branches_without_null(doc, ptr, "anyOf", k.any_of, &mut s.nullable)?;
        s.one_of = self.branches_without_null(doc, ptr, "oneOf", k.one_of, &mut s.nullable)?;
        Ok(s)
    }

    /// The rarely used subschema keywords (JSON Schema 2020-12 and friends).
    fn subschemas_2020(
        &mut self,
        doc: DocId,
        ptr: &str,
        k: &Keywords<'d>,
        x: &mut SchemaExt,
    ) -> Result<(), NormalizeError> {
        x.pattern_properties =
            self.child_map(doc, ptr, "patternProperties", k.pattern_properties)?;
        x.dependent_schemas = self.child_map(doc, ptr, "dependentSchemas", k.dependent_schemas)?;
        x.unevaluated_items =
            self.bool_or_schema(doc, ptr, "unevaluatedItems", k.unevaluated_items)?;
        x.unevaluated_properties =
            self.bool_or_schema(doc, ptr, "unevaluatedProperties", k.unevaluated_properties)?;
        if k.prefix_items.is_some() {
            x.prefix_items = self.child_list(doc, ptr, "prefixItems", k.prefix_items)?;
        }
        x.contains = self.child(doc, ptr, "contains", k.contains)?;
        x.property_names = self.child(doc, ptr, "propertyNames", k.property_names)?;
        x.if_schema = self.child(doc, ptr, "if", k.if_)?;
        x.then_schema = self.child(doc, ptr, "then", k.then)?;
        x.else_schema = self.child(doc, ptr, "else", k.else_)?;
        x.content_schema = self.child(doc, ptr, "contentSchema", k.content_schema)?;
        Ok(())
    }

    /// `anyOf`/`oneOf` branches, dropping `{type: "null"}` ones (they set `nullable`).
    fn branches_without_null(
        &mut self,
        doc: DocId,
        ptr: &str,
        key: &str,
        v: Option<&'d Node<'d>>,
        nullable: &mut bool,
    ) -> Result<Vec<SchemaId>, NormalizeError> {
        let mut out = Vec::new();
        if let Some(Node::Array(items)) = v {
            for (i, item) in items.iter().enumerate() {
                if is_null_schema(item) {
                    *nullable = true;
                } else if item.is_object() || item.is_boolean() {
                    out.push(self.schema_for(doc, item, || join_index(ptr, key, i))?);
                }
            }
        }
        Ok(out)
    }

    /// Replaces each single-branch composition node by a copy of its branch (keeping
    /// the wrapper's nullability and deprecation), so
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
            self.schemas[node as usize] = copy;
        }
    }
}

/// `base` one or more tokens deeper (the tokens already escaped): `format!` costs
/// about twice as much, and every schema node gets a pointer.
pub fn join(base: &str, tokens: &[&str]) -> String {
    let len = base.len() + tokens.iter().map(|t| t.len() + 1).sum::<usize>();
    let mut out = String::with_capacity(len);
    out.push_str(base);
    for t in tokens {
        out.push('/');
        out.push_str(t);
    }
    out
}

/// `base/key/i`, the pointer of a list item.
fn join_index(base: &str, key: &str, i: usize) -> String {
    use std::fmt::Write;
    let mut out = join(base, &[key]);
    out.reserve(4);
    let _ = write!(out, "/{i}");
    out
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

fn as_u64(v: &Node<'_>) -> Option<u64> {
    v.as_u64().or_else(|| {
        v.as_f64()
            .filter(|f| *f >= 0.0 && f.fract() == 0.0)
            .map(|f| f as u64)
    })
}

/// `{type: "null"}` (or `{type: ["null"]}`, `{const: null}`, `{enum: [null]}`) with nothing else structural.
fn is_null_schema(v: &Node<'_>) -> bool {
    let Node::Object(m) = v else { return false };
    let null_type = match m.get("type") {
        Some(Node::String(t)) => *t == "null",
        Some(Node::Array(ts)) => ts.len() == 1 && ts[0] == "null",
        _ => false,
    };
    let null_const = m.get("const") == Some(&Node::Null)
        || m.get("enum")
            .and_then(Node::as_array)
            .is_some_and(|a| matches!(a[..], [Node::Null]));
    (null_type || null_const)
        && m.keys().all(|k| {
            matches!(k, "type" | "const" | "enum" | "description" | "title") || k.starts_with("x-")
        })
}

/// Min/max with exclusivity: 3.0 `exclusiveMinimum: true` flags `minimum`; 3.1
/// `exclusiveMinimum: 5` is itself the bound. When both kinds are present the tighter wins.
fn bound(inclusive: Option<&Node<'_>>, exclusive: Option<&Node<'_>>, lower: bool) -> Option<Bound> {
    let inclusive = inclusive.and_then(Node::as_f64);
    match exclusive {
        Some(Node::Bool(b)) => inclusive.map(|value| Bound {
            value,
            exclusive: *b,
        }),
        Some(v @ Node::Number(_)) => {
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
fn collapsible(s: &Schema) -> Option<SchemaId> {
    // A wrapper's own `default` would be lost by replacing it with its branch.
    let bare = s.default.is_none() && s.constrains_only_by_composition();
    s.single_branch().filter(|_| bare)
}

/// `discriminator`: a 3.x object, or 2.0's bare property name.
fn discriminator(v: Option<&Node<'_>>) -> Option<Discriminator> {
    match v? {
        Node::Object(d) => {
            let name = d.get("propertyName").and_then(Node::as_str)?;
            let mapping = d
                .get("mapping")
                .and_then(Node::as_object)
                .map(|mm| {
                    mm.iter()
                        .filter_map(|(k, v)| v.as_str().map(|v| (k.to_string(), v.to_string())))
                        .collect()
                })
                .unwrap_or_default();
            Some(Discriminator {
                property_name: name.to_string(),
                mapping,
            })
        }
        Node::String(name) => Some(Discriminator {
            property_name: name.to_string(),
            mapping: IndexMap::new(),
        }),
        _ => None,
    }
}
