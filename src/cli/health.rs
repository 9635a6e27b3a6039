//! `specwatch health WATCH`: one row per probed endpoint (state, last status, uptime
//! 24 h, p50 / p95 / p99 over 24 h, last error), the certificate expiry per host and
//! the operations that are not probed, with why. Reads the store (read-only beside a
//! running daemon).

use std::path::Path;

use anyhow::{Context, bail};
use serde::Serialize;

use super::ListFormat;
use super::store_cmds::{load, open_for_read};
use crate::clock::now_millis;
use crate::health::endpoints::{self, Skipped};
use crate::health::query::{self, WatchHealth};
use crate::notification::rfc3339;
use crate::store::Store;

/// The JSON document printed by `--format json`.
#[derive(Serialize)]
struct Report {
    #[serde(flatten)]
    health: WatchHealth,
    /// Probing is enabled for this watch in the config.
    enabled: bool,
    /// Operations of the latest version that are not probed.
    skipped: Vec<Skipped>,
}

/// `specwatch health WATCH`.
pub fn health(path: &Path, watch: &str, format: ListFormat) -> anyhow::Result<i32> {
    let cfg = load(path)?;
    let w = cfg.watch(watch);
    let store = open_for_read(&cfg)?;
    let now = now_millis();
    let health = query::watch_health(&store, watch, now)
        .with_context(|| format!("cannot read the endpoint health of {watch}"))?;
    if w.is_none() && health.endpoints.is_empty() {
        bail!(
            "no watch named {watch:?} in {} and no endpoint health stored under that name",
            path.display()
        );
    }
    let skipped = match w {
        Some(w) => skipped(&store, w)?,
        None => vec![],
    };
    let report = Report {
        health,
        enabled: w.is_some_and(|w| w.enabled && w.health.enabled),
        skipped,
    };
    match format {
        ListFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        ListFormat::Text => print!("{}", text(&report, now)),
    }
    Ok(0)
}

/// The skipped operations of the watch's latest version (empty without one).
fn skipped(store: &Store, w: &crate::config::WatchConfig) -> anyhow::Result<Vec<Skipped>> {
    let latest = store.watch_state(&w.name)?.map_or(0, |s| s.latest_version);
    let Some(bytes) = (latest > 0)
        .then(|| store.version_bytes(&w.name, latest))
        .transpose()?
        .flatten()
    else {
        return Ok(vec![]);
    };
    let doc = crate::spec::load::parse_document(&bytes, &w.name)?;
    let spec_url = Some(w.url.expose()).filter(|u| u.starts_with("http"));
    Ok(match endpoints::extract(&doc, &w.health, spec_url) {
        Ok(e) => e.skipped,
        Err(e) => vec![Skipped {
            operation: "*".into(),
            reason: e.to_string(),
        }],
    })
}

fn ms(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| {
        if v >= 100.0 {
            format!("{v:.0}ms")
        } else {
            format!("{v:.1}ms")
        }
    })
}

fn text(r: &Report, now: i64) -> String {
    use std::fmt::Write;
    let h = &r.health;
    let c = h.counts;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} endpoints probed{} — {} up, {} degraded, {} down, {} unknown (percentiles within ±{}%)",
        h.watch,
        h.endpoints.len(),
        if r.enabled { "" } else { " (probing disabled)" },
        c.up,
        c.degraded,
        c.down,
        c.unknown,
        h.percentile_error * 100.0
    );
    if !h.endpoints.is_empty() {
        let width = h
            .endpoints
            .iter()
            .map(|e| e.operation.len())
            .max()
            .unwrap_or(9)
            .max(9);
        let _ = writeln!(
            out,
            "{:<9} {:<6} {:>9} {:>9} {:>9} {:>9}  {:<width$}  LAST ERROR",
            "STATE", "LAST", "UP 24H", "P50 24H", "P95 24H", "P99 24H", "OPERATION"
        );
        for e in &h.endpoints {
            let w = &e.windows.h24;
            let last = e.last.map_or("-".into(), |p| {
                if p.status == 0 {
                    p.class.as_str().to_string()
                } else {
                    p.status.to_string()
                }
            });
            let _ = writeln!(
                out,
                "{:<9} {:<6} {:>9} {:>9} {:>9} {:>9}  {:<width$}  {}",
                e.state.as_str(),
                last,
                w.uptime.map_or("-".into(), |u| format!("{u:.2}%")),
                ms(w.p50_ms),
                ms(w.p95_ms),
                ms(w.p99_ms),
                e.operation,
                e.last_error.as_deref().unwrap_or("")
            );
        }
    }
    for cert in &h.certificates {
        let _ = writeln!(
            out,
            "certificate {}: {} {} ({})",
            cert.host,
            if cert.not_after <= now {
                "expired"
            } else {
                "expires"
            },
            rfc3339(cert.not_after),
            if cert.days_left >= 0 {
                format!("{} days left", cert.days_left)
            } else {
                format!("{} days ago", -cert.days_left)
            }
        );
    }
    if !r.skipped.is_empty() {
        let _ = writeln!(out, "not probed ({}):", r.skipped.len());
        for s in &r.skipped {
            let _ = writeln!(out, "  {}: {}", s.operation, s.reason);
        }
    }
    out
}
