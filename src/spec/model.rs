//! The normalized model that Swagger 2.0, OpenAPI 3.0 and 3.1 documents all map onto.
//!
//! Schemas live in an arena (`Api::schemas`) and refer to each other by `SchemaId`;
//! a `$ref` to a component is the component's id, so recursive schemas are cycles in
//! the graph, never infinite trees. The diff engine compares two `Api`s.

use indexmap::IndexMap;
use serde_json::{Map, Value};

/// A name-keyed map of a schema (properties, …): insertion-ordered, with foldhash, which
/// is several times cheaper than SipHash on short keys and still seeded per process.
pub type NameMap<V> = IndexMap<String, V, foldhash::fast::RandomState>;

/// The schema-level `x-*` extensions a rule reads (enums, property deprecation, stability).
pub const SCHEMA_EXTENSIONS: &[&str] = &["x-extensible-enum", "x-sunset", "x-stability-level"];

/// Index into `Api::schemas`.
pub type SchemaId = u32;

/// Which dialect the source document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// Swagger 2.0.
    Swagger2,
    /// OpenAPI 3.0.x.
    OpenApi30,
    /// OpenAPI 3.1.x.
    OpenApi31,
}

/// A whole normalized API description.
#[derive(Debug, Clone)]
pub struct Api {
    /// Source dialect.
    pub flavor: Flavor,
    /// The `openapi` / `swagger` field as written, e.g. "3.0.0".
    pub spec_version: String,
    /// `info.title`.
    pub title: Option<String>,
    /// `info.version`.
    pub api_version: Option<String>,
    /// Server URLs (2.0: built from schemes/host/basePath).
    pub servers: Vec<String>,
    /// Operations keyed by method + normalized path (parameter names erased).
    pub operations: IndexMap<OpKey, Operation>,
    /// Webhooks (3.1) keyed by webhook name + method.
    pub webhooks: IndexMap<OpKey, Operation>,
    /// Security schemes by name (2.0 `securityDefinitions`).
    pub security_schemes: IndexMap<String, SecurityScheme>,
    /// Top-level `security`.
    pub security: Option<Vec<SecurityRequirement>>,
    /// Top-level tag names.
    pub tags: Vec<String>,
    /// Component schemas by name (2.0 `definitions`).
    pub components: IndexMap<String, SchemaId>,
    /// Other component sections' names (parameters, responses, …) as `section/name`.
    pub other_components: Vec<String>,
    /// Document-level `x-*` extensions.
    pub extensions: Map<String, Value>,
    /// The schema arena.
    pub schemas: Schemas,
}

/// Schemas per arena chunk.
const CHUNK: usize = 1024;

/// The schema arena, in fixed-size chunks: growing it never moves (and so never
/// copies or re-touches) the schemas already built. Stripe's spec has ~12,000.
#[derive(Debug, Clone, Default)]
pub struct Schemas {
    chunks: Vec<Vec<Schema>>,
    len: usize,
}

impl Schemas {
    /// Number of schemas.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends `schema` and returns its id.
    pub fn push(&mut self, schema: Schema) -> SchemaId {
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        if let Some(chunk) = self.chunks.last_mut() {
            chunk.push(schema);
        }
        self.len += 1;
        (self.len - 1) as SchemaId
    }

    /// Every schema, in id order.
    pub fn iter(&self) -> impl Iterator<Item = &Schema> {
        self.chunks.iter().flatten()
    }
}

impl std::ops::Index<usize> for Schemas {
    type Output = Schema;
    fn index(&self, id: usize) -> &Schema {
        &self.chunks[id / CHUNK][id % CHUNK]
    }
}

impl std::ops::IndexMut<usize> for Schemas {
    fn index_mut(&mut self, id: usize) -> &mut Schema {
        &mut self.chunks[id / CHUNK][id % CHUNK]
    }
}

impl From<Vec<Schema>> for Schemas {
    fn from(all: Vec<Schema>) -> Self {
        let mut schemas = Schemas::default();
        for s in all {
            schemas.push(s);
        }
        schemas
    }
}

impl Api {
    /// The schema with this id.
    pub fn schema(&self, id: SchemaId) -> &Schema {
        &self.schemas[id as usize]
    }
}

/// Identity of an operation across versions: uppercase method + path with
/// parameter names erased (`/pets/{}`), so renaming a path parameter is not a new endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OpKey {
    /// "GET", "POST", …
    pub method: String,
    /// Path with every `{name}` replaced by `{}` (for webhooks: the webhook name).
    pub path: String,
}

