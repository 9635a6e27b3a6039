//! What a keyword family sees while checking one (base, revision) schema pair: the
//! site, the property path, the direction, both pointers, and `emit_for`, which picks
//! the rule for the current place from a per-family table.

use serde_json::Value;

use crate::diff::context::{DiffCtx, Direction};
use crate::diff::rules::rule_def::RuleDef;
use crate::diff::schema::{SchemaSite, SiteKind};
use crate::spec::model::{Api, ParamIn, Schema, SchemaId};

/// Where in an operation a schema node sits; selects the rule id prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Where {
    /// A request parameter's own schema (`request-parameter-…`).
    RequestParameter,
    /// A property nested inside a request parameter's schema (`request-parameter-property-…`).
    RequestParameterProperty,
    /// A property nested inside a header parameter's schema (`request-header-property-…`);
    /// falls back to `RequestParameterProperty` rules when a table has no entry.
    RequestHeaderProperty,
    /// A request body's root schema (`request-body-…`).
    RequestBody,
    /// A property nested in a request body (`request-property-…`).
    RequestProperty,
    /// A response body's root schema (`response-body-…`).
    ResponseBody,
    /// A property nested in a response body (`response-property-…`).
    ResponseProperty,
    /// A response header's schema (`response-header-…`).
    ResponseHeader,
}

impl Where {
    /// The place a table entry for this place is looked up in when there is none.
    fn fallback(self) -> Option<Where> {
        match self {
            Where::RequestHeaderProperty => Some(Where::RequestParameterProperty),
            _ => None,
        }
    }

    /// True for nested places (properties, items, …) rather than a site's root.
    pub fn is_property(self) -> bool {
        matches!(
            self,
            Where::RequestParameterProperty
                | Where::RequestHeaderProperty
                | Where::RequestProperty
                | Where::ResponseProperty
        )
    }
}

/// A family's rules by place: the rule to emit for a change at each `Where`.
pub type SiteRules = [(Where, &'static RuleDef)];

/// A subschema pair for the walker to visit next.
#[derive(Debug, Clone)]
pub struct Child<'s> {
    /// The subschema in the base.
    pub base: SchemaId,
    /// The subschema in the revision.
    pub rev: SchemaId,
    /// Path segment appended to the property path (`"name"`, `"items"`); empty keeps
    /// the parent's path (e.g. for composition branches that merge into their parent).
    pub segment: std::borrow::Cow<'s, str>,
}

/// The context of one (base, revision) schema pair being checked.
pub struct SchemaCx<'c, 'a> {
    pub(crate) diff: &'c mut DiffCtx<'a>,
    /// The site this walk started from.
    pub site: &'c SchemaSite<'c>,
    /// Property path from the site's root, `/`-separated (`"data/items/name"`); empty at the root.
    pub path: &'c str,
    /// False at the site's root place: the root itself, composition branches of it, and
    /// (for parameters) the items of an array parameter, whose values are the parameter's.
    pub(crate) nested: bool,
    /// The base schema's id (in `base_api()`).
    pub base_id: SchemaId,
    /// The revision schema's id (in `rev_api()`).
    pub rev_id: SchemaId,
    /// JSON pointer of the base schema.
    pub base_pointer: &'c str,
    /// JSON pointer of the revision schema.
    pub rev_pointer: &'c str,
    /// Where this pair's emissions are also kept, to be replayed for the next operation
    /// that reaches the pair at the same place (see `walk`); None at a site's root.
    pub(crate) record: Option<&'c mut Vec<Recorded>>,
}

/// One change a family reported on a pair, without the subject (which names the site):
/// everything else depends only on the pair, its place and its property path.
#[derive(Debug)]
pub struct Recorded {
    rule: &'static RuleDef,
    place: Where,
    path: String,
    pointer: String,
    args: Vec<String>,
}

impl Recorded {
    /// Emits this change again, for `site`.
    pub fn replay(&self, diff: &mut DiffCtx, site: &SchemaSite) {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        emit_with_subject(
            diff,
            site,
            self.rule,
            self.place,
            &self.path,
            &self.pointer,
            &args,
        );
    }
}

/// Emits `rule` at `site` with `{0}` the subject built from `place` and `path`.
fn emit_with_subject(
    diff: &mut DiffCtx,
    site: &SchemaSite,
    rule: &'static RuleDef,
    place: Where,
    path: &str,
    pointer: &str,
    args: &[&str],
) {
    let subject = subject(&site.kind, place, path);
    // Rules take a handful of arguments: no allocation for the list.
    let mut few = [""; 8];
    let many: Vec<&str>;
    let all: &[&str] = if args.len() < few.len() {
        few[0] = &subject;
        few[1..=args.len()].copy_from_slice(args);
        &few[..=args.len()]
    } else {
        many = std::iter::once(subject.as_str())
            .chain(args.iter().copied())
            .collect();
        &many
    };
    diff.emit_cause(rule, Some(site.operation), pointer, all, args);
}

impl<'c, 'a> SchemaCx<'c, 'a> {
    /// Request or response.
    pub fn direction(&self) -> Direction {
        self.site.direction
    }

    /// The operation label, e.g. `"POST /v1/prices"`.
    pub fn operation(&self) -> &str {
        self.site.operation
    }

    /// The older document.
    pub fn base_api(&self) -> &'a Api {
        self.diff.base
    }

    /// The newer document.
    pub fn rev_api(&self) -> &'a Api {
        self.diff.rev
    }

    /// A schema of the base document.
    pub fn base_schema(&self, id: SchemaId) -> &'a Schema {
        self.diff.base.schema(id)
    }

    /// A schema of the revision.
    pub fn rev_schema(&self, id: SchemaId) -> &'a Schema {
        self.diff.rev.schema(id)
    }

    /// True when the base schema `base` and revision schema `rev` are structurally
    /// equal (ignoring descriptions and component names), following cycles.
    pub fn equal(&mut self, base: SchemaId, rev: SchemaId) -> bool {
        crate::diff::schema::equal::equal(self.diff, base, rev)
    }

    /// The place of the current node.
    pub fn place(&self) -> Where {
        place_of(&self.site.kind, self.nested)
    }

    /// The place of a property of the current node (always nested).
    pub fn child_place(&self) -> Where {
        place_of(&self.site.kind, true)
    }

    /// Path of the current node's property `name`.
    pub fn child_path(&self, name: &str) -> String {
        join_path(self.path, name)
    }

    /// Emits the rule for the current place from `table` at the revision pointer;
    /// `args` fill `{1}`, `{2}` … (`{0}` is the subject, e.g. "the request property 'a/b'").
    /// Returns false when the table has no rule for this place.
    pub fn emit_for(&mut self, table: &SiteRules, args: &[&str]) -> bool {
        let place = self.place();
        let pointer = self.rev_pointer;
        self.emit_at(table, place, self.path, pointer, args)
    }

    /// Like [`emit_for`](Self::emit_for) but points into the base (for removals).
    pub fn emit_removed_for(&mut self, table: &SiteRules, args: &[&str]) -> bool {
        let place = self.place();
        let pointer = self.base_pointer;
        self.emit_at(table, place, self.path, pointer, args)
    }

    /// Emits the rule for a property `name` of the current node (added, removed,
    /// became required …) at `pointer`.
    pub fn emit_for_property(
        &mut self,
        table: &SiteRules,
        name: &str,
        pointer: &str,
        args: &[&str],
    ) -> bool {
        let place = self.child_place();
        let path = self.child_path(name);
        self.emit_at(table, place, &path, pointer, args)
    }

    /// Emits the rule for `place` with the subject built from `path`.
    pub fn emit_at(
        &mut self,
        table: &SiteRules,
        place: Where,
        path: &str,
        pointer: &str,
        args: &[&str],
    ) -> bool {
        let Some(rule) = rule_for(table, place) else {
            return false;
        };
        if let Some(record) = self.record.as_deref_mut() {
            record.push(Recorded {
                rule,
                place,
                path: path.to_string(),
                pointer: pointer.to_string(),
                args: args.iter().map(|a| a.to_string()).collect(),
            });
        }
        emit_with_subject(self.diff, self.site, rule, place, path, pointer, args);
        true
    }
}

