//! Configuration: one TOML file, read into typed structs with every problem reported
//! at once (file:line:col, key path, what is allowed), `${ENV}` interpolated.

pub mod alerts;
mod error;
pub mod health;
pub mod interp;
pub mod ranges;
pub(crate) mod reader;
pub mod summary;
mod watch;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::de::DeTable;

pub use error::{ConfigError, ConfigErrors};
pub use health::HealthConfig;
pub use watch::{Secret, WatchConfig};

use error::Locator;
use reader::{Ctx, TableReader};

/// Default config path when neither `--config` nor `SPECWATCH_CONFIG` is given.
pub const DEFAULT_PATH: &str = "/etc/specwatch/config.toml";

/// The whole configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The file it was read from.
    pub file: PathBuf,
    /// `[server]`.
    pub server: ServerConfig,
    /// `[storage]`.
    pub storage: StorageConfig,
    /// `[log]`.
    pub log: LogConfig,
    /// `[polling]`.
    pub polling: PollingConfig,
    /// `[reload]`.
    pub reload: ReloadConfig,
    /// `[[watch]]` entries, in file order.
    pub watches: Vec<WatchConfig>,
    /// `[alerts]`, `[plugins]`, `[[sink]]`, `[[route]]`, `[[silence]]`.
    pub alerting: alerts::Alerting,
    /// `[summary]`: the optional language-model summary.
    pub summary: summary::SummaryConfig,
}

impl Config {
    /// The watch with this name.
    pub fn watch(&self, name: &str) -> Option<&WatchConfig> {
        self.watches.iter().find(|w| w.name == name)
    }
}

/// `[server]`: the status page / JSON API / metrics listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// Address to bind; 127.0.0.1 by default.
    pub listen: SocketAddr,
    /// Bearer token for mutations (poll, pause, redrive, …); none = mutations disabled.
    pub admin_token: Option<Secret>,
    /// Whether reading pages and the API needs the token too.
    pub read_auth: ReadAuth,
    /// Serve `/badge/…` SVGs (public: no read auth; false = off).
    pub badges: bool,
    /// Serve Atom feeds (public: no read auth; false = off).
    pub feeds: bool,
    /// Serve `/metrics` without read auth (scrapers rarely carry tokens).
    pub public_metrics: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 9187)),
            admin_token: None,
            read_auth: ReadAuth::None,
            badges: true,
            feeds: true,
            public_metrics: true,
        }
    }
}

/// `[server] read_auth`: who may read pages and the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadAuth {
    /// Anyone who can reach the listener.
    None,
    /// Only with the admin token (bearer, basic auth password, or the login cookie).
    Token,
}

/// `[storage]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageConfig {
    /// Directory of the store (relative paths are relative to the config file's directory).
    pub path: PathBuf,
    /// Poll records kept per watch.
    pub poll_log_len: usize,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// `[log]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogConfig {
    /// Text or JSON.
    pub format: LogFormat,
    /// Level filter (`RUST_LOG` overrides it).
    pub level: String,
}

/// `[polling]`: global limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollingConfig {
    /// Polls running at once, across all watches.
    pub max_concurrent: usize,
    /// Polls running at once against one host.
    pub max_per_host: usize,
    /// How long SIGTERM waits for in-flight polls.
    pub shutdown_timeout: Duration,
    /// Bytes of spec text parsed and diffed at once, across all polls.
    pub max_inflight_bytes: u64,
}

/// Default `[polling] max_inflight_bytes`: two Stripe-sized specs (3.7 MB each) at once.
pub const DEFAULT_MAX_INFLIGHT_BYTES: u64 = 8 * 1024 * 1024;

/// `[reload]`: how config changes are picked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReloadConfig {
    /// Watch the config file's directory and reload on change (SIGHUP always works).
    pub watch_file: bool,
}

/// Reads and validates a config file.
pub fn load(path: &Path) -> Result<Config, ConfigErrors> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigErrors(vec![ConfigError {
            file: path.to_path_buf(),
            line: 0,
            col: 0,
            key: String::new(),
            message: format!("cannot read the config file: {e}"),
        }])
    })?;
    // `parse` is total (fuzzed: tests/fuzz config); this only keeps a reload or `validate`
    // alive should a bug remain, reporting it instead of exiting.
    std::panic::catch_unwind(|| parse(&text, path, &|name| std::env::var(name).ok()))
        .unwrap_or_else(|_| {
            Err(ConfigErrors(vec![ConfigError {
                file: path.to_path_buf(),
                line: 0,
                col: 0,
                key: String::new(),
                message: "internal error while reading the config (a bug in specwatch: please report it); the file was not applied".into(),
            }]))
        })
}

