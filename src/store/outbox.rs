//! The alert outbox: alerts are inserted in the same transaction as the poll that
//! raised them; routing turns them into notifications and per-sink deliveries in one
//! transaction; every attempt is recorded with the delivery's new state in one more.
//! A crash between any two steps leaves a state the next start simply continues.

use redb::{ReadableTable, TableDefinition, WriteTransaction};
use sha2::{Digest, Sha256};

use super::error::{StoreError, db_err};
use super::records::{decode, encode};
use super::schema::META;
use super::types::Millis;
use super::{Store, outbox_types::*};

/// `alerts`: id → JSON [`AlertRecord`].
pub(crate) const ALERTS: TableDefinition<u64, &[u8]> = TableDefinition::new("alerts");
/// `alerts_new`: ids of alerts still to route.
pub(crate) const ALERTS_NEW: TableDefinition<u64, ()> = TableDefinition::new("alerts_new");
/// `notifications`: id → JSON [`NotificationRecord`].
pub(crate) const NOTIFICATIONS: TableDefinition<u64, &[u8]> = TableDefinition::new("notifications");
/// `deliveries`: id → JSON [`DeliveryRecord`].
pub(crate) const DELIVERIES: TableDefinition<u64, &[u8]> = TableDefinition::new("deliveries");
/// `queue`: (sink, delivery id) of pending deliveries, in creation order per sink.
pub(crate) const QUEUE: TableDefinition<(&str, u64), ()> = TableDefinition::new("queue");
/// `attempts`: (delivery id, attempt number) → JSON [`AttemptRecord`].
pub(crate) const ATTEMPTS: TableDefinition<(u64, u32), &[u8]> = TableDefinition::new("attempts");
/// `firing`: (route, fingerprint) → JSON [`FiringRecord`].
pub(crate) const FIRING: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("firing");

/// Opens every outbox table (creating it), for schema init and migration.
pub(crate) fn create_tables(txn: &WriteTransaction) -> Result<(), redb::Error> {
    txn.open_table(ALERTS)?;
    txn.open_table(ALERTS_NEW)?;
    txn.open_table(NOTIFICATIONS)?;
    txn.open_table(DELIVERIES)?;
    txn.open_table(QUEUE)?;
    txn.open_table(ATTEMPTS)?;
    txn.open_table(FIRING)?;
    Ok(())
}

/// Opens an outbox table in a read or write transaction; errors name the store file and table.
macro_rules! open {
    ($txn:expr, $table:expr, $path:expr) => {
        $txn.open_table($table)
            .map_err(db_err($path, concat!("opening table ", stringify!($table))))
    };
}

/// Name of the outbox records in errors.
const OUTBOX: &str = "(outbox)";

/// Reads and decodes record `id` of a u64-keyed table; `what` names it in errors.
fn get<T: serde::de::DeserializeOwned>(
    table: &impl ReadableTable<u64, &'static [u8]>,
    path: &std::path::Path,
    id: u64,
    what: &'static str,
) -> Result<Option<T>, StoreError> {
    table
        .get(id)
        .map_err(db_err(path, "reading an outbox record"))?
        .map(|v| decode(v.value(), path, || format!("{what} {id}")))
        .transpose()
}

/// Next value of a counter kept in `meta`.
pub(crate) fn next_id(txn: &WriteTransaction, store: &Store, key: &str) -> Result<u64, StoreError> {
    let mut meta = open!(txn, META, &store.path)?;
    let n = meta
        .get(key)
        .map_err(db_err(&store.path, "reading a counter"))?
        .map_or(0, |v| v.value())
        + 1;
    meta.insert(key, n)
        .map_err(db_err(&store.path, "writing a counter"))?;
    Ok(n)
}

/// A random id of this store, made once: idempotency keys differ between stores.
fn store_id(txn: &WriteTransaction, store: &Store) -> Result<u64, StoreError> {
    let mut meta = open!(txn, META, &store.path)?;
    if let Some(v) = meta
        .get("store_id")
        .map_err(db_err(&store.path, "reading the store id"))?
    {
        return Ok(v.value());
    }
    let id = fastrand::u64(1..);
    meta.insert("store_id", id)
        .map_err(db_err(&store.path, "writing the store id"))?;
    Ok(id)
}

