//! The long-running daemon: opens the store, schedules every watch, serves the
//! control socket and the web listener (both through one read model, [`Query`]),
//! applies config reloads (file watch or SIGHUP) and shuts down cleanly on SIGTERM / SIGINT.

pub mod reload;
pub mod sd_notify;
pub mod supervisor;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{Mutex, mpsc, watch};
use tracing::{error, info, warn};

use crate::alerts::AlertEngine;
use crate::clock::now_millis;
use crate::config::{self, Config, ConfigErrors};
use crate::control;
use crate::fetch::{Fetcher, FetcherOptions};
use crate::pipeline::Pipeline;
use crate::plugin_host::Plugins;
use crate::scheduler::limits::Limits;
use crate::store::{Store, StoreError, StoreOptions};

pub use crate::query::{DaemonStatus, Query, Readiness, ReloadStatus, StatusHandle};
use supervisor::Supervisor;

/// Why the daemon could not start.
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    /// The config file is invalid.
    #[error("{0}")]
    Config(ConfigErrors),
    /// The store could not be opened.
    #[error("cannot open the store: {0}")]
    Store(#[from] StoreError),
    /// Any other start-up failure.
    #[error("{0}")]
    Startup(String),
}

/// The parts of a running daemon that a reload touches.
#[derive(Clone)]
pub struct DaemonShared {
    /// The read model the control socket and the web listener use.
    pub query: Query,
    /// Poll pipeline (store + HTTP client).
    pub pipeline: Pipeline,
    /// Running watches.
    pub supervisor: Arc<Mutex<Supervisor>>,
    /// Self-description.
    pub status: StatusHandle,
    /// Alert routing and delivery.
    pub alerts: Arc<AlertEngine>,
    /// The WASM plugin host, when `[plugins]` is configured.
    pub plugins: Option<Plugins>,
    /// Endpoint health probes.
    pub prober: Arc<crate::health::ProberHandle>,
}

/// Builds the shared HTTP client.
pub fn fetcher() -> Result<Fetcher, DaemonError> {
    Fetcher::new(FetcherOptions {
        user_agent: format!("specwatch/{}", env!("CARGO_PKG_VERSION")),
        ..FetcherOptions::default()
    })
    .map_err(|e| DaemonError::Startup(format!("cannot build the HTTP client: {e}")))
}

/// Opens the store named by `config`.
pub fn open_store(config: &Config) -> Result<Store, StoreError> {
    Store::open_with(
        &config.storage.path,
        StoreOptions {
            poll_log_len: config.storage.poll_log_len,
            ..StoreOptions::default()
        },
    )
}