/// One operation (method + path).
#[derive(Debug, Clone)]
pub struct Operation {
    /// "GET", "POST", …
    pub method: String,
    /// Path as written in this document, e.g. "/v1/charges/{charge}".
    pub path: String,
    /// JSON pointer of the operation object, e.g. "/paths/~1v1~1charges/get".
    pub pointer: String,
    /// `operationId`.
    pub operation_id: Option<String>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// `x-sunset` (RFC 3339 date or date-time), as written.
    pub sunset: Option<String>,
    /// `x-stability-level` (draft / alpha / beta / stable), as written.
    pub stability: Option<String>,
    /// Parameters after merging path-level ones (operation-level wins) and
    /// resolving `$ref`s; 2.0 body/formData parameters are in `request_body` instead.
    pub parameters: Vec<Parameter>,
    /// Request body (2.0: from body / formData parameters and `consumes`).
    pub request_body: Option<RequestBody>,
    /// Responses by status code as written ("200", "4XX", "default").
    pub responses: IndexMap<String, Response>,
    /// Effective security: the operation's own, else the document's.
    pub security: Option<Vec<SecurityRequirement>>,
    /// True when the operation declares its own `security` (false: inherited from the document).
    pub security_explicit: bool,
    /// Operation-level `x-*` extensions.
    pub extensions: Map<String, Value>,
}

impl Operation {
    /// "GET /v1/charges" — the `operation` field of a change.
    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// Where a parameter lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParamIn {
    /// Path segment.
    Path,
    /// Query string.
    Query,
    /// Request header.
    Header,
    /// Cookie.
    Cookie,
}

impl ParamIn {
    /// "path" / "query" / "header" / "cookie".
    pub fn as_str(self) -> &'static str {
        match self {
            ParamIn::Path => "path",
            ParamIn::Query => "query",
            ParamIn::Header => "header",
            ParamIn::Cookie => "cookie",
        }
    }
}

/// One (non-body) parameter.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// Name as written.
    pub name: String,
    /// Matching key within (location): header names lowercased; path parameters
    /// by position ("{0}", "{1}", …) so renames match; otherwise the name.
    pub key: String,
    /// Location.
    pub location: ParamIn,
    /// `required` (always true for path parameters).
    pub required: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// `allowEmptyValue`.
    pub allow_empty_value: bool,
    /// `allowReserved`.
    pub allow_reserved: bool,
    /// `style` as written (None = default for the location).
    pub style: Option<String>,
    /// `explode` as written.
    pub explode: Option<bool>,
    /// The parameter's schema (3.x `schema`, or the first `content` entry's schema;
    /// 2.0: built from type/format/items/enum/… on the parameter).
    pub schema: Option<SchemaId>,
    /// JSON pointer of the parameter object.
    pub pointer: String,
    /// Declared on the path item (shared by all its operations) rather than the operation.
    pub path_level: bool,
    /// `x-*` extensions.
    pub extensions: Map<String, Value>,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// `required`.
    pub required: bool,
    /// Media types, e.g. "application/json".
    pub content: IndexMap<String, MediaType>,
    /// JSON pointer of the request body object.
    pub pointer: String,
}

/// One media type entry.
#[derive(Debug, Clone)]
pub struct MediaType {
    /// Its schema.
    pub schema: Option<SchemaId>,
    /// JSON pointer of the media type object.
    pub pointer: String,
}

/// One response.
#[derive(Debug, Clone)]
pub struct Response {
    /// Headers keyed by lowercased name.
    pub headers: IndexMap<String, Header>,
    /// Media types (2.0: from `produces` + `schema`).
    pub content: IndexMap<String, MediaType>,
    /// JSON pointer of the response object.
    pub pointer: String,
}

/// A response header.
#[derive(Debug, Clone)]
pub struct Header {
    /// Name as written.
    pub name: String,
    /// `required`.
    pub required: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// Its schema.
    pub schema: Option<SchemaId>,
    /// JSON pointer of the header object.
    pub pointer: String,
}

