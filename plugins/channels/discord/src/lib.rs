//! Discord webhook sink: one embed coloured by level, sent with `?wait=true` so
//! Discord confirms the message (and reports its id) instead of answering 204 blind.

use specwatch_plugin_sdk::prelude::*;

/// Discord's embed limits: title 256, description 4096, field value 1024, 25 fields.
const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 4096;
const FIELD_MAX: usize = 1024;

#[derive(Deserialize)]
#[serde(crate = "specwatch_plugin_sdk::serde", deny_unknown_fields)]
struct Config {
    /// `https://discord.com/api/webhooks/{id}/{token}` (a credential: never logged).
    webhook_url: String,
    /// Overrides the webhook's display name.
    #[serde(default)]
    username: Option<String>,
    /// Overrides the webhook's avatar.
    #[serde(default)]
    avatar_url: Option<String>,
    /// Post into this thread of a forum / text channel.
    #[serde(default)]
    thread_id: Option<String>,
    /// Changes listed in the embed.
    #[serde(default = "default_max_changes")]
    max_changes: usize,
}

fn default_max_changes() -> usize {
    5
}

fn parse(config: &Value) -> Result<Config, String> {
    let c: Config = config::parse(config)?;
    config::check_url("webhook_url", &c.webhook_url)?;
    if let Some(u) = &c.avatar_url {
        config::check_url("avatar_url", u)?;
    }
    let bad_thread = |t: &String| t.is_empty() || !t.chars().all(|ch| ch.is_ascii_digit());
    if c.thread_id.as_ref().is_some_and(bad_thread) {
        return Err("config key \"thread_id\": expected a numeric Discord id".into());
    }
    if c.max_changes > 20 {
        return Err("config key \"max_changes\": at most 20".into());
    }
    Ok(c)
}

struct Discord;

impl Plugin for Discord {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "discord".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Discord webhook (embeds)".into(),
            config_schema: Some(json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "required": ["webhook_url"],
                "additionalProperties": false,
                "properties": {
                    "webhook_url": {"type": "string", "format": "uri", "description": "Webhook URL (secret)"},
                    "username": {"type": "string"},
                    "avatar_url": {"type": "string", "format": "uri"},
                    "thread_id": {"type": "string", "pattern": "^[0-9]+$"},
                    "max_changes": {"type": "integer", "minimum": 0, "maximum": 20, "default": 5}
                }
            })),
        }
    }

    fn validate(config: &Value) -> Result<(), String> {
        parse(config).map(|_| ())
    }

    fn deliver(a: &Alert, config: &Value) -> Result<Report, DeliveryError> {
        let c = parse(config).map_err(DeliveryError::InvalidConfig)?;
        let mut url = text::add_query(&c.webhook_url, "wait", "true");
        if let Some(t) = &c.thread_id {
            url = text::add_query(&url, "thread_id", t);
        }
        let mut body =
            json!({"embeds": [embed(a, c.max_changes)], "allowed_mentions": {"parse": []}});
        if let Some(u) = &c.username {
            body["username"] = json!(u);
        }
        if let Some(u) = &c.avatar_url {
            body["avatar_url"] = json!(u);
        }
        let resp = http::post_json(&url, &[], &body)?;
        match resp.classify() {
            Ok(mut r) => {
                let id = resp.json().and_then(|v| v["id"].as_str().map(String::from));
                r.detail = id.map_or_else(|| "posted".into(), |id| format!("message {id}"));
                Ok(r)
            }
            // Discord puts the delay in the body too (`retry_after`, seconds).
            Err(DeliveryError::Transient {
                message,
                retry_after_ms: None,
            }) => {
                let secs = resp.json().and_then(|v| v["retry_after"].as_f64());
                Err(DeliveryError::Transient {
                    message,
                    retry_after_ms: secs.map(|s| (s * 1000.0).ceil() as u64),
                })
            }
            Err(e) => Err(e),
        }
    }
}

fn embed(a: &Alert, max_changes: usize) -> Value {
    let mut fields =
        vec![json!({"name": "Watch", "value": text::escape_markdown(&a.watch), "inline": true})];
    if let Some(v) = a.versions() {
        fields.push(json!({"name": "Version", "value": v, "inline": true}));
    }
    if a.counts.total() > 0 {
        fields.push(json!({"name": "Changes", "inline": true, "value": format!(
            "{} breaking · {} warning · {} info", a.counts.breaking, a.counts.warning, a.counts.info)}));
    }
    let changes: Vec<String> = a
        .top_changes
        .iter()
        .take(max_changes)
        .map(|c| {
            format!(
                "**{}** {}",
                c.level.as_str(),
                text::escape_markdown(&c.text())
            )
        })
        .collect();
    if !changes.is_empty() {
        fields.push(
            json!({"name": "Top changes", "value": text::truncate(&changes.join("\n"), FIELD_MAX)}),
        );
    }
    let mut e = json!({
        "title": text::truncate(&format!("{} {}", a.emoji(), a.title), TITLE_MAX),
        "description": text::truncate(&text::escape_markdown(&a.summary), DESCRIPTION_MAX),
        "color": a.rgb(),
        "fields": fields,
        "timestamp": a.occurred_at(),
        "footer": {"text": format!("specwatch · {}", a.event)},
    });
    if let Some(l) = &a.link {
        e["url"] = json!(l);
    }
    e
}

export_plugin!(Discord);