/// Parses and validates config text; `env` resolves `${VAR}` references.
pub fn parse(
    text: &str,
    file: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, ConfigErrors> {
    let base_dir = file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    parse_with(text, file, env, |cx, top| {
        read_config(cx, top, file, &base_dir)
    })
}

/// Reads a TOML file's top-level table with `read`, collecting every problem (syntax,
/// types, unknown keys) with file:line:col — the daemon's config and the CLI's
/// `.specwatch-diff.toml` share this.
pub(crate) fn parse_with<T>(
    text: &str,
    file: &Path,
    env: &dyn Fn(&str) -> Option<String>,
    read: impl FnOnce(&mut Ctx<'_>, &mut TableReader<'_, '_>) -> T,
) -> Result<T, ConfigErrors> {
    let loc = Locator::new(file, text);
    let (root, parse_errors) = DeTable::parse_recoverable(text);
    let mut cx = Ctx::new(loc, env);
    for e in parse_errors {
        let span = e.span().unwrap_or(0..0);
        cx.error(
            &span,
            "",
            format!("TOML syntax error: {}", e.message().trim()),
        );
    }
    let mut top = TableReader::new(root.get_ref(), root.span(), "");
    let value = read(&mut cx, &mut top);
    top.finish(&mut cx);
    if cx.errors.is_empty() {
        Ok(value)
    } else {
        cx.errors.sort_by_key(|e| (e.line, e.col));
        cx.errors.dedup();
        Err(ConfigErrors(cx.errors))
    }
}

/// Per-watch defaults from `[defaults]`.
pub(crate) struct Defaults {
    pub(crate) schedule: String,
    pub(crate) timezone: Option<String>,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_spec_size: u64,
    pub(crate) pause_after_failures: u32,
    /// `[defaults.health]`.
    pub(crate) health: HealthConfig,
}

fn read_config(
    cx: &mut Ctx<'_>,
    top: &mut TableReader<'_, '_>,
    file: &Path,
    base_dir: &Path,
) -> Config {
    let mut server = ServerConfig::default();
    if let Some(mut t) = top.table(cx, "server") {
        let span = t.span();
        if let Some(at) = t.string(cx, "admin_token") {
            if at.value.len() < 16 {
                cx.error(
                    &at.span,
                    &t.key_path("admin_token"),
                    "the admin token must be at least 16 characters; generate one with `openssl rand -hex 32`",
                );
            }
            server.admin_token = Some(Secret(at.value));
        }
        if let Some(v) = t.choice(cx, "read_auth", &["none", "token"]) {
            server.read_auth = if v == "token" {
                ReadAuth::Token
            } else {
                ReadAuth::None
            };
        }
        for (key, slot) in [
            ("badges", &mut server.badges),
            ("feeds", &mut server.feeds),
            ("public_metrics", &mut server.public_metrics),
        ] {
            if let Some(b) = t.bool(cx, key) {
                *slot = b;
            }
        }
        if server.read_auth == ReadAuth::Token && server.admin_token.is_none() {
            cx.error(
                &span,
                &t.key_path("read_auth"),
                "read_auth = \"token\" needs admin_token to be set",
            );
        }
        if let Some(at) = t.string(cx, "listen") {
            match at.value.parse() {
                Ok(a) => server.listen = a,
                Err(_) => cx.error(
                    &at.span,
                    &t.key_path("listen"),
                    format!(
                        "invalid address {}; use host:port, e.g. \"127.0.0.1:9187\"",
                        at.shown()
                    ),
                ),
            }
        }
        t.finish(cx);
    }

    let mut storage = StorageConfig {
        path: PathBuf::from("/var/lib/specwatch"),
        poll_log_len: 500,
    };
    if let Some(mut t) = top.table(cx, "storage") {
        if let Some(at) = t.string(cx, "path") {
            storage.path = base_dir.join(at.value);
        }
        if let Some(n) = t.uint(cx, "poll_log_len", ranges::POLL_LOG_LEN) {
            storage.poll_log_len = n as usize;
        }
        t.finish(cx);
    }

    let mut log = LogConfig {
        format: LogFormat::Text,
        level: "info".into(),
    };
    if let Some(mut t) = top.table(cx, "log") {
        if let Some(f) = t.choice(cx, "format", &["text", "json"]) {
            log.format = if f == "json" {
                LogFormat::Json
            } else {
                LogFormat::Text
            };
        }
        if let Some(l) = t.choice(cx, "level", &["error", "warn", "info", "debug", "trace"]) {
            log.level = l;
        }
        t.finish(cx);
    }

    let mut polling = PollingConfig {
        max_concurrent: 32,
        max_per_host: 4,
        shutdown_timeout: Duration::from_secs(30),
        max_inflight_bytes: DEFAULT_MAX_INFLIGHT_BYTES,
    };
    if let Some(mut t) = top.table(cx, "polling") {
        if let Some(n) = t.uint(cx, "max_concurrent", ranges::CONCURRENCY) {
            polling.max_concurrent = n as usize;
        }
        if let Some(n) = t.uint(cx, "max_per_host", ranges::CONCURRENCY) {
            polling.max_per_host = n as usize;
        }
        if let Some(d) = t.duration(cx, "shutdown_timeout", ranges::SHUTDOWN_TIMEOUT) {
            polling.shutdown_timeout = d;
        }
        if let Some(n) = t.size(cx, "max_inflight_bytes", ranges::MAX_INFLIGHT_BYTES) {
            polling.max_inflight_bytes = n;
        }
        t.finish(cx);
    }

    let mut reload = ReloadConfig { watch_file: true };
    if let Some(mut t) = top.table(cx, "reload") {
        if let Some(b) = t.bool(cx, "watch_file") {
            reload.watch_file = b;
        }
        t.finish(cx);
    }

    let mut defaults = Defaults {
        schedule: "every 1h".into(),
        timezone: None,
        timeout: Duration::from_secs(30),
        connect_timeout: Duration::from_secs(10),
        max_spec_size: 50 * 1024 * 1024,
        pause_after_failures: 5,
        health: HealthConfig::default(),
    };
    if let Some(mut t) = top.table(cx, "defaults") {
        let span = t.span();
        if let Some(at) = t.string(cx, "schedule") {
            defaults.schedule = at.value;
        }
        if let Some(at) = t.string(cx, "timezone") {
            defaults.timezone = Some(at.value);
        }
        if let Some(d) = t.duration(cx, "timeout", ranges::FETCH_TIMEOUT) {
            defaults.timeout = d;
        }
        if let Some(d) = t.duration(cx, "connect_timeout", ranges::CONNECT_TIMEOUT) {
            defaults.connect_timeout = d;
        }
        if let Some(n) = t.size(cx, "max_spec_size", ranges::MAX_SPEC_SIZE) {
            defaults.max_spec_size = n;
        }
        if let Some(n) = t.uint(cx, "pause_after_failures", ranges::PAUSE_AFTER_FAILURES) {
            defaults.pause_after_failures = n as u32;
        }
        if let Some(mut h) = t.table(cx, "health") {
            defaults.health = health::read(cx, &mut h, &HealthConfig::default(), true);
            h.finish(cx);
        }
        if let Err(e) =
            crate::schedule::Schedule::parse(&defaults.schedule, defaults.timezone.as_deref())
        {
            cx.error(&span, &t.key_path("schedule"), e.to_string());
        }
        t.finish(cx);
    }

    let mut watches: Vec<WatchConfig> = Vec::new();
    let mut first_seen: BTreeMap<String, usize> = BTreeMap::new();
    for mut t in top.tables(cx, "watch") {
        let (name, entry) = watch::read_watch(cx, &mut t, &defaults, base_dir);
        let name_key = t.key_path("name");
        t.finish(cx);
        let Some((name, span)) = name else { continue };
        if let Some(&line) = first_seen.get(&name) {
            cx.error(
                &span,
                &name_key,
                format!("duplicate watch name {name:?} (first defined on line {line}); names must be unique"),
            );
            continue;
        }
        first_seen.insert(name, cx.loc.position(span.start).0);
        watches.extend(entry);
    }

    let alerting = alerts::read(cx, top, base_dir);
    let summary = summary::read(cx, top);

    Config {
        alerting,
        summary,
        file: file.to_path_buf(),
        server,
        storage,
        log,
        polling,
        reload,
        watches,
    }
}

#[cfg(test)]
mod tests;
