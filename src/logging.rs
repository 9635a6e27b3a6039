//! Logging setup (tracing-subscriber): text or JSON.
