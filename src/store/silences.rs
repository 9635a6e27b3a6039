//! Silences added at run time (through the API or the status page), kept in the store
//! so they outlive a restart; `[[silence]]` entries of the config are not stored here.

use std::collections::BTreeMap;

use redb::{ReadableTable, TableDefinition, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::Store;
use super::error::{StoreError, db_err};
use super::outbox::next_id;
use super::records::{decode, encode};
use super::types::Millis;

/// `silences`: id → JSON [`SilenceRecord`].
pub(crate) const SILENCES: TableDefinition<u64, &[u8]> = TableDefinition::new("silences");

/// Opens the silences table (creating it), for schema init and migration.
pub(crate) fn create_tables(txn: &WriteTransaction) -> Result<(), redb::Error> {
    txn.open_table(SILENCES)?;
    Ok(())
}

/// A silence added at run time.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SilenceRecord {
    /// Assigned by the store.
    pub id: u64,
    /// Watch name globs; any when empty.
    #[serde(default)]
    pub watch: Vec<String>,
    /// Event kinds; any when empty.
    #[serde(default)]
    pub event: Vec<String>,
    /// Levels; any when empty.
    #[serde(default)]
    pub level: Vec<String>,
    /// Label globs that must all match.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Start (ms since the epoch).
    pub starts: Millis,
    /// End (ms since the epoch); open-ended when absent.
    pub ends: Option<Millis>,
    /// Why.
    pub comment: String,
    /// When it was added.
    pub created_at: Millis,
    /// When it was expired by hand, if it was.
    #[serde(default)]
    pub expired_at: Option<Millis>,
}

impl SilenceRecord {
    /// True when the silence is in force at `now`.
    pub fn active(&self, now: Millis) -> bool {
        now >= self.starts && self.ends.is_none_or(|e| now < e)
    }
}

impl Store {
    /// Stores a new silence durably; returns it with its id.
    pub fn add_silence(&self, mut rec: SilenceRecord) -> Result<SilenceRecord, StoreError> {
        let txn = self.begin_write()?;
        rec.id = next_id(&txn, self, "next_silence_id")?;
        txn.open_table(SILENCES)
            .map_err(db_err(&self.path, "opening silences"))?
            .insert(rec.id, encode(&rec, "(silences)")?.as_slice())
            .map_err(db_err(&self.path, "writing a silence"))?;
        txn.commit()
            .map_err(db_err(&self.path, "committing a silence"))?;
        Ok(rec)
    }

    /// Ends silence `id` at `now`; None when there is no such silence, the record
    /// unchanged when it had already ended.
    pub fn expire_silence(
        &self,
        id: u64,
        now: Millis,
    ) -> Result<Option<SilenceRecord>, StoreError> {
        let txn = self.begin_write()?;
        let rec = {
            let mut t = txn
                .open_table(SILENCES)
                .map_err(db_err(&self.path, "opening silences"))?;
            let Some(mut rec) = t
                .get(id)
                .map_err(db_err(&self.path, "reading a silence"))?
                .map(|v| decode::<SilenceRecord>(v.value(), &self.path, || format!("silence {id}")))
                .transpose()?
            else {
                return Ok(None);
            };
            if rec.ends.is_none_or(|e| e > now) {
                rec.ends = Some(now.max(rec.starts));
                rec.expired_at = Some(now);
                t.insert(id, encode(&rec, "(silences)")?.as_slice())
                    .map_err(db_err(&self.path, "writing a silence"))?;
            }
            rec
        };
        txn.commit()
            .map_err(db_err(&self.path, "committing a silence"))?;
        Ok(Some(rec))
    }

    /// Every stored silence, newest first.
    pub fn silences(&self) -> Result<Vec<SilenceRecord>, StoreError> {
        let txn = self.begin_read()?;
        let t = match txn.open_table(SILENCES) {
            Ok(t) => t,
            // A read-only handle on a store from before silences were stored.
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
            Err(e) => return Err(db_err(&self.path, "opening silences")(e)),
        };
        let mut out = Vec::new();
        for entry in t
            .range::<u64>(..)
            .map_err(db_err(&self.path, "listing silences"))?
        {
            let (k, v) = entry.map_err(db_err(&self.path, "listing silences"))?;
            let id = k.value();
            out.push(decode(v.value(), &self.path, || format!("silence {id}"))?);
        }
        out.reverse();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silences_are_added_listed_and_expired() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert!(store.silences().unwrap().is_empty());
        let a = store
            .add_silence(SilenceRecord {
                watch: vec!["stripe*".into()],
                starts: 1_000,
                ends: Some(10_000),
                comment: "maintenance".into(),
                ..SilenceRecord::default()
            })
            .unwrap();
        let b = store
            .add_silence(SilenceRecord {
                starts: 1_000,
                comment: "open".into(),
                ..SilenceRecord::default()
            })
            .unwrap();
        assert_eq!((a.id, b.id), (1, 2));
        let list = store.silences().unwrap();
        assert_eq!(list.iter().map(|s| s.id).collect::<Vec<_>>(), [2, 1]);
        assert!(list[1].active(5_000) && !list[1].active(10_000));
        let e = store.expire_silence(2, 3_000).unwrap().unwrap();
        assert_eq!((e.ends, e.expired_at), (Some(3_000), Some(3_000)));
        assert!(!store.silences().unwrap()[0].active(3_000));
        // Expiring again changes nothing; an unknown id is None.
        assert_eq!(
            store.expire_silence(2, 4_000).unwrap().unwrap().ends,
            Some(3_000)
        );
        assert!(store.expire_silence(9, 4_000).unwrap().is_none());
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.silences().unwrap().len(), 2, "kept across a reopen");
    }
}
