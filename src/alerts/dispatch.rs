//! Delivery: one worker per sink takes its queue in creation order, sends a batch
//! concurrently, and records every attempt with the delivery's new state in one
//! transaction. Transient failures back off exponentially with jitter (or as long as
//! the receiver's `Retry-After` says), and while the head of a sink's queue waits, the
//! sink waits: order per sink follows creation order.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use tokio::sync::{Notify, watch};
use tracing::{debug, info, warn};

use crate::alerts::hold;
use crate::clock::now_millis;
use crate::config::alerts::{Alerting, AlertsConfig};
use crate::sinks::{Delivery, SharedSink, SinkError};
use crate::store::{
    AttemptOutcome, AttemptRecord, AttemptResult, DeliveryStatus, QueuedDelivery, Store,
};

/// Deliveries a sink sends at once.
pub const BATCH: usize = 64;

/// How long an unavailable sink (plugin missing, config rejected) waits per try.
const UNAVAILABLE_WAIT: Duration = Duration::from_secs(2);

/// The sinks by name (replaced on reload).
pub type SinkMap = Arc<RwLock<HashMap<String, SharedSink>>>;

/// Delay before retry number `attempts + 1`: `initial · 2^(attempts-1)`, capped, with
/// ±20 % jitter so many failed deliveries don't retry in lockstep.
pub fn backoff(cfg: &AlertsConfig, attempts: u32) -> Duration {
    let exp = attempts.saturating_sub(1).min(30);
    let base = cfg
        .backoff_initial
        .saturating_mul(1u32 << exp)
        .min(cfg.backoff_max);
    base.mul_f64(0.8 + fastrand::f64() * 0.4)
}

/// What one attempt means for its delivery.
pub fn settle(
    cfg: &AlertsConfig,
    q: &QueuedDelivery,
    outcome: Result<crate::sinks::DeliveryReport, SinkError>,
    started_at: i64,
    latency: Duration,
) -> AttemptResult {
    let now = now_millis();
    let mut d = q.delivery.clone();
    let latency_ms = latency.as_millis() as u64;
    let (kind, status, detail) = match &outcome {
        Ok(r) => (AttemptOutcome::Ok, r.status, r.detail.clone()),
        Err(e @ SinkError::Transient { .. }) => {
            (AttemptOutcome::Transient, e.status(), e.to_string())
        }
        Err(e @ SinkError::Unavailable(_)) => (AttemptOutcome::Unavailable, None, e.to_string()),
        Err(e) => (AttemptOutcome::Permanent, e.status(), e.to_string()),
    };
    match kind {
        AttemptOutcome::Ok => {
            d.attempts += 1;
            d.status = DeliveryStatus::Sent;
            d.finished_at = Some(now);
            d.last_error = None;
        }
        AttemptOutcome::Permanent => {
            d.attempts += 1;
            d.status = DeliveryStatus::Failed;
            d.finished_at = Some(now);
            d.last_error = Some(detail.clone());
        }
        AttemptOutcome::Transient => {
            d.attempts += 1;
            d.last_error = Some(detail.clone());
            let age = Duration::from_millis(u64::try_from(now - d.created_at).unwrap_or(0));
            if d.attempts >= cfg.max_attempts || age >= cfg.max_age {
                d.status = DeliveryStatus::Failed;
                d.finished_at = Some(now);
            } else {
                let retry_after = match &outcome {
                    Err(SinkError::Transient { retry_after, .. }) => *retry_after,
                    _ => None,
                };
                let wait = backoff(cfg, d.attempts).max(retry_after.unwrap_or_default());
                d.next_attempt_at = now + wait.as_millis() as i64;
            }
        }
        // An attempt never ends cancelled (only `Store::cancel` records that).
        AttemptOutcome::Unavailable | AttemptOutcome::Cancelled => {
            // Waits for the sink to come back; does not use up attempts or age out.
            d.last_error = Some(detail.clone());
            d.next_attempt_at = now + UNAVAILABLE_WAIT.as_millis() as i64;
        }
    }
    AttemptResult {
        delivery: d,
        attempt: AttemptRecord {
            at: started_at,
            latency_ms,
            status,
            outcome: kind,
            detail,
        },
    }
}

/// Pending deliveries a sink that holds (rate limit, digest) looks at: held ones stay
/// at the head of its queue, and those behind them must still be seen.
const HOLDING_BATCH: usize = 2_000;

