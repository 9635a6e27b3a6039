//! One routing pass, as a pure function of the config, the alerts still to route, the
//! firing conditions and the time: silences, first-match routes (`continue` fans out),
//! grouping per (route, watch) within `group_wait`, dedup of still-firing conditions,
//! repeats after `repeat_interval`, and resolutions sent where the condition went.
//! The caller commits the returned batch in one transaction, so a crash anywhere
//! just means the next pass does the same work again.

use std::collections::{BTreeMap, HashSet};

use crate::alerts::notify::{self, Draft};
use crate::config::alerts::{Alerting, RouteConfig};
use crate::notification::{AlertStatus, EventKind};
use crate::store::{
    AlertRecord, FiringChange, FiringRecord, NewNotification, Routing, RoutingBatch,
};

/// Events that describe a condition which holds until it resolves (so they repeat).
fn is_condition(kind: EventKind) -> bool {
    matches!(kind, EventKind::EndpointDown | EventKind::PollFailing)
}

/// Events that open an incident on the routes they go to: conditions, and breaking
/// changes, which stay open (without repeats) until acknowledged, reverted or
/// `resolve_after` has passed.
fn opens_incident(kind: EventKind) -> bool {
    is_condition(kind) || kind == EventKind::BreakingChange
}

/// Answers the router's questions about stored versions.
pub trait Versions {
    /// True when version `a` and version `b` of `watch` are the same API (same
    /// semantic hash): a later version that equals the one before a breaking change
    /// reverts it.
    fn same_api(&self, watch: &str, a: u64, b: u64) -> bool;
}

/// No stored versions (tests of routing alone).
pub struct NoVersions;

impl Versions for NoVersions {
    fn same_api(&self, _: &str, _: u64, _: u64) -> bool {
        false
    }
}

/// The routes an alert goes to, in order: first match wins unless `continue`.
pub fn matching<'a>(cfg: &'a Alerting, a: &AlertRecord) -> Vec<&'a RouteConfig> {
    let mut out = Vec::new();
    for r in &cfg.routes {
        if r.matcher
            .matches(&a.watch.name, a.event.kind, a.event.level, &a.watch.labels)
        {
            out.push(r);
            if !r.continue_ {
                break;
            }
        }
    }
    out
}

/// Result of a pass: what to commit, and when the next pass is due (a group window
/// closing or a repeat), if any.
pub struct Pass {
    /// What to commit.
    pub batch: RoutingBatch,
    /// Earliest time a later pass has work, without new alerts.
    pub next_due: Option<i64>,
}

