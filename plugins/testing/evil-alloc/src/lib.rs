//! Allocates and touches 1 GiB in `deliver`: the host must trap it at its memory cap.

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
        info("evil-alloc", "allocates 1 GiB in deliver")
    }
    fn validate_config(_config: String) -> Result<(), String> {
        Ok(())
    }
    fn deliver(_alert: Alert, _config: String) -> Result<DeliveryReport, DeliveryError> {
        let mut v: Vec<u8> = Vec::with_capacity(1 << 30);
        // Touch every page so a lazy allocator cannot cheat.
        v.resize(1 << 30, 1);
        let sum: u64 = v.iter().step_by(4096).map(|&b| b as u64).sum();
        Ok(DeliveryReport {
            status: 200,
            detail: format!("allocated 1 GiB (checksum {})", std::hint::black_box(sum)),
        })
    }
}
