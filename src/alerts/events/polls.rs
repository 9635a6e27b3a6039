//! `poll_failing`, `poll_recovered` and `watch_paused`, from a watch's state before and
//! after a poll.

use crate::diff::Level;
use crate::notification::{EventKind, EventPayload};
use crate::store::{WatchState, WatchStatus};

/// Fingerprint of a watch's failing-polls condition (its recovery carries the same).
pub fn failing_fingerprint(watch: &str) -> String {
    super::fingerprint(&["poll_failing", watch])
}

/// Events raised by one poll: the failure count reaching `failing_after` (0 = never),
/// the first success after that, and the watch being paused.
pub fn from_poll(
    watch: &str,
    prev: &WatchState,
    next: &WatchState,
    failing_after: u32,
    error: Option<&str>,
    now: i64,
) -> Vec<EventPayload> {
    let mut out = Vec::new();
    if failing_after > 0 && next.consecutive_failures == failing_after {
        let mut e = super::plain(
            EventKind::PollFailing,
            Level::Warning,
            failing_fingerprint(watch),
            format!("{watch}: {failing_after} polls in a row failed"),
            now,
        );
        e.error = error.map(str::to_string);
        out.push(e);
    }
    if failing_after > 0
        && prev.consecutive_failures >= failing_after
        && next.consecutive_failures == 0
    {
        out.push(super::plain(
            EventKind::PollRecovered,
            Level::Info,
            failing_fingerprint(watch),
            format!(
                "{watch}: polling works again after {} failures",
                prev.consecutive_failures
            ),
            now,
        ));
    }
    if let (WatchStatus::Active, WatchStatus::Paused { reason, since }) =
        (&prev.status, &next.status)
    {
        let mut e = super::plain(
            EventKind::WatchPaused,
            Level::Warning,
            super::fingerprint(&["watch_paused", watch, &since.to_string()]),
            format!("{watch}: paused ({reason}); resume with `specwatch resume {watch}`"),
            now,
        );
        e.error = error.map(str::to_string);
        out.push(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failing(n: u32) -> WatchState {
        WatchState {
            consecutive_failures: n,
            ..WatchState::default()
        }
    }

    #[test]
    fn failing_fires_once_at_the_threshold_and_recovery_shares_its_fingerprint() {
        let kinds = |p: u32, n: u32| -> Vec<EventKind> {
            from_poll("w", &failing(p), &failing(n), 3, Some("boom"), 0)
                .into_iter()
                .map(|e| e.kind)
                .collect()
        };
        assert!(kinds(1, 2).is_empty());
        assert_eq!(kinds(2, 3), [EventKind::PollFailing]);
        assert!(kinds(3, 4).is_empty(), "no repeat from the poll itself");
        assert_eq!(kinds(4, 0), [EventKind::PollRecovered]);
        assert!(
            kinds(2, 0).is_empty(),
            "never reported failing, so no recovery"
        );
        let f = &from_poll("w", &failing(2), &failing(3), 3, Some("boom"), 0)[0];
        let r = &from_poll("w", &failing(3), &failing(0), 3, None, 0)[0];
        assert_eq!(f.fingerprint, r.fingerprint);
        assert_eq!(f.error.as_deref(), Some("boom"));
        assert!(from_poll("w", &failing(2), &failing(3), 0, None, 0).is_empty());
    }

    #[test]
    fn pausing_raises_watch_paused() {
        let next = WatchState {
            consecutive_failures: 5,
            status: WatchStatus::Paused {
                reason: "5 consecutive failures".into(),
                since: 7,
            },
            ..WatchState::default()
        };
        let events = from_poll("w", &failing(4), &next, 0, Some("404"), 7);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, EventKind::WatchPaused);
        assert!(events[0].summary.contains("specwatch resume w"));
    }
}
