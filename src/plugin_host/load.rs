//! Loading one plugin file: read + hash, compile (or hit the cache) on a blocking
//! thread, type-check against the host's WIT, then `describe()` and `validate-config`
//! for every sink that uses it. A plugin that loads and describes itself is returned
//! with the sinks whose config it rejected: only those sinks are unavailable.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::PluginError;
use super::bindings::exports::specwatch::sink::sink::PluginInfo as WitInfo;
use super::bindings::{HOST_WIT_VERSION, PluginPre, SINK_EXPORT_PREFIX};
use super::call::{CallError, with_instance};
use super::compile;
use super::sandbox::{CallCtx, HostState, Limits};
use super::wasm_engine::PluginEngine;

/// Wall-clock limit of `describe()` / `validate-config` at load time.
const LOAD_CALL_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest plugin-provided text kept in an error.
const MAX_PLUGIN_MESSAGE: usize = 512;

/// What a loaded plugin is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PluginInfo {
    /// Plugin name: the file stem, as sinks reference it.
    pub name: String,
    /// The file it was loaded from.
    pub file: PathBuf,
    /// SHA-256 of the file (hex).
    pub sha256: String,
    /// `describe().name`.
    pub display_name: String,
    /// `describe().version`.
    pub version: String,
    /// `describe().description`.
    pub description: String,
    /// `describe().config-schema` (JSON Schema), if any.
    pub config_schema: Option<String>,
    /// Version of `specwatch:sink/sink` the plugin exports (e.g. "0.1.0").
    pub wit_version: String,
    /// Every interface the component imports (WASI and ours), for audits.
    pub imports: Vec<String>,
    /// True when the compiled artifact came from the on-disk cache.
    pub from_cache: bool,
}

/// A plugin ready to instantiate per delivery.
pub struct LoadedPlugin {
    /// What it is.
    pub info: PluginInfo,
    /// Linked and type-checked; each delivery instantiates a fresh copy.
    pub pre: PluginPre<HostState>,
    /// Sinks whose config failed validate-config, with why (they stay unavailable).
    pub invalid_sinks: BTreeMap<String, PluginError>,
}

/// Inputs of one load.
pub struct LoadRequest<'a> {
    /// Plugin name (file stem).
    pub name: &'a str,
    /// The file.
    pub path: &'a Path,
    /// Compiled-artifact cache, if any.
    pub cache_dir: Option<&'a Path>,
    /// Limits of the describe / validate calls.
    pub limits: Limits,
    /// (sink name, plugin config JSON) pairs to validate.
    pub configs: Vec<(String, String)>,
    /// Secret strings scrubbed from everything the plugin says.
    pub secrets: Arc<Vec<String>>,
}

/// The plugin name of `<dir>/<name>.wasm`, if the name is acceptable.
pub fn plugin_name(path: &Path) -> Option<String> {
    if path.extension().and_then(|e| e.to_str()) != Some("wasm") {
        return None;
    }
    let stem = path.file_stem()?.to_str()?;
    let ok = !stem.is_empty()
        && !stem.starts_with('.')
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then(|| stem.to_string())
}

/// Reads the file and returns its bytes and hash (blocking).
pub fn read(path: &Path) -> Result<(Vec<u8>, String), PluginError> {
    compile::read(path)
}

/// Loads one plugin from bytes already read (so the caller can skip unchanged hashes).
pub async fn load(
    engine: &Arc<PluginEngine>,
    req: LoadRequest<'_>,
    bytes: Vec<u8>,
    sha256: String,
) -> Result<LoadedPlugin, PluginError> {
    let path = req.path.to_path_buf();
    let (pre, wit_version, imports, from_cache) = {
        let engine = engine.clone();
        let path = path.clone();
        let sha = sha256.clone();
        let cache = req.cache_dir.map(Path::to_path_buf);
        tokio::task::spawn_blocking(move || link(&engine, &path, &bytes, &sha, cache.as_deref()))
            .await
            .map_err(|e| PluginError::Compile {
                path: req.path.to_path_buf(),
                message: format!("compiler thread failed: {e}"),
            })??
    };
    let ctx = |sink: &str| CallCtx {
        plugin: req.name.into(),
        sink: sink.into(),
        http: None,
        secrets: req.secrets.clone(),
        last_status: Default::default(),
    };
    let call_err = |call: &'static str, e: CallError| PluginError::Call {
        path: path.clone(),
        call,
        message: e.to_string(),
    };
    let described: WitInfo =
        with_instance(&pre, ctx("-"), req.limits, LOAD_CALL_TIMEOUT, |p, s| {
            Box::pin(async move { p.specwatch_sink_sink().call_describe(s).await })
        })
        .await
        .map_err(|e| call_err("describe", e))?;
    // Each sink on its own: one bad config makes that sink unavailable, not the plugin.
    let mut invalid_sinks = BTreeMap::new();
    for (sink, config) in req.configs {
        let call = ctx(&sink);
        let verdict = with_instance(&pre, call.clone(), req.limits, LOAD_CALL_TIMEOUT, |p, s| {
            Box::pin(async move {
                p.specwatch_sink_sink()
                    .call_validate_config(s, &config)
                    .await
            })
        })
        .await;
        let problem = match verdict {
            Ok(Ok(())) => continue,
            Ok(Err(message)) => PluginError::InvalidConfig {
                plugin: req.name.to_string(),
                sink: sink.clone(),
                message: call.clean(&message, MAX_PLUGIN_MESSAGE),
            },
            Err(e) => call_err("validate-config", e),
        };
        invalid_sinks.insert(sink, problem);
    }
    let me = ctx("-");
    Ok(LoadedPlugin {
        info: PluginInfo {
            name: req.name.to_string(),
            file: path,
            sha256,
            display_name: me.clean(&described.name, 128),
            version: me.clean(&described.version, 64),
            description: me.clean(&described.description, 1024),
            config_schema: described
                .config_schema
                .map(|s| crate::redact::scrub(&s, &req.secrets)),
            wit_version,
            imports,
            from_cache,
        },
        pre,
        invalid_sinks,
    })
}

type Linked = (PluginPre<HostState>, String, Vec<String>, bool);

/// Compile (or deserialize) and type-check: blocking.
fn link(
    engine: &PluginEngine,
    path: &Path,
    bytes: &[u8],
    sha: &str,
    cache: Option<&Path>,
) -> Result<Linked, PluginError> {
    let compiled = compile::compile(engine, path, bytes, sha, cache)?;
    let component = compiled.component;
    let ty = component.component_type();
    let imports: Vec<String> = ty
        .imports(&engine.engine)
        .map(|(name, _)| name.to_string())
        .collect();
    let wit_version = ty
        .exports(&engine.engine)
        .find_map(|(name, _)| name.strip_prefix(SINK_EXPORT_PREFIX).map(str::to_string));
    let incompatible = |message: String| PluginError::Incompatible {
        path: path.to_path_buf(),
        host: HOST_WIT_VERSION,
        message,
    };
    let Some(wit_version) = wit_version else {
        return Err(incompatible(format!(
            "it does not export {SINK_EXPORT_PREFIX}{HOST_WIT_VERSION} (is it a specwatch sink plugin?)"
        )));
    };
    let instance_pre = engine
        .linker
        .instantiate_pre(&component)
        .map_err(|e| incompatible(super::sandbox::error_text(&e)))?;
    let pre =
        PluginPre::new(instance_pre).map_err(|e| incompatible(super::sandbox::error_text(&e)))?;
    Ok((pre, wit_version, imports, compiled.from_cache))
}
