//! `/alerts`: alert history with every delivery and attempt per sink; failed deliveries
//! can be queued again and pending ones cancelled from here; silences are listed, added
//! and expired below.

use axum::extract::{RawQuery, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use super::{Viewer, action, error_page, layout, pill, time};
use crate::notification::EventKind;
use crate::query::SilenceView;
use crate::store::AlertQuery;
use crate::web::State;
use crate::web::api::{cursor, params, uncursor};

/// Alerts per page.
const PAGE: usize = 50;

/// Overall statuses, as the store names them.
const STATUSES: [&str; 6] = ["pending", "sent", "failed", "silenced", "unrouted", "new"];

#[derive(Debug, Default, Deserialize)]
struct Filter {
    watch: Option<String>,
    status: Option<String>,
    cursor: Option<String>,
}

pub(super) async fn page(
    AxState(state): AxState<State>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let viewer = Viewer::of(&state, &headers);
    let f: Filter = match params(raw) {
        Ok(f) => f,
        Err(p) => return error_page(&viewer, StatusCode::BAD_REQUEST, "Bad filter", &p.detail),
    };
    let before = f
        .cursor
        .as_deref()
        .and_then(|c| uncursor(c).ok())
        .and_then(|k| k.parse().ok());
    let watch = f.watch.clone().filter(|w| !w.is_empty());
    let status = f.status.clone().filter(|s| !s.is_empty());
    let mut list = match state
        .query
        .alerts(AlertQuery {
            watch: watch.clone(),
            status: status.clone(),
            since: None,
            limit: PAGE + 1,
            before,
        })
        .await
    {
        Ok(l) => l,
        Err(e) => {
            return error_page(
                &viewer,
                StatusCode::SERVICE_UNAVAILABLE,
                "Cannot read alerts",
                &e.to_string(),
            );
        }
    };
    let more = list.len() > PAGE;
    list.truncate(PAGE);
    let next = more
        .then(|| list.last().map(|a| cursor(&a.alert.id.to_string())))
        .flatten();
    let any_failed = list.iter().any(|a| a.status == "failed");
    let silences = state.query.silences().await.unwrap_or_default();
    let body = html! {
        h1 { "Alerts" }
        p.sub { "Every alert with its deliveries to each sink and every attempt." }
        form.filters method="get" action="/alerts" {
            label { "Watch" input type="text" name="watch" value=(watch.as_deref().unwrap_or("")); }
            label { "Status"
                select name="status" {
                    option value="" { "any" }
                    @for s in STATUSES { option value=(s) selected[status.as_deref() == Some(s)] { (s) } }
                }
            }
            button type="submit" { "Filter" }
            @if viewer.admin && any_failed {
                (action(&viewer, "/api/v1/deliveries/redrive", "/alerts", "Redrive all failed deliveries", Some("Queue every failed delivery again?")))
            }
        }
        div.panel {
            @if list.is_empty() { div.empty { "No alerts." } } @else {
                table #alerts {
                    thead { tr { th { "#" } th { "When" } th { "Watch" } th { "Event" } th { "Status" } th { "Deliveries" } } }
                    tbody {
                        @for a in &list {
                            tr #{ "alert-" (a.alert.id) } data-status=(a.status) {
                                td.small { (a.alert.id) }
                                td.small { (time(a.alert.created_at)) }
                                td { a href={ "/watches/" (a.alert.watch.name) } { (a.alert.watch.name) } }
                                td {
                                    (pill(&format!("l-{}", a.alert.event.level.as_str()), a.alert.event.level.as_str()))
                                    " " span.small.muted { (a.alert.event.kind.as_str()) }
                                    div { (a.alert.event.summary.lines().next().unwrap_or_default()) }
                                }
                                td { (pill(&format!("s-{}", a.status), &a.status)) }
                                td {
                                    @if a.deliveries.is_empty() { span.muted.small { "none" } }
                                    @for d in &a.deliveries {
                                        div.delivery data-sink=(d.delivery.sink) data-status=(d.delivery.status.as_str()) {
                                            strong { (d.delivery.sink) } " "
                                            (pill(&format!("s-{}", d.delivery.status.as_str()), d.delivery.status.as_str()))
                                            span.small.muted { " " (d.delivery.attempts) " attempt" @if d.delivery.attempts != 1 { "s" } " · route " (d.route) }
                                            @if let Some(e) = &d.delivery.last_error { div.small.err { (e) } }
                                            @if !d.attempts.is_empty() {
                                                details.small {
                                                    summary { "attempts" }
                                                    @for t in &d.attempts {
                                                        div { (time(t.at)) " · " (format!("{:?}", t.outcome).to_lowercase())
                                                            @if let Some(s) = t.status { " · HTTP " (s) }
                                                            " · " (t.latency_ms) " ms"
                                                            @if !t.detail.is_empty() { " · " span.muted { (t.detail) } } }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                    @if viewer.admin && a.status == "failed" {
                                        (action(&viewer, &format!("/api/v1/alerts/{}/redrive", a.alert.id), "/alerts", "Redrive", None))
                                    }
                                    @if viewer.admin && a.deliveries.iter().any(|d| d.delivery.status.as_str() == "pending") {
                                        (action(&viewer, &format!("/api/v1/alerts/{}/cancel", a.alert.id), "/alerts", "Cancel pending", Some("Cancel the pending deliveries of this alert? They will not be sent.")))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(c) = next {
            p { a href={ "/alerts?cursor=" (c) "&watch=" (watch.as_deref().unwrap_or("")) "&status=" (status.as_deref().unwrap_or("")) } { "Older alerts →" } }
        }
        (silences_section(&viewer, &silences))
    };
    layout(&viewer, "Alerts", "/alerts", body)
}

/// Durations offered by the silence form.
const DURATIONS: [(&str, &str); 5] = [
    ("1h", "1 hour"),
    ("4h", "4 hours"),
    ("24h", "1 day"),
    ("7d", "7 days"),
    ("30d", "30 days"),
];

/// Silences in force, scheduled and ended, with a form to add one (admins).
fn silences_section(viewer: &Viewer, list: &[SilenceView]) -> Markup {
    let now = crate::clock::now_millis();
    let shown: Vec<&SilenceView> = list
        .iter()
        .filter(|s| s.active || s.ends.is_none_or(|e| e > now - RECENTLY_ENDED_MS))
        .collect();
    html! {
        h2 #silences { "Silences" }
        p.sub { "Matching alerts are recorded as silenced and not delivered. Silences from the config file change with the file." }
        div.panel {
            @if shown.is_empty() { div.empty { "No silences." } } @else {
                table #silence-list {
                    thead { tr { th { "Matches" } th { "Comment" } th { "Until" } th { "Source" } th {} } }
                    tbody {
                        @for s in shown {
                            tr data-silence=[s.id] data-active=(s.active) {
                                td.small {
                                    @if !s.watch.is_empty() { div { "watch " code { (s.watch.join(", ")) } } }
                                    @if !s.event.is_empty() { div { "event " code { (s.event.join(", ")) } } }
                                    @if !s.level.is_empty() { div { "level " code { (s.level.join(", ")) } } }
                                    @for (k, v) in &s.labels { div { "label " code { (k) "=" (v) } } }
                                }
                                td { (s.comment) }
                                td.small {
                                    @if s.active { (pill("s-silenced", "active")) " " } @else if s.starts.is_some_and(|t| t > now) { (pill("s-pending", "scheduled")) " " } @else { (pill("s-new", "ended")) " " }
                                    @match s.ends { Some(e) => (time(e)), None => span.muted { "open-ended" } }
                                }
                                td.small.muted { (s.source) }
                                td {
                                    @if let (true, true, Some(id)) = (viewer.admin, s.active, s.id) {
                                        (action(viewer, &format!("/api/v1/silences/{id}/expire"), "/alerts#silences", "Expire", None))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !viewer.admin && viewer.can_login {
            p.small.muted { a href="/login?next=/alerts" { "Log in" } " to add or expire silences and to cancel pending deliveries." }
        }
        @if viewer.admin {
            form.filters.panel.pad #add-silence method="post" action="/api/v1/silences" {
                input type="hidden" name="csrf" value=(viewer.csrf.as_deref().unwrap_or(""));
                input type="hidden" name="next" value="/alerts#silences";
                label { "Watches (globs, comma-separated)" input type="text" name="watch" placeholder="stripe*"; }
                label { "Event"
                    select name="event" {
                        option value="" { "any" }
                        @for k in EventKind::ALL { option value=(k.as_str()) { (k.as_str()) } }
                    }
                }
                label { "Level"
                    select name="level" {
                        option value="" { "any" }
                        @for l in ["breaking", "warning", "info"] { option value=(l) { (l) } }
                    }
                }
                label { "For"
                    select name="duration" {
                        @for (v, text) in DURATIONS { option value=(v) selected[v == "4h"] { (text) } }
                    }
                }
                label { "Comment" input type="text" name="comment" required placeholder="vendor maintenance"; }
                button.primary type="submit" { "Add silence" }
            }
        }
    }
}

/// Ended silences stay listed this long.
const RECENTLY_ENDED_MS: i64 = 7 * 86_400_000;
