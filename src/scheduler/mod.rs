//! Scheduling: runs each watch on its schedule (parsed in `crate::schedule`) under concurrency caps.

pub mod limits;
pub mod runner;