/// The rule for `place` in `table`, trying the place's fallback when it has none.
pub fn rule_for(table: &SiteRules, place: Where) -> Option<&'static RuleDef> {
    let find = |p: Where| table.iter().find(|(w, _)| *w == p).map(|(_, r)| *r);
    find(place).or_else(|| place.fallback().and_then(find))
}

/// The place of a node at a site, at its root or nested.
pub fn place_of(kind: &SiteKind, nested: bool) -> Where {
    match (kind, nested) {
        (SiteKind::Parameter { .. }, false) => Where::RequestParameter,
        (
            SiteKind::Parameter {
                location: ParamIn::Header,
                ..
            },
            true,
        ) => Where::RequestHeaderProperty,
        (SiteKind::Parameter { .. }, true) => Where::RequestParameterProperty,
        (SiteKind::RequestBody { .. }, false) => Where::RequestBody,
        (SiteKind::RequestBody { .. }, true) => Where::RequestProperty,
        (SiteKind::ResponseBody { .. }, false) => Where::ResponseBody,
        (SiteKind::ResponseBody { .. }, true) => Where::ResponseProperty,
        (SiteKind::ResponseHeader { .. }, _) => Where::ResponseHeader,
    }
}

/// The `{0}` of every schema rule's message: what changed, in words.
fn subject(kind: &SiteKind, place: Where, path: &str) -> String {
    match kind {
        SiteKind::Parameter { location, name } if place == Where::RequestParameter => {
            if path.is_empty() {
                format!("the {} request parameter '{name}'", location.as_str())
            } else {
                format!(
                    "the {path} of the {} request parameter '{name}'",
                    location.as_str()
                )
            }
        }
        SiteKind::Parameter { location, name } => format!(
            "the property '{path}' of the {} request parameter '{name}'",
            location.as_str()
        ),
        SiteKind::RequestBody { .. } if !place.is_property() => "the request body".to_string(),
        SiteKind::RequestBody { .. } => format!("the request property '{path}'"),
        SiteKind::ResponseBody { status, .. } if !place.is_property() => {
            format!("the response body for status {status}")
        }
        SiteKind::ResponseBody { status, .. } => {
            format!("the response property '{path}' for status {status}")
        }
        SiteKind::ResponseHeader { status, name } if path.is_empty() => {
            format!("the response header '{name}' for status {status}")
        }
        SiteKind::ResponseHeader { status, name } => {
            format!("the property '{path}' of the response header '{name}' for status {status}")
        }
    }
}

/// `parent/child`, or `child` at the root; an empty segment keeps `parent`.
pub fn join_path(parent: &str, segment: &str) -> String {
    match (parent.is_empty(), segment.is_empty()) {
        (_, true) => parent.to_string(),
        (true, false) => segment.to_string(),
        (false, false) => format!("{parent}/{segment}"),
    }
}

/// A JSON value for a message: strings bare, everything else as compact JSON.
pub fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A number for a message: integers without a trailing `.0`.
pub fn show_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}
