//! Where notifications go. A [`Sink`] delivers one notification once; the alert
//! dispatcher owns retries, backoff, ordering and history, so builtin sinks
//! (webhook, email) and WASM plugin sinks are interchangeable behind this trait.

pub mod build;
pub mod email;
pub mod templated;
pub mod webhook;

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;

use crate::notification::AlertPayload;

/// One delivery attempt of one notification to one sink.
#[derive(Debug, Clone)]
pub struct Delivery<'a> {
    /// The notification.
    pub payload: &'a AlertPayload,
    /// `payload` serialized as JSON (the exact bytes a webhook POSTs).
    pub body: &'a [u8],
    /// Stable across retries of this (notification, sink) pair.
    pub idempotency_key: &'a str,
    /// 1 for the first attempt.
    pub attempt: u32,
}

/// A successful delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryReport {
    /// HTTP status (or SMTP reply code) of the receiver, if any.
    pub status: Option<u16>,
    /// Short human detail, e.g. the receiver's reply (no secrets).
    pub detail: String,
}

/// Why a delivery failed; decides whether the dispatcher retries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SinkError {
    /// Worth retrying: timeouts, connection errors, 408 / 429 / 5xx.
    #[error("transient: {message}")]
    Transient {
        /// What failed (receiver's status and reply, or the I/O error).
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// The receiver's `Retry-After`, if it sent one.
        retry_after: Option<Duration>,
    },
    /// Retrying cannot help: other 4xx, rejected payload.
    #[error("permanent: {message}")]
    Permanent {
        /// What failed.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
    },
    /// The sink's configuration is wrong (fix the config, then `alert redrive`).
    #[error("invalid sink config: {0}")]
    InvalidConfig(String),
    /// The sink is not available right now (e.g. its plugin file was removed): the
    /// delivery waits without using up attempts.
    #[error("sink unavailable: {0}")]
    Unavailable(String),
}

impl SinkError {
    /// The receiver's status code, if one arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            SinkError::Transient { status, .. } | SinkError::Permanent { status, .. } => *status,
            _ => None,
        }
    }
}

/// A place notifications are delivered to.
pub trait Sink: Send + Sync {
    /// The sink's name from the config.
    fn name(&self) -> &str;

    /// `webhook`, `email` or `plugin:<name>`.
    fn kind(&self) -> String;

    /// Delivers once. Must not retry internally and must finish within its own timeout.
    fn deliver<'a>(
        &'a self,
        delivery: &'a Delivery<'a>,
    ) -> BoxFuture<'a, Result<DeliveryReport, SinkError>>;
}

/// A shared sink.
pub type SharedSink = Arc<dyn Sink>;

/// Bytes of a receiver's reply kept in an error or report.
pub(crate) const EXCERPT_BYTES: usize = 300;

/// Classifies an HTTP status the way every HTTP sink does: 2xx ok, 408 / 425 / 429 /
/// 5xx transient, any other status permanent.
pub fn classify_status(status: u16) -> Result<(), bool> {
    match status {
        200..=299 => Ok(()),
        408 | 425 | 429 | 500..=599 => Err(true),
        _ => Err(false),
    }
}

/// Parses a `Retry-After` header: delay-seconds or an HTTP date. Capped at one hour.
pub fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let v = value.trim();
    let d = if let Ok(secs) = v.parse::<u64>() {
        Duration::from_secs(secs)
    } else {
        let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
        let at = std::time::UNIX_EPOCH + Duration::from_secs(u64::try_from(at.timestamp()).ok()?);
        at.duration_since(now).unwrap_or(Duration::ZERO)
    };
    Some(d.min(Duration::from_secs(3600)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_classify_as_documented() {
        assert_eq!(classify_status(202), Ok(()));
        assert_eq!(classify_status(503), Err(true));
        assert_eq!(classify_status(429), Err(true));
        assert_eq!(classify_status(408), Err(true));
        assert_eq!(classify_status(400), Err(false));
        assert_eq!(classify_status(404), Err(false));
        assert_eq!(classify_status(301), Err(false));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = std::time::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 09 Sep 2001 01:46:50 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("999999", now),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
