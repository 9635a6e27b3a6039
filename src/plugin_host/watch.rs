//! Hot reload: a debounced, non-recursive watch on the plugin directory. A batch of
//! events collapses into a set of plugin names, each re-checked on disk by
//! `load_one` (a half-written file fails to load; the next event retries).

use std::collections::BTreeSet;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::sync::mpsc;

use super::PluginError;
use super::load::plugin_name;
use super::registry::{Plugins, is_candidate};

/// Debounce window: events for a file closer together than this are one batch.
pub const DEBOUNCE: Duration = Duration::from_millis(500);

/// Keeps the directory watch alive; reloading stops when it drops.
pub struct WatchGuard {
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for WatchGuard {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Writes, creates, removes and renames matter; the daemon's own reads
/// (`Access(Open)`, close-without-write) would otherwise feed back into the watcher.
fn relevant(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Modify(_)
            | EventKind::Remove(_)
            | EventKind::Access(AccessKind::Close(AccessMode::Write))
    )
}

impl Plugins {
    /// Starts the directory watcher (needs a tokio runtime); reloading stops when the
    /// guard drops.
    pub fn watch(&self) -> Result<WatchGuard, PluginError> {
        let handle = tokio::runtime::Handle::try_current().map_err(|_| {
            PluginError::Setup("watch() must be called inside a tokio runtime".into())
        })?;
        let dir = self.options().dir.clone();
        let (tx, mut rx) = mpsc::unbounded_channel::<BTreeSet<String>>();
        let mut debouncer =
            new_debouncer(
                DEBOUNCE,
                None,
                move |result: DebounceEventResult| match result {
                    Ok(events) => {
                        let names: BTreeSet<String> = events
                            .iter()
                            .filter(|e| relevant(&e.kind))
                            .flat_map(|e| e.paths.iter())
                            .filter(|p| is_candidate(p))
                            .filter_map(|p| plugin_name(p))
                            .collect();
                        if !names.is_empty() {
                            let _ = tx.send(names);
                        }
                    }
                    Err(errors) => {
                        for e in errors {
                            tracing::warn!("plugin directory watch error: {e}");
                        }
                    }
                },
            )
            .map_err(|e| PluginError::Setup(format!("watching {}: {e}", dir.display())))?;
        debouncer
            .watch(&dir, RecursiveMode::NonRecursive)
            .map_err(|e| PluginError::Setup(format!("watching {}: {e}", dir.display())))?;
        let plugins = self.clone();
        let task = handle.spawn(async move {
            while let Some(mut names) = rx.recv().await {
                // Coalesce batches that queued up while the previous one was loading.
                while let Ok(more) = rx.try_recv() {
                    names.extend(more);
                }
                for name in names {
                    // Errors are recorded (and logged) by load_one; the old version serves.
                    let _ = plugins.load_one(&name).await;
                }
            }
        });
        Ok(WatchGuard {
            _debouncer: debouncer,
            task,
        })
    }
}
