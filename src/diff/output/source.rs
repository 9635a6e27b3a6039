//! What the CI formats need besides the report: where each change is in the revision
//! (`githubactions`, `sarif`) and which operations were compared (`junit`).

use std::collections::HashMap;

use crate::diff::Change;
use crate::spec::positions::Position;

/// A place in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as given on the command line (a `git:REF:PATH` input gives PATH).
    pub file: String,
    /// 1-based line and column.
    pub at: Position,
}

/// Context for rendering a report; [`Context::default`] has none (every format still
/// renders, pointing at line 1 of an unnamed revision).
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The revision's file name, for changes without a known location.
    pub revision: String,
    /// Locations by JSON pointer, for the pointers of the report's changes.
    pub locations: HashMap<String, Location>,
    /// Every operation compared (`"GET /pets"`), sorted: one JUnit test case each.
    pub operations: Vec<String>,
}

impl Context {
    /// Where `change` is: its pointer's location, else line 1 of the revision.
    pub fn locate(&self, change: &Change) -> Location {
        self.locations
            .get(&change.pointer)
            .cloned()
            .unwrap_or_else(|| Location {
                file: self.revision.clone(),
                at: Position { line: 1, column: 1 },
            })
    }
}

/// `"GET /pets: removed …"`, or the bare message for a document-level change.
pub(crate) fn headline(change: &Change) -> String {
    match &change.operation {
        Some(op) => format!("{op}: {}", change.message),
        None => change.message.clone(),
    }
}
