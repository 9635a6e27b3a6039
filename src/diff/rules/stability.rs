//! Operation stability levels (`x-stability-level`: draft < alpha < beta < stable).

use crate::diff::context::DiffCtx;
use crate::diff::engine::OpPair;
use crate::diff::rules::rule_def::rule_table;

rule_table! {
    API_STABILITY_DECREASED = "api-stability-decreased", Breaking, "stability levels",
        "An operation's stability level was lowered.", "endpoint stability level decreased from '{0}' to '{1}'";
    API_STABILITY_INCREASED = "api-stability-increased", Info, "stability levels",
        "An operation's stability level was raised.", "endpoint stability level increased from '{0}' to '{1}'";
    API_INVALID_STABILITY_LEVEL = "api-invalid-stability-level", Breaking, "stability levels",
        "An operation's x-stability-level is not draft, alpha, beta or stable.",
        "invalid x-stability-level '{0}' (expected draft, alpha, beta or stable)";
}

/// Rank of a stability level; `None` for unknown values.
pub fn rank(level: &str) -> Option<u8> {
    match level {
        "draft" => Some(0),
        "alpha" => Some(1),
        "beta" => Some(2),
        "stable" => Some(3),
        _ => None,
    }
}

/// Compares the stability levels of one operation (absent counts as unchanged).
pub fn check_operation(cx: &mut DiffCtx, pair: &OpPair) {
    let op = Some(pair.label.as_str());
    let ptr = pair.rev.pointer.as_str();
    let Some(r) = pair.rev.stability.as_deref() else {
        return;
    };
    let Some(rr) = rank(r) else {
        if pair.base.stability.as_deref() != Some(r) {
            cx.emit(&API_INVALID_STABILITY_LEVEL, op, ptr, &[r]);
        }
        return;
    };
    let Some(b) = pair.base.stability.as_deref() else {
        return;
    };
    match rank(b) {
        Some(br) if rr < br => cx.emit(&API_STABILITY_DECREASED, op, ptr, &[b, r]),
        Some(br) if rr > br => cx.emit(&API_STABILITY_INCREASED, op, ptr, &[b, r]),
        _ => {}
    }
}
