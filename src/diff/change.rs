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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

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
        let fingerprint = fingerprint(id, operation.as_deref(), &pointer, args);
        Change {
            id: id.to_string(),
            level,
            operation,
            pointer,
            message,
            fingerprint,
        }
    }
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
}

/// The result of diffing two documents: the JSON contract of `specwatch diff --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Report {
    /// Every change, breaking first, then by operation and pointer.
    pub changes: Vec<Change>,
    /// Counts per level.
    pub summary: Summary,
}

impl Report {
    /// Sorts the changes (breaking first, then operation, pointer, id) and recomputes the summary.
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
        Report { changes, summary }
    }
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
