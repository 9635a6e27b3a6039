//! WASM plugin sinks (component model, `specwatch:sink@0.1.1`): loading, sandboxing and
//! hot reload of `<plugins.dir>/<name>.wasm`. The only module that uses wasmtime.
//!
//! Per delivery: fresh store + instance from a cached `InstancePre`, memory cap, epoch
//! CPU budget that yields to tokio, the sink's timeout as wall-clock deadline, bounded
//! concurrency per plugin, and `http-send` as the only way out (see `http.rs`).

mod alert;
mod bindings;
mod call;
mod compile;
mod error;
mod host;
mod http;
mod load;
mod registry;
mod sandbox;
mod secrets;
mod setup;
mod sink;
mod wasm_engine;
mod watch;

pub use bindings::HOST_WIT_VERSION;
pub use error::PluginError;
pub use http::{MAX_RESPONSE, host_matches};
pub use load::PluginInfo;
pub use registry::{PluginStatus, Plugins, PluginsOptions};
pub use setup::{check_sinks, options_from_config, plugin_sinks};
pub use watch::{DEBOUNCE, WatchGuard};
