//! Endpoint health tables: state per endpoint, raw probes packed per (endpoint, hour),
//! hourly rollups (opaque bytes: the health module owns their format) and certificate
//! expiry per host. A batch of probes, their state changes and the events they raise
//! are committed in one durable transaction.

use redb::{ReadableTable, TableDefinition, WriteTransaction};

use super::error::{StoreError, db_err};
use super::health_types::{CertRecord, EndpointHealth, EndpointRecord, PROBE_BYTES};
use super::outbox::next_id;
use super::records::{decode, encode};
use super::types::Millis;
use super::{NewAlert, Store};

/// `health_endpoints`: (watch, operation) → JSON [`EndpointRecord`].
pub(crate) const ENDPOINTS: TableDefinition<(&str, &str), &[u8]> =
    TableDefinition::new("health_endpoints");
/// `health_raw`: (hour start, endpoint id) → packed probes of that hour. Hour first, so
/// new probes land at the end of the tree (a commit touches a few tail pages, not one
/// page per endpoint) and retention cuts a prefix.
pub(crate) const RAW: TableDefinition<(i64, u64), &[u8]> = TableDefinition::new("health_raw");
/// `health_hours`: (hour start, endpoint id) → rollup bucket.
pub(crate) const HOURS: TableDefinition<(i64, u64), &[u8]> = TableDefinition::new("health_hours");
/// `health_certs`: (watch, host:port) → JSON [`CertRecord`].
pub(crate) const CERTS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("health_certs");

/// Opens every health table (creating it), for schema init and migration.
pub(crate) fn create_tables(txn: &WriteTransaction) -> Result<(), redb::Error> {
    txn.open_table(ENDPOINTS)?;
    txn.open_table(RAW)?;
    txn.open_table(HOURS)?;
    txn.open_table(CERTS)?;
    Ok(())
}

/// Everything one batch of probes writes.
#[derive(Debug, Default)]
pub struct HealthBatch {
    /// New endpoint states.
    pub endpoints: Vec<(String, String, EndpointRecord)>,
    /// Packed probes appended to their (endpoint, hour) chunk.
    pub raw: Vec<(u64, Millis, [u8; PROBE_BYTES])>,
    /// Rollup buckets replaced whole.
    pub hours: Vec<(u64, Millis, Vec<u8>)>,
    /// Certificate records.
    pub certs: Vec<(String, String, CertRecord)>,
    /// Events raised by these probes (the outbox).
    pub alerts: Vec<NewAlert>,
}

impl HealthBatch {
    /// True when there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.endpoints.is_empty()
            && self.raw.is_empty()
            && self.hours.is_empty()
            && self.certs.is_empty()
            && self.alerts.is_empty()
    }
}

impl Store {
    /// Makes the watch's endpoint records match `operations` (operation, URL): new ones
    /// get an id and state `unknown`, gone ones are marked inactive (their history stays).
    /// Returns the active records.
    pub fn sync_endpoints(
        &self,
        watch: &str,
        operations: &[(String, String)],
        now: Millis,
    ) -> Result<Vec<(String, EndpointRecord)>, StoreError> {
        let path = &self.path;
        let txn = self.begin_write()?;
        let mut out = Vec::new();
        {
            let existing = self.read_endpoints(
                &txn.open_table(ENDPOINTS)
                    .map_err(db_err(path, "opening health_endpoints"))?,
                watch,
            )?;
            let mut table = txn
                .open_table(ENDPOINTS)
                .map_err(db_err(path, "opening health_endpoints"))?;
            for (op, rec) in &existing {
                if rec.active && !operations.iter().any(|(o, _)| o == op) {
                    let mut r = rec.clone();
                    r.active = false;
                    table
                        .insert((watch, op.as_str()), encode(&r, watch)?.as_slice())
                        .map_err(db_err(path, "writing an endpoint"))?;
                }
            }
            for (op, url) in operations {
                let prev = existing.iter().find(|(o, _)| o == op).map(|(_, r)| r);
                let rec = match prev {
                    Some(r) if r.active && &r.url == url => r.clone(),
                    Some(r) => EndpointRecord {
                        active: true,
                        url: url.clone(),
                        ..r.clone()
                    },
                    None => EndpointRecord {
                        id: next_id(&txn, self, "next_endpoint_id")?,
                        url: url.clone(),
                        active: true,
                        state: EndpointHealth::Unknown,
                        since: now,
                        consecutive_failures: 0,
                        consecutive_successes: 0,
                        last: None,
                        last_error: None,
                    },
                };
                if prev != Some(&rec) {
                    table
                        .insert((watch, op.as_str()), encode(&rec, watch)?.as_slice())
                        .map_err(db_err(path, "writing an endpoint"))?;
                }
                out.push((op.clone(), rec));
            }
        }
        txn.commit()
            .map_err(db_err(path, "committing endpoint changes"))?;
        Ok(out)
    }

