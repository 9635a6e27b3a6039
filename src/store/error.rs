//! Errors of the store; each names the store file and says what to do.

use std::path::PathBuf;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process (or handle) has the database open for writing.
    #[error(
        "store {path} is in use by another specwatch process (the daemon?); stop it, or use a read-only command"
    )]
    Locked {
        /// The database file.
        path: PathBuf,
    },
    /// The store directory could not be created.
    #[error(
        "cannot create store directory {path}: {source}; check the [storage] path and its permissions"
    )]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A read-only open found no database file.
    #[error("no store at {path}; it is created by the first `specwatch run` or `specwatch poll`")]
    Missing {
        /// The database file that does not exist.
        path: PathBuf,
    },
    /// The store file exists but is empty: initialising it would hide lost data.
    #[error(
        "store {path} is an empty file (0 bytes), not a store; if it should hold your history, restore it from a backup, otherwise delete it and specwatch creates a new store"
    )]
    Empty {
        /// The database file.
        path: PathBuf,
    },
    /// The store file exists but is not a redb database.
    #[error(
        "{path} is not a specwatch store (not a redb database); move it away, or set [storage] path to a directory of its own"
    )]
    Foreign {
        /// The file.
        path: PathBuf,
    },
    /// A write error closed the store; it is reopened after a backoff.
    #[error(
        "store {path} is unavailable after a write error ({cause}); reopening in {retry_in_ms} ms; free disk space or fix the cause, nothing acknowledged is lost"
    )]
    Unavailable {
        /// The database file.
        path: PathBuf,
        /// The error that closed it.
        cause: String,
        /// Time until the next reopen attempt.
        retry_in_ms: u64,
    },
    /// redb could not open the file.
    #[error("cannot open store {path}: {source}; if the file is damaged, restore it from a backup")]
    Open {
        /// The database file.
        path: PathBuf,
        /// redb's error.
        source: Box<redb::DatabaseError>,
    },
    /// The file was written by a newer specwatch with a schema this one does not know.
    #[error(
        "store {path} has schema version {found}, newer than the {supported} this specwatch understands; upgrade specwatch"
    )]
    VersionMismatch {
        /// The database file.
        path: PathBuf,
        /// Schema version recorded in the file.
        found: u32,
        /// Newest schema version this build supports.
        supported: u32,
    },
    /// An older schema must be migrated, which a read-only handle cannot do.
    #[error(
        "store {path} has schema version {found} and needs migrating to {current}; run `specwatch run` once to migrate it"
    )]
    NeedsMigration {
        /// The database file.
        path: PathBuf,
        /// Schema version recorded in the file.
        found: u32,
        /// Schema version this build writes.
        current: u32,
    },
    /// A migration step failed or is missing.
    #[error("store {path}: migration from schema version {from} failed: {message}")]
    Migration {
        /// The database file.
        path: PathBuf,
        /// Schema version the failed step starts from.
        from: u32,
        /// What failed.
        message: String,
    },
    /// A redb operation failed (I/O error, corruption detected by redb, …).
    #[error("store {path}: {op} failed: {source}")]
    Db {
        /// The database file.
        path: PathBuf,
        /// What the store was doing.
        op: &'static str,
        /// redb's error.
        source: Box<redb::Error>,
    },
    /// Stored data failed a check (bad record, broken frame, hash mismatch).
    #[error("store {path} is corrupted: {what}; restore the file from a backup")]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// Which record and what check failed.
        what: String,
    },
    /// Compressing new version bytes failed.
    #[error("store {path}: cannot compress version of watch {watch:?}: {message}")]
    Compress {
        /// The database file.
        path: PathBuf,
        /// The watch.
        watch: String,
        /// What zstd reported.
        message: String,
    },
    /// The caller passed an inconsistent poll commit (a bug in the caller).
    #[error("store: invalid commit for watch {watch:?}: {reason}")]
    InvalidCommit {
        /// The watch.
        watch: String,
        /// What is inconsistent.
        reason: String,
    },
    /// A backup could not be written.
    #[error("backup {path}: {what}")]
    Backup {
        /// The backup file.
        path: PathBuf,
        /// What failed.
        what: String,
    },
    /// A write was attempted on a store opened read-only.
    #[error("store {path} is open read-only; writes go through the daemon")]
    ReadOnly {
        /// The database file.
        path: PathBuf,
    },
}

/// Builds a mapper from any redb error to [`StoreError::Db`] with context.
pub(crate) fn db_err<'p, E: Into<redb::Error>>(
    path: &'p std::path::Path,
    op: &'static str,
) -> impl FnOnce(E) -> StoreError + 'p {
    move |e| StoreError::Db {
        path: path.to_path_buf(),
        op,
        source: Box::new(e.into()),
    }
}
