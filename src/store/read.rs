//! Read side of the store: state, version metadata, version bytes (delta chains), poll log.

use std::path::Path;

use redb::{ReadTransaction, ReadableTable};
use sha2::{Digest, Sha256};

use super::error::{StoreError, db_err};
use super::schema::{CHANGES, FRAMES, POLLS, VERSIONS, WATCHES};
use super::{PollRecord, Store, VersionMeta, WatchState, codec, records};

/// Key range of all entries of one watch in a (watch, u64) table.
pub(crate) fn watch_range(watch: &str) -> std::ops::RangeInclusive<(&str, u64)> {
    (watch, 0)..=(watch, u64::MAX)
}

/// Decodes the state of `watch` from the watches table.
pub(crate) fn get_state(
    table: &impl ReadableTable<&'static str, &'static [u8]>,
    path: &Path,
    watch: &str,
) -> Result<Option<WatchState>, StoreError> {
    let guard = table
        .get(watch)
        .map_err(db_err(path, "reading watch state"))?;
    guard
        .map(|g| records::decode(g.value(), path, || format!("state of watch {watch:?}")))
        .transpose()
}

/// Highest version number stored for `watch` (0 = none), from the versions table itself,
/// so numbering never depends on a caller-supplied state.
pub(crate) fn last_version(
    table: &impl ReadableTable<(&'static str, u64), &'static [u8]>,
    path: &Path,
    watch: &str,
) -> Result<u64, StoreError> {
    let mut range = table
        .range(watch_range(watch))
        .map_err(db_err(path, "listing versions"))?;
    match range.next_back() {
        None => Ok(0),
        Some(entry) => {
            let (key, _) = entry.map_err(db_err(path, "listing versions"))?;
            Ok(key.value().1)
        }
    }
}

/// Decodes the metadata of one version.
fn get_meta(
    table: &impl ReadableTable<(&'static str, u64), &'static [u8]>,
    path: &Path,
    watch: &str,
    number: u64,
) -> Result<Option<VersionMeta>, StoreError> {
    let guard = table
        .get((watch, number))
        .map_err(db_err(path, "reading version metadata"))?;
    guard
        .map(|g| {
            records::decode(g.value(), path, || {
                format!("metadata of version {number} of watch {watch:?}")
            })
        })
        .transpose()
}

/// Reads the exact raw bytes of version `number`: walks back to the nearest full
/// frame, decodes forward through the deltas and checks the SHA-256.
pub(crate) fn read_raw(
    txn: &ReadTransaction,
    path: &Path,
    watch: &str,
    number: u64,
) -> Result<Option<Vec<u8>>, StoreError> {
    let versions = txn
        .open_table(VERSIONS)
        .map_err(db_err(path, "opening versions"))?;
    let frames = txn
        .open_table(FRAMES)
        .map_err(db_err(path, "opening frames"))?;
    let Some(target) = get_meta(&versions, path, watch, number)? else {
        return Ok(None);
    };
    let corrupt = |n: u64, what: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        what: format!("version {n} of watch {watch:?}: {what}"),
    };

    // Newest first: the frames from `number` back to (and including) a full frame.
    let mut chain = Vec::new();
    let mut n = number;
    loop {
        let frame = frames
            .get((watch, n))
            .map_err(db_err(path, "reading a version frame"))?
            .ok_or_else(|| corrupt(n, "its frame is missing".into()))?;
        let kind = codec::kind(frame.value()).map_err(|e| corrupt(n, e.to_string()))?;
        chain.push((n, frame));
        if kind == codec::FrameKind::Full {
            break;
        }
        if n <= 1 {
            return Err(corrupt(n, "delta frame with no version before it".into()));
        }
        n -= 1;
    }

    // Sizes first, so the two buffers are allocated once at their final size.
    let mut sizes = Vec::with_capacity(chain.len());
    for (n, _) in chain.iter().rev() {
        let size = if *n == number {
            target.raw_size
        } else {
            get_meta(&versions, path, watch, *n)?
                .ok_or_else(|| corrupt(*n, "its metadata is missing".into()))?
                .raw_size
        };
        sizes.push(usize::try_from(size).map_err(|_| corrupt(*n, "size out of range".into()))?);
    }
    let max = sizes.iter().copied().max().unwrap_or(0);
    // Two buffers, swapped at each step: the previous version is the next one's prefix.
    let mut raw = Vec::with_capacity(max);
    let mut scratch = Vec::with_capacity(if chain.len() > 1 { max } else { 0 });
    let mut have_base = false;
    for ((n, frame), size) in chain.iter().rev().zip(sizes) {
        let prev = have_base.then_some(raw.as_slice());
        codec::decode_into(frame.value(), prev, size, &mut scratch)
            .map_err(|e| corrupt(*n, e.to_string()))?;
        std::mem::swap(&mut raw, &mut scratch);
        have_base = true;
    }
    let sha = hex::encode(Sha256::digest(&raw));
    if !sha.eq_ignore_ascii_case(&target.raw_sha256) {
        return Err(corrupt(
            number,
            format!(
                "SHA-256 of the decoded bytes is {sha}, expected {}",
                target.raw_sha256
            ),
        ));
    }
    Ok(Some(raw))
}

impl Store {
    /// State of one watch, if it was ever polled.
    pub fn watch_state(&self, watch: &str) -> Result<Option<WatchState>, StoreError> {
        let txn = self.begin_read()?;
        let table = txn
            .open_table(WATCHES)
            .map_err(db_err(&self.path, "opening watches"))?;
        get_state(&table, &self.path, watch)
    }

    /// States of all watches ever polled (including removed ones), by name.
    pub fn watch_states(&self) -> Result<Vec<(String, WatchState)>, StoreError> {
        let txn = self.begin_read()?;
        let table = txn
            .open_table(WATCHES)
            .map_err(db_err(&self.path, "opening watches"))?;
        let mut out = Vec::new();
        let iter = table
            .range::<&str>(..)
            .map_err(db_err(&self.path, "listing watches"))?;
        for entry in iter {
            let (k, v) = entry.map_err(db_err(&self.path, "listing watches"))?;
            let name = k.value().to_string();
            let state =
                records::decode(v.value(), &self.path, || format!("state of watch {name:?}"))?;
            out.push((name, state));
        }
        Ok(out)
    }

    /// Metadata of all versions of a watch, oldest first.
    pub fn versions(&self, watch: &str) -> Result<Vec<VersionMeta>, StoreError> {
        let txn = self.begin_read()?;
        let table = txn
            .open_table(VERSIONS)
            .map_err(db_err(&self.path, "opening versions"))?;
        let iter = table
            .range(watch_range(watch))
            .map_err(db_err(&self.path, "listing versions"))?;
        let mut out = Vec::new();
        for entry in iter {
            let (k, v) = entry.map_err(db_err(&self.path, "listing versions"))?;
            let number = k.value().1;
            out.push(records::decode(v.value(), &self.path, || {
                format!("metadata of version {number} of watch {watch:?}")
            })?);
        }
        Ok(out)
    }

    /// Metadata of one version.
    pub fn version_meta(
        &self,
        watch: &str,
        number: u64,
    ) -> Result<Option<VersionMeta>, StoreError> {
        let txn = self.begin_read()?;
        let table = txn
            .open_table(VERSIONS)
            .map_err(db_err(&self.path, "opening versions"))?;
        get_meta(&table, &self.path, watch, number)
    }

    /// The exact raw bytes of one version, verified against its SHA-256.
    pub fn version_bytes(&self, watch: &str, number: u64) -> Result<Option<Vec<u8>>, StoreError> {
        let txn = self.begin_read()?;
        read_raw(&txn, &self.path, watch, number)
    }

    /// The stored diff report (JSON) of one version against its predecessor.
    pub fn version_changes(&self, watch: &str, number: u64) -> Result<Option<Vec<u8>>, StoreError> {
        let txn = self.begin_read()?;
        let table = txn
            .open_table(CHANGES)
            .map_err(db_err(&self.path, "opening changes"))?;
        let guard = table
            .get((watch, number))
            .map_err(db_err(&self.path, "reading changes"))?;
        guard
            .map(|g| {
                codec::unpack_blob(g.value()).map_err(|e| StoreError::Corrupt {
                    path: self.path.clone(),
                    what: format!("changes of version {number} of watch {watch:?}: {e}"),
                })
            })
            .transpose()
    }

    /// Up to `limit` poll records of a watch, newest first.
    pub fn poll_log(&self, watch: &str, limit: usize) -> Result<Vec<PollRecord>, StoreError> {
        let txn = self.begin_read()?;
        let table = txn
            .open_table(POLLS)
            .map_err(db_err(&self.path, "opening the poll log"))?;
        let iter = table
            .range(watch_range(watch))
            .map_err(db_err(&self.path, "reading the poll log"))?;
        let mut out = Vec::new();
        for entry in iter.rev().take(limit) {
            let (k, v) = entry.map_err(db_err(&self.path, "reading the poll log"))?;
            let seq = k.value().1;
            out.push(records::decode(v.value(), &self.path, || {
                format!("poll record {seq} of watch {watch:?}")
            })?);
        }
        Ok(out)
    }
}
