//! Normalization: Swagger 2.0, OpenAPI 3.0 and 3.1 documents into one `Api` model.
//!
//! 2.0 body/formData parameters become request bodies, `produces`/`consumes` media
//! types, host/basePath/schemes servers; path-level parameters are merged into each
//! operation; every `$ref` is resolved (see `refs`), schemas go into an arena (see `schema`).

pub mod refs;
pub mod schema;
#[cfg(test)]
mod tests;

use indexmap::IndexMap;

use crate::spec::dom::{Node, Obj};
use crate::spec::load::{LoadError, LoadOptions, detect};
use crate::spec::model::{
    Api, Flavor, Header, MediaType, OAuthFlow, OpKey, Operation, ParamIn, Parameter, RequestBody,
    Response, Schema, SecurityRequirement, SecurityScheme,
};
use refs::{DocId, Docs, MAX_REF_HOPS, escape};
use schema::{SchemaBuilder, join};

/// Why a document could not be normalized.
#[derive(Debug, thiserror::Error)]
pub enum NormalizeError {
    /// A `$ref` whose target does not exist.
    #[error("unresolvable $ref '{reference}' at {at}: {reason}")]
    UnresolvableRef {
        /// The reference as written.
        reference: String,
        /// Where it appears (JSON pointer, `file#pointer` for referenced files).
        at: String,
        /// Why it failed.
        reason: String,
    },
    /// `$ref`s that only point at each other, with no actual object in between.
    #[error("cyclic $ref chain '{reference}' at {at}: {chain} never reaches a definition")]
    CyclicRef {
        /// The reference that closed the loop.
        reference: String,
        /// Where the chain starts.
        at: String,
        /// The chain of locations.
        chain: String,
    },
    /// A reference specwatch will not follow (remote URL, outside the spec's directory …).
    #[error("$ref '{reference}' at {at} refused: {reason}")]
    RefusedRef {
        /// The reference as written.
        reference: String,
        /// Where it appears.
        at: String,
        /// Why it is refused.
        reason: String,
    },
    /// A referenced file failed to load.
    #[error("referenced file: {0}")]
    External(#[from] LoadError),
}

/// The HTTP methods an OpenAPI path item may hold.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Normalizes a parsed document (see `spec::dom`) into the `Api` model.
pub fn normalize(doc: &Node<'_>, opts: &LoadOptions) -> Result<Api, NormalizeError> {
    let (flavor, spec_version) = detect(doc)?;
    let arena = crate::spec::dom::Arena::new();
    let docs = Docs::load(doc, &arena, opts)?;
    let mut n = Normalizer {
        docs: &docs,
        flavor,
        schemas: SchemaBuilder::new(&docs),
    };
    n.run(spec_version)
}

/// A resolved parameter: (document, pointer, `in`, `name`, the parameter object).
type RawParam<'d> = (DocId, String, String, String, &'d Obj<'d>);

struct Normalizer<'d, 'a> {
    docs: &'d Docs<'a>,
    flavor: Flavor,
    schemas: SchemaBuilder<'d, 'a>,
}

/// The object at `key` of `m`, if it is one.
fn obj<'v>(m: &'v Obj<'v>, key: &str) -> Option<&'v Obj<'v>> {
    m.get(key).and_then(Node::as_object)
}

fn string(m: &Obj<'_>, key: &str) -> Option<String> {
    m.get(key).and_then(Node::as_str).map(str::to_string)
}

fn strings(m: &Obj<'_>, key: &str) -> Vec<String> {
    m.get(key)
        .and_then(Node::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Node::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn extensions(m: &Obj<'_>) -> serde_json::Map<String, serde_json::Value> {
    m.iter()
        .filter(|(k, _)| k.starts_with("x-"))
        .map(|(k, v)| (k.to_string(), v.to_value()))
        .collect()
}

/// `/pets/{petId}` → `/pets/{}`.
pub fn normalize_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                if depth == 0 {
                    out.push('{');
                }
                depth += 1;
            }
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push('}');
                }
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

/// Names of the `{…}` templates in `path`, in order.
fn path_param_names(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                out.push(&after[..end]);
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out
}

fn param_in(s: &str) -> Option<ParamIn> {
    match s {
        "path" => Some(ParamIn::Path),
        "query" => Some(ParamIn::Query),
        "header" => Some(ParamIn::Header),
        "cookie" => Some(ParamIn::Cookie),
        _ => None,
    }
}

