//! User filters applied to a report: severity overrides (`--severity FILE`) and
//! ignore lists (`--ignore FILE`).
//!
//! Severity file — one override per line, `#` starts a comment:
//! ```text
//! request-parameter-removed = "warning"   # TOML-style (the file is also valid TOML)
//! response-property-enum-value-added info  # oasdiff's severity-levels format
//! api-tag-removed = none                   # silence the rule entirely
//! ```
//! Levels: `breaking` (or oasdiff's `error`/`err`), `warning` (`warn`), `info`, `none`.
//!
//! Ignore file — one entry per line, `#` starts a comment:
//! ```text
//! 3f2a…c9          # a change's fingerprint (32 hex digits, as printed by --format json)
//! GET /pets/{id} request-parameter-removed   # endpoint + rule id; parameter names don't matter
//! ```

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::diff::{Change, Level, Report};

/// A problem reading a filter file; always names the file (and the line for syntax errors).
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    /// The file could not be read.
    #[error("cannot read {file}: {source}")]
    Io {
        /// The file as given on the command line.
        file: String,
        /// Underlying error.
        source: std::io::Error,
    },
    /// A line could not be understood.
    #[error("{file}:{line}: {message}")]
    Syntax {
        /// The file as given on the command line.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong and what to write instead.
        message: String,
    },
}

/// Per-rule level overrides; `None` silences the rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeverityOverrides {
    levels: HashMap<String, Option<Level>>,
}

impl SeverityOverrides {
    /// Reads a severity file; `known` says whether a rule id exists (typos are errors).
    pub fn load(path: &Path, known: impl Fn(&str) -> bool) -> Result<Self, FilterError> {
        let text = read(path)?;
        Self::parse(&text, &path.display().to_string(), known)
    }

    /// Parses severity-file text; `file` names it in errors.
    pub fn parse(
        text: &str,
        file: &str,
        known: impl Fn(&str) -> bool,
    ) -> Result<Self, FilterError> {
        let mut levels = HashMap::new();
        for (n, line) in content_lines(text) {
            let err = |message: String| FilterError::Syntax {
                file: file.to_string(),
                line: n,
                message,
            };
            // `id = "level"`, `id = level` or oasdiff's `id level`.
            let (id, level) = match line.split_once('=') {
                Some((id, level)) => (id.trim(), level.trim()),
                None => match line.split_once(char::is_whitespace) {
                    Some((id, level)) => (id.trim(), level.trim()),
                    None => {
                        return Err(err(format!("expected `rule-id = \"level\"`, got {line:?}")));
                    }
                },
            };
            let id = unquote(id);
            let level_word = unquote(level);
            if !known(id) {
                return Err(err(format!(
                    "unknown rule id {id:?} (`specwatch rules` lists them)"
                )));
            }
            let level = if level_word.eq_ignore_ascii_case("none") {
                None
            } else {
                Some(Level::parse(level_word).ok_or_else(|| {
                    err(format!(
                        "unknown level {level_word:?} for {id}; use breaking, warning, info or none"
                    ))
                })?)
            };
            levels.insert(id.to_string(), level);
        }
        Ok(SeverityOverrides { levels })
    }

    /// The overridden level for `id`: `None` if not overridden, `Some(None)` if silenced.
    pub fn get(&self, id: &str) -> Option<Option<Level>> {
        self.levels.get(id).copied()
    }

    /// True when no rule is overridden.
    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }

    /// Adds `other`'s overrides; for a rule in both, `other` wins.
    pub fn merge(&mut self, other: SeverityOverrides) {
        self.levels.extend(other.levels);
    }
}

/// Changes to suppress, by fingerprint or by endpoint + rule id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IgnoreList {
    fingerprints: HashSet<String>,
    /// (METHOD, path with parameter names erased, rule id).
    endpoints: HashSet<(String, String, String)>,
}

impl IgnoreList {
    /// Reads an ignore file.
    pub fn load(path: &Path) -> Result<Self, FilterError> {
        let text = read(path)?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parses ignore-file text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Self, FilterError> {
        let mut list = IgnoreList::default();
        for (n, line) in content_lines(text) {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [fp] if is_fingerprint(fp) => {
                    list.fingerprints.insert(fp.to_ascii_lowercase());
                }
                [method, path, id] if path.starts_with('/') => {
                    list.endpoints.insert((
                        method.to_ascii_uppercase(),
                        erase_param_names(path),
                        (*id).to_string(),
                    ));
                }
                _ => {
                    return Err(FilterError::Syntax {
                        file: file.to_string(),
                        line: n,
                        message: format!(
                            "expected a 32-hex-digit fingerprint or `METHOD /path rule-id`, got {line:?}"
                        ),
                    });
                }
            }
        }
        Ok(list)
    }

    /// True when `change` is on the list.
    pub fn matches(&self, change: &Change) -> bool {
        if self.fingerprints.contains(&change.fingerprint) {
            return true;
        }
        let Some((method, path)) = change
            .operation
            .as_deref()
            .and_then(|op| op.split_once(' '))
        else {
            return false;
        };
        self.endpoints.contains(&(
            method.to_ascii_uppercase(),
            erase_param_names(path),
            change.id.clone(),
        ))
    }

    /// True when nothing is ignored.
    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty() && self.endpoints.is_empty()
    }

    /// Adds `other`'s entries.
    pub fn merge(&mut self, other: IgnoreList) {
        self.fingerprints.extend(other.fingerprints);
        self.endpoints.extend(other.endpoints);
    }
}

