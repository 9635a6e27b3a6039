//! The systemd readiness protocol (`Type=notify`, sd_notify(3)): `READY=1` once the store
//! is open and the config loaded, `RELOADING=1` … `READY=1` around each reload, `STOPPING=1`
//! on shutdown and `WATCHDOG=1` keep-alives when the unit sets `WatchdogSec=`.
//! Outside systemd (no `NOTIFY_SOCKET`) every call is a no-op.

use std::time::Duration;

use sd_notify::NotifyState;
use tokio::sync::watch;
use tracing::{debug, warn};

/// Sends `states` as one datagram; a failure is logged, never fatal (systemd then
/// reports the start as timed out, which says more than a daemon that refuses to run).
fn send(states: &[NotifyState<'_>]) {
    if let Err(e) = sd_notify::notify(states) {
        warn!("cannot notify systemd over $NOTIFY_SOCKET: {e}");
    }
}

/// The daemon is serving: `READY=1` with a one-line `STATUS=`.
pub fn ready(status: &str) {
    send(&[NotifyState::Ready, NotifyState::Status(status)]);
}

/// A reload starts: `RELOADING=1` with the `MONOTONIC_USEC=` systemd 253+ requires.
pub fn reloading() {
    let mut states = vec![NotifyState::Reloading];
    match NotifyState::monotonic_usec_now() {
        Ok(now) => states.push(now),
        Err(e) => debug!("no monotonic clock for MONOTONIC_USEC: {e}"),
    }
    send(&states);
}

/// Shutdown has begun: `STOPPING=1`.
pub fn stopping() {
    send(&[NotifyState::Stopping, NotifyState::Status("stopping")]);
}

/// When the unit sets `WatchdogSec=` (`WATCHDOG_USEC` for this process), pings
/// `WATCHDOG=1` at half the interval until `shutdown`. The pings come from the async
/// runtime, so a wedged runtime stops them and systemd restarts the daemon.
pub fn spawn_watchdog(mut shutdown: watch::Receiver<bool>) -> Option<tokio::task::JoinHandle<()>> {
    let every = sd_notify::watchdog_enabled()?.checked_div(2)?;
    let every = every.max(Duration::from_millis(10));
    Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tokio::select! {
                _ = tick.tick() => send(&[NotifyState::Watchdog]),
                _ = shutdown.changed() => break,
            }
        }
    }))
}
