//! Endpoints added and removed. A removal is breaking unless the operation was
//! deprecated and its sunset date (if any) has passed. When no operation of the path
//! is left, the `api-path-removed-*` ids apply; otherwise `api-removed-*`.

use std::collections::HashSet;

use crate::diff::context::DiffCtx;
use crate::diff::rules::deprecation::{Removal, classify_removal};
use crate::diff::rules::rule_def::rule_table;

rule_table! {
    ENDPOINT_ADDED = "endpoint-added", Info, "endpoints",
        "A new operation was added.", "endpoint added";
    API_PATH_REMOVED_WITHOUT_DEPRECATION = "api-path-removed-without-deprecation", Breaking, "endpoints",
        "A path was removed without being deprecated first.", "api path removed without deprecation";
    API_PATH_REMOVED_BEFORE_SUNSET = "api-path-removed-before-sunset", Breaking, "endpoints",
        "A deprecated path was removed before its sunset date.", "api path removed before the sunset date '{0}'";
    API_PATH_REMOVED_WITH_DEPRECATION = "api-path-removed-with-deprecation", Info, "endpoints",
        "A deprecated path was removed after its sunset date (or it had none).", "api path removed with deprecation";
    API_PATH_SUNSET_PARSE = "api-path-sunset-parse", Breaking, "deprecation & sunset",
        "A removed deprecated operation's x-sunset is not a date, so the removal cannot be checked.",
        "api path removed, but its x-sunset date '{0}' cannot be parsed";
    API_REMOVED_WITHOUT_DEPRECATION = "api-removed-without-deprecation", Breaking, "endpoints",
        "An operation was removed without being deprecated first.", "api operation removed without deprecation";
    API_REMOVED_BEFORE_SUNSET = "api-removed-before-sunset", Breaking, "endpoints",
        "A deprecated operation was removed before its sunset date.", "api operation removed before the sunset date '{0}'";
    API_REMOVED_WITH_DEPRECATION = "api-removed-with-deprecation", Info, "endpoints",
        "A deprecated operation was removed after its sunset date (or it had none).", "api operation removed with deprecation";
}

/// Operations present in only one version.
pub fn check(cx: &mut DiffCtx) {
    let (base, rev) = (cx.base, cx.rev);
    let rev_paths: HashSet<&str> = rev.operations.keys().map(|k| k.path.as_str()).collect();
    for (key, op) in &base.operations {
        if rev.operations.contains_key(key) {
            continue;
        }
        let label = op.label();
        let whole_path = !rev_paths.contains(key.path.as_str());
        let (without, before, with) = if whole_path {
            (
                &API_PATH_REMOVED_WITHOUT_DEPRECATION,
                &API_PATH_REMOVED_BEFORE_SUNSET,
                &API_PATH_REMOVED_WITH_DEPRECATION,
            )
        } else {
            (
                &API_REMOVED_WITHOUT_DEPRECATION,
                &API_REMOVED_BEFORE_SUNSET,
                &API_REMOVED_WITH_DEPRECATION,
            )
        };
        let ptr = op.pointer.as_str();
        match classify_removal(op.deprecated, op.sunset.as_deref()) {
            Removal::NotDeprecated => cx.emit(without, Some(&label), ptr, &[]),
            Removal::BeforeSunset(s) => cx.emit(before, Some(&label), ptr, &[&s]),
            Removal::BadSunset(s) => cx.emit(&API_PATH_SUNSET_PARSE, Some(&label), ptr, &[&s]),
            Removal::AfterDeprecation => cx.emit(with, Some(&label), ptr, &[]),
        }
    }
    for (key, op) in &rev.operations {
        if !base.operations.contains_key(key) {
            cx.emit(&ENDPOINT_ADDED, Some(&op.label()), &op.pointer, &[]);
        }
    }
}
