//! `/watches/{name}`: a watch's version timeline, a diff between any two versions,
//! recent polls and its alerts; `/watches/{name}/versions/{n}` opens the diff of that
//! version, `…/raw` its stored bytes.
//!
//! Other stages add their own section through [`SECTIONS`] (endpoint health,
//! per-version docs), so this file does not grow a branch per feature.

use std::future::Future;
use std::pin::Pin;

use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use super::{Viewer, action, error_page, layout, maybe_time, pill, time};
use crate::diff::{Level, Report};
use crate::query::headline;
use crate::store::{AlertQuery, PollOutcome};
use crate::web::State;
use crate::web::api::params;

/// Raw versions larger than this are shown cut, with a link to the full bytes.
const RAW_SHOWN: usize = 512 * 1024;

/// Extra sections of the watch page, in order: each gets the state and the watch's
/// name and returns its markup, or None to stay hidden. The seam for the health and
/// docs stages.
type Section = fn(State, String) -> Pin<Box<dyn Future<Output = Option<Markup>> + Send>>;
const SECTIONS: &[Section] = &[|s, n| Box::pin(super::health::section(s, n))];

#[derive(Debug, Default, Deserialize)]
struct DiffParams {
    from: Option<String>,
    to: Option<String>,
}

pub(super) async fn page(
    AxState(state): AxState<State>,
    Path(name): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let viewer = Viewer::of(&state, &headers);
    let p: DiffParams = match params(raw) {
        Ok(p) => p,
        Err(e) => return error_page(&viewer, StatusCode::BAD_REQUEST, "Bad parameter", &e.detail),
    };
    let parse = |s: Option<String>| {
        s.filter(|s| !s.is_empty())
            .and_then(|s| s.parse::<u64>().ok())
    };
    render(&state, &viewer, &name, parse(p.from), parse(p.to)).await
}

