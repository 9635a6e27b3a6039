//! Host bindings generated from `plugins/wit/sink.wit` (`specwatch:sink@0.1.1`).
//! Async on both sides: host imports are `async fn` (so `http-send` never blocks a tokio
//! worker) and guest exports are awaited (so epoch interruption can yield).

wasmtime::component::bindgen!({
    world: "plugin",
    path: "plugins/wit",
    imports: { default: async },
    exports: { default: async },
});

/// The WIT package version this host implements.
pub const HOST_WIT_VERSION: &str = "0.1.1";

/// Name prefix of the exported sink interface; the plugin's API version follows the `@`.
pub const SINK_EXPORT_PREFIX: &str = "specwatch:sink/sink@";
