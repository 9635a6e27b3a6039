//! The embedded store (redb): watch state, versions (zstd deltas) and the poll log.
//! This module is the only place that touches redb.
//!
//! One file, `<dir>/specwatch.redb`, opened by one writer (the daemon, or a one-off
//! CLI command when the daemon is not running) and any number of read-only handles
//! (`specwatch history` / `show` beside a running daemon). Every poll is one durable
//! write transaction ([`Store::commit_poll`]).

pub mod backup;
mod codec;
mod error;
mod health;
pub mod health_types;
mod outbox;
pub mod outbox_types;
mod read;
mod records;
mod recovery;
mod schema;
mod silences;
mod summaries;
pub mod types;
mod write;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use redb::{
    Builder, ConcurrencyMode, Database, DatabaseError, ReadOnlyDatabase, ReadTransaction,
    WriteTransaction,
};

pub use backup::BackupSummary;
pub use error::StoreError;
pub use health::HealthBatch;
pub use health_types::*;
pub use outbox_types::*;
pub use recovery::StoreHealth;
pub use silences::SilenceRecord;
pub use types::*;

use error::db_err;
use recovery::{HealthState, Txn};
use schema::{SCHEMA, Schema};

/// File name of the database inside the store directory.
pub const DB_FILE: &str = "specwatch.redb";

/// Tuning of a store.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Poll records kept per watch; older ones are dropped in the same transaction.
    pub poll_log_len: usize,
    /// Every this many versions a full frame is stored instead of a delta, so reading
    /// any version decodes at most `full_frame_every - 1` deltas.
    pub full_frame_every: u64,
    /// redb page cache limit in bytes (it grows only as pages are read).
    pub cache_size: usize,
    /// zstd level for version frames. 9 stores the Stripe corpus in 0.65 % of its raw
    /// size at ~0.2 s per 3.7 MB commit; 19 saves another 0.1 % for ~10× the CPU
    /// (`SPECWATCH_BENCH_LEVELS=3,9,19 cargo bench --bench store`).
    pub zstd_level: i32,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            poll_log_len: 500,
            full_frame_every: 16,
            cache_size: 64 << 20,
            zstd_level: 9,
        }
    }
}

/// Everything one poll writes, committed together by [`Store::commit_poll`].
#[derive(Debug, Clone)]
pub struct PollCommit {
    /// The watch's new state (`latest_version` is set by the store).
    pub state: WatchState,
    /// The poll's record (its outcome is set to `NewVersion` by the store when a version is added).
    pub record: PollRecord,
    /// The new version, if the poll found one.
    pub new_version: Option<NewVersion>,
    /// Alerts the poll raised, committed in the same transaction (the outbox).
    pub alerts: Vec<NewAlert>,
}

/// A version to add.
#[derive(Debug, Clone)]
pub struct NewVersion {
    /// Its metadata; `number` and `stored_size` are assigned by the store, `raw_size`
    /// is taken from `raw`, and an empty `raw_sha256` is filled in.
    pub meta: VersionMeta,
    /// The bytes exactly as fetched.
    pub raw: Vec<u8>,
    /// The diff report against the previous version, as JSON.
    pub changes_json: Option<Vec<u8>>,
    /// The version's change summary, as JSON (written by `explain`).
    pub summary_json: Option<Vec<u8>>,
}

/// The redb handle: writable, or read-only beside a running writer.
pub(crate) enum Db {
    Write(Database),
    Read(ReadOnlyDatabase),
}

/// The store. `Send + Sync`; methods block (call them from `spawn_blocking`).
pub struct Store {
    /// None while a write error has closed the handle (see `recovery`).
    db: RwLock<Option<Arc<Db>>>,
    read_only: bool,
    health: Mutex<HealthState>,
    path: PathBuf,
    opts: StoreOptions,
    /// Striped locks serialising commits of the same watch, so the delta computed
    /// outside the write transaction is always against the version it follows.
    commit_locks: Vec<std::sync::Mutex<()>>,
}

/// Number of commit lock stripes (watches hash onto them).
const COMMIT_STRIPES: usize = 64;

fn commit_locks() -> Vec<std::sync::Mutex<()>> {
    (0..COMMIT_STRIPES)
        .map(|_| std::sync::Mutex::new(()))
        .collect()
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .finish()
    }
}

/// Writer and readers share the file: one writer, readers follow its commits.
const MODE: ConcurrencyMode = ConcurrencyMode::SingleWriter;

