//! Command-line interface (clap).
pub mod rules;
