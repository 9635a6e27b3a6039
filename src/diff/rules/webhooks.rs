//! Webhooks (OpenAPI 3.1) added and removed, by webhook name and method.

use crate::diff::context::DiffCtx;
use crate::diff::rules::rule_def::rule_table;

rule_table! {
    WEBHOOK_ADDED = "webhook-added", Info, "webhooks",
        "A webhook was added.", "webhook '{0}' added";
    WEBHOOK_REMOVED = "webhook-removed", Breaking, "webhooks",
        "A webhook was removed; subscribers stop receiving it.", "webhook '{0}' removed";
}

/// Webhook operations present in only one version.
pub fn check(cx: &mut DiffCtx) {
    let (base, rev) = (cx.base, cx.rev);
    for (key, op) in &base.webhooks {
        if !rev.webhooks.contains_key(key) {
            cx.emit(
                &WEBHOOK_REMOVED,
                Some(&op.label()),
                &op.pointer,
                &[&key.path],
            );
        }
    }
    for (key, op) in &rev.webhooks {
        if !base.webhooks.contains_key(key) {
            cx.emit(&WEBHOOK_ADDED, Some(&op.label()), &op.pointer, &[&key.path]);
        }
    }
}
