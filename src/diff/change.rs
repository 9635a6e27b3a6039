//! One detected change and the report that collects them.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Severity of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Informational: nothing a client must do.
    Info,
    /// May break some clients; look at it.
    Warning,
    /// Breaks existing clients.
    Breaking,
}

impl Level {
    /// Lowercase name as used in JSON, config and CLI flags.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Breaking => "breaking",
        }
    }

    /// Parses "breaking" / "warning" / "info" (also oasdiff's "error"/"warn").
    pub fn parse(s: &str) -> Option<Level> {
        match s.trim().to_ascii_lowercase().as_str() {
            "breaking" | "error" | "err" => Some(Level::Breaking),
            "warning" | "warn" => Some(Level::Warning),
            "info" => Some(Level::Info),
            _ => None,
        }
    }
}

/// One change between two versions of a spec.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Change {
    /// Rule id (oasdiff-compatible where the same change is detected).
    pub id: String,
    /// Severity after overrides.
    pub level: Level,
    /// `"GET /v1/charges"`, or null for document-level changes.
    pub operation: Option<String>,
    /// JSON pointer into the revision (into the base for removals).
    pub pointer: String,
    /// Human message naming what changed.
    pub message: String,
    /// Stable hash of id + location + arguments; used for dedup and idempotency.
    pub fingerprint: String,
    /// The root cause within one diff: id, pointer and the values that name the change,
    /// without the operation or the words naming the place it was reached from, so one
    /// change in a shared component has one cause however many operations reach it.
    /// Not part of the JSON contract; 0 when unknown (a change read back from JSON).
    #[serde(skip)]
    pub cause: u64,
}

/// Equality is the contract's: the in-memory `cause` is derived from the other fields.
impl PartialEq for Change {
    fn eq(&self, other: &Change) -> bool {
        self.id == other.id
            && self.level == other.level
            && self.operation == other.operation
            && self.pointer == other.pointer
            && self.message == other.message
            && self.fingerprint == other.fingerprint
    }
}

impl Eq for Change {}

impl Change {
    /// Builds a change and computes its fingerprint from id, operation, pointer and `args`
    /// (the values substituted into the message, which identify the change).
    pub fn new(
        id: &str,
        level: Level,
        operation: Option<String>,
        pointer: String,
        message: String,
        args: &[&str],
    ) -> Change {
        Change::with_cause(id, level, operation, pointer, message, args, args)
    }

    /// Like [`Change::new`], with the root cause identified by `cause_args` (the
    /// arguments without those naming the place, e.g. a schema rule's subject).
    pub fn with_cause(
        id: &str,
        level: Level,
        operation: Option<String>,
        pointer: String,
        message: String,
        args: &[&str],
        cause_args: &[&str],
    ) -> Change {
        let fingerprint = fingerprint(id, operation.as_deref(), &pointer, args);
        let cause = cause_of(id, &pointer, cause_args.iter().copied());
        Change {
            id: id.to_string(),
            level,
            operation,
            pointer,
            message,
            fingerprint,
            cause,
        }
    }

    /// The root cause, or one derived from id, pointer and message when unknown.
    fn cause_key(&self) -> u64 {
        if self.cause != 0 {
            return self.cause;
        }
        cause_of(
            &self.id,
            &self.pointer,
            std::iter::once(self.message.as_str()),
        )
    }
}

/// A hash of a root cause's parts (within one process: not persisted).
fn cause_of<'a>(id: &str, pointer: &str, args: impl Iterator<Item = &'a str>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    id.hash(&mut h);
    pointer.hash(&mut h);
    for a in args {
        a.hash(&mut h);
    }
    h.finish().max(1)
}

/// Hex SHA-256 (first 16 bytes) of the identifying parts of a change, separated
/// so that ("ab","c") and ("a","bc") differ: each part is its length (8 bytes, little
/// endian) and its bytes. Hashed in one call: a diff may emit tens of thousands.
pub fn fingerprint(id: &str, operation: Option<&str>, pointer: &str, args: &[&str]) -> String {
    let parts = || {
        [id, operation.unwrap_or(""), pointer]
            .into_iter()
            .chain(args.iter().copied())
    };
    // On the stack when it fits, as nearly all do.
    let len = parts().map(|p| p.len() + 8).sum();
    let (mut stack, mut heap) = ([0u8; 512], Vec::new());
    let buf = if len <= stack.len() {
        &mut stack[..len]
    } else {
        heap.resize(len, 0);
        &mut heap[..]
    };
    let mut at = 0;
    for part in parts() {
        buf[at..at + 8].copy_from_slice(&(part.len() as u64).to_le_bytes());
        buf[at + 8..at + 8 + part.len()].copy_from_slice(part.as_bytes());
        at += 8 + part.len();
    }
    hex::encode(&Sha256::digest(buf)[..16])
}

