//! Explaining stored versions: each version's summary (stored, or computed on demand
//! for versions stored before summaries existed), any two versions compared, a
//! version's normalized spec. Read-only: works on a store beside a running daemon.

use crate::diff::Report;
use crate::spec::load::LoadOptions;
use crate::spec::model::Api;
use crate::store::{Store, StoreError};

use super::{StoredSummary, VersionSummary};

/// Why a stored version could not be explained.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The version does not exist.
    #[error("watch {watch:?} has no version {number}; `specwatch history {watch}` lists them")]
    NoVersion {
        /// The watch.
        watch: String,
        /// The number asked for.
        number: u64,
    },
    /// The stored bytes no longer load (a parser limit lowered since, …).
    #[error("watch {watch:?} v{number}: {message}")]
    Spec {
        /// The watch.
        watch: String,
        /// The version.
        number: u64,
        /// Why.
        message: String,
    },
}

/// The raw bytes of a version.
pub fn version_bytes(store: &Store, watch: &str, number: u64) -> Result<Vec<u8>, ExplainError> {
    store
        .version_bytes(watch, number)?
        .ok_or_else(|| ExplainError::NoVersion {
            watch: watch.to_string(),
            number,
        })
}

/// Options for loading a stored version: it was accepted once, so no size limit
/// lowered since may refuse it.
fn opts_for(bytes: &[u8]) -> LoadOptions {
    let d = LoadOptions::default();
    LoadOptions {
        max_size: d.max_size.max(bytes.len()),
        ..d
    }
}

/// The normalized model of a stored version.
pub fn load_version(store: &Store, watch: &str, number: u64) -> Result<Api, ExplainError> {
    let bytes = version_bytes(store, watch, number)?;
    crate::spec::load_api(
        &bytes,
        &format!("watch {watch} v{number}"),
        &opts_for(&bytes),
    )
    .map_err(|message| ExplainError::Spec {
        watch: watch.to_string(),
        number,
        message,
    })
}

/// The canonical JSON of a stored version (the form its semantic hash is computed on).
pub fn normalized_spec(store: &Store, watch: &str, number: u64) -> Result<Vec<u8>, ExplainError> {
    let bytes = version_bytes(store, watch, number)?;
    let doc = crate::spec::load(
        &bytes,
        &format!("watch {watch} v{number}"),
        &opts_for(&bytes),
    )
    .map_err(|e| ExplainError::Spec {
        watch: watch.to_string(),
        number,
        message: e.to_string(),
    })?;
    Ok(crate::spec::canonical::canonical_json(&doc.doc))
}

/// Compares any two stored versions (`from` is the base).
pub fn compare(
    store: &Store,
    watch: &str,
    from: u64,
    to: u64,
) -> Result<(Report, VersionSummary), ExplainError> {
    let (base, rev) = crate::diff::both(
        || load_version(store, watch, from),
        || load_version(store, watch, to),
    );
    Ok(super::diff_and_summarize(base?, rev?))
}

/// The summary of version `number` against its predecessor: the stored one, or (for a
/// version stored before summaries existed) computed now and not stored. None for the
/// first version.
pub fn version_summary(
    store: &Store,
    watch: &str,
    number: u64,
) -> Result<Option<StoredSummary>, ExplainError> {
    if let Some(json) = store.version_summary(watch, number)?
        && let Ok(s) = serde_json::from_slice::<StoredSummary>(&json)
    {
        return Ok(Some(s));
    }
    if number <= 1 {
        return Ok(None);
    }
    let (_, summary) = compare(store, watch, number - 1, number)?;
    Ok(Some(StoredSummary::new(summary)))
}
