//! The allowed range of every duration, size and count in the config, in one table so the
//! reader, the docs and the tests agree. An out-of-range value is a validation error naming
//! the range; `config.example.toml` documents each one beside its key.

use crate::units::{DurationRange, SizeRange};

const S: u64 = 1000;
const MIN: u64 = 60 * S;
const H: u64 = 60 * MIN;
const D: u64 = 24 * H;

/// `[polling] shutdown_timeout`.
pub const SHUTDOWN_TIMEOUT: DurationRange = DurationRange::millis(0, H);
/// `timeout` of a watch or `[defaults]`: the whole fetch.
pub const FETCH_TIMEOUT: DurationRange = DurationRange::millis(100, H);
/// `connect_timeout` of a watch or `[defaults]`.
pub const CONNECT_TIMEOUT: DurationRange = DurationRange::millis(100, 10 * MIN);
/// `max_spec_size` of a watch or `[defaults]`: past 1 GiB a spec would not fit the daemon's memory
/// several times over while it is parsed and diffed.
pub const MAX_SPEC_SIZE: SizeRange = SizeRange {
    min: 1024,
    max: 1 << 30,
};
/// `[alerts] sunset_horizon`.
pub const SUNSET_HORIZON: DurationRange = DurationRange::millis(H, 3650 * D);
/// `[alerts] retention`.
pub const RETENTION: DurationRange = DurationRange::millis(H, 36_500 * D);
/// `[alerts] max_age`.
pub const MAX_AGE: DurationRange = DurationRange::millis(S, 365 * D);
/// `[alerts] backoff_initial`.
pub const BACKOFF_INITIAL: DurationRange = DurationRange::millis(10, H);
/// `[alerts] backoff_max`.
pub const BACKOFF_MAX: DurationRange = DurationRange::millis(10, D);
/// `timeout` of a `[[sink]]`: one delivery attempt.
pub const SINK_TIMEOUT: DurationRange = DurationRange::millis(100, 10 * MIN);
/// `group_wait` of a `[[route]]`.
pub const GROUP_WAIT: DurationRange = DurationRange::millis(0, H);
/// `repeat_interval` of a `[[route]]` (0 = never repeat).
pub const REPEAT_INTERVAL: DurationRange = DurationRange::millis(0, 365 * D);

/// A count: `(min, max)` inclusive.
pub type CountRange = (u64, u64);
/// `[storage] poll_log_len`.
pub const POLL_LOG_LEN: CountRange = (1, 1_000_000);
/// `[polling] max_concurrent` and `max_per_host`.
pub const CONCURRENCY: CountRange = (1, 10_000);
/// `pause_after_failures` of a watch or `[defaults]` (0 = never pause).
pub const PAUSE_AFTER_FAILURES: CountRange = (0, 1_000_000);
/// `[alerts] poll_failing_after` (0 = never).
pub const POLL_FAILING_AFTER: CountRange = (0, 1_000_000);
/// `[alerts] max_attempts`.
pub const MAX_ATTEMPTS: CountRange = (1, 1_000);

/// `timeout` of `[watch.health]`: one probe.
pub const PROBE_TIMEOUT: DurationRange = DurationRange::millis(100, 10 * MIN);
/// `degraded_latency` of `[watch.health]`.
pub const DEGRADED_LATENCY: DurationRange = DurationRange::millis(1, 10 * MIN);
/// `failure_threshold` and `success_threshold` of `[watch.health]`.
pub const HEALTH_THRESHOLD: CountRange = (1, 1000);
/// `cert_expiry_warning` of `[watch.health]`.
pub const CERT_EXPIRY_WARNING: DurationRange = DurationRange::millis(0, 365 * D);
/// `[defaults.health] raw_retention`.
pub const RAW_RETENTION: DurationRange = DurationRange::millis(H, 365 * D);
/// `[defaults.health] rollup_retention`.
pub const ROLLUP_RETENTION: DurationRange = DurationRange::millis(D, 3650 * D);
/// `[defaults.health] max_concurrent` and `max_per_host`.
pub const PROBE_CONCURRENCY: CountRange = (1, 100_000);
/// `[polling] max_inflight_bytes`: spec text parsed and diffed at once.
pub const MAX_INFLIGHT_BYTES: SizeRange = SizeRange {
    min: 1 << 20,
    max: 1 << 36,
};
