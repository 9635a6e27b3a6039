//! `.specwatch-diff.toml`: the `specwatch diff` options in a file, read from the working
//! directory or `--config FILE`, with the daemon config's reader (every problem at once,
//! each with file:line:col and key). A flag given on the command line wins over the file;
//! `--severity` / `--ignore` files add to the file's `[severity]` / `ignore`.
//!
//! ```toml
//! format = "githubactions"            # any --format value
//! fail_on = "breaking"                # breaking | warning | info
//! match_path = "^/v1/"                # regexes on the path (after the prefix rewrite)
//! unmatch_path = "^/v1/internal/"
//! strip_prefix_base = "/api"          # also strip_prefix_revision, prefix_base, prefix_revision
//! filter_extension = "x-internal"     # or "x-audience=internal"
//! composed = false                    # BASE and REVISION are directories or globs
//! ignore = ["GET /pets/{id} request-parameter-removed", "3f2a…32 hex digits"]
//!
//! [severity]                          # rule id = breaking | warning | info | none
//! response-property-enum-value-added = "info"
//! ```

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::select::{ExtensionFilter, Selection};
use super::{DiffArgs, FailOn};
use crate::config::reader::{At, Ctx, TableReader};
use crate::diff::filter::{FilterError, IgnoreList, SeverityOverrides};
use crate::diff::output::Format;

/// The file read from the working directory when `--config` is not given.
pub const FILE_NAME: &str = ".specwatch-diff.toml";

/// The options of one run: each flag, else the config file, else the default.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Output format.
    pub format: Format,
    /// `--fail-on`.
    pub fail_on: Option<FailOn>,
    /// Rule level overrides.
    pub severity: SeverityOverrides,
    /// Changes to suppress.
    pub ignore: IgnoreList,
    /// Path filters, prefixes and the extension filter.
    pub selection: Selection,
    /// BASE and REVISION are directories or globs.
    pub composed: bool,
}

/// Resolves the flags, the config file and the filter files into settings; errors are
/// ready to print (config problems one per line with file:line:col).
pub fn resolve(args: &DiffArgs) -> Result<Settings, String> {
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => Some(PathBuf::from(FILE_NAME)).filter(|p| p.is_file()),
    };
    let mut s = match &path {
        Some(p) => load(p)?,
        None => Settings::default(),
    };
    if let Some(f) = args.format {
        s.format = f;
    }
    if args.fail_on.is_some() {
        s.fail_on = args.fail_on;
    }
    if let Some(p) = &args.severity {
        let known = |id: &str| crate::diff::rules::find(id).is_some();
        s.severity
            .merge(SeverityOverrides::load(p, known).map_err(|e| e.to_string())?);
    }
    if let Some(p) = &args.ignore {
        s.ignore
            .merge(IgnoreList::load(p).map_err(|e| e.to_string())?);
    }
    let sel = &mut s.selection;
    if let Some(r) = &args.match_path {
        sel.match_path = Some(super::select::regex("--match-path", r)?);
    }
    if let Some(r) = &args.unmatch_path {
        sel.unmatch_path = Some(super::select::regex("--unmatch-path", r)?);
    }
    for (flag, target) in [
        (&args.strip_prefix_base, &mut sel.strip_prefix_base),
        (&args.strip_prefix_revision, &mut sel.strip_prefix_revision),
        (&args.prefix_base, &mut sel.prefix_base),
        (&args.prefix_revision, &mut sel.prefix_revision),
    ] {
        if flag.is_some() {
            target.clone_from(flag);
        }
    }
    if let Some(e) = &args.filter_extension {
        sel.filter_extension = Some(ExtensionFilter::parse(e)?);
    }
    s.composed |= args.composed;
    Ok(s)
}

/// Reads a config file.
pub fn load(path: &Path) -> Result<Settings, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read the diff config: {e}", path.display()))?;
    parse(&text, path)
}

/// Parses config text; `file` names it in errors.
pub fn parse(text: &str, file: &Path) -> Result<Settings, String> {
    let env = |name: &str| std::env::var(name).ok();
    crate::config::parse_with(text, file, &env, read).map_err(|e| e.to_string())
}

/// The names clap accepts for a value enum.
fn names<T: ValueEnum>() -> Vec<String> {
    T::value_variants()
        .iter()
        .filter_map(|v| v.to_possible_value())
        .map(|p| p.get_name().to_string())
        .collect()
}

/// A clap value enum from its name.
fn enum_value<T: ValueEnum>(cx: &mut Ctx<'_>, t: &mut TableReader<'_, '_>, key: &str) -> Option<T> {
    let names = names::<T>();
    let allowed: Vec<&str> = names.iter().map(String::as_str).collect();
    let name = t.choice(cx, key, &allowed)?;
    T::from_str(&name, false).ok()
}

