//! Command-line interface (clap).
pub mod diff;
pub mod rules;
