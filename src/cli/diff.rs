//! `specwatch diff BASE REVISION`: diff two spec versions for CI use.
//!
//! Exit codes: 0 ok, 1 a change at or above `--fail-on` exists, 2 unreadable input
//! (the message names the file, line:col and reason).

pub mod input;

use std::path::PathBuf;

use crate::diff::filter::{self, IgnoreList, SeverityOverrides};
use crate::diff::output::{self, Format};
use crate::diff::{Input, Level, Report};
use crate::spec::LoadOptions;
use input::Source;

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: `--fail-on` triggered.
pub const EXIT_FAIL_ON: i32 = 1;
/// Exit code: unreadable input or options.
pub const EXIT_BAD_INPUT: i32 = 2;

/// Lowest level that makes `--fail-on` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Only breaking changes.
    Breaking,
    /// Warnings or breaking changes.
    Warning,
    /// Any change.
    Info,
}

impl FailOn {
    /// The level this threshold corresponds to.
    pub fn level(self) -> Level {
        match self {
            FailOn::Breaking => Level::Breaking,
            FailOn::Warning => Level::Warning,
            FailOn::Info => Level::Info,
        }
    }
}

/// Arguments of `specwatch diff`.
#[derive(Debug, Clone, clap::Args)]
pub struct DiffArgs {
    /// The older spec: a path, an http(s) URL, or `-` for stdin.
    pub base: String,
    /// The newer spec: a path, an http(s) URL, or `-` for stdin.
    pub revision: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 1 when a change at or above this level exists.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Rule level overrides: lines of `rule-id = "breaking"|"warning"|"info"|"none"`.
    #[arg(long, value_name = "FILE")]
    pub severity: Option<PathBuf>,
    /// Changes to suppress: lines of a fingerprint, or `METHOD /path rule-id`.
    #[arg(long, value_name = "FILE")]
    pub ignore: Option<PathBuf>,
}

/// What one `specwatch diff` run produced, for printing or for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffOutcome {
    /// Text for stdout (the rendered report).
    pub stdout: String,
    /// Text for stderr (errors).
    pub stderr: String,
    /// Process exit code.
    pub code: i32,
    /// The filtered report, when the diff ran.
    pub report: Option<Report>,
}

/// Runs `specwatch diff`, printing the report; returns the process exit code.
pub fn run_diff(args: &DiffArgs) -> i32 {
    let color = args.format == Format::Text && output::text::stdout_wants_color();
    let outcome = execute(args, color);
    print!("{}", outcome.stdout);
    eprint!("{}", outcome.stderr);
    outcome.code
}

/// Runs `specwatch diff` without printing.
pub fn execute(args: &DiffArgs, color: bool) -> DiffOutcome {
    match diff_report(args) {
        Ok(report) => {
            let code = match args.fail_on {
                Some(t) if report.changes.iter().any(|c| c.level >= t.level()) => EXIT_FAIL_ON,
                _ => EXIT_OK,
            };
            DiffOutcome {
                stdout: output::render(&report, args.format, color),
                stderr: String::new(),
                code,
                report: Some(report),
            }
        }
        Err(message) => DiffOutcome {
            stdout: String::new(),
            stderr: format!("error: {message}\n"),
            code: EXIT_BAD_INPUT,
            report: None,
        },
    }
}

/// Reads both inputs and the filter files, diffs, and applies the filters.
fn diff_report(args: &DiffArgs) -> Result<Report, String> {
    let base = Source::parse(&args.base);
    let rev = Source::parse(&args.revision);
    if base == Source::Stdin && rev == Source::Stdin {
        return Err("only one of BASE and REVISION can be `-` (stdin)".to_string());
    }
    let severity = match &args.severity {
        Some(p) => SeverityOverrides::load(p, |id| crate::diff::rules::find(id).is_some())
            .map_err(|e| e.to_string())?,
        None => SeverityOverrides::default(),
    };
    let ignore = match &args.ignore {
        Some(p) => IgnoreList::load(p).map_err(|e| e.to_string())?,
        None => IgnoreList::default(),
    };
    let report = diff_sources(&base, &rev)?;
    Ok(filter::apply(report, &severity, &ignore))
}

/// Reads both inputs (in parallel: either may be a slow URL), then parses, normalizes
/// and diffs them (no filters); errors name the input.
pub fn diff_sources(base: &Source, rev: &Source) -> Result<Report, String> {
    let (base_in, rev_in) = crate::diff::both(|| read(base), || read(rev));
    let ((base_bytes, base_opts), (rev_bytes, rev_opts)) = (base_in?, rev_in?);
    let (base_name, rev_name) = (base.display_name(), rev.display_name());
    crate::diff::diff_inputs(
        Input {
            bytes: &base_bytes,
            origin: &base_name,
            opts: &base_opts,
        },
        Input {
            bytes: &rev_bytes,
            origin: &rev_name,
            opts: &rev_opts,
        },
    )
}

/// Reads one input, with the options to load it by: relative file `$ref`s resolve next
/// to a local file.
fn read(source: &Source) -> Result<(Vec<u8>, LoadOptions), String> {
    let opts = LoadOptions {
        base_dir: source.base_dir().map(|d| d.to_path_buf()),
        ..LoadOptions::default()
    };
    let bytes = input::read_source(source).map_err(|e| e.to_string())?;
    Ok((bytes, opts))
}
