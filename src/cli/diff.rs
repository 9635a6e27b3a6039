//! `specwatch diff BASE REVISION`: diff two spec versions for CI use.
//!
//! Exit codes: 0 ok, 1 a change at or above `--fail-on` exists, 2 unreadable input
//! (the message names the file, line:col and reason).

pub mod composed;
pub mod config;
pub mod git_driver;
pub mod input;
pub mod select;
mod sources;

use std::path::PathBuf;

use crate::diff::output::{self, Format};
use crate::diff::{Input, Level, Report};
use crate::spec::LoadOptions;
use input::DiffInput;

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

/// Arguments of `specwatch diff`. Every option can also be set in `.specwatch-diff.toml`
/// (see [`config`]); a flag wins over the file.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DiffArgs {
    /// The older spec: a path, an http(s) URL, `git:REF:PATH`, or `-` for stdin
    /// (with --composed: a directory or a glob).
    pub base: String,
    /// The newer spec: a path, an http(s) URL, `git:REF:PATH`, or `-` for stdin
    /// (with --composed: a directory or a glob).
    pub revision: String,
    /// Output format [default: text].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Exit 1 when a change at or above this level exists.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Rule level overrides: lines of `rule-id = "breaking"|"warning"|"info"|"none"`.
    #[arg(long, value_name = "FILE")]
    pub severity: Option<PathBuf>,
    /// Changes to suppress: lines of a fingerprint, or `METHOD /path rule-id`.
    #[arg(long, value_name = "FILE")]
    pub ignore: Option<PathBuf>,
    /// Compare only paths matching this regex (after the prefix rewrites).
    #[arg(long, value_name = "REGEX")]
    pub match_path: Option<String>,
    /// Leave out paths matching this regex (after the prefix rewrites).
    #[arg(long, value_name = "REGEX")]
    pub unmatch_path: Option<String>,
    /// Remove this prefix from the base's paths.
    #[arg(long, value_name = "PREFIX")]
    pub strip_prefix_base: Option<String>,
    /// Remove this prefix from the revision's paths.
    #[arg(long, value_name = "PREFIX")]
    pub strip_prefix_revision: Option<String>,
    /// Add this prefix to the base's paths (after stripping).
    #[arg(long, value_name = "PREFIX")]
    pub prefix_base: Option<String>,
    /// Add this prefix to the revision's paths (after stripping).
    #[arg(long, value_name = "PREFIX")]
    pub prefix_revision: Option<String>,
    /// Leave out operations carrying this extension: `x-internal` (present and not
    /// false) or `x-audience=internal`.
    #[arg(long, value_name = "EXPR")]
    pub filter_extension: Option<String>,
    /// BASE and REVISION are directories or globs of spec files, each side merged.
    #[arg(long)]
    pub composed: bool,
    /// Options file [default: ./.specwatch-diff.toml when it exists].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run as git's external diff driver (`git config diff.specwatch.command
    /// "specwatch diff --git-driver"`): git passes path, old file, hex, mode, new file, hex, mode.
    #[arg(long)]
    pub git_driver: bool,
    /// The rest of git's driver arguments.
    #[arg(hide = true)]
    pub git_args: Vec<String>,
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
    if args.git_driver {
        return git_driver::run(args);
    }
    let outcome = execute(args, output::text::stdout_wants_color());
    print!("{}", outcome.stdout);
    eprint!("{}", outcome.stderr);
    outcome.code
}

/// Runs `specwatch diff` without printing; `color` applies to the text format.
pub fn execute(args: &DiffArgs, color: bool) -> DiffOutcome {
    let run = || -> Result<(Report, config::Settings, output::source::Context), String> {
        if !args.git_args.is_empty() {
            return Err(format!(
                "unexpected argument {:?}: `specwatch diff` takes BASE and REVISION",
                args.git_args[0]
            ));
        }
        let settings = config::resolve(args)?;
        let (report, cx) = sources::diff(&args.base, &args.revision, &settings)?;
        Ok((report, settings, cx))
    };
    match run() {
        Ok((report, settings, cx)) => {
            let code = match settings.fail_on {
                Some(t) if report.changes.iter().any(|c| c.level >= t.level()) => EXIT_FAIL_ON,
                _ => EXIT_OK,
            };
            let color = color && settings.format == Format::Text;
            DiffOutcome {
                stdout: output::render_with(&report, settings.format, color, &cx),
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

/// Reads both inputs (in parallel: either may be a slow URL), then parses, normalizes
/// and diffs them (no filters); errors name the input.
pub fn diff_sources(base: &DiffInput, rev: &DiffInput) -> Result<Report, String> {
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
fn read(source: &DiffInput) -> Result<(Vec<u8>, LoadOptions), String> {
    let opts = LoadOptions {
        base_dir: source.base_dir().map(|d| d.to_path_buf()),
        ..LoadOptions::default()
    };
    let bytes = input::read_source(source).map_err(|e| e.to_string())?;
    Ok((bytes, opts))
}
