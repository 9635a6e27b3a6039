//! The outbox's storage contract (the store's API as alerting drives it): alerts commit with their poll, routing creates
//! deliveries queued per sink in creation order, attempts finish them, redrive
//! re-queues dead letters, retention drops only finished history.

use crate::alerts::events::plain;
use crate::alerts::notify::{Draft, build};
use crate::diff::Level;
use crate::notification::{AlertStatus, EventKind, WatchRef};
use crate::store::*;

fn alert(watch: &str, fp: &str) -> NewAlert {
    NewAlert {
        watch: WatchRef {
            name: watch.into(),
            ..WatchRef::default()
        },
        event: plain(EventKind::ApiChanged, Level::Info, fp.into(), "s".into(), 0),
    }
}

fn poll_with(alerts: Vec<NewAlert>, at: Millis) -> PollCommit {
    PollCommit {
        state: WatchState::default(),
        record: PollRecord {
            at,
            duration_ms: 1,
            http_status: Some(304),
            outcome: PollOutcome::Unchanged { not_modified: true },
        },
        new_version: None,
        alerts,
    }
}

fn notification(a: &AlertRecord, sinks: &[&str]) -> NewNotification {
    NewNotification {
        route: "r".into(),
        sinks: sinks.iter().map(|s| s.to_string()).collect(),
        alert_ids: vec![a.id],
        payload: build(Draft {
            route: "r",
            watch: &a.watch,
            events: vec![a.event.clone()],
            status: AlertStatus::Firing,
            repeat: false,
            public_url: None,
            now: 0,
        }),
    }
}

fn finish(store: &Store, q: &QueuedDelivery, status: DeliveryStatus) {
    let mut d = q.delivery.clone();
    d.status = status;
    d.attempts += 1;
    d.finished_at = Some(1);
    store
        .record_attempts(&[AttemptResult {
            delivery: d,
            attempt: AttemptRecord {
                at: 1,
                latency_ms: 1,
                status: Some(200),
                outcome: AttemptOutcome::Ok,
                detail: "ok".into(),
            },
        }])
        .unwrap();
}

#[test]
fn alerts_route_into_ordered_queues_and_finish() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .commit_poll("a", poll_with(vec![alert("a", "1"), alert("a", "2")], 10))
        .unwrap();
    let new = store.new_alerts().unwrap();
    assert_eq!(new.iter().map(|a| a.id).collect::<Vec<_>>(), [1, 2]);
    let batch = RoutingBatch {
        alerts: new
            .iter()
            .map(|a| {
                (
                    a.id,
                    Routing::Routed {
                        routes: vec!["r".into()],
                    },
                )
            })
            .collect(),
        notifications: new.iter().map(|a| notification(a, &["x", "y"])).collect(),
        firing: vec![],
    };
    store.apply_routing(batch, 20).unwrap();
    assert!(store.new_alerts().unwrap().is_empty());
    assert_eq!(store.queued_sinks().unwrap(), ["x", "y"]);
    let x = store.queue_head("x", 10).unwrap();
    assert_eq!(x.len(), 2);
    assert!(x[0].delivery.id < x[1].delivery.id, "creation order");
    assert_eq!(x[0].payload.idempotency_key, x[0].delivery.idempotency_key);
    let y = store.queue_head("y", 10).unwrap();
    assert_ne!(x[0].delivery.idempotency_key, y[0].delivery.idempotency_key);

    finish(&store, &x[0], DeliveryStatus::Sent);
    finish(&store, &x[1], DeliveryStatus::Failed);
    assert!(store.queue_head("x", 10).unwrap().is_empty());
    let h = store.alert_history(&AlertQuery::default()).unwrap();
    assert_eq!(h[0].alert.id, 2, "newest first");
    assert_eq!(h[0].status, "pending", "y still queued");

    // Redrive puts the failed x delivery of alert 2 back, with its key.
    assert_eq!(store.redrive(Some(2), 30).unwrap(), 1);
    let again = store.queue_head("x", 10).unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(
        again[0].delivery.idempotency_key,
        x[1].delivery.idempotency_key
    );
    assert_eq!(again[0].delivery.attempts, 0);
    assert_eq!(store.redrive(None, 30).unwrap(), 0, "nothing else failed");
}

#[test]
fn retention_drops_only_finished_old_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .commit_alerts(&[alert("a", "1"), alert("b", "2")], 10)
        .unwrap();
    let new = store.new_alerts().unwrap();
    store
        .apply_routing(
            RoutingBatch {
                alerts: vec![
                    (
                        1,
                        Routing::Routed {
                            routes: vec!["r".into()],
                        },
                    ),
                    (
                        2,
                        Routing::Routed {
                            routes: vec!["r".into()],
                        },
                    ),
                ],
                notifications: new.iter().map(|a| notification(a, &["x"])).collect(),
                firing: vec![],
            },
            10,
        )
        .unwrap();
    let q = store.queue_head("x", 10).unwrap();
    finish(&store, &q[0], DeliveryStatus::Sent);
    // Alert 2 is still pending: kept even though it is old.
    assert_eq!(store.prune_alerts(1_000).unwrap(), 1);
    let h = store.alert_history(&AlertQuery::default()).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].alert.id, 2);
    assert_eq!(store.queue_head("x", 10).unwrap().len(), 1);
    let only_b = store
        .alert_history(&AlertQuery {
            watch: Some("a".into()),
            ..AlertQuery::default()
        })
        .unwrap();
    assert!(only_b.is_empty());
}
