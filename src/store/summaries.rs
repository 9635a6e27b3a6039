//! Per-version summaries (`summaries` table): (watch, number) → JSON written by
//! `explain` — the deterministic summary, in the version's own transaction, and later
//! the optional generated one beside it. The table is additive: a store written before
//! it existed opens as is and reads "no summary" (the caller computes one on demand).

use redb::{TableDefinition, TableError};

use super::Store;
use super::error::{StoreError, db_err};

/// `summaries`: (watch, number) → summary JSON.
pub(crate) const SUMMARIES: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("summaries");

/// Creates the table (opening it in a write transaction creates it).
pub(crate) fn create_tables(txn: &redb::WriteTransaction) -> Result<(), redb::Error> {
    txn.open_table(SUMMARIES)?;
    Ok(())
}

impl Store {
    /// The stored summary JSON of a version, if any.
    pub fn version_summary(&self, watch: &str, number: u64) -> Result<Option<Vec<u8>>, StoreError> {
        let txn = self.begin_read()?;
        let table = match txn.open_table(SUMMARIES) {
            Ok(t) => t,
            // A read-only handle on a store written before summaries existed.
            Err(TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(db_err(&self.path, "opening summaries")(e)),
        };
        let got = table
            .get((watch, number))
            .map_err(db_err(&self.path, "reading a summary"))?;
        Ok(got.map(|g| g.value().to_vec()))
    }

    /// Replaces the summary JSON of a stored version (the generated summary arrives
    /// after the version was committed). Errors when the version does not exist.
    pub fn put_version_summary(
        &self,
        watch: &str,
        number: u64,
        json: &[u8],
    ) -> Result<(), StoreError> {
        if self.version_meta(watch, number)?.is_none() {
            return Err(StoreError::InvalidCommit {
                watch: watch.to_string(),
                reason: format!("no version {number} to attach a summary to"),
            });
        }
        let txn = self.begin_write()?;
        txn.open_table(SUMMARIES)
            .map_err(db_err(&self.path, "opening summaries"))?
            .insert((watch, number), json)
            .map_err(db_err(&self.path, "writing a summary"))?;
        txn.commit()
            .map_err(db_err(&self.path, "committing a summary"))
    }
}
