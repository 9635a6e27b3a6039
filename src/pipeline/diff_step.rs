//! The diff step of the pipeline: a new version is diffed against the previous stored
//! one, and the change list is stored with the version so history can answer
//! "what changed in v7" without recomputing.

use crate::diff::Report;
use crate::explain::VersionSummary;
use crate::spec::dom::{Arena, Node};
use crate::spec::load::LoadOptions;
use crate::store::{ChangeCounts, RootCauseCounts, Store};

/// A new version's diff against its predecessor, ready to store.
pub(crate) struct Diffed {
    /// The report.
    pub report: Report,
    /// The report as JSON.
    pub json: Vec<u8>,
    /// Its counts.
    pub counts: ChangeCounts,
    /// The deterministic summary.
    pub summary: VersionSummary,
}

/// Diffs `doc` against version `prev` of `watch` (none when `prev` is 0).
/// Returns the report, as JSON too, its counts and its summary.
pub(crate) fn diff_against_previous(
    store: &Store,
    watch: &str,
    prev: u64,
    doc: &serde_json::Value,
    opts: &LoadOptions,
) -> Result<Option<Diffed>, String> {
    if prev == 0 {
        return Ok(None);
    }
    let bytes = store
        .version_bytes(watch, prev)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("version {prev} is missing from the store"))?;
    // The stored version was accepted once; a `max_spec_size` lowered since must not stop the diff.
    let base_opts = LoadOptions {
        max_size: opts.max_size.max(bytes.len()),
        ..opts.clone()
    };
    let (base, rev) = crate::diff::both(
        || crate::spec::load_api(&bytes, &format!("watch {watch} v{prev}"), &base_opts),
        || {
            let arena = Arena::new();
            crate::spec::normalize(&Node::from_value(doc, &arena), opts)
                .map_err(|e| format!("revision: {e}"))
        },
    );
    let (report, summary) = crate::explain::diff_and_summarize(base?, rev?);
    let counts = ChangeCounts {
        breaking: report.summary.breaking as u32,
        warning: report.summary.warning as u32,
        info: report.summary.info as u32,
        root_causes: Some(RootCauseCounts {
            breaking: report.summary.root_causes.breaking as u32,
            warning: report.summary.root_causes.warning as u32,
            info: report.summary.root_causes.info as u32,
        }),
    };
    let json = serde_json::to_vec(&report).map_err(|e| e.to_string())?;
    Ok(Some(Diffed {
        report,
        json,
        counts,
        summary,
    }))
}
