//! Endpoint health: probes derived from each watch's latest spec version, state per
//! endpoint with flap suppression, uptime and latency percentiles from mergeable hourly
//! sketches, and certificate expiry per https host.
//!
//! `endpoints` (what to probe) → `prober` (when, how, committing results) → `state`
//! (up / down with thresholds) → `rollup` + `sketch` (aggregates) → `query` (what the
//! CLI, API, page and metrics read). `cert` reads certificate expiry.

pub mod cert;
pub mod endpoints;
pub mod metrics;
pub mod prober;
pub mod query;
pub mod rollup;
pub mod sketch;
pub mod state;

pub use prober::{ProberHandle, start};
