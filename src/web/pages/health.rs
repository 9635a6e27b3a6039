//! The endpoint health section of a watch page: counts by state, uptime and latency
//! windows, a table per endpoint, latency charts over 24 h and 7 d (server-drawn SVG
//! from the hourly buckets) and the certificates of the probed hosts.

use maud::{Markup, html};

use super::{maybe_time, pill, svg, time};
use crate::clock::now_millis;
use crate::health::query::{HourPoint, MINUTE_MS, WindowStats};
use crate::store::{EndpointHealth, HOUR_MS, hour_of};
use crate::web::State;
use crate::web::svg::{HourStats, latency_chart};

/// Certificates closer than this to expiry are shown as a warning.
const CERT_WARN_DAYS: i64 = 14;

/// The section, or None when the watch's health is neither enabled nor recorded.
pub(super) async fn section(state: State, name: String) -> Option<Markup> {
    let h = state.query.health(&name, 24, true).await.ok()?;
    if !h.enabled && h.health.endpoints.is_empty() {
        return None;
    }
    let now = now_millis();
    let last_hour = hour_of(now);
    let c = h.health.counts;
    let w = &h.health.windows;
    let err = h.health.percentile_error * 100.0;
    Some(html! {
        h2 #health { "Endpoint health" }
        @if h.health.endpoints.is_empty() {
            div.panel.empty { "Probing is enabled; the endpoints appear after the first probes of the latest version." }
        } @else {
            div.cards.health-cards {
                @for (n, label, class) in [(c.up, "up", "h-up"), (c.degraded, "degraded", "h-degraded"), (c.down, "down", "h-down"), (c.unknown, "unknown", "h-unknown")] {
                    div.card.panel { div class={ "n " (class) } { (n) } div.k { "endpoints " (label) } }
                }
                div.card.panel {
                    div.n { (pct(w.h24.uptime)) } div.k { "uptime, 24 h" }
                    div.k.small { "7 d " (pct(w.d7.uptime)) " · 30 d " (pct(w.d30.uptime)) }
                }
                div.card.panel {
                    div.n { (ms(w.h24.p95_ms)) } div.k { "p95 latency, 24 h" }
                    div.k.small { "p50 " (ms(w.h24.p50_ms)) " · p99 " (ms(w.h24.p99_ms)) }
                }
            }
            (chart("Latency, last hour (per minute)", &h.series_1h, now - now.rem_euclid(MINUTE_MS), 60, MINUTE_MS, 1160))
            div.grid2.charts {
                (chart("Last 24 hours (per hour)", &h.series, last_hour, 24, HOUR_MS, 560))
                (chart("Last 7 days (per hour)", &h.series_7d, last_hour, 24 * 7, HOUR_MS, 560))
            }
            div.panel.scroll {
                table #health-endpoints {
                    thead { tr {
                        th { "Endpoint" } th { "State" } th { "Last check" }
                        th.num { "Uptime 24 h" } th.num { "7 d" } th.num { "30 d" }
                        th.num { "p50" } th.num { "p95" } th.num { "p99" }
                    } }
                    tbody {
                        @for e in &h.health.endpoints {
                            tr data-state=(e.state.as_str()) data-operation=(e.operation) {
                                td {
                                    code { (e.operation) }
                                    div.small.muted.url { (e.url) }
                                }
                                td {
                                    (pill(state_class(e.state), e.state.as_str()))
                                    div.small.muted { "since " (time(e.since)) }
                                }
                                td.small {
                                    @match &e.last {
                                        Some(p) => {
                                            @if p.status > 0 { "HTTP " (p.status) } @else { span.err { (p.class.as_str()) } }
                                            " · " (ms(Some(f64::from(p.latency_us) / 1000.0)))
                                            div.muted { (time(p.at)) }
                                        }
                                        None => span.muted { "not yet" },
                                    }
                                    @if let Some(err) = &e.last_error {
                                        @if e.state != EndpointHealth::Up { div.err { (err) } }
                                    }
                                }
                                td.num { (pct(e.windows.h24.uptime)) }
                                td.num { (pct(e.windows.d7.uptime)) }
                                td.num { (pct(e.windows.d30.uptime)) }
                                td.num { (ms(e.windows.h24.p50_ms)) }
                                td.num { (ms(e.windows.h24.p95_ms)) }
                                td.num { (ms(e.windows.h24.p99_ms)) }
                            }
                        }
                    }
                }
            }
            p.small.muted {
                "Percentiles over the last 24 hours (the current hour and the 23 before it), within ±"
                (format!("{err:.0}")) " % of the exact value; uptime counts healthy probes. "
                a href={ "/api/v1/watches/" (name) "/health" } { "JSON" }
            }
        }
        @if !h.health.certificates.is_empty() {
            h3 { "Certificates" }
            div.panel {
                table #health-certs {
                    thead { tr { th { "Host" } th { "Expires" } th.num { "Days left" } th { "Checked" } } }
                    tbody {
                        @for cert in &h.health.certificates {
                            tr {
                                td { code { (cert.host) } }
                                td { (time(cert.not_after)) }
                                td.num {
                                    @if cert.days_left < 0 { (pill("h-down", "expired")) }
                                    @else if cert.days_left <= CERT_WARN_DAYS { (pill("h-degraded", &cert.days_left.to_string())) }
                                    @else { (cert.days_left) }
                                }
                                td.small { (maybe_time(Some(cert.checked_at))) }
                            }
                        }
                    }
                }
            }
        }
    })
}

