//! Operation tags and operationIds, and removed component schemas.

use crate::diff::context::DiffCtx;
use crate::diff::engine::OpPair;
use crate::diff::rules::rule_def::rule_table;

rule_table! {
    API_TAG_ADDED = "api-tag-added", Info, "tags, operationId & components",
        "An operation gained a tag.", "the endpoint tag '{0}' was added";
    API_TAG_REMOVED = "api-tag-removed", Info, "tags, operationId & components",
        "An operation lost a tag.", "the endpoint tag '{0}' was removed";
    API_OPERATION_ID_ADDED = "api-operation-id-added", Info, "tags, operationId & components",
        "An operation gained an operationId.", "the endpoint operationId '{0}' was added";
    API_OPERATION_ID_REMOVED = "api-operation-id-removed", Info, "tags, operationId & components",
        "An operation lost its operationId (generated client method names change).", "the endpoint operationId '{0}' was removed";
    API_OPERATION_ID_CHANGED = "api-operation-id-changed", Info, "tags, operationId & components",
        "An operation's operationId changed (generated client method names change).",
        "the endpoint operationId changed from '{0}' to '{1}'";
    API_SCHEMA_REMOVED = "api-schema-removed", Info, "tags, operationId & components",
        "A component schema was removed.", "removed the component schema '{0}'";
}

/// Component schemas removed from the document.
pub fn check_document(cx: &mut DiffCtx) {
    let (base, rev) = (cx.base, cx.rev);
    for (name, &id) in &base.components {
        if !rev.components.contains_key(name) {
            cx.emit(&API_SCHEMA_REMOVED, None, &base.schema(id).pointer, &[name]);
        }
    }
}

/// Tags and operationId of one operation.
pub fn check_operation(cx: &mut DiffCtx, pair: &OpPair) {
    let op = Some(pair.label.as_str());
    let (b, r) = (pair.base, pair.rev);
    let ptr = r.pointer.as_str();
    for t in r.tags.iter().filter(|t| !b.tags.contains(t)) {
        cx.emit(&API_TAG_ADDED, op, ptr, &[t]);
    }
    for t in b.tags.iter().filter(|t| !r.tags.contains(t)) {
        cx.emit(&API_TAG_REMOVED, op, ptr, &[t]);
    }
    match (&b.operation_id, &r.operation_id) {
        (None, Some(id)) => cx.emit(&API_OPERATION_ID_ADDED, op, ptr, &[id]),
        (Some(id), None) => cx.emit(&API_OPERATION_ID_REMOVED, op, ptr, &[id]),
        (Some(old), Some(new)) if old != new => {
            cx.emit(&API_OPERATION_ID_CHANGED, op, ptr, &[old, new])
        }
        _ => {}
    }
}
