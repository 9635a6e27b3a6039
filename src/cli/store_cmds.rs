//! `poll`, `history`, `show`, `resume`: open the store directly when it is free,
//! otherwise ask the running daemon over its control socket.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};

use super::ListFormat;
use crate::config::{self, Config};
use crate::control::{client, protocol::Request};
use crate::daemon;
use crate::pipeline::Pipeline;
use crate::query::ops;
use crate::store::{
    PollOutcome, PollRecord, Store, StoreError, VersionMeta, WatchState, WatchStatus,
};

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
    // A running daemon answers even while a write error has it reopening its store
    // (when the file lock is briefly free): its commands go through it.
    let socket = daemon::control_socket(cfg);
    if std::os::unix::net::UnixStream::connect(&socket).is_ok() {
        return Ok(Access::Daemon(socket));
    }
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
    ask_with(|| client::request(socket, &req, timeout))
}

/// Runs a control request, retrying while the socket is not up yet: a daemon that is
/// starting holds the store a moment before its socket is up.
pub(super) fn ask_with(
    mut request: impl FnMut() -> Result<serde_json::Value, client::ControlError>,
) -> anyhow::Result<serde_json::Value> {
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    loop {
        match request() {
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
    match &h.state {
        None => writeln!(out, "{watch}: never polled")?,
        Some(state) => writeln!(out, "{watch}: {}", state_line(state))?,
    }
    if h.versions.is_empty() {
        writeln!(out, "no versions stored yet")?;
    } else {
        versions_table(&mut out, &h.versions)?;
    }
    if !h.polls.is_empty() {
        writeln!(out, "\nrecent polls, newest first:")?;
        for p in &h.polls {
            writeln!(out, "  {}", poll_line(p))?;
        }
    }
    Ok(0)
}

/// "active, last poll … (3 consecutive failures), latest version 4".
fn state_line(state: &WatchState) -> String {
    let mut parts = vec![match &state.status {
        WatchStatus::Active => "active".to_string(),
        WatchStatus::Paused { reason, since } => {
            format!("PAUSED since {} UTC: {reason}", utc(*since))
        }
    }];
    if let Some(at) = state.last_poll_at {
        parts.push(format!("last poll {} UTC", utc(at)));
    }
    match state.last_success_at {
        Some(at) if state.consecutive_failures > 0 => parts.push(format!(
            "{} consecutive failures (last success {} UTC)",
            state.consecutive_failures,
            utc(at)
        )),
        None if state.consecutive_failures > 0 => parts.push(format!(
            "{} consecutive failures, never succeeded",
            state.consecutive_failures
        )),
        _ => {}
    }
    parts.push(format!("latest version {}", state.latest_version));
    parts.join(", ")
}

/// One poll record: when, what happened, HTTP status and duration.
fn poll_line(p: &PollRecord) -> String {
    let what = match &p.outcome {
        PollOutcome::Unchanged { not_modified: true } => "unchanged (304)".to_string(),
        PollOutcome::Unchanged { .. } => "unchanged".to_string(),
        PollOutcome::Reformatted => "reformatted (same content)".to_string(),
        PollOutcome::NewVersion { number } => format!("new version {number}"),
        PollOutcome::Error { kind, message } => format!("error ({}): {message}", kind.as_str()),
    };
    let status = p
        .http_status
        .map(|s| format!("HTTP {s}, "))
        .unwrap_or_default();
    format!("{}  {what}  [{status}{} ms]", utc(p.at), p.duration_ms)
}

fn versions_table(out: &mut impl Write, versions: &[VersionMeta]) -> std::io::Result<()> {
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
    for v in versions {
        let when = utc(v.fetched_at);
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
    Ok(())
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

/// Exit code of `status` when no daemon answers (as `systemctl status` uses 3).
const NOT_RUNNING: i32 = 3;

/// `specwatch status`: asks the running daemon over its control socket.
pub fn status(path: &Path, format: ListFormat) -> anyhow::Result<i32> {
    let cfg = load(path)?;
    let socket = daemon::control_socket(&cfg);
    let data = match client::request(&socket, &Request::Status, Duration::from_secs(10)) {
        Ok(d) => d,
        Err(client::ControlError::Connect { source, .. }) => {
            eprintln!(
                "specwatch is not running (no answer on {}: {source}); start it with `specwatch run` or `systemctl start specwatch`",
                socket.display()
            );
            return Ok(NOT_RUNNING);
        }
        Err(e) => return Err(e).context("asking the daemon for its status failed"),
    };
    let mut out = std::io::stdout().lock();
    if format == ListFormat::Json {
        serde_json::to_writer_pretty(&mut out, &data)?;
        writeln!(out)?;
        return Ok(0);
    }
    let s: daemon::DaemonStatus =
        serde_json::from_value(data).context("unexpected status answer from the daemon")?;
    let readiness = s.readiness();
    writeln!(
        out,
        "specwatch running since {} UTC, config {}",
        utc(s.started_at),
        s.config_file
    )?;
    if readiness.ready {
        writeln!(out, "ready:          yes")?;
    } else {
        writeln!(out, "ready:          NO: {}", readiness.problems.join("; "))?;
    }
    writeln!(
        out,
        "watches:        {} ({})",
        s.watches.len(),
        s.watches.join(", ")
    )?;
    let health = if s.store.ok {
        "ok".to_string()
    } else {
        format!(
            "FAILING, reopening with backoff ({} reopen attempts failed)",
            s.store.reopen_failures
        )
    };
    writeln!(out, "store:          {} ({health})", s.store.path)?;
    if let (Some(e), Some(at)) = (&s.store.last_error, s.store.last_error_at) {
        writeln!(out, "last store error: {} UTC: {e}", utc(at))?;
    }
    match &s.last_reload {
        None => writeln!(out, "config reload:  none since start")?,
        Some(r) if r.ok => writeln!(out, "config reload:  ok at {} UTC ({})", utc(r.at), r.cause)?,
        Some(r) => writeln!(
            out,
            "config reload:  REJECTED at {} UTC ({}); still running the previous configuration:\n  {}",
            utc(r.at),
            r.cause,
            r.errors.join("\n  ")
        )?,
    }
    writeln!(
        out,
        "parse/diff:     {} running ({} of {} budget), {} waiting",
        s.heavy.running,
        crate::units::format_size(s.heavy.bytes_in_flight),
        crate::units::format_size(s.heavy.budget_bytes),
        s.heavy.queued
    )?;
    writeln!(out, "listen:         {}", s.listen)?;
    writeln!(out, "control socket: {}", s.control_socket)?;
    Ok(if readiness.ready { 0 } else { 1 })
}

/// A timestamp (ms since epoch) as "YYYY-MM-DD HH:MM:SS".
fn utc(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| "-".into())
}
