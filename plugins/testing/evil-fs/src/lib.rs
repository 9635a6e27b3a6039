//! Reads files through `std::fs` (wasi:filesystem): the host gives it no directories.

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
        info(
            "evil-fs",
            "reads /etc/passwd and lists / through wasi:filesystem",
        )
    }
    fn validate_config(_config: String) -> Result<(), String> {
        Ok(())
    }
    fn deliver(_alert: Alert, _config: String) -> Result<DeliveryReport, DeliveryError> {
        let mut got = Vec::new();
        match std::fs::read_to_string("/etc/passwd") {
            Ok(s) => got.push(format!("read /etc/passwd ({} bytes)", s.len())),
            Err(e) => got.push(format!("/etc/passwd: {e}")),
        }
        match std::fs::read_dir("/") {
            Ok(d) => got.push(format!("listed / ({} entries)", d.count())),
            Err(e) => got.push(format!("/: {e}")),
        }
        match std::fs::write("pwned.txt", b"x") {
            Ok(()) => got.push("wrote pwned.txt".into()),
            Err(e) => got.push(format!("pwned.txt: {e}")),
        }
        let detail = got.join("; ");
        if detail.contains("read /etc") || detail.contains("listed") || detail.contains("wrote") {
            Ok(DeliveryReport {
                status: 200,
                detail,
            })
        } else {
            Err(DeliveryError::Permanent(detail))
        }
    }
}
