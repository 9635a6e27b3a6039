//! Runs one export of a plugin in a fresh sandbox (store + instance from the cached
//! `PluginPre`) under a wall-clock deadline; traps, budget exhaustion and timeouts come
//! back as [`CallError`], never as a panic.

use std::time::Duration;

use futures_util::future::BoxFuture;
use wasmtime::Store;

use super::bindings::{Plugin, PluginPre};
use super::sandbox::{self, CallCtx, HostState, Limits};

/// Why a call did not return a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The wall-clock deadline passed (the guest was cancelled).
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// The guest trapped (panic, memory cap, CPU budget, …) or could not be instantiated.
    #[error("{0}")]
    Trap(String),
}

/// Instantiates `pre` in a new store and runs `f` on it, bounded by `wall`.
pub async fn with_instance<R: Send>(
    pre: &PluginPre<HostState>,
    call: CallCtx,
    limits: Limits,
    wall: Duration,
    f: impl for<'a> FnOnce(&'a Plugin, &'a mut Store<HostState>) -> BoxFuture<'a, wasmtime::Result<R>>
    + Send,
) -> Result<R, CallError> {
    // Trap messages can quote what the guest panicked with (its config, say).
    let clean = {
        let call = call.clone();
        move |e: &wasmtime::Error| call.clean(&sandbox::error_text(e), usize::MAX)
    };
    let mut store = sandbox::new_store(pre.engine(), call, limits);
    let run = async {
        let plugin = pre
            .instantiate_async(&mut store)
            .await
            .map_err(|e| CallError::Trap(format!("instantiating: {}", clean(&e))))?;
        f(&plugin, &mut store)
            .await
            .map_err(|e| CallError::Trap(clean(&e)))
    };
    let out = match tokio::time::timeout(wall, run).await {
        Ok(r) => r,
        Err(_) => Err(CallError::Timeout(wall)),
    };
    // Whatever the guest printed before returning, trapping or being cancelled.
    sandbox::flush_stdio(store.data());
    out
}
