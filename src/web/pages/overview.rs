//! `/`: every watch with its state, latest version, last change level and a sparkline
//! of versions over time; filter by label, state and name.

use axum::extract::{RawQuery, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::{Viewer, error_page, layout, maybe_time, pill, svg};
use crate::clock::now_millis;
use crate::web::State;
use crate::web::api::{WatchFilter, cursor, params, uncursor};
use crate::web::svg::sparkline;

/// Rows per page: a thousand rows would make a page nobody reads and everyone waits for.
const PAGE: usize = 100;

/// The states a watch can be in, in the order the summary cards show them.
const STATES: [&str; 5] = ["ok", "changed", "failing", "paused", "new"];

#[derive(Debug, Default, Deserialize)]
struct Filter {
    #[serde(default)]
    q: String,
    #[serde(flatten)]
    watch: WatchFilter,
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
    let all = match state.query.watches().await {
        Ok(w) => w,
        Err(e) => {
            return error_page(
                &viewer,
                StatusCode::SERVICE_UNAVAILABLE,
                "Cannot read the store",
                &e.to_string(),
            );
        }
    };
    let q = f.q.trim().to_lowercase();
    let after = f.watch.cursor.as_deref().and_then(|c| uncursor(c).ok());
    let matching: Vec<_> = all
        .iter()
        .filter(|w| f.watch.matches(w))
        .filter(|w| q.is_empty() || search_text(w).contains(&q))
        .collect();
    let shown: Vec<_> = matching
        .iter()
        .filter(|w| after.as_deref().is_none_or(|a| w.name.as_str() > a))
        .take(PAGE)
        .collect();
    let next = (shown.len() == PAGE)
        .then(|| shown.last().map(|w| w.name.as_str()))
        .flatten()
        .filter(|last| matching.last().is_some_and(|m| m.name.as_str() != *last))
        .map(|last| {
            let mut url = url::form_urlencoded::Serializer::new(String::new());
            url.append_pair("q", &f.q)
                .append_pair("label", f.watch.label.as_deref().unwrap_or(""))
                .append_pair("state", f.watch.state.as_deref().unwrap_or(""))
                .append_pair("cursor", &cursor(last));
            format!("/?{}", url.finish())
        });
    let now = now_millis();
    let count = |s: &str| all.iter().filter(|w| w.state == s).count();
    let (up, down) = all
        .iter()
        .filter_map(|w| w.endpoints)
        .fold((0, 0), |(u, d), c| (u + c.up + c.degraded, d + c.down));
    let body = html! {
        h1 { "Watches" }
        p.sub {
            (all.len()) " specs watched · " (matching.len()) " match" @if matching.len() > PAGE { ", " (PAGE) " per page" }
            @if up + down > 0 { " · endpoints " span #endpoint-totals { span.h-up { (up) " up" } ", " span class=[(down > 0).then_some("h-down")] { (down) " down" } } }
        }
        div.cards {
            @for s in STATES {
                a.card.panel href={ "/?state=" (s) } {
                    div class={ "n s-" (s) } { (count(s)) }
                    div.k { (s) }
                }
            }
        }
        form.filters method="get" action="/" {
            label { "Name, provider or product"
                input #q type="search" name="q" value=(f.q) placeholder="stripe";
            }
            label { "Label"
                input type="text" name="label" value=(f.watch.label.as_deref().unwrap_or("")) placeholder="team=payments";
            }
            label { "State"
                select name="state" {
                    option value="" { "any" }
                    @for s in STATES {
                        option value=(s) selected[f.watch.state.as_deref() == Some(s)] { (s) }
                    }
                }
            }
            button type="submit" { "Filter" }
            @if !f.q.is_empty() || f.watch.label.is_some() || f.watch.state.is_some() {
                a href="/" { "clear" }
            }
        }
        div.panel {
            @if shown.is_empty() {
                div.empty { "No watch matches. " @if all.is_empty() { "Add a [[watch]] to the config file." } }
            } @else {
                table #watches {
                    thead { tr {
                        th { "Watch" } th { "State" } th { "Latest version" }
                        th { "Last change" } th { "Endpoints" } th { "Versions over time" } th { "Last poll" }
                    } }
                    tbody {
                        @for w in &shown {
                            tr data-search=(search_text(w)) data-watch=(w.name) {
                                td {
                                    a href={ "/watches/" (w.name) } { strong { (w.name) } }
                                    @if w.provider.is_some() || w.product.is_some() {
                                        div.muted.small {
                                            (w.provider.as_deref().unwrap_or(""))
                                            @if w.provider.is_some() && w.product.is_some() { " · " }
                                            (w.product.as_deref().unwrap_or(""))
                                        }
                                    }
                                }
                                td {
                                    (pill(&format!("s-{}", w.state), w.state))
                                    @if let Some(p) = &w.problem { div.muted.small { (p) } }
                                }
                                td {
                                    @if w.latest_version > 0 {
                                        a href={ "/watches/" (w.name) "/versions/" (w.latest_version) } { "v" (w.latest_version) }
                                        " " span.muted.small { (maybe_time(w.latest_at)) }
                                    } @else { span.muted { "none yet" } }
                                }
                                td {
                                    @match w.last_level {
                                        Some(l) => (pill(&format!("l-{l}"), l)),
                                        None if w.latest_version > 1 => (pill("l-none", "no API change")),
                                        None => span.muted { "—" },
                                    }
                                }
                                td.ep-cell { (endpoint_counts(w)) }
                                td { (svg(sparkline(&w.version_times, now, 120, 24))) }
                                td.small { (maybe_time(w.last_poll_at)) }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(n) = next { p { a href=(n) { "Next " (PAGE) " →" } } }
    };
    layout(&viewer, "Watches", "/", body)
}

/// "3 up · 1 down" pills, or a dash when the watch's endpoints are not probed.
fn endpoint_counts(w: &crate::query::WatchSummary) -> maud::Markup {
    let Some(c) = w.endpoints else {
        return html! { span.muted { "—" } };
    };
    html! {
        div.ep-counts data-up=(c.up + c.degraded) data-down=(c.down) {
            @if c.up > 0 { (pill("h-up", &format!("{} up", c.up))) }
            @if c.degraded > 0 { (pill("h-degraded", &format!("{} slow", c.degraded))) }
            @if c.down > 0 { (pill("h-down", &format!("{} down", c.down))) }
            @if c.unknown > 0 { (pill("h-unknown", &format!("{} unknown", c.unknown))) }
        }
    }
}

fn search_text(w: &crate::query::WatchSummary) -> String {
    format!(
        "{} {} {}",
        w.name,
        w.provider.as_deref().unwrap_or(""),
        w.product.as_deref().unwrap_or("")
    )
    .to_lowercase()
}
