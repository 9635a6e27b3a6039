//! Slack incoming-webhook sink: a Block Kit message (header, summary, top changes,
//! link button) with a plain `text` fallback for notifications and old clients.

use specwatch_plugin_sdk::prelude::*;

/// Slack's limits: header text 150 chars, section text 3000 chars.
const HEADER_MAX: usize = 150;
const SECTION_MAX: usize = 3000;

#[derive(Deserialize)]
#[serde(crate = "specwatch_plugin_sdk::serde", deny_unknown_fields)]
struct Config {
    /// `https://hooks.slack.com/services/T…/B…/…` (a credential: never logged).
    webhook_url: String,
    /// Changes listed in the message.
    #[serde(default = "default_max_changes")]
    max_changes: usize,
}

fn default_max_changes() -> usize {
    5
}

fn parse(config: &Value) -> Result<Config, String> {
    let c: Config = config::parse(config)?;
    config::check_url("webhook_url", &c.webhook_url)?;
    if c.max_changes > 20 {
        return Err("config key \"max_changes\": at most 20".into());
    }
    Ok(c)
}

struct Slack;

impl Plugin for Slack {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "slack".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Slack incoming webhook (Block Kit)".into(),
            config_schema: Some(json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "required": ["webhook_url"],
                "additionalProperties": false,
                "properties": {
                    "webhook_url": {"type": "string", "format": "uri",
                        "description": "Incoming webhook URL (secret)"},
                    "max_changes": {"type": "integer", "minimum": 0, "maximum": 20, "default": 5,
                        "description": "Changes listed in the message"}
                }
            })),
        }
    }

    fn validate(config: &Value) -> Result<(), String> {
        parse(config).map(|_| ())
    }

    fn deliver(alert: &Alert, config: &Value) -> Result<Report, DeliveryError> {
        let c = parse(config).map_err(DeliveryError::InvalidConfig)?;
        let body = message(alert, c.max_changes);
        http::post_json(&c.webhook_url, &[], &body)?.classify()
    }
}

fn message(a: &Alert, max_changes: usize) -> Value {
    let header = format!("{} {} · {}", a.emoji(), a.badge(), a.watch);
    // The summary's "- level operation: message" lines are the changes block below:
    // listed once, there.
    let summary = if a.top_changes.is_empty() || max_changes == 0 {
        a.summary.clone()
    } else {
        let lines: Vec<&str> = a.summary.lines().filter(|l| !l.starts_with("- ")).collect();
        lines.join("\n").trim_end().to_string()
    };
    let mut blocks = vec![
        json!({"type": "header", "text": {"type": "plain_text", "emoji": true,
            "text": text::truncate(&header, HEADER_MAX)}}),
        json!({"type": "section", "text": {"type": "mrkdwn", "text": text::truncate(
            &format!("*{}*\n{}", text::escape_slack(&a.title), text::escape_slack(&summary)),
            SECTION_MAX)}}),
    ];
    let changes: Vec<String> = a
        .top_changes
        .iter()
        .take(max_changes)
        .map(|c| {
            let op = c
                .operation
                .as_deref()
                .map(|o| format!(" `{}`", text::escape_slack(o)));
            format!(
                "• *{}*{} {}",
                c.level.as_str(),
                op.unwrap_or_default(),
                text::escape_slack(&c.message)
            )
        })
        .collect();
    if !changes.is_empty() {
        let more = a.counts.total() as usize - changes.len().min(a.counts.total() as usize);
        let mut t = changes.join("\n");
        if more > 0 {
            t.push_str(&format!("\n…and {more} more"));
        }
        blocks.push(json!({"type": "section", "text": {"type": "mrkdwn", "text": text::truncate(&t, SECTION_MAX)}}));
    }
    let mut context = vec![a.event.clone()];
    context.extend(a.versions());
    context.push(format!(
        "{} breaking · {} warning · {} info",
        a.counts.breaking, a.counts.warning, a.counts.info
    ));
    blocks.push(json!({"type": "context", "elements": [
        {"type": "mrkdwn", "text": text::escape_slack(&context.join(" · "))}]}));
    if let Some(link) = &a.link {
        blocks.push(json!({"type": "actions", "elements": [{"type": "button",
            "text": {"type": "plain_text", "text": "Open in specwatch"}, "url": link}]}));
    }
    json!({"text": format!("{} {}", a.badge(), text::escape_slack(&a.title)), "blocks": blocks})
}

export_plugin!(Slack);
