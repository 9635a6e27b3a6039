//! JSON encoding of stored records.
//!
//! Records are small (a few hundred bytes), so serde_json costs nothing next to a
//! network poll, stays readable with any redb dump, and tolerates added fields
//! (`#[serde(default)]`) without a migration — a compact binary encoding would save
//! bytes nobody is short of and make every field change a schema change.

use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::StoreError;

/// Encodes a record; our record types always serialize.
pub(crate) fn encode<T: Serialize>(value: &T, watch: &str) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|e| StoreError::InvalidCommit {
        watch: watch.to_string(),
        reason: format!("record does not serialize: {e}"),
    })
}

/// Decodes a record, naming what it was on failure.
pub(crate) fn decode<T: DeserializeOwned>(
    bytes: &[u8],
    path: &Path,
    what: impl FnOnce() -> String,
) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt {
        path: path.to_path_buf(),
        what: format!("{} does not decode: {e}", what()),
    })
}
