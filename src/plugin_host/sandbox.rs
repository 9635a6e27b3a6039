//! The per-call sandbox: a fresh `Store` with a memory cap, an epoch CPU budget that
//! yields to tokio, an empty WASI context and bounded capture of the guest's stdio.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::AsyncWrite;
use wasmtime::component::ResourceTable;
use wasmtime::{Engine, Store, StoreLimits, StoreLimitsBuilder, UpdateDeadline};
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use super::http::HttpPolicy;
use super::wasm_engine::TICK;

/// Bytes of each of stdout / stderr kept per call; the rest is counted and dropped.
const STDIO_CAP: usize = 16 * 1024;
/// Lines of captured stdio written to the daemon log per call and stream.
const STDIO_MAX_LINES: usize = 32;
/// Longest line of plugin output (stdio or `log`) written to the daemon log.
pub const MAX_LINE: usize = 1024;

/// Most elements of any one table (funcref / externref) of an instance: ample for real
/// components (a few thousand at most), and a hard stop for a plugin growing tables
/// instead of memory.
pub const MAX_TABLE_ELEMENTS: usize = 100_000;

/// Resource limits of one call.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Linear memory cap (bytes) for the whole instance.
    pub memory: usize,
    /// Guest CPU time allowed (counted in epoch ticks).
    pub cpu_budget: Duration,
}

impl Limits {
    fn budget_ticks(&self) -> u64 {
        (self.cpu_budget.as_millis() / TICK.as_millis()).max(1) as u64
    }
}

/// Who is calling, for log lines and the `http-send` policy.
#[derive(Debug, Clone)]
pub struct CallCtx {
    /// Plugin name.
    pub plugin: Arc<str>,
    /// Sink name ("-" during load checks).
    pub sink: Arc<str>,
    /// The sink's network policy; `None` during load checks (no network then).
    pub http: Option<Arc<HttpPolicy>>,
    /// Secret strings of the configured plugin sinks, scrubbed from all plugin output.
    pub secrets: Arc<Vec<String>>,
    /// HTTP status of the last response `http-send` returned in this call (0: none),
    /// reported when the plugin's own result carries no status.
    pub last_status: Arc<std::sync::atomic::AtomicU16>,
}

impl CallCtx {
    /// Plugin-provided text made safe to log or store: secrets scrubbed, on one line,
    /// at most `max` bytes.
    pub fn clean(&self, text: &str, max: usize) -> String {
        let text = crate::redact::one_line(&crate::redact::scrub(text, &self.secrets));
        truncate(&text, max).to_string()
    }
}

/// Everything a store carries.
pub struct HostState {
    wasi: WasiCtx,
    table: ResourceTable,
    limits: StoreLimits,
    /// Caller identity and policy.
    pub call: CallCtx,
    /// `log` lines this call may still write.
    pub log_budget: u32,
    stdout: Capture,
    stderr: Capture,
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// Lines a plugin may `log` per call; more are dropped (one warning says so).
pub const LOG_LINES_PER_CALL: u32 = 50;

/// Builds a store for one call: nothing shared with any other call.
pub fn new_store(engine: &Engine, call: CallCtx, limits: Limits) -> Store<HostState> {
    let (stdout, stderr) = (Capture::default(), Capture::default());
    // Empty WASI: no preopened dirs, no env, no args, no network, stdin closed.
    let wasi = WasiCtx::builder()
        .stdout(stdout.clone())
        .stderr(stderr.clone())
        .allow_tcp(false)
        .allow_udp(false)
        .allow_ip_name_lookup(false)
        .build();
    let state = HostState {
        wasi,
        table: ResourceTable::new(),
        limits: StoreLimitsBuilder::new()
            .memory_size(limits.memory)
            .instances(32)
            .tables(32)
            // Table growth is host memory too: capped like linear memory.
            .table_elements(MAX_TABLE_ELEMENTS)
            // The cap is per linear memory: allowing only two (a component's main module
            // plus an adapter) keeps the worst case at 2x the cap.
            .memories(2)
            .trap_on_grow_failure(true)
            .build(),
        call,
        log_budget: LOG_LINES_PER_CALL,
        stdout,
        stderr,
    };
    let mut store = Store::new(engine, state);
    store.limiter(|s| &mut s.limits);
    let budget = limits.budget_ticks();
    let mut used = 0u64;
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(move |_| {
        used += 1;
        if used > budget {
            return Err(wasmtime::format_err!(
                "plugin exceeded its CPU budget of {} ms",
                budget * TICK.as_millis() as u64
            ));
        }
        // Yield every tick so one busy plugin cannot starve the runtime's other tasks.
        Ok(UpdateDeadline::YieldCustom(
            1,
            Box::pin(tokio::task::yield_now()),
        ))
    });
    store
}

/// Writes what the guest printed to the daemon log (bounded), tagged with plugin and sink.
pub fn flush_stdio(state: &HostState) {
    for (name, cap) in [("stdout", &state.stdout), ("stderr", &state.stderr)] {
        let (bytes, dropped) = cap.take();
        if bytes.is_empty() && dropped == 0 {
            continue;
        }
        // Scrubbed before splitting and cutting, so no part of a secret survives; each
        // line is then one log entry (a carriage return cannot forge another).
        let text = crate::redact::scrub(&String::from_utf8_lossy(&bytes), &state.call.secrets);
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        for line in lines.by_ref().take(STDIO_MAX_LINES) {
            tracing::info!(
                plugin = &*state.call.plugin,
                sink = &*state.call.sink,
                stream = name,
                "plugin output: {}",
                state.call.clean(line, MAX_LINE)
            );
        }
        let more = lines.count();
        if more > 0 || dropped > 0 {
            tracing::warn!(
                plugin = &*state.call.plugin,
                sink = &*state.call.sink,
                stream = name,
                "plugin output truncated: {more} more lines and {dropped} bytes not logged"
            );
        }
    }
}

/// At most `max` bytes of `s`, cut on a char boundary.
pub fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A bounded in-memory stdout/stderr: accepts every write (a chatty guest must not
/// trap), keeps the first [`STDIO_CAP`] bytes.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<(Vec<u8>, usize)>>);

impl Capture {
    fn take(&self) -> (Vec<u8>, usize) {
        let mut g = self.0.lock().unwrap_or_else(|e| e.into_inner());
        (std::mem::take(&mut g.0), std::mem::take(&mut g.1))
    }
}

impl IsTerminal for Capture {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for Capture {
    fn async_stream(&self) -> Box<dyn AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

impl AsyncWrite for Capture {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let mut g = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let room = STDIO_CAP.saturating_sub(g.0.len());
        let keep = room.min(buf.len());
        g.0.extend_from_slice(&buf[..keep]);
        g.1 += buf.len() - keep;
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// One line per cause of a wasmtime error, without the multi-line wasm backtrace.
pub fn error_text(e: &wasmtime::Error) -> String {
    let mut out: Vec<String> = Vec::new();
    for cause in e.chain() {
        let text = cause.to_string();
        let first = text.lines().next().unwrap_or("").trim().to_string();
        if first.is_empty()
            || first.starts_with("error while executing at wasm backtrace")
            || out.iter().any(|o| o.contains(&first))
        {
            continue;
        }
        out.push(first);
    }
    if out.is_empty() {
        out.push(e.to_string());
    }
    out.join(": ")
}
