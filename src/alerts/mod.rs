//! Alerting: what the daemon observes becomes events, routed to sinks through a
//! durable outbox with retries and a history of every attempt.

pub mod payload;
