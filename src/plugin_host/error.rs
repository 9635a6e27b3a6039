//! Why a plugin could not be loaded, checked or watched. Messages name the file (or
//! sink) and say what to do; they never contain a sink's config or URLs.

use std::path::PathBuf;

/// A plugin load / check / watch failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PluginError {
    /// The plugin file could not be read.
    #[error("reading plugin {path}: {message}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        message: String,
    },
    /// The file is not a WebAssembly component (text, a core module, truncated, …).
    #[error(
        "{path} is not a wasm component: {detail} (build plugins for wasm32-wasip2, or wrap a core module with `wasm-tools component new`)"
    )]
    NotAComponent {
        /// The file.
        path: PathBuf,
        /// What was wrong with it.
        detail: String,
    },
    /// Cranelift rejected or failed to compile the component.
    #[error("compiling plugin {path}: {message}")]
    Compile {
        /// The file.
        path: PathBuf,
        /// The compiler's message.
        message: String,
    },
    /// The component's imports or exports do not match this host's WIT.
    #[error(
        "plugin {path} is not compatible with this host (specwatch:sink@{host}): {message}; rebuild it against a specwatch:sink 0.1.x no newer than {host}"
    )]
    Incompatible {
        /// The file.
        path: PathBuf,
        /// The WIT version this host implements.
        host: &'static str,
        /// The linker's message (names the missing import or export).
        message: String,
    },
    /// `describe()` or `validate-config` trapped, timed out or ran out of budget.
    #[error("plugin {path}: {call} failed: {message}")]
    Call {
        /// The file.
        path: PathBuf,
        /// `describe` / `validate-config`.
        call: &'static str,
        /// The trap or timeout.
        message: String,
    },
    /// The plugin rejected a sink's config.
    #[error(
        "sink {sink:?}: plugin {plugin:?} rejected its config: {message} (fix the sink's [sink.config] and reload)"
    )]
    InvalidConfig {
        /// The plugin name.
        plugin: String,
        /// The sink name (or "--config" for `plugin check`).
        sink: String,
        /// The plugin's explanation, truncated.
        message: String,
    },
    /// The file name does not make a plugin name.
    #[error(
        "{path}: plugin file names must be <name>.wasm with a name of letters, digits, '-' or '_'"
    )]
    BadName {
        /// The file.
        path: PathBuf,
    },
    /// The engine or the watcher could not be set up.
    #[error("plugin host: {0}")]
    Setup(String),
}
