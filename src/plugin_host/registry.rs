//! The `Plugins` registry: plugin name → loaded plugin behind an `ArcSwap`, swapped
//! only after a new version passed every check. Deliveries hold an `Arc` to the version
//! they started on; a failed load keeps the previous version and records the error.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use arc_swap::ArcSwap;
use tokio::sync::Semaphore;

use super::PluginError;
use super::load::{self, LoadRequest, LoadedPlugin, PluginInfo};
use super::sandbox::Limits;
use super::secrets::config_secrets;
use super::wasm_engine::PluginEngine;
use crate::config::alerts::PluginSinkConfig;

/// How the plugin host is set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginsOptions {
    /// The drop-in directory of `<name>.wasm` files.
    pub dir: PathBuf,
    /// Where compiled artifacts are cached (none: compile on every start).
    pub cache_dir: Option<PathBuf>,
    /// Cap of each linear memory (at most two per instance), in bytes (default 64 MiB).
    pub memory_limit: usize,
    /// Guest CPU time per call (default 1 s; counted in 10 ms epoch ticks).
    pub cpu_budget: Duration,
    /// Deliveries running at once per plugin (default 8); others wait their turn.
    pub max_concurrency_per_plugin: usize,
}

impl Default for PluginsOptions {
    fn default() -> Self {
        PluginsOptions {
            dir: PathBuf::new(),
            cache_dir: None,
            memory_limit: 64 * 1024 * 1024,
            cpu_budget: Duration::from_secs(1),
            max_concurrency_per_plugin: 8,
        }
    }
}

impl PluginsOptions {
    /// Defaults for the plugin directory `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        PluginsOptions {
            dir: dir.into(),
            ..PluginsOptions::default()
        }
    }
}

/// One plugin as the CLI and status page show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PluginStatus {
    /// Plugin name (file stem).
    pub name: String,
    /// `<dir>/<name>.wasm`.
    pub file: PathBuf,
    /// The version serving now, if any.
    pub loaded: Option<PluginInfo>,
    /// Why the last load failed (the loaded version, if any, keeps serving).
    pub error: Option<String>,
    /// Sinks configured to use it.
    pub sinks: Vec<String>,
    /// Sinks whose config the serving version rejected, with why (those sinks are
    /// unavailable; the others deliver).
    pub sink_errors: Vec<(String, String)>,
}

/// A loaded plugin and the sink-config generation it was validated against.
pub(super) struct Entry {
    pub plugin: LoadedPlugin,
    generation: u64,
}

pub(super) struct Inner {
    pub opts: PluginsOptions,
    pub engine: Arc<PluginEngine>,
    pub client: reqwest::Client,
    loaded: ArcSwap<HashMap<String, Arc<Entry>>>,
    errors: Mutex<HashMap<String, String>>,
    sinks: Mutex<Vec<(String, PluginSinkConfig)>>,
    /// Secret strings of every configured plugin sink (see `secrets.rs`).
    secrets: ArcSwap<Vec<String>>,
    generation: AtomicU64,
    semaphores: Mutex<HashMap<String, Arc<Semaphore>>>,
    /// Serialises loads (watcher vs `load_all`), so two versions never race to the swap.
    load_lock: tokio::sync::Mutex<()>,
}

/// The plugin host. Cheap to clone.
#[derive(Clone)]
pub struct Plugins {
    pub(super) inner: Arc<Inner>,
}

impl Plugins {
    /// Sets up the engine; loads nothing yet (see [`Plugins::load_all`]).
    pub fn new(opts: PluginsOptions) -> Result<Plugins, PluginError> {
        Ok(Plugins {
            inner: Arc::new(Inner {
                engine: Arc::new(PluginEngine::new()?),
                client: super::http::client(),
                opts,
                loaded: ArcSwap::default(),
                errors: Mutex::default(),
                sinks: Mutex::default(),
                secrets: ArcSwap::default(),
                generation: AtomicU64::new(0),
                semaphores: Mutex::default(),
                load_lock: tokio::sync::Mutex::new(()),
            }),
        })
    }

    /// The options this host was built with.
    pub fn options(&self) -> &PluginsOptions {
        &self.inner.opts
    }

