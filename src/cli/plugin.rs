//! `specwatch plugin check FILE.wasm [--config JSON]` and `specwatch plugin list`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::ConfigArg;
use crate::plugin_host::{
    self, HOST_WIT_VERSION, PluginInfo, PluginStatus, Plugins, PluginsOptions,
};

/// `specwatch plugin …`.
#[derive(Debug, Args)]
pub struct PluginArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: PluginCommand,
}

/// The `plugin` subcommands.
#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// Load a plugin file exactly as the daemon would, print describe() and validate a
    /// config (exit 0 loadable and valid, 1 otherwise).
    Check {
        /// The plugin file.
        file: PathBuf,
        /// The plugin's config as a JSON object, checked with its validate-config.
        #[arg(long, value_name = "JSON")]
        config: Option<String>,
    },
    /// Load the config's [plugins] dir and print each plugin, its load error and the
    /// sinks using it (exit 1 if any plugin fails to load).
    List {
        /// Which config file.
        #[command(flatten)]
        config: ConfigArg,
    },
}

/// Runs a `plugin` subcommand; returns the exit code.
pub fn run_plugin(args: &PluginArgs) -> i32 {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("specwatch: cannot start the runtime: {e}");
            return 1;
        }
    };
    match &args.command {
        PluginCommand::Check { file, config } => rt.block_on(check(file, config.as_deref())),
        PluginCommand::List { config } => rt.block_on(list(&config.config)),
    }
}

async fn check(file: &Path, config: Option<&str>) -> i32 {
    if let Some(c) = config
        && serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(c).is_err()
    {
        eprintln!("specwatch: --config must be a JSON object");
        return 1;
    }
    let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
    // No cache: a check must not leave artifacts behind.
    let host = match Plugins::new(PluginsOptions::new(dir)) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("specwatch: {e}");
            return 1;
        }
    };
    match host.check_file(file, config).await {
        Ok(info) => {
            print!("{}", describe(&info));
            println!(
                "config:        {}",
                if config.is_some() {
                    "valid"
                } else {
                    "not checked (pass --config JSON)"
                }
            );
            0
        }
        Err(e) => {
            eprintln!("specwatch: {e}");
            1
        }
    }
}

fn describe(info: &PluginInfo) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "file:          {}", info.file.display());
    let _ = writeln!(s, "sha256:        {}", info.sha256);
    let _ = writeln!(s, "name:          {}", info.display_name);
    let _ = writeln!(s, "version:       {}", info.version);
    let _ = writeln!(s, "description:   {}", info.description);
    let _ = writeln!(
        s,
        "wit:           exports specwatch:sink/sink@{} (this host implements {HOST_WIT_VERSION})",
        info.wit_version
    );
    let _ = writeln!(s, "imports:       {}", info.imports.join(", "));
    let _ = writeln!(
        s,
        "config schema: {}",
        info.config_schema.as_deref().unwrap_or("(none)")
    );
    s
}

/// How to get plugins into the directory, for operators who have none yet.
const BUILD_HINT: &str = "the directory holds built plugins (<name>.wasm), not their sources: build them with `cargo build --manifest-path plugins/Cargo.toml --target wasm32-wasip2 --release` (from a specwatch checkout; `rustup target add wasm32-wasip2` first) and copy plugins/target/wasm32-wasip2/release/<name>.wasm into it";

async fn list(config_path: &Path) -> i32 {
    let config = match crate::config::load(config_path) {
        Ok(c) => c,
        Err(errors) => {
            eprint!("{errors}");
            return 1;
        }
    };
    let Some(opts) = plugin_host::options_from_config(&config) else {
        eprintln!(
            "specwatch: {} has no [plugins] section; add one with `dir` set to a directory of plugins ({BUILD_HINT})",
            config_path.display()
        );
        return 1;
    };
    // A running daemon is asked what it serves: loading the directory here could
    // disagree with it (a corrupt overwrite fails here while the old version delivers).
    let socket = crate::daemon::control_socket(&config);
    let (dir, statuses) = match ask_daemon(&socket) {
        Some(Ok(answer)) => {
            println!("(as served by the running daemon)");
            answer
        }
        Some(Err(e)) => {
            eprintln!("specwatch: {e}");
            return 1;
        }
        None => {
            let host = match Plugins::new(opts) {
                Ok(h) => h,
                Err(e) => {
                    eprintln!("specwatch: {e}");
                    return 1;
                }
            };
            host.set_sinks(plugin_host::plugin_sinks(&config));
            host.load_all().await;
            (host.options().dir.clone(), host.list())
        }
    };
    print_list(&dir, &statuses);
    let failed = statuses
        .iter()
        .any(|st| st.error.is_some() || !st.sink_errors.is_empty());
    i32::from(failed)
}

/// The daemon's plugin list; None when no daemon answers on `socket`.
fn ask_daemon(socket: &Path) -> Option<anyhow::Result<(PathBuf, Vec<PluginStatus>)>> {
    use crate::control::{client, protocol::Request};
    match client::request(
        socket,
        &Request::Plugins,
        std::time::Duration::from_secs(30),
    ) {
        Err(client::ControlError::Connect { .. }) => None,
        Err(e) => Some(Err(anyhow::anyhow!(
            "asking the running daemon failed: {e}"
        ))),
        Ok(data) => Some(
            serde_json::from_value::<ListAnswer>(data)
                .map(|a| (a.dir, a.plugins))
                .map_err(|e| anyhow::anyhow!("unexpected answer from the daemon: {e}")),
        ),
    }
}

/// The daemon's answer to `Request::Plugins`.
#[derive(serde::Deserialize)]
struct ListAnswer {
    dir: PathBuf,
    plugins: Vec<PluginStatus>,
}

fn print_list(dir: &Path, statuses: &[PluginStatus]) {
    if statuses.is_empty() {
        println!("no plugins in {} ({BUILD_HINT})", dir.display());
    }
    for st in statuses {
        match &st.loaded {
            Some(i) => println!(
                "{}  {}  {}  sha256:{}",
                st.name,
                i.version,
                st.file.display(),
                i.sha256
            ),
            None => println!("{}  (not loaded)  {}", st.name, st.file.display()),
        }
        if let Some(e) = &st.error {
            println!("  error: {e}");
        }
        println!(
            "  sinks: {}",
            if st.sinks.is_empty() {
                "none".to_string()
            } else {
                st.sinks.join(", ")
            }
        );
        for (sink, e) in &st.sink_errors {
            println!("  sink {sink} unavailable: {e}");
        }
    }
}
