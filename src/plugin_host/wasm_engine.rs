//! The wasmtime engine shared by every plugin, its linker (WASI p2 with an empty
//! context + our `host` imports) and the epoch ticker that drives CPU budgets.

use std::sync::Arc;
use std::time::Duration;

use wasmtime::component::{HasSelf, Linker};
use wasmtime::{Config, Engine};

use super::PluginError;
use super::bindings::Plugin;
use super::sandbox::HostState;

/// One epoch tick: the granularity of CPU budgets and of yielding to tokio.
pub const TICK: Duration = Duration::from_millis(10);

/// Engine + linker, shared by all plugins of one `Plugins`.
pub struct PluginEngine {
    /// The engine (compiles, and owns the epoch counter).
    pub engine: Engine,
    /// Type-checks and links every plugin (semver-aware: `@0.1.0` imports match `@0.1.1`).
    pub linker: Arc<Linker<HostState>>,
}

impl PluginEngine {
    /// Builds the engine and linker and starts the ticker thread (it stops by itself once
    /// the engine is dropped).
    pub fn new() -> Result<PluginEngine, PluginError> {
        let mut config = Config::new();
        config
            .epoch_interruption(true)
            .max_wasm_stack(512 * 1024)
            .cranelift_opt_level(wasmtime::OptLevel::Speed);
        let engine = Engine::new(&config).map_err(|e| PluginError::Setup(e.to_string()))?;
        let mut linker: Linker<HostState> = Linker::new(&engine);
        // A Rust std guest imports wasi:cli/io even if it never prints; other languages
        // import more. The context behind them is empty (see sandbox.rs).
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)
            .map_err(|e| PluginError::Setup(format!("linking WASI: {e}")))?;
        Plugin::add_to_linker::<HostState, HasSelf<HostState>>(&mut linker, |s| s)
            .map_err(|e| PluginError::Setup(format!("linking host imports: {e}")))?;
        start_ticker(&engine)?;
        Ok(PluginEngine {
            engine,
            linker: Arc::new(linker),
        })
    }

    /// Hex key of everything that makes a precompiled artifact loadable by this engine.
    pub fn compatibility_key(&self) -> String {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.engine.precompile_compatibility_hash().hash(&mut h);
        format!("{:016x}", h.finish())
    }
}

/// A plain thread, not a tokio task, so a starved runtime cannot stop the clock.
fn start_ticker(engine: &Engine) -> Result<(), PluginError> {
    let weak = engine.weak();
    std::thread::Builder::new()
        .name("plugin-epoch".into())
        .spawn(move || {
            while let Some(engine) = weak.upgrade() {
                engine.increment_epoch();
                drop(engine);
                std::thread::sleep(TICK);
            }
        })
        .map(drop)
        .map_err(|e| PluginError::Setup(format!("starting the epoch thread: {e}")))
}
