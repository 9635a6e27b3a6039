//! From the daemon's config to the plugin host: options and the plugin sinks.

use super::{Plugins, PluginsOptions, host_matches};
use crate::config::Config;
use crate::config::alerts::{PluginSinkConfig, SinkKind};

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
pub fn plugin_sinks(config: &Config) -> Vec<(String, PluginSinkConfig)> {
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

/// Everything wrong with the config's plugin sinks, one line each, as the daemon would
/// find it: the plugin is missing or does not load, the plugin rejects the sink's
/// config, or a URL in the config points at a host the sink may not reach. Loads the
/// plugin directory without writing a compile cache.
pub async fn check_sinks(config: &Config) -> Vec<String> {
    let sinks = plugin_sinks(config);
    let Some(opts) = options_from_config(config) else {
        return Vec::new();
    };
    if sinks.is_empty() {
        return Vec::new();
    }
    let host = match Plugins::new(PluginsOptions {
        cache_dir: None,
        ..opts
    }) {
        Ok(h) => h,
        Err(e) => return vec![e.to_string()],
    };
    host.set_sinks(sinks.clone());
    host.load_all().await;
    let statuses = host.list();
    let mut out = Vec::new();
    for (name, sink) in &sinks {
        let Some(st) = statuses.iter().find(|s| s.name == sink.plugin) else {
            continue;
        };
        if st.loaded.is_none() {
            let why = st.error.as_deref().unwrap_or("not loaded");
            out.push(format!("sink {name:?}: plugin {:?}: {why}", sink.plugin));
            continue;
        }
        if let Some((_, e)) = st.sink_errors.iter().find(|(s, _)| s == name) {
            out.push(e.clone());
        }
        out.extend(
            unreachable_hosts(sink)
                .into_iter()
                .map(|h| format!("sink {name:?}: its config points at host {h:?}, which is not in allowed_hosts (the plugin could not reach it)")),
        );
    }
    out
}

/// Hosts of http(s) URLs in the sink's config that its network policy does not allow.
fn unreachable_hosts(sink: &PluginSinkConfig) -> Vec<String> {
    let mut urls = Vec::new();
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(sink.config.expose()) {
        collect_urls(&v, &mut urls);
    }
    let allowed = |list: &[String], u: &url::Url, host: &str| {
        list.iter()
            .any(|p| host_matches(p, host, u.port_or_known_default()))
    };
    let mut out: Vec<String> = urls
        .into_iter()
        .filter_map(|u| {
            let host = u.host_str()?.trim_end_matches('.').to_string();
            let ok = match u.scheme() {
                "https" => {
                    allowed(&sink.allowed_hosts, &u, &host)
                        || allowed(&sink.allow_http_hosts, &u, &host)
                }
                _ => allowed(&sink.allow_http_hosts, &u, &host),
            };
            (!ok).then_some(host)
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn collect_urls(v: &serde_json::Value, out: &mut Vec<url::Url>) {
    match v {
        serde_json::Value::String(s) => {
            if let Ok(u) = url::Url::parse(s.trim())
                && matches!(u.scheme(), "http" | "https")
            {
                out.push(u);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_urls(x, out)),
        serde_json::Value::Object(m) => m.values().for_each(|x| collect_urls(x, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    #[test]
    fn config_urls_must_be_reachable_under_the_sink_policy() {
        let sink = |config: &str| PluginSinkConfig {
            plugin: "slack".into(),
            allowed_hosts: vec!["hooks.slack.com".into(), "*.example.com".into()],
            allow_http_hosts: vec!["127.0.0.1".into()],
            config: Secret(config.into()),
            interpolated: vec![],
        };
        let bad = sink(
            r#"{"webhook_url": "https://hooks.slack.com/x", "more": ["https://a.example.com/", "http://hooks.slack.com/", "https://evil.test/t?x=1"], "relay": "http://127.0.0.1:9/"}"#,
        );
        assert_eq!(
            unreachable_hosts(&bad),
            vec!["evil.test", "hooks.slack.com"]
        );
        assert!(unreachable_hosts(&sink(r##"{"channel": "#a", "n": 3}"##)).is_empty());
    }
}
