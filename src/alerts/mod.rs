//! Alerting: what the daemon observes becomes events (committed with the poll that
//! raised them), routed to sinks through a durable outbox with retries and a history
//! of every attempt.

pub mod dispatch;
pub mod events;
pub mod hold;
pub mod notify;
pub mod route;
pub mod runner;
pub mod silences;
pub mod test_alert;

pub use runner::AlertEngine;

#[cfg(test)]
mod outbox_tests;
