//! `specwatch run`: the daemon.

use std::path::Path;

use anyhow::Context;

use crate::{config, daemon, logging};

/// Loads the config, sets up logging and runs the daemon until SIGTERM / SIGINT.
pub fn run(path: &Path) -> anyhow::Result<i32> {
    let cfg = match config::load(path) {
        Ok(c) => c,
        Err(errors) => {
            eprint!("{errors}");
            eprintln!(
                "specwatch: not starting; fix the configuration (check it with `specwatch validate {}`)",
                path.display()
            );
            return Ok(1);
        }
    };
    logging::init(&cfg.log);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("specwatch")
        .build()
        .context("cannot start the async runtime")?;
    runtime
        .block_on(daemon::run(path, cfg))
        .map_err(|e| anyhow::anyhow!(e))?;
    Ok(0)
}
