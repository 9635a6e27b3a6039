//! specwatch: watches third-party OpenAPI / Swagger specs, stores every version,
//! diffs them and alerts on breaking changes.
//!
//! The modules follow the data flow:
//! `config` → `scheduler` → `fetch` → `spec` → `diff` → `store` → (`alerts` → `sinks`) → `web`,
//! with `health` probing the endpoints of each stored spec beside the polls,
//! with `pipeline` gluing one poll together, `query` the read model that the control socket
//! and `web` read through, `daemon` running it all and `cli` at the edge. Leaves that every
//! stage may use: `units`, `clock`, `error_chain`, `redact`, `metrics`, `schedule`, `notification`.
//! Which module may use which is one table, checked by `tests/it/architecture.rs` and shown in
//! `docs/architecture.md`.

pub mod alerts;
pub mod cli;
pub mod clock;
pub mod config;
pub mod control;
pub mod daemon;
pub mod diff;
pub mod error_chain;
pub mod explain;
pub mod fetch;
pub mod health;
pub mod logging;
pub mod metrics;
pub mod notification;
pub mod pipeline;
pub mod plugin_host;
pub mod query;
pub mod redact;
pub mod schedule;
pub mod scheduler;
pub mod sinks;
pub mod spec;
pub mod store;
pub mod units;
pub mod web;