/// Idempotency key of a (notification, sink) pair: stable across retries and restarts.
fn idempotency_key(store_id: u64, notification: u64, sink: &str) -> String {
    let mut h = Sha256::new();
    h.update(store_id.to_le_bytes());
    h.update(notification.to_le_bytes());
    h.update(sink.as_bytes());
    hex::encode(&h.finalize()[..16])
}

impl Store {
    /// Inserts alerts raised by a poll, inside the poll's transaction.
    pub(crate) fn insert_alerts(
        &self,
        txn: &WriteTransaction,
        alerts: &[NewAlert],
        now: Millis,
    ) -> Result<(), StoreError> {
        for a in alerts {
            let id = next_id(txn, self, "next_alert_id")?;
            let rec = AlertRecord {
                id,
                created_at: now,
                watch: a.watch.clone(),
                event: a.event.clone(),
                routing: Routing::New { done: vec![] },
                notifications: vec![],
            };
            open!(txn, ALERTS, &self.path)?
                .insert(id, encode(&rec, &a.watch.name)?.as_slice())
                .map_err(db_err(&self.path, "writing an alert"))?;
            open!(txn, ALERTS_NEW, &self.path)?
                .insert(id, ())
                .map_err(db_err(&self.path, "queueing an alert for routing"))?;
        }
        Ok(())
    }

    /// Commits alerts that are not tied to a poll (health checks, tests) durably.
    pub fn commit_alerts(&self, alerts: &[NewAlert], now: Millis) -> Result<(), StoreError> {
        let txn = self.begin_write()?;
        self.insert_alerts(&txn, alerts, now)?;
        txn.commit()
            .map_err(db_err(&self.path, "committing alerts"))
    }

    /// Alerts still to route, oldest first.
    pub fn new_alerts(&self) -> Result<Vec<AlertRecord>, StoreError> {
        let txn = self.begin_read()?;
        let index = open!(txn, ALERTS_NEW, &self.path)?;
        let alerts = open!(txn, ALERTS, &self.path)?;
        let mut out = Vec::new();
        for entry in index
            .range::<u64>(..)
            .map_err(db_err(&self.path, "listing new alerts"))?
        {
            let id = entry
                .map_err(db_err(&self.path, "listing new alerts"))?
                .0
                .value();
            out.extend(get::<AlertRecord>(&alerts, &self.path, id, "alert")?);
        }
        Ok(out)
    }

