//! Config hot reload triggers: a debounced watch on the config file's directory
//! (editors and `sed -i` replace the file, so watching the file itself misses edits).

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::sync::mpsc;
use tracing::warn;

/// Why a reload was requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The config file was written, replaced or removed.
    File,
    /// SIGHUP.
    Sighup,
}

impl Cause {
    /// "file" / "sighup".
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::File => "file",
            Cause::Sighup => "sighup",
        }
    }
}

/// Keeps the directory watch alive; dropping it stops watching.
pub type ConfigWatcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Watches `config`'s directory and sends `Cause::File` when the file is created,
/// modified, renamed into place or removed (access events are ignored).
pub fn watch_config(config: &Path, tx: mpsc::Sender<Cause>) -> notify::Result<ConfigWatcher> {
    let dir = config
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let file_name = config.file_name().map(|f| f.to_os_string());
    let mut debouncer = new_debouncer(
        Duration::from_millis(250),
        None,
        move |result: DebounceEventResult| match result {
            Ok(events) => {
                let relevant = events.iter().any(|e| {
                    !matches!(e.kind, EventKind::Access(_))
                        && e.paths
                            .iter()
                            .any(|p| p.file_name().map(|f| f.to_os_string()) == file_name)
                });
                if relevant {
                    // A full channel already holds a pending reload: coalescing is what we want.
                    let _ = tx.try_send(Cause::File);
                }
            }
            Err(errors) => {
                for e in errors {
                    warn!("config directory watch error: {e}");
                }
            }
        },
    )?;
    debouncer.watch(&dir, RecursiveMode::NonRecursive)?;
    Ok(debouncer)
}