/// A security scheme.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// "apiKey", "http", "oauth2", "openIdConnect", "mutualTLS" (2.0 "basic" → "http" + scheme "basic").
    pub kind: String,
    /// HTTP scheme ("basic", "bearer").
    pub scheme: Option<String>,
    /// apiKey location.
    pub location: Option<String>,
    /// apiKey name.
    pub name: Option<String>,
    /// OAuth2 flows by flow name ("authorizationCode", …): their scopes and URLs.
    pub flows: IndexMap<String, OAuthFlow>,
    /// openIdConnect URL.
    pub open_id_connect_url: Option<String>,
    /// JSON pointer.
    pub pointer: String,
}

/// One OAuth2 flow.
#[derive(Debug, Clone, Default)]
pub struct OAuthFlow {
    /// `authorizationUrl`.
    pub authorization_url: Option<String>,
    /// `tokenUrl`.
    pub token_url: Option<String>,
    /// `refreshUrl`.
    pub refresh_url: Option<String>,
    /// Scope names.
    pub scopes: Vec<String>,
    /// Each scope's description, in the order of `scopes`.
    pub scope_descriptions: Vec<String>,
}

/// One alternative of a `security` list: scheme name → required scopes.
pub type SecurityRequirement = IndexMap<String, Vec<String>>;

/// A numeric bound: `minimum`/`maximum` with exclusivity folded in
/// (3.0 boolean `exclusiveMinimum` and 3.1 numeric `exclusiveMinimum` both map here).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// The limit.
    pub value: f64,
    /// True when the limit itself is excluded.
    pub exclusive: bool,
}

/// `additionalProperties`, `unevaluatedProperties`, `unevaluatedItems`: a boolean or a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoolOrSchema {
    /// `true` / `false`.
    Bool(bool),
    /// A schema.
    Schema(SchemaId),
}

/// `discriminator`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discriminator {
    /// `propertyName`.
    pub property_name: String,
    /// `mapping`: value → schema reference as written.
    pub mapping: IndexMap<String, String>,
}

/// A normalized JSON Schema node. Absent keywords are `None` / empty.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// JSON pointer where this schema is defined (a component's own pointer for `$ref`ed ones).
    pub pointer: String,
    /// Component name if this node is a component schema (reached via `$ref`).
    pub ref_name: Option<String>,
    /// Allowed types, sorted, without "null" ("integer", "number", "string", "boolean", "array", "object"); empty = any.
    pub types: Vec<String>,
    /// Null allowed (3.0 `nullable`, 3.1 `"null"` in `type`, `oneOf/anyOf: [{type: null}, T]`, 2.0 `x-nullable`).
    pub nullable: bool,
    /// `format`.
    pub format: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `enum` values (without a `null` entry that only expresses nullability).
    pub enum_values: Option<Vec<Value>>,
    /// `default`.
    pub default: Option<Value>,
    /// `minimum` / `exclusiveMinimum`.
    pub minimum: Option<Bound>,
    /// `maximum` / `exclusiveMaximum`.
    pub maximum: Option<Bound>,
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `properties`.
    pub properties: NameMap<SchemaId>,
    /// `required`.
    pub required: Vec<String>,
    /// `additionalProperties` (None = not specified, i.e. allowed).
    pub additional_properties: Option<BoolOrSchema>,
    /// `items` (3.1: `items` after `prefixItems`; 2.0/3.0: `items`).
    pub items: Option<SchemaId>,
    /// `allOf`.
    pub all_of: Vec<SchemaId>,
    /// `anyOf` (after removing a `{type: null}` branch that only expresses nullability).
    pub any_of: Vec<SchemaId>,
    /// `oneOf` (same).
    pub one_of: Vec<SchemaId>,
    /// `readOnly`.
    pub read_only: bool,
    /// `writeOnly`.
    pub write_only: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// Keywords most schemas lack (JSON Schema 2020-12, `const`, `discriminator`), boxed
    /// so the common node stays small; `None` when none is present. Read via [`Schema::ext`].
    pub ext: Option<Box<SchemaExt>>,
}

