//! Wall-clock time as stored and compared everywhere: milliseconds since the Unix epoch.
//! A leaf: every stage may use it.

/// Milliseconds since the Unix epoch (0 if the clock is before it).
pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
