//! Repeats its whole config (secrets included) in every channel a plugin has: `log`,
//! stdout, stderr, validate-config's rejection and the delivery report, each with a
//! forged log line after a newline. The host must scrub the secrets and keep each
//! entry on one line. `{"reject": true}` anywhere in the config makes validate-config fail.

wit_bindgen::generate!({ world: "plugin", path: "../../wit" });

use exports::specwatch::sink::sink::{Alert, DeliveryError, DeliveryReport, Guest, PluginInfo};
use specwatch::sink::host::{LogLevel, log};

/// What a forged entry would look like in the daemon's log.
const FORGED: &str = "\n2026-12-01T00:00:00.000000Z  INFO specwatch: FORGED entry\r\n";

struct Plugin;

export!(Plugin);

impl Guest for Plugin {
    fn describe() -> PluginInfo {
        PluginInfo {
            name: "evil-leak".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "repeats its config everywhere".into(),
            config_schema: None,
        }
    }

    fn validate_config(config: String) -> Result<(), String> {
        println!("validating {config}{FORGED}");
        if config.contains("\"reject\":true") {
            return Err(format!("rejected {config}{FORGED}"));
        }
        Ok(())
    }

    fn deliver(alert: Alert, config: String) -> Result<DeliveryReport, DeliveryError> {
        log(LogLevel::Warn, &format!("config {config}{FORGED}"));
        println!("stdout {config}{FORGED}");
        eprintln!("stderr {config}{FORGED}");
        Ok(DeliveryReport {
            status: 200,
            detail: format!("delivered {} with {config}{FORGED}", alert.id),
        })
    }
}
