//! `poll`, `history`, `show`, `resume`: open the store directly when it is free,
//! otherwise ask the running daemon over its control socket.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};

use super::ListFormat;
use crate::config::{self, Config};
use crate::control::{client, ops, protocol::Request};
use crate::daemon;
use crate::pipeline::Pipeline;
use crate::store::{PollOutcome, Store, StoreError, WatchStatus};

pub(super) enum Access {
    Direct(Store),
    Daemon(std::path::PathBuf),
}

/// For reads: the store itself, read-only when the daemon holds it for writing.
pub(super) fn open_for_read(cfg: &Config) -> anyhow::Result<Store> {
    match daemon::open_store(cfg) {
        Err(StoreError::Locked { .. }) => {
            Store::open_read_only(&cfg.storage.path).context("cannot open the store read-only")
        }
        other => other.context("cannot open the store"),
    }
}

pub(super) fn load(path: &Path) -> anyhow::Result<Config> {
    config::load(path).map_err(|e| anyhow::anyhow!("{e}"))
}

pub(super) fn open(cfg: &Config) -> anyhow::Result<Access> {
    match daemon::open_store(cfg) {
        Ok(s) => Ok(Access::Direct(s)),
        Err(StoreError::Locked { .. }) => Ok(Access::Daemon(daemon::control_socket(cfg))),
        Err(e) => Err(e).context("cannot open the store"),
    }
}

pub(super) fn ask(
    socket: &Path,
    req: Request,
    timeout: Duration,
) -> anyhow::Result<serde_json::Value> {
    // A daemon that is starting holds the store a moment before its socket is up.
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    loop {
        match client::request(socket, &req, timeout) {
            Err(client::ControlError::Connect { .. }) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(50));
            }
            other => {
                return other.context(
                    "the store is in use by the running daemon, and asking the daemon failed",
                );
            }
        }
    }
}

/// `specwatch poll WATCH`.
pub fn poll(path: &Path, watch: &str) -> anyhow::Result<i32> {
    let cfg = load(path)?;
    let Some(w) = cfg.watch(watch).cloned() else {
        bail!("no watch named {watch:?} in {}", path.display());
    };
    let outcome: PollOutcome = match open(&cfg)? {
        Access::Direct(store) => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let pipeline = Pipeline::new(Arc::new(store), daemon::fetcher()?);
            // Alerts it raises wait in the outbox for the daemon to deliver.
            pipeline.set_alerting(cfg.alerting.alerts.clone());
            runtime.block_on(pipeline.poll(&w))?.outcome
        }
        Access::Daemon(socket) => {
            let timeout = w.timeout + Duration::from_secs(60);
            let data = ask(
                &socket,
                Request::Poll {
                    watch: watch.into(),
                },
                timeout,
            )?;
            serde_json::from_value(data).context("unexpected poll answer from the daemon")?
        }
    };
    match outcome {
        PollOutcome::Unchanged { not_modified: true } => {
            println!("{watch}: unchanged (304 Not Modified)")
        }
        PollOutcome::Unchanged {
            not_modified: false,
        } => println!("{watch}: unchanged"),
        PollOutcome::Reformatted => {
            println!("{watch}: unchanged (reformatted: same content, different bytes)")
        }
        PollOutcome::NewVersion { number } => println!("{watch}: new version {number}"),
        PollOutcome::Error { kind, message } => {
            println!("{watch}: error ({}): {message}", kind.as_str());
            return Ok(1);
        }
    }
    Ok(0)
}

/// `specwatch history WATCH`.
pub fn history(path: &Path, watch: &str, format: ListFormat) -> anyhow::Result<i32> {
    let cfg = load(path)?;
    let h = ops::history(&open_for_read(&cfg)?, watch)?;
    if h.state.is_none() && h.versions.is_empty() && cfg.watch(watch).is_none() {
        bail!(
            "no watch named {watch:?} in {} and nothing stored under that name",
            path.display()
        );
    }
    let mut out = std::io::stdout().lock();
    if format == ListFormat::Json {
        serde_json::to_writer_pretty(&mut out, &h)?;
        writeln!(out)?;
        return Ok(0);
    }
    if let Some(state) = &h.state
        && let WatchStatus::Paused { reason, .. } = &state.status
    {
        writeln!(out, "{watch}: PAUSED: {reason}")?;
    }
    if h.versions.is_empty() {
        writeln!(out, "{watch}: no versions stored yet")?;
        return Ok(0);
    }
    writeln!(
        out,
        "{:>4}  {:<20}  {:>10}  {:>9}  {:<12}  {:<12}  {:<15}  {:<15}  source",
        "ver",
        "fetched (UTC)",
        "size",
        "stored",
        "sha256",
        "semantic",
        "causes b/w/i",
        "changes b/w/i"
    )?;
    for v in &h.versions {
        let when = chrono::DateTime::from_timestamp_millis(v.fetched_at)
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default();
        let changes = v
            .change_counts
            .map(|c| format!("{}/{}/{}", c.breaking, c.warning, c.info))
            .unwrap_or_else(|| "-".into());
        // Root causes: one per distinct change, however many operations it reaches.
        let causes = v
            .change_counts
            .and_then(|c| c.root_causes)
            .map(|c| format!("{}/{}/{}", c.breaking, c.warning, c.info))
            .unwrap_or_else(|| "-".into());
        let mut source = Vec::new();
        if let Some(e) = &v.etag {
            source.push(format!("etag {e}"));
        }
        if let Some(l) = &v.last_modified {
            source.push(format!("last-modified {l}"));
        }
        writeln!(
            out,
            "{:>4}  {:<20}  {:>10}  {:>9}  {:<12}  {:<12}  {:<15}  {:<15}  {}",
            v.number,
            when,
            v.raw_size,
            v.stored_size,
            &v.raw_sha256[..12.min(v.raw_sha256.len())],
            &v.semantic_hash[..12.min(v.semantic_hash.len())],
            causes,
            changes,
            if source.is_empty() {
                v.source.clone()
            } else {
                source.join(", ")
            }
        )?;
    }
    Ok(0)
}

/// `specwatch show WATCH [VERSION]`.
pub fn show(path: &Path, watch: &str, version: Option<u64>) -> anyhow::Result<i32> {
    let cfg = load(path)?;
    let bytes = ops::show(&open_for_read(&cfg)?, watch, version)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&bytes)?;
    out.flush()?;
    Ok(0)
}

/// `specwatch resume WATCH`.
pub fn resume(path: &Path, watch: &str) -> anyhow::Result<i32> {
    let cfg = load(path)?;
    let resumed = match open(&cfg)? {
        Access::Direct(store) => ops::resume(&store, watch)?,
        Access::Daemon(socket) => {
            let data = ask(
                &socket,
                Request::Resume {
                    watch: watch.into(),
                },
                Duration::from_secs(30),
            )?;
            data.get("resumed")
                .and_then(|v| v.as_bool())
                .unwrap_or(false)
        }
    };
    if resumed {
        println!("{watch}: resumed; it polls again on its schedule");
    } else {
        println!("{watch}: was not paused");
    }
    Ok(0)
}