/// Status codes as keys: `2xx` → `2XX`.
fn status_key(s: &str) -> String {
    if s.len() == 3 && s.ends_with("xx") {
        s.to_ascii_uppercase()
    } else {
        s.to_string()
    }
}

/// A 2.0 body or formData parameter collected for the request body.
struct LegacyBodyParam {
    pointer: String,
    doc: DocId,
    name: String,
    required: bool,
    is_form: bool,
}

impl<'d, 'a> Normalizer<'d, 'a> {
    fn root(&self) -> &'d Obj<'d> {
        // `detect` already checked the root is an object.
        self.docs.get(0).as_object().expect("root is an object")
    }

    /// Follows a `$ref` chain for a non-schema object (parameter, response, …).
    fn deref(
        &self,
        doc: DocId,
        ptr: String,
    ) -> Result<(DocId, String, &'d Obj<'d>), NormalizeError> {
        let (mut d, mut p) = (doc, ptr);
        let mut chain: Vec<(DocId, String)> = Vec::new();
        loop {
            let v = self
                .docs
                .lookup(d, &p)
                .ok_or_else(|| NormalizeError::UnresolvableRef {
                    reference: self.docs.display(d, &p),
                    at: chain
                        .last()
                        .map(|(cd, cp)| self.docs.display(*cd, cp))
                        .unwrap_or_default(),
                    reason: "nothing exists at that location".into(),
                })?;
            let Some(m) = v.as_object() else {
                return Err(NormalizeError::UnresolvableRef {
                    reference: self.docs.display(d, &p),
                    at: self.docs.display(d, &p),
                    reason: "expected an object here".into(),
                });
            };
            match m.reference() {
                None => return Ok((d, p, m)),
                Some(r) => {
                    let (nd, np, _) = self.docs.resolve(d, r, &p)?;
                    chain.push((d, p));
                    if chain.iter().any(|(cd, cp)| *cd == nd && *cp == np)
                        || chain.len() > MAX_REF_HOPS
                    {
                        let path: Vec<String> = chain
                            .iter()
                            .map(|(cd, cp)| self.docs.display(*cd, cp))
                            .collect();
                        return Err(NormalizeError::CyclicRef {
                            reference: r.to_string(),
                            at: path[0].clone(),
                            chain: path.join(" -> "),
                        });
                    }
                    d = nd;
                    p = np;
                }
            }
        }
    }

    fn run(&mut self, spec_version: String) -> Result<Api, NormalizeError> {
        let root = self.root();
        let info = obj(root, "info");
        let mut api = Api {
            flavor: self.flavor,
            spec_version,
            title: info.and_then(|i| string(i, "title")),
            api_version: info.and_then(|i| match i.get("version") {
                Some(Node::String(s)) => Some(s.to_string()),
                Some(Node::Number(n)) => Some(n.to_string()),
                _ => None,
            }),
            servers: self.servers(),
            operations: IndexMap::new(),
            webhooks: IndexMap::new(),
            security_schemes: self.security_schemes(),
            security: self.security(root),
            tags: root
                .get("tags")
                .and_then(Node::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|t| t.get("name").and_then(Node::as_str))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            components: IndexMap::new(),
            other_components: Vec::new(),
            extensions: extensions(root),
            schemas: Default::default(),
        };

        // Component schemas first, so their ids are small and stable.
        let (section, prefix) = if self.flavor == Flavor::Swagger2 {
            (obj(root, "definitions"), "/definitions")
        } else {
            (
                obj(root, "components").and_then(|c| obj(c, "schemas")),
                "/components/schemas",
            )
        };
        if let Some(defs) = section {
            for name in defs.keys() {
                let id = self
                    .schemas
                    .schema_at(0, format!("{prefix}/{}", escape(name)))?;
                api.components.insert(name.to_string(), id);
            }
        }
        api.other_components = self.other_components();

        if let Some(paths) = obj(root, "paths") {
            for (path, item) in paths {
                if !item.is_object() {
                    continue;
                }
                let ptr = format!("/paths/{}", escape(path));
                for op in self.path_item(path, ptr, &api.security, false)? {
                    let key = OpKey {
                        method: op.method.clone(),
                        path: normalize_path(path),
                    };
                    api.operations.entry(key).or_insert(op);
                }
            }
        }
        if let Some(hooks) = obj(root, "webhooks") {
            for (name, item) in hooks {
                if !item.is_object() {
                    continue;
                }
                let ptr = format!("/webhooks/{}", escape(name));
                for op in self.path_item(name, ptr, &api.security, true)? {
                    let key = OpKey {
                        method: op.method.clone(),
                        path: name.to_string(),
                    };
                    api.webhooks.entry(key).or_insert(op);
                }
            }
        }
        self.schemas.drain()?;
        api.schemas = std::mem::take(&mut self.schemas.schemas);
        Ok(api)
    }

