//! Alerting: what the daemon observes becomes events (committed with the poll that
//! raised them), routed to sinks through a durable outbox with retries and a history
//! of every attempt.

pub mod dispatch;
pub mod engine;
pub mod events;
pub mod notify;
pub mod payload;
pub mod route;
pub mod silences;
pub mod test_alert;

pub use engine::AlertEngine;
