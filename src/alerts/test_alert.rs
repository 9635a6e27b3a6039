//! A test alert sent straight to one sink, outside the outbox: `specwatch alert test
//! SINK` (sinks built from the file) and the API's "test a sink" (the daemon's running
//! sinks) both go through [`send`], so both send the same payload and read the same way.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::alerts::notify::{Draft, build};
use crate::diff::Level;
use crate::notification::{AlertStatus, EventKind, WatchRef};
use crate::sinks::{Delivery, SharedSink, SinkError};

/// Longest wait for the sink's answer.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// What a test delivery did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestOutcome {
    /// The sink.
    pub sink: String,
    /// When it was sent (ms since the epoch).
    pub at: i64,
    /// Delivered.
    pub ok: bool,
    /// Receiver's status (HTTP or SMTP code), if any.
    pub status: Option<u16>,
    /// `delivered`, `transient`, `permanent`, `invalid_config`, `unavailable` or `timeout`.
    pub result: &'static str,
    /// The receiver's reply or the error (no secrets: sinks redact their errors).
    pub detail: String,
    /// How long it took.
    pub latency_ms: u64,
}

/// Sends one test alert (event `test`, level info) to `sink` named `name`; `origin`
/// names who asked, in the message.
pub async fn send(
    sink: &SharedSink,
    name: &str,
    origin: &str,
    public_url: Option<&str>,
    now: i64,
) -> TestOutcome {
    let watch = WatchRef {
        name: "specwatch-test".into(),
        provider: Some("specwatch".into()),
        product: Some("alert test".into()),
        ..WatchRef::default()
    };
    let event = crate::alerts::events::plain(
        EventKind::Test,
        Level::Info,
        crate::alerts::events::fingerprint(&["test", name, &now.to_string()]),
        format!("Test alert from {origin}: if you read this, the sink works."),
        now,
    );
    let mut payload = build(Draft {
        route: "test",
        watch: &watch,
        events: vec![event],
        status: AlertStatus::Firing,
        repeat: false,
        public_url,
        now,
    });
    payload.id = format!("test-{now}");
    payload.idempotency_key = format!("test-{name}-{now}");
    let body = serde_json::to_vec(&payload).unwrap_or_default();
    let d = Delivery {
        payload: &payload,
        body: &body,
        idempotency_key: &payload.idempotency_key,
        attempt: 1,
    };
    let started = Instant::now();
    let outcome = tokio::time::timeout(TIMEOUT, sink.deliver(&d)).await;
    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let (ok, status, result, detail) = match outcome {
        Ok(Ok(r)) => (true, r.status, "delivered", r.detail),
        Ok(Err(e)) => {
            let status = e.status();
            let result = match e {
                SinkError::Transient { .. } => "transient",
                SinkError::Permanent { .. } => "permanent",
                SinkError::InvalidConfig(_) => "invalid_config",
                SinkError::Unavailable(_) => "unavailable",
            };
            (false, status, result, e.to_string())
        }
        Err(_) => (
            false,
            None,
            "timeout",
            format!("no answer within {} s", TIMEOUT.as_secs()),
        ),
    };
    TestOutcome {
        sink: name.to_string(),
        at: now,
        ok,
        status,
        result,
        detail,
        latency_ms,
    }
}
