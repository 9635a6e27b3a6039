//! Command-line interface (clap). Subcommand names are a contract: scripts and
//! packages rely on them.

mod alerts;
mod backup;
pub mod demo;
pub mod diff;
mod explain;
mod health;
pub mod plugin;
pub mod rules;
mod run;
mod store_cmds;
mod validate;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::DEFAULT_PATH;

/// specwatch: watch third-party OpenAPI / Swagger specs, keep every version, flag breaking changes.
#[derive(Debug, Parser)]
#[command(name = "specwatch", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Where the config file is.
#[derive(Debug, Clone, Args)]
pub struct ConfigArg {
    /// Config file.
    #[arg(long, short = 'c', env = "SPECWATCH_CONFIG", default_value = DEFAULT_PATH)]
    pub config: PathBuf,
}

/// Output format of listing commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Human-readable table.
    Text,
    /// JSON.
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the daemon.
    Run(ConfigArg),
    /// Check a config file and print every problem (exit 0 valid, 1 invalid).
    Validate {
        /// Config file (default: $SPECWATCH_CONFIG or /etc/specwatch/config.toml).
        path: Option<PathBuf>,
        /// Config file, as every other command takes it (same as PATH).
        #[arg(long, short = 'c', value_name = "PATH", conflicts_with = "path")]
        config: Option<PathBuf>,
    },
    /// Poll one watch now and print the outcome.
    Poll {
        /// Watch name.
        watch: String,
        /// Which config file.
        #[command(flatten)]
        config: ConfigArg,
    },
    /// List the stored versions of a watch.
    History {
        /// Watch name.
        watch: String,
        /// Which config file.
        #[command(flatten)]
        config: ConfigArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print a stored version's raw bytes exactly as fetched (default: the latest).
    Show {
        /// Watch name.
        watch: String,
        /// Version number.
        #[arg(value_name = "VERSION")]
        number: Option<u64>,
        /// Which config file.
        #[command(flatten)]
        config: ConfigArg,
    },
    /// The running daemon's status: readiness, watches, store health, last reload, listen address.
    Status {
        /// Which config file.
        #[command(flatten)]
        config: ConfigArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Resume a watch paused after repeated failures.
    Resume {
        /// Watch name.
        watch: String,
        /// Which config file.
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Diff two spec versions (paths, URLs, `git:REF:PATH` or `-`) and classify every change.
    Diff(Box<diff::DiffArgs>),
    /// Alert history: each alert with its deliveries and every attempt.
    Alerts(alerts::AlertsArgs),
    /// Test a sink, or redrive failed deliveries.
    #[command(subcommand)]
    Alert(alerts::AlertCommand),
    /// List every diff rule with its id, level, family and description.
    Rules(rules::RulesArgs),
    /// Check or list WASM sink plugins.
    Plugin(plugin::PluginArgs),
    /// Endpoint health of a watch: state, uptime and latency per endpoint, certificates.
    Health {
        /// Watch name.
        watch: String,
        /// Which config file.
        #[command(flatten)]
        config: ConfigArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// What changed, version by version: summaries of what a client must do (offline, from the store).
    Changelog(explain::ChangelogArgs),
    /// Reference docs (markdown or HTML) of a stored version or a local spec file.
    Docs(explain::DocsArgs),
    /// Write a consistent snapshot of the store (safe while the daemon runs).
    Backup(backup::BackupArgs),
    /// Write the man pages (specwatch.1 and one per subcommand) into DIR; used by packaging.
    #[command(hide = true)]
    Man {
        /// Output directory (created if missing).
        dir: PathBuf,
    },
    /// Run the daemon on a sample API whose spec evolves, with the status page (offline).
    Demo(demo::DemoArgs),
}

/// Parses the command line, runs the command and returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Run(_)) {
        quiet_on_closed_pipe();
    }
    let result = match cli.command {
        Command::Run(c) => run::run(&c.config),
        Command::Validate { path, config } => return validate::validate(config.or(path)),
        Command::Poll { watch, config } => store_cmds::poll(&config.config, &watch),
        Command::History {
            watch,
            config,
            format,
        } => store_cmds::history(&config.config, &watch, format),
        Command::Show {
            watch,
            number,
            config,
        } => store_cmds::show(&config.config, &watch, number),
        Command::Status { config, format } => store_cmds::status(&config.config, format),
        Command::Resume { watch, config } => store_cmds::resume(&config.config, &watch),
        Command::Diff(args) => return diff::run_diff(&args),
        Command::Alerts(args) => alerts::alerts(&args),
        Command::Alert(cmd) => alerts::alert(&cmd),
        Command::Rules(args) => return rules::run_rules(&args),
        Command::Plugin(args) => return plugin::run_plugin(&args),
        Command::Health {
            watch,
            config,
            format,
        } => health::health(&config.config, &watch, format),
        Command::Changelog(args) => explain::run_changelog(&args),
        Command::Docs(args) => explain::run_docs(&args),
        Command::Backup(args) => backup::backup(&args),
        Command::Man { dir } => man_pages(&dir),
        Command::Demo(args) => demo::demo(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("specwatch: {}", crate::error_chain::describe(e.as_ref()));
            1
        }
    }
}

/// Lets a closed stdout (`specwatch diff … | head`) end the command silently, as it
/// ends `cat`: Rust ignores SIGPIPE, which turns every later print into a panic. The
/// daemon keeps ignoring it, so a client hanging up never kills it.
fn quiet_on_closed_pipe() {
    // SAFETY: restoring the default disposition of one signal at start-up, before any
    // thread is spawned.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Generates the man pages from the CLI definition, so they never drift from `--help`.
fn man_pages(dir: &std::path::Path) -> anyhow::Result<i32> {
    use anyhow::Context;
    use clap::CommandFactory;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    clap_mangen::generate_to(Cli::command(), dir)
        .with_context(|| format!("cannot write man pages into {}", dir.display()))?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
