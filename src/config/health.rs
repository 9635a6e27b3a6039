//! `[defaults.health]` and `[watch.health]`: endpoint probes derived from the spec.

use std::collections::BTreeMap;
use std::time::Duration;

use super::reader::{Ctx, TableReader};
use super::watch::Secret;
use crate::schedule::Schedule;

use super::ranges;

/// Methods that never change state on a well-behaved server, so probing them is harmless.
pub const SAFE_METHODS: &[&str] = &["GET", "HEAD", "OPTIONS"];

/// Every method an OpenAPI operation can have.
const ALL_METHODS: &[&str] = &[
    "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "TRACE",
];

/// A `healthy_status` entry: `"2xx"` (a class) or `"404"` (one code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusPattern {
    /// Every status of the class (2 for `2xx`).
    Class(u16),
    /// One status.
    Code(u16),
}

impl StatusPattern {
    /// Parses `"2xx"` or `"404"`.
    pub fn parse(s: &str) -> Option<StatusPattern> {
        let s = s.trim().to_ascii_lowercase();
        if let Some(c) = s.strip_suffix("xx") {
            let c: u16 = c.parse().ok()?;
            return (1..=5).contains(&c).then_some(StatusPattern::Class(c));
        }
        let n: u16 = s.parse().ok()?;
        (100..=599).contains(&n).then_some(StatusPattern::Code(n))
    }

    /// True when `status` matches.
    pub fn matches(self, status: u16) -> bool {
        match self {
            StatusPattern::Class(c) => status / 100 == c,
            StatusPattern::Code(n) => status == n,
        }
    }
}

/// Endpoint health settings of one watch (defaults from `[defaults.health]`).
#[derive(Debug, Clone, PartialEq)]
pub struct HealthConfig {
    /// Probe this watch's endpoints (off by default).
    pub enabled: bool,
    /// The schedule text as written.
    pub schedule_text: String,
    /// Parsed schedule.
    pub schedule: Schedule,
    /// Base URL replacing the spec's `servers` / `host` + `basePath`.
    pub base_url: Option<String>,
    /// Methods probed (safe ones only; others through `unsafe_operations`).
    pub methods: Vec<String>,
    /// Path globs (`*` matches any run of characters) an operation must match, if any.
    pub include: Vec<String>,
    /// Path globs excluded.
    pub exclude: Vec<String>,
    /// Values for path parameters, by name.
    pub path_params: BTreeMap<String, String>,
    /// Extra request headers (values may be secrets).
    pub headers: Vec<(String, Secret)>,
    /// Statuses counted as healthy.
    pub healthy_status: Vec<StatusPattern>,
    /// Total time per probe.
    pub timeout: Duration,
    /// A healthy answer slower than this is `degraded`.
    pub degraded_latency: Duration,
    /// Consecutive failures before an endpoint is `down`.
    pub failure_threshold: u32,
    /// Consecutive successes before a `down` endpoint is `up` again.
    pub success_threshold: u32,
    /// Operations probed although their method is not safe (`"POST /v1/search"`), with
    /// the request body to send (`""` for none): the operator's explicit opt-in.
    pub unsafe_operations: BTreeMap<String, String>,
    /// `cert_expiring` is raised this long before a certificate expires.
    pub cert_expiry_warning: Duration,
    /// Store-wide (read from `[defaults.health]` only): raw probes are kept this long.
    pub raw_retention: Duration,
    /// Store-wide: hourly rollups are kept this long.
    pub rollup_retention: Duration,
    /// Store-wide: probes in flight at once.
    pub max_concurrent: usize,
    /// Store-wide: probes in flight at once against one host:port.
    pub max_per_host: usize,
}

impl Default for HealthConfig {
    fn default() -> Self {
        HealthConfig {
            enabled: false,
            schedule_text: "every 1m".into(),
            schedule: Schedule::Every(Duration::from_secs(60)),
            base_url: None,
            methods: vec!["GET".into(), "HEAD".into()],
            include: vec![],
            exclude: vec![],
            path_params: BTreeMap::new(),
            headers: vec![],
            healthy_status: vec![
                StatusPattern::Class(2),
                StatusPattern::Class(3),
                StatusPattern::Class(4),
            ],
            timeout: Duration::from_secs(10),
            degraded_latency: Duration::from_secs(2),
            failure_threshold: 3,
            success_threshold: 2,
            unsafe_operations: BTreeMap::new(),
            cert_expiry_warning: Duration::from_secs(14 * 86_400),
            raw_retention: Duration::from_secs(7 * 86_400),
            rollup_retention: Duration::from_secs(365 * 86_400),
            max_concurrent: 256,
            max_per_host: 32,
        }
    }
}

impl HealthConfig {
    /// True when `status` counts as healthy.
    pub fn is_healthy_status(&self, status: u16) -> bool {
        self.healthy_status.iter().any(|p| p.matches(status))
    }
}