pub(super) async fn version_page(
    AxState(state): AxState<State>,
    Path((name, number)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let viewer = Viewer::of(&state, &headers);
    let n = match super::version_number(&viewer, &number) {
        Ok(n) => n,
        Err(page) => return *page,
    };
    render(&state, &viewer, &name, Some(n.saturating_sub(1)), Some(n)).await
}

async fn render(
    state: &State,
    viewer: &Viewer,
    name: &str,
    from: Option<u64>,
    to: Option<u64>,
) -> Response {
    let q = &state.query;
    let w = match q.watch(name).await {
        Ok(w) => w,
        Err(e) => {
            return error_page(
                viewer,
                StatusCode::NOT_FOUND,
                "No such watch",
                &e.to_string(),
            );
        }
    };
    let versions = q.versions(name).await.unwrap_or_default();
    let polls = q.polls(name, 20).await.unwrap_or_default();
    let alerts = q
        .alerts(AlertQuery {
            watch: Some(name.to_string()),
            limit: 20,
            ..AlertQuery::default()
        })
        .await
        .unwrap_or_default();
    let latest = w.summary.latest_version;
    let to = to.filter(|&t| t >= 1 && t <= latest).unwrap_or(latest);
    let from = from
        .filter(|&f| f >= 1 && f <= latest)
        .unwrap_or(to.saturating_sub(1));
    let diff = if from >= 1 && to >= 1 && from != to {
        Some(q.diff(name, from, to).await.map_err(|e| e.to_string()))
    } else {
        None
    };
    // The pair's summary: stored for consecutive versions, else from the diff.
    let stored = q.stored_summaries(name).await.unwrap_or_default();
    let pair_summary = match &diff {
        Some(Ok(report)) => Some(
            stored
                .get(&to)
                .filter(|_| to == from + 1)
                .cloned()
                .unwrap_or_else(|| {
                    crate::explain::StoredSummary::new(crate::explain::summarize(report, None))
                }),
        ),
        _ => None,
    };
    let mut sections = Vec::new();
    for section in SECTIONS {
        sections.extend(section(state.clone(), name.to_string()).await);
    }
    let back = format!("/watches/{name}");
    let paused = w.summary.state == "paused";
    let body = html! {
        p.small { a href="/" { "← Watches" } }
        h1 { (w.summary.name) " " (pill(&format!("s-{}", w.summary.state), w.summary.state)) }
        p.sub {
            @if let Some(p) = &w.summary.provider { (p) " · " }
            @if let Some(p) = &w.summary.product { (p) " · " }
            @if let Some(s) = &w.schedule { "polled " (s) }
            @if !w.configured { "not in the running configuration (history only)" }
        }
        @if let Some(p) = &w.summary.problem { p.notice { (p) } }
        dl.kv.panel.pad {
            dt { "Source" } dd { code { (w.source.as_deref().unwrap_or("—")) } }
            dt { "Latest version" } dd { "v" (latest) " " span.muted { (maybe_time(w.summary.latest_at)) } }
            dt { "Last poll" } dd { (maybe_time(w.summary.last_poll_at)) }
            dt { "Badges" } dd {
                img src={ "/badge/" (name) "/level.svg" } alt="last change level";
                " "
                img src={ "/badge/" (name) "/versions.svg" } alt="version count";
            }
            dt { "Feed" } dd { a href={ "/watches/" (name) "/feed.atom" } { "Atom feed of changes" } }
            dt { "For agents" } dd { a href={ "/api/v1/watches/" (name) "/changes.md" } { "changes.md" } " (what changed and what to do, as markdown)" }
        }
        @if viewer.admin && w.configured {
            div.actions {
                (action(viewer, &format!("/api/v1/watches/{name}/poll"), &back, "Poll now", None))
                @if paused {
                    (action(viewer, &format!("/api/v1/watches/{name}/resume"), &back, "Resume", None))
                } @else {
                    (action(viewer, &format!("/api/v1/watches/{name}/pause"), &back, "Pause", Some("Stop polling this watch until it is resumed?")))
                }
            }
        } @else if viewer.can_login {
            p.small.muted { a href={ "/login?next=" (back) } { "Log in" } " to poll, pause or resume." }
        }

        h2 #diff { "Changes" }
        @if latest < 2 {
            div.panel.empty { "A diff needs two versions; this watch has " (latest) "." }
        } @else {
            form.filters method="get" action=(back) {
                label { "From" (version_select("from", latest, from)) }
                label { "To" (version_select("to", latest, to)) }
                button type="submit" { "Compare" }
            }
            @match &diff {
                Some(Ok(report)) => {
                    @if let Some(s) = &pair_summary { div.panel.pad #summary { (super::docs::stored_view(s)) } }
                    (report_view(report, from, to))
                },
                Some(Err(e)) => p.notice.err { (e) },
                None => div.panel.empty { "Pick two different versions." },
            }
        }

        @for m in sections { (m) }

        h2 { "Versions" }
        div.panel {
            @if versions.is_empty() { div.empty { "No version stored yet." } } @else {
                table #versions {
                    thead { tr { th { "Version" } th { "Fetched" } th { "Changes" } th { "Spec" } th.num { "Size" } th {} } }
                    tbody {
                        @for v in &versions {
                            tr data-version=(v.meta.number) {
                                td { a href={ "/watches/" (name) "/versions/" (v.meta.number) } { strong { "v" (v.meta.number) } } }
                                td.small { (time(v.meta.fetched_at)) }
                                td {
                                    @if let Some(c) = v.meta.change_counts {
                                        @if c.breaking > 0 { (pill("l-breaking", &format!("{} breaking", c.breaking))) " " }
                                        @if c.warning > 0 { (pill("l-warning", &format!("{} warning", c.warning))) " " }
                                        @if c.info > 0 { (pill("l-info", &format!("{} info", c.info))) }
                                        @if c.breaking + c.warning + c.info == 0 { span.muted { (headline(&v.meta)) } }
                                    } @else { span.muted { (v.headline) } }
                                    @if let Some(s) = stored.get(&v.meta.number) {
                                        div.small.summary-line { (s.summary.headline) }
                                        @if let Some(first) = s.summary.items.first().filter(|i| i.level == Level::Breaking) {
                                            div.small.muted { (super::docs::code_spans(&first.text)) }
                                        }
                                        @if s.generated.is_some() { div.small.muted { "generated summary available" } }
                                    }
                                }
                                td.small.muted { (v.meta.spec_version.as_deref().unwrap_or("")) }
                                td.num.small { (kib(v.meta.raw_size)) }
                                td.small {
                                    a href={ "/watches/" (name) "/versions/" (v.meta.number) "/raw" } { "raw" } " · "
                                    a href={ "/watches/" (name) "/versions/" (v.meta.number) "/docs" } { "docs" } " · "
                                    a href={ "/api/v1/watches/" (name) "/versions/" (v.meta.number) "/normalized" } { "normalized" }
                                }
                            }
                        }
                    }
                }
            }
        }

        h2 { "Recent polls" }
        div.panel {
            @if polls.is_empty() { div.empty { "Not polled yet." } } @else {
                table #polls {
                    thead { tr { th { "When" } th { "Outcome" } th.num { "HTTP" } th.num { "Took" } } }
                    tbody {
                        @for p in &polls {
                            tr {
                                td.small { (time(p.at)) }
                                td { (poll_outcome(&p.outcome)) }
                                td.num.small { (p.http_status.map(|s| s.to_string()).unwrap_or_default()) }
                                td.num.small { (p.duration_ms) " ms" }
                            }
                        }
                    }
                }
            }
        }

        h2 { "Alerts" }
        div.panel {
            @if alerts.is_empty() { div.empty { "No alerts for this watch." } } @else {
                table {
                    thead { tr { th { "#" } th { "When" } th { "Event" } th { "Status" } } }
                    tbody {
                        @for a in &alerts {
                            tr {
                                td.small { a href={ "/alerts?watch=" (name) "#alert-" (a.alert.id) } { (a.alert.id) } }
                                td.small { (time(a.alert.created_at)) }
                                td { (a.alert.event.summary.lines().next().unwrap_or_default()) }
                                td { (pill(&format!("s-{}", a.status), &a.status)) }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(viewer, &w.summary.name, "/", body)
}

fn version_select(name: &str, latest: u64, selected: u64) -> Markup {
    html! {
        select name=(name) {
            @for n in (1..=latest).rev() {
                option value=(n) selected[n == selected] { "v" (n) }
            }
        }
    }
}

/// Operations of a group listed in full under its disclosure at most; the rest are counted.
const OPS_LISTED: usize = 200;

/// The diff, breaking first, one entry per root cause (rule id and the pointer where the
/// change is defined) with the operations it reaches collapsed.
fn report_view(r: &Report, from: u64, to: u64) -> Markup {
    let levels = [Level::Breaking, Level::Warning, Level::Info];
    let causes = &r.summary.root_causes;
    html! {
        p.sub #diff-summary {
            "v" (from) " → v" (to) ": "
            @if r.changes.is_empty() { "no API changes." } @else {
                (causes.breaking) " breaking, " (causes.warning) " warning, " (causes.info) " info"
                " root cause" @if r.groups.len() != 1 { "s" }
                span.muted { " (" (r.changes.len()) " per-operation record" @if r.changes.len() != 1 { "s" } ")" }
            }
        }
        @for level in levels {
            @let groups: Vec<_> = r.groups.iter().filter(|g| g.level == level).collect();
            @if !groups.is_empty() {
                details.panel open[level != Level::Info] data-level=(level.as_str()) {
                    summary.change { (pill(&format!("l-{}", level.as_str()), level.as_str())) " " (groups.len()) " root cause" @if groups.len() != 1 { "s" } }
                    @for g in groups {
                        div.change data-rule=(g.id) data-operations=(g.operation_count) {
                            div.msg { (g.message) }
                            div.meta {
                                code { (g.id) }
                                code.ptr title="where the change is defined" { (g.pointer) }
                            }
                            @if let Some(first) = g.operations.first() {
                                @if g.operation_count == 1 {
                                    div.ops.small { "in " code { (first) } }
                                } @else {
                                    details.ops.small {
                                        summary { "in " code { (first) } " and " (g.operation_count - 1) " more" }
                                        ul {
                                            @for op in g.operations.iter().take(OPS_LISTED) { li { code { (op) } } }
                                            @if g.operation_count > OPS_LISTED { li.muted { "… and " (g.operation_count - OPS_LISTED) " more" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                br;
            }
        }
    }
}

fn poll_outcome(o: &PollOutcome) -> Markup {
    match o {
        PollOutcome::Unchanged { not_modified } => html! {
            span.muted { "unchanged" @if *not_modified { " (304)" } }
        },
        PollOutcome::Reformatted => html! { span.muted { "reformatted, same API" } },
        PollOutcome::NewVersion { number } => {
            html! { (pill("s-changed", &format!("new version v{number}"))) }
        }
        PollOutcome::Error { kind, message } => html! {
            (pill("s-failed", kind.as_str())) " " span.small.err { (message) }
        },
    }
}

fn kib(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / 1048576.0)
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

pub(super) async fn raw_page(
    AxState(state): AxState<State>,
    Path((name, number)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let viewer = Viewer::of(&state, &headers);
    let n = match super::version_number(&viewer, &number) {
        Ok(n) => n,
        Err(page) => return *page,
    };
    let (meta, bytes) = match state.query.raw(&name, n).await {
        Ok(r) => r,
        Err(e) => {
            return error_page(
                &viewer,
                StatusCode::NOT_FOUND,
                "No such version",
                &e.to_string(),
            );
        }
    };
    let cut = bytes.len() > RAW_SHOWN;
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(RAW_SHOWN)]);
    let body = html! {
        p.small { a href={ "/watches/" (name) } { "← " (name) } }
        h1 { (name) " v" (n) " — stored bytes" }
        p.sub {
            (kib(meta.raw_size)) " as fetched " (time(meta.fetched_at)) " · sha256 " code { (meta.raw_sha256) } " · "
            a href={ "/api/v1/watches/" (name) "/versions/" (n) "/raw" } { "download" }
        }
        @if cut { p.notice { "Showing the first " (kib(RAW_SHOWN as u64)) "; download for the rest." } }
        pre #raw { (text) }
    };
    layout(&viewer, &format!("{name} v{n}"), "/", body)
}
