//! Telegram Bot API sink: `sendMessage` with HTML parse mode. The bot token travels
//! in the URL path, so it is redacted from every error message.

use specwatch_plugin_sdk::prelude::*;

/// Telegram's message limit, in characters.
const TEXT_MAX: usize = 4096;

/// Length as Telegram counts it (UTF-16 code units: an emoji counts as two), which is
/// never less than the number of chars, so it is the safe measure.
fn len(s: &str) -> usize {
    s.encode_utf16().count()
}

#[derive(Deserialize)]
#[serde(crate = "specwatch_plugin_sdk::serde", deny_unknown_fields)]
struct Config {
    /// `123456:ABC-…` from @BotFather (secret).
    bot_token: String,
    /// Numeric chat id or `@channelusername`.
    chat_id: ChatId,
    /// Bot API base URL (tests, local Bot API servers).
    #[serde(default = "default_api_url")]
    api_url: String,
    /// Forum topic to post in.
    #[serde(default)]
    message_thread_id: Option<i64>,
    /// Deliver silently.
    #[serde(default)]
    disable_notification: bool,
}

#[derive(Deserialize)]
#[serde(crate = "specwatch_plugin_sdk::serde", untagged)]
enum ChatId {
    Id(i64),
    Name(String),
}

fn default_api_url() -> String {
    "https://api.telegram.org".into()
}

fn parse(config: &Value) -> Result<Config, String> {
    if config
        .get("chat_id")
        .is_some_and(|v| !(v.is_i64() || v.is_string()))
    {
        return Err("config key \"chat_id\": expected an integer or an \"@channel\" string".into());
    }
    let c: Config = config::parse(config)?;
    let token_ok = c.bot_token.split_once(':').is_some_and(|(id, rest)| {
        !id.is_empty() && id.chars().all(|ch| ch.is_ascii_digit()) && !rest.is_empty()
    });
    if !token_ok || c.bot_token.contains(['/', '?', '#', ' ']) {
        return Err("config key \"bot_token\": expected a token like 123456:ABC-DEF…".into());
    }
    if let ChatId::Name(n) = &c.chat_id {
        let numeric = n.parse::<i64>().is_ok();
        if !numeric && !n.starts_with('@') {
            return Err(
                "config key \"chat_id\": expected a numeric id or \"@channelusername\"".into(),
            );
        }
    }
    config::check_url("api_url", &c.api_url)?;
    Ok(c)
}

struct Telegram;

impl Plugin for Telegram {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "telegram".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Telegram bot message (sendMessage, HTML)".into(),
            config_schema: Some(json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "required": ["bot_token", "chat_id"],
                "additionalProperties": false,
                "properties": {
                    "bot_token": {"type": "string", "description": "Bot token from @BotFather (secret)"},
                    "chat_id": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                    "api_url": {"type": "string", "format": "uri", "default": "https://api.telegram.org"},
                    "message_thread_id": {"type": "integer"},
                    "disable_notification": {"type": "boolean", "default": false}
                }
            })),
        }
    }

    fn validate(config: &Value) -> Result<(), String> {
        parse(config).map(|_| ())
    }

    fn deliver(a: &Alert, config: &Value) -> Result<Report, DeliveryError> {
        let c = parse(config).map_err(DeliveryError::InvalidConfig)?;
        let url = format!(
            "{}/bot{}/sendMessage",
            c.api_url.trim_end_matches('/'),
            c.bot_token
        );
        let chat_id = match &c.chat_id {
            ChatId::Id(i) => json!(i),
            ChatId::Name(n) => json!(n),
        };
        let mut body = json!({
            "chat_id": chat_id,
            "text": message(a),
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": true},
        });
        if let Some(t) = c.message_thread_id {
            body["message_thread_id"] = json!(t);
        }
        if c.disable_notification {
            body["disable_notification"] = json!(true);
        }
        send(&url, &body).map_err(|e| e.redact(&c.bot_token))
    }
}

fn send(url: &str, body: &Value) -> Result<Report, DeliveryError> {
    let resp = http::post_json(url, &[], body)?;
    let reply = resp.json();
    match resp.classify() {
        Ok(mut r) => {
            let id = reply
                .as_ref()
                .and_then(|v| v["result"]["message_id"].as_i64());
            r.detail = id.map_or_else(|| "sent".into(), |id| format!("message {id}"));
            Ok(r)
        }
        // Telegram's 429 says how long to wait in `parameters.retry_after` (seconds).
        Err(DeliveryError::Transient {
            message,
            retry_after_ms,
        }) => {
            let secs = reply
                .as_ref()
                .and_then(|v| v["parameters"]["retry_after"].as_u64());
            Err(DeliveryError::Transient {
                message,
                retry_after_ms: retry_after_ms.or(secs.map(|s| s * 1000)),
            })
        }
        Err(e) => Err(e),
    }
}

/// Builds the HTML text within 4096 UTF-16 units: lines are escaped first and whole lines
/// dropped when over budget, so no entity or tag is ever cut in half.
fn message(a: &Alert) -> String {
    let mut lines = vec![format!(
        "{} <b>{}</b>",
        a.emoji(),
        text::escape_html(&text::truncate(&a.title, 300))
    )];
    lines.push(text::escape_html(&text::truncate(&a.summary, 1500)));
    let mut meta = vec![a.watch.clone(), a.event.clone()];
    meta.extend(a.versions());
    lines.push(format!("<i>{}</i>", text::escape_html(&meta.join(" · "))));
    let link = a
        .link
        .as_ref()
        .map(|l| format!("<a href=\"{}\">Open in specwatch</a>", text::escape_html(l)));
    let reserve = link.as_ref().map_or(0, |l| len(l) + 2);
    let mut used: usize = lines.iter().map(|l| len(l) + 1).sum();
    for (i, ch) in a.top_changes.iter().enumerate() {
        let op = ch
            .operation
            .as_deref()
            .map(|o| format!(" <code>{}</code>", text::escape_html(o)));
        let line = format!(
            "• <b>{}</b>{} {}",
            ch.level.as_str(),
            op.unwrap_or_default(),
            text::escape_html(&text::truncate(&ch.message, 500))
        );
        let more = format!("… and {} more", a.top_changes.len() - i);
        if used + len(&line) + 1 + len(&more) + reserve > TEXT_MAX {
            lines.push(more);
            break;
        }
        used += len(&line) + 1;
        lines.push(line);
    }
    if let Some(l) = link {
        lines.push(String::new());
        lines.push(l);
    }
    let t = lines.join("\n");
    // Unreachable with the budgets above; a last guard against Telegram's 400.
    if len(&t) > TEXT_MAX {
        text::truncate(&text::escape_html(&a.title), TEXT_MAX)
    } else {
        t
    }
}

export_plugin!(Telegram);