/// Runs one sink's queue until shutdown.
pub async fn run_sink(
    store: Arc<Store>,
    sink_name: String,
    sinks: SinkMap,
    alerting: Arc<RwLock<Alerting>>,
    cfg: Arc<RwLock<AlertsConfig>>,
    wake: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut window = hold::Window::default();
    let mut started = true;
    loop {
        if *shutdown.borrow() {
            return;
        }
        let policy = hold::Policy::of(
            &alerting.read().unwrap_or_else(|p| p.into_inner()),
            &sink_name,
        );
        let limit = if policy.holds() { HOLDING_BATCH } else { BATCH };
        let head = {
            let store = store.clone();
            let name = sink_name.clone();
            tokio::task::spawn_blocking(move || store.queue_head(&name, limit)).await
        };
        let head = match head {
            Ok(Ok(h)) => h,
            Ok(Err(e)) => {
                warn!(sink = %sink_name, error = %e, "cannot read the delivery queue; retrying in 5s");
                sleep_or(&wake, &mut shutdown, Duration::from_secs(5)).await;
                continue;
            }
            Err(_) => return,
        };
        let now = now_millis();
        // Creation order: stop at the first delivery that is not due yet.
        let due: Vec<QueuedDelivery> = head
            .iter()
            .take_while(|q| q.delivery.next_attempt_at <= now)
            .cloned()
            .collect();
        if std::mem::take(&mut started)
            && let Some(r) = policy.rate_limit
        {
            // A restart in the middle of a burst (more queued than the limit allows)
            // must not send another burst: the recent sends are not stored, so the
            // window starts full.
            window.assume_full(r, due.len(), now);
        }
        if due.is_empty() {
            let wait = head.first().map_or(Duration::from_secs(60), |q| {
                Duration::from_millis(u64::try_from(q.delivery.next_attempt_at - now).unwrap_or(0))
            });
            sleep_or(&wake, &mut shutdown, wait).await;
            continue;
        }
        let (due, together) = if policy.holds() {
            let decision = hold::decide(&policy, &mut window, due, now, hold::digest_clock(now));
            if decision.single.is_empty() && decision.together.is_empty() {
                // Everything due is held: look again when the digest or a slot is due.
                let at = decision.wake_at.unwrap_or(now + 60_000);
                let mut wait = Duration::from_millis(u64::try_from(at - now).unwrap_or(0).max(10));
                if hold::test_clock() {
                    wait = wait.min(Duration::from_millis(200));
                }
                sleep_or(&wake, &mut shutdown, wait).await;
                continue;
            }
            (decision.single, decision.together)
        } else {
            (due, Vec::new())
        };
        let sink = sinks
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&sink_name)
            .cloned();
        let cfg_now = cfg.read().unwrap_or_else(|p| p.into_inner()).clone();
        let mut results = join_all(
            due.iter()
                .map(|q| attempt(&sink_name, sink.as_ref(), &cfg_now, q)),
        )
        .await;
        // Each message sent takes a slot of the rate limit: one per single, one per batch.
        for _ in 0..due.len() + together.len() {
            window.sent(now);
        }
        let mut due = due;
        for (why, members) in together {
            let r =
                attempt_together(&sink_name, sink.as_ref(), &cfg_now, why, &policy, &members).await;
            results.extend(r);
            due.extend(members);
        }
        for (q, r) in due.iter().zip(&results) {
            log_attempt(&sink_name, q, r);
            let outcome = match r.attempt.outcome {
                AttemptOutcome::Ok => "ok",
                AttemptOutcome::Transient => "transient",
                AttemptOutcome::Permanent => "permanent",
                AttemptOutcome::Unavailable => "unavailable",
                AttemptOutcome::Cancelled => "cancelled",
            };
            crate::metrics::METRICS.delivery(&sink_name, outcome);
        }
        let unavailable = results
            .iter()
            .all(|r| r.attempt.outcome == AttemptOutcome::Unavailable);
        // A sink that stays unavailable for the same reason is one waiting state, not an
        // attempt row (and a durable write) per check.
        let results: Vec<AttemptResult> = due
            .iter()
            .zip(results)
            .filter(|(q, r)| !still_waiting(q, r))
            .map(|(_, r)| r)
            .collect();
        let store2 = store.clone();
        let recorded = tokio::task::spawn_blocking(move || store2.record_attempts(&results)).await;
        match recorded {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                // Not recorded: the deliveries stay queued and are sent again (at least once).
                warn!(sink = %sink_name, error = %e, "cannot record delivery attempts; they will be retried");
                sleep_or(&wake, &mut shutdown, Duration::from_secs(1)).await;
            }
            Err(_) => return,
        }
        if unavailable {
            sleep_or(&wake, &mut shutdown, UNAVAILABLE_WAIT).await;
        }
    }
}

/// True when `r` says the delivery is unavailable for the reason already recorded.
fn still_waiting(q: &QueuedDelivery, r: &AttemptResult) -> bool {
    r.attempt.outcome == AttemptOutcome::Unavailable
        && q.delivery.last_error.as_deref() == Some(r.attempt.detail.as_str())
}

