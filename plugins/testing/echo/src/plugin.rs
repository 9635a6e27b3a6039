wit_bindgen::generate!({ world: "plugin", path: "../../wit" });

use exports::specwatch::sink::sink::{Alert, DeliveryError, DeliveryReport, Guest, PluginInfo};
use specwatch::sink::host::{HttpError, HttpRequest, LogLevel, http_send, log, now_ms};
use specwatch::sink::types::TransientError;

const SCHEMA: &str = r#"{"type":"object","required":["url"],"properties":{"url":{"type":"string"},"dry_run":{"type":"boolean"},"stderr":{"type":"boolean"}}}"#;

#[derive(serde::Deserialize)]
struct Config {
    url: String,
    #[serde(default)]
    dry_run: bool,
    #[serde(default)]
    stderr: bool,
}

fn parse(config: &str) -> Result<Config, String> {
    let c: Config = serde_json::from_str(config).map_err(|e| format!("config: {e}"))?;
    if !(c.url.starts_with("https://") || c.url.starts_with("http://")) {
        return Err("config: `url` must be an http(s) URL".into());
    }
    Ok(c)
}

struct Plugin;

export!(Plugin);

impl Guest for Plugin {
    fn describe() -> PluginInfo {
        PluginInfo {
            name: "echo".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "POSTs the specwatch.alert.v1 document to `url`".into(),
            config_schema: Some(SCHEMA.into()),
        }
    }

    fn validate_config(config: String) -> Result<(), String> {
        parse(&config).map(|_| ())
    }

    fn deliver(alert: Alert, config: String) -> Result<DeliveryReport, DeliveryError> {
        let cfg = parse(&config).map_err(DeliveryError::InvalidConfig)?;
        let version = env!("CARGO_PKG_VERSION");
        if cfg.stderr {
            eprintln!("echo {version}: delivering {}", alert.id);
        }
        if cfg.dry_run {
            return Ok(DeliveryReport {
                status: 200,
                detail: format!("echo {version} dry run"),
            });
        }
        log(LogLevel::Debug, &format!("delivering {} at {}", alert.id, now_ms()));
        let req = HttpRequest {
            method: "POST".into(),
            url: cfg.url,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("idempotency-key".into(), alert.idempotency_key.clone()),
                ("x-echo-version".into(), version.into()),
            ],
            body: alert.payload_json.into_bytes(),
        };
        match http_send(&req) {
            Ok(r) if (200..300).contains(&r.status) => Ok(DeliveryReport {
                status: r.status,
                detail: format!("echo {version}"),
            }),
            Ok(r) if r.status == 429 || r.status >= 500 => {
                Err(DeliveryError::Transient(TransientError {
                    message: format!("receiver answered {}", r.status),
                    retry_after_ms: None,
                }))
            }
            Ok(r) => Err(DeliveryError::Permanent(format!(
                "receiver answered {}",
                r.status
            ))),
            Err(HttpError::Timeout) => Err(DeliveryError::Transient(TransientError {
                message: "timeout".into(),
                retry_after_ms: None,
            })),
            Err(HttpError::Connect(e)) => Err(DeliveryError::Transient(TransientError {
                message: format!("connect: {e}"),
                retry_after_ms: None,
            })),
            Err(HttpError::Denied(why)) => Err(DeliveryError::Permanent(format!("denied: {why}"))),
            Err(HttpError::TooLarge) => Err(DeliveryError::Permanent("response too large".into())),
        }
    }
}
