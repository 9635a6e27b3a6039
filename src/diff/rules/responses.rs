//! Responses: status codes added/removed (success vs non-success), media types,
//! their schemas (handed to the schema core) and, via `headers`, response headers.

use crate::diff::context::{DiffCtx, Direction};
use crate::diff::engine::OpPair;
use crate::diff::rules::headers;
use crate::diff::rules::request_body::by_media_key;
use crate::diff::rules::rule_def::RuleDef;
use crate::diff::rules::rule_def::rule_table;
use crate::diff::schema::{SchemaSite, SiteKind, compare};
use crate::spec::model::SchemaId;

rule_table! {
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
    RESPONSE_MEDIA_TYPE_NAME_GENERALIZED = "response-media-type-name-generalized", Breaking, "response status & media types",
        "A response media type was replaced by a broader one: clients may receive types they do not parse.",
        "the media type '{1}' of the response with the status '{0}' was generalized to '{2}'";
    RESPONSE_MEDIA_TYPE_NAME_SPECIALIZED = "response-media-type-name-specialized", Info, "response status & media types",
        "A response media type was replaced by a more specific one (e.g. application/json by application/problem+json).",
        "the media type '{1}' of the response with the status '{0}' was specialized to '{2}'";
    RESPONSE_MEDIA_TYPE_NAME_CHANGED = "response-media-type-name-changed", Info, "response status & media types",
        "A response's only media type was replaced by an unrelated one.",
        "the media type '{1}' of the response with the status '{0}' was changed to '{2}'";
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
        let removed: Vec<&str> = bm
            .keys()
            .filter(|k| !rm.contains_key(*k))
            .map(String::as_str)
            .collect();
        let added: Vec<&str> = rm
            .keys()
            .filter(|k| !bm.contains_key(*k))
            .map(String::as_str)
            .collect();
        let renamed = rename_pairs(&removed, &added);
        for (key, (name, mt)) in &bm {
            if rm.contains_key(key) {
                continue;
            }
            match renamed.iter().find(|(old, _, _)| old == key) {
                Some((_, new, rule)) => {
                    let (new_name, new_mt) = rm[*new];
                    cx.emit(rule, op, &new_mt.pointer, &[status, name, new_name]);
                    // The body under its new name is compared with the old one.
                    if let (Some(bs), Some(rs)) = (mt.schema, new_mt.schema) {
                        compare_body(cx, pair, status, new_name, bs, rs);
                    }
                }
                None => cx.emit(
                    &RESPONSE_MEDIA_TYPE_REMOVED,
                    op,
                    &mt.pointer,
                    &[status, name],
                ),
            }
        }
        for (key, (name, rmt)) in &rm {
            let Some((_, bmt)) = bm.get(key) else {
                if renamed.iter().any(|(_, new, _)| new == key) {
                    continue;
                }
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
                (Some(bs), Some(rs)) => compare_body(cx, pair, status, name, bs, rs),
                (None, None) => {}
            }
        }
        headers::check(cx, pair, status, bresp, rresp);
    }
}

/// Compares a response body's schemas (`bs` in the base, `rs` in the revision).
fn compare_body(
    cx: &mut DiffCtx,
    pair: &OpPair,
    status: &str,
    media: &str,
    bs: SchemaId,
    rs: SchemaId,
) {
    let base_pointer = cx.base.schema(bs).pointer.clone();
    let rev_pointer = cx.rev.schema(rs).pointer.clone();
    let site = SchemaSite {
        operation: &pair.label,
        direction: Direction::Response,
        kind: SiteKind::ResponseBody {
            status: status.to_string(),
            media: media.to_string(),
        },
        base_pointer: &base_pointer,
        rev_pointer: &rev_pointer,
    };
    compare(cx, &site, bs, rs);
}

/// `(type, subtype, suffix)` of a media key: `application/problem+json` →
/// `("application", "problem+json", Some("json"))`.
fn parts(media: &str) -> (&str, &str, Option<&str>) {
    let (ty, sub) = media.split_once('/').unwrap_or((media, ""));
    (ty, sub, sub.rsplit_once('+').map(|(_, suffix)| suffix))
}

/// True when every media type `narrow` names is also named by `wide`: `*/*` covers
/// all, `type/*` its type, and `type/sub` the types with the structured suffix `+sub`
/// (`application/json` covers `application/problem+json`).
fn covers(wide: &str, narrow: &str) -> bool {
    let ((wt, ws, _), (nt, ns, nsuffix)) = (parts(wide), parts(narrow));
    wide != narrow && (wt == "*" || (wt == nt && (ws == "*" || (nsuffix == Some(ws) && ns != ws))))
}

/// The syntax a media type's bodies are written in: its structured suffix, else its
/// subtype (`application/vnd.x+json` and `text/json` are both JSON).
fn syntax(media: &str) -> &str {
    let (_, sub, suffix) = parts(media);
    suffix.unwrap_or(sub)
}

/// Pairs the media types a response lost with those it gained: a new one covered by
/// (specialized) or covering (generalized) an old one is a rename; a lone old one
/// replaced by a lone new one in the same syntax is a changed name (an unrelated one —
/// JSON replaced by XML — stays a removal, which breaks clients). Keys are normalized
/// media keys.
fn rename_pairs<'k>(
    removed: &[&'k str],
    added: &[&'k str],
) -> Vec<(&'k str, &'k str, &'static RuleDef)> {
    let mut pairs: Vec<(&str, &str, &'static RuleDef)> = Vec::new();
    let free = |pairs: &[(&str, &str, &RuleDef)], new: &str| pairs.iter().all(|p| p.1 != new);
    for &old in removed {
        let found = added.iter().find_map(|&new| {
            if !free(&pairs, new) {
                None
            } else if covers(old, new) {
                Some((old, new, &RESPONSE_MEDIA_TYPE_NAME_SPECIALIZED))
            } else if covers(new, old) {
                Some((old, new, &RESPONSE_MEDIA_TYPE_NAME_GENERALIZED))
            } else {
                None
            }
        });
        pairs.extend(found);
    }
    if let ([old], [new]) = (removed, added)
        && pairs.is_empty()
        && syntax(old) == syntax(new)
    {
        pairs.push((old, new, &RESPONSE_MEDIA_TYPE_NAME_CHANGED));
    }
    pairs
}
