//! The per-watch timer loop: sleeps until the next fire time (with jitter), takes a
//! concurrency permit, polls through the pipeline and logs the committed outcome.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::{Instrument, debug, error, info, info_span, warn};

use super::limits::Limits;
use crate::config::WatchConfig;
use crate::fetch::Source;
use crate::pipeline::{Pipeline, PipelineError, PollReport};
use crate::schedule::{Schedule, jitter, phase};
use crate::store::{PollOutcome, WatchStatus};

/// Spawns the timer loop of one watch. It stops at the next wake-up after `shutdown`
/// becomes true; an in-flight poll is finished first. `poll_soon` makes the first poll
/// happen within a second (a changed or resumed entry), as does a failed last poll.
pub fn spawn(
    cfg: Arc<WatchConfig>,
    pipeline: Pipeline,
    limits: Limits,
    mut shutdown: watch::Receiver<bool>,
    poll_soon: bool,
) -> JoinHandle<()> {
    let span = info_span!("watch", watch = %cfg.name);
    tokio::spawn(
        async move {
            let host = Source::parse(cfg.url.expose(), &cfg.base_dir)
                .ok()
                .and_then(|s| s.host());
            let state = {
                let store = pipeline.store.clone();
                let name = cfg.name.clone();
                tokio::task::spawn_blocking(move || store.watch_state(&name))
                    .await
                    .ok()
                    .and_then(Result::ok)
                    .flatten()
            };
            let last_failed = state.as_ref().is_some_and(|s| s.consecutive_failures > 0);
            let last_poll = state
                .and_then(|s| s.last_poll_at)
                .filter(|_| !poll_soon && !last_failed);
            let mut next = first_fire(&cfg.name, &cfg.schedule, last_poll, Utc::now());
            loop {
                let wait = (next - Utc::now()).to_std().unwrap_or(Duration::ZERO);
                debug!(next = %next, "next poll");
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = shutdown.changed() => {}
                }
                if *shutdown.borrow() {
                    break;
                }
                let fired = Utc::now();
                next = next_fire(&cfg.name, &cfg.schedule, fired);
                if is_paused(&pipeline, &cfg.name).await {
                    debug!("paused; skipping this poll");
                    continue;
                }
                let _permit = tokio::select! {
                    p = limits.acquire(host.as_deref()) => p,
                    _ = shutdown.changed() => break,
                };
                let _ = run_poll(&pipeline, &cfg).await;
            }
            debug!("stopped");
        }
        .instrument(span),
    )
}

/// Polls once and logs the committed outcome (shared by the scheduler and `specwatch poll`).
pub async fn run_poll(pipeline: &Pipeline, cfg: &WatchConfig) -> Result<PollReport, PipelineError> {
    let result = pipeline.poll(cfg).await;
    match &result {
        Ok(report) => {
            match &report.outcome {
                PollOutcome::NewVersion { number } => {
                    let changes = match report.change_counts {
                        Some(c) => format!(
                            ": {} breaking, {} warning, {} info",
                            c.breaking, c.warning, c.info
                        ),
                        None if *number == 1 => " (the first: nothing to compare)".into(),
                        None => " (not compared: see the warning above)".into(),
                    };
                    info!(
                        version = number,
                        status = report.http_status,
                        "new version {number} stored{changes}"
                    )
                }
                PollOutcome::Reformatted => {
                    info!("spec reformatted (same content, different bytes); not a new version")
                }
                PollOutcome::Unchanged { not_modified } => {
                    debug!(not_modified, "unchanged")
                }
                PollOutcome::Error { kind, message } => warn!(
                    kind = kind.as_str(),
                    failures = report.state.consecutive_failures,
                    "poll failed: {message}"
                ),
            }
            if report.paused_now
                && let WatchStatus::Paused { reason, .. } = &report.state.status
            {
                warn!(
                    "watch paused: {reason}; fix the entry or run `specwatch resume {}`",
                    cfg.name
                );
            }
        }
        Err(e) => error!("{e}"),
    }
    result
}

async fn is_paused(pipeline: &Pipeline, name: &str) -> bool {
    let store = pipeline.store.clone();
    let name = name.to_string();
    tokio::task::spawn_blocking(move || store.watch_state(&name))
        .await
        .ok()
        .and_then(Result::ok)
        .flatten()
        .is_some_and(|s| matches!(s.status, WatchStatus::Paused { .. }))
}

/// First fire time: soon (spread over ≤ 1 s) for a never-polled or overdue watch,
/// else the next slot after the last poll.
pub fn first_fire(
    name: &str,
    schedule: &Schedule,
    last_poll_ms: Option<i64>,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let spread = jitter(name, schedule);
    let soon = now + chrono::Duration::milliseconds((spread.as_millis() % 1000) as i64);
    let Some(last) = last_poll_ms.and_then(DateTime::from_timestamp_millis) else {
        return soon;
    };
    let due = next_fire(name, schedule, last);
    if due <= now { soon } else { due }
}

/// Next fire strictly after `after`, at the watch's [`phase`].
pub fn next_fire(name: &str, schedule: &Schedule, after: DateTime<Utc>) -> DateTime<Utc> {
    schedule
        .next_fire(after, phase(name, schedule))
        .unwrap_or(after + chrono::Duration::hours(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_slots_are_spread_and_stable() {
        let every = Schedule::Every(Duration::from_secs(3600));
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let mut seconds = std::collections::HashSet::new();
        for i in 0..1000 {
            let name = format!("watch-{i}");
            let a = next_fire(&name, &every, t0);
            assert!(a > t0 && a <= t0 + chrono::Duration::hours(1));
            let b = next_fire(&name, &every, a);
            assert_eq!(b - a, chrono::Duration::hours(1), "keeps its phase");
            seconds.insert(a.timestamp());
        }
        // 1,000 watches over 3,600 s: nearly all in distinct seconds.
        assert!(
            seconds.len() > 850,
            "only {} distinct seconds",
            seconds.len()
        );
    }

    #[test]
    fn first_fire_is_soon_when_never_polled_or_overdue() {
        let every = Schedule::Every(Duration::from_secs(3600));
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let f = first_fire("a", &every, None, now);
        assert!(f >= now && f < now + chrono::Duration::seconds(1));
        let overdue = (now - chrono::Duration::hours(3)).timestamp_millis();
        assert!(first_fire("a", &every, Some(overdue), now) < now + chrono::Duration::seconds(1));
        // Polled just now: the next poll is the watch's next slot, not "soon".
        let slot = next_fire("a", &every, now);
        let just_before_slot = (slot - chrono::Duration::seconds(10)).timestamp_millis();
        assert_eq!(first_fire("a", &every, Some(just_before_slot), now), slot);
    }
}
