//! Records of the alert outbox: alerts (events as committed), notifications (grouped
//! alerts for one route), deliveries (one per notification and sink) and attempts.

use serde::{Deserialize, Serialize};

use super::types::Millis;
use crate::notification::{AlertPayload, EventPayload, WatchRef};

/// An event to commit with a poll (or a health check), in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAlert {
    /// The watch it is about.
    pub watch: WatchRef,
    /// The event.
    pub event: EventPayload,
}

/// Where an alert stands in routing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Routing {
    /// Not routed yet; `done` lists the routes whose group already took it.
    New {
        /// Routes already flushed with this alert.
        #[serde(default)]
        done: Vec<String>,
    },
    /// Routed; notifications were created (or the routes deduplicated it).
    Routed {
        /// Routes that took it.
        routes: Vec<String>,
    },
    /// A silence matched: recorded, never delivered.
    Silenced {
        /// The silence's comment.
        comment: String,
    },
    /// No route matched.
    Unrouted,
}

/// One committed event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertRecord {
    /// 1, 2, 3 … per store.
    pub id: u64,
    /// When it was committed.
    pub created_at: Millis,
    /// The watch.
    pub watch: WatchRef,
    /// The event.
    pub event: EventPayload,
    /// Routing state.
    pub routing: Routing,
    /// Notifications that carry it.
    #[serde(default)]
    pub notifications: Vec<u64>,
}

/// A notification to create: alerts grouped for one route, sent to the route's sinks.
#[derive(Debug, Clone)]
pub struct NewNotification {
    /// Route name.
    pub route: String,
    /// Sinks to deliver to.
    pub sinks: Vec<String>,
    /// The alerts it carries.
    pub alert_ids: Vec<u64>,
    /// The document; `id` and `idempotency_key` are filled in by the store.
    pub payload: AlertPayload,
}

/// A stored notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationRecord {
    /// 1, 2, 3 … per store.
    pub id: u64,
    /// When it was created.
    pub created_at: Millis,
    /// Route name.
    pub route: String,
    /// The alerts it carries.
    pub alert_ids: Vec<u64>,
    /// Its deliveries.
    pub deliveries: Vec<u64>,
    /// The document (per delivery, `idempotency_key` is the delivery's).
    pub payload: AlertPayload,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Queued or being retried.
    Pending,
    /// Delivered.
    Sent,
    /// Gave up (dead letter); `specwatch alert redrive` queues it again.
    Failed,
    /// Cancelled before it was sent: its sink was removed from the config, or
    /// `specwatch alert cancel`.
    Cancelled,
}

impl DeliveryStatus {
    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Cancelled => "cancelled",
        }
    }
}

/// One (notification, sink) pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRecord {
    /// 1, 2, 3 … per store; also the queue order.
    pub id: u64,
    /// The notification.
    pub notification: u64,
    /// The sink's name.
    pub sink: String,
    /// When it was queued.
    pub created_at: Millis,
    /// Status.
    pub status: DeliveryStatus,
    /// Attempts made (unavailable sinks do not count).
    pub attempts: u32,
    /// Not before this time.
    pub next_attempt_at: Millis,
    /// Stable across retries; sent as `Idempotency-Key`.
    pub idempotency_key: String,
    /// Last error, if any.
    pub last_error: Option<String>,
    /// When it was sent or given up.
    pub finished_at: Option<Millis>,
}

/// How one attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptOutcome {
    /// Delivered.
    Ok,
    /// Failed; will be retried.
    Transient,
    /// Failed; not retried.
    Permanent,
    /// The sink is not available (e.g. plugin file removed); waits without using an attempt.
    Unavailable,
    /// Not attempted: the delivery was cancelled (the detail says why).
    Cancelled,
}

/// One delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptRecord {
    /// When it started.
    pub at: Millis,
    /// How long it took.
    pub latency_ms: u64,
    /// Receiver's status code, if any.
    pub status: Option<u16>,
    /// How it ended.
    pub outcome: AttemptOutcome,
    /// The error or the receiver's reply.
    pub detail: String,
}

/// The result of one attempt, to record: the delivery's new state plus the attempt.
#[derive(Debug, Clone)]
pub struct AttemptResult {
    /// The delivery (with status, attempts, next_attempt_at, last_error updated).
    pub delivery: DeliveryRecord,
    /// The attempt.
    pub attempt: AttemptRecord,
}

/// A condition that is still firing on a route (for repeats and resolution).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiringRecord {
    /// Route name.
    pub route: String,
    /// Condition fingerprint.
    pub fingerprint: String,
    /// The alert that opened it.
    pub alert_id: u64,
    /// Watch name.
    pub watch: String,
    /// When it was last notified.
    pub last_notified_at: Millis,
}

/// A change to the firing set, applied with a routing batch.
#[derive(Debug, Clone)]
pub enum FiringChange {
    /// Opens or refreshes a condition.
    Upsert(FiringRecord),
    /// Closes a condition.
    Remove {
        /// Route name.
        route: String,
        /// Condition fingerprint.
        fingerprint: String,
    },
}

/// Everything one routing pass writes, in one transaction.
#[derive(Debug, Clone, Default)]
pub struct RoutingBatch {
    /// New routing states of alerts.
    pub alerts: Vec<(u64, Routing)>,
    /// Notifications to create (with their deliveries).
    pub notifications: Vec<NewNotification>,
    /// Firing-set changes.
    pub firing: Vec<FiringChange>,
}

impl RoutingBatch {
    /// True when there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.alerts.is_empty() && self.notifications.is_empty() && self.firing.is_empty()
    }
}

/// A queued delivery with its document, ready to send.
#[derive(Debug, Clone)]
pub struct QueuedDelivery {
    /// The delivery.
    pub delivery: DeliveryRecord,
    /// The alerts its notification carries (`specwatch alert redrive` takes one).
    pub alert_ids: Vec<u64>,
    /// Its notification's document, with this delivery's idempotency key.
    pub payload: AlertPayload,
}

/// Which pending deliveries to cancel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelTarget {
    /// Those of the alert with this id.
    Alert(u64),
    /// Every one queued for this sink.
    Sink(String),
}

/// An alert with everything that happened to it, for `specwatch alerts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertHistory {
    /// The alert.
    pub alert: AlertRecord,
    /// Overall: pending, sent, failed, silenced, unrouted or new.
    pub status: String,
    /// Its deliveries, each with its attempts.
    pub deliveries: Vec<DeliveryHistory>,
}

/// A delivery and its attempts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryHistory {
    /// The delivery.
    #[serde(flatten)]
    pub delivery: DeliveryRecord,
    /// Route of its notification.
    pub route: String,
    /// Every attempt, oldest first.
    pub attempts: Vec<AttemptRecord>,
}

/// Filter of `specwatch alerts`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AlertQuery {
    /// Only this watch.
    pub watch: Option<String>,
    /// Only this overall status.
    pub status: Option<String>,
    /// Only alerts created at or after this time.
    pub since: Option<Millis>,
    /// Most alerts returned (newest first).
    pub limit: usize,
    /// Only alerts with a smaller id (the cursor of the previous page).
    #[serde(default)]
    pub before: Option<u64>,
}
