//! Human-readable durations and sizes.
