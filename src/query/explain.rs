//! Read model of the per-version artifacts (`explain`): summaries, the changelog, reference
//! docs and the normalized spec of stored versions, for the status page and the API.
//! Docs are generated on demand (a Stripe-sized version: tens of milliseconds, see
//! `benches/docs.rs`) and the last few are kept, so a reader paging through one
//! version's docs or a crawler does not regenerate them per request.

use std::collections::VecDeque;
use std::sync::{Arc, LazyLock, Mutex};

use super::{OpError, Query};
use crate::diff::Report;
use crate::explain::changelog::{self, Changelog, Since};
use crate::explain::history::{self, ExplainError};
use crate::explain::{StoredSummary, VersionSummary, docs};

/// Docs kept in memory (a Stripe version's HTML is a few MB).
const DOCS_CACHED: usize = 4;

/// Which rendering of the docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocsFormat {
    /// Markdown.
    Markdown,
    /// Self-contained HTML.
    Html,
}

type DocsKey = (String, u64, DocsFormat, String);
type DocsCache = VecDeque<(DocsKey, Arc<String>)>;

/// (watch, version, format, semantic hash) → rendered docs, most recent last. The hash
/// keeps a store replaced under the same names from serving stale docs.
static DOCS: LazyLock<Mutex<DocsCache>> = LazyLock::new(|| Mutex::new(VecDeque::new()));

fn op_err(e: ExplainError) -> OpError {
    match e {
        ExplainError::Store(s) => OpError::Store(s),
        other => OpError::NotFound(other.to_string()),
    }
}

impl Query {
    /// The summary of version `n` (stored, or computed for older versions).
    pub async fn version_summary(
        &self,
        name: &str,
        n: u64,
    ) -> Result<Option<StoredSummary>, OpError> {
        let name = name.to_string();
        self.blocking(move |s| history::version_summary(s, &name, n).map_err(op_err))
            .await
    }

    /// The stored summaries of a watch's versions (only those stored; cheap).
    pub async fn stored_summaries(
        &self,
        name: &str,
    ) -> Result<std::collections::HashMap<u64, StoredSummary>, OpError> {
        let name = name.to_string();
        self.blocking(move |s| {
            let mut out = std::collections::HashMap::new();
            for m in s.versions(&name)? {
                if let Some(json) = s.version_summary(&name, m.number)?
                    && let Ok(sum) = serde_json::from_slice::<StoredSummary>(&json)
                {
                    out.insert(m.number, sum);
                }
            }
            Ok(out)
        })
        .await
    }

    /// The summary of `report` between two versions (consecutive: the stored one).
    pub async fn compare_summary(
        &self,
        name: &str,
        from: u64,
        to: u64,
    ) -> Result<(Report, VersionSummary), OpError> {
        let name = name.to_string();
        self.blocking(move |s| history::compare(s, &name, from, to).map_err(op_err))
            .await
    }

    /// The changelog of a watch.
    pub async fn changelog(&self, name: &str, since: Since) -> Result<Changelog, OpError> {
        let name = name.to_string();
        self.blocking(move |s| {
            if s.versions(&name)?.is_empty() {
                return Err(OpError::NotFound(format!(
                    "no stored versions of a watch named {name:?}"
                )));
            }
            changelog::build(s, &name, since).map_err(op_err)
        })
        .await
    }

    /// The reference docs of version `n`.
    pub async fn docs(
        &self,
        name: &str,
        n: u64,
        format: DocsFormat,
    ) -> Result<Arc<String>, OpError> {
        let name = name.to_string();
        self.blocking(move |s| {
            let meta = s
                .version_meta(&name, n)?
                .ok_or_else(|| OpError::NotFound(format!("watch {name:?} has no version {n}")))?;
            let key = (name.clone(), n, format, meta.semantic_hash.clone());
            let cache = || DOCS.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((_, d)) = cache().iter().find(|(k, _)| *k == key) {
                return Ok(d.clone());
            }
            let api = history::load_version(s, &name, n).map_err(op_err)?;
            let text = Arc::new(match format {
                DocsFormat::Markdown => docs::markdown::render(&api),
                DocsFormat::Html => docs::html::render(&api),
            });
            let mut c = cache();
            c.retain(|(k, _)| *k != key);
            c.push_back((key, text.clone()));
            while c.len() > DOCS_CACHED {
                c.pop_front();
            }
            Ok(text)
        })
        .await
    }

    /// The canonical JSON of version `n`.
    pub async fn normalized_spec(&self, name: &str, n: u64) -> Result<Vec<u8>, OpError> {
        let name = name.to_string();
        self.blocking(move |s| history::normalized_spec(s, &name, n).map_err(op_err))
            .await
    }
}
