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
            let problems = plugin_problems(&c);
            if !problems.is_empty() {
                eprintln!(
                    "{} problem{} with plugin sinks in {}:",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" },
                    path.display()
                );
                for p in &problems {
                    eprintln!("  {p}");
                }
                return 1;
            }
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

/// Loads the plugin directory and checks every plugin sink as the daemon would.
fn plugin_problems(c: &config::Config) -> Vec<String> {
    if crate::plugin_host::plugin_sinks(c).is_empty() {
        return Vec::new();
    }
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(crate::plugin_host::check_sinks(c)),
        Err(e) => vec![format!("cannot start the runtime to check plugins: {e}")],
    }
}