    fn read_endpoints(
        &self,
        table: &impl ReadableTable<(&'static str, &'static str), &'static [u8]>,
        watch: &str,
    ) -> Result<Vec<(String, EndpointRecord)>, StoreError> {
        let path = &self.path;
        let mut out = Vec::new();
        for entry in table
            .range((watch, "")..)
            .map_err(db_err(path, "listing endpoints"))?
        {
            let (k, v) = entry.map_err(db_err(path, "listing endpoints"))?;
            let (w, op) = k.value();
            if w != watch {
                break;
            }
            let rec: EndpointRecord = decode(v.value(), path, || format!("endpoint {w} {op}"))?;
            out.push((op.to_string(), rec));
        }
        Ok(out)
    }

    /// Every endpoint record of a watch (inactive ones too), by operation.
    pub fn endpoints(&self, watch: &str) -> Result<Vec<(String, EndpointRecord)>, StoreError> {
        let txn = self.begin_read()?;
        let table = txn
            .open_table(ENDPOINTS)
            .map_err(db_err(&self.path, "opening health_endpoints"))?;
        self.read_endpoints(&table, watch)
    }

    /// Commits a batch of probes with their state changes and events, durably.
    pub fn commit_health(&self, batch: &HealthBatch, now: Millis) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let path = &self.path;
        let txn = self.begin_write()?;
        {
            let mut t = txn
                .open_table(ENDPOINTS)
                .map_err(db_err(path, "opening health_endpoints"))?;
            for (w, op, rec) in &batch.endpoints {
                t.insert((w.as_str(), op.as_str()), encode(rec, w)?.as_slice())
                    .map_err(db_err(path, "writing an endpoint"))?;
            }
            let mut raw = txn
                .open_table(RAW)
                .map_err(db_err(path, "opening health_raw"))?;
            // Probes of the same endpoint-hour are appended with one write.
            let mut appends: std::collections::BTreeMap<(i64, u64), Vec<u8>> = Default::default();
            for (id, hour, probe) in &batch.raw {
                appends
                    .entry((*hour, *id))
                    .or_default()
                    .extend_from_slice(probe);
            }
            for (key, more) in appends {
                let mut chunk = raw
                    .get(key)
                    .map_err(db_err(path, "reading probes"))?
                    .map(|v| v.value().to_vec())
                    .unwrap_or_default();
                chunk.extend_from_slice(&more);
                raw.insert(key, chunk.as_slice())
                    .map_err(db_err(path, "writing probes"))?;
            }
            let mut hours = txn
                .open_table(HOURS)
                .map_err(db_err(path, "opening health_hours"))?;
            for (id, hour, bucket) in &batch.hours {
                hours
                    .insert((*hour, *id), bucket.as_slice())
                    .map_err(db_err(path, "writing a rollup"))?;
            }
            let mut certs = txn
                .open_table(CERTS)
                .map_err(db_err(path, "opening health_certs"))?;
            for (w, host, rec) in &batch.certs {
                certs
                    .insert((w.as_str(), host.as_str()), encode(rec, w)?.as_slice())
                    .map_err(db_err(path, "writing a certificate record"))?;
            }
        }
        self.insert_alerts(&txn, &batch.alerts, now)?;
        txn.commit().map_err(db_err(path, "committing probes"))
    }

    /// The rollup bucket of (endpoint, hour), if any.
    pub fn health_hour(&self, id: u64, hour: Millis) -> Result<Option<Vec<u8>>, StoreError> {
        let txn = self.begin_read()?;
        let t = txn
            .open_table(HOURS)
            .map_err(db_err(&self.path, "opening health_hours"))?;
        Ok(t.get((hour, id))
            .map_err(db_err(&self.path, "reading a rollup"))?
            .map(|v| v.value().to_vec()))
    }

    /// Rollup buckets of an endpoint with `from ≤ hour < to`, oldest first.
    pub fn health_hours(
        &self,
        id: u64,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<(Millis, Vec<u8>)>, StoreError> {
        self.id_range(HOURS, id, from, to)
    }

    /// Raw probe chunks of an endpoint with `from ≤ hour < to`, oldest first.
    pub fn health_raw(
        &self,
        id: u64,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<(Millis, Vec<u8>)>, StoreError> {
        self.id_range(RAW, id, from, to)
    }

    fn id_range(
        &self,
        def: TableDefinition<(i64, u64), &[u8]>,
        id: u64,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<(Millis, Vec<u8>)>, StoreError> {
        let path = &self.path;
        let txn = self.begin_read()?;
        let t = txn
            .open_table(def)
            .map_err(db_err(path, "opening a health table"))?;
        let mut out = Vec::new();
        let mut hour = super::hour_of(from);
        while hour < to {
            if let Some(v) = t
                .get((hour, id))
                .map_err(db_err(path, "reading health history"))?
            {
                out.push((hour, v.value().to_vec()));
            }
            hour += super::HOUR_MS;
        }
        Ok(out)
    }

    /// Certificate records of a watch, by host.
    pub fn health_certs(&self, watch: &str) -> Result<Vec<(String, CertRecord)>, StoreError> {
        let path = &self.path;
        let txn = self.begin_read()?;
        let t = txn
            .open_table(CERTS)
            .map_err(db_err(path, "opening health_certs"))?;
        let mut out = Vec::new();
        for entry in t
            .range((watch, "")..)
            .map_err(db_err(path, "listing certificates"))?
        {
            let (k, v) = entry.map_err(db_err(path, "listing certificates"))?;
            let (w, host) = k.value();
            if w != watch {
                break;
            }
            out.push((
                host.to_string(),
                decode(v.value(), path, || format!("certificate {w} {host}"))?,
            ));
        }
        Ok(out)
    }

    /// Deletes raw probe chunks of hours before `raw_before` and rollups before
    /// `hours_before`; returns how many entries went.
    pub fn prune_health(
        &self,
        raw_before: Millis,
        hours_before: Millis,
    ) -> Result<u64, StoreError> {
        let path = &self.path;
        let txn = self.begin_write()?;
        let mut removed = 0u64;
        for (def, before) in [(RAW, raw_before), (HOURS, hours_before)] {
            let mut t = txn
                .open_table(def)
                .map_err(db_err(path, "opening a health table"))?;
            t.retain_in((i64::MIN, 0)..(before, 0), |_, _| {
                removed += 1;
                false
            })
            .map_err(db_err(path, "pruning health history"))?;
        }
        txn.commit()
            .map_err(db_err(path, "committing the health pruning"))?;
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ErrorClass, HOUR_MS, ProbeSample};

    #[test]
    fn endpoints_sync_probes_append_and_retention_cuts_old_hours() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let ops = |names: &[&str]| -> Vec<(String, String)> {
            names
                .iter()
                .map(|n| (n.to_string(), format!("http://x{n}")))
                .collect()
        };
        let first = store
            .sync_endpoints("w", &ops(&["GET /a", "GET /b"]), 0)
            .unwrap();
        let id_a = first[0].1.id;
        let again = store
            .sync_endpoints("w", &ops(&["GET /a", "GET /c"]), 1)
            .unwrap();
        assert_eq!(again[0].1.id, id_a, "a staying endpoint keeps its id");
        let all = store.endpoints("w").unwrap();
        let b = all.iter().find(|(o, _)| o == "GET /b").unwrap();
        assert!(!b.1.active, "a removed operation is kept, inactive");

        let mut batch = HealthBatch::default();
        for h in 0..3 {
            for m in 0..2 {
                let p = ProbeSample {
                    at: h * HOUR_MS + m * 60_000,
                    status: 200,
                    latency_us: 5,
                    class: ErrorClass::None,
                };
                batch.raw.push((id_a, h * HOUR_MS, p.pack()));
            }
            batch.hours.push((id_a, h * HOUR_MS, vec![h as u8]));
        }
        store.commit_health(&batch, 0).unwrap();
        let raw = store.health_raw(id_a, 0, 3 * HOUR_MS).unwrap();
        assert_eq!(raw.len(), 3);
        assert_eq!(
            ProbeSample::unpack_chunk(raw[1].0, &raw[1].1).len(),
            2,
            "appended"
        );
        assert_eq!(store.health_hour(id_a, HOUR_MS).unwrap(), Some(vec![1]));
        let removed = store.prune_health(2 * HOUR_MS, HOUR_MS).unwrap();
        assert_eq!(removed, 3);
        assert_eq!(store.health_raw(id_a, 0, 3 * HOUR_MS).unwrap().len(), 1);
        let hours: Vec<i64> = store
            .health_hours(id_a, 0, 3 * HOUR_MS)
            .unwrap()
            .into_iter()
            .map(|(h, _)| h)
            .collect();
        assert_eq!(hours, [HOUR_MS, 2 * HOUR_MS]);
    }
}