    /// Applies one routing pass: alert states, notifications with their deliveries
    /// (queued per sink), and firing-set changes, in one durable transaction.
    pub fn apply_routing(&self, batch: RoutingBatch, now: Millis) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let path = &self.path;
        let txn = self.begin_write()?;
        let sid = store_id(&txn, self)?;
        let mut touched: std::collections::BTreeMap<u64, Vec<u64>> = Default::default();
        for n in batch.notifications {
            let id = next_id(&txn, self, "next_notification_id")?;
            let mut payload = n.payload;
            payload.id = id.to_string();
            let mut deliveries = Vec::new();
            for sink in &n.sinks {
                let did = next_id(&txn, self, "next_delivery_id")?;
                let d = DeliveryRecord {
                    id: did,
                    notification: id,
                    sink: sink.clone(),
                    created_at: now,
                    status: DeliveryStatus::Pending,
                    attempts: 0,
                    next_attempt_at: now,
                    idempotency_key: idempotency_key(sid, id, sink),
                    last_error: None,
                    finished_at: None,
                };
                open!(txn, DELIVERIES, path)?
                    .insert(did, encode(&d, OUTBOX)?.as_slice())
                    .map_err(db_err(path, "writing a delivery"))?;
                open!(txn, QUEUE, path)?
                    .insert((sink.as_str(), did), ())
                    .map_err(db_err(path, "queueing a delivery"))?;
                deliveries.push(did);
            }
            for &a in &n.alert_ids {
                touched.entry(a).or_default().push(id);
            }
            let rec = NotificationRecord {
                id,
                created_at: now,
                route: n.route,
                alert_ids: n.alert_ids,
                deliveries,
                payload,
            };
            open!(txn, NOTIFICATIONS, path)?
                .insert(id, encode(&rec, OUTBOX)?.as_slice())
                .map_err(db_err(path, "writing a notification"))?;
        }
        let states: std::collections::BTreeMap<u64, Routing> = batch.alerts.into_iter().collect();
        let ids: std::collections::BTreeSet<u64> =
            states.keys().chain(touched.keys()).copied().collect();
        {
            let mut alerts = open!(txn, ALERTS, path)?;
            let mut index = open!(txn, ALERTS_NEW, path)?;
            for id in ids {
                let Some(mut rec) = get::<AlertRecord>(&alerts, path, id, "alert")? else {
                    continue;
                };
                if let Some(r) = states.get(&id) {
                    rec.routing = r.clone();
                }
                rec.notifications
                    .extend(touched.get(&id).into_iter().flatten());
                if !matches!(rec.routing, Routing::New { .. }) {
                    index
                        .remove(id)
                        .map_err(db_err(path, "unqueueing a routed alert"))?;
                }
                alerts
                    .insert(id, encode(&rec, OUTBOX)?.as_slice())
                    .map_err(db_err(path, "writing an alert"))?;
            }
        }
        {
            let mut firing = open!(txn, FIRING, path)?;
            for change in batch.firing {
                match change {
                    FiringChange::Upsert(f) => {
                        firing
                            .insert(
                                (f.route.as_str(), f.fingerprint.as_str()),
                                encode(&f, OUTBOX)?.as_slice(),
                            )
                            .map_err(db_err(path, "writing a firing condition"))?;
                    }
                    FiringChange::Remove { route, fingerprint } => {
                        firing
                            .remove((route.as_str(), fingerprint.as_str()))
                            .map_err(db_err(path, "removing a firing condition"))?;
                    }
                }
            }
        }
        txn.commit()
            .map_err(db_err(path, "committing a routing pass"))
    }

    /// Every condition still firing.
    pub fn firing(&self) -> Result<Vec<FiringRecord>, StoreError> {
        let txn = self.begin_read()?;
        let t = open!(txn, FIRING, &self.path)?;
        let mut out = Vec::new();
        for e in t
            .range::<(&str, &str)>(..)
            .map_err(db_err(&self.path, "listing firing conditions"))?
        {
            let (_, v) = e.map_err(db_err(&self.path, "listing firing conditions"))?;
            out.push(decode(v.value(), &self.path, || {
                "a firing condition".into()
            })?);
        }
        Ok(out)
    }

    /// One alert.
    pub fn alert(&self, id: u64) -> Result<Option<AlertRecord>, StoreError> {
        let txn = self.begin_read()?;
        let t = open!(txn, ALERTS, &self.path)?;
        get(&t, &self.path, id, "alert")
    }

    /// Sinks with pending deliveries.
    pub fn queued_sinks(&self) -> Result<Vec<String>, StoreError> {
        let txn = self.begin_read()?;
        let q = open!(txn, QUEUE, &self.path)?;
        let mut out: Vec<String> = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let mut range = match &next {
                None => q.range::<(&str, u64)>(..),
                Some(s) => q.range((s.as_str(), u64::MAX)..),
            }
            .map_err(db_err(&self.path, "listing the queue"))?;
            let Some(e) = range.next() else { break };
            let (k, _) = e.map_err(db_err(&self.path, "listing the queue"))?;
            let sink = k.value().0.to_string();
            if next.as_deref() == Some(sink.as_str()) {
                break;
            }
            out.push(sink.clone());
            next = Some(sink);
        }
        Ok(out)
    }

    /// The first `limit` pending deliveries of `sink`, in creation order, with documents.
    pub fn queue_head(&self, sink: &str, limit: usize) -> Result<Vec<QueuedDelivery>, StoreError> {
        let path = &self.path;
        let txn = self.begin_read()?;
        let q = open!(txn, QUEUE, path)?;
        let deliveries = open!(txn, DELIVERIES, path)?;
        let notifications = open!(txn, NOTIFICATIONS, path)?;
        let mut out = Vec::new();
        for e in q
            .range((sink, 0)..=(sink, u64::MAX))
            .map_err(db_err(path, "reading the queue"))?
            .take(limit)
        {
            let (k, _) = e.map_err(db_err(path, "reading the queue"))?;
            let did = k.value().1;
            let Some(delivery) = get::<DeliveryRecord>(&deliveries, path, did, "delivery")? else {
                continue;
            };
            let nid = delivery.notification;
            let Some(n) = get::<NotificationRecord>(&notifications, path, nid, "notification")?
            else {
                continue;
            };
            let mut payload = n.payload;
            payload.idempotency_key = delivery.idempotency_key.clone();
            out.push(QueuedDelivery {
                delivery,
                alert_ids: n.alert_ids,
                payload,
            });
        }
        Ok(out)
    }

    /// Records attempts and the deliveries' new states in one durable transaction;
    /// finished deliveries leave the queue.
    pub fn record_attempts(&self, results: &[AttemptResult]) -> Result<(), StoreError> {
        if results.is_empty() {
            return Ok(());
        }
        let path = &self.path;
        let txn = self.begin_write()?;
        {
            let mut deliveries = open!(txn, DELIVERIES, path)?;
            let mut attempts = open!(txn, ATTEMPTS, path)?;
            let mut queue = open!(txn, QUEUE, path)?;
            for r in results {
                let d = &r.delivery;
                // Unavailable attempts are numbered after the counted ones, so none overwrite.
                let n = last_attempt(&attempts, path, d.id)? + 1;
                attempts
                    .insert((d.id, n), encode(&r.attempt, OUTBOX)?.as_slice())
                    .map_err(db_err(path, "writing an attempt"))?;
                deliveries
                    .insert(d.id, encode(d, OUTBOX)?.as_slice())
                    .map_err(db_err(path, "writing a delivery"))?;
                if d.status != DeliveryStatus::Pending {
                    queue
                        .remove((d.sink.as_str(), d.id))
                        .map_err(db_err(path, "unqueueing a delivery"))?;
                }
            }
        }
        txn.commit()
            .map_err(db_err(path, "committing delivery attempts"))
    }

    /// Queues failed deliveries again: those of the alert with this id, or every failed
    /// one. Returns how many.
    pub fn redrive(&self, target: Option<u64>, now: Millis) -> Result<usize, StoreError> {
        let path = &self.path;
        let txn = self.begin_write()?;
        let mut count = 0;
        {
            let mut deliveries = open!(txn, DELIVERIES, path)?;
            let mut queue = open!(txn, QUEUE, path)?;
            let alerts = open!(txn, ALERTS, path)?;
            let notifications = open!(txn, NOTIFICATIONS, path)?;
            let ids: Vec<u64> = match target {
                None => {
                    let mut all = Vec::new();
                    for e in deliveries
                        .range::<u64>(..)
                        .map_err(db_err(path, "listing deliveries"))?
                    {
                        all.push(e.map_err(db_err(path, "listing deliveries"))?.0.value());
                    }
                    all
                }
                Some(id) => alert_deliveries(&alerts, &notifications, path, id)?,
            };
            for did in ids {
                let Some(mut d) = get::<DeliveryRecord>(&deliveries, path, did, "delivery")? else {
                    continue;
                };
                if d.status != DeliveryStatus::Failed {
                    continue;
                }
                d.status = DeliveryStatus::Pending;
                d.attempts = 0;
                d.next_attempt_at = now;
                d.finished_at = None;
                deliveries
                    .insert(did, encode(&d, OUTBOX)?.as_slice())
                    .map_err(db_err(path, "writing a delivery"))?;
                queue
                    .insert((d.sink.as_str(), did), ())
                    .map_err(db_err(path, "queueing a delivery"))?;
                count += 1;
            }
        }
        txn.commit().map_err(db_err(path, "committing a redrive"))?;
        Ok(count)
    }

    /// Cancels pending deliveries (see [`CancelTarget`]): each leaves the queue with an
    /// attempt row whose detail is `reason`. Returns how many.
    pub fn cancel(
        &self,
        target: &CancelTarget,
        reason: &str,
        now: Millis,
    ) -> Result<usize, StoreError> {
        let path = &self.path;
        let txn = self.begin_write()?;
        let mut count = 0;
        {
            let mut deliveries = open!(txn, DELIVERIES, path)?;
            let mut attempts = open!(txn, ATTEMPTS, path)?;
            let mut queue = open!(txn, QUEUE, path)?;
            let ids: Vec<u64> = match target {
                CancelTarget::Sink(sink) => {
                    let mut ids = Vec::new();
                    for e in queue
                        .range((sink.as_str(), 0)..=(sink.as_str(), u64::MAX))
                        .map_err(db_err(path, "reading the queue"))?
                    {
                        ids.push(e.map_err(db_err(path, "reading the queue"))?.0.value().1);
                    }
                    ids
                }
                CancelTarget::Alert(id) => {
                    let alerts = open!(txn, ALERTS, path)?;
                    let notifications = open!(txn, NOTIFICATIONS, path)?;
                    alert_deliveries(&alerts, &notifications, path, *id)?
                }
            };
            for did in ids {
                let Some(mut d) = get::<DeliveryRecord>(&deliveries, path, did, "delivery")? else {
                    continue;
                };
                if d.status != DeliveryStatus::Pending {
                    continue;
                }
                d.status = DeliveryStatus::Cancelled;
                d.finished_at = Some(now);
                d.last_error = Some(reason.to_string());
                let attempt = AttemptRecord {
                    at: now,
                    latency_ms: 0,
                    status: None,
                    outcome: AttemptOutcome::Cancelled,
                    detail: reason.to_string(),
                };
                let n = last_attempt(&attempts, path, did)? + 1;
                attempts
                    .insert((did, n), encode(&attempt, OUTBOX)?.as_slice())
                    .map_err(db_err(path, "writing an attempt"))?;
                deliveries
                    .insert(did, encode(&d, OUTBOX)?.as_slice())
                    .map_err(db_err(path, "writing a delivery"))?;
                queue
                    .remove((d.sink.as_str(), did))
                    .map_err(db_err(path, "unqueueing a delivery"))?;
                count += 1;
            }
        }
        txn.commit().map_err(db_err(path, "committing a cancel"))?;
        Ok(count)
    }

    /// Alert history, newest first, filtered.
    pub fn alert_history(&self, q: &AlertQuery) -> Result<Vec<AlertHistory>, StoreError> {
        let path = &self.path;
        let txn = self.begin_read()?;
        let alerts = open!(txn, ALERTS, path)?;
        let notifications = open!(txn, NOTIFICATIONS, path)?;
        let deliveries = open!(txn, DELIVERIES, path)?;
        let attempts = open!(txn, ATTEMPTS, path)?;
        let limit = if q.limit == 0 { usize::MAX } else { q.limit };
        let mut out = Vec::new();
        for e in alerts
            .range::<u64>(..q.before.unwrap_or(u64::MAX))
            .map_err(db_err(path, "listing alerts"))?
            .rev()
        {
            if out.len() >= limit {
                break;
            }
            let (k, v) = e.map_err(db_err(path, "listing alerts"))?;
            let id = k.value();
            let alert: AlertRecord = decode(v.value(), path, || format!("alert {id}"))?;
            if q.since.is_some_and(|s| alert.created_at < s) {
                break; // ids grow with time
            }
            if q.watch.as_ref().is_some_and(|w| *w != alert.watch.name) {
                continue;
            }
            let mut ds = Vec::new();
            for &nid in &alert.notifications {
                let Some(n) = get::<NotificationRecord>(&notifications, path, nid, "notification")?
                else {
                    continue;
                };
                for &did in &n.deliveries {
                    let Some(delivery) = get::<DeliveryRecord>(&deliveries, path, did, "delivery")?
                    else {
                        continue;
                    };
                    let mut list = Vec::new();
                    for a in attempts
                        .range((did, 0)..=(did, u32::MAX))
                        .map_err(db_err(path, "listing attempts"))?
                    {
                        let (_, v) = a.map_err(db_err(path, "listing attempts"))?;
                        list.push(decode(v.value(), path, || format!("attempt of {did}"))?);
                    }
                    ds.push(DeliveryHistory {
                        delivery,
                        route: n.route.clone(),
                        attempts: list,
                    });
                }
            }
            let status = overall_status(&alert, &ds).to_string();
            if q.status.as_ref().is_some_and(|s| *s != status) {
                continue;
            }
            out.push(AlertHistory {
                alert,
                status,
                deliveries: ds,
            });
        }
        Ok(out)
    }

    /// Deletes alerts created before `before` whose deliveries are all finished, with
    /// their notifications, deliveries and attempts. Returns how many alerts went.
    pub fn prune_alerts(&self, before: Millis) -> Result<usize, StoreError> {
        let path = &self.path;
        let old: Vec<AlertHistory> = self
            .alert_history(&AlertQuery::default())?
            .into_iter()
            .filter(|h| h.alert.created_at < before && h.status != "pending" && h.status != "new")
            .collect();
        if old.is_empty() {
            return Ok(0);
        }
        let txn = self.begin_write()?;
        {
            let mut alerts = open!(txn, ALERTS, path)?;
            let mut notifications = open!(txn, NOTIFICATIONS, path)?;
            let mut deliveries = open!(txn, DELIVERIES, path)?;
            let mut attempts = open!(txn, ATTEMPTS, path)?;
            for h in &old {
                alerts
                    .remove(h.alert.id)
                    .map_err(db_err(path, "deleting an alert"))?;
                for &nid in &h.alert.notifications {
                    notifications
                        .remove(nid)
                        .map_err(db_err(path, "deleting a notification"))?;
                }
                for d in &h.deliveries {
                    deliveries
                        .remove(d.delivery.id)
                        .map_err(db_err(path, "deleting a delivery"))?;
                    attempts
                        .retain_in((d.delivery.id, 0)..=(d.delivery.id, u32::MAX), |_, _| false)
                        .map_err(db_err(path, "deleting attempts"))?;
                }
            }
        }
        txn.commit()
            .map_err(db_err(path, "committing alert retention"))?;
        Ok(old.len())
    }
}

