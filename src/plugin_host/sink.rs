//! The `Sink` of a `type = "plugin"` sink: resolves the plugin at each delivery (so hot
//! reload applies), runs `deliver` in a fresh sandbox and maps the outcome to
//! `SinkError`. Traps, CPU-budget exhaustion and timeouts are `Transient`: they are
//! often a plugin bug fixed by dropping in a new file, and the dispatcher's attempt and
//! age limits bound the retries, whereas `Permanent` would drop the alert at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;

use super::alert;
use super::bindings::specwatch::sink::types::DeliveryError;
use super::call::{CallError, with_instance};
use super::http::HttpPolicy;
use super::registry::Plugins;
use super::sandbox::CallCtx;
use crate::config::Secret;
use crate::config::alerts::PluginSinkConfig;
use crate::sinks::{Delivery, DeliveryReport, Sink, SinkError};

/// Longest plugin-provided text kept in a report or error.
const MAX_DETAIL: usize = 1024;
/// Longest `retry-after` a plugin may ask for.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// A configured plugin sink.
pub struct PluginSink {
    plugins: Plugins,
    name: Arc<str>,
    plugin: Arc<str>,
    config: Secret,
    http: Arc<HttpPolicy>,
    timeout: Duration,
    /// This sink's own secret strings (the registry's cover every configured sink).
    secrets: Vec<String>,
}

impl Plugins {
    /// The Sink for a configured plugin sink (resolves the plugin at each delivery, so
    /// hot reload applies).
    pub fn sink(
        &self,
        sink_name: &str,
        cfg: &PluginSinkConfig,
        timeout: Duration,
    ) -> crate::sinks::SharedSink {
        Arc::new(PluginSink {
            plugins: self.clone(),
            name: sink_name.into(),
            plugin: cfg.plugin.as_str().into(),
            config: cfg.config.clone(),
            http: Arc::new(HttpPolicy {
                sink: sink_name.to_string(),
                allowed_hosts: cfg.allowed_hosts.clone(),
                allow_http_hosts: cfg.allow_http_hosts.clone(),
                timeout,
                client: self.inner.client.clone(),
            }),
            timeout,
            secrets: super::secrets::config_secrets(cfg.config.expose(), &cfg.interpolated),
        })
    }
}

impl Sink for PluginSink {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> String {
        format!("plugin:{}", self.plugin)
    }

    fn deliver<'a>(
        &'a self,
        delivery: &'a Delivery<'a>,
    ) -> BoxFuture<'a, Result<DeliveryReport, SinkError>> {
        Box::pin(self.run(delivery))
    }
}

impl PluginSink {
    async fn run(&self, delivery: &Delivery<'_>) -> Result<DeliveryReport, SinkError> {
        let start = Instant::now();
        let Some(entry) = self.plugins.get(&self.plugin) else {
            return Err(SinkError::Unavailable(
                self.plugins.why_unavailable(&self.plugin),
            ));
        };
        // Waits (without using up attempts) until a reload brings a config it accepts.
        if let Some(e) = entry.plugin.invalid_sinks.get(&*self.name) {
            return Err(SinkError::Unavailable(e.to_string()));
        }
        let alert = alert::to_wit(delivery);
        let timed_out = || SinkError::Transient {
            message: format!(
                "plugin {:?} (sink {:?}) timed out after {:?}",
                self.plugin, self.name, self.timeout
            ),
            status: None,
            retry_after: None,
        };
        // Waiting for a concurrency slot counts against the sink's timeout.
        let semaphore = self.plugins.semaphore(&self.plugin);
        let _permit = tokio::time::timeout(self.timeout, semaphore.acquire_owned())
            .await
            .map_err(|_| timed_out())?
            .map_err(|_| SinkError::Unavailable("plugin host is shutting down".into()))?;
        let wall = self.timeout.saturating_sub(start.elapsed());
        let ctx = CallCtx {
            plugin: self.plugin.clone(),
            sink: self.name.clone(),
            http: Some(self.http.clone()),
            secrets: Arc::new(
                self.plugins
                    .secrets()
                    .iter()
                    .chain(&self.secrets)
                    .cloned()
                    .collect(),
            ),
            last_status: Default::default(),
        };
        let last_status = ctx.last_status.clone();
        let clean = |text: &str| ctx.clean(text, MAX_DETAIL);
        // Owned: the guest call's future must not borrow from this sink.
        let config = self.config.expose().to_string();
        let limits = self.plugins.limits();
        let outcome = with_instance(&entry.plugin.pre, ctx.clone(), limits, wall, |p, s| {
            Box::pin(async move {
                p.specwatch_sink_sink()
                    .call_deliver(s, &alert, &config)
                    .await
            })
        })
        .await;
        let version = &entry.plugin.info.version;
        // The receiver's answer as the host saw it, for results that carry no status.
        let seen = last_status.load(std::sync::atomic::Ordering::Relaxed);
        let seen = (seen != 0).then_some(seen);
        match outcome {
            Ok(Ok(report)) => Ok(DeliveryReport {
                status: (report.status != 0).then_some(report.status).or(seen),
                detail: clean(&report.detail),
            }),
            Ok(Err(DeliveryError::InvalidConfig(m))) => Err(SinkError::InvalidConfig(format!(
                "plugin {:?} rejected sink {:?}'s config: {}",
                self.plugin,
                self.name,
                clean(&m)
            ))),
            Ok(Err(DeliveryError::Transient(t))) => Err(SinkError::Transient {
                message: clean(&t.message),
                status: seen,
                retry_after: t
                    .retry_after_ms
                    .map(|ms| Duration::from_millis(ms).min(MAX_RETRY_AFTER)),
            }),
            Ok(Err(DeliveryError::Permanent(m))) => Err(SinkError::Permanent {
                message: clean(&m),
                status: seen,
            }),
            Err(CallError::Timeout(_)) => {
                tracing::warn!(
                    plugin = &*self.plugin,
                    sink = &*self.name,
                    version = %version,
                    "plugin delivery timed out after {:?}",
                    self.timeout
                );
                Err(timed_out())
            }
            Err(CallError::Trap(m)) => {
                tracing::warn!(
                    plugin = &*self.plugin,
                    sink = &*self.name,
                    version = %version,
                    "plugin delivery trapped: {m}"
                );
                Err(SinkError::Transient {
                    message: format!(
                        "plugin {:?} {} (sink {:?}) trapped: {m}",
                        self.plugin, version, self.name
                    ),
                    status: None,
                    retry_after: None,
                })
            }
        }
    }
}
