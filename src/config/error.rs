//! Configuration problems, each with file, line, column and key path.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The config file.
    pub file: PathBuf,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub col: usize,
    /// Key path, e.g. `watch[2].schedule`.
    pub key: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.col)?;
        }
        if self.key.is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": {}: {}", self.key, self.message)
        }
    }
}

/// All problems found in one config file (never empty).
#[derive(Debug, Clone, thiserror::Error)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "{n} problem{} in the configuration:",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.0 {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}

/// Maps byte offsets in a file's text to 1-based line and column.
pub(crate) struct Locator<'a> {
    file: &'a Path,
    line_starts: Vec<usize>,
    text: &'a str,
}

impl<'a> Locator<'a> {
    pub(crate) fn new(file: &'a Path, text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Locator {
            file,
            line_starts,
            text,
        }
    }

    /// 1-based (line, column) of a byte offset; columns count characters.
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let col = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }

    /// An error on line `n` (1-based) of the string value that starts at `offset`: a
    /// multi-line string's first line is the one after its opening `"""` or `'''`.
    pub(crate) fn error_in_string(
        &self,
        offset: usize,
        n: usize,
        key: &str,
        message: impl Into<String>,
    ) -> ConfigError {
        let mut e = self.error(offset, key, message);
        let rest = self.text.get(offset..).unwrap_or_default();
        let opens_block = ["\"\"\"\n", "'''\n", "\"\"\"\r\n", "'''\r\n"]
            .iter()
            .any(|p| rest.starts_with(p));
        let first = e.line + usize::from(opens_block);
        if n > 1 || opens_block {
            e.line = first + n.saturating_sub(1);
            e.col = 1;
        }
        e
    }

    /// An error at `offset`.
    pub(crate) fn error(
        &self,
        offset: usize,
        key: &str,
        message: impl Into<String>,
    ) -> ConfigError {
        let (line, col) = self.position(offset);
        ConfigError {
            file: self.file.to_path_buf(),
            line,
            col,
            key: key.to_string(),
            message: message.into(),
        }
    }
}
