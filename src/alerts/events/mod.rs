//! Turning what the daemon observes into events: one file per source of events.

pub mod changes;
pub mod health;
pub mod polls;
pub mod sunset;

use sha2::{Digest, Sha256};

use crate::diff::Level;
use crate::notification::{EventKind, EventPayload};

/// Hex SHA-256 (16 bytes) of length-prefixed parts: the fingerprint of a condition.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    hex::encode(&h.finalize()[..16])
}

/// An event with no spec changes attached (health, polls, sunsets, tests).
pub fn plain(
    kind: EventKind,
    level: Level,
    fingerprint: String,
    summary: String,
    now: i64,
) -> EventPayload {
    EventPayload::plain(kind, level, fingerprint, summary, now)
}
