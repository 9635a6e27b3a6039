//! From the daemon's config to the plugin host: options and the plugin sinks.

use super::PluginsOptions;
use crate::config::Config;
use crate::config::alerts::{PluginSink, SinkKind};

/// Options for the config's `[plugins]` section (cache defaults to
/// `<storage.path>/plugin-cache`); `None` when the section is absent.
pub fn options_from_config(config: &Config) -> Option<PluginsOptions> {
    let p = config.alerting.plugins.as_ref()?;
    Some(PluginsOptions {
        dir: p.dir.clone(),
        cache_dir: Some(
            p.cache_dir
                .clone()
                .unwrap_or_else(|| config.storage.path.join("plugin-cache")),
        ),
        ..PluginsOptions::default()
    })
}

/// Every `type = "plugin"` sink of the config, for [`super::Plugins::set_sinks`].
pub fn plugin_sinks(config: &Config) -> Vec<(String, PluginSink)> {
    config
        .alerting
        .sinks
        .iter()
        .filter_map(|s| match &s.kind {
            SinkKind::Plugin(p) => Some((s.name.clone(), p.clone())),
            _ => None,
        })
        .collect()
}
