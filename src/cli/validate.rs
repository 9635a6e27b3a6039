//! `specwatch validate [PATH]`.

use std::path::PathBuf;

use crate::config::{self, DEFAULT_PATH};

/// Validates the config at `path` (or the default); prints every problem. Exit 0 / 1.
pub fn validate(path: Option<PathBuf>) -> i32 {
    let path = path
        .or_else(|| std::env::var_os("SPECWATCH_CONFIG").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_PATH));
    match config::load(&path) {
        Ok(c) => {
            println!(
                "{}: ok ({} watch{})",
                path.display(),
                c.watches.len(),
                if c.watches.len() == 1 { "" } else { "es" }
            );
            0
        }
        Err(errors) => {
            eprint!("{errors}");
            1
        }
    }
}