/// The command that queues a dead delivery again (`alert redrive` takes an alert id).
fn redrive_hint(q: &QueuedDelivery) -> String {
    match q.alert_ids.first() {
        Some(id) => format!("`specwatch alert redrive {id}` retries it"),
        None => "`specwatch alert redrive --failed` retries it".to_string(),
    }
}

/// Sends `members` as one message (a digest or a rate-limit summary); every member
/// records the outcome.
async fn attempt_together(
    sink_name: &str,
    sink: Option<&SharedSink>,
    cfg: &AlertsConfig,
    why: hold::Batch,
    policy: &hold::Policy,
    members: &[QueuedDelivery],
) -> Vec<AttemptResult> {
    let started_at = now_millis();
    let clock = Instant::now();
    let payload = hold::summary(sink_name, why, policy, members, started_at);
    let outcome = match (sink, serde_json::to_vec(&payload)) {
        (None, _) => Err(SinkError::Unavailable(format!(
            "sink {sink_name:?} is not in the configuration; the delivery waits until it is"
        ))),
        (Some(sink), Ok(body)) => {
            let d = Delivery {
                payload: &payload,
                body: &body,
                idempotency_key: &payload.idempotency_key,
                attempt: members
                    .iter()
                    .map(|q| q.delivery.attempts)
                    .max()
                    .unwrap_or(0)
                    + 1,
            };
            sink.deliver(&d).await
        }
        (Some(_), Err(e)) => Err(SinkError::Permanent {
            message: format!("the alert document does not serialize: {e}"),
            status: None,
        }),
    };
    let what = match why {
        hold::Batch::Digest => "digest",
        hold::Batch::RateLimited => "rate-limit summary",
    };
    let latency = clock.elapsed();
    members
        .iter()
        .map(|q| {
            let mut r = settle(cfg, q, outcome.clone(), started_at, latency);
            r.attempt.detail = format!(
                "in a {what} of {} ({}): {}",
                members.len(),
                payload.id,
                r.attempt.detail
            );
            r
        })
        .collect()
}

async fn attempt(
    sink_name: &str,
    sink: Option<&SharedSink>,
    cfg: &AlertsConfig,
    q: &QueuedDelivery,
) -> AttemptResult {
    let started_at = now_millis();
    let clock = Instant::now();
    let outcome = match sink {
        None => Err(SinkError::Unavailable(format!(
            "sink {sink_name:?} is not in the configuration; the delivery waits until it is"
        ))),
        Some(sink) => match serde_json::to_vec(&q.payload) {
            Ok(body) => {
                let d = Delivery {
                    payload: &q.payload,
                    body: &body,
                    idempotency_key: &q.delivery.idempotency_key,
                    attempt: q.delivery.attempts + 1,
                };
                sink.deliver(&d).await
            }
            Err(e) => Err(SinkError::Permanent {
                message: format!("the alert document does not serialize: {e}"),
                status: None,
            }),
        },
    };
    settle(cfg, q, outcome, started_at, clock.elapsed())
}

fn log_attempt(sink: &str, q: &QueuedDelivery, r: &AttemptResult) {
    let d = &r.delivery;
    match (r.attempt.outcome, d.status) {
        (AttemptOutcome::Ok, _) => debug!(
            sink,
            delivery = d.id,
            latency_ms = r.attempt.latency_ms,
            "alert delivered"
        ),
        (_, DeliveryStatus::Failed) => warn!(
            sink,
            delivery = d.id,
            attempts = d.attempts,
            error = %r.attempt.detail,
            "alert delivery failed for good; {}",
            redrive_hint(q)
        ),
        (AttemptOutcome::Unavailable, _) => {
            debug!(sink, delivery = d.id, error = %r.attempt.detail, "sink unavailable; delivery waits")
        }
        _ => {
            info!(sink, delivery = d.id, attempts = d.attempts, error = %r.attempt.detail, "alert delivery failed; will retry")
        }
    }
}

