//! Table layout, the schema-version record and the migration steps.

use std::path::Path;

use redb::{ReadTransaction, ReadableTable, TableDefinition, WriteTransaction};

use super::error::{StoreError, db_err};

/// `meta`: store-wide records, e.g. `schema_version`.
pub(crate) const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// `watches`: watch name → JSON [`super::WatchState`].
pub(crate) const WATCHES: TableDefinition<&str, &[u8]> = TableDefinition::new("watches");
/// `versions`: (watch, number) → JSON [`super::VersionMeta`].
pub(crate) const VERSIONS: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("versions");
/// `frames`: (watch, number) → tagged zstd frame of the raw bytes (see `codec`).
pub(crate) const FRAMES: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("frames");
/// `changes`: (watch, number) → zstd-packed diff report JSON against the previous version.
pub(crate) const CHANGES: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("changes");
/// `polls`: (watch, sequence) → JSON [`super::PollRecord`]; sequences are contiguous.
pub(crate) const POLLS: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("polls");

/// Key of the schema version in [`META`].
const SCHEMA_KEY: &str = "schema_version";

/// One migration step: turns a store of schema `from` into `from + 1`, inside
/// the open transaction (so a failed step leaves the file as it was).
pub(crate) struct Migration {
    /// Schema version this step starts from.
    pub from: u32,
    /// What the step changes (for errors and logs).
    pub what: &'static str,
    /// The step itself.
    pub run: fn(&WriteTransaction) -> Result<(), redb::Error>,
}

/// A schema version and the steps that reach it.
pub(crate) struct Schema {
    /// Version written by this build.
    pub current: u32,
    /// Steps from older versions, one per version.
    pub steps: &'static [Migration],
}

/// The schema of this build: v2 added the alert outbox (alerts, notifications,
/// deliveries, attempts, queue, firing), v3 the endpoint health tables, v4 the
/// silences added at run time.
pub(crate) const SCHEMA: Schema = Schema {
    current: 4,
    steps: &[
        Migration {
            from: 1,
            what: "adding the alert outbox tables",
            run: super::outbox::create_tables,
        },
        Migration {
            from: 2,
            what: "adding the endpoint health tables",
            run: super::health::create_tables,
        },
        Migration {
            from: 3,
            what: "adding the silences table",
            run: super::silences::create_tables,
        },
    ],
};

/// Creates every table, then records the schema version of a new store, or checks
/// and migrates that of an existing one. Runs in the caller's transaction.
pub(crate) fn init(txn: &WriteTransaction, path: &Path, schema: &Schema) -> Result<(), StoreError> {
    let found = {
        let meta = txn
            .open_table(META)
            .map_err(db_err(path, "opening the meta table"))?;
        meta.get(SCHEMA_KEY)
            .map_err(db_err(path, "reading the schema version"))?
            .map(|v| v.value())
    };
    let found = match found {
        None => None,
        Some(v) => Some(u32::try_from(v).map_err(|_| StoreError::Corrupt {
            path: path.to_path_buf(),
            what: format!("schema version {v} is out of range"),
        })?),
    };
    if let Some(found) = found {
        if found > schema.current {
            return Err(StoreError::VersionMismatch {
                path: path.to_path_buf(),
                found,
                supported: schema.current,
            });
        }
        for from in found..schema.current {
            let step = schema
                .steps
                .iter()
                .find(|s| s.from == from)
                .ok_or_else(|| StoreError::Migration {
                    path: path.to_path_buf(),
                    from,
                    message: "no migration step from this version".into(),
                })?;
            (step.run)(txn).map_err(|e| StoreError::Migration {
                path: path.to_path_buf(),
                from,
                message: format!("{}: {e}", step.what),
            })?;
        }
    }
    create_tables(txn).map_err(db_err(path, "creating tables"))?;
    if found != Some(schema.current) {
        let mut meta = txn
            .open_table(META)
            .map_err(db_err(path, "opening the meta table"))?;
        meta.insert(SCHEMA_KEY, u64::from(schema.current))
            .map_err(db_err(path, "writing the schema version"))?;
    }
    Ok(())
}

/// Opening a table in a write transaction creates it.
fn create_tables(txn: &WriteTransaction) -> Result<(), redb::Error> {
    txn.open_table(WATCHES)?;
    txn.open_table(VERSIONS)?;
    txn.open_table(FRAMES)?;
    txn.open_table(CHANGES)?;
    txn.open_table(POLLS)?;
    super::outbox::create_tables(txn)?;
    super::health::create_tables(txn)?;
    super::summaries::create_tables(txn)?;
    super::silences::create_tables(txn)?;
    Ok(())
}

/// Checks the schema version from a read-only handle, which cannot migrate.
pub(crate) fn check_read_only(
    txn: &ReadTransaction,
    path: &Path,
    schema: &Schema,
) -> Result<(), StoreError> {
    let meta = txn
        .open_table(META)
        .map_err(db_err(path, "opening the meta table"))?;
    let found = meta
        .get(SCHEMA_KEY)
        .map_err(db_err(path, "reading the schema version"))?
        .map(|v| v.value())
        .ok_or_else(|| StoreError::Corrupt {
            path: path.to_path_buf(),
            what: "no schema version record".into(),
        })?;
    let found = u32::try_from(found).unwrap_or(u32::MAX);
    if found > schema.current {
        return Err(StoreError::VersionMismatch {
            path: path.to_path_buf(),
            found,
            supported: schema.current,
        });
    }
    if found < schema.current {
        return Err(StoreError::NeedsMigration {
            path: path.to_path_buf(),
            found,
            current: schema.current,
        });
    }
    Ok(())
}

/// Overwrites the schema version (tests simulate older and newer stores with it).
#[cfg(test)]
pub(crate) fn set_version(txn: &WriteTransaction, version: u64) -> Result<(), redb::Error> {
    let mut meta = txn.open_table(META)?;
    meta.insert(SCHEMA_KEY, version)?;
    Ok(())
}