impl Store {
    /// Opens (creating if needed) the store in `dir` for writing, with default options.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Self::open_with(dir, StoreOptions::default())
    }

    /// Opens (creating if needed) the store in `dir` for writing.
    pub fn open_with(dir: &Path, opts: StoreOptions) -> Result<Store, StoreError> {
        Self::open_schema(dir, opts, &SCHEMA)
    }

    /// Opens an existing store read-only; works while the daemon has it open for writing.
    /// After a crash with no writer running, it first recovers the file (as a writer would).
    pub fn open_read_only(dir: &Path) -> Result<Store, StoreError> {
        let path = dir.join(DB_FILE);
        if !path.exists() {
            return Err(StoreError::Missing { path });
        }
        // A daemon that is creating the store leaves the file empty for a moment.
        for tries in 0.. {
            match check_existing(&path) {
                Err(StoreError::Empty { .. }) if tries < 20 => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                other => {
                    other?;
                    break;
                }
            }
        }
        let opts = StoreOptions::default();
        let open = || {
            Builder::new()
                .set_concurrency_mode(MODE)
                .set_cache_size(opts.cache_size)
                .open_read_only(&path)
        };
        let db = match open() {
            // Left by a crash with no writer running: a read-only handle cannot repair,
            // so recover the file the way the daemon's next start would, then read.
            Err(DatabaseError::RepairAborted) => {
                drop(Self::open(dir)?);
                open().map_err(|e| open_err(&path, e))?
            }
            other => other.map_err(|e| open_err(&path, e))?,
        };
        let store = Store::new(Db::Read(db), path, opts);
        let txn = store.begin_read()?;
        schema::check_read_only(&txn, &store.path, &SCHEMA)?;
        Ok(store)
    }

    /// Opens for writing against a given schema (tests use other schemas).
    fn open_schema(dir: &Path, opts: StoreOptions, schema: &Schema) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(DB_FILE);
        let db = open_db(&path, &opts)?;
        let txn = db
            .begin_write()
            .map_err(db_err(&path, "starting the schema transaction"))?;
        schema::init(&txn, &path, schema)?;
        txn.commit()
            .map_err(db_err(&path, "committing the schema transaction"))?;
        Ok(Store::new(Db::Write(db), path, opts))
    }

    fn new(db: Db, path: PathBuf, opts: StoreOptions) -> Store {
        Store {
            read_only: matches!(db, Db::Read(_)),
            db: RwLock::new(Some(Arc::new(db))),
            health: Mutex::default(),
            path,
            opts,
            commit_locks: commit_locks(),
        }
    }

    /// Path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when opened with [`Store::open_read_only`].
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn begin_read(&self) -> Result<Txn<'_, ReadTransaction>, StoreError> {
        use redb::ReadableDatabase;
        let db = self.handle()?;
        let txn = match &*db {
            Db::Write(d) => d.begin_read(),
            Db::Read(d) => d.begin_read(),
        };
        let txn = txn
            .inspect_err(|e| self.begin_failed(&db, e))
            .map_err(db_err(&self.path, "starting a read transaction"))?;
        Ok(Txn::new(txn, db, self))
    }

    /// A write transaction (a read-only handle refuses).
    fn begin_write(&self) -> Result<Txn<'_, WriteTransaction>, StoreError> {
        let db = self.handle()?;
        let Db::Write(d) = &*db else {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            });
        };
        let txn = d
            .begin_write()
            .inspect_err(|e| self.begin_failed(&db, e))
            .map_err(db_err(&self.path, "starting a write transaction"))?;
        Ok(Txn::new(txn, db, self))
    }
}

/// The first bytes of every redb file (redb's `MAGICNUMBER`; a unit test checks it).
const REDB_MAGIC: [u8; 9] = [b'r', b'e', b'd', b'b', 0x1A, 0x0A, 0xA9, 0x0D, 0x0A];

/// Refuses a file that exists but is not a store: only a missing file may be created,
/// since initialising an empty or foreign file would hide lost data.
fn check_existing(path: &Path) -> Result<(), StoreError> {
    use std::io::Read;
    // Missing: created by the open. Unreadable: the open reports why.
    let Ok(mut file) = std::fs::File::open(path) else {
        return Ok(());
    };
    let mut head = Vec::with_capacity(REDB_MAGIC.len());
    let read = file
        .by_ref()
        .take(REDB_MAGIC.len() as u64)
        .read_to_end(&mut head);
    match read {
        Ok(0) => Err(StoreError::Empty {
            path: path.to_path_buf(),
        }),
        Ok(_) if head != REDB_MAGIC => Err(StoreError::Foreign {
            path: path.to_path_buf(),
        }),
        _ => Ok(()),
    }
}

/// Opens (creating only if missing) the database file for writing.
fn open_db(path: &Path, opts: &StoreOptions) -> Result<Database, StoreError> {
    check_existing(path)?;
    Builder::new()
        .set_concurrency_mode(MODE)
        .set_cache_size(opts.cache_size)
        .create(path)
        .map_err(|e| open_err(path, e))
}

/// Maps an open failure; a held lock becomes [`StoreError::Locked`].
fn open_err(path: &Path, e: DatabaseError) -> StoreError {
    match e {
        DatabaseError::DatabaseAlreadyOpen | DatabaseError::LockProtocolMismatch => {
            StoreError::Locked {
                path: path.to_path_buf(),
            }
        }
        other => StoreError::Open {
            path: path.to_path_buf(),
            source: Box::new(other),
        },
    }
}

#[cfg(test)]
mod tests;
