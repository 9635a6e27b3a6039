//! The status page, JSON API and metrics: axum on hyper on `[server] listen`, at the
//! edge of the data flow. Everything it shows comes through [`Query`], the read model the
//! control socket uses too.
//!
//! Layout: `api` (JSON under /api/v1, with its OpenAPI document in `openapi`), `pages`
//! (server-rendered HTML, maud), `assets` (rust-embed, content-hashed), `auth` (token,
//! login cookie, CSRF), `public` (badges, Atom feeds), `ops` (/metrics, /healthz, /readyz),
//! `problem` (RFC 7807 errors), `svg` (charts).

pub mod api;
pub mod assets;
pub mod auth;
pub mod explain_api;
pub mod openapi;
pub mod ops;
pub mod pages;
pub mod problem;
pub mod public;
pub mod svg;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request, header};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tracing::{error, info, info_span, warn};

use crate::config::ServerConfig;
use crate::query::Query;

/// The Content-Security-Policy of every response: no inline script or style, nothing
/// from other origins, no framing. Violations are reported to `/csp-report`.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; \
report-uri /csp-report";

/// Why the web listener could not start.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The address could not be bound.
    #[error(
        "cannot listen on {addr} for the status page and API: {source}; change [server] listen"
    )]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// What every handler gets.
pub struct AppState {
    /// The read model.
    pub query: Query,
    /// `[server]`.
    pub cfg: ServerConfig,
}

/// Shared handler state.
pub type State = Arc<AppState>;

/// How often a listener that could not bind tries again.
const REBIND_EVERY: Duration = Duration::from_secs(30);

/// Serves on `cfg.listen` until `shutdown` turns true, then finishes the requests in
/// flight. When the address cannot be bound (another process has the port), the error
/// is logged and binding is retried every 30 s: the page is not worth stopping the
/// watches and alerts for.
pub async fn serve(
    cfg: ServerConfig,
    query: Query,
    shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    match serve_on(cfg.clone(), query.clone(), shutdown.clone()).await {
        Ok((task, _)) => task,
        Err(e) => {
            error!("{e}; the daemon runs on without it and tries again every 30s");
            tokio::spawn(rebind(cfg, query, shutdown))
        }
    }
}

async fn rebind(cfg: ServerConfig, query: Query, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(REBIND_EVERY) => {}
            _ = shutdown.wait_for(|s| *s) => return,
        }
        if let Ok((task, _)) = serve_on(cfg.clone(), query.clone(), shutdown.clone()).await {
            let _ = task.await;
            return;
        }
    }
}

/// Binds `cfg.listen` (port 0 picks a free one) and serves; returns the serving task
/// and the bound address.
pub async fn serve_on(
    cfg: ServerConfig,
    query: Query,
    mut shutdown: watch::Receiver<bool>,
) -> Result<(JoinHandle<()>, SocketAddr), WebError> {
    let addr = cfg.listen;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| WebError::Bind { addr, source })?;
    let bound = listener.local_addr().unwrap_or(addr);
    info!(listen = %bound, "status page, API and metrics on http://{bound}/");
    let app = router(Arc::new(AppState { query, cfg }));
    let task = tokio::spawn(async move {
        let stop = async move {
            let _ = shutdown.wait_for(|s| *s).await;
        };
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(stop)
            .await
        {
            warn!("the web listener stopped: {e}");
        }
    });
    Ok((task, bound))
}

/// Every route with its middleware.
pub fn router(state: State) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .merge(pages::routes())
        .merge(public::routes())
        .merge(ops::routes())
        .nest("/api/v1", api::routes())
        .merge(assets::routes())
        .fallback(pages::not_found)
        .with_state(state.clone())
        .layer(axum::middleware::from_fn_with_state(
            state,
            auth::read_guard,
        ))
        .layer(CompressionLayer::new())
        .layer(security_header(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(security_header(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(security_header(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(security_header(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    let id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %id)
                })
                .on_request(())
                .on_response(
                    tower_http::trace::DefaultOnResponse::new()
                        .level(tracing::Level::DEBUG)
                        .latency_unit(tower_http::LatencyUnit::Micros),
                ),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

fn security_header(name: HeaderName, value: HeaderValue) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, value)
}