    fn servers(&self) -> Vec<String> {
        let root = self.root();
        if self.flavor == Flavor::Swagger2 {
            let host = string(root, "host");
            let base = string(root, "basePath").unwrap_or_default();
            let schemes = strings(root, "schemes");
            match host {
                None if base.is_empty() => Vec::new(),
                None => vec![base],
                Some(h) if schemes.is_empty() => vec![format!("https://{h}{base}")],
                Some(h) => schemes.iter().map(|s| format!("{s}://{h}{base}")).collect(),
            }
        } else {
            root.get("servers")
                .and_then(Node::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.get("url").and_then(Node::as_str))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        }
    }

    fn other_components(&self) -> Vec<String> {
        let root = self.root();
        let mut out = Vec::new();
        if self.flavor == Flavor::Swagger2 {
            for section in ["parameters", "responses", "securityDefinitions"] {
                if let Some(m) = obj(root, section) {
                    out.extend(m.keys().map(|k| format!("{section}/{k}")));
                }
            }
        } else if let Some(c) = obj(root, "components") {
            for (section, v) in c {
                if section == "schemas" {
                    continue;
                }
                if let Some(m) = v.as_object() {
                    out.extend(m.keys().map(|k| format!("{section}/{k}")));
                }
            }
        }
        out
    }

    fn security(&self, m: &Obj<'_>) -> Option<Vec<SecurityRequirement>> {
        let list = m.get("security")?.as_array()?;
        Some(
            list.iter()
                .filter_map(Node::as_object)
                .map(|req| {
                    req.iter()
                        .map(|(name, scopes)| {
                            let scopes = scopes
                                .as_array()
                                .map(|a| {
                                    a.iter()
                                        .filter_map(Node::as_str)
                                        .map(str::to_string)
                                        .collect()
                                })
                                .unwrap_or_default();
                            (name.to_string(), scopes)
                        })
                        .collect()
                })
                .collect(),
        )
    }

    fn security_schemes(&self) -> IndexMap<String, SecurityScheme> {
        let root = self.root();
        let (section, prefix) = if self.flavor == Flavor::Swagger2 {
            (
                obj(root, "securityDefinitions"),
                "/securityDefinitions".to_string(),
            )
        } else {
            (
                obj(root, "components").and_then(|c| obj(c, "securitySchemes")),
                "/components/securitySchemes".to_string(),
            )
        };
        let mut out = IndexMap::new();
        let Some(section) = section else { return out };
        for name in section.keys() {
            let pointer = format!("{prefix}/{}", escape(name));
            // A `$ref` to a scheme elsewhere: follow it; a broken one is just skipped here
            // (security requirements naming it still compare by name).
            let Ok((_, _, m)) = self.deref(0, pointer.clone()) else {
                continue;
            };
            let mut kind = string(m, "type").unwrap_or_default();
            let mut scheme = string(m, "scheme").map(|s| s.to_ascii_lowercase());
            if kind == "basic" {
                kind = "http".into();
                scheme = Some("basic".into());
            }
            let mut flows = IndexMap::new();
            if let Some(f) = obj(m, "flows") {
                for (flow_name, flow) in f {
                    if let Some(fm) = flow.as_object() {
                        flows.insert(flow_name.to_string(), oauth_flow(fm));
                    }
                }
            } else if let Some(flow) = string(m, "flow") {
                // 2.0 flow names → 3.x names.
                let name = match flow.as_str() {
                    "application" => "clientCredentials",
                    "accessCode" => "authorizationCode",
                    other => other,
                };
                flows.insert(name.to_string(), oauth_flow(m));
            }
            out.insert(
                name.to_string(),
                SecurityScheme {
                    kind,
                    scheme,
                    location: string(m, "in"),
                    name: string(m, "name"),
                    flows,
                    open_id_connect_url: string(m, "openIdConnectUrl"),
                    pointer,
                },
            );
        }
        out
    }