/// Highest attempt number of a delivery (0 = none).
/// The deliveries of every notification that carries alert `id`.
fn alert_deliveries(
    alerts: &impl ReadableTable<u64, &'static [u8]>,
    notifications: &impl ReadableTable<u64, &'static [u8]>,
    path: &std::path::Path,
    id: u64,
) -> Result<Vec<u64>, StoreError> {
    let mut ids = Vec::new();
    let alert: Option<AlertRecord> = get(alerts, path, id, "alert")?;
    for nid in alert.map(|a| a.notifications).unwrap_or_default() {
        let n: Option<NotificationRecord> = get(notifications, path, nid, "notification")?;
        ids.extend(n.into_iter().flat_map(|n| n.deliveries));
    }
    Ok(ids)
}

fn last_attempt(
    t: &impl ReadableTable<(u64, u32), &'static [u8]>,
    path: &std::path::Path,
    id: u64,
) -> Result<u32, StoreError> {
    let mut r = t
        .range((id, 0)..=(id, u32::MAX))
        .map_err(db_err(path, "listing attempts"))?;
    Ok(match r.next_back() {
        Some(e) => e.map_err(db_err(path, "listing attempts"))?.0.value().1,
        None => 0,
    })
}

/// An alert's overall status from its routing and deliveries.
fn overall_status(a: &AlertRecord, ds: &[DeliveryHistory]) -> &'static str {
    match &a.routing {
        Routing::Silenced { .. } => "silenced",
        Routing::Unrouted => "unrouted",
        Routing::New { .. } if ds.is_empty() => "new",
        _ if ds
            .iter()
            .any(|d| d.delivery.status == DeliveryStatus::Pending) =>
        {
            "pending"
        }
        _ if ds
            .iter()
            .any(|d| d.delivery.status == DeliveryStatus::Failed) =>
        {
            "failed"
        }
        _ if ds
            .iter()
            .any(|d| d.delivery.status == DeliveryStatus::Cancelled) =>
        {
            "cancelled"
        }
        _ if ds.is_empty() => "deduplicated",
        _ => "sent",
    }
}
