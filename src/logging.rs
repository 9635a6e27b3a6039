//! Logging setup (tracing-subscriber): text or JSON, level from config, `RUST_LOG` overrides.

use tracing_subscriber::EnvFilter;

use crate::config::{LogConfig, LogFormat};

/// Installs the global subscriber (once; later calls are ignored). Logs go to stderr
/// so command output on stdout stays clean.
pub fn init(cfg: &LogConfig) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new(format!(
            "{},specwatch={}",
            default_floor(&cfg.level),
            cfg.level
        ))
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(secret_safe(filter))
        .with_writer(std::io::stderr)
        .with_target(false);
    let _ = match cfg.format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Caps wasmtime-wasi at info whatever `RUST_LOG` says: at debug it logs the raw bytes a
/// plugin writes to stdout / stderr, before the plugin host scrubs them of secrets.
pub fn secret_safe(filter: EnvFilter) -> EnvFilter {
    match "wasmtime_wasi=info".parse() {
        Ok(d) => filter.add_directive(d),
        Err(_) => filter,
    }
}

/// Dependencies log at warn unless specwatch itself is at a more verbose level that asks for less.
fn default_floor(level: &str) -> &'static str {
    match level {
        "error" => "error",
        _ => "warn",
    }
}
