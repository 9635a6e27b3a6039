//! `specwatch alerts` (history), `specwatch alert test SINK` and `specwatch alert redrive`.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};

use super::store_cmds::{Access, ask, load, open, open_for_read};
use super::{ConfigArg, ListFormat};
use crate::clock::now_millis;
use crate::control::protocol::Request;
use crate::query::ops;
use crate::store::{AlertHistory, AlertQuery};

/// `specwatch alerts`.
#[derive(Debug, Args)]
pub struct AlertsArgs {
    /// Only alerts of this watch.
    #[arg(long)]
    pub watch: Option<String>,
    /// Only alerts in this state.
    #[arg(long, value_parser = ["pending", "sent", "failed", "cancelled", "silenced", "unrouted", "new", "deduplicated"])]
    pub status: Option<String>,
    /// Only alerts newer than this ("24h", "7d"; at most 36500d).
    #[arg(long)]
    pub since: Option<String>,
    /// Most alerts shown, newest first.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    #[command(flatten)]
    pub config: ConfigArg,
}

/// `specwatch alert …`.
#[derive(Debug, Subcommand)]
pub enum AlertCommand {
    /// Send a test alert through a configured sink now (not through the outbox) and print the outcome.
    Test {
        /// Sink name from the config.
        sink: String,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Queue failed deliveries again: those of one alert (by id), or all with --failed.
    Redrive {
        /// Alert id (the `#N` of `specwatch alerts`).
        #[arg(required_unless_present = "failed", conflicts_with = "failed")]
        id: Option<u64>,
        /// Every failed delivery.
        #[arg(long)]
        failed: bool,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Cancel the pending deliveries of one alert (they are never sent).
    Cancel {
        /// Alert id (the `#N` of `specwatch alerts`).
        id: u64,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Acknowledge an alert: the incident it opened (a breaking change, a failing poll
    /// or endpoint) resolves, and its routes' sinks get the resolution (PagerDuty and
    /// Opsgenie close it).
    Ack {
        /// Alert id (the `#N` of `specwatch alerts`).
        id: u64,
        #[command(flatten)]
        config: ConfigArg,
    },
}

/// Runs `specwatch alerts`.
pub fn alerts(args: &AlertsArgs) -> anyhow::Result<i32> {
    let cfg = load(&args.config.config)?;
    let since = args
        .since
        .as_deref()
        .map(|text| {
            crate::units::parse_duration(text).map_err(|e| anyhow::anyhow!("--since {text:?}: {e}"))
        })
        .transpose()?
        // At most 100 years (units::MAX_DURATION), so the subtraction cannot overflow.
        .map(|d| now_millis().saturating_sub(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)));
    let store = open_for_read(&cfg)?;
    let list = store
        .alert_history(&AlertQuery {
            watch: args.watch.clone(),
            status: args.status.clone(),
            since,
            limit: args.limit,
            ..AlertQuery::default()
        })
        .context("cannot read the alert history")?;
    match args.format {
        ListFormat::Json => println!("{}", serde_json::to_string_pretty(&list)?),
        ListFormat::Text => print_text(&list),
    }
    Ok(0)
}

/// The first line of an event's summary, without the `watch: ` it starts with (the
/// line already names the watch).
fn without_watch<'a>(watch: &str, summary: &'a str) -> &'a str {
    let first = summary.lines().next().unwrap_or_default();
    first
        .strip_prefix(watch)
        .and_then(|r| r.strip_prefix(": "))
        .unwrap_or(first)
}

fn print_text(list: &[AlertHistory]) {
    if list.is_empty() {
        println!("no alerts");
    }
    for h in list {
        let a = &h.alert;
        println!(
            "#{} {} {:<9} {:<8} {} {}: {}",
            a.id,
            crate::notification::rfc3339(a.created_at),
            h.status,
            a.event.level.as_str(),
            a.event.kind.as_str(),
            a.watch.name,
            without_watch(&a.watch.name, &a.event.summary)
        );
        for d in &h.deliveries {
            println!(
                "    delivery {} → {} (route {}): {} after {} attempt{}",
                d.delivery.id,
                d.delivery.sink,
                d.route,
                d.delivery.status.as_str(),
                d.delivery.attempts,
                if d.delivery.attempts == 1 { "" } else { "s" }
            );
            for t in &d.attempts {
                let status = t
                    .status
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "-".into());
                println!(
                    "      {} {:?} status {status} in {} ms: {}",
                    crate::notification::rfc3339(t.at),
                    t.outcome,
                    t.latency_ms,
                    t.detail
                );
            }
        }
    }
}

/// Runs `specwatch alert …`.
pub fn alert(cmd: &AlertCommand) -> anyhow::Result<i32> {
    match cmd {
        AlertCommand::Test { sink, config } => test(&config.config, sink),
        AlertCommand::Redrive { id, failed, config } => {
            redrive(&config.config, if *failed { None } else { *id })
        }
        AlertCommand::Cancel { id, config } => cancel(&config.config, *id),
        AlertCommand::Ack { id, config } => ack(&config.config, *id),
    }
}

