//! `[[watch]]` entries.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::reader::{At, Ctx, TableReader};
use super::{Defaults, ranges};
use crate::schedule::Schedule;

/// A value that may hold a secret: printed as `***`, never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl Secret {
    /// The secret value itself, for use on the wire only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

/// One watched spec.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    /// Unique slug, used in CLI and URLs.
    pub name: String,
    /// Who publishes the API ("Stripe").
    pub provider: Option<String>,
    /// Which API ("Payments API").
    pub product: Option<String>,
    /// URL or path as written, interpolated (may contain a secret: display `source` instead).
    pub url: Secret,
    /// The config file's directory, for relative paths.
    pub base_dir: PathBuf,
    /// The schedule text as written ("every 15m", "0 */6 * * *", "daily").
    pub schedule_text: String,
    /// Parsed schedule.
    pub schedule: Schedule,
    /// Total fetch timeout.
    pub timeout: Duration,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Largest accepted spec (bytes, after decompression).
    pub max_spec_size: u64,
    /// Extra request headers (values may be secrets).
    pub headers: Vec<(String, Secret)>,
    /// Free-form labels used by alert routing.
    pub labels: BTreeMap<String, String>,
    /// Consecutive failures before the watch is paused (0 = never).
    pub pause_after_failures: u32,
    /// `enabled = false` keeps the entry (and its history) without polling.
    pub enabled: bool,
    /// SHA-256 of the entry's effective polling settings (not `health`, which the
    /// prober applies on its own without restarting the poll task).
    pub fingerprint: String,
    /// `[watch.health]` over `[defaults.health]`.
    pub health: super::HealthConfig,
}

