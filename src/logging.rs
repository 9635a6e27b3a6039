//! Logging setup (tracing-subscriber): text or JSON, level from config, `RUST_LOG` overrides.

use tracing_subscriber::EnvFilter;

use crate::config::{LogConfig, LogFormat};

/// Installs the global subscriber (once; later calls are ignored). Logs go to stderr
/// so command output on stdout stays clean; they are coloured only when stderr is a
/// terminal (not a file, a pipe or journald) and `NO_COLOR` is unset.
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
        .with_ansi(colour())
        .with_target(false);
    let _ = match cfg.format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

fn colour() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
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
