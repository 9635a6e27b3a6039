//! `specwatch plugin check FILE.wasm [--config JSON]` and `specwatch plugin list`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::ConfigArg;
use crate::plugins::{self, HOST_WIT_VERSION, PluginInfo, Plugins, PluginsOptions};

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

async fn list(config_path: &Path) -> i32 {
    let config = match crate::config::load(config_path) {
        Ok(c) => c,
        Err(errors) => {
            eprint!("{errors}");
            return 1;
        }
    };
    let Some(opts) = plugins::options_from_config(&config) else {
        eprintln!(
            "specwatch: {} has no [plugins] section (add `[plugins] dir = \"plugins\"`)",
            config_path.display()
        );
        return 1;
    };
    let host = match Plugins::new(opts) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("specwatch: {e}");
            return 1;
        }
    };
    let sinks = plugins::plugin_sinks(&config);
    host.set_sinks(sinks.clone());
    let outcomes = host.load_all().await;
    let failed = outcomes.iter().any(|(_, r)| r.is_err())
        || sinks
            .iter()
            .any(|(_, s)| !outcomes.iter().any(|(n, r)| *n == s.plugin && r.is_ok()));
    let statuses = host.list();
    if statuses.is_empty() {
        println!("no plugins in {}", host.options().dir.display());
    }
    for st in &statuses {
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
    }
    i32::from(failed)
}
