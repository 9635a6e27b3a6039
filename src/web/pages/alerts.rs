//! `/alerts`: alert history with every delivery and attempt per sink; failed deliveries
//! can be queued again from here.

use axum::extract::{RawQuery, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::{Viewer, action, error_page, layout, pill, time};
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
    };
    layout(&viewer, "Alerts", "/alerts", body)
}
