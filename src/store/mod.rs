//! The embedded store (redb): watch state, versions (zstd deltas) and the poll log.
//! This module is the only place that touches redb.

pub mod types;

pub use types::*;
