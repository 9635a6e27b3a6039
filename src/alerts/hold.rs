//! A sink's `rate_limit` and `digest`: which of its due deliveries go out one by one
//! and which are held, to leave later as one message (a rate-limit summary naming
//! them, or the daily digest). Held deliveries simply stay pending in the outbox, so
//! they survive `kill -9`; the digest's time is computed from each delivery's creation
//! time, so nothing about it needs storing either.

use std::collections::{HashSet, VecDeque};
use std::time::Duration;

use crate::config::alerts::{Alerting, Digest, RateLimit};
use crate::diff::Level;
use crate::notification::{AlertPayload, AlertStatus, EventKind, SCHEMA, WatchRef, rfc3339};
use crate::store::QueuedDelivery;

/// Events listed in a summary's `events` at most (the `summary` names every member).
const MAX_SUMMARY_EVENTS: usize = 50;
/// Members named in a summary's text at most.
const MAX_SUMMARY_LINES: usize = 500;

/// A sink's holding policy, from the config.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// `rate_limit`.
    pub rate_limit: Option<RateLimit>,
    /// `digest`.
    pub digest: Option<Digest>,
    /// Routes with `digest_breaking = true`.
    pub digest_breaking: HashSet<String>,
}

impl Policy {
    /// The policy of sink `name` (empty when it holds nothing).
    pub fn of(cfg: &Alerting, name: &str) -> Policy {
        let Some(s) = cfg.sink(name) else {
            return Policy::default();
        };
        Policy {
            rate_limit: s.rate_limit,
            digest: s.digest,
            digest_breaking: cfg
                .routes
                .iter()
                .filter(|r| r.digest_breaking)
                .map(|r| r.name.clone())
                .collect(),
        }
    }

    /// True when the sink may hold deliveries back.
    pub fn holds(&self) -> bool {
        self.rate_limit.is_some() || self.digest.is_some()
    }

    /// True when `q` waits for the digest: non-breaking, or its route says so.
    fn digested(&self, q: &QueuedDelivery) -> bool {
        self.digest.is_some()
            && (q.payload.level < Level::Breaking
                || self.digest_breaking.contains(route_of(&q.payload)))
    }
}

/// The route of a notification (`group_key` is `route/watch`; watch names have no `/`).
fn route_of(p: &AlertPayload) -> &str {
    p.group_key.rsplit_once('/').map_or("", |(r, _)| r)
}

/// Why deliveries leave together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Batch {
    /// The daily digest.
    Digest,
    /// The rate limit's summary of what it held.
    RateLimited,
}

/// What to send now.
#[derive(Debug, Default)]
pub struct Decision {
    /// Sent one by one.
    pub single: Vec<QueuedDelivery>,
    /// Sent as one message, and why.
    pub together: Vec<(Batch, Vec<QueuedDelivery>)>,
    /// When held deliveries next need a look (ms), if any are held.
    pub wake_at: Option<i64>,
}

/// The sink's recent sends, for its rate limit (in memory: after a restart the window
/// starts empty, so at most one window's worth more can go out).
#[derive(Debug, Default)]
pub struct Window {
    sent: VecDeque<i64>,
    /// The limit held deliveries back: the next free slot sends them as one summary.
    holding: bool,
}

impl Window {
    /// Records a notification sent at `at`.
    pub fn sent(&mut self, at: i64) {
        self.sent.push_back(at);
    }

    /// At a worker's start with `queued` deliveries due: if they exceed the limit, a
    /// burst was under way (before a restart), so the window counts as full and they
    /// leave as one summary when it frees up, not as a second burst.
    pub fn assume_full(&mut self, r: RateLimit, queued: usize, now: i64) {
        if queued > r.count as usize {
            self.sent.extend(std::iter::repeat_n(now, r.count as usize));
            self.holding = true;
        }
    }

    /// Free slots at `now`, and when the next frees up.
    fn free(&mut self, r: RateLimit, now: i64) -> (usize, Option<i64>) {
        let per = i64::try_from(r.per.as_millis()).unwrap_or(i64::MAX);
        while self.sent.front().is_some_and(|&t| t + per <= now) {
            self.sent.pop_front();
        }
        let used = self.sent.len();
        let free = (r.count as usize).saturating_sub(used);
        (free, self.sent.front().map(|&t| t + per))
    }
}