/// Reads a `health` table over `base` (the built-in defaults or `[defaults.health]`);
/// the store-wide keys only when `store_wide` (in `[defaults.health]`: elsewhere they
/// are reported as unknown keys).
pub(crate) fn read(
    cx: &mut Ctx<'_>,
    t: &mut TableReader<'_, '_>,
    base: &HealthConfig,
    store_wide: bool,
) -> HealthConfig {
    let mut h = base.clone();
    if let Some(b) = t.bool(cx, "enabled") {
        h.enabled = b;
    }
    if let Some(at) = t.string(cx, "schedule") {
        match parse_schedule(&at.value) {
            Ok(s) => {
                h.schedule = s;
                h.schedule_text = at.value;
            }
            Err(e) => cx.error(&at.span, &t.key_path("schedule"), e),
        }
    }
    if let Some(at) = t.string(cx, "base_url") {
        match url::Url::parse(&at.value) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => h.base_url = Some(at.value),
            _ => cx.error(
                &at.span,
                &t.key_path("base_url"),
                "invalid base_url; use an absolute http(s):// URL, e.g. \"https://api.example.com/v1\"",
            ),
        }
    }
    if let Some(list) = t.string_list(cx, "methods") {
        let mut methods = Vec::new();
        for m in list {
            let up = m.value.trim().to_ascii_uppercase();
            if SAFE_METHODS.contains(&up.as_str()) {
                methods.push(up);
            } else if ALL_METHODS.contains(&up.as_str()) {
                cx.error(
                    &m.span,
                    &t.key_path("methods"),
                    format!(
                        "{up} is not a safe method and is never probed for every operation; opt in per operation with unsafe_operations = {{ \"{up} /path\" = \"<body>\" }}"
                    ),
                );
            } else {
                cx.error(
                    &m.span,
                    &t.key_path("methods"),
                    format!(
                        "unknown method {:?}; allowed: {}",
                        m.value,
                        SAFE_METHODS.join(", ")
                    ),
                );
            }
        }
        h.methods = methods;
    }
    if let Some(list) = t.string_list(cx, "include") {
        h.include = list.into_iter().map(|a| a.value).collect();
    }
    if let Some(list) = t.string_list(cx, "exclude") {
        h.exclude = list.into_iter().map(|a| a.value).collect();
    }
    let params = t.string_map(cx, "path_params");
    if !params.is_empty() {
        h.path_params = params.into_iter().map(|(k, v)| (k, v.value)).collect();
    }
    let headers = t.string_map(cx, "headers");
    if !headers.is_empty() {
        h.headers = headers
            .into_iter()
            .map(|(k, v)| (k, Secret(v.value)))
            .collect();
    }
    if let Some(list) = t.string_list(cx, "healthy_status") {
        let mut pats = Vec::new();
        for s in list {
            match StatusPattern::parse(&s.value) {
                Some(p) => pats.push(p),
                None => cx.error(
                    &s.span,
                    &t.key_path("healthy_status"),
                    format!(
                        "invalid status pattern {:?}; use a class like \"2xx\" or a code like \"404\"",
                        s.value
                    ),
                ),
            }
        }
        h.healthy_status = pats;
    }
    if let Some(d) = t.duration(cx, "timeout", ranges::PROBE_TIMEOUT) {
        h.timeout = d;
    }
    if let Some(d) = t.duration(cx, "degraded_latency", ranges::DEGRADED_LATENCY) {
        h.degraded_latency = d;
    }
    if let Some(n) = t.uint(cx, "failure_threshold", ranges::HEALTH_THRESHOLD) {
        h.failure_threshold = n as u32;
    }
    if let Some(n) = t.uint(cx, "success_threshold", ranges::HEALTH_THRESHOLD) {
        h.success_threshold = n as u32;
    }
    let ops = t.string_map(cx, "unsafe_operations");
    if !ops.is_empty() {
        let mut map = BTreeMap::new();
        for (op, body) in ops {
            let method = op
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            let path_ok = op
                .split_whitespace()
                .nth(1)
                .is_some_and(|p| p.starts_with('/'));
            if !ALL_METHODS.contains(&method.as_str()) || !path_ok {
                cx.error(
                    &body.span,
                    &t.key_path("unsafe_operations"),
                    format!("invalid operation {op:?}; use \"METHOD /path\" as in the spec, e.g. \"POST /v1/search\""),
                );
                continue;
            }
            map.insert(normalize_operation(&op), body.value);
        }
        h.unsafe_operations = map;
    }
    if let Some(d) = t.duration(cx, "cert_expiry_warning", ranges::CERT_EXPIRY_WARNING) {
        h.cert_expiry_warning = d;
    }
    if store_wide {
        if let Some(d) = t.duration(cx, "raw_retention", ranges::RAW_RETENTION) {
            h.raw_retention = d;
        }
        if let Some(d) = t.duration(cx, "rollup_retention", ranges::ROLLUP_RETENTION) {
            h.rollup_retention = d;
        }
        if let Some(n) = t.uint(cx, "max_concurrent", ranges::PROBE_CONCURRENCY) {
            h.max_concurrent = n as usize;
        }
        if let Some(n) = t.uint(cx, "max_per_host", ranges::PROBE_CONCURRENCY) {
            h.max_per_host = n as usize;
        }
    }
    if h.timeout.is_zero() {
        cx.error(
            &t.span(),
            &t.key_path("timeout"),
            "timeout must be more than 0s",
        );
    }
    h
}

