//! Write side of the store: one durable transaction per poll.

use redb::WriteTransaction;
use sha2::{Digest, Sha256};

use super::error::{StoreError, db_err};
use super::read::{last_version, read_raw};
use super::schema::{CHANGES, FRAMES, POLLS, VERSIONS, WATCHES};
use super::{NewVersion, PollCommit, PollOutcome, Store, WatchState, codec, records};

/// How often a commit is retried when a version of the same watch was added between
/// compressing and writing; the per-watch commit lock makes this a defence only.
const MAX_ATTEMPTS: usize = 4;

/// A new version compressed outside the write transaction.
struct Prepared {
    /// The version number the delta was computed against (0 = none).
    based_on: u64,
    frame: Vec<u8>,
    changes: Option<Vec<u8>>,
}

impl Store {
    /// Stores a watch's state as is (pause / resume by command). `latest_version` is
    /// kept as stored: version numbering belongs to the store.
    pub fn put_watch_state(&self, watch: &str, state: &WatchState) -> Result<(), StoreError> {
        let txn = self.begin_write()?;
        self.write_state(&txn, watch, state.clone())?;
        txn.commit()
            .map_err(db_err(&self.path, "committing watch state"))
    }

    /// Commits one poll in one write transaction — state, poll record and optional
    /// new version — durably (fsync) before returning. A new version gets number
    /// `stored latest + 1`, which is returned.
    pub fn commit_poll(&self, watch: &str, commit: PollCommit) -> Result<Option<u64>, StoreError> {
        if self.is_read_only() {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            });
        }
        let PollCommit {
            state,
            mut record,
            new_version,
            alerts,
        } = commit;
        let is_new = matches!(record.outcome, PollOutcome::NewVersion { .. });
        if is_new && new_version.is_none() {
            return Err(StoreError::InvalidCommit {
                watch: watch.to_string(),
                reason: "the poll outcome is a new version but no version was given".into(),
            });
        }
        let new_version = new_version.map(|nv| checked(watch, nv)).transpose()?;
        let _guard = self.commit_lock(watch);

        for _ in 0..MAX_ATTEMPTS {
            // Compress outside the write transaction: other watches keep committing meanwhile.
            let prepared = new_version
                .as_ref()
                .map(|nv| self.prepare(watch, nv))
                .transpose()?;
            let txn = self.begin_write()?;
            let latest = {
                let versions = txn
                    .open_table(VERSIONS)
                    .map_err(db_err(&self.path, "opening versions"))?;
                last_version(&versions, &self.path, watch)?
            };
            let mut assigned = None;
            if let (Some(nv), Some(p)) = (&new_version, prepared) {
                if p.based_on != latest {
                    continue; // dropping `txn` aborts it; compress again against the new latest
                }
                let number = latest + 1;
                self.insert_version(&txn, watch, number, nv, p)?;
                record.outcome = PollOutcome::NewVersion { number };
                assigned = Some(number);
            }
            self.write_state(&txn, watch, state.clone())?;
            self.append_poll(&txn, watch, &records::encode(&record, watch)?)?;
            self.insert_alerts(&txn, &alerts, record.at)?;
            txn.commit()
                .map_err(db_err(&self.path, "committing a poll"))?;
            return Ok(assigned);
        }
        Err(StoreError::InvalidCommit {
            watch: watch.to_string(),
            reason: format!(
                "{MAX_ATTEMPTS} concurrent commits raced to add versions of this watch"
            ),
        })
    }

    /// The lock stripe of a watch; a poisoned lock is still a valid lock here.
    fn commit_lock(&self, watch: &str) -> std::sync::MutexGuard<'_, ()> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        watch.hash(&mut h);
        let stripe = (h.finish() % self.commit_locks.len() as u64) as usize;
        self.commit_locks[stripe]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Group commit: writes several watches' polls that carry no new version (unchanged,
    /// reformatted, failed) in ONE durable transaction, so a burst of polls pays one fsync
    /// instead of one each. Returns once the batch is on disk; new versions go through
    /// [`Store::commit_poll`].
    pub fn commit_polls(&self, batch: &[(String, PollCommit)]) -> Result<(), StoreError> {
        for (watch, c) in batch {
            if c.new_version.is_some() || matches!(c.record.outcome, PollOutcome::NewVersion { .. })
            {
                return Err(StoreError::InvalidCommit {
                    watch: watch.clone(),
                    reason: "a new version cannot be group-committed; use commit_poll".into(),
                });
            }
        }
        let txn = self.begin_write()?;
        for (watch, c) in batch {
            self.write_state(&txn, watch, c.state.clone())?;
            self.append_poll(&txn, watch, &records::encode(&c.record, watch)?)?;
            self.insert_alerts(&txn, &c.alerts, c.record.at)?;
        }
        txn.commit()
            .map_err(db_err(&self.path, "committing a batch of polls"))
    }

    /// Compresses a new version against the latest stored one (or as a full frame).
    fn prepare(&self, watch: &str, nv: &NewVersion) -> Result<Prepared, StoreError> {
        let txn = self.begin_read()?;
        let latest = {
            let versions = txn
                .open_table(VERSIONS)
                .map_err(db_err(&self.path, "opening versions"))?;
            last_version(&versions, &self.path, watch)?
        };
        let number = latest + 1;
        let every = self.opts.full_frame_every.max(1);
        let prev = if latest == 0 || (number - 1) % every == 0 {
            None
        } else {
            match read_raw(&txn, &self.path, watch, latest) {
                Ok(prev) => prev,
                // A damaged predecessor must not stop new versions from being stored:
                // start a fresh chain with a full frame.
                Err(e) => {
                    tracing::warn!(watch, error = %e, "storing a full frame: previous version unreadable");
                    None
                }
            }
        };
        drop(txn);
        let compress_err = |e: codec::CodecError| StoreError::Compress {
            path: self.path.clone(),
            watch: watch.to_string(),
            message: e.to_string(),
        };
        let frame =
            codec::encode(&nv.raw, prev.as_deref(), self.opts.zstd_level).map_err(compress_err)?;
        let changes = nv
            .changes_json
            .as_deref()
            .map(codec::pack_blob)
            .transpose()
            .map_err(compress_err)?;
        Ok(Prepared {
            based_on: latest,
            frame,
            changes,
        })
    }

    fn insert_version(
        &self,
        txn: &WriteTransaction,
        watch: &str,
        number: u64,
        nv: &NewVersion,
        p: Prepared,
    ) -> Result<(), StoreError> {
        let mut meta = nv.meta.clone();
        meta.number = number;
        meta.stored_size = p.frame.len() as u64;
        let path = &self.path;
        txn.open_table(VERSIONS)
            .map_err(db_err(path, "opening versions"))?
            .insert((watch, number), records::encode(&meta, watch)?.as_slice())
            .map_err(db_err(path, "writing version metadata"))?;
        txn.open_table(FRAMES)
            .map_err(db_err(path, "opening frames"))?
            .insert((watch, number), p.frame.as_slice())
            .map_err(db_err(path, "writing a version frame"))?;
        if let Some(summary) = &nv.summary_json {
            txn.open_table(super::summaries::SUMMARIES)
                .map_err(db_err(path, "opening summaries"))?
                .insert((watch, number), summary.as_slice())
                .map_err(db_err(path, "writing a summary"))?;
        }
        if let Some(changes) = p.changes {
            txn.open_table(CHANGES)
                .map_err(db_err(path, "opening changes"))?
                .insert((watch, number), changes.as_slice())
                .map_err(db_err(path, "writing changes"))?;
        }
        Ok(())
    }

    /// Writes the state with `latest_version` taken from the versions table.
    fn write_state(
        &self,
        txn: &WriteTransaction,
        watch: &str,
        mut state: WatchState,
    ) -> Result<(), StoreError> {
        let path = &self.path;
        state.latest_version = {
            let versions = txn
                .open_table(VERSIONS)
                .map_err(db_err(path, "opening versions"))?;
            last_version(&versions, path, watch)?
        };
        let mut watches = txn
            .open_table(WATCHES)
            .map_err(db_err(path, "opening watches"))?;
        watches
            .insert(watch, records::encode(&state, watch)?.as_slice())
            .map_err(db_err(path, "writing watch state"))?;
        Ok(())
    }

    /// Appends a poll record and drops the oldest beyond `poll_log_len`.
    fn append_poll(
        &self,
        txn: &WriteTransaction,
        watch: &str,
        rec: &[u8],
    ) -> Result<(), StoreError> {
        let path = &self.path;
        let mut polls = txn
            .open_table(POLLS)
            .map_err(db_err(path, "opening the poll log"))?;
        // Poll sequences share the (watch, u64) key layout of versions.
        let last = last_version(&polls, path, watch)?;
        let seq = last + 1;
        polls
            .insert((watch, seq), rec)
            .map_err(db_err(path, "writing a poll record"))?;
        let keep = self.opts.poll_log_len.max(1) as u64;
        if seq > keep {
            let cutoff = seq - keep;
            polls
                .retain_in((watch, 0)..=(watch, cutoff), |_, _| false)
                .map_err(db_err(path, "trimming the poll log"))?;
        }
        Ok(())
    }
}

/// Fills in and checks what the store derives from the raw bytes.
fn checked(watch: &str, mut nv: NewVersion) -> Result<NewVersion, StoreError> {
    let sha = hex::encode(Sha256::digest(&nv.raw));
    if nv.meta.raw_sha256.is_empty() {
        nv.meta.raw_sha256 = sha;
    } else if !nv.meta.raw_sha256.eq_ignore_ascii_case(&sha) {
        return Err(StoreError::InvalidCommit {
            watch: watch.to_string(),
            reason: format!(
                "meta.raw_sha256 {} does not match the bytes ({sha})",
                nv.meta.raw_sha256
            ),
        });
    }
    nv.meta.raw_size = nv.raw.len() as u64;
    Ok(nv)
}