/// Opens the store, waiting up to 10 s while another process holds it: a CLI
/// `history`/`show` holds a read lock for a moment, and must not stop the daemon starting.
async fn open_store_waiting(config: &Config) -> Result<Store, StoreError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut warned = false;
    loop {
        match open_store(config) {
            Err(StoreError::Locked { .. }) if std::time::Instant::now() < deadline => {
                if !warned {
                    warn!(
                        "store is busy (another specwatch process has it open); waiting up to 10s"
                    );
                    warned = true;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            other => return other,
        }
    }
}

/// The plugin host of `[plugins]` with every plugin loaded (failures logged: their
/// sinks stay unavailable and their alerts wait), or None without `[plugins]`.
pub async fn plugin_host(config: &Config) -> Option<Plugins> {
    let opts = crate::plugin_host::options_from_config(config)?;
    match Plugins::new(opts) {
        Ok(p) => {
            p.set_sinks(crate::plugin_host::plugin_sinks(config));
            // The registry logs each load and failure once.
            p.load_all().await;
            Some(p)
        }
        Err(e) => {
            error!("cannot start the plugin host: {e}; plugin sinks stay unavailable");
            None
        }
    }
}

/// The configured sinks; one that cannot be built is logged and left out (its
/// deliveries wait in the outbox).
pub fn build_sinks(
    config: &Config,
    plugins: Option<&Plugins>,
) -> std::collections::HashMap<String, crate::sinks::SharedSink> {
    let (sinks, problems) = build_sinks_reporting(config, plugins);
    for p in problems {
        error!("{p}; its alerts stay queued until the sink works");
    }
    sinks
}

/// The configured sinks, and why each one left out could not be built.
pub fn build_sinks_reporting(
    config: &Config,
    plugins: Option<&Plugins>,
) -> (
    std::collections::HashMap<String, crate::sinks::SharedSink>,
    Vec<String>,
) {
    let factory = plugins.map(|p| {
        move |name: &str, cfg: &crate::config::alerts::PluginSinkConfig, timeout| {
            p.sink(name, cfg, timeout)
        }
    });
    crate::sinks::build::build(
        &config.alerting,
        factory
            .as_ref()
            .map(|f| f as crate::sinks::build::PluginFactory<'_>),
    )
}

/// The configured sinks as the read model shows them: name and type, no settings.
fn sink_views(config: &Config) -> Vec<crate::query::SinkView> {
    config
        .alerting
        .sinks
        .iter()
        .map(|s| crate::query::SinkView {
            name: s.name.clone(),
            kind: s.kind.type_name().to_string(),
        })
        .collect()
}

/// Path of the control socket inside the store directory.
pub fn control_socket(config: &Config) -> PathBuf {
    config.storage.path.join("control.sock")
}

/// Runs the daemon until SIGTERM / SIGINT.
pub async fn run(config_path: &Path, config: Config) -> Result<(), DaemonError> {
    let store = Arc::new(open_store_waiting(&config).await?);
    let pipeline = Pipeline::new(store.clone(), fetcher()?)
        .with_heavy_budget(config.polling.max_inflight_bytes);
    pipeline.set_alerting(config.alerting.alerts.clone());
    pipeline.set_llm(config.summary.llm.clone());
    let limits = Limits::new(config.polling.max_concurrent, config.polling.max_per_host);
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let status = StatusHandle::default();
    status.attach_store(store.clone());
    let socket = control_socket(&config);
    status.update(|s| {
        s.started_at = now_millis();
        s.config_file = config_path.display().to_string();
        s.listen = config.server.listen.to_string();
        s.control_socket = socket.display().to_string();
    });
    let supervisor = Arc::new(Mutex::new(Supervisor::new(
        pipeline.clone(),
        limits.clone(),
        shutdown_rx.clone(),
    )));
    let plugins = plugin_host(&config).await;
    // Hot reload of the drop-in directory for as long as the daemon runs.
    let _plugin_watch = plugins.as_ref().and_then(|p| {
        p.watch()
            .map_err(|e| {
                warn!("cannot watch the plugin directory ({e}); restart to pick up plugin changes")
            })
            .ok()
    });
    let prober = Arc::new(crate::health::start(
        store.clone(),
        pipeline.fetcher.clone(),
        &config.watches,
        pipeline.alerts_queued(),
        shutdown_rx.clone(),
    ));
    let alerts = AlertEngine::start(
        store,
        config.alerting.clone(),
        build_sinks(&config, plugins.as_ref()),
        pipeline.alerts_queued(),
        shutdown_rx.clone(),
    );
    let (poll_soon_tx, mut poll_soon_rx) = mpsc::unbounded_channel::<String>();
    let query = Query::new(
        pipeline.clone(),
        limits,
        alerts.clone(),
        status.clone(),
        plugins.clone(),
        prober.counters(),
        poll_soon_tx,
    );
    let shared = DaemonShared {
        query: query.clone(),
        pipeline,
        supervisor: supervisor.clone(),
        status: status.clone(),
        alerts,
        plugins,
        prober,
    };

    let control = control::server::serve(&socket, query.clone(), shutdown_rx.clone())
        .map_err(|e| DaemonError::Startup(format!("cannot listen on {}: {e}", socket.display())))?;
    let web = crate::web::serve(config.server.clone(), query.clone(), shutdown_rx.clone()).await;

    {
        let mut sup = supervisor.lock().await;
        let applied = sup.apply(&config).await;
        query.set_config(sup.configs(), sink_views(&config));
        status.update(|s| {
            s.watches = sup.names();
            s.serving = true;
        });
        info!(
            watches = applied.added.len(),
            config = %config_path.display(),
            store = %config.storage.path.display(),
            listen = %config.server.listen,
            control_socket = %socket.display(),
            "specwatch started"
        );
        sd_notify::ready(&format!("watching {} specs", sup.names().len()));
    }
    let _watchdog = sd_notify::spawn_watchdog(shutdown_rx.clone());

    let (reload_tx, mut reload_rx) = mpsc::channel::<reload::Cause>(1);
    let _watcher = if config.reload.watch_file {
        match reload::watch_config(config_path, reload_tx.clone()) {
            Ok(w) => Some(w),
            Err(e) => {
                warn!(
                    "cannot watch {} for changes ({e}); reload with SIGHUP instead",
                    config_path.display()
                );
                None
            }
        }
    } else {
        None
    };
    let mut sighup =
        signal(SignalKind::hangup()).map_err(|e| DaemonError::Startup(e.to_string()))?;
    let mut sigterm =
        signal(SignalKind::terminate()).map_err(|e| DaemonError::Startup(e.to_string()))?;
    let mut sigint =
        signal(SignalKind::interrupt()).map_err(|e| DaemonError::Startup(e.to_string()))?;

    let mut current = config;
    loop {
        tokio::select! {
            Some(cause) = reload_rx.recv() => {
                current = reload_config(config_path, current, cause, &shared).await;
            }
            _ = sighup.recv() => {
                current = reload_config(config_path, current, reload::Cause::Sighup, &shared).await;
            }
            Some(name) = poll_soon_rx.recv() => {
                shared.supervisor.lock().await.poll_soon(&name);
            }
            _ = sigterm.recv() => { info!("SIGTERM received; shutting down"); break; }
            _ = sigint.recv() => { info!("SIGINT received; shutting down"); break; }
        }
    }

    sd_notify::stopping();
    let _ = shutdown_tx.send(true);
    let deadline = current.polling.shutdown_timeout;
    // Take the supervisor out so in-flight polls can be awaited without holding the lock.
    let sup = {
        let mut guard = supervisor.lock().await;
        std::mem::replace(
            &mut *guard,
            Supervisor::new(
                shared.pipeline.clone(),
                Limits::new(1, 1),
                shutdown_rx.clone(),
            ),
        )
    };
    sup.shutdown(deadline).await;
    shared.alerts.abort();
    control.abort();
    // The web listener stops accepting at once and lets requests in flight finish.
    if tokio::time::timeout(std::time::Duration::from_secs(5), web)
        .await
        .is_err()
    {
        warn!("the web listener did not finish its requests within 5s");
    }
    let _ = std::fs::remove_file(&socket);
    info!("specwatch stopped");
    Ok(())
}

/// [`apply_reload`] inside systemd's `RELOADING=1` … `READY=1`, so `systemctl reload`
/// returns once the new configuration (or the rejection) is in effect.
async fn reload_config(
    path: &Path,
    current: Config,
    cause: reload::Cause,
    shared: &DaemonShared,
) -> Config {
    sd_notify::reloading();
    let config = apply_reload(path, current, cause, shared).await;
    let st = shared.status.get();
    let status = match &st.last_reload {
        Some(r) if !r.ok => "configuration reload rejected; running the previous one".to_string(),
        _ => format!("watching {} specs", st.watches.len()),
    };
    sd_notify::ready(&status);
    config
}

/// Validates the file and applies the difference; an invalid edit keeps `current`.
async fn apply_reload(
    path: &Path,
    current: Config,
    cause: reload::Cause,
    shared: &DaemonShared,
) -> Config {
    let at = now_millis();
    // An editor that truncates before writing can be caught in between; an empty file
    // is never a config anyone means, so wait for the next event instead of dropping every watch.
    if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
        warn!(
            "{} is empty (being written?); keeping the running configuration",
            path.display()
        );
        return current;
    }
    match config::load(path) {
        Ok(new) => {
            for (what, changed) in [
                ("[storage]", new.storage != current.storage),
                ("[server]", new.server != current.server),
                ("[polling]", new.polling != current.polling),
                ("[log]", new.log != current.log),
            ] {
                if changed {
                    warn!(
                        "{what} changed in {}; that section takes effect after a restart",
                        path.display()
                    );
                }
            }
            shared.pipeline.set_alerting(new.alerting.alerts.clone());
            shared.pipeline.set_llm(new.summary.llm.clone());
            if new.alerting.plugins != current.alerting.plugins {
                warn!(
                    "[plugins] changed in {}; that section takes effect after a restart",
                    path.display()
                );
            }
            if let Some(p) = &shared.plugins {
                // Re-validates each plugin against the configs of the sinks now using it.
                p.set_sinks(crate::plugin_host::plugin_sinks(&new));
                // The registry logs each load and failure once.
                p.load_all().await;
            }
            shared.alerts.reload(
                new.alerting.clone(),
                build_sinks(&new, shared.plugins.as_ref()),
            );
            shared.prober.reload(&new.watches);
            let mut sup = shared.supervisor.lock().await;
            let applied = sup.apply(&new).await;
            let names = sup.names();
            shared.query.set_config(sup.configs(), sink_views(&new));
            drop(sup);
            shared.status.update(|s| {
                s.watches = names;
                s.last_reload = Some(ReloadStatus {
                    at,
                    ok: true,
                    errors: vec![],
                    cause: cause.as_str().into(),
                });
                s.last_reload_error = None;
            });
            info!(
                cause = cause.as_str(),
                added = applied.added.len(),
                removed = applied.removed.len(),
                changed = applied.changed.len(),
                unchanged = applied.unchanged,
                sinks = new.alerting.sinks.len(),
                routes = new.alerting.routes.len(),
                silences = new.alerting.silences.len(),
                inhibits = new.alerting.inhibits.len(),
                "configuration reloaded"
            );
            new
        }
        Err(errors) => {
            let lines: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
            let text = lines.join("\n  ");
            let st = ReloadStatus {
                at,
                ok: false,
                errors: lines,
                cause: cause.as_str().into(),
            };
            // Status first, so whoever reacts to the log line sees the same state.
            shared.status.update(|s| {
                s.last_reload = Some(st.clone());
                s.last_reload_error = Some(st);
            });
            error!(
                cause = cause.as_str(),
                "configuration reload rejected; still running the previous configuration:\n  {text}"
            );
            current
        }
    }
}