fn read(cx: &mut Ctx<'_>, top: &mut TableReader<'_, '_>) -> Settings {
    let mut s = Settings {
        format: enum_value(cx, top, "format").unwrap_or_default(),
        fail_on: enum_value(cx, top, "fail_on"),
        composed: top.bool(cx, "composed").unwrap_or(false),
        ..Settings::default()
    };
    let regex = |cx: &mut Ctx<'_>, top: &mut TableReader<'_, '_>, key: &str| {
        let at = top.string(cx, key)?;
        super::select::compile(&at.value)
            .map_err(|e| cx.error(&at.span, key, e))
            .ok()
    };
    s.selection.match_path = regex(cx, top, "match_path");
    s.selection.unmatch_path = regex(cx, top, "unmatch_path");
    let mut text = |key: &str| top.string(cx, key).map(|at| at.value);
    s.selection.strip_prefix_base = text("strip_prefix_base");
    s.selection.strip_prefix_revision = text("strip_prefix_revision");
    s.selection.prefix_base = text("prefix_base");
    s.selection.prefix_revision = text("prefix_revision");
    if let Some(at) = top.string(cx, "filter_extension") {
        match ExtensionFilter::parse(&at.value) {
            Ok(f) => s.selection.filter_extension = Some(f),
            Err(e) => cx.error(&at.span, "filter_extension", e),
        }
    }
    let known = |id: &str| crate::diff::rules::find(id).is_some();
    for (id, level) in top.string_map(cx, "severity") {
        let line = format!("\"{id}\" = \"{}\"", level.value);
        match SeverityOverrides::parse(&line, "", known) {
            Ok(one) => s.severity.merge(one),
            Err(e) => filter_error(cx, &level, &format!("severity.{id}"), e),
        }
    }
    for entry in top.string_list(cx, "ignore").unwrap_or_default() {
        match IgnoreList::parse(&entry.value, "") {
            Ok(one) => s.ignore.merge(one),
            Err(e) => filter_error(cx, &entry, "ignore", e),
        }
    }
    s
}

/// Reports a filter-line error at the config value it came from.
fn filter_error(cx: &mut Ctx<'_>, at: &At<String>, key: &str, e: FilterError) {
    let message = match e {
        FilterError::Syntax { message, .. } => message,
        other => other.to_string(),
    };
    cx.error(&at.span, key, message);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Level;

    #[test]
    fn reads_every_option() {
        let text = r#"
format = "sarif"
fail_on = "warning"
match_path = "^/v1/"
unmatch_path = "internal"
strip_prefix_base = "/api"
prefix_revision = "/gw"
filter_extension = "x-audience=internal"
composed = true
ignore = ["GET /pets/{id} request-parameter-removed"]

[severity]
api-tag-removed = "none"
request-parameter-removed = "warning"
"#;
        let s = parse(text, Path::new(".specwatch-diff.toml")).unwrap();
        assert_eq!(s.format, Format::Sarif);
        assert_eq!(s.fail_on, Some(FailOn::Warning));
        assert!(s.composed);
        assert_eq!(s.selection.strip_prefix_base.as_deref(), Some("/api"));
        assert_eq!(s.selection.prefix_revision.as_deref(), Some("/gw"));
        assert!(s.selection.match_path.unwrap().is_match("/v1/x"));
        assert_eq!(s.severity.get("api-tag-removed"), Some(None));
        assert_eq!(
            s.severity.get("request-parameter-removed"),
            Some(Some(Level::Warning))
        );
        assert!(!s.ignore.is_empty());
    }

    #[test]
    fn every_problem_has_file_line_and_column() {
        let text = "format = \"xml\"\nmatch_path = \"(\"\nignore = [\"GET /x\"]\ncolour = true\n[severity]\nno-such-rule = \"info\"\napi-tag-removed = \"loud\"\n";
        let e = parse(text, Path::new("ci/.specwatch-diff.toml")).unwrap_err();
        let lines: Vec<&str> = e.lines().skip(1).map(str::trim).collect();
        let expect = [
            "ci/.specwatch-diff.toml:1:10: format: invalid value \"xml\"; allowed: text, json",
            "ci/.specwatch-diff.toml:2:14: match_path: invalid regular expression: unclosed group",
            "ci/.specwatch-diff.toml:3:11: ignore: expected a 32-hex-digit fingerprint",
            "ci/.specwatch-diff.toml:4:1: colour: unknown key `colour` at the top level",
            "ci/.specwatch-diff.toml:6:16: severity.no-such-rule: unknown rule id",
            "ci/.specwatch-diff.toml:7:19: severity.api-tag-removed: unknown level \"loud\"",
        ];
        assert_eq!(lines.len(), expect.len(), "{e}");
        for (line, want) in lines.iter().zip(expect) {
            assert!(line.starts_with(want), "{line}\nwanted: {want}");
        }
    }
}
