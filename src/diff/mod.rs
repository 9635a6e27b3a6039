//! Diff engine: compares two normalized specs with a registry of rules.

pub mod change;
pub mod context;
pub mod engine;
pub mod filter;
pub mod output;
pub mod rules;
pub mod schema;

pub use change::{Change, ChangeGroup, Level, LevelCounts, Report, Summary};

pub use engine::diff_apis;

use crate::spec::dom::Node;
use crate::spec::load::LoadOptions;
use crate::spec::model::Api;
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

/// Normalizes both parsed documents (in parallel), diffs them and sorts the result into a report.
pub fn diff_documents(
    base: &Node<'_>,
    rev: &Node<'_>,
    opts: &LoadOptions,
) -> Result<Report, DiffError> {
    let (base, rev) = both(|| normalize(base, opts), || normalize(rev, opts));
    let base = base.map_err(DiffError::Base)?;
    let rev = rev.map_err(DiffError::Revision)?;
    Ok(diff_and_drop(base, rev))
}

/// One side of a diff as bytes: the document, its name in error messages, and the
/// options (limits, directory for relative `$ref`s) to load it with.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    /// The document.
    pub bytes: &'a [u8],
    /// Its name in error messages ("base", a path, a URL).
    pub origin: &'a str,
    /// How to load it.
    pub opts: &'a LoadOptions,
}

/// Parses, normalizes and diffs two documents given as bytes — the whole `specwatch diff`
/// path — loading each side on its own thread. Errors name the side ("base", "revision").
pub fn diff_bytes(base: &[u8], rev: &[u8], opts: &LoadOptions) -> Result<Report, String> {
    diff_inputs(
        Input {
            bytes: base,
            origin: "base",
            opts,
        },
        Input {
            bytes: rev,
            origin: "revision",
            opts,
        },
    )
}

/// Like [`diff_bytes`] for inputs with their own names and options. Identical inputs
/// (same bytes, same options) load to the same model, so they are loaded once and every
/// rule runs on that model against itself — a CI job diffing a spec its change did not
/// touch pays for one load.
pub fn diff_inputs(base: Input<'_>, rev: Input<'_>) -> Result<Report, String> {
    if base.opts == rev.opts && base.bytes == rev.bytes {
        let mut api = crate::spec::load_api(base.bytes, base.origin, base.opts)?;
        let report = Report::from_changes(diff_apis(&api, &api));
        // Free the model in two halves, one on each thread.
        let schemas = std::mem::take(&mut api.schemas);
        both(move || drop(schemas), move || drop(api));
        return Ok(report);
    }
    let load = |side: Input<'_>| crate::spec::load_api(side.bytes, side.origin, side.opts);
    let (base, rev) = both(|| load(base), || load(rev));
    Ok(diff_and_drop(base?, rev?))
}

/// Diffs two normalized APIs into a report, freeing both in parallel (a Stripe-sized
/// API is ~12,000 schemas; freeing one takes ~2 ms) while the changes are sorted.
pub fn diff_and_drop(base: Api, rev: Api) -> Report {
    let changes = diff_apis(&base, &rev);
    let (_, report) = both(
        move || drop(base),
        move || {
            drop(rev);
            Report::from_changes(changes)
        },
    );
    report
}

/// Runs `a` on a helper thread and `b` on this one: the two sides of a diff are
/// independent until they are compared. If no helper can be started, runs both here.
pub fn both<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    let Some(helper) = HELPER.as_ref() else {
        let a = a();
        return (a, b());
    };
    let mut done = None;
    let b = helper.in_place_scope(|scope| {
        scope.spawn(|_| done = Some(a()));
        b()
    });
    (done.expect("the scope ends after `a` ran"), b)
}

/// Helper threads for the whole process rather than one per call: what a helper
/// allocates (the base side's model, half of the changes) it frees again later, and
/// mimalloc frees a block fastest on the thread that allocated it. Freeing a Stripe
/// model takes 1.8 ms there and 3.8 ms on another thread once the allocating one has
/// exited. One per core beside the caller's (one on a 2-core machine, where the same
/// helper always frees what it built), so concurrent diffs of several watches do not
/// queue behind a single helper.
static HELPER: std::sync::LazyLock<Option<rayon_core::ThreadPool>> =
    std::sync::LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        rayon_core::ThreadPoolBuilder::new()
            .num_threads(cores.saturating_sub(1).max(1))
            .thread_name(|_| "specwatch-diff".into())
            // The main thread's default, so a deep document behaves the same on either side.
            .stack_size(8 << 20)
            .build()
            .ok()
    });

#[cfg(test)]
mod tests {
    use super::both;

    #[test]
    fn both_runs_each_side_once_and_keeps_their_order() {
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let bump = || calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let (a, b) = both(|| (std::thread::current().id(), bump()), bump);
        assert_ne!(
            a.0,
            std::thread::current().id(),
            "`a` runs on its own thread"
        );
        assert_eq!(calls.into_inner(), 2);
        assert_ne!(a.1, b);
    }

    #[test]
    fn both_nests_and_passes_panics_on() {
        // A nested call from a helper thread runs its own queued half while it waits.
        assert_eq!(both(|| both(|| 1, || 2), || 3), ((1, 2), 3));
        let helper_panics = std::panic::catch_unwind(|| both(|| panic!("a"), || 0));
        assert!(helper_panics.is_err());
        let caller_panics = std::panic::catch_unwind(|| both(|| 0, || panic!("b")));
        assert!(caller_panics.is_err());
        // The helpers survive both.
        assert_eq!(both(|| 4, || 5), (4, 5));
    }
}
