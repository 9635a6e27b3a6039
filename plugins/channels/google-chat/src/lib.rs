//! Google Chat sink (incoming webhook): a cardsV2 card with a `text` fallback, threaded
//! by the alert fingerprint so a condition and its recovery share one thread.

use specwatch_plugin_sdk::prelude::*;

/// Google Chat caps a message at 32,000 bytes; leave room for the JSON around it.
const TEXT_MAX_BYTES: usize = 4000;
const REPLY_OPTION: &str = "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD";

/// Summaries are a few lines; cap them so a card stays far below the service's size limit.
const SUMMARY_MAX: usize = 2000;

#[derive(Deserialize)]
#[serde(crate = "specwatch_plugin_sdk::serde", deny_unknown_fields)]
struct Config {
    /// `https://chat.googleapis.com/v1/spaces/…/messages?key=…&token=…` (secret).
    webhook_url: String,
    /// Send a card (true) or plain text only (false).
    #[serde(default = "yes")]
    cards: bool,
    /// Thread messages by fingerprint.
    #[serde(default = "yes")]
    threads: bool,
    /// Changes listed in the message.
    #[serde(default = "default_max_changes")]
    max_changes: usize,
}

fn yes() -> bool {
    true
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

struct GoogleChat;

impl Plugin for GoogleChat {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "google-chat".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Google Chat incoming webhook (cardsV2, threaded by fingerprint)".into(),
            config_schema: Some(json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "required": ["webhook_url"],
                "additionalProperties": false,
                "properties": {
                    "webhook_url": {"type": "string", "format": "uri", "description": "Space webhook URL (secret)"},
                    "cards": {"type": "boolean", "default": true},
                    "threads": {"type": "boolean", "default": true},
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
        // With a card the text is only the notification line (Chat shows both).
        let text = if c.cards {
            format!("{} {}", a.emoji(), a.title)
        } else {
            fallback(a, c.max_changes)
        };
        let mut body = json!({"text": text::truncate_bytes(&text, TEXT_MAX_BYTES)});
        let mut url = c.webhook_url.clone();
        if c.threads {
            body["thread"] = json!({"threadKey": a.fingerprint});
            if !url.contains("messageReplyOption=") {
                url = text::add_query(&url, "messageReplyOption", REPLY_OPTION);
            }
        }
        if c.cards {
            body["cardsV2"] = json!([{"cardId": "specwatch", "card": card(a, c.max_changes)}]);
        }
        let resp = http::post_json(&url, &[], &body)?;
        let mut r = resp.classify()?;
        let name = resp
            .json()
            .and_then(|v| v["name"].as_str().map(String::from));
        r.detail = name.unwrap_or_else(|| "posted".into());
        Ok(r)
    }
}

fn fallback(a: &Alert, max_changes: usize) -> String {
    let mut t = format!("{} *{}*\n{}", a.emoji(), a.title, a.summary);
    for ch in a.top_changes.iter().take(max_changes) {
        t.push_str(&format!("\n• {}", ch.line()));
    }
    if let Some(l) = &a.link {
        t.push_str(&format!("\n<{l}|Open in specwatch>"));
    }
    text::truncate_bytes(&t, TEXT_MAX_BYTES)
}

fn card(a: &Alert, max_changes: usize) -> Value {
    let mut widgets = vec![
        json!({"textParagraph": {"text": text::escape_html(&text::truncate(&a.summary, SUMMARY_MAX))}}),
    ];
    if let Some(v) = a.versions() {
        widgets.push(json!({"decoratedText": {"topLabel": "Version", "text": v}}));
    }
    let changes: Vec<String> = a
        .top_changes
        .iter()
        .take(max_changes)
        .map(|c| {
            format!(
                "<b>{}</b> {}",
                c.level.as_str(),
                text::escape_html(&c.text())
            )
        })
        .collect();
    if !changes.is_empty() {
        widgets.push(json!({"textParagraph": {"text": text::truncate_bytes(&changes.join("<br>"), TEXT_MAX_BYTES)}}));
    }
    if let Some(l) = &a.link {
        widgets.push(json!({"buttonList": {"buttons": [
            {"text": "Open in specwatch", "onClick": {"openLink": {"url": l}}}]}}));
    }
    json!({
        "header": {
            "title": text::truncate(&format!("{} {}", a.emoji(), a.title), 200),
            "subtitle": format!("{} · {} · {}", a.badge(), a.watch, a.event),
        },
        "sections": [{"widgets": widgets}],
    })
}

export_plugin!(GoogleChat);
