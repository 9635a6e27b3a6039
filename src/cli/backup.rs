//! `specwatch backup PATH`: a consistent snapshot of the store, taken by the running
//! daemon over its control socket (it holds the store), or directly when it is stopped.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;

use super::ConfigArg;
use super::store_cmds::{Access, ask_with, load, open};
use crate::control::{client, protocol::Request};
use crate::store::{BackupSummary, backup::backup_file_name};

/// Arguments of `specwatch backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Backup file to write, or an existing directory to write
    /// `specwatch-YYYYmmdd-HHMMSS.redb` into.
    pub path: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub config: ConfigArg,
}

/// Writes the backup; prints where and what it holds.
pub fn backup(args: &BackupArgs) -> anyhow::Result<i32> {
    let cfg = load(&args.config.config)?;
    let dest = if args.path.is_dir() {
        args.path.join(backup_file_name(chrono::Utc::now()))
    } else {
        args.path.clone()
    };
    if dest.exists() {
        if !args.force {
            bail!(
                "{} exists; choose another name or pass --force to replace it",
                dest.display()
            );
        }
        std::fs::remove_file(&dest)
            .with_context(|| format!("cannot replace {}", dest.display()))?;
    }
    let db = cfg.storage.path.join(crate::store::DB_FILE);
    if !db.exists() {
        bail!(
            "no store at {} (from [storage] path in {}); nothing to back up",
            db.display(),
            args.config.config.display()
        );
    }
    let (summary, how) = match open(&cfg)? {
        Access::Direct(store) => (store.backup_to(&dest)?, "directly (daemon not running)"),
        Access::Daemon(socket) => (from_daemon(&socket, &dest)?, "by the running daemon"),
    };
    println!(
        "backup written to {} ({} watches, {} versions, {} alerts, {} bytes; taken {how})",
        dest.display(),
        summary.watches,
        summary.versions,
        summary.alerts,
        summary.bytes
    );
    Ok(0)
}

/// Streams the daemon's snapshot into `dest.partial`, syncs it and renames it into place.
fn from_daemon(socket: &Path, dest: &Path) -> anyhow::Result<BackupSummary> {
    let mut partial = dest.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let result = (|| -> anyhow::Result<BackupSummary> {
        let mut file = std::fs::File::create(&partial)
            .with_context(|| format!("cannot create {}", partial.display()))?;
        let data = ask_with(|| {
            client::request_body(
                socket,
                &Request::Backup,
                Duration::from_secs(600),
                &mut file,
            )
        })?;
        file.flush()?;
        file.sync_all()
            .with_context(|| format!("cannot sync {}", partial.display()))?;
        let summary: BackupSummary =
            serde_json::from_value(data).context("unexpected backup answer from the daemon")?;
        std::fs::rename(&partial, dest)
            .with_context(|| format!("cannot rename {} into place", partial.display()))?;
        if let Some(dir) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(summary)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}
