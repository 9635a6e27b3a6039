//! `/system`: what the daemon runs: the last config reload, the store, the plugins
//! and sinks, and the build.

use axum::extract::State as AxState;
use axum::http::HeaderMap;
use axum::response::Response;
use maud::html;

use super::{Viewer, action, layout, pill, time};
use crate::web::State;

pub(super) async fn page(AxState(state): AxState<State>, headers: HeaderMap) -> Response {
    let viewer = Viewer::of(&state, &headers);
    let s = state.query.system();
    let st = &s.status;
    let body = html! {
        h1 { "System" }
        div.grid2 {
            section {
                h2 { "Daemon" }
                dl.kv.panel.pad {
                    dt { "Started" } dd { (time(st.started_at)) }
                    dt { "Config file" } dd { code { (st.config_file) } }
                    dt { "Watches running" } dd { (st.watches.len()) }
                    dt { "Ready" } dd { @if st.ready { (pill("s-ok", "ready")) } @else { (pill("s-failing", "not ready")) } }
                    dt { "Version" } dd { (s.build.version) " (" (s.build.target) ")" }
                }
            }
            section {
                h2 { "Store" }
                dl.kv.panel.pad {
                    dt { "Path" } dd { code { (s.store_path) } }
                    dt { "Size on disk" } dd { (human_bytes(s.store_size)) }
                    @if let Some(e) = &st.store.last_error { dt { "Last write error" } dd.err { (e) } }
                }
            }
        }
        h2 { "Last config reload" }
        div.panel.pad #reload {
            @match &st.last_reload {
                None => span.muted { "No reload since start." },
                Some(r) => {
                    @if r.ok { (pill("s-ok", "applied")) } @else { (pill("s-failed", "rejected")) }
                    " " (time(r.at)) " · " span.muted { "by " (r.cause) }
                    @if !r.errors.is_empty() {
                        p.small { "The previous configuration keeps running. Problems:" }
                        pre { @for e in &r.errors { (e) "\n" } }
                    }
                }
            }
        }
        h2 { "Plugins" }
        div.panel {
            @if s.plugins.is_empty() { div.empty { "No plugins (no [plugins] section, or none in its directory)." } } @else {
                table #plugins {
                    thead { tr { th { "Plugin" } th { "Version" } th { "WIT" } th { "Used by sinks" } th { "Status" } } }
                    tbody {
                        @for p in &s.plugins {
                            tr {
                                td { strong { (p.name) } }
                                td { (p.version.as_deref().unwrap_or("—")) }
                                td.small { (p.wit.as_deref().unwrap_or("—")) }
                                td.small { (p.sinks.join(", ")) }
                                td {
                                    @match &p.error {
                                        None => (pill("s-ok", "loaded")),
                                        Some(e) => { (pill("s-failed", "load error")) div.small.err { (e) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Sinks" }
        div.panel {
            @if s.sinks.is_empty() { div.empty { "No sinks configured." } } @else {
                table #sinks {
                    thead { tr { th { "Sink" } th { "Type" } th { "Last test" } th {} } }
                    tbody { @for k in &s.sinks {
                        tr data-sink=(k.name) {
                            td { strong { (k.name) } }
                            td { (k.kind) }
                            td.small.test-result {
                                @match s.sink_tests.get(&k.name) {
                                    None => span.muted { "not tested since start" },
                                    Some(t) => {
                                        @if t.ok { (pill("s-sent", "delivered")) } @else { (pill("s-failed", t.result)) }
                                        @if let Some(code) = t.status { " · " (code) }
                                        " · " (t.latency_ms) " ms · " (time(t.at))
                                        @if !t.detail.is_empty() { div class=[(!t.ok).then_some("err")] { (t.detail) } }
                                    }
                                }
                            }
                            td {
                                @if viewer.admin {
                                    (action(&viewer, &format!("/api/v1/sinks/{}/test", k.name), "/system#sinks", "Send test alert", None))
                                }
                            }
                        }
                    } }
                }
            }
        }
    };
    layout(&viewer, "System", "/system", body)
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / f64::from(1u32 << 30)),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / f64::from(1u32 << 20)),
        n => format!("{:.1} KiB", n as f64 / 1024.0),
    }
}
