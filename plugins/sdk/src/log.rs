//! The daemon's log (`host.log`), tagged by the host with plugin and sink. Never log
//! secrets: webhook URLs, tokens and keys are all credentials.

use crate::bindings::specwatch::sink::host::{self, LogLevel};

/// Debug line.
pub fn debug(msg: &str) {
    host::log(LogLevel::Debug, msg);
}

/// Info line.
pub fn info(msg: &str) {
    host::log(LogLevel::Info, msg);
}

/// Warning line.
pub fn warn(msg: &str) {
    host::log(LogLevel::Warn, msg);
}

/// Error line.
pub fn error(msg: &str) {
    host::log(LogLevel::Error, msg);
}
