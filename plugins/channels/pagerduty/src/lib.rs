//! PagerDuty sink (Events API v2). Paging events (breaking_change, endpoint_down,
//! poll_failing) `trigger` an incident with `dedup_key` = the alert fingerprint, and
//! their recovery `resolve`s it with the same key; everything else (api_changed,
//! sunsets, …) becomes a Change Event, which never pages.

use specwatch_plugin_sdk::prelude::*;

/// Events that open an incident.
const PAGING: &[&str] = &["breaking_change", "endpoint_down", "poll_failing"];
/// PagerDuty's limits: summary 1024 chars, dedup_key 255 chars.
const SUMMARY_MAX: usize = 1024;
const DEDUP_MAX: usize = 255;

#[derive(Deserialize)]
#[serde(crate = "specwatch_plugin_sdk::serde", deny_unknown_fields)]
struct Config {
    /// 32-character integration key (a credential: never logged).
    routing_key: String,
    /// Base URL: `https://events.pagerduty.com`, or `https://events.eu.pagerduty.com`.
    #[serde(default = "default_events_url")]
    events_url: String,
    /// `payload.source`; defaults to `specwatch/<watch>`.
    #[serde(default)]
    source: Option<String>,
    /// Send non-paging events as Change Events (true) or drop them (false).
    #[serde(default = "yes")]
    change_events: bool,
}

fn default_events_url() -> String {
    "https://events.pagerduty.com".into()
}

fn yes() -> bool {
    true
}

fn parse(config: &Value) -> Result<Config, String> {
    let c: Config = config::parse(config)?;
    if c.routing_key.len() != 32 || !c.routing_key.chars().all(|ch| ch.is_ascii_alphanumeric()) {
        return Err("config key \"routing_key\": expected the 32-character integration key".into());
    }
    config::check_url("events_url", &c.events_url)?;
    Ok(c)
}

struct PagerDuty;

impl Plugin for PagerDuty {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "pagerduty".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "PagerDuty Events API v2: incidents for breaking changes and outages, change events for the rest".into(),
            config_schema: Some(json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "required": ["routing_key"],
                "additionalProperties": false,
                "properties": {
                    "routing_key": {"type": "string", "pattern": "^[A-Za-z0-9]{32}$",
                        "description": "Integration key of an Events API v2 integration (secret)"},
                    "events_url": {"type": "string", "format": "uri", "default": "https://events.pagerduty.com",
                        "description": "Base URL; https://events.eu.pagerduty.com for EU accounts"},
                    "source": {"type": "string", "description": "payload.source (default specwatch/<watch>)"},
                    "change_events": {"type": "boolean", "default": true,
                        "description": "Send non-paging events as Change Events"}
                }
            })),
        }
    }

    fn validate(config: &Value) -> Result<(), String> {
        parse(config).map(|_| ())
    }

    fn deliver(a: &Alert, config: &Value) -> Result<Report, DeliveryError> {
        let c = parse(config).map_err(DeliveryError::InvalidConfig)?;
        let base = c.events_url.trim_end_matches('/');
        let dedup_key = text::truncate_bytes(&a.fingerprint, DEDUP_MAX);
        let source = c
            .source
            .clone()
            .unwrap_or_else(|| format!("specwatch/{}", a.watch));
        let (url, body, what) = if a.is_resolved() {
            let body = json!({"routing_key": c.routing_key, "event_action": "resolve", "dedup_key": dedup_key});
            (format!("{base}/v2/enqueue"), body, "resolved")
        } else if PAGING.contains(&a.event.as_str()) {
            (
                format!("{base}/v2/enqueue"),
                trigger(a, &c.routing_key, &dedup_key, &source),
                "triggered",
            )
        } else if c.change_events {
            (
                format!("{base}/v2/change/enqueue"),
                change(a, &c.routing_key, &source),
                "change event",
            )
        } else {
            return Ok(Report {
                status: 0,
                detail: format!("skipped {} (change_events = false)", a.event),
            });
        };
        let resp = http::post_json(&url, &[], &body)?;
        let mut report = resp.classify()?;
        let key = resp
            .json()
            .and_then(|v| v["dedup_key"].as_str().map(String::from));
        report.detail = match key {
            Some(k) => format!("{what}, dedup_key {k}"),
            None => what.to_string(),
        };
        Ok(report)
    }
}

fn severity(level: Level) -> &'static str {
    match level {
        Level::Breaking => "critical",
        Level::Warning => "warning",
        Level::Info => "info",
    }
}

fn details(a: &Alert) -> Value {
    let changes: Vec<String> = a.top_changes.iter().map(|c| c.line()).collect();
    json!({
        "summary": a.summary, "event": a.event, "watch": a.watch,
        "provider": a.provider, "product": a.product,
        "from_version": a.from_version, "to_version": a.to_version,
        "counts": {"breaking": a.counts.breaking, "warning": a.counts.warning, "info": a.counts.info},
        "top_changes": changes, "notification_id": a.id,
    })
}

fn links(a: &Alert) -> Vec<Value> {
    a.link
        .iter()
        .map(|l| json!({"href": l, "text": "specwatch"}))
        .collect()
}

fn trigger(a: &Alert, routing_key: &str, dedup_key: &str, source: &str) -> Value {
    let mut v = json!({
        "routing_key": routing_key,
        "event_action": "trigger",
        "dedup_key": dedup_key,
        "payload": {
            "summary": text::truncate(&a.title, SUMMARY_MAX),
            "source": source,
            "severity": severity(a.level),
            "timestamp": a.occurred_at(),
            "component": a.watch,
            "class": a.event,
            "custom_details": details(a),
        },
        "links": links(a),
        "client": "specwatch",
    });
    if let Some(g) = &a.provider {
        v["payload"]["group"] = json!(g);
    }
    if let Some(l) = &a.link {
        v["client_url"] = json!(l);
    }
    v
}

fn change(a: &Alert, routing_key: &str, source: &str) -> Value {
    json!({
        "routing_key": routing_key,
        "payload": {
            "summary": text::truncate(&a.title, SUMMARY_MAX),
            "source": source,
            "timestamp": a.occurred_at(),
            "custom_details": details(a),
        },
        "links": links(a),
    })
}

export_plugin!(PagerDuty);
