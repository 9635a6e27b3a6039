//! Test plugin: POSTs what the SDK hands a plugin (the typed alert fields and the
//! parsed payload) to `url`, so a test can check the host → WIT → SDK conversion, and
//! maps the reply with the SDK's `classify`.

use specwatch_plugin_sdk::prelude::*;

#[derive(Deserialize)]
#[serde(crate = "specwatch_plugin_sdk::serde", deny_unknown_fields)]
struct Config {
    url: String,
}

struct Echo;

impl Plugin for Echo {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "sdk-echo".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Test plugin: echoes the SDK's view of an alert".into(),
            config_schema: None,
        }
    }

    fn validate(config: &Value) -> Result<(), String> {
        let c: Config = config::parse(config)?;
        config::check_url("url", &c.url)
    }

    fn deliver(a: &Alert, config: &Value) -> Result<Report, DeliveryError> {
        let c: Config = config::parse(config).map_err(DeliveryError::InvalidConfig)?;
        let changes: Vec<Value> = a
            .top_changes
            .iter()
            .map(|ch| json!({"id": ch.id, "level": ch.level.as_str(), "operation": ch.operation, "message": ch.message}))
            .collect();
        let body = json!({
            "typed": {
                "id": a.id, "idempotency_key": a.idempotency_key, "fingerprint": a.fingerprint,
                "event": a.event, "status": a.status.as_str(), "level": a.level.as_str(),
                "title": a.title, "summary": a.summary, "watch": a.watch,
                "provider": a.provider, "product": a.product, "labels": a.labels,
                "from_version": a.from_version, "to_version": a.to_version,
                "counts": {"breaking": a.counts.breaking, "warning": a.counts.warning, "info": a.counts.info},
                "top_changes": changes, "link": a.link,
                "occurred_at_ms": a.occurred_at_ms, "occurred_at": a.occurred_at(),
            },
            "payload": a.payload,
        });
        log::info("sdk-echo delivering");
        http::post_json(&c.url, &[("X-Echo", "1")], &body)?.classify()
    }
}

export_plugin!(Echo);