/// Sorts changes into report order: breaking first, then operation, pointer and id.
/// Stable, so runs sorted beforehand (e.g. on the engine's threads) merge cheaply and
/// the result is the same as sorting them all at once.
pub fn sort(changes: &mut [Change]) {
    changes.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then_with(|| a.operation.cmp(&b.operation))
            .then_with(|| a.pointer.cmp(&b.pointer))
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// Counts per level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Summary {
    /// Breaking changes.
    pub breaking: usize,
    /// Warnings.
    pub warning: usize,
    /// Informational changes.
    pub info: usize,
    /// The same counted by root cause (one per entry of `groups`).
    #[serde(default)]
    pub root_causes: LevelCounts,
}

/// Counts per level of root causes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LevelCounts {
    /// Breaking.
    pub breaking: usize,
    /// Warning.
    pub warning: usize,
    /// Informational.
    pub info: usize,
}

impl LevelCounts {
    /// Adds one at `level`.
    fn add(&mut self, level: Level) {
        match level {
            Level::Breaking => self.breaking += 1,
            Level::Warning => self.warning += 1,
            Level::Info => self.info += 1,
        }
    }

    /// The count at `level`.
    pub fn at(&self, level: Level) -> usize {
        match level {
            Level::Breaking => self.breaking,
            Level::Warning => self.warning,
            Level::Info => self.info,
        }
    }
}

/// One root cause: a distinct change (rule id and the pointer where it is defined) with
/// every operation it reaches — a field of a shared component is one group however many
/// operations return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeGroup {
    /// Rule id.
    pub id: String,
    /// Severity (the highest of its records).
    pub level: Level,
    /// JSON pointer where the change is defined (into the base for removals).
    pub pointer: String,
    /// The message of its first record.
    pub message: String,
    /// The operations it reaches, sorted (empty for document-level changes).
    pub operations: Vec<String>,
    /// How many operations it reaches (`operations` may be cut short in alerts).
    pub operation_count: usize,
}

/// The result of diffing two documents: the JSON contract of `specwatch diff --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Report {
    /// Every change, breaking first, then by operation and pointer.
    pub changes: Vec<Change>,
    /// One entry per root cause: breaking first, then by operations reached (most first).
    #[serde(default)]
    pub groups: Vec<ChangeGroup>,
    /// Counts per level.
    pub summary: Summary,
}

impl Report {
    /// Sorts the changes (breaking first, then operation, pointer, id), groups them by
    /// root cause and recomputes the summary.
    pub fn from_changes(mut changes: Vec<Change>) -> Report {
        sort(&mut changes);
        changes.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        let mut summary = Summary::default();
        for c in &changes {
            match c.level {
                Level::Breaking => summary.breaking += 1,
                Level::Warning => summary.warning += 1,
                Level::Info => summary.info += 1,
            }
        }
        let groups = group(&changes);
        for g in &groups {
            summary.root_causes.add(g.level);
        }
        Report {
            changes,
            groups,
            summary,
        }
    }
}

/// Groups sorted changes by root cause.
fn group(changes: &[Change]) -> Vec<ChangeGroup> {
    let mut index: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    let mut groups: Vec<ChangeGroup> = Vec::new();
    for c in changes {
        let at = *index.entry(c.cause_key()).or_insert_with(|| {
            groups.push(ChangeGroup {
                id: c.id.clone(),
                level: c.level,
                pointer: c.pointer.clone(),
                message: c.message.clone(),
                operations: Vec::new(),
                operation_count: 0,
            });
            groups.len() - 1
        });
        let g = &mut groups[at];
        g.level = g.level.max(c.level);
        if let Some(op) = &c.operation {
            g.operations.push(op.clone());
        }
    }
    for g in &mut groups {
        g.operations.sort_unstable();
        g.operations.dedup();
        g.operation_count = g.operations.len();
    }
    groups.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then_with(|| b.operation_count.cmp(&a.operation_count))
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.pointer.cmp(&b.pointer))
    });
    groups
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn fingerprints_are_stable_and_separate_their_parts() {
        // Ignore files and alert idempotency keys hold these: the value must never
        // change. Computed independently (Python hashlib) from the documented layout.
        let args = ["q", ""];
        let fp = fingerprint(
            "request-parameter-removed",
            Some("GET /v1/x"),
            "/paths/~1v1~1x/get",
            &args,
        );
        assert_eq!(fp, "e4b0952770a6e7bb32db32ab15868e96");
        assert_ne!(
            fingerprint("a", None, "", &["ab", "c"]),
            fingerprint("a", None, "", &["a", "bc"])
        );
        // Longer than the stack buffer: the same layout, hashed from the heap.
        let long = "x".repeat(600);
        assert_eq!(
            fingerprint("a", None, "", &[&long]),
            "9898a41a7bf5eca083ecbd2b0d19560e"
        );
    }
}
