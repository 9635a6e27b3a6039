//! The state shared by all rule families during one diff: both documents and the changes found.

use crate::diff::change::Change;
use crate::diff::rules::rule_def::{RuleDef, render};
use crate::spec::model::Api;

/// Which way data flows at a schema site: narrowing what a client may send is
/// breaking (request); widening what a server may return is breaking (response).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Client → server.
    Request,
    /// Server → client.
    Response,
}

/// One diff in progress.
pub struct DiffCtx<'a> {
    /// The older document.
    pub base: &'a Api,
    /// The newer document.
    pub rev: &'a Api,
    changes: Vec<Change>,
    /// Schema-walk memo (equality verdicts, visited pairs), kept across `schema::compare` calls.
    pub(crate) schema_state: crate::diff::schema::SchemaState<'a>,
}

impl<'a> DiffCtx<'a> {
    /// Starts a diff of `base` → `rev`.
    pub fn new(base: &'a Api, rev: &'a Api) -> Self {
        DiffCtx {
            base,
            rev,
            changes: Vec::new(),
            schema_state: Default::default(),
        }
    }

    /// Records one change of `rule` at `pointer` (into the revision, or into the base
    /// for removals); `args` fill the rule's message template and identify the change.
    pub fn emit(&mut self, rule: &RuleDef, operation: Option<&str>, pointer: &str, args: &[&str]) {
        self.emit_cause(rule, operation, pointer, args, args);
    }

    /// Like [`emit`](Self::emit), with the root cause named by `cause_args` (the
    /// arguments without those that name the place, such as a schema rule's subject).
    pub fn emit_cause(
        &mut self,
        rule: &RuleDef,
        operation: Option<&str>,
        pointer: &str,
        args: &[&str],
        cause_args: &[&str],
    ) {
        let message = render(rule.template, args);
        self.changes.push(Change::with_cause(
            rule.id,
            rule.level,
            operation.map(str::to_string),
            pointer.to_string(),
            message,
            args,
            cause_args,
        ));
    }

    /// Appends changes found by another context over the same two documents.
    pub(crate) fn absorb(&mut self, changes: Vec<Change>) {
        self.changes.extend(changes);
    }

    /// The changes found so far.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Ends the diff, returning the changes in emission order.
    pub fn into_changes(self) -> Vec<Change> {
        self.changes
    }
}