    /// The operations of one path item (or webhook).
    fn path_item(
        &mut self,
        path: &str,
        ptr: String,
        doc_security: &Option<Vec<SecurityRequirement>>,
        webhook: bool,
    ) -> Result<Vec<Operation>, NormalizeError> {
        let (doc, item_ptr, item) = self.deref(0, ptr.clone())?;
        let path_params = self.raw_params(doc, &item_ptr, item)?;
        let mut ops = Vec::new();
        for method in METHODS {
            let Some(Node::Object(op)) = item.get(method) else {
                continue;
            };
            let op_ptr = format!("{item_ptr}/{method}");
            let op_display = self.docs.display(doc, &op_ptr);
            let mut params = self.raw_params(doc, &op_ptr, op)?;
            // Path-level parameters apply unless the operation redefines name + location.
            let own = params.len();
            for p in &path_params {
                if !params.iter().any(|q| {
                    q.2 == p.2
                        && (q.3 == p.3 || (p.2 == "header" && q.3.eq_ignore_ascii_case(&p.3)))
                }) {
                    params.push(p.clone());
                }
            }
            let template = if webhook {
                Vec::new()
            } else {
                path_param_names(path)
            };
            let mut parameters = Vec::new();
            let mut legacy = Vec::new();
            for (i, (pdoc, pptr, location, name, m)) in params.into_iter().enumerate() {
                if self.flavor == Flavor::Swagger2 && (location == "body" || location == "formData")
                {
                    legacy.push(LegacyBodyParam {
                        pointer: pptr,
                        doc: pdoc,
                        name,
                        required: m.get("required").is_some_and(Node::is_true),
                        is_form: location == "formData",
                    });
                    continue;
                }
                let Some(loc) = param_in(&location) else {
                    continue;
                };
                let mut param = self.parameter(pdoc, &pptr, m, loc, name, &template)?;
                param.path_level = i >= own;
                parameters.push(param);
            }
            let request_body = if self.flavor == Flavor::Swagger2 {
                self.legacy_body(op, &op_display, legacy)?
            } else {
                match op.get("requestBody") {
                    Some(Node::Object(_)) => {
                        Some(self.request_body(doc, format!("{op_ptr}/requestBody"))?)
                    }
                    _ => None,
                }
            };
            let mut responses = IndexMap::new();
            if let Some(rs) = obj(op, "responses") {
                for (code, r) in rs {
                    if !r.is_object() {
                        continue;
                    }
                    let rptr = format!("{op_ptr}/responses/{}", escape(code));
                    responses.insert(status_key(code), self.response(doc, rptr, op)?);
                }
            }
            let security = if op.contains_key("security") {
                self.security(op)
            } else {
                doc_security.clone()
            };
            ops.push(Operation {
                method: method.to_ascii_uppercase(),
                path: path.to_string(),
                pointer: op_display,
                operation_id: string(op, "operationId"),
                summary: string(op, "summary"),
                description: string(op, "description"),
                tags: strings(op, "tags"),
                deprecated: op.get("deprecated").is_some_and(Node::is_true),
                sunset: op.get("x-sunset").and_then(|v| match v {
                    Node::String(s) => Some(s.to_string()),
                    _ => None,
                }),
                stability: string(op, "x-stability-level"),
                parameters,
                request_body,
                responses,
                security,
                security_explicit: op.contains_key("security"),
                extensions: extensions(op),
            });
        }
        Ok(ops)
    }