/// Splits the due deliveries. `now` is the dispatcher's clock, `clock` the digest's
/// (the same outside tests).
pub fn decide(
    policy: &Policy,
    window: &mut Window,
    due: Vec<QueuedDelivery>,
    now: i64,
    clock: i64,
) -> Decision {
    let mut d = Decision::default();
    let mut wake = |t: i64| d.wake_at = Some(d.wake_at.map_or(t, |w: i64| w.min(t)));
    let mut digest = Vec::new();
    let mut rest = Vec::new();
    for q in due {
        match policy.digest.filter(|_| policy.digested(&q)) {
            Some(dg) => {
                let at = dg.next_after(q.delivery.created_at);
                if clock >= at {
                    digest.push(q);
                } else {
                    wake(now + (at - clock));
                }
            }
            None => rest.push(q),
        }
    }
    let mut out: Vec<(Batch, Vec<QueuedDelivery>)> = Vec::new();
    if !digest.is_empty() {
        out.push((Batch::Digest, digest));
    }
    let Some(limit) = policy.rate_limit else {
        d.single = rest;
        d.together = out;
        return d;
    };
    let (free, next_free) = window.free(limit, now);
    let per = i64::try_from(limit.per.as_millis()).unwrap_or(i64::MAX);
    if rest.is_empty() {
    } else if window.holding && free > 0 {
        // What the limit held waited for this slot: one message for all of it.
        window.holding = false;
        if rest.len() == 1 {
            d.single = rest;
        } else {
            out.push((Batch::RateLimited, rest));
        }
    } else if rest.len() <= free && !window.holding {
        d.single = rest;
    } else {
        // Over the limit: the first `free` go out as they are, the rest wait.
        window.holding = true;
        d.single = rest.drain(..free.min(rest.len())).collect();
        wake(next_free.unwrap_or(now.saturating_add(per)));
    }
    d.together = out;
    d
}

