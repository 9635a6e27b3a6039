//! Operations endpoints: `/metrics` (Prometheus / OpenMetrics text), `/healthz`
//! (the process answers), `/readyz` (store open and writable, config loaded) and
//! `/csp-report` (browsers' CSP violation reports, counted).

use axum::Router;
use axum::extract::State as AxState;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tracing::warn;

use super::State;
use crate::metrics::{METRICS, PluginLabel, SinkLabel};

/// The routes.
pub fn routes() -> Router<State> {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/csp-report", post(csp_report))
}

async fn metrics(AxState(state): AxState<State>) -> Response {
    let q = &state.query;
    let m = &*METRICS;
    // Gauges describe the present, so they are read at scrape time.
    if let Ok(depths) = q.queue_depths().await {
        m.queue_depth.clear();
        for (sink, n) in depths {
            m.queue_depth
                .get_or_create(&SinkLabel { sink })
                .set(n as i64);
        }
    }
    let sys = q.system();
    for s in &sys.sinks {
        // A sink with nothing queued shows 0, not nothing.
        let _ = m.queue_depth.get_or_create(&SinkLabel {
            sink: s.name.clone(),
        });
    }
    let reload = sys.status.last_reload.as_ref();
    m.config_reload_ok
        .set(i64::from(reload.is_none_or(|r| r.ok)));
    m.config_reload_time
        .set(reload.map_or(0.0, |r| r.at as f64 / 1000.0));
    m.plugin_loaded.clear();
    for p in &sys.plugins {
        m.plugin_loaded
            .get_or_create(&PluginLabel {
                plugin: p.name.clone(),
            })
            .set(i64::from(p.version.is_some() && p.error.is_none()));
    }
    m.store_size.set(sys.store_size as i64);
    m.endpoints.set(q.health_counters());
    m.watches.set(sys.status.watches.len() as i64);
    m.heavy_queued.set(sys.status.heavy.queued as i64);
    m.heavy_running.set(sys.status.heavy.running as i64);
    m.heavy_bytes.set(sys.status.heavy.bytes_in_flight as i64);
    let mut resp = m.encode().into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    resp
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz(AxState(state): AxState<State>) -> Response {
    let readiness = state.query.status().readiness();
    let problem = if !readiness.ready {
        Some(readiness.problems.join("; "))
    } else if state.query.store().is_read_only() {
        Some("the store is open read-only".to_string())
    } else {
        None
    };
    match problem {
        None => (StatusCode::OK, "ready\n").into_response(),
        Some(p) => (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {p}\n")).into_response(),
    }
}

async fn csp_report(body: axum::body::Bytes) -> StatusCode {
    METRICS.csp_reports.inc();
    warn!(
        report = %String::from_utf8_lossy(&body[..body.len().min(2000)]),
        "a browser reported a Content-Security-Policy violation on the status page"
    );
    StatusCode::NO_CONTENT
}
