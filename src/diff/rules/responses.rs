//! Responses: status codes added/removed (success vs non-success), media types,
//! their schemas (handed to the schema core) and, via `headers`, response headers.

use crate::diff::context::{DiffCtx, Direction};
use crate::diff::engine::{OpPair, op_rules};
use crate::diff::rules::headers;
use crate::diff::rules::request_body::by_media_key;
use crate::diff::schema::{SchemaSite, SiteKind, compare};

op_rules! {
    RESPONSE_SUCCESS_STATUS_ADDED = "response-success-status-added", Info, "response status & media types",
        "A new success (2xx) response status was added.", "added the success response with the status '{0}'";
    RESPONSE_SUCCESS_STATUS_REMOVED = "response-success-status-removed", Breaking, "response status & media types",
        "A success (2xx) response status was removed; clients relying on it break.", "removed the success response with the status '{0}'";
    RESPONSE_NON_SUCCESS_STATUS_ADDED = "response-non-success-status-added", Info, "response status & media types",
        "A new non-success response status was added.", "added the non-success response with the status '{0}'";
    RESPONSE_NON_SUCCESS_STATUS_REMOVED = "response-non-success-status-removed", Info, "response status & media types",
        "A non-success response status was removed.", "removed the non-success response with the status '{0}'";
    RESPONSE_MEDIA_TYPE_ADDED = "response-media-type-added", Info, "response status & media types",
        "A response gained a media type.", "added the media type '{1}' for the response with the status '{0}'";
    RESPONSE_MEDIA_TYPE_REMOVED = "response-media-type-removed", Breaking, "response status & media types",
        "A response lost a media type that clients may rely on.", "removed the media type '{1}' for the response with the status '{0}'";
    RESPONSE_BODY_MEDIA_TYPE_SCHEMA_ADDED = "response-body-media-type-schema-added", Info, "response status & media types",
        "A response media type without a schema now has one.", "added a schema to the media type '{1}' of the response with the status '{0}'";
    RESPONSE_BODY_MEDIA_TYPE_SCHEMA_REMOVED = "response-body-media-type-schema-removed", Warning, "response status & media types",
        "A response media type's schema was removed: anything may come back.",
        "removed the schema of the media type '{1}' of the response with the status '{0}'";
}

/// `2xx` codes and the `2XX` range are success; everything else (incl. `default`) is not.
pub fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

/// Compares the responses of one operation.
pub fn check(cx: &mut DiffCtx, pair: &OpPair) {
    let op = Some(pair.label.as_str());
    let (b, r) = (pair.base, pair.rev);
    for (status, resp) in &b.responses {
        if !r.responses.contains_key(status) {
            let rule = if is_success(status) {
                &RESPONSE_SUCCESS_STATUS_REMOVED
            } else {
                &RESPONSE_NON_SUCCESS_STATUS_REMOVED
            };
            cx.emit(rule, op, &resp.pointer, &[status]);
        }
    }
    for (status, rresp) in &r.responses {
        let Some(bresp) = b.responses.get(status) else {
            let rule = if is_success(status) {
                &RESPONSE_SUCCESS_STATUS_ADDED
            } else {
                &RESPONSE_NON_SUCCESS_STATUS_ADDED
            };
            cx.emit(rule, op, &rresp.pointer, &[status]);
            continue;
        };
        let (bm, rm) = (by_media_key(&bresp.content), by_media_key(&rresp.content));
        for (key, (name, mt)) in &bm {
            if !rm.contains_key(key) {
                cx.emit(
                    &RESPONSE_MEDIA_TYPE_REMOVED,
                    op,
                    &mt.pointer,
                    &[status, name],
                );
            }
        }
        for (key, (name, rmt)) in &rm {
            let Some((_, bmt)) = bm.get(key) else {
                cx.emit(
                    &RESPONSE_MEDIA_TYPE_ADDED,
                    op,
                    &rmt.pointer,
                    &[status, name],
                );
                continue;
            };
            match (bmt.schema, rmt.schema) {
                (None, Some(_)) => cx.emit(
                    &RESPONSE_BODY_MEDIA_TYPE_SCHEMA_ADDED,
                    op,
                    &rmt.pointer,
                    &[status, name],
                ),
                (Some(_), None) => cx.emit(
                    &RESPONSE_BODY_MEDIA_TYPE_SCHEMA_REMOVED,
                    op,
                    &rmt.pointer,
                    &[status, name],
                ),
                (Some(bs), Some(rs)) => {
                    let base_pointer = cx.base.schema(bs).pointer.clone();
                    let rev_pointer = cx.rev.schema(rs).pointer.clone();
                    let site = SchemaSite {
                        operation: &pair.label,
                        direction: Direction::Response,
                        kind: SiteKind::ResponseBody {
                            status: status.clone(),
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
        headers::check(cx, pair, status, bresp, rresp);
    }
}
