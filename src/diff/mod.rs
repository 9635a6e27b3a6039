//! Diff engine: compares two normalized specs with a registry of rules.

pub mod change;
pub mod context;
pub mod filter;
pub mod output;
pub mod rules;
pub mod schema;

pub use change::{Change, Level, Report, Summary};