    /// Declares which sinks use which plugin (validate-config runs for each before a
    /// swap). Takes effect at the next load of each plugin (`load_all` re-validates
    /// loaded plugins whose sinks changed).
    pub fn set_sinks(&self, sinks: Vec<(String, PluginSinkConfig)>) {
        let mut secrets: Vec<String> = sinks
            .iter()
            .flat_map(|(_, s)| config_secrets(s.config.expose(), &s.interpolated))
            .collect();
        secrets.sort();
        secrets.dedup();
        self.inner.secrets.store(Arc::new(secrets));
        *lock(&self.inner.sinks) = sinks;
        self.inner.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Loads every `*.wasm` in the directory now (and unloads plugins whose file is
    /// gone); returns per-plugin outcomes, sorted by name.
    pub async fn load_all(&self) -> Vec<(String, Result<PluginInfo, PluginError>)> {
        let dir = &self.inner.opts.dir;
        let mut names: BTreeMap<String, Option<PluginError>> = self
            .inner
            .loaded
            .load()
            .keys()
            .map(|k| (k.clone(), None))
            .collect();
        match std::fs::read_dir(dir) {
            Ok(entries) => {
                for path in entries.flatten().map(|e| e.path()) {
                    if !is_candidate(&path) {
                        continue;
                    }
                    match load::plugin_name(&path) {
                        Some(name) => {
                            names.insert(name, None);
                        }
                        None => {
                            let key = path.file_name().unwrap_or_default().to_string_lossy();
                            names.insert(key.into_owned(), Some(PluginError::BadName { path }));
                        }
                    }
                }
            }
            Err(e) => {
                return vec![(
                    dir.display().to_string(),
                    Err(PluginError::Io {
                        path: dir.clone(),
                        message: format!("cannot list the plugin directory: {e}"),
                    }),
                )];
            }
        }
        let mut out = Vec::with_capacity(names.len());
        for (name, bad) in names {
            let result = match bad {
                Some(e) => Err(e),
                None => self.load_one(&name).await,
            };
            out.push((name, result));
        }
        // Said at every load and reload: these sinks' deliveries wait, without retrying.
        let loaded = self.inner.loaded.load();
        for (sink, cfg) in lock(&self.inner.sinks).iter() {
            if !loaded.contains_key(&cfg.plugin) {
                tracing::warn!(
                    sink = %sink,
                    plugin = %cfg.plugin,
                    "sink unavailable: {}; its deliveries wait until the plugin loads",
                    self.why_unavailable(&cfg.plugin)
                );
            }
        }
        out
    }

    /// Loads (or unloads, when its file is gone) one plugin by name.
    pub async fn load_one(&self, name: &str) -> Result<PluginInfo, PluginError> {
        let inner = &self.inner;
        let _serial = inner.load_lock.lock().await;
        let path = inner.opts.dir.join(format!("{name}.wasm"));
        let read = {
            let path = path.clone();
            tokio::task::spawn_blocking(move || load::read(&path))
                .await
                .unwrap_or_else(|e| {
                    Err(PluginError::Io {
                        path: PathBuf::new(),
                        message: e.to_string(),
                    })
                })
        };
        let (bytes, sha) = match read {
            Ok(r) => r,
            Err(e) => {
                if !path.exists() {
                    self.unload(name);
                }
                self.record_error(name, &e);
                return Err(e);
            }
        };
        let generation = inner.generation.load(Ordering::SeqCst);
        if let Some(cur) = inner.loaded.load().get(name)
            && cur.plugin.info.sha256 == sha
            && cur.generation == generation
        {
            lock(&inner.errors).remove(name);
            return Ok(cur.plugin.info.clone());
        }
        let req = LoadRequest {
            name,
            path: &path,
            cache_dir: inner.opts.cache_dir.as_deref(),
            limits: self.limits(),
            configs: self.configs_for(name),
            secrets: self.secrets(),
        };
        match load::load(&inner.engine, req, bytes, sha).await {
            Ok(plugin) => {
                let info = plugin.info.clone();
                for (sink, e) in &plugin.invalid_sinks {
                    tracing::warn!(
                        plugin = name,
                        sink = %sink,
                        "sink unavailable: {e}; the plugin's other sinks deliver"
                    );
                }
                let entry = Arc::new(Entry { plugin, generation });
                inner.loaded.rcu(|m| {
                    let mut m = HashMap::clone(m);
                    m.insert(name.to_string(), entry.clone());
                    m
                });
                lock(&inner.errors).remove(name);
                tracing::info!(
                    plugin = name,
                    version = %info.version,
                    wit = %info.wit_version,
                    sha256 = %info.sha256,
                    cached = info.from_cache,
                    "plugin loaded from {}",
                    info.file.display()
                );
                Ok(info)
            }
            Err(e) => {
                self.record_error(name, &e);
                Err(e)
            }
        }
    }

    /// Loads one file exactly as the daemon would (no registry change) and validates
    /// `config_json` if given.
    pub async fn check_file(
        &self,
        path: &Path,
        config_json: Option<&str>,
    ) -> Result<PluginInfo, PluginError> {
        let name = load::plugin_name(path).unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        let (bytes, sha) = {
            let p = path.to_path_buf();
            tokio::task::spawn_blocking(move || load::read(&p))
                .await
                .map_err(|e| PluginError::Setup(e.to_string()))??
        };
        let req = LoadRequest {
            name: &name,
            path,
            cache_dir: self.inner.opts.cache_dir.as_deref(),
            limits: self.limits(),
            configs: config_json
                .map(|c| vec![("--config".to_string(), c.to_string())])
                .unwrap_or_default(),
            secrets: Arc::new(config_json.map_or_else(Vec::new, |c| config_secrets(c, &[]))),
        };
        let plugin = load::load(&self.inner.engine, req, bytes, sha).await?;
        match plugin.invalid_sinks.into_values().next() {
            Some(e) => Err(e),
            None => Ok(plugin.info),
        }
    }

    /// Loaded plugins and last load errors, sorted by name.
    pub fn list(&self) -> Vec<PluginStatus> {
        let loaded = self.inner.loaded.load();
        let errors = lock(&self.inner.errors).clone();
        let sinks = lock(&self.inner.sinks).clone();
        // Plugins that sinks name but that never loaded show up too, with the reason.
        let mut names: Vec<&String> = loaded
            .keys()
            .chain(errors.keys())
            .chain(sinks.iter().map(|(_, s)| &s.plugin))
            .collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .map(|name| PluginStatus {
                name: name.clone(),
                file: self.inner.opts.dir.join(format!("{name}.wasm")),
                loaded: loaded.get(name).map(|e| e.plugin.info.clone()),
                error: errors.get(name).cloned().or_else(|| {
                    (!loaded.contains_key(name)).then(|| "not loaded (no such file)".to_string())
                }),
                sinks: sinks
                    .iter()
                    .filter(|(_, s)| &s.plugin == name)
                    .map(|(n, _)| n.clone())
                    .collect(),
                sink_errors: loaded
                    .get(name)
                    .map(|e| {
                        e.plugin
                            .invalid_sinks
                            .iter()
                            .map(|(s, e)| (s.clone(), e.to_string()))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// Secret strings of every configured plugin sink.
    pub(super) fn secrets(&self) -> Arc<Vec<String>> {
        self.inner.secrets.load_full()
    }

    /// The version of `name` serving now.
    pub(super) fn get(&self, name: &str) -> Option<Arc<Entry>> {
        self.inner.loaded.load().get(name).cloned()
    }

    /// Why `name` is not loaded, for `Unavailable` messages.
    pub(super) fn why_unavailable(&self, name: &str) -> String {
        match lock(&self.inner.errors).get(name) {
            Some(e) => format!("plugin {name:?} is not loaded: {e}"),
            None => format!(
                "plugin {name:?} is not loaded (no {})",
                self.inner.opts.dir.join(format!("{name}.wasm")).display()
            ),
        }
    }

    /// The per-plugin concurrency limit (kept across reloads).
    pub(super) fn semaphore(&self, name: &str) -> Arc<Semaphore> {
        lock(&self.inner.semaphores)
            .entry(name.to_string())
            .or_insert_with(|| {
                Arc::new(Semaphore::new(
                    self.inner.opts.max_concurrency_per_plugin.max(1),
                ))
            })
            .clone()
    }

    /// Limits of one call.
    pub(super) fn limits(&self) -> Limits {
        Limits {
            memory: self.inner.opts.memory_limit,
            cpu_budget: self.inner.opts.cpu_budget,
        }
    }

    fn configs_for(&self, name: &str) -> Vec<(String, String)> {
        lock(&self.inner.sinks)
            .iter()
            .filter(|(_, s)| s.plugin == name)
            .map(|(n, s)| (n.clone(), s.config.expose().to_string()))
            .collect()
    }

    fn unload(&self, name: &str) {
        let had = self.inner.loaded.load().contains_key(name);
        if had {
            self.inner.loaded.rcu(|m| {
                let mut m = HashMap::clone(m);
                m.remove(name);
                m
            });
            tracing::warn!(
                plugin = name,
                "plugin file removed: its sinks are unavailable until it returns"
            );
        }
    }

    fn record_error(&self, name: &str, e: &PluginError) {
        let serving = self
            .inner
            .loaded
            .load()
            .get(name)
            .map(|e| format!("; version {} keeps serving", e.plugin.info.version.as_str()));
        tracing::warn!(
            plugin = name,
            "plugin load failed: {e}{}",
            serving.as_deref().unwrap_or("")
        );
        lock(&self.inner.errors).insert(name.to_string(), e.to_string());
    }
}

/// Files the loader looks at: `*.wasm`, not hidden, not temporary.
pub(super) fn is_candidate(path: &Path) -> bool {
    let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
        return false;
    };
    !file.starts_with('.') && !file.ends_with(".tmp") && file.ends_with(".wasm")
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
