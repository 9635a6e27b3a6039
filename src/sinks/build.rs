//! Builds the configured sinks by name: builtin ones here, plugin ones through the
//! plugin host (passed in, so this module doesn't depend on wasmtime).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use super::{SharedSink, email::EmailSink, templated::Templated, webhook::WebhookSink};
use crate::config::alerts::{Alerting, PluginSinkConfig, SinkKind};

/// Makes the sink of a `type = "plugin"` entry: (sink name, its config, timeout).
pub type PluginFactory<'a> = &'a dyn Fn(&str, &PluginSinkConfig, Duration) -> SharedSink;

/// Every sink of the config; a sink that cannot be built is left out and its problem
/// returned (its deliveries wait in the outbox until it can be).
pub fn build(
    cfg: &Alerting,
    plugins: Option<PluginFactory<'_>>,
) -> (HashMap<String, SharedSink>, Vec<String>) {
    let mut sinks = HashMap::new();
    let mut problems = Vec::new();
    for s in &cfg.sinks {
        let built: Result<SharedSink, String> = match &s.kind {
            SinkKind::Webhook(w) => WebhookSink::new(&s.name, w, s.timeout)
                .map(|x| Arc::new(x) as SharedSink)
                .map_err(|e| e.to_string()),
            SinkKind::Email(e) => EmailSink::new(&s.name, e, s.timeout)
                .map(|x| Arc::new(x) as SharedSink)
                .map_err(|e| e.to_string()),
            SinkKind::Plugin(p) => match plugins {
                Some(make) => Ok(make(&s.name, p, s.timeout)),
                None => Err("plugin sinks need a [plugins] section".to_string()),
            },
        };
        match built {
            Ok(sink) => {
                let sink = if s.templates.is_empty() {
                    sink
                } else {
                    Arc::new(Templated {
                        inner: sink,
                        templates: s.templates.clone(),
                    }) as SharedSink
                };
                sinks.insert(s.name.clone(), sink);
            }
            Err(e) => problems.push(format!("sink {:?}: {e}", s.name)),
        }
    }
    (sinks, problems)
}
