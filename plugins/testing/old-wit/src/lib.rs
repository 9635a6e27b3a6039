//! Built against a copy of the WIT at `specwatch:sink@0.1.0` (before `now-ms`): a 0.1.1
//! host must load it through its semver-aware linker.

wit_bindgen::generate!({ world: "plugin", path: "wit" });

use exports::specwatch::sink::sink::{Alert, DeliveryError, DeliveryReport, Guest, PluginInfo};

struct Plugin;

export!(Plugin);

use specwatch::sink::host::{LogLevel, log};

impl Guest for Plugin {
    fn describe() -> PluginInfo {
        PluginInfo {
            name: "old-wit".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "built against specwatch:sink@0.1.0".into(),
            config_schema: None,
        }
    }
    fn validate_config(_config: String) -> Result<(), String> {
        Ok(())
    }
    fn deliver(alert: Alert, _config: String) -> Result<DeliveryReport, DeliveryError> {
        log(LogLevel::Info, &format!("old-wit got {}", alert.id));
        Ok(DeliveryReport {
            status: 200,
            detail: format!("old-wit delivered {}", alert.title),
        })
    }
}
