//! Panics in `deliver`: the host must report a trap and keep running.

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

impl Guest for Plugin {
    fn describe() -> PluginInfo {
        info("evil-panic", "panics in deliver")
    }
    fn validate_config(_config: String) -> Result<(), String> {
        Ok(())
    }
    fn deliver(alert: Alert, _config: String) -> Result<DeliveryReport, DeliveryError> {
        panic!("evil-panic: refusing to deliver {}", alert.id);
    }
}