    /// The `parameters` list of a path item or operation, each resolved.
    fn raw_params(
        &self,
        doc: DocId,
        ptr: &str,
        m: &Obj<'_>,
    ) -> Result<Vec<RawParam<'d>>, NormalizeError> {
        let mut out = Vec::new();
        if let Some(Node::Array(list)) = m.get("parameters") {
            for i in 0..list.len() {
                let (pd, pp, pm) = self.deref(doc, format!("{ptr}/parameters/{i}"))?;
                let (Some(loc), Some(name)) = (string(pm, "in"), string(pm, "name")) else {
                    continue;
                };
                out.push((pd, pp, loc, name, pm));
            }
        }
        Ok(out)
    }

    fn parameter(
        &mut self,
        doc: DocId,
        ptr: &str,
        m: &'d Obj<'d>,
        location: ParamIn,
        name: String,
        template: &[&str],
    ) -> Result<Parameter, NormalizeError> {
        let key = match location {
            ParamIn::Header => name.to_ascii_lowercase(),
            ParamIn::Path => match template.iter().position(|t| *t == name) {
                Some(i) => format!("{{{i}}}"),
                None => name.clone(),
            },
            _ => name.clone(),
        };
        let schema = if self.flavor == Flavor::Swagger2 {
            // 2.0: type/format/items/enum/min… sit on the parameter itself.
            Some(self.schemas.schema_at(doc, ptr.to_string())?)
        } else if let Some(s) = m.get("schema").filter(|s| s.is_object() || s.is_boolean()) {
            Some(self.schemas.schema_for(doc, s, || join(ptr, &["schema"]))?)
        } else if let Some((media, mt)) = obj(m, "content").and_then(|c| c.iter().next()) {
            match mt.as_object().and_then(|mt| mt.get("schema")) {
                Some(s) => Some(
                    self.schemas
                        .schema_for(doc, s, || join(ptr, &["content", &escape(media), "schema"]))?,
                ),
                None => None,
            }
        } else {
            None
        };
        let (style, explode) = if self.flavor == Flavor::Swagger2 {
            legacy_style(m, location)
        } else {
            (string(m, "style"), m.get("explode").and_then(Node::as_bool))
        };
        Ok(Parameter {
            key,
            location,
            required: location == ParamIn::Path || m.get("required").is_some_and(Node::is_true),
            deprecated: m.get("deprecated").is_some_and(Node::is_true),
            allow_empty_value: m.get("allowEmptyValue").is_some_and(Node::is_true),
            allow_reserved: m.get("allowReserved").is_some_and(Node::is_true),
            style,
            explode,
            schema,
            pointer: self.docs.display(doc, ptr),
            path_level: false,
            extensions: extensions(m),
            name,
        })
    }

    fn media_types(
        &mut self,
        doc: DocId,
        ptr: &str,
        m: &'d Obj<'d>,
    ) -> Result<IndexMap<String, MediaType>, NormalizeError> {
        let mut out = IndexMap::new();
        if let Some(content) = obj(m, "content") {
            for (media, mt) in content {
                let mptr = join(ptr, &["content", &escape(media)]);
                let schema = match mt.get("schema") {
                    Some(s) if s.is_object() || s.is_boolean() => Some(self.schemas.schema_for(
                        doc,
                        s,
                        || join(&mptr, &["schema"]),
                    )?),
                    _ => None,
                };
                out.insert(
                    media.to_string(),
                    MediaType {
                        schema,
                        pointer: self.docs.display(doc, &mptr),
                    },
                );
            }
        }
        Ok(out)
    }

    fn request_body(&mut self, doc: DocId, ptr: String) -> Result<RequestBody, NormalizeError> {
        let (d, p, m) = self.deref(doc, ptr)?;
        Ok(RequestBody {
            required: m.get("required").is_some_and(Node::is_true),
            content: self.media_types(d, &p, m)?,
            pointer: self.docs.display(d, &p),
        })
    }

    /// Media types of a 2.0 operation: its own `key` list, else the document's, else JSON.
    fn legacy_media(&self, op: &Obj<'_>, key: &str) -> Vec<String> {
        let own = strings(op, key);
        if op.contains_key(key) {
            return own;
        }
        let global = strings(self.root(), key);
        if global.is_empty() {
            vec!["application/json".to_string()]
        } else {
            global
        }
    }

    /// 2.0: the `body` parameter, or the `formData` parameters as one object schema.
    fn legacy_body(
        &mut self,
        op: &Obj<'_>,
        op_ptr: &str,
        params: Vec<LegacyBodyParam>,
    ) -> Result<Option<RequestBody>, NormalizeError> {
        if let Some(body) = params.iter().find(|p| !p.is_form) {
            let schema = match self
                .docs
                .lookup(body.doc, &format!("{}/schema", body.pointer))
            {
                Some(_) => Some(
                    self.schemas
                        .schema_at(body.doc, format!("{}/schema", body.pointer))?,
                ),
                None => None,
            };
            let pointer = self.docs.display(body.doc, &body.pointer);
            let content = self
                .legacy_media(op, "consumes")
                .into_iter()
                .map(|media| {
                    (
                        media,
                        MediaType {
                            schema,
                            pointer: pointer.clone(),
                        },
                    )
                })
                .collect();
            return Ok(Some(RequestBody {
                required: body.required,
                content,
                pointer,
            }));
        }
        let form: Vec<&LegacyBodyParam> = params.iter().filter(|p| p.is_form).collect();
        if form.is_empty() {
            return Ok(None);
        }
        let mut object = Schema {
            pointer: format!("{op_ptr}/parameters"),
            types: vec!["object".to_string()],
            ..Schema::default()
        };
        for p in &form {
            let id = self.schemas.schema_at(p.doc, p.pointer.clone())?;
            object.properties.insert(p.name.clone(), id);
            if p.required {
                object.required.push(p.name.clone());
            }
        }
        let required = form.iter().any(|p| p.required);
        let id = self.schemas.push(object);
        let consumes = self.legacy_media(op, "consumes");
        let mut media: Vec<String> = consumes
            .into_iter()
            .filter(|m| m == "multipart/form-data" || m == "application/x-www-form-urlencoded")
            .collect();
        if media.is_empty() {
            media.push("application/x-www-form-urlencoded".to_string());
        }
        let pointer = format!("{op_ptr}/parameters");
        Ok(Some(RequestBody {
            required,
            content: media
                .into_iter()
                .map(|m| {
                    (
                        m,
                        MediaType {
                            schema: Some(id),
                            pointer: pointer.clone(),
                        },
                    )
                })
                .collect(),
            pointer,
        }))
    }

    fn response(
        &mut self,
        doc: DocId,
        ptr: String,
        op: &Obj<'_>,
    ) -> Result<Response, NormalizeError> {
        let (d, p, m) = self.deref(doc, ptr)?;
        let pointer = self.docs.display(d, &p);
        let content = if self.flavor == Flavor::Swagger2 {
            match m.get("schema") {
                Some(s) if s.is_object() => {
                    let schema = Some(self.schemas.schema_for(d, s, || join(&p, &["schema"]))?);
                    self.legacy_media(op, "produces")
                        .into_iter()
                        .map(|media| {
                            (
                                media,
                                MediaType {
                                    schema,
                                    pointer: pointer.clone(),
                                },
                            )
                        })
                        .collect()
                }
                _ => IndexMap::new(),
            }
        } else {
            self.media_types(d, &p, m)?
        };
        let mut headers = IndexMap::new();
        if let Some(hs) = obj(m, "headers") {
            for name in hs.keys() {
                let hptr = format!("{p}/headers/{}", escape(name));
                let (hd, hp, hm) = self.deref(d, hptr)?;
                let schema = if self.flavor == Flavor::Swagger2 {
                    Some(self.schemas.schema_at(hd, hp.clone())?)
                } else if let Some(s) = hm.get("schema").filter(|s| s.is_object() || s.is_boolean())
                {
                    Some(self.schemas.schema_for(hd, s, || join(&hp, &["schema"]))?)
                } else if let Some((media, _)) = obj(hm, "content").and_then(|c| c.iter().next()) {
                    Some(
                        self.schemas
                            .schema_at(hd, format!("{hp}/content/{}/schema", escape(media)))?,
                    )
                } else {
                    None
                };
                headers.insert(
                    name.to_ascii_lowercase(),
                    Header {
                        name: name.to_string(),
                        required: hm.get("required").is_some_and(Node::is_true),
                        deprecated: hm.get("deprecated").is_some_and(Node::is_true),
                        schema,
                        pointer: self.docs.display(hd, &hp),
                    },
                );
            }
        }
        Ok(Response {
            headers,
            content,
            pointer,
        })
    }
}