/// A chart of `slots` slots of `slot_ms` ending with the one at `last_slot`.
fn chart(
    title: &str,
    points: &[HourPoint],
    last_slot: i64,
    slots: i64,
    slot_ms: i64,
    width: u32,
) -> Markup {
    let stats: Vec<HourStats> = points
        .iter()
        .map(|p| hour_stats(p.hour, &p.stats))
        .collect();
    let probed = points
        .iter()
        .any(|p| p.hour > last_slot - slots * slot_ms && p.stats.probes > 0);
    html! {
        figure.panel.pad.chart-box {
            figcaption {
                strong { (title) }
                span.legend {
                    span.key.k-p50 { "p50" } span.key.k-p95 { "p95" } span.key.k-p99 { "p99" }
                    span.key.k-up { "uptime" }
                }
            }
            @if probed { (svg(latency_chart(&stats, last_slot, slots, slot_ms, width, 170))) }
            @else { div.empty { "No probes in this window yet." } }
        }
    }
}

fn hour_stats(hour: i64, s: &WindowStats) -> HourStats {
    HourStats {
        hour,
        p50: s.p50_ms,
        p95: s.p95_ms,
        p99: s.p99_ms,
        uptime: s.uptime,
    }
}

fn state_class(s: EndpointHealth) -> &'static str {
    match s {
        EndpointHealth::Up => "h-up",
        EndpointHealth::Degraded => "h-degraded",
        EndpointHealth::Down => "h-down",
        EndpointHealth::Unknown => "h-unknown",
    }
}

/// "99.95 %" (two decimals below 100, none at 100; a no-break space before the unit,
/// so it never wraps alone), or a dash.
fn pct(v: Option<f64>) -> String {
    match v {
        Some(v) if v >= 99.995 => "100\u{a0}%".into(),
        Some(v) => format!("{v:.2}\u{a0}%"),
        None => "—".into(),
    }
}

/// "12 ms", "1.25 s", or a dash.
fn ms(v: Option<f64>) -> String {
    match v {
        Some(v) if v >= 1000.0 => format!("{:.2}\u{a0}s", v / 1000.0),
        Some(v) if v >= 10.0 => format!("{v:.0}\u{a0}ms"),
        Some(v) => format!("{v:.1}\u{a0}ms"),
        None => "—".into(),
    }
}
