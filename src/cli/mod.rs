//! Command-line interface (clap). Subcommand names are a contract: scripts and
//! packages rely on them.

mod alerts;
pub mod demo;
pub mod diff;
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
    },
    /// Poll one watch now and print the outcome.
    Poll {
        /// Watch name.
        watch: String,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// List the stored versions of a watch.
    History {
        /// Watch name.
        watch: String,
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
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Resume a watch paused after repeated failures.
    Resume {
        /// Watch name.
        watch: String,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Diff two spec versions (paths, URLs or `-`) and classify every change.
    Diff(diff::DiffArgs),
    /// Alert history: each alert with its deliveries and every attempt.
    Alerts(alerts::AlertsArgs),
    /// Test a sink, or redrive failed deliveries.
    #[command(subcommand)]
    Alert(alerts::AlertCommand),
    /// List every diff rule with its id, level, family and description.
    Rules(rules::RulesArgs),
    /// Check or list WASM sink plugins.
    Plugin(plugin::PluginArgs),
    /// Run the daemon on a sample API whose spec evolves, with the status page (offline).
    Demo(demo::DemoArgs),
}

/// Parses the command line, runs the command and returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(c) => run::run(&c.config),
        Command::Validate { path } => return validate::validate(path),
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
        Command::Resume { watch, config } => store_cmds::resume(&config.config, &watch),
        Command::Diff(args) => return diff::run_diff(&args),
        Command::Alerts(args) => alerts::alerts(&args),
        Command::Alert(cmd) => alerts::alert(&cmd),
        Command::Rules(args) => return rules::run_rules(&args),
        Command::Plugin(args) => return plugin::run_plugin(&args),
        Command::Demo(args) => demo::demo(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("specwatch: {}", error_chain(&e));
            1
        }
    }
}

/// The error and its causes, skipping a cause whose text the message already contains.
fn error_chain(e: &anyhow::Error) -> String {
    let mut out = e.to_string();
    for cause in e.chain().skip(1) {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
