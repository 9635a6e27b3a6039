//! `specwatch changelog` and `specwatch docs`: per-version summaries and reference docs
//! from the stored history, offline (read-only beside a running daemon).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};

use super::ConfigArg;
use super::store_cmds::{load, open_for_read};
use crate::explain::changelog::{self, Since};
use crate::explain::{docs, history};

/// Output format of `specwatch changelog`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChangelogFormat {
    /// One block per version.
    Text,
    /// Markdown: what breaks and what to change first (the agent context file).
    Markdown,
    /// JSON: every version's summary and the combined items.
    Json,
}

/// `specwatch changelog WATCH`.
#[derive(Debug, Args)]
pub struct ChangelogArgs {
    /// Watch name.
    pub watch: String,
    /// Only versions after this one (`7`, `v7`) or fetched since this date (`2026-01-31`).
    #[arg(long, value_name = "VERSION|DATE")]
    pub since: Option<String>,
    /// Compare two stored versions directly, e.g. `2..5` (any two, not only consecutive).
    #[arg(long, value_name = "FROM..TO", conflicts_with = "since")]
    pub compare: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ChangelogFormat::Text)]
    pub format: ChangelogFormat,
    #[command(flatten)]
    pub config: ConfigArg,
}

/// Output format of `specwatch docs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocsFormat {
    /// Markdown.
    Markdown,
    /// One self-contained HTML page.
    Html,
}

/// `specwatch docs WATCH [VERSION]` or `specwatch docs FILE`.
#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Watch name, or a local spec file (JSON or YAML).
    pub target: String,
    /// Version number of the watch (default: the latest).
    #[arg(value_name = "VERSION")]
    pub number: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DocsFormat::Markdown)]
    pub format: DocsFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArg,
}

/// Runs `specwatch changelog`.
pub fn run_changelog(args: &ChangelogArgs) -> anyhow::Result<i32> {
    let cfg = load(&args.config.config)?;
    let store = open_for_read(&cfg)?;
    if store.watch_state(&args.watch)?.is_none() && store.versions(&args.watch)?.is_empty() {
        bail!("no stored versions of a watch named {:?}", args.watch);
    }
    let log = match &args.compare {
        Some(range) => {
            let (from, to) = parse_range(range)?;
            compared(&store, &args.watch, from, to)?
        }
        None => {
            let since = match &args.since {
                Some(s) => Since::parse(s).map_err(anyhow::Error::msg)?,
                None => Since::All,
            };
            changelog::build(&store, &args.watch, since)?
        }
    };
    let out = match args.format {
        ChangelogFormat::Text => changelog::text(&log),
        ChangelogFormat::Markdown => changelog::markdown(&log),
        ChangelogFormat::Json => changelog::json(&log),
    };
    print!("{out}");
    Ok(0)
}

/// `2..5` → (2, 5).
fn parse_range(s: &str) -> anyhow::Result<(u64, u64)> {
    let parse = |v: &str| v.trim().trim_start_matches('v').parse::<u64>();
    match s.split_once("..") {
        Some((a, b)) => match (parse(a), parse(b)) {
            (Ok(a), Ok(b)) if a != b => Ok((a, b)),
            _ => bail!("--compare {s:?}: expected two different version numbers, e.g. 2..5"),
        },
        None => bail!("--compare {s:?}: expected FROM..TO, e.g. 2..5"),
    }
}

/// A one-entry changelog: `to` summarized against `from`.
fn compared(
    store: &crate::store::Store,
    watch: &str,
    from: u64,
    to: u64,
) -> anyhow::Result<changelog::Changelog> {
    let (_, summary) = history::compare(store, watch, from, to)?;
    let meta = store
        .version_meta(watch, to)?
        .with_context(|| format!("watch {watch:?} has no version {to}"))?;
    Ok(changelog::Changelog::compared(watch, from, &meta, summary))
}

/// Runs `specwatch docs`.
pub fn run_docs(args: &DocsArgs) -> anyhow::Result<i32> {
    let file = Path::new(&args.target);
    let api = if file.is_file() {
        if args.number.is_some() {
            bail!(
                "a VERSION applies to a watch, not to the file {}",
                file.display()
            );
        }
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let opts = crate::spec::LoadOptions {
            base_dir: file.parent().map(Path::to_path_buf),
            ..crate::spec::LoadOptions::default()
        };
        crate::spec::load_api(&bytes, &file.display().to_string(), &opts)
            .map_err(anyhow::Error::msg)?
    } else {
        let cfg = load(&args.config.config)?;
        let store = open_for_read(&cfg)?;
        let number = match args.number {
            Some(n) => n,
            None => store
                .watch_state(&args.target)?
                .map(|s| s.latest_version)
                .filter(|n| *n > 0)
                .with_context(|| {
                    format!(
                        "{:?} is neither a file nor a watch with stored versions",
                        args.target
                    )
                })?,
        };
        history::load_version(&store, &args.target, number)?
    };
    let out = match args.format {
        DocsFormat::Markdown => docs::markdown::render(&api),
        DocsFormat::Html => docs::html::render(&api),
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, out).with_context(|| format!("cannot write {}", path.display()))?
        }
        None => print!("{out}"),
    }
    Ok(0)
}
