//! The diff engine: matches operations (and webhooks) between two normalized APIs and
//! runs every operation-level and document-level rule family on them. Schema sites
//! are handed to `crate::diff::schema::compare` by the families that own them.

use crate::diff::change::Change;
use crate::diff::context::DiffCtx;
use crate::diff::rules::{
    deprecation, endpoints, parameters, request_body, responses, security, stability, tags,
    versioning, webhooks,
};
use crate::spec::model::{Api, Operation};

/// An operation present in both versions.
pub struct OpPair<'a> {
    /// `"GET /pets/{id}"` as written in the revision.
    pub label: String,
    /// The base version's operation.
    pub base: &'a Operation,
    /// The revision's operation.
    pub rev: &'a Operation,
}

/// A check over the whole document (endpoints added/removed, global security, …).
pub type DocumentCheck = fn(&mut DiffCtx);

/// A check over one matched operation.
pub type OperationCheck = fn(&mut DiffCtx, &OpPair);

/// Document-level checks, in order. Versioning runs last: it looks at the changes found.
const DOCUMENT_CHECKS: &[DocumentCheck] = &[
    endpoints::check,
    webhooks::check,
    security::check_document,
    tags::check_document,
];

/// Operation-level checks, run on every operation (and webhook) present in both versions.
const OPERATION_CHECKS: &[OperationCheck] = &[
    parameters::check,
    request_body::check,
    responses::check,
    security::check_operation,
    deprecation::check_operation,
    stability::check_operation,
    tags::check_operation,
];

/// Every change from `base` to `rev`: document-level ones in emission order, then each
/// half of the operations' in report order (so [`Report::from_changes`] sorts to the
/// same result as from emission order, in a fraction of the time).
///
/// The matched operations are checked in two halves on two threads, each with its own
/// memo: an operation's changes depend only on the two documents, so the result is the
/// same as one pass, and the second core halves the time of large diffs.
///
/// [`Report::from_changes`]: crate::diff::Report::from_changes
pub fn diff_apis(base: &Api, rev: &Api) -> Vec<Change> {
    let mut cx = DiffCtx::new(base, rev);
    for check in DOCUMENT_CHECKS {
        check(&mut cx);
    }
    let matched: Vec<OpPair> = [
        (&base.operations, &rev.operations),
        (&base.webhooks, &rev.webhooks),
    ]
    .into_iter()
    .flat_map(|(base_ops, rev_ops)| {
        base_ops.iter().filter_map(move |(key, b)| {
            rev_ops.get(key).map(|r| OpPair {
                label: r.label(),
                base: b,
                rev: r,
            })
        })
    })
    .collect();
    let (first, second) = matched.split_at(matched.len() / 2);
    let (a, b) = crate::diff::both(
        || check_operations(base, rev, first),
        || check_operations(base, rev, second),
    );
    cx.absorb(a);
    cx.absorb(b);
    versioning::check(&mut cx);
    cx.into_changes()
}

/// Runs every operation-level check on `pairs`, in order, and sorts what they found
/// into report order (on this thread, so the report's own sort only merges).
fn check_operations(base: &Api, rev: &Api, pairs: &[OpPair]) -> Vec<Change> {
    let mut cx = DiffCtx::new(base, rev);
    for pair in pairs {
        for check in OPERATION_CHECKS {
            check(&mut cx, pair);
        }
    }
    let mut changes = cx.into_changes();
    crate::diff::change::sort(&mut changes);
    changes
}

#[cfg(test)]
mod tests;
