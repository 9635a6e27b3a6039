//! Glue between the generated `Guest` trait and [`Plugin`]; used by
//! [`export_plugin!`](crate::export_plugin), not by plugins directly.

use crate::bindings::specwatch::sink::types as wit;
use crate::{DeliveryError, Plugin};

/// `describe`.
pub fn describe<P: Plugin>() -> wit::PluginInfo {
    let info = P::info();
    wit::PluginInfo {
        name: info.name,
        version: info.version,
        description: info.description,
        config_schema: info.config_schema.map(|s| s.to_string()),
    }
}

fn parse_config(config: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str(config).map_err(|e| format!("config is not valid JSON: {e}"))
}

/// `validate-config`.
pub fn validate_config<P: Plugin>(config: &str) -> Result<(), String> {
    P::validate(&parse_config(config)?)
}

/// `deliver`: validates the config first, so a plugin's `deliver` may assume it.
pub fn deliver<P: Plugin>(
    alert: wit::Alert,
    config: &str,
) -> Result<wit::DeliveryReport, wit::DeliveryError> {
    let run = || {
        let config = parse_config(config).map_err(DeliveryError::InvalidConfig)?;
        P::validate(&config).map_err(DeliveryError::InvalidConfig)?;
        P::deliver(&alert.into(), &config)
    };
    match run() {
        Ok(r) => Ok(wit::DeliveryReport {
            status: r.status,
            detail: r.detail,
        }),
        Err(DeliveryError::InvalidConfig(m)) => Err(wit::DeliveryError::InvalidConfig(m)),
        Err(DeliveryError::Permanent(m)) => Err(wit::DeliveryError::Permanent(m)),
        Err(DeliveryError::Transient {
            message,
            retry_after_ms,
        }) => Err(wit::DeliveryError::Transient(wit::TransientError {
            message,
            retry_after_ms,
        })),
    }
}
