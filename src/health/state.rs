//! Per-endpoint state from consecutive probe outcomes (Gatus-like thresholds), so one
//! blip is not an alert: `failure_threshold` failures in a row make an endpoint `down`,
//! `success_threshold` successes after that make it `up` again.

use crate::config::HealthConfig;
use crate::store::{EndpointHealth, EndpointRecord, ProbeSample};

/// A change worth an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// It went down.
    Down,
    /// It came back; it was down since this time.
    Recovered {
        /// When it went down.
        down_since: i64,
    },
}

/// Applies one probe to the record; returns the transition it caused, if any.
pub fn apply(
    rec: &mut EndpointRecord,
    probe: &ProbeSample,
    error: Option<String>,
    cfg: &HealthConfig,
) -> Option<Transition> {
    let healthy_state = if u128::from(probe.latency_us) > cfg.degraded_latency.as_micros() {
        EndpointHealth::Degraded
    } else {
        EndpointHealth::Up
    };
    rec.last = Some(*probe);
    let prev = rec.state;
    let mut transition = None;
    if probe.healthy() {
        rec.consecutive_failures = 0;
        rec.consecutive_successes = rec.consecutive_successes.saturating_add(1);
        if prev != EndpointHealth::Down {
            rec.state = healthy_state;
        } else if rec.consecutive_successes >= cfg.success_threshold {
            rec.state = healthy_state;
            transition = Some(Transition::Recovered {
                down_since: rec.since,
            });
        }
    } else {
        rec.last_error = error;
        rec.consecutive_successes = 0;
        rec.consecutive_failures = rec.consecutive_failures.saturating_add(1);
        if prev != EndpointHealth::Down && rec.consecutive_failures >= cfg.failure_threshold {
            rec.state = EndpointHealth::Down;
            transition = Some(Transition::Down);
        }
    }
    if rec.state != prev {
        rec.since = probe.at;
    }
    transition
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ErrorClass;

    fn rec() -> EndpointRecord {
        EndpointRecord {
            id: 1,
            url: "http://x/".into(),
            active: true,
            state: EndpointHealth::Unknown,
            since: 0,
            consecutive_failures: 0,
            consecutive_successes: 0,
            last: None,
            last_error: None,
        }
    }

    fn probe(at: i64, ok: bool, latency_ms: u32) -> ProbeSample {
        ProbeSample {
            at,
            status: if ok { 200 } else { 500 },
            latency_us: latency_ms * 1000,
            class: if ok {
                ErrorClass::None
            } else {
                ErrorClass::Status
            },
        }
    }

    fn run(seq: &str) -> (Vec<Option<Transition>>, EndpointRecord) {
        let cfg = HealthConfig::default();
        let mut r = rec();
        let out = seq
            .chars()
            .enumerate()
            .map(|(i, c)| {
                let p = probe(i as i64, c != 'F', if c == 'S' { 5_000 } else { 10 });
                apply(&mut r, &p, (c == 'F').then(|| "HTTP 500".into()), &cfg)
            })
            .collect();
        (out, r)
    }

    #[test]
    fn thresholds_suppress_blips_and_fire_once() {
        let (t, r) = run("OOFOOFFOO");
        assert!(t.iter().all(Option::is_none), "{t:?}");
        assert_eq!(r.state, EndpointHealth::Up);
        let (t, r) = run("OFFFFFOO");
        let fired: Vec<_> = t.iter().flatten().collect();
        assert_eq!(
            fired,
            [&Transition::Down, &Transition::Recovered { down_since: 3 }]
        );
        assert_eq!(t[3], Some(Transition::Down));
        assert_eq!(t[7], Some(Transition::Recovered { down_since: 3 }));
        assert_eq!(r.state, EndpointHealth::Up);
        let (t, r) = run("FFFOFO");
        assert_eq!(
            t.iter().flatten().count(),
            1,
            "one success then a failure: still down"
        );
        assert_eq!(r.state, EndpointHealth::Down);
        assert_eq!(r.last_error.as_deref(), Some("HTTP 500"));
    }

    #[test]
    fn slow_answers_are_degraded_without_events() {
        let (t, r) = run("OS");
        assert!(t.iter().all(Option::is_none));
        assert_eq!(r.state, EndpointHealth::Degraded);
        assert_eq!(r.since, 1);
    }
}