/// The one message that carries `members` (most severe event first, every member
/// named in `summary`). Retries of the same set carry the same idempotency key.
pub fn summary(
    sink: &str,
    why: Batch,
    policy: &Policy,
    members: &[QueuedDelivery],
    now: i64,
) -> AlertPayload {
    let n = members.len();
    let level = members
        .iter()
        .map(|q| q.payload.level)
        .max()
        .unwrap_or(Level::Info);
    let mut events: Vec<_> = members
        .iter()
        .flat_map(|q| q.payload.events.iter().cloned())
        .collect();
    events.sort_by_key(|e| std::cmp::Reverse(e.level));
    events.truncate(MAX_SUMMARY_EVENTS);
    let event = events.first().map_or(EventKind::Test, |e| e.kind);
    let watches: std::collections::BTreeSet<&str> = members
        .iter()
        .map(|q| q.payload.watch.name.as_str())
        .collect();
    let watch = match (watches.len(), members.first()) {
        (1, Some(q)) => q.payload.watch.clone(),
        _ => WatchRef {
            name: format!("{} watches", watches.len()),
            ..WatchRef::default()
        },
    };
    let title = match why {
        Batch::Digest => format!(
            "Digest: {n} notification{} ({})",
            plural(n),
            watches.iter().copied().collect::<Vec<_>>().join(", ")
        ),
        Batch::RateLimited => {
            let r = policy.rate_limit.unwrap_or(RateLimit {
                count: 0,
                per: Duration::ZERO,
            });
            format!(
                "{n} notification{} held by the rate limit ({} per {})",
                plural(n),
                r.count,
                crate::units::format_duration(r.per)
            )
        }
    };
    let mut lines: Vec<String> = members
        .iter()
        .take(MAX_SUMMARY_LINES)
        .map(|q| {
            let ids: Vec<String> = q.alert_ids.iter().map(|i| format!("#{i}")).collect();
            format!("- {} ({})", q.payload.title, ids.join(", "))
        })
        .collect();
    if n > MAX_SUMMARY_LINES {
        lines.push(format!("…and {} more", n - MAX_SUMMARY_LINES));
    }
    let first = members.first().map_or(0, |q| q.delivery.id);
    let last = members.last().map_or(0, |q| q.delivery.id);
    let kind = match why {
        Batch::Digest => "digest",
        Batch::RateLimited => "summary",
    };
    let ids: Vec<String> = members.iter().map(|q| q.delivery.id.to_string()).collect();
    let fps: Vec<&str> = ids.iter().map(String::as_str).collect();
    AlertPayload {
        schema: SCHEMA.to_string(),
        id: format!("{kind}-{first}-{last}"),
        idempotency_key: format!("{sink}-{kind}-{}", crate::alerts::events::fingerprint(&fps)),
        fingerprint: crate::alerts::events::fingerprint(&[kind, sink, &fps.join(",")]),
        group_key: format!("{kind}/{sink}"),
        status: AlertStatus::Firing,
        event,
        level,
        title,
        summary: lines.join("\n"),
        watch,
        created_at: rfc3339(now),
        repeat: false,
        links: Default::default(),
        events,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The digest's clock: the real time, except in debug builds (the test suite's), where
/// `SPECWATCH_TEST_NOW_FILE` may name a file holding an RFC 3339 time to use instead
/// (a test moves it to the digest's hour). Release builds ignore the variable.
pub fn digest_clock(real: i64) -> i64 {
    #[cfg(debug_assertions)]
    if let Some(path) = std::env::var_os("SPECWATCH_TEST_NOW_FILE")
        && let Ok(text) = std::fs::read_to_string(path)
        && let Ok(t) = chrono::DateTime::parse_from_rfc3339(text.trim())
    {
        return t.timestamp_millis();
    }
    real
}

/// True when a test controls the digest's clock (the dispatcher then looks often).
pub fn test_clock() -> bool {
    cfg!(debug_assertions) && std::env::var_os("SPECWATCH_TEST_NOW_FILE").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::notify::{Draft, build};
    use crate::store::{DeliveryRecord, DeliveryStatus};

    fn q(id: u64, level: Level, created_at: i64) -> QueuedDelivery {
        let kind = if level == Level::Breaking {
            EventKind::BreakingChange
        } else {
            EventKind::ApiChanged
        };
        let e = crate::alerts::events::plain(kind, level, format!("f{id}"), format!("s{id}"), 0);
        let mut payload = build(Draft {
            route: "r",
            watch: &WatchRef {
                name: "w".into(),
                ..WatchRef::default()
            },
            events: vec![e],
            status: AlertStatus::Firing,
            repeat: false,
            public_url: None,
            now: created_at,
        });
        payload.title = format!("change {id}");
        QueuedDelivery {
            alert_ids: vec![id],
            delivery: DeliveryRecord {
                id,
                notification: id,
                sink: "s".into(),
                created_at,
                status: DeliveryStatus::Pending,
                attempts: 0,
                next_attempt_at: created_at,
                idempotency_key: format!("k{id}"),
                last_error: None,
                finished_at: None,
            },
            payload,
        }
    }

    fn limited(count: u32) -> Policy {
        Policy {
            rate_limit: Some(RateLimit {
                count,
                per: Duration::from_secs(60),
            }),
            ..Policy::default()
        }
    }

    #[test]
    fn a_burst_sends_the_limit_then_one_summary_of_the_rest() {
        let p = limited(5);
        let mut w = Window::default();
        let all: Vec<_> = (1..=50).map(|i| q(i, Level::Info, 0)).collect();
        let d = decide(&p, &mut w, all.clone(), 0, 0);
        assert_eq!(d.single.len(), 5);
        assert!(d.together.is_empty());
        for _ in 0..5 {
            w.sent(0);
        }
        // Within the minute: everything left waits.
        let d = decide(&p, &mut w, all[5..].to_vec(), 30_000, 30_000);
        assert!(d.single.is_empty() && d.together.is_empty());
        assert_eq!(d.wake_at, Some(60_000));
        // A slot frees: one summary naming all 45.
        let d = decide(&p, &mut w, all[5..].to_vec(), 60_000, 60_000);
        assert!(d.single.is_empty());
        let (why, members) = &d.together[0];
        assert_eq!((*why, members.len()), (Batch::RateLimited, 45));
        let s = summary("s", *why, &p, members, 60_000);
        assert_eq!(
            s.title,
            "45 notifications held by the rate limit (5 per 1m)"
        );
        assert!(s.summary.contains("- change 6 (#6)") && s.summary.contains("- change 50 (#50)"));
        assert_eq!(s.summary.lines().count(), 45);
        assert_eq!(
            s.idempotency_key,
            summary("s", *why, &p, members, 99).idempotency_key,
            "a retry of the same set is the same message"
        );
    }

    #[test]
    fn the_digest_gathers_non_breaking_ones_until_its_time() {
        let digest = Digest::parse("daily 09:00", chrono_tz::UTC).unwrap();
        let mut p = Policy {
            digest: Some(digest),
            ..Policy::default()
        };
        let mut w = Window::default();
        let eight = 8 * 3_600_000;
        let due = vec![
            q(1, Level::Info, eight),
            q(2, Level::Breaking, eight),
            q(3, Level::Warning, eight),
        ];
        let d = decide(&p, &mut w, due.clone(), eight, eight);
        assert_eq!(d.single.len(), 1, "breaking bypasses the digest");
        assert_eq!(d.single[0].delivery.id, 2);
        assert_eq!(d.wake_at, Some(9 * 3_600_000));
        let d = decide(&p, &mut w, due.clone(), eight, 9 * 3_600_000);
        assert_eq!(d.together[0].0, Batch::Digest);
        assert_eq!(d.together[0].1.len(), 2);
        // A route that says so sends its breaking changes with the digest too.
        p.digest_breaking.insert("r".into());
        let d = decide(&p, &mut w, due, eight, eight);
        assert!(d.single.is_empty());
    }
}
