//! Microsoft Teams sink via a Workflows (Power Automate) webhook: an Adaptive Card 1.4
//! in the `attachments` envelope ("Post to a channel when a webhook request is
//! received"). 1.4 because Teams rejects newer card versions from Workflows.

use specwatch_plugin_sdk::prelude::*;

/// Summaries are a few lines; cap them so a card stays far below the service's size limit.
const SUMMARY_MAX: usize = 2000;

#[derive(Deserialize)]
#[serde(crate = "specwatch_plugin_sdk::serde", deny_unknown_fields)]
struct Config {
    /// Workflows webhook URL; its `sig=` parameter is a credential (never logged).
    webhook_url: String,
    /// Changes listed on the card.
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

struct Teams;

impl Plugin for Teams {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "teams".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Microsoft Teams Workflows webhook (Adaptive Card 1.4)".into(),
            config_schema: Some(json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "required": ["webhook_url"],
                "additionalProperties": false,
                "properties": {
                    "webhook_url": {"type": "string", "format": "uri",
                        "description": "Workflows 'When a Teams webhook request is received' URL (secret)"},
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
        http::post_json(&c.webhook_url, &[], &message(a, c.max_changes))?.classify()
    }
}

fn color(a: &Alert) -> &'static str {
    match (a.status, a.level) {
        (Status::Resolved, _) => "Good",
        (_, Level::Breaking) => "Attention",
        (_, Level::Warning) => "Warning",
        (_, Level::Info) => "Accent",
    }
}

fn message(a: &Alert, max_changes: usize) -> Value {
    let mut facts = vec![
        json!({"title": "Watch", "value": a.watch}),
        json!({"title": "Event", "value": a.event}),
    ];
    if let Some(v) = a.versions() {
        facts.push(json!({"title": "Version", "value": v}));
    }
    if a.counts.total() > 0 {
        facts.push(json!({"title": "Changes", "value": format!(
            "{} breaking, {} warning, {} info", a.counts.breaking, a.counts.warning, a.counts.info)}));
    }
    let mut body = vec![
        json!({"type": "TextBlock", "size": "Large", "weight": "Bolder", "wrap": true,
            "color": color(a), "text": format!("{} {}", a.badge(), a.title)}),
        json!({"type": "TextBlock", "wrap": true, "text": text::truncate(&a.summary, SUMMARY_MAX)}),
        json!({"type": "FactSet", "facts": facts}),
    ];
    for ch in a.top_changes.iter().take(max_changes) {
        body.push(
            json!({"type": "TextBlock", "wrap": true, "spacing": "Small",
            "text": format!("- **{}** {}", ch.level.as_str(), ch.text())}),
        );
    }
    let mut card = json!({
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "msteams": {"width": "Full"},
        "body": body,
    });
    if let Some(l) = &a.link {
        card["actions"] =
            json!([{"type": "Action.OpenUrl", "title": "Open in specwatch", "url": l}]);
    }
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": card,
        }],
    })
}

export_plugin!(Teams);