/// Applies overrides and the ignore list, returning a re-sorted report with a fresh summary.
pub fn apply(report: Report, severity: &SeverityOverrides, ignore: &IgnoreList) -> Report {
    if severity.is_empty() && ignore.is_empty() {
        return report;
    }
    let changes = report
        .changes
        .into_iter()
        .filter(|c| !ignore.matches(c))
        .filter_map(|mut c| match severity.get(&c.id) {
            None => Some(c),
            Some(None) => None,
            Some(Some(level)) => {
                c.level = level;
                Some(c)
            }
        })
        .collect();
    Report::from_changes(changes)
}

/// `/pets/{petId}/toys/{id}` → `/pets/{}/toys/{}`: endpoints match ignoring parameter names.
pub fn erase_param_names(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for ch in path.chars() {
        match ch {
            '{' => {
                in_param = true;
                out.push('{');
            }
            '}' if in_param => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(ch),
        }
    }
    out
}

fn read(path: &Path) -> Result<String, FilterError> {
    std::fs::read_to_string(path).map_err(|source| FilterError::Io {
        file: path.display().to_string(),
        source,
    })
}

/// Non-empty lines with comments stripped, numbered from 1.
fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let line = line
            .split_once('#')
            .map_or(line, |(before, _)| before)
            .trim();
        (!line.is_empty()).then_some((i + 1, line))
    })
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(s)
}

fn is_fingerprint(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(id: &str, level: Level, op: Option<&str>) -> Change {
        Change::new(
            id,
            level,
            op.map(str::to_string),
            "/paths".into(),
            "m".into(),
            &[],
        )
    }

    fn known(id: &str) -> bool {
        !id.starts_with("unknown")
    }

    #[test]
    fn severity_accepts_toml_bare_and_oasdiff_forms() {
        let text = "# overrides\nrequest-parameter-removed = \"warning\"\n\"a-b\" = info # why\nx-y ERR\nz none\n";
        let s = SeverityOverrides::parse(text, "sev.toml", known).unwrap();
        assert_eq!(
            s.get("request-parameter-removed"),
            Some(Some(Level::Warning))
        );
        assert_eq!(s.get("a-b"), Some(Some(Level::Info)));
        assert_eq!(s.get("x-y"), Some(Some(Level::Breaking)));
        assert_eq!(s.get("z"), Some(None));
        assert_eq!(s.get("other"), None);
    }

    #[test]
    fn severity_errors_name_file_and_line() {
        let e = SeverityOverrides::parse("a = info\n\nb = loud\n", "sev.toml", known).unwrap_err();
        assert_eq!(
            e.to_string(),
            "sev.toml:3: unknown level \"loud\" for b; use breaking, warning, info or none"
        );
        let e = SeverityOverrides::parse("unknown-rule = info", "s", known).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("s:1: unknown rule id \"unknown-rule\""),
            "{e}"
        );
        let e = SeverityOverrides::parse("lonely", "s", known).unwrap_err();
        assert!(e.to_string().starts_with("s:1: expected"), "{e}");
    }

    #[test]
    fn ignore_matches_fingerprint_and_endpoint_ignoring_param_names() {
        let a = change(
            "request-parameter-removed",
            Level::Breaking,
            Some("GET /pets/{petId}"),
        );
        let b = change(
            "request-parameter-removed",
            Level::Breaking,
            Some("POST /pets/{petId}"),
        );
        let c = change(
            "api-path-removed-without-deprecation",
            Level::Breaking,
            None,
        );
        let text = format!(
            "# list\nget /pets/{{id}} request-parameter-removed\n{}  # doc-level\n",
            c.fingerprint
        );
        let list = IgnoreList::parse(&text, "ignore.txt").unwrap();
        assert!(list.matches(&a));
        assert!(!list.matches(&b));
        assert!(list.matches(&c));
    }

    #[test]
    fn ignore_errors_name_file_and_line() {
        let e = IgnoreList::parse("\n\nGET pets x\n", "ig").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("ig:3: expected a 32-hex-digit fingerprint"),
            "{e}"
        );
    }

    #[test]
    fn apply_overrides_silences_ignores_and_resummarizes() {
        let report = Report::from_changes(vec![
            change("a", Level::Breaking, Some("GET /x")),
            change("b", Level::Info, Some("GET /x")),
            change("c", Level::Warning, Some("GET /y/{id}")),
        ]);
        let sev = SeverityOverrides::parse("a = info\nb = breaking", "s", known).unwrap();
        let ign = IgnoreList::parse("GET /y/{other} c", "i").unwrap();
        let out = apply(report, &sev, &ign);
        let got: Vec<(&str, Level)> = out
            .changes
            .iter()
            .map(|c| (c.id.as_str(), c.level))
            .collect();
        assert_eq!(got, vec![("b", Level::Breaking), ("a", Level::Info)]);
        assert_eq!(
            (out.summary.breaking, out.summary.warning, out.summary.info),
            (1, 0, 1)
        );
        let silenced = apply(
            out,
            &SeverityOverrides::parse("b = none", "s", known).unwrap(),
            &IgnoreList::default(),
        );
        assert_eq!(silenced.changes.len(), 1);
    }

    #[test]
    fn erase_param_names_keeps_literals() {
        assert_eq!(erase_param_names("/a/{x}/b/{yy}.json"), "/a/{}/b/{}.json");
    }
}
