//! Built against a copy of the WIT at `specwatch:sink@0.1.2` that adds `host.kv-get`,
//! which the 0.1.1 host lacks: the host must refuse it at load, naming the import.

wit_bindgen::generate!({ world: "plugin", path: "wit" });

use exports::specwatch::sink::sink::{Alert, DeliveryError, DeliveryReport, Guest, PluginInfo};

struct Plugin;

export!(Plugin);

use specwatch::sink::host::kv_get;

impl Guest for Plugin {
    fn describe() -> PluginInfo {
        PluginInfo {
            name: "future-wit".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "built against specwatch:sink@0.1.2".into(),
            config_schema: None,
        }
    }
    fn validate_config(_config: String) -> Result<(), String> {
        Ok(())
    }
    fn deliver(_alert: Alert, _config: String) -> Result<DeliveryReport, DeliveryError> {
        Ok(DeliveryReport {
            status: 200,
            detail: kv_get("greeting").unwrap_or_default(),
        })
    }
}
