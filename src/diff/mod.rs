//! Diff engine: compares two normalized specs with a registry of rules.

pub mod change;
pub mod context;
pub mod engine;
pub mod filter;
pub mod output;
pub mod rules;
pub mod schema;

pub use change::{Change, Level, Report, Summary};

pub use engine::diff_apis;

use crate::spec::load::LoadOptions;
use crate::spec::normalize::{NormalizeError, normalize};

/// Why two documents could not be diffed.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// The base document could not be normalized.
    #[error("base: {0}")]
    Base(NormalizeError),
    /// The revision could not be normalized.
    #[error("revision: {0}")]
    Revision(NormalizeError),
}

/// Normalizes both parsed documents, diffs them and sorts the result into a report.
pub fn diff_documents(
    base: &serde_json::Value,
    rev: &serde_json::Value,
    opts: &LoadOptions,
) -> Result<Report, DiffError> {
    let base = normalize(base, opts).map_err(DiffError::Base)?;
    let rev = normalize(rev, opts).map_err(DiffError::Revision)?;
    Ok(Report::from_changes(diff_apis(&base, &rev)))
}
