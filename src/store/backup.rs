//! Consistent backups: every table is copied out of one read transaction (redb's MVCC
//! snapshot) into a new database file. Writers keep committing while it runs, and the copy
//! holds exactly the commits made before it started. A raw `cp` of the live file is not
//! safe: redb rewrites pages and its header in place.

use std::path::Path;

use redb::{Key, ReadTransaction, ReadableTable, TableDefinition, TableHandle, Value};
use serde::{Deserialize, Serialize};

use super::error::{StoreError, db_err};
use super::outbox::{ALERTS, ALERTS_NEW, ATTEMPTS, DELIVERIES, FIRING, NOTIFICATIONS, QUEUE};
use super::schema::{CHANGES, FRAMES, META, POLLS, VERSIONS, WATCHES};
use super::{MODE, Store};

/// What a backup holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupSummary {
    /// Watches with state.
    pub watches: u64,
    /// Stored versions, all watches together.
    pub versions: u64,
    /// Alerts in the outbox history.
    pub alerts: u64,
    /// Rows copied, all tables together.
    pub rows: u64,
    /// Size of the backup file in bytes.
    pub bytes: u64,
}

/// Copies one table; a table the source does not have yet (an old schema) is skipped.
fn copy<K: Key + 'static, V: Value + 'static>(
    src: &ReadTransaction,
    dst: &redb::WriteTransaction,
    def: TableDefinition<K, V>,
) -> Result<u64, redb::Error> {
    let from = match src.open_table(def) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    let mut to = dst.open_table(def)?;
    let mut rows = 0;
    for entry in from.iter()? {
        let (k, v) = entry?;
        to.insert(k.value(), v.value())?;
        rows += 1;
    }
    Ok(rows)
}

impl Store {
    /// Writes a consistent snapshot of the whole store to the new file `dest` (which
    /// must not exist): first as `dest.partial`, renamed into place once committed, so
    /// a backup interrupted by a crash or a full disk never looks complete.
    pub fn backup_to(&self, dest: &Path) -> Result<BackupSummary, StoreError> {
        let backup_err = |what: String| StoreError::Backup {
            path: dest.to_path_buf(),
            what,
        };
        if dest.exists() {
            return Err(backup_err("the file exists already".into()));
        }
        let mut partial = dest.as_os_str().to_owned();
        partial.push(".partial");
        let partial = std::path::PathBuf::from(partial);
        let _ = std::fs::remove_file(&partial);
        let result = self.copy_into(&partial);
        let summary = match result {
            Ok(s) => s,
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
        };
        std::fs::rename(&partial, dest).map_err(|e| backup_err(format!("cannot rename: {e}")))?;
        if let Some(dir) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            // The rename is durable only once the directory is synced.
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        let bytes = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
        Ok(BackupSummary { bytes, ..summary })
    }

    fn copy_into(&self, partial: &Path) -> Result<BackupSummary, StoreError> {
        let src = self.begin_read()?;
        let db = redb::Builder::new()
            .set_concurrency_mode(MODE)
            .create(partial)
            .map_err(|e| StoreError::Open {
                path: partial.to_path_buf(),
                source: Box::new(e),
            })?;
        let dst = db
            .begin_write()
            .map_err(db_err(partial, "starting the backup transaction"))?;
        let copy_err = db_err(partial, "copying the store into the backup");
        let mut s = BackupSummary::default();
        let mut run = || -> Result<(), redb::Error> {
            s.rows += copy(&src, &dst, META)?;
            s.watches = copy(&src, &dst, WATCHES)?;
            s.versions = copy(&src, &dst, VERSIONS)?;
            s.alerts = copy(&src, &dst, ALERTS)?;
            s.rows += s.watches + s.versions + s.alerts;
            s.rows += copy(&src, &dst, FRAMES)?;
            s.rows += copy(&src, &dst, CHANGES)?;
            s.rows += copy(&src, &dst, super::summaries::SUMMARIES)?;
            s.rows += copy(&src, &dst, POLLS)?;
            s.rows += copy(&src, &dst, ALERTS_NEW)?;
            s.rows += copy(&src, &dst, NOTIFICATIONS)?;
            s.rows += copy(&src, &dst, DELIVERIES)?;
            s.rows += copy(&src, &dst, QUEUE)?;
            s.rows += copy(&src, &dst, ATTEMPTS)?;
            s.rows += copy(&src, &dst, FIRING)?;
            s.rows += copy(&src, &dst, super::health::ENDPOINTS)?;
            s.rows += copy(&src, &dst, super::health::RAW)?;
            s.rows += copy(&src, &dst, super::health::HOURS)?;
            s.rows += copy(&src, &dst, super::health::CERTS)?;
            s.rows += copy(&src, &dst, super::silences::SILENCES)?;
            Ok(())
        };
        run().map_err(copy_err)?;
        // Every table of the source must have been copied: one added to the schema but
        // not to the list above must fail loudly rather than back up partially.
        let copied: Vec<String> = dst
            .list_tables()
            .map_err(db_err(partial, "listing the backup's tables"))?
            .map(|t| t.name().to_string())
            .collect();
        let tables = src
            .list_tables()
            .map_err(db_err(&self.path, "listing tables for the backup"))?;
        for t in tables {
            if !copied.iter().any(|c| c == t.name()) {
                return Err(StoreError::Backup {
                    path: partial.to_path_buf(),
                    what: format!("table {:?} is not known to the backup", t.name()),
                });
            }
        }
        dst.commit()
            .map_err(db_err(partial, "committing the backup"))?;
        Ok(s)
    }
}

/// Name of a backup file written into a directory: `specwatch-YYYYmmdd-HHMMSS.redb`.
pub fn backup_file_name(now: chrono::DateTime<chrono::Utc>) -> String {
    format!("specwatch-{}.redb", now.format("%Y%m%d-%H%M%S"))
}
