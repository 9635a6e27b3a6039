//! Helpers for the plugin-host tests: a sample alert, a plugin directory populated with
//! real built plugins, and plugin-sink configs.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use specwatch::config::Secret;
use specwatch::config::alerts::PluginSinkConfig;
use specwatch::diff::{Change, Level};
use specwatch::notification::{
    AlertPayload, AlertStatus, Counts, EventKind, EventPayload, Links, SCHEMA, VersionPair,
    WatchRef,
};
use specwatch::plugin_host::{Plugins, PluginsOptions};
use specwatch::sinks::{Delivery, DeliveryReport, SharedSink, SinkError};

use super::wasm;

/// A breaking-change notification like the dispatcher sends.
pub fn sample_payload() -> AlertPayload {
    let change = Change::new(
        "response-property-removed",
        Level::Breaking,
        Some("GET /v1/charges".into()),
        "/paths/~1v1~1charges/get".into(),
        "removed the response property `amount`".into(),
        &["amount"],
    );
    AlertPayload {
        schema: SCHEMA.into(),
        id: "n-42".into(),
        idempotency_key: "n-42:chat".into(),
        fingerprint: "fp-stripe-7".into(),
        group_key: "default/stripe".into(),
        status: AlertStatus::Firing,
        event: EventKind::BreakingChange,
        level: Level::Breaking,
        title: "stripe: 1 breaking change in v7".into(),
        summary: "removed the response property `amount`".into(),
        watch: WatchRef {
            name: "stripe".into(),
            provider: Some("Stripe".into()),
            product: None,
            labels: BTreeMap::from([("team".to_string(), "payments".to_string())]),
        },
        created_at: "2026-12-01T08:00:00.000Z".into(),
        repeat: false,
        links: Links::default(),
        events: vec![EventPayload {
            kind: EventKind::BreakingChange,
            level: Level::Breaking,
            fingerprint: "fp-stripe-7".into(),
            occurred_at: "2026-12-01T08:00:00.000Z".into(),
            summary: "1 breaking change".into(),
            versions: Some(VersionPair { from: 6, to: 7 }),
            counts: Counts {
                breaking: 1,
                warning: 0,
                info: 0,
            },
            changes_total: 1,
            changes: vec![change],
            root_causes: Counts::default(),
            groups: vec![],
            operations_affected: 0,
            operation: None,
            error: None,
            sunset: None,
            headline: None,
            actions: vec![],
        }],
    }
}

/// Delivers the sample payload once through `sink`.
pub async fn deliver(sink: &SharedSink) -> Result<DeliveryReport, SinkError> {
    let payload = sample_payload();
    let body = serde_json::to_vec(&payload).unwrap();
    let d = Delivery {
        payload: &payload,
        body: &body,
        idempotency_key: "n-42:chat",
        attempt: 1,
    };
    sink.deliver(&d).await
}

/// A plugin sink config.
pub fn sink_cfg(plugin: &str, allowed: &[&str], http: &[&str], config: &str) -> PluginSinkConfig {
    PluginSinkConfig {
        plugin: plugin.into(),
        allowed_hosts: allowed.iter().map(|s| s.to_string()).collect(),
        allow_http_hosts: http.iter().map(|s| s.to_string()).collect(),
        config: Secret(config.into()),
        interpolated: vec![],
    }
}

/// Copies the built plugin `crate_name` into `dir` as `<as_name>.wasm`.
pub fn install(dir: &Path, crate_name: &str, as_name: &str) -> PathBuf {
    let to = dir.join(format!("{as_name}.wasm"));
    std::fs::copy(wasm::plugin(crate_name), &to).unwrap();
    to
}

/// Options for `dir` with a short CPU budget so hostile plugins fail fast.
pub fn options(dir: &Path, cache: Option<&Path>) -> PluginsOptions {
    PluginsOptions {
        dir: dir.to_path_buf(),
        cache_dir: cache.map(Path::to_path_buf),
        cpu_budget: Duration::from_millis(200),
        ..PluginsOptions::default()
    }
}

/// A `Plugins` over `dir`.
pub fn host(dir: &Path, cache: Option<&Path>) -> Plugins {
    Plugins::new(options(dir, cache)).expect("plugin host starts")
}

/// The version the registry serves for `name`, if any.
pub fn serving_version(plugins: &Plugins, name: &str) -> Option<String> {
    plugins
        .list()
        .into_iter()
        .find(|s| s.name == name)
        .and_then(|s| s.loaded)
        .map(|i| i.version)
}