/// Sleeps for `d`, or until woken or shut down.
pub(crate) async fn sleep_or(wake: &Notify, shutdown: &mut watch::Receiver<bool>, d: Duration) {
    tokio::select! {
        _ = tokio::time::sleep(d) => {}
        _ = wake.notified() => {}
        _ = shutdown.changed() => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::notify::{Draft, build};
    use crate::diff::Level;
    use crate::notification::{AlertStatus, EventKind, WatchRef};
    use crate::sinks::DeliveryReport;
    use crate::store::DeliveryRecord;

    fn queued(attempts: u32, created_at: i64) -> QueuedDelivery {
        let w = WatchRef::default();
        let e =
            crate::alerts::events::plain(EventKind::Test, Level::Info, "f".into(), "s".into(), 0);
        QueuedDelivery {
            alert_ids: vec![7],
            delivery: DeliveryRecord {
                id: 1,
                notification: 1,
                sink: "s".into(),
                created_at,
                status: DeliveryStatus::Pending,
                attempts,
                next_attempt_at: 0,
                idempotency_key: "k".into(),
                last_error: None,
                finished_at: None,
            },
            payload: build(Draft {
                route: "r",
                watch: &w,
                events: vec![e],
                status: AlertStatus::Firing,
                repeat: false,
                public_url: None,
                now: 0,
            }),
        }
    }

    fn transient(retry_after: Option<Duration>) -> Result<DeliveryReport, SinkError> {
        Err(SinkError::Transient {
            message: "503".into(),
            status: Some(503),
            retry_after,
        })
    }

    #[test]
    fn backoff_doubles_with_jitter_up_to_the_cap() {
        let cfg = AlertsConfig::default();
        for (n, secs) in [(1, 1.0), (2, 2.0), (4, 8.0), (30, 600.0)] {
            let d = backoff(&cfg, n).as_secs_f64();
            assert!(d >= secs * 0.8 && d <= secs * 1.2, "attempt {n}: {d}");
        }
    }

    #[test]
    fn outcomes_settle_as_documented() {
        let cfg = AlertsConfig::default();
        let now = now_millis();
        let ok = settle(
            &cfg,
            &queued(0, now),
            Ok(DeliveryReport {
                status: Some(200),
                detail: "ok".into(),
            }),
            now,
            Duration::ZERO,
        );
        assert_eq!(ok.delivery.status, DeliveryStatus::Sent);
        assert_eq!(ok.delivery.attempts, 1);

        let t = settle(
            &cfg,
            &queued(0, now),
            transient(Some(Duration::from_secs(30))),
            now,
            Duration::ZERO,
        );
        assert_eq!(t.delivery.status, DeliveryStatus::Pending);
        assert!(
            t.delivery.next_attempt_at >= now + 29_000,
            "Retry-After is honoured"
        );
        assert_eq!(t.attempt.status, Some(503));

        let last = settle(
            &cfg,
            &queued(cfg.max_attempts - 1, now),
            transient(None),
            now,
            Duration::ZERO,
        );
        assert_eq!(
            last.delivery.status,
            DeliveryStatus::Failed,
            "attempt budget"
        );
        let old = settle(
            &cfg,
            &queued(0, now - 2 * 86_400_000),
            transient(None),
            now,
            Duration::ZERO,
        );
        assert_eq!(old.delivery.status, DeliveryStatus::Failed, "age budget");

        let p = settle(
            &cfg,
            &queued(0, now),
            Err(SinkError::Permanent {
                message: "400 bad".into(),
                status: Some(400),
            }),
            now,
            Duration::ZERO,
        );
        assert_eq!(p.delivery.status, DeliveryStatus::Failed);
        assert!(p.delivery.last_error.unwrap().contains("400 bad"));

        let u = settle(
            &cfg,
            &queued(3, now - 2 * 86_400_000),
            Err(SinkError::Unavailable("gone".into())),
            now,
            Duration::ZERO,
        );
        assert_eq!(
            u.delivery.status,
            DeliveryStatus::Pending,
            "unavailable never ages out"
        );
        assert_eq!(u.delivery.attempts, 3);
    }

    #[test]
    fn a_dead_delivery_names_the_redrive_command_that_works() {
        let q = queued(3, now_millis());
        assert_eq!(q.delivery.id, 1);
        assert_eq!(redrive_hint(&q), "`specwatch alert redrive 7` retries it");
    }

    #[test]
    fn an_unchanged_unavailable_reason_is_not_recorded_again() {
        let now = now_millis();
        let gone = || Err(SinkError::Unavailable("plugin \"x\" is not loaded".into()));
        let first = settle(
            &AlertsConfig::default(),
            &queued(0, now),
            gone(),
            now,
            Duration::ZERO,
        );
        let fresh = queued(0, now);
        assert!(
            !still_waiting(&fresh, &first),
            "the first check is recorded"
        );
        let mut waiting = queued(0, now);
        waiting.delivery.last_error = first.delivery.last_error.clone();
        let again = settle(
            &AlertsConfig::default(),
            &waiting,
            gone(),
            now,
            Duration::ZERO,
        );
        assert!(still_waiting(&waiting, &again), "the same reason is not");
        let other = settle(
            &AlertsConfig::default(),
            &waiting,
            Err(SinkError::Unavailable("another reason".into())),
            now,
            Duration::ZERO,
        );
        assert!(!still_waiting(&waiting, &other), "a new reason is");
    }
}
