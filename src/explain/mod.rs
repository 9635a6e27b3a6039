//! Per-version artifacts that explain a change: the deterministic summary (what a client
//! must do), reference docs (markdown, HTML), the changelog over a range of versions and
//! the optional language-model summary.

mod actions;
pub mod changelog;
pub mod docs;
pub mod history;
pub mod llm;
pub mod summary;

use serde::{Deserialize, Serialize};

pub use summary::{ItemKind, Models, SummaryItem, VersionSummary, summarize};

use crate::diff::Report;
use crate::spec::model::Api;

/// Diffs two normalized APIs and summarizes the result while both models are at hand
/// (renames are checked by type), then frees the models in parallel.
pub fn diff_and_summarize(base: Api, rev: Api) -> (Report, VersionSummary) {
    let report = Report::from_changes(crate::diff::diff_apis(&base, &rev));
    let summary = summarize(
        &report,
        Some(Models {
            base: &base,
            rev: &rev,
        }),
    );
    crate::diff::both(move || drop(base), move || drop(rev));
    (report, summary)
}

/// A language model's summary of a version, stored beside the deterministic one and
/// always shown labelled as generated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generated {
    /// `openai-compatible` or `anthropic`.
    pub provider: String,
    /// The model that wrote it.
    pub model: String,
    /// Its text, as returned.
    pub text: String,
    /// When it was stored (ms since the epoch).
    pub at: i64,
    /// True when the model stopped at its token limit (the text is cut).
    #[serde(default)]
    pub truncated: bool,
}

/// What the summary table holds for a version.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StoredSummary {
    /// The deterministic summary.
    #[serde(flatten)]
    pub summary: VersionSummary,
    /// The generated summary, when one was asked for and arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
    /// Why the generated summary is missing, when asking failed (never holds a secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated_error: Option<String>,
}

impl StoredSummary {
    /// A stored summary with only the deterministic part.
    pub fn new(summary: VersionSummary) -> StoredSummary {
        StoredSummary {
            summary,
            generated: None,
            generated_error: None,
        }
    }
}
