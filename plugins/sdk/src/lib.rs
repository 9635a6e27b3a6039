//! Guest SDK for specwatch sink plugins: implement [`Plugin`], call
//! [`export_plugin!`], build for `wasm32-wasip2`. The WIT bindings
//! (`specwatch:sink@0.1.1`) are generated here once, so plugins depend on this crate
//! only. See `docs/plugins.md` for a walkthrough.

// The generated bindings name this crate by path (`runtime_path`,
// `default_bindings_module`), which must also resolve inside the crate itself.
extern crate self as specwatch_plugin_sdk;

#[doc(hidden)]
pub mod adapter;
mod alert;
pub mod bindings;
pub mod config;
mod error;
pub mod http;
pub mod log;
pub mod text;
pub mod time;

pub use alert::{Alert, Change, Counts, Level, Status};
pub use error::{DeliveryError, PluginInfo, Report};
// Re-exported so plugins need no direct dependency on them (derives use
// `#[serde(crate = "specwatch_plugin_sdk::serde")]`).
pub use serde;
pub use serde_json;
#[doc(hidden)]
pub use wit_bindgen;

/// The usual imports of a plugin.
pub mod prelude {
    pub use crate::serde::Deserialize;
    pub use crate::serde_json::{Value, json};
    pub use crate::{
        Alert, Change, Counts, DeliveryError, Level, Plugin, PluginInfo, Report, Status, config,
        export_plugin, http, log, text,
    };
}

/// A sink plugin. All functions are associated (no `self`): the host creates a fresh
/// instance per call, so there is no state to keep between calls anyway.
pub trait Plugin {
    /// Name, version, description and config schema (`describe`).
    fn info() -> PluginInfo;

    /// Checks a sink's config (`validate-config`); the message should name the key.
    fn validate(config: &serde_json::Value) -> Result<(), String>;

    /// Delivers one alert once (`deliver`). The host retries transient errors; the
    /// config has already passed [`Plugin::validate`].
    fn deliver(alert: &Alert, config: &serde_json::Value) -> Result<Report, DeliveryError>;
}

/// Exports a [`Plugin`] implementation as the component's `sink` interface.
///
/// ```no_run
/// use specwatch_plugin_sdk::prelude::*;
///
/// struct MySink;
///
/// impl Plugin for MySink {
///     fn info() -> PluginInfo {
///         PluginInfo {
///             name: "my-sink".into(),
///             version: "0.1.0".into(),
///             description: "Example".into(),
///             config_schema: None,
///         }
///     }
///     fn validate(_config: &Value) -> Result<(), String> {
///         Ok(())
///     }
///     fn deliver(_alert: &Alert, _config: &Value) -> Result<Report, DeliveryError> {
///         Err(DeliveryError::Permanent("not implemented".into()))
///     }
/// }
///
/// export_plugin!(MySink);
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! export_plugin {
    ($ty:ty) => {
        #[doc(hidden)]
        struct __SpecwatchSinkExport;

        impl $crate::bindings::exports::specwatch::sink::sink::Guest for __SpecwatchSinkExport {
            fn describe() -> $crate::bindings::specwatch::sink::types::PluginInfo {
                $crate::adapter::describe::<$ty>()
            }
            fn validate_config(config: ::std::string::String) -> ::std::result::Result<(), ::std::string::String> {
                $crate::adapter::validate_config::<$ty>(&config)
            }
            fn deliver(
                alert: $crate::bindings::specwatch::sink::types::Alert,
                config: ::std::string::String,
            ) -> ::std::result::Result<
                $crate::bindings::specwatch::sink::types::DeliveryReport,
                $crate::bindings::specwatch::sink::types::DeliveryError,
            > {
                $crate::adapter::deliver::<$ty>(alert, &config)
            }
        }

        $crate::bindings::__export_sink!(__SpecwatchSinkExport with_types_in $crate::bindings);
    };
}
