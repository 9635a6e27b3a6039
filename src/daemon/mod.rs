//! The long-running daemon: scheduler loop, hot reload, signals, shutdown.