fn ack(path: &Path, alert: u64) -> anyhow::Result<i32> {
    let cfg = load(path)?;
    let n = match open(&cfg)? {
        Access::Direct(store) => crate::alerts::runner::acknowledge(
            &store,
            &cfg.alerting,
            alert,
            "`specwatch alert ack`",
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?,
        Access::Daemon(socket) => {
            let data = ask(&socket, Request::Ack { alert }, Duration::from_secs(30))?;
            data["resolved"].as_u64().unwrap_or(0) as usize
        }
    };
    println!(
        "acknowledged alert {alert}: its incident resolved on {n} route{}",
        if n == 1 { "" } else { "s" }
    );
    Ok(0)
}

fn cancel(path: &Path, alert: u64) -> anyhow::Result<i32> {
    let cfg = load(path)?;
    let n = match open(&cfg)? {
        Access::Direct(store) => ops::cancel(&store, alert).map_err(|e| anyhow::anyhow!("{e}"))?,
        Access::Daemon(socket) => {
            let data = ask(&socket, Request::Cancel { alert }, Duration::from_secs(30))?;
            data["cancelled"].as_u64().unwrap_or(0) as usize
        }
    };
    println!(
        "cancelled {n} pending deliver{} of alert {alert}",
        if n == 1 { "y" } else { "ies" }
    );
    Ok(0)
}

fn test(path: &Path, sink_name: &str) -> anyhow::Result<i32> {
    let cfg = load(path)?;
    if cfg.alerting.sink(sink_name).is_none() {
        let names: Vec<&str> = cfg.alerting.sinks.iter().map(|s| s.name.as_str()).collect();
        bail!(
            "no sink named {sink_name:?} in {}; configured: {}",
            path.display(),
            if names.is_empty() {
                "none".into()
            } else {
                names.join(", ")
            }
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let plugins = crate::daemon::plugin_host(&cfg).await;
        let (sinks, problems) = crate::daemon::build_sinks_reporting(&cfg, plugins.as_ref());
        let Some(sink) = sinks.get(sink_name) else {
            // The problem names the sink: `sink "x": why`.
            let prefix = format!("sink {sink_name:?}:");
            let why = problems.iter().find(|p| p.starts_with(&prefix));
            bail!(
                "{}; fix it in {} and try again",
                why.map_or_else(
                    || format!("sink {sink_name:?} could not be built"),
                    Clone::clone
                ),
                path.display()
            );
        };
        let origin = format!("`specwatch alert test {sink_name}`");
        let public_url = cfg.alerting.alerts.public_url.as_deref();
        let o = crate::alerts::test_alert::send(sink, sink_name, &origin, public_url, now_millis())
            .await;
        let ms = o.latency_ms;
        Ok(match o.result {
            "delivered" => {
                let status = o
                    .status
                    .map(|s| format!(" (status {s})"))
                    .unwrap_or_default();
                println!("delivered to {sink_name}{status} in {ms} ms: {}", o.detail);
                0
            }
            "timeout" => {
                println!("failed to deliver to {sink_name}: {}", o.detail);
                1
            }
            r => {
                let kind = match r {
                    "transient" => "transient, would be retried",
                    "permanent" => "permanent, would not be retried",
                    "invalid_config" => "invalid sink config",
                    _ => "sink unavailable",
                };
                println!(
                    "failed to deliver to {sink_name} ({kind}) in {ms} ms: {}",
                    o.detail
                );
                1
            }
        })
    })
}

fn redrive(path: &Path, target: Option<u64>) -> anyhow::Result<i32> {
    let cfg = load(path)?;
    let n = match open(&cfg)? {
        Access::Direct(store) => {
            ops::redrive(&store, target).map_err(|e| anyhow::anyhow!("{e}"))?
        }
        Access::Daemon(socket) => {
            let data = ask(
                &socket,
                Request::Redrive { target },
                Duration::from_secs(30),
            )?;
            data["redriven"].as_u64().unwrap_or(0) as usize
        }
    };
    println!(
        "queued {n} failed deliver{} again",
        if n == 1 { "y" } else { "ies" }
    );
    Ok(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn history_lines_name_the_watch_once() {
        let s = "petstore: polling works again after 3 failures\nmore";
        assert_eq!(
            super::without_watch("petstore", s),
            "polling works again after 3 failures"
        );
        assert_eq!(
            super::without_watch("pet", s),
            "petstore: polling works again after 3 failures"
        );
        assert_eq!(
            super::without_watch("petstore", "v1 → v2: 1 breaking"),
            "v1 → v2: 1 breaking"
        );
    }
}
