//! Scheduling: schedule parsing, next fire times with jitter, and concurrency caps.

pub mod limits;
pub mod runner;
pub mod schedule;
