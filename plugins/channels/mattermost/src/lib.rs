//! Mattermost incoming-webhook sink with Slack-compatible `attachments` (colour bar,
//! title link, fields). Rocket.Chat accepts the same body.

use specwatch_plugin_sdk::prelude::*;

#[derive(Deserialize)]
#[serde(crate = "specwatch_plugin_sdk::serde", deny_unknown_fields)]
struct Config {
    /// `https://<host>/hooks/<key>` (the key is a credential: never logged).
    webhook_url: String,
    /// Channel override (if the webhook allows it).
    #[serde(default)]
    channel: Option<String>,
    /// Display name override.
    #[serde(default)]
    username: Option<String>,
    /// Avatar override.
    #[serde(default)]
    icon_url: Option<String>,
    /// Changes listed in the attachment.
    #[serde(default = "default_max_changes")]
    max_changes: usize,
}

fn default_max_changes() -> usize {
    5
}

fn parse(config: &Value) -> Result<Config, String> {
    let c: Config = config::parse(config)?;
    config::check_url("webhook_url", &c.webhook_url)?;
    if let Some(u) = &c.icon_url {
        config::check_url("icon_url", u)?;
    }
    if let Some(ch) = &c.channel {
        config::check_non_empty("channel", ch)?;
    }
    if c.max_changes > 20 {
        return Err("config key \"max_changes\": at most 20".into());
    }
    Ok(c)
}

struct Mattermost;

impl Plugin for Mattermost {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "mattermost".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Mattermost incoming webhook (Slack-compatible attachments)".into(),
            config_schema: Some(json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "required": ["webhook_url"],
                "additionalProperties": false,
                "properties": {
                    "webhook_url": {"type": "string", "format": "uri", "description": "Incoming webhook URL (secret)"},
                    "channel": {"type": "string"},
                    "username": {"type": "string"},
                    "icon_url": {"type": "string", "format": "uri"},
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
        let mut body = json!({"attachments": [attachment(a, c.max_changes)]});
        for (key, v) in [
            ("channel", &c.channel),
            ("username", &c.username),
            ("icon_url", &c.icon_url),
        ] {
            if let Some(v) = v {
                body[key] = json!(v);
            }
        }
        http::post_json(&c.webhook_url, &[], &body)?.classify()
    }
}

fn attachment(a: &Alert, max_changes: usize) -> Value {
    let mut t = text::escape_markdown(&a.summary);
    for ch in a.top_changes.iter().take(max_changes) {
        t.push_str(&format!(
            "\n- **{}** {}",
            ch.level.as_str(),
            text::escape_markdown(&ch.text())
        ));
    }
    let mut fields = vec![
        json!({"short": true, "title": "Watch", "value": a.watch}),
        json!({"short": true, "title": "Event", "value": a.event}),
    ];
    if let Some(v) = a.versions() {
        fields.push(json!({"short": true, "title": "Version", "value": v}));
    }
    let mut att = json!({
        "fallback": format!("{} {}", a.badge(), a.title),
        "color": format!("#{:06X}", a.rgb()),
        "title": format!("{} {}", a.emoji(), a.title),
        "text": text::truncate(&t, 7000),
        "fields": fields,
        "footer": "specwatch",
    });
    if let Some(l) = &a.link {
        att["title_link"] = json!(l);
    }
    att
}

export_plugin!(Mattermost);
