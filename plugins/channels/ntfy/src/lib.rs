//! ntfy sink: JSON publish to the server root (`{topic, title, message, priority,
//! tags, click}`), priority by level, optional access token.

use specwatch_plugin_sdk::prelude::*;

/// ntfy turns longer messages into attachments; stay below its 4096-byte limit.
const MESSAGE_MAX_BYTES: usize = 4000;

#[derive(Deserialize)]
#[serde(crate = "specwatch_plugin_sdk::serde", deny_unknown_fields)]
struct Config {
    /// Server base URL (`https://ntfy.sh` or your own).
    #[serde(default = "default_server")]
    server_url: String,
    /// Topic to publish to.
    topic: String,
    /// Access token (`tk_…`), sent as `Authorization: Bearer` (secret).
    #[serde(default)]
    token: Option<String>,
    /// Extra tags on every message.
    #[serde(default)]
    tags: Vec<String>,
    /// Render the message as Markdown.
    #[serde(default)]
    markdown: bool,
}

fn default_server() -> String {
    "https://ntfy.sh".into()
}

fn parse(config: &Value) -> Result<Config, String> {
    let c: Config = config::parse(config)?;
    config::check_url("server_url", &c.server_url)?;
    let topic_ok = !c.topic.is_empty()
        && c.topic.len() <= 64
        && c.topic
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_');
    if !topic_ok {
        return Err("config key \"topic\": 1-64 characters of A-Z, a-z, 0-9, - and _".into());
    }
    if let Some(t) = &c.token {
        config::check_non_empty("token", t)?;
    }
    Ok(c)
}

struct Ntfy;

impl Plugin for Ntfy {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "ntfy".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "ntfy push notifications (JSON publish)".into(),
            config_schema: Some(json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "required": ["topic"],
                "additionalProperties": false,
                "properties": {
                    "server_url": {"type": "string", "format": "uri", "default": "https://ntfy.sh"},
                    "topic": {"type": "string", "pattern": "^[-_A-Za-z0-9]{1,64}$"},
                    "token": {"type": "string", "description": "Access token, sent as Bearer (secret)"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "markdown": {"type": "boolean", "default": false}
                }
            })),
        }
    }

    fn validate(config: &Value) -> Result<(), String> {
        parse(config).map(|_| ())
    }

    fn deliver(a: &Alert, config: &Value) -> Result<Report, DeliveryError> {
        let c = parse(config).map_err(DeliveryError::InvalidConfig)?;
        let url = format!("{}/", c.server_url.trim_end_matches('/'));
        let auth = c.token.as_ref().map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> =
            auth.iter().map(|v| ("Authorization", v.as_str())).collect();
        let resp = http::post_json(&url, &headers, &message(a, &c))?;
        let mut r = resp.classify()?;
        let id = resp.json().and_then(|v| v["id"].as_str().map(String::from));
        r.detail = id.map_or_else(|| "published".into(), |id| format!("message {id}"));
        Ok(r)
    }
}

/// ntfy priorities: 5 urgent, 4 high, 3 default, 2 low.
fn priority(a: &Alert) -> u8 {
    match (a.status, a.level) {
        (Status::Resolved, _) => 3,
        (_, Level::Breaking) => 5,
        (_, Level::Warning) => 4,
        (_, Level::Info) => 3,
    }
}

fn message(a: &Alert, c: &Config) -> Value {
    // ntfy renders tags that are emoji short codes as emoji, the rest as text.
    let icon = match (a.status, a.level) {
        (Status::Resolved, _) => "white_check_mark",
        (_, Level::Breaking) => "rotating_light",
        (_, Level::Warning) => "warning",
        (_, Level::Info) => "information_source",
    };
    let mut tags = vec![icon.to_string(), a.watch.clone(), a.event.clone()];
    tags.extend(c.tags.iter().cloned());
    let esc = |t: &str| {
        if c.markdown {
            text::escape_markdown(t)
        } else {
            t.to_string()
        }
    };
    let mut m = esc(&a.summary);
    for ch in a.top_changes.iter().take(5) {
        m.push_str(&format!("\n• {}", esc(&ch.line())));
    }
    let mut v = json!({
        "topic": c.topic,
        "title": text::truncate(&a.title, 250),
        "message": text::truncate_bytes(&m, MESSAGE_MAX_BYTES),
        "priority": priority(a),
        "tags": tags,
    });
    if c.markdown {
        v["markdown"] = json!(true);
    }
    if let Some(l) = &a.link {
        v["click"] = json!(l);
    }
    v
}

export_plugin!(Ntfy);