/// The rarely present keywords of a [`Schema`].
#[derive(Debug, Clone, Default)]
pub struct SchemaExt {
    /// `const`.
    pub const_value: Option<Value>,
    /// `prefixItems` (3.1).
    pub prefix_items: Vec<SchemaId>,
    /// `contains`.
    pub contains: Option<SchemaId>,
    /// `minContains`.
    pub min_contains: Option<u64>,
    /// `maxContains`.
    pub max_contains: Option<u64>,
    /// `patternProperties`.
    pub pattern_properties: NameMap<SchemaId>,
    /// `propertyNames`.
    pub property_names: Option<SchemaId>,
    /// `dependentRequired`.
    pub dependent_required: NameMap<Vec<String>>,
    /// `dependentSchemas`.
    pub dependent_schemas: NameMap<SchemaId>,
    /// `if`.
    pub if_schema: Option<SchemaId>,
    /// `then`.
    pub then_schema: Option<SchemaId>,
    /// `else`.
    pub else_schema: Option<SchemaId>,
    /// `unevaluatedItems`.
    pub unevaluated_items: Option<BoolOrSchema>,
    /// `unevaluatedProperties`.
    pub unevaluated_properties: Option<BoolOrSchema>,
    /// `contentMediaType`.
    pub content_media_type: Option<String>,
    /// `contentEncoding`.
    pub content_encoding: Option<String>,
    /// `contentSchema`.
    pub content_schema: Option<SchemaId>,
    /// `discriminator`.
    pub discriminator: Option<Discriminator>,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
    /// `not`.
    pub not: Option<SchemaId>,
    /// The `x-*` extensions schema rules read ([`SCHEMA_EXTENSIONS`]). Others (Stripe's
    /// `x-expandableFields`, …) no rule reports on, so they are not kept: copying them
    /// cost time, and comparing them made schemas "differ" with nothing to say.
    pub extensions: Map<String, Value>,
}

/// The `SchemaExt` of a schema that has none of its keywords.
static NO_EXT: std::sync::LazyLock<SchemaExt> = std::sync::LazyLock::new(SchemaExt::default);

impl SchemaExt {
    /// True when none of these keywords is present (`x-*` extensions, annotations, do
    /// not count).
    pub fn is_empty(&self) -> bool {
        self.const_value.is_none()
            && self.multiple_of.is_none()
            && self.pattern.is_none()
            && self.min_items.is_none()
            && self.max_items.is_none()
            && !self.unique_items
            && self.min_properties.is_none()
            && self.max_properties.is_none()
            && self.not.is_none()
            && self.prefix_items.is_empty()
            && self.contains.is_none()
            && self.min_contains.is_none()
            && self.max_contains.is_none()
            && self.pattern_properties.is_empty()
            && self.property_names.is_none()
            && self.dependent_required.is_empty()
            && self.dependent_schemas.is_empty()
            && self.if_schema.is_none()
            && self.then_schema.is_none()
            && self.else_schema.is_none()
            && self.unevaluated_items.is_none()
            && self.unevaluated_properties.is_none()
            && self.content_media_type.is_none()
            && self.content_encoding.is_none()
            && self.content_schema.is_none()
            && self.discriminator.is_none()
    }

    /// `Some(Box::new(self))`, for [`Schema::ext`].
    pub fn boxed(self) -> Option<Box<SchemaExt>> {
        Some(Box::new(self))
    }
}

impl Schema {
    /// The rarely present keywords (all empty when the schema has none).
    pub fn ext(&self) -> &SchemaExt {
        self.ext.as_deref().unwrap_or(&NO_EXT)
    }

    /// True when no keyword but `allOf` / `anyOf` / `oneOf` (and `nullable`) constrains
    /// an instance; annotations (title, `default`, deprecation, extensions) do not count.
    pub fn constrains_only_by_composition(&self) -> bool {
        self.types.is_empty()
            && self.format.is_none()
            && self.enum_values.is_none()
            && self.minimum.is_none()
            && self.maximum.is_none()
            && self.min_length.is_none()
            && self.max_length.is_none()
            && self.properties.is_empty()
            && self.required.is_empty()
            && self.additional_properties.is_none()
            && self.items.is_none()
            && !self.read_only
            && !self.write_only
            && self.ext().is_empty()
    }

    /// The only branch of a schema whose composition is one branch under any keyword:
    /// `allOf: [X]`, `anyOf: [X]` and `oneOf: [X]` all mean "must match X" (3.0's
    /// `nullable` + `allOf: [$ref]` and 3.1's `oneOf: [$ref, {type: null}]` are one form).
    pub fn single_branch(&self) -> Option<SchemaId> {
        match (
            self.all_of.as_slice(),
            self.any_of.as_slice(),
            self.one_of.as_slice(),
        ) {
            ([x], [], []) | ([], [x], []) | ([], [], [x]) => Some(*x),
            _ => None,
        }
    }

    /// The rarely present keywords, for filling in.
    pub fn ext_mut(&mut self) -> &mut SchemaExt {
        self.ext.get_or_insert_with(Box::default)
    }
}