fn oauth_flow(m: &Obj<'_>) -> OAuthFlow {
    OAuthFlow {
        authorization_url: string(m, "authorizationUrl"),
        token_url: string(m, "tokenUrl"),
        refresh_url: string(m, "refreshUrl"),
        scopes: obj(m, "scopes")
            .map(|s| s.keys().map(str::to_string).collect())
            .unwrap_or_default(),
        scope_descriptions: obj(m, "scopes")
            .map(|s| {
                s.iter()
                    .map(|(_, d)| d.as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// 2.0 `collectionFormat` (arrays only) as 3.x style/explode.
fn legacy_style(m: &Obj<'_>, location: ParamIn) -> (Option<String>, Option<bool>) {
    if m.get("type").and_then(Node::as_str) != Some("array") {
        return (None, None);
    }
    let simple_or_form = if matches!(location, ParamIn::Path | ParamIn::Header) {
        "simple"
    } else {
        "form"
    };
    match m
        .get("collectionFormat")
        .and_then(Node::as_str)
        .unwrap_or("csv")
    {
        "multi" => (Some("form".into()), Some(true)),
        "ssv" => (Some("spaceDelimited".into()), Some(false)),
        "pipes" => (Some("pipeDelimited".into()), Some(false)),
        "tsv" => (Some("tabDelimited".into()), Some(false)),
        _ => (Some(simple_or_form.into()), Some(false)),
    }
}