/// Like a watch's schedule, but intervals may be as short as 1 s: a probe is one cheap
/// request, and a health check every few seconds is a normal setting.
fn parse_schedule(text: &str) -> Result<Schedule, String> {
    if let Some(interval) = text.trim().strip_prefix("every ") {
        let d = crate::units::parse_duration(interval.trim())?;
        if d < Duration::from_secs(1) {
            return Err(format!(
                "`{text}` probes more often than every 1s; use a longer interval"
            ));
        }
        return Ok(Schedule::Every(d));
    }
    Schedule::parse(text, None).map_err(|e| e.to_string())
}

/// `"post  /v1/x"` → `"POST /v1/x"`.
pub fn normalize_operation(op: &str) -> String {
    let mut parts = op.split_whitespace();
    let method = parts.next().unwrap_or("").to_ascii_uppercase();
    let path = parts.next().unwrap_or("");
    format!("{method} {path}")
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::Duration;

    use super::StatusPattern;
    use crate::config::parse;

    fn env(name: &str) -> Option<String> {
        (name == "TOKEN").then(|| "tok-123456789".to_string())
    }

    const WATCH: &str = "[[watch]]\nname = \"w\"\nurl = \"https://x.example/s.json\"\n";

    #[test]
    fn watch_health_overrides_defaults_health() {
        let text = format!(
            "[defaults.health]\nenabled = true\ntimeout = \"3s\"\nraw_retention = \"2d\"\nmax_per_host = 2\n{WATCH}[watch.health]\nschedule = \"every 5s\"\nbase_url = \"https://api.example.com/v1\"\nmethods = [\"get\"]\nhealthy_status = [\"2xx\", \"404\"]\npath_params = {{ id = \"7\" }}\nheaders = {{ Authorization = \"Bearer ${{TOKEN}}\" }}\nunsafe_operations = {{ \"post  /search\" = \"{{}}\" }}\nfailure_threshold = 5\n"
        );
        let c = parse(&text, Path::new("/c.toml"), &env).unwrap_or_else(|e| panic!("{e}"));
        let h = &c.watches[0].health;
        assert!(h.enabled, "inherited from [defaults.health]");
        assert_eq!(h.timeout, Duration::from_secs(3));
        assert_eq!(h.raw_retention, Duration::from_secs(2 * 86_400));
        assert_eq!(h.max_per_host, 2);
        assert_eq!(h.schedule_text, "every 5s");
        assert_eq!(h.base_url.as_deref(), Some("https://api.example.com/v1"));
        assert_eq!(h.methods, ["GET"]);
        assert_eq!(
            h.healthy_status,
            [StatusPattern::Class(2), StatusPattern::Code(404)]
        );
        assert!(h.is_healthy_status(404) && !h.is_healthy_status(401));
        assert_eq!(h.path_params["id"], "7");
        assert_eq!(h.headers[0].1.expose(), "Bearer tok-123456789");
        assert!(
            !format!("{h:?}").contains("tok-123456789"),
            "secrets never print"
        );
        assert_eq!(h.unsafe_operations["POST /search"], "{}");
        assert_eq!((h.failure_threshold, h.success_threshold), (5, 2));
    }

    #[test]
    fn bad_health_keys_are_reported_with_their_line() {
        let text = format!(
            "{WATCH}[watch.health]\nmethods = [\"POST\"]\nhealthy_status = [\"6xx\"]\nschedule = \"every 100ms\"\nbase_url = \"ftp://x\"\nfailure_threshold = 0\nraw_retention = \"1d\"\nunsafe_operations = {{ \"search\" = \"\" }}\n"
        );
        let errs = parse(&text, Path::new("/c.toml"), &env).unwrap_err().0;
        let at = |needle: &str| {
            errs.iter()
                .find(|e| e.to_string().contains(needle))
                .unwrap_or_else(|| panic!("no error about {needle}: {errs:#?}"))
                .line
        };
        assert_eq!(at("not a safe method"), 5);
        assert_eq!(at("6xx"), 6);
        assert_eq!(at("every 1s"), 7);
        assert_eq!(at("base_url"), 8);
        assert_eq!(at("failure_threshold"), 9);
        assert_eq!(
            at("raw_retention"),
            10,
            "store-wide keys belong in [defaults.health]"
        );
        assert_eq!(at("METHOD /path"), 11);
    }
}
