//! Opsgenie sink (Alert API v2): create with `alias` = fingerprint, close the same
//! alias on recovery. Opsgenie is end-of-support on 2027-04-05 (see README).

use specwatch_plugin_sdk::prelude::*;

/// Opsgenie's limits: message 130 chars, alias 512, description 15,000.
const MESSAGE_MAX: usize = 130;
const ALIAS_MAX: usize = 512;
const DESCRIPTION_MAX: usize = 15_000;

#[derive(Deserialize)]
#[serde(crate = "specwatch_plugin_sdk::serde", deny_unknown_fields)]
struct Config {
    /// API key of an API integration (secret: sent as `GenieKey`, never logged).
    api_key: String,
    /// `https://api.opsgenie.com`, or `https://api.eu.opsgenie.com` for EU accounts.
    #[serde(default = "default_api_url")]
    api_url: String,
    /// `source` field.
    #[serde(default = "default_source")]
    source: String,
    /// Extra tags.
    #[serde(default)]
    tags: Vec<String>,
}

fn default_api_url() -> String {
    "https://api.opsgenie.com".into()
}

fn default_source() -> String {
    "specwatch".into()
}

fn parse(config: &Value) -> Result<Config, String> {
    let c: Config = config::parse(config)?;
    config::check_non_empty("api_key", &c.api_key)?;
    config::check_url("api_url", &c.api_url)?;
    config::check_non_empty("source", &c.source)?;
    Ok(c)
}

struct Opsgenie;

impl Plugin for Opsgenie {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "opsgenie".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description:
                "Opsgenie alerts (create / close by alias); Opsgenie support ends 2027-04-05".into(),
            config_schema: Some(json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "required": ["api_key"],
                "additionalProperties": false,
                "properties": {
                    "api_key": {"type": "string", "description": "API integration key (secret)"},
                    "api_url": {"type": "string", "format": "uri", "default": "https://api.opsgenie.com",
                        "description": "https://api.eu.opsgenie.com for EU accounts"},
                    "source": {"type": "string", "default": "specwatch"},
                    "tags": {"type": "array", "items": {"type": "string"}}
                }
            })),
        }
    }

    fn validate(config: &Value) -> Result<(), String> {
        parse(config).map(|_| ())
    }

    fn deliver(a: &Alert, config: &Value) -> Result<Report, DeliveryError> {
        let c = parse(config).map_err(DeliveryError::InvalidConfig)?;
        let base = c.api_url.trim_end_matches('/');
        let auth = format!("GenieKey {}", c.api_key);
        let alias = text::truncate_bytes(&a.fingerprint, ALIAS_MAX);
        let (url, body, what) = if a.is_resolved() {
            let url = format!(
                "{base}/v2/alerts/{}/close?identifierType=alias",
                text::percent_encode(&alias)
            );
            let body = json!({"source": c.source, "note": text::truncate(&a.title, 25_000)});
            (url, body, "closed")
        } else {
            (
                format!("{base}/v2/alerts"),
                create(a, &c, &alias),
                "created",
            )
        };
        let resp = http::post_json(&url, &[("Authorization", &auth)], &body)?;
        let mut r = resp.classify()?;
        let id = resp
            .json()
            .and_then(|v| v["requestId"].as_str().map(String::from));
        r.detail = match id {
            Some(id) => format!("{what} (request {id})"),
            None => what.into(),
        };
        Ok(r)
    }
}

fn priority(level: Level) -> &'static str {
    match level {
        Level::Breaking => "P2",
        Level::Warning => "P3",
        Level::Info => "P5",
    }
}

fn create(a: &Alert, c: &Config, alias: &str) -> Value {
    let mut description = a.summary.clone();
    for ch in &a.top_changes {
        description.push_str(&format!("\n- {}", ch.line()));
    }
    if let Some(l) = &a.link {
        description.push_str(&format!("\n\n{l}"));
    }
    let mut tags = vec![
        "specwatch".to_string(),
        a.event.clone(),
        a.level.as_str().to_string(),
    ];
    tags.extend(c.tags.iter().cloned());
    let mut details = json!({"watch": a.watch, "event": a.event, "notification_id": a.id});
    for (k, v) in [
        ("provider", &a.provider),
        ("product", &a.product),
        ("link", &a.link),
    ] {
        if let Some(v) = v {
            details[k] = json!(v);
        }
    }
    if let Some(v) = a.versions() {
        details["versions"] = json!(v);
    }
    json!({
        "message": text::truncate(&a.title, MESSAGE_MAX),
        "alias": alias,
        "description": text::truncate(&description, DESCRIPTION_MAX),
        "priority": priority(a.level),
        "source": c.source,
        "entity": a.watch,
        "tags": tags,
        "details": details,
    })
}

export_plugin!(Opsgenie);
