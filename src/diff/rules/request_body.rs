//! Request bodies: added, removed, required-ness, media types and their schemas
//! (handed to the schema core).

use indexmap::IndexMap;

use crate::diff::context::{DiffCtx, Direction};
use crate::diff::engine::OpPair;
use crate::diff::rules::rule_def::rule_table;
use crate::diff::schema::{SchemaSite, SiteKind, compare};
use crate::spec::model::MediaType;

rule_table! {
    REQUEST_BODY_ADDED_REQUIRED = "request-body-added-required", Breaking, "request body",
        "A required request body was added.", "added a required request body";
    REQUEST_BODY_ADDED_OPTIONAL = "request-body-added-optional", Info, "request body",
        "An optional request body was added.", "added an optional request body";
    REQUEST_BODY_REMOVED = "request-body-removed", Breaking, "request body",
        "The request body was removed.", "removed the request body";
    REQUEST_BODY_BECAME_REQUIRED = "request-body-became-required", Breaking, "request body",
        "An optional request body became required.", "the request body became required";
    REQUEST_BODY_BECAME_OPTIONAL = "request-body-became-optional", Info, "request body",
        "A required request body became optional.", "the request body became optional";
    REQUEST_BODY_MEDIA_TYPE_ADDED = "request-body-media-type-added", Info, "response status & media types",
        "The request body accepts a new media type.", "added the media type '{0}' to the request body";
    REQUEST_BODY_MEDIA_TYPE_REMOVED = "request-body-media-type-removed", Breaking, "response status & media types",
        "The request body no longer accepts a media type.", "removed the media type '{0}' from the request body";
    REQUEST_BODY_MEDIA_TYPE_SCHEMA_ADDED = "request-body-media-type-schema-added", Breaking, "response status & media types",
        "A request media type without a schema now has one, constraining what clients send.",
        "added a schema to the request body media type '{0}'";
    REQUEST_BODY_MEDIA_TYPE_SCHEMA_REMOVED = "request-body-media-type-schema-removed", Info, "response status & media types",
        "A request media type's schema was removed: anything is accepted.", "removed the schema of the request body media type '{0}'";
}

/// Media types match case-insensitively and ignoring parameters (`; charset=utf-8`).
pub fn media_key(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase()
}

/// The media types of `content` by matching key.
pub fn by_media_key(content: &IndexMap<String, MediaType>) -> IndexMap<String, (&str, &MediaType)> {
    content
        .iter()
        .map(|(k, v)| (media_key(k), (k.as_str(), v)))
        .collect()
}

/// Compares the request bodies of one operation.
pub fn check(cx: &mut DiffCtx, pair: &OpPair) {
    let op = Some(pair.label.as_str());
    let (b, r) = match (&pair.base.request_body, &pair.rev.request_body) {
        (None, None) => return,
        (None, Some(r)) => {
            let rule = if r.required {
                &REQUEST_BODY_ADDED_REQUIRED
            } else {
                &REQUEST_BODY_ADDED_OPTIONAL
            };
            cx.emit(rule, op, &r.pointer, &[]);
            return;
        }
        (Some(b), None) => {
            cx.emit(&REQUEST_BODY_REMOVED, op, &b.pointer, &[]);
            return;
        }
        (Some(b), Some(r)) => (b, r),
    };
    match (b.required, r.required) {
        (false, true) => cx.emit(&REQUEST_BODY_BECAME_REQUIRED, op, &r.pointer, &[]),
        (true, false) => cx.emit(&REQUEST_BODY_BECAME_OPTIONAL, op, &r.pointer, &[]),
        _ => {}
    }
    let (bm, rm) = (by_media_key(&b.content), by_media_key(&r.content));
    for (key, (name, mt)) in &bm {
        if !rm.contains_key(key) {
            cx.emit(&REQUEST_BODY_MEDIA_TYPE_REMOVED, op, &mt.pointer, &[name]);
        }
    }
    for (key, (name, rmt)) in &rm {
        let Some((_, bmt)) = bm.get(key) else {
            cx.emit(&REQUEST_BODY_MEDIA_TYPE_ADDED, op, &rmt.pointer, &[name]);
            continue;
        };
        match (bmt.schema, rmt.schema) {
            (None, Some(_)) => cx.emit(
                &REQUEST_BODY_MEDIA_TYPE_SCHEMA_ADDED,
                op,
                &rmt.pointer,
                &[name],
            ),
            (Some(_), None) => cx.emit(
                &REQUEST_BODY_MEDIA_TYPE_SCHEMA_REMOVED,
                op,
                &rmt.pointer,
                &[name],
            ),
            (Some(bs), Some(rs)) => {
                let base_pointer = cx.base.schema(bs).pointer.clone();
                let rev_pointer = cx.rev.schema(rs).pointer.clone();
                let site = SchemaSite {
                    operation: &pair.label,
                    direction: Direction::Request,
                    kind: SiteKind::RequestBody {
                        media: name.to_string(),
                    },
                    base_pointer: &base_pointer,
                    rev_pointer: &rev_pointer,
                };
                compare(cx, &site, bs, rs);
            }
            (None, None) => {}
        }
    }
}