fn ms(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Plans one pass. `alert_by_id` finds the alert that opened a firing condition (for repeats).
pub fn plan(
    cfg: &Alerting,
    new: &[AlertRecord],
    firing: &[FiringRecord],
    alert_by_id: &dyn Fn(u64) -> Option<AlertRecord>,
    versions: &dyn Versions,
    now: i64,
) -> Pass {
    let public_url = cfg.alerts.public_url.as_deref();
    let mut batch = RoutingBatch::default();
    let mut next_due: Option<i64> = None;
    let mut due = |t: i64| next_due = Some(next_due.map_or(t, |n: i64| n.min(t)));
    let firing_keys: HashSet<(&str, &str)> = firing
        .iter()
        .map(|f| (f.route.as_str(), f.fingerprint.as_str()))
        .collect();
    let mut opened: HashSet<(String, String)> = HashSet::new();

    let inhibitor = Inhibitor::new(cfg, new, firing, alert_by_id, now);

    // Groups of (route, watch) → alerts (index into `new`), for firing events.
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    let mut pending_routes: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (i, a) in new.iter().enumerate() {
        if let Some(s) = cfg.silences.iter().find(|s| {
            s.active(now)
                && s.matcher
                    .matches(&a.watch.name, a.event.kind, a.event.level, &a.watch.labels)
        }) {
            batch.alerts.push((
                a.id,
                Routing::Silenced {
                    comment: s.comment.clone(),
                },
            ));
            continue;
        }
        if a.event.kind.is_resolution() {
            resolve(cfg, a, firing, public_url, now, &mut batch);
            continue;
        }
        if inhibitor.inhibits(cfg, a) {
            // Held back (it stays new) while the source fires; if it resolved meanwhile
            // there is nothing left to tell.
            if inhibitor.resolved.contains(a.event.fingerprint.as_str()) {
                batch.alerts.push((
                    a.id,
                    Routing::Silenced {
                        comment: "inhibited until it resolved".into(),
                    },
                ));
            }
            continue;
        }
        let routes = matching(cfg, a);
        if routes.is_empty() {
            batch.alerts.push((a.id, Routing::Unrouted));
            continue;
        }
        let done: &[String] = match &a.routing {
            Routing::New { done } => done,
            _ => &[],
        };
        let mut left = Vec::new();
        for r in routes {
            if done.contains(&r.name) {
                continue;
            }
            let key = (r.name.as_str(), a.event.fingerprint.as_str());
            if opens_incident(a.event.kind) && firing_keys.contains(&key) {
                continue; // still firing on this route: deduplicated, repeats handle it
            }
            groups
                .entry((r.name.clone(), a.watch.name.clone()))
                .or_default()
                .push(i);
            left.push(r.name.clone());
        }
        pending_routes.insert(i, left);
    }

    // Flush every group whose window has closed.
    let mut flushed: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for ((route_name, _), members) in &groups {
        let Some(route) = cfg.routes.iter().find(|r| &r.name == route_name) else {
            continue;
        };
        let start = members
            .iter()
            .map(|&i| new[i].created_at)
            .min()
            .unwrap_or(now);
        let closes = start.saturating_add(ms(route.group_wait));
        if now < closes {
            due(closes);
            continue;
        }
        let watch = &new[members[0]].watch;
        let events = members.iter().map(|&i| new[i].event.clone()).collect();
        let ids = members.iter().map(|&i| new[i].id).collect();
        batch.notifications.push(notification(
            route,
            ids,
            Draft {
                route: route_name,
                watch,
                events,
                status: AlertStatus::Firing,
                repeat: false,
                public_url,
                now,
            },
        ));
        for &i in members {
            flushed.entry(i).or_default().push(route_name.clone());
            let a = &new[i];
            if opens_incident(a.event.kind)
                && opened.insert((route_name.clone(), a.event.fingerprint.clone()))
            {
                batch.firing.push(FiringChange::Upsert(FiringRecord {
                    route: route_name.clone(),
                    fingerprint: a.event.fingerprint.clone(),
                    alert_id: a.id,
                    watch: a.watch.name.clone(),
                    last_notified_at: now,
                }));
            }
        }
    }

    // New routing state of every alert that was grouped (or deduplicated everywhere).
    for (i, left) in pending_routes {
        let a = &new[i];
        let mut done: Vec<String> = match &a.routing {
            Routing::New { done } => done.clone(),
            _ => vec![],
        };
        let now_done = flushed.remove(&i).unwrap_or_default();
        let all_done = left.iter().all(|r| now_done.contains(r));
        done.extend(now_done);
        let state = if all_done {
            Routing::Routed { routes: done }
        } else {
            Routing::New { done }
        };
        if state != a.routing {
            batch.alerts.push((a.id, state));
        }
    }

    // Breaking changes reverted by a version in this pass.
    let mut closed: HashSet<(String, String)> = HashSet::new();
    for (f, orig, reason) in reverts(new, firing, alert_by_id, versions) {
        let Some(route) = cfg.routes.iter().find(|r| r.name == f.route) else {
            continue;
        };
        closed.insert((f.route.clone(), f.fingerprint.clone()));
        close_incident(route, &f, &orig, &reason, public_url, now, &mut batch);
    }

    // Repeats of conditions still firing; breaking changes past `resolve_after`.
    for f in firing {
        if closed.contains(&(f.route.clone(), f.fingerprint.clone())) {
            continue;
        }
        let Some(route) = cfg.routes.iter().find(|r| r.name == f.route) else {
            // The route is gone: nothing can repeat or resolve it any more.
            batch.firing.push(FiringChange::Remove {
                route: f.route.clone(),
                fingerprint: f.fingerprint.clone(),
            });
            continue;
        };
        if let Some(a) = alert_by_id(f.alert_id).filter(|a| !is_condition(a.event.kind)) {
            // A change incident: no repeats; closed after `resolve_after`, if set.
            if !route.resolve_after.is_zero() {
                let at = a.created_at.saturating_add(ms(route.resolve_after));
                if now < at {
                    due(at);
                } else {
                    let reason = format!(
                        "Resolved automatically: open for {} (the route's resolve_after).",
                        crate::units::format_duration(route.resolve_after)
                    );
                    close_incident(route, f, &a, &reason, public_url, now, &mut batch);
                }
            }
            continue;
        }
        if route.repeat_interval.is_zero() {
            continue;
        }
        let at = f.last_notified_at.saturating_add(ms(route.repeat_interval));
        if now < at {
            due(at);
            continue;
        }
        let Some(a) = alert_by_id(f.alert_id) else {
            continue;
        };
        batch.notifications.push(single(
            route,
            &a,
            AlertStatus::Firing,
            true,
            public_url,
            now,
        ));
        batch.firing.push(FiringChange::Upsert(FiringRecord {
            last_notified_at: now,
            ..f.clone()
        }));
        due(now.saturating_add(ms(route.repeat_interval)));
    }
    Pass { batch, next_due }
}

/// The alerts that can inhibit others in this pass: those whose condition is firing
/// (and not resolved in this pass) and the new, unsilenced ones.
struct Inhibitor {
    sources: Vec<AlertRecord>,
    /// Fingerprints resolved by recoveries in this pass.
    resolved: HashSet<String>,
}

impl Inhibitor {
    fn new(
        cfg: &Alerting,
        new: &[AlertRecord],
        firing: &[FiringRecord],
        alert_by_id: &dyn Fn(u64) -> Option<AlertRecord>,
        now: i64,
    ) -> Inhibitor {
        let resolved: HashSet<String> = new
            .iter()
            .filter(|a| a.event.kind.is_resolution())
            .map(|a| a.event.fingerprint.clone())
            .collect();
        let mut sources = Vec::new();
        if cfg.inhibits.is_empty() {
            return Inhibitor { sources, resolved };
        }
        let mut seen = HashSet::new();
        for f in firing {
            if resolved.contains(&f.fingerprint) || !seen.insert(f.alert_id) {
                continue;
            }
            sources.extend(alert_by_id(f.alert_id));
        }
        let silenced = |a: &AlertRecord| {
            cfg.silences.iter().any(|s| {
                s.active(now)
                    && s.matcher.matches(
                        &a.watch.name,
                        a.event.kind,
                        a.event.level,
                        &a.watch.labels,
                    )
            })
        };
        sources.extend(
            new.iter()
                .filter(|a| !a.event.kind.is_resolution() && !silenced(a))
                .filter(|a| seen.insert(a.id))
                .cloned(),
        );
        Inhibitor { sources, resolved }
    }

    /// True when an `[[inhibit]]` rule holds `a` back.
    fn inhibits(&self, cfg: &Alerting, a: &AlertRecord) -> bool {
        let m = |m: &crate::config::alerts::Matcher, x: &AlertRecord| {
            m.matches(&x.watch.name, x.event.kind, x.event.level, &x.watch.labels)
        };
        cfg.inhibits.iter().any(|rule| {
            m(&rule.target, a)
                && self.sources.iter().any(|s| {
                    s.event.fingerprint != a.event.fingerprint
                        && m(&rule.source, s)
                        && rule.equal_holds(
                            (&s.watch.name, &s.watch.labels),
                            (&a.watch.name, &a.watch.labels),
                        )
                })
        })
    }
}

/// Firing breaking-change incidents that a new version in `new` reverts (its spec is
/// the same API as the version before the breaking change), with why.
fn reverts(
    new: &[AlertRecord],
    firing: &[FiringRecord],
    alert_by_id: &dyn Fn(u64) -> Option<AlertRecord>,
    versions: &dyn Versions,
) -> Vec<(FiringRecord, AlertRecord, String)> {
    let mut out = Vec::new();
    let changes: Vec<(&str, u64)> = new
        .iter()
        .filter(|a| {
            matches!(
                a.event.kind,
                EventKind::BreakingChange | EventKind::ApiChanged
            )
        })
        .filter_map(|a| Some((a.watch.name.as_str(), a.event.versions?.to)))
        .collect();
    if changes.is_empty() {
        return out;
    }
    for f in firing {
        let Some(orig) = alert_by_id(f.alert_id) else {
            continue;
        };
        let Some(v) = orig.event.versions else {
            continue;
        };
        if orig.event.kind != EventKind::BreakingChange || v.from == 0 {
            continue;
        }
        let by = changes
            .iter()
            .find(|(w, to)| *w == f.watch && *to > v.to && versions.same_api(w, v.from, *to));
        if let Some((_, to)) = by {
            let reason = format!(
                "Resolved: v{to} reverts the breaking change of v{} (it is the same API as v{}).",
                v.to, v.from
            );
            out.push((f.clone(), orig, reason));
        }
    }
    out
}

/// Closes a change incident on `f`'s route: removes it from the firing set and, where
/// the route has `send_resolved`, sends the resolution (same fingerprint, so PagerDuty's
/// `dedup_key` and Opsgenie's `alias` are those of the trigger).
#[allow(clippy::too_many_arguments)]
fn close_incident(
    route: &RouteConfig,
    f: &FiringRecord,
    a: &AlertRecord,
    reason: &str,
    public_url: Option<&str>,
    now: i64,
    batch: &mut RoutingBatch,
) {
    batch.firing.push(FiringChange::Remove {
        route: f.route.clone(),
        fingerprint: f.fingerprint.clone(),
    });
    if route.send_resolved {
        let mut n = single(route, a, AlertStatus::Resolved, false, public_url, now);
        n.payload.summary = format!("{reason}\n\n{}", n.payload.summary);
        batch.notifications.push(n);
    }
}

/// Resolves the incidents alert `id` opened (`specwatch alert ack ID`): the batch to
/// commit, or None when none of them is open.
pub fn acknowledge(
    cfg: &Alerting,
    a: &AlertRecord,
    firing: &[FiringRecord],
    how: &str,
    now: i64,
) -> Option<RoutingBatch> {
    let mut batch = RoutingBatch::default();
    let open: Vec<&FiringRecord> = firing
        .iter()
        .filter(|f| f.fingerprint == a.event.fingerprint)
        .collect();
    if open.is_empty() {
        return None;
    }
    let reason = format!("Resolved: acknowledged ({how}).");
    for f in open {
        match cfg.routes.iter().find(|r| r.name == f.route) {
            Some(route) => close_incident(
                route,
                f,
                a,
                &reason,
                cfg.alerts.public_url.as_deref(),
                now,
                &mut batch,
            ),
            None => batch.firing.push(FiringChange::Remove {
                route: f.route.clone(),
                fingerprint: f.fingerprint.clone(),
            }),
        }
    }
    Some(batch)
}

/// A notification of `route` carrying `alert_ids`, to the route's sinks.
fn notification(route: &RouteConfig, alert_ids: Vec<u64>, draft: Draft<'_>) -> NewNotification {
    NewNotification {
        route: route.name.clone(),
        sinks: route.sinks.clone(),
        alert_ids,
        payload: notify::build(draft),
    }
}

/// A notification of `route` about the one alert `a` (a repeat or a recovery).
fn single(
    route: &RouteConfig,
    a: &AlertRecord,
    status: AlertStatus,
    repeat: bool,
    public_url: Option<&str>,
    now: i64,
) -> NewNotification {
    notification(
        route,
        vec![a.id],
        Draft {
            route: &route.name,
            watch: &a.watch,
            events: vec![a.event.clone()],
            status,
            repeat,
            public_url,
            now,
        },
    )
}

/// A recovery closes the conditions it resolves and, where `send_resolved`, notifies
/// the sinks the condition went to.
fn resolve(
    cfg: &Alerting,
    a: &AlertRecord,
    firing: &[FiringRecord],
    public_url: Option<&str>,
    now: i64,
    batch: &mut RoutingBatch,
) {
    let mut routes = Vec::new();
    for f in firing
        .iter()
        .filter(|f| f.fingerprint == a.event.fingerprint)
    {
        batch.firing.push(FiringChange::Remove {
            route: f.route.clone(),
            fingerprint: f.fingerprint.clone(),
        });
        let Some(route) = cfg.routes.iter().find(|r| r.name == f.route) else {
            continue;
        };
        routes.push(route.name.clone());
        if !route.send_resolved {
            continue;
        }
        batch.notifications.push(single(
            route,
            a,
            AlertStatus::Resolved,
            false,
            public_url,
            now,
        ));
    }
    let state = if routes.is_empty() {
        Routing::Unrouted
    } else {
        Routing::Routed { routes }
    };
    batch.alerts.push((a.id, state));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::events::plain;
    use crate::config::alerts::{Matcher, SilenceConfig};
    use crate::diff::Level;
    use crate::notification::WatchRef;
    use std::time::Duration;

    fn route(name: &str, m: Matcher, sinks: &[&str], cont: bool) -> RouteConfig {
        RouteConfig {
            name: name.into(),
            matcher: m,
            sinks: sinks.iter().map(|s| s.to_string()).collect(),
            group_wait: Duration::ZERO,
            repeat_interval: Duration::from_secs(3600),
            send_resolved: true,
            continue_: cont,
            resolve_after: Duration::ZERO,
            digest_breaking: false,
        }
    }

    fn alert(id: u64, watch: &str, team: &str, kind: EventKind, at: i64) -> AlertRecord {
        AlertRecord {
            id,
            created_at: at,
            watch: WatchRef {
                name: watch.into(),
                labels: [("team".to_string(), team.to_string())].into(),
                ..WatchRef::default()
            },
            event: plain(
                kind,
                Level::Breaking,
                format!("fp-{watch}-{kind:?}"),
                "s".into(),
                at,
            ),
            routing: Routing::New { done: vec![] },
            notifications: vec![],
        }
    }

    fn team(t: &str) -> Matcher {
        Matcher {
            labels: [("team".to_string(), t.to_string())].into(),
            ..Matcher::default()
        }
    }

    fn sinks_of(p: &Pass) -> Vec<Vec<String>> {
        p.batch
            .notifications
            .iter()
            .map(|n| n.sinks.clone())
            .collect()
    }

    #[test]
    fn label_matchers_route_to_different_sinks_and_continue_fans_out() {
        let mut cfg = Alerting {
            routes: vec![
                route("pay", team("payments"), &["a"], false),
                route("id", team("identity"), &["b"], false),
            ],
            ..Alerting::default()
        };
        let new = [
            alert(1, "stripe", "payments", EventKind::BreakingChange, 0),
            alert(2, "okta", "identity", EventKind::BreakingChange, 0),
            alert(3, "misc", "other", EventKind::BreakingChange, 0),
        ];
        let p = plan(&cfg, &new, &[], &|_| None, &NoVersions, 0);
        let mut got = sinks_of(&p);
        got.sort();
        assert_eq!(got, [vec!["a".to_string()], vec!["b".to_string()]]);
        assert!(p.batch.alerts.contains(&(3, Routing::Unrouted)));
        // continue = true on the first route: both take the payments alert.
        cfg.routes[0].continue_ = true;
        cfg.routes
            .push(route("all", Matcher::default(), &["c"], false));
        let p = plan(&cfg, &new[..1], &[], &|_| None, &NoVersions, 0);
        let mut got = sinks_of(&p);
        got.sort();
        assert_eq!(got, [vec!["a".to_string()], vec!["c".to_string()]]);
    }

    #[test]
    fn silences_record_without_notifying() {
        let cfg = Alerting {
            routes: vec![route("all", Matcher::default(), &["a"], false)],
            silences: vec![SilenceConfig {
                matcher: Matcher {
                    watch: vec!["legacy-*".into()],
                    ..Matcher::default()
                },
                starts: Some(0),
                ends: Some(100),
                comment: "migration".into(),
            }],
            ..Alerting::default()
        };
        let new = [alert(
            1,
            "legacy-billing",
            "x",
            EventKind::BreakingChange,
            50,
        )];
        let p = plan(&cfg, &new, &[], &|_| None, &NoVersions, 50);
        assert!(p.batch.notifications.is_empty());
        assert_eq!(
            p.batch.alerts,
            [(
                1,
                Routing::Silenced {
                    comment: "migration".into()
                }
            )]
        );
        // After the silence ends the same alert is delivered.
        let p = plan(&cfg, &new, &[], &|_| None, &NoVersions, 100);
        assert_eq!(p.batch.notifications.len(), 1);
    }

    #[test]
    fn group_wait_merges_events_of_one_watch_into_one_notification() {
        let mut r = route("all", Matcher::default(), &["a"], false);
        r.group_wait = Duration::from_secs(10);
        let cfg = Alerting {
            routes: vec![r],
            ..Alerting::default()
        };
        let new = [
            alert(1, "w", "x", EventKind::BreakingChange, 1_000),
            alert(2, "w", "x", EventKind::WatchPaused, 5_000),
            alert(3, "v", "x", EventKind::BreakingChange, 9_000),
        ];
        let p = plan(&cfg, &new, &[], &|_| None, &NoVersions, 8_000);
        assert!(p.batch.notifications.is_empty());
        assert_eq!(p.next_due, Some(11_000));
        let p = plan(&cfg, &new, &[], &|_| None, &NoVersions, 11_000);
        assert_eq!(p.batch.notifications.len(), 1);
        assert_eq!(p.batch.notifications[0].alert_ids, [1, 2]);
        assert_eq!(p.next_due, Some(19_000));
    }

    #[test]
    fn a_firing_poll_failure_holds_back_the_endpoints_of_its_watch() {
        use crate::config::alerts::InhibitConfig;
        let kind = |k| Matcher {
            event: vec![k],
            ..Matcher::default()
        };
        let cfg = Alerting {
            routes: vec![route("all", Matcher::default(), &["a"], false)],
            inhibits: vec![InhibitConfig {
                source: kind(EventKind::PollFailing),
                target: kind(EventKind::EndpointDown),
                equal: vec!["watch".into()],
            }],
            ..Alerting::default()
        };
        let down = |id, w: &str, op: &str| {
            let mut a = alert(id, w, "x", EventKind::EndpointDown, 0);
            a.event.fingerprint = format!("down-{w}-{op}");
            a
        };
        // Arriving together: one page, for the poll failure.
        let failing = alert(1, "w", "x", EventKind::PollFailing, 0);
        let new = [
            failing.clone(),
            down(2, "w", "GET /a"),
            down(3, "w", "GET /b"),
            down(4, "other", "GET /a"),
        ];
        let p = plan(&cfg, &new, &[], &|_| None, &NoVersions, 0);
        let ids: Vec<Vec<u64>> = p
            .batch
            .notifications
            .iter()
            .map(|n| n.alert_ids.clone())
            .collect();
        assert_eq!(ids, [vec![4], vec![1]], "another watch is not inhibited");
        assert!(
            !p.batch.alerts.iter().any(|(id, _)| *id == 2 || *id == 3),
            "held back alerts stay new"
        );
        // Later endpoint failures while the poll failure fires: held back too.
        let FiringChange::Upsert(f) = p
            .batch
            .firing
            .iter()
            .find(|c| matches!(c, FiringChange::Upsert(f) if f.alert_id == 1))
            .unwrap()
            .clone()
        else {
            panic!()
        };
        let firing = vec![f];
        let lookup = |id: u64| (id == 1).then(|| failing.clone());
        let p = plan(
            &cfg,
            &[down(2, "w", "GET /a"), down(5, "w", "GET /c")],
            &firing,
            &lookup,
            &NoVersions,
            10,
        );
        assert!(p.batch.notifications.is_empty());
        // An endpoint that recovers while held back is closed without a page.
        let mut up = alert(6, "w", "x", EventKind::EndpointRecovered, 20);
        up.event.fingerprint = "down-w-GET /c".into();
        let p = plan(
            &cfg,
            &[down(5, "w", "GET /c"), up],
            &firing,
            &lookup,
            &NoVersions,
            20,
        );
        assert!(p.batch.notifications.is_empty());
        assert!(p.batch.alerts.contains(&(
            5,
            Routing::Silenced {
                comment: "inhibited until it resolved".into()
            }
        )));
        // Once the poll failure resolves, endpoints still down are paged.
        let mut rec = alert(7, "w", "x", EventKind::PollRecovered, 30);
        rec.event.fingerprint = failing.event.fingerprint.clone();
        let p = plan(
            &cfg,
            &[down(2, "w", "GET /a"), rec],
            &firing,
            &lookup,
            &NoVersions,
            30,
        );
        let ids: Vec<Vec<u64>> = p
            .batch
            .notifications
            .iter()
            .map(|n| n.alert_ids.clone())
            .collect();
        assert!(ids.contains(&vec![2]), "{ids:?}");
    }

    #[test]
    fn breaking_changes_stay_open_without_repeats_until_ack_revert_or_resolve_after() {
        use crate::notification::VersionPair;
        let mut cfg = Alerting {
            routes: vec![route("all", Matcher::default(), &["pd"], false)],
            ..Alerting::default()
        };
        let mut change = alert(1, "w", "x", EventKind::BreakingChange, 0);
        change.event.versions = Some(VersionPair { from: 3, to: 4 });
        let p = plan(
            &cfg,
            std::slice::from_ref(&change),
            &[],
            &|_| None,
            &NoVersions,
            0,
        );
        let FiringChange::Upsert(f) = p.batch.firing[0].clone() else {
            panic!()
        };
        let firing = vec![f];
        let lookup = |id: u64| (id == 1).then(|| change.clone());
        // No repeat, however long it stays open.
        let p = plan(&cfg, &[], &firing, &lookup, &NoVersions, 30 * 86_400_000);
        assert!(p.batch.notifications.is_empty() && p.batch.firing.is_empty());
        assert_eq!(p.next_due, None);
        // Acknowledged: resolved where it went, same fingerprint.
        let b = acknowledge(&cfg, &change, &firing, "test", 5).unwrap();
        assert_eq!(b.notifications.len(), 1);
        let n = &b.notifications[0].payload;
        assert_eq!(
            (n.status, n.fingerprint.as_str()),
            (AlertStatus::Resolved, change.event.fingerprint.as_str())
        );
        assert!(
            n.summary.starts_with("Resolved: acknowledged (test)."),
            "{}",
            n.summary
        );
        assert!(
            acknowledge(&cfg, &change, &[], "test", 5).is_none(),
            "nothing open"
        );
        // A later version equal to v3 reverts it.
        struct Same;
        impl Versions for Same {
            fn same_api(&self, _: &str, a: u64, b: u64) -> bool {
                (a, b) == (3, 6)
            }
        }
        let mut later = alert(2, "w", "x", EventKind::ApiChanged, 10);
        later.event.fingerprint = "other".into();
        later.event.versions = Some(VersionPair { from: 5, to: 6 });
        let p = plan(
            &cfg,
            std::slice::from_ref(&later),
            &firing,
            &lookup,
            &Same,
            10,
        );
        let resolved: Vec<_> = p
            .batch
            .notifications
            .iter()
            .filter(|n| n.payload.status == AlertStatus::Resolved)
            .collect();
        assert_eq!(resolved.len(), 1);
        assert!(
            resolved[0]
                .payload
                .summary
                .starts_with("Resolved: v6 reverts the breaking change of v4")
        );
        assert!(
            p.batch
                .firing
                .iter()
                .any(|c| matches!(c, FiringChange::Remove { .. }))
        );
        let p = plan(
            &cfg,
            std::slice::from_ref(&later),
            &firing,
            &lookup,
            &NoVersions,
            10,
        );
        assert!(
            p.batch
                .notifications
                .iter()
                .all(|n| n.payload.status == AlertStatus::Firing)
        );
        // resolve_after closes it on time.
        cfg.routes[0].resolve_after = Duration::from_secs(3600);
        let p = plan(&cfg, &[], &firing, &lookup, &NoVersions, 1_000);
        assert!(p.batch.notifications.is_empty());
        assert_eq!(p.next_due, Some(3_600_000));
        let p = plan(&cfg, &[], &firing, &lookup, &NoVersions, 3_600_000);
        assert_eq!(p.batch.notifications.len(), 1);
        assert!(
            p.batch.notifications[0]
                .payload
                .summary
                .starts_with("Resolved automatically: open for 1h")
        );
    }

    #[test]
    fn conditions_dedupe_repeat_and_resolve_where_they_went() {
        let mut cfg = Alerting {
            routes: vec![route("all", Matcher::default(), &["a"], false)],
            ..Alerting::default()
        };
        let failing = alert(1, "w", "x", EventKind::PollFailing, 0);
        let p = plan(
            &cfg,
            std::slice::from_ref(&failing),
            &[],
            &|_| None,
            &NoVersions,
            0,
        );
        assert_eq!(p.batch.notifications.len(), 1);
        let FiringChange::Upsert(f) = &p.batch.firing[0] else {
            panic!()
        };
        let firing = vec![f.clone()];
        // The same condition again while firing: no second notification.
        let again = alert(2, "w", "x", EventKind::PollFailing, 10);
        let p = plan(&cfg, &[again], &firing, &|_| None, &NoVersions, 10);
        assert!(p.batch.notifications.is_empty());
        assert_eq!(p.next_due, Some(3_600_000));
        // After repeat_interval it repeats.
        let lookup = |id: u64| (id == 1).then(|| failing.clone());
        let p = plan(&cfg, &[], &firing, &lookup, &NoVersions, 3_600_000);
        assert_eq!(p.batch.notifications.len(), 1);
        assert!(p.batch.notifications[0].payload.repeat);
        // Recovery (same fingerprint) resolves it on the route it went to.
        let mut rec = alert(3, "w", "x", EventKind::PollRecovered, 20);
        rec.event.fingerprint = failing.event.fingerprint.clone();
        let p = plan(&cfg, &[rec], &firing, &|_| None, &NoVersions, 20);
        assert_eq!(p.batch.notifications.len(), 1);
        assert_eq!(
            p.batch.notifications[0].payload.status,
            AlertStatus::Resolved
        );
        assert!(matches!(p.batch.firing[0], FiringChange::Remove { .. }));
        // send_resolved = false: closed silently.
        cfg.routes[0].send_resolved = false;
        let mut rec = alert(4, "w", "x", EventKind::PollRecovered, 20);
        rec.event.fingerprint = failing.event.fingerprint.clone();
        let p = plan(&cfg, &[rec], &firing, &|_| None, &NoVersions, 20);
        assert!(p.batch.notifications.is_empty());
        assert_eq!(p.batch.firing.len(), 1);
    }
}