impl PartialEq for WatchConfig {
    /// Two entries are equal when their effective settings are (the fingerprint covers all of them).
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.fingerprint == other.fingerprint
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Reads one `[[watch]]`; returns its name (when readable, for duplicate checks even
/// if other keys are wrong) and the entry (when fully valid).
pub(crate) fn read_watch(
    cx: &mut Ctx<'_>,
    t: &mut TableReader<'_, '_>,
    d: &Defaults,
    base_dir: &Path,
) -> (Option<(String, Range<usize>)>, Option<WatchConfig>) {
    let name = read_name(cx, t);
    let named = name.as_ref().map(|n| (n.value.clone(), n.span.clone()));
    (named, read_rest(cx, t, d, base_dir, name))
}

fn read_name(cx: &mut Ctx<'_>, t: &mut TableReader<'_, '_>) -> Option<At<String>> {
    let start_errors = cx.errors.len();
    let span = t.span();
    let name = t.string(cx, "name");
    if name.is_none() && cx.errors.len() == start_errors {
        cx.error(
            &span,
            &t.key_path("name"),
            "missing required key `name` (a unique slug like \"stripe\")",
        );
    }
    if let Some(n) = &name
        && !valid_name(&n.value)
    {
        cx.error(
            &n.span,
            &t.key_path("name"),
            format!(
                "invalid watch name {}; use 1-64 characters a-z, 0-9, '-' or '_', starting with a letter or digit",
                n.shown()
            ),
        );
        return None;
    }
    name
}

fn read_rest(
    cx: &mut Ctx<'_>,
    t: &mut TableReader<'_, '_>,
    d: &Defaults,
    base_dir: &Path,
    name: Option<At<String>>,
) -> Option<WatchConfig> {
    let start_errors = cx.errors.len();
    let span = t.span();
    let provider = t.string(cx, "provider").map(|a| a.value);
    let product = t.string(cx, "product").map(|a| a.value);
    let url = t.string(cx, "url");
    if let Some(u) = &url {
        if let Err(e) = check_url(&u.value) {
            // The value may carry a secret, so the message describes, never echoes, it; the
            // scheme it names may be part of a `${VAR}` value, so then only the source is shown.
            let e = match u.from_env {
                Some(_) => format!(
                    "{} is not an http(s):// URL, a file:// URL or a path",
                    u.shown()
                ),
                None => e,
            };
            cx.error(&u.span, &t.key_path("url"), e);
        }
    } else if !cx.errors[start_errors..]
        .iter()
        .any(|e| e.key.ends_with(".url"))
    {
        cx.error(
            &span,
            &t.key_path("url"),
            "missing required key `url` (an http(s):// URL, file:// URL or a path)",
        );
    }
    let schedule_at = t.string(cx, "schedule");
    let timezone = t
        .string(cx, "timezone")
        .map(|a| a.value)
        .or(d.timezone.clone());
    let schedule_text = schedule_at
        .as_ref()
        .map_or_else(|| d.schedule.clone(), |a| a.value.clone());
    let schedule = match Schedule::parse(&schedule_text, timezone.as_deref()) {
        Ok(s) => Some(s),
        Err(e) => {
            let sp = schedule_at
                .as_ref()
                .map_or(span.clone(), |a| a.span.clone());
            cx.error(&sp, &t.key_path("schedule"), e.to_string());
            None
        }
    };
    let timeout = t
        .duration(cx, "timeout", ranges::FETCH_TIMEOUT)
        .unwrap_or(d.timeout);
    let connect_timeout = t
        .duration(cx, "connect_timeout", ranges::CONNECT_TIMEOUT)
        .unwrap_or(d.connect_timeout);
    let max_spec_size = t
        .size(cx, "max_spec_size", ranges::MAX_SPEC_SIZE)
        .unwrap_or(d.max_spec_size);
    let headers: Vec<(String, Secret)> = t
        .string_map(cx, "headers")
        .into_iter()
        .map(|(k, v)| (k, Secret(v.value)))
        .collect();
    let labels: BTreeMap<String, String> = t
        .string_map(cx, "labels")
        .into_iter()
        .map(|(k, v)| (k, v.value))
        .collect();
    let pause_after_failures = t
        .uint(cx, "pause_after_failures", ranges::PAUSE_AFTER_FAILURES)
        .map_or(d.pause_after_failures, |n| n as u32);
    let enabled = t.bool(cx, "enabled").unwrap_or(true);
    let health = match t.table(cx, "health") {
        Some(mut h) => {
            let read = super::health::read(cx, &mut h, &d.health, false);
            h.finish(cx);
            read
        }
        None => d.health.clone(),
    };

    if cx.errors.len() > start_errors {
        return None;
    }
    let (name, url, schedule) = (name?, url?, schedule?);
    let mut h = Sha256::new();
    for part in [
        name.value.as_str(),
        url.value.as_str(),
        &schedule_text,
        timezone.as_deref().unwrap_or(""),
        &timeout.as_millis().to_string(),
        &connect_timeout.as_millis().to_string(),
        &max_spec_size.to_string(),
        &pause_after_failures.to_string(),
        if enabled { "1" } else { "0" },
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.update(provider.as_deref().unwrap_or("").as_bytes());
    h.update([0]);
    h.update(product.as_deref().unwrap_or("").as_bytes());
    h.update([0]);
    for (k, v) in &labels {
        h.update(k.as_bytes());
        h.update([2]);
        h.update(v.as_bytes());
        h.update([0]);
    }
    for (k, v) in &headers {
        h.update(k.as_bytes());
        h.update([1]);
        h.update(v.0.as_bytes());
        h.update([0]);
    }
    Some(WatchConfig {
        name: name.value,
        provider,
        product,
        url: Secret(url.value),
        base_dir: base_dir.to_path_buf(),
        schedule_text,
        schedule,
        timeout,
        connect_timeout,
        max_spec_size,
        headers,
        labels,
        pause_after_failures,
        enabled,
        fingerprint: hex::encode(&h.finalize()[..16]),
        health,
    })
}

fn check_url(u: &str) -> Result<(), String> {
    if u.trim().is_empty() {
        return Err("empty url; use an http(s):// URL, a file:// URL or a path".into());
    }
    if let Some((scheme, _)) = u.split_once("://") {
        match scheme.to_ascii_lowercase().as_str() {
            "http" | "https" | "file" => {}
            _ => {
                return Err(format!(
                    "unsupported URL scheme {scheme:?}; allowed: http, https, file (or a plain path)"
                ));
            }
        }
        url::Url::parse(u).map_err(|e| format!("invalid URL: {e}"))?;
    }
    Ok(())
}
