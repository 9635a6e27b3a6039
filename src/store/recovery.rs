//! Recovery from write errors. After an I/O error (a full disk, above all) redb refuses
//! every later operation until the file is reopened, so the store closes its handle,
//! reports itself unhealthy with the real cause, and reopens on the next operation
//! after a backoff. A failed commit was never acknowledged, so nothing acknowledged is
//! lost: redb's recovery on reopen keeps every committed transaction.

use std::sync::Arc;
use std::time::{Duration, Instant};

use redb::{CommitError, StorageError, TransactionError, WriteTransaction};
use serde::{Deserialize, Serialize};
use tracing::{error, info};

use super::{Db, Store, StoreError};

/// First wait before reopening; doubles with each failure until a write succeeds.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// Longest wait between reopen attempts (a reopen after a crash may scan the file).
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// What the daemon reports about its store (`specwatch status`, readiness).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreHealth {
    /// The database file.
    pub path: String,
    /// False from a write error until the store is reopened.
    pub ok: bool,
    /// The last I/O error, with what the store was doing ("committing …: No space left on device").
    pub last_error: Option<String>,
    /// When that error happened (ms since epoch).
    pub last_error_at: Option<i64>,
    /// Reopen attempts that failed since the store became unhealthy.
    pub reopen_failures: u32,
}

/// Mutable part of the health, behind the store's mutex.
#[derive(Debug, Default)]
pub(crate) struct HealthState {
    /// Set while the database handle is closed, waiting to be reopened.
    broken: Option<Broken>,
    /// Write errors since the last successful commit (drives the backoff).
    strikes: u32,
    last_error: Option<(String, i64)>,
}

#[derive(Debug)]
struct Broken {
    next_try: Instant,
    reopen_failures: u32,
}

fn backoff(strikes: u32) -> Duration {
    FIRST_BACKOFF
        .saturating_mul(1 << strikes.min(10))
        .min(MAX_BACKOFF)
}

/// True for errors after which redb must be reopened.
fn is_io(e: &StorageError) -> bool {
    matches!(e, StorageError::Io(_) | StorageError::PreviousIo)
}

/// A transaction that keeps its database handle alive, so a reopen never closes the
/// file under a running transaction.
pub(crate) struct Txn<'s, T> {
    txn: T,
    _db: Arc<Db>,
    store: &'s Store,
}

impl<T> std::ops::Deref for Txn<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.txn
    }
}

impl Txn<'_, WriteTransaction> {
    /// Commits durably; an I/O failure marks the store for reopening.
    pub(crate) fn commit(self) -> Result<(), CommitError> {
        let Txn { txn, _db, store } = self;
        let r = txn.commit();
        match &r {
            Ok(()) => store.wrote(),
            Err(CommitError::Storage(e)) if is_io(e) => store.failed(&_db, "committing", e),
            Err(_) => {}
        }
        r
    }
}

impl<'s, T> Txn<'s, T> {
    pub(crate) fn new(txn: T, db: Arc<Db>, store: &'s Store) -> Self {
        Txn {
            txn,
            _db: db,
            store,
        }
    }
}

impl Store {
    /// The store's health now.
    pub fn health(&self) -> StoreHealth {
        let h = self.health_state();
        StoreHealth {
            path: self.path.display().to_string(),
            ok: h.broken.is_none(),
            last_error: h.last_error.as_ref().map(|(e, _)| e.clone()),
            last_error_at: h.last_error.as_ref().map(|(_, at)| *at),
            reopen_failures: h.broken.as_ref().map_or(0, |b| b.reopen_failures),
        }
    }

    fn health_state(&self) -> std::sync::MutexGuard<'_, HealthState> {
        self.health
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Notes an error from beginning a transaction on `db`.
    pub(crate) fn begin_failed(&self, db: &Arc<Db>, e: &TransactionError) {
        if let TransactionError::Storage(s) = e
            && is_io(s)
        {
            self.failed(db, "starting a transaction", s);
        }
    }

    /// A write committed: the backoff starts again from the beginning.
    fn wrote(&self) {
        self.health_state().strikes = 0;
    }

    /// Closes the handle after an I/O error on it and schedules a reopen. `PreviousIo`
    /// (the latch of an earlier failure) keeps the earlier, real cause. An error of a
    /// handle already replaced (a transaction that outlived a reopen) changes nothing.
    fn failed(&self, db: &Arc<Db>, doing: &str, e: &StorageError) {
        if self.is_read_only() {
            return;
        }
        let mut slot = self.slot();
        if !slot.as_ref().is_some_and(|cur| Arc::ptr_eq(cur, db)) {
            return;
        }
        let mut h = self.health_state();
        if h.broken.is_some() {
            return;
        }
        let keep_cause = matches!(e, StorageError::PreviousIo) && h.last_error.is_some();
        if !keep_cause {
            h.last_error = Some((format!("{doing}: {e}"), crate::clock::now_millis()));
        }
        let wait = backoff(h.strikes);
        h.strikes = h.strikes.saturating_add(1);
        h.broken = Some(Broken {
            next_try: Instant::now() + wait,
            reopen_failures: 0,
        });
        let cause = h.last_error.as_ref().map_or("", |(e, _)| e.as_str());
        error!(
            store = %self.path.display(),
            "store write failed ({cause}); closing it and reopening in {wait:?}; \
             nothing acknowledged is lost, and polls and deliveries resume once it reopens"
        );
        // The last transaction holding the old handle closes it.
        *slot = None;
    }

    /// The open database, reopening it if a write error closed it and its backoff is over.
    pub(crate) fn handle(&self) -> Result<Arc<Db>, StoreError> {
        if let Some(db) = self
            .db
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
        {
            return Ok(db);
        }
        let mut slot = self.slot();
        if let Some(db) = slot.clone() {
            return Ok(db); // another thread reopened it meanwhile
        }
        let mut h = self.health_state();
        let now = Instant::now();
        let cause = h
            .last_error
            .as_ref()
            .map_or_else(|| "an earlier I/O error".to_string(), |(e, _)| e.clone());
        let Some(broken) = h.broken.as_mut() else {
            // Only `failed` empties the slot, and it sets `broken` first.
            return Err(self.unavailable(cause, Duration::ZERO));
        };
        if now < broken.next_try {
            return Err(self.unavailable(cause, broken.next_try - now));
        }
        match super::open_db(&self.path, &self.opts) {
            Ok(db) => {
                let db = Arc::new(Db::Write(db));
                *slot = Some(db.clone());
                h.broken = None;
                info!(store = %self.path.display(), "store reopened after the write error ({cause})");
                Ok(db)
            }
            Err(e) => {
                broken.reopen_failures += 1;
                let wait = backoff(h.strikes);
                h.strikes = h.strikes.saturating_add(1);
                if let Some(b) = h.broken.as_mut() {
                    b.next_try = now + wait;
                }
                error!(store = %self.path.display(), "cannot reopen the store: {e}; retrying in {wait:?}");
                Err(self.unavailable(format!("{cause}; reopening failed: {e}"), wait))
            }
        }
    }

    fn unavailable(&self, cause: String, retry_in: Duration) -> StoreError {
        StoreError::Unavailable {
            path: self.path.clone(),
            cause,
            retry_in_ms: retry_in.as_millis() as u64,
        }
    }

    fn slot(&self) -> std::sync::RwLockWriteGuard<'_, Option<Arc<Db>>> {
        self.db
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        assert_eq!(backoff(0), FIRST_BACKOFF);
        assert_eq!(backoff(1), FIRST_BACKOFF * 2);
        assert_eq!(backoff(40), MAX_BACKOFF);
    }
}
