//! Test support for the composition / access / 2020-12 / property-deprecation
//! families: small `Api`s built by hand, walked by the real schema core.

use indexmap::IndexMap;
use serde_json::Map;

use crate::diff::change::{Change, Level};
use crate::diff::context::{DiffCtx, Direction};
use crate::diff::schema::{SchemaSite, SiteKind, compare};
use crate::spec::model::{Api, Flavor, Schema, SchemaId};

/// A schema arena under construction.
#[derive(Default)]
pub struct Doc {
    /// The arena so far; tests edit entries in place.
    pub schemas: Vec<Schema>,
}

impl Doc {
    /// Adds `s`, giving it the pointer `/s/<id>`, and returns its id.
    pub fn add(&mut self, mut s: Schema) -> SchemaId {
        let id = self.schemas.len() as SchemaId;
        s.pointer = format!("/s/{id}");
        self.schemas.push(s);
        id
    }

    /// The finished document.
    pub fn api(self) -> Api {
        Api {
            flavor: Flavor::OpenApi31,
            spec_version: "3.1.0".into(),
            title: None,
            api_version: None,
            servers: Vec::new(),
            operations: IndexMap::new(),
            webhooks: IndexMap::new(),
            security_schemes: IndexMap::new(),
            security: None,
            tags: Vec::new(),
            components: IndexMap::new(),
            other_components: Vec::new(),
            extensions: Map::new(),
            schemas: self.schemas.into(),
        }
    }
}

/// A schema of one type.
pub fn ty(t: &str) -> Schema {
    Schema {
        types: vec![t.to_string()],
        ..Schema::default()
    }
}

/// An object schema with these properties and required names.
pub fn object(props: &[(&str, SchemaId)], required: &[&str]) -> Schema {
    Schema {
        types: vec!["object".into()],
        properties: props.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        required: required.iter().map(|s| s.to_string()).collect(),
        ..Schema::default()
    }
}

/// A component schema (as if reached through `$ref`).
pub fn named(name: &str, s: Schema) -> Schema {
    Schema {
        ref_name: Some(name.into()),
        ..s
    }
}

/// The request body site of `POST /items`.
pub fn request() -> SiteKind {
    SiteKind::RequestBody {
        media: "application/json".into(),
    }
}

/// The 200 response body site of `POST /items`.
pub fn response() -> SiteKind {
    SiteKind::ResponseBody {
        status: "200".into(),
        media: "application/json".into(),
    }
}

/// Walks (`b` in `base`, `r` in `rev`) at `kind` and returns the changes.
pub fn changes(base: &Api, b: SchemaId, rev: &Api, r: SchemaId, kind: SiteKind) -> Vec<Change> {
    let direction = match kind {
        SiteKind::ResponseBody { .. } | SiteKind::ResponseHeader { .. } => Direction::Response,
        _ => Direction::Request,
    };
    let site = SchemaSite {
        operation: "POST /items",
        direction,
        kind,
        base_pointer: "/base",
        rev_pointer: "/rev",
    };
    let mut cx = DiffCtx::new(base, rev);
    compare(&mut cx, &site, b, r);
    cx.into_changes()
}

/// The sorted ids of [`changes`].
pub fn ids(base: &Api, b: SchemaId, rev: &Api, r: SchemaId, kind: SiteKind) -> Vec<String> {
    let mut out: Vec<String> = changes(base, b, rev, r, kind)
        .into_iter()
        .map(|c| c.id)
        .collect();
    out.sort();
    out
}

/// The level of the only change, panicking (test failure) when there is not exactly one.
pub fn only_level(changes: &[Change]) -> Level {
    assert_eq!(changes.len(), 1, "expected one change, got {changes:?}");
    changes[0].level
}
