//! Response headers (matched case-insensitively): removed, added, became optional,
//! and their schemas (handed to the schema core). Request headers are parameters.

use crate::diff::context::{DiffCtx, Direction};
use crate::diff::engine::OpPair;
use crate::diff::rules::rule_def::rule_table;
use crate::diff::schema::{SchemaSite, SiteKind, compare};
use crate::spec::model::Response;

rule_table! {
    REQUIRED_RESPONSE_HEADER_REMOVED = "required-response-header-removed", Breaking, "headers",
        "A required response header was removed.", "the required response header '{1}' was removed from the response with the status '{0}'";
    OPTIONAL_RESPONSE_HEADER_REMOVED = "optional-response-header-removed", Warning, "headers",
        "An optional response header was removed.", "the optional response header '{1}' was removed from the response with the status '{0}'";
    RESPONSE_HEADER_ADDED = "response-header-added", Info, "headers",
        "A response header was added.", "added the response header '{1}' to the response with the status '{0}'";
    RESPONSE_HEADER_BECAME_OPTIONAL = "response-header-became-optional", Breaking, "headers",
        "A required response header became optional; clients may not get it anymore.",
        "the response header '{1}' became optional for the response with the status '{0}'";
}

/// Compares the headers of one response present in both versions.
pub fn check(cx: &mut DiffCtx, pair: &OpPair, status: &str, b: &Response, r: &Response) {
    let op = Some(pair.label.as_str());
    for (key, h) in &b.headers {
        if !r.headers.contains_key(key) {
            let rule = if h.required {
                &REQUIRED_RESPONSE_HEADER_REMOVED
            } else {
                &OPTIONAL_RESPONSE_HEADER_REMOVED
            };
            cx.emit(rule, op, &h.pointer, &[status, &h.name]);
        }
    }
    for (key, rh) in &r.headers {
        let Some(bh) = b.headers.get(key) else {
            cx.emit(&RESPONSE_HEADER_ADDED, op, &rh.pointer, &[status, &rh.name]);
            continue;
        };
        if bh.required && !rh.required {
            cx.emit(
                &RESPONSE_HEADER_BECAME_OPTIONAL,
                op,
                &rh.pointer,
                &[status, &rh.name],
            );
        }
        if let (Some(bs), Some(rs)) = (bh.schema, rh.schema) {
            let base_pointer = cx.base.schema(bs).pointer.clone();
            let rev_pointer = cx.rev.schema(rs).pointer.clone();
            let site = SchemaSite {
                operation: &pair.label,
                direction: Direction::Response,
                kind: SiteKind::ResponseHeader {
                    status: status.to_string(),
                    name: rh.name.clone(),
                },
                base_pointer: &base_pointer,
                rev_pointer: &rev_pointer,
            };
            compare(cx, &site, bs, rs);
        }
    }
}
