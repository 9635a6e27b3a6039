//! Local control socket so CLI commands work while the daemon holds the store.
