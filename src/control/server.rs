//! The daemon side of the control socket (a Unix socket in the store directory,
//! mode 0600: only the daemon's user may use it, so no token is needed).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::{Instrument, debug, info_span, warn};

use super::ops;
use super::protocol::{Request, Response};
use crate::daemon::DaemonShared;
use crate::scheduler::runner;

const MAX_REQUEST: u64 = 64 * 1024;

/// Binds `path` (replacing a stale socket: the caller holds the store lock, so no other
/// daemon can be using it) and serves requests until `shutdown`.
pub fn serve(
    path: &Path,
    shared: DaemonShared,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<JoinHandle<()>> {
    let _ = std::fs::remove_file(path);
    let listener = UnixListener::bind(path)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    Ok(tokio::spawn(async move {
        loop {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        let shared = shared.clone();
                        tokio::spawn(async move {
                            if let Err(e) = handle(stream, shared).await {
                                debug!("control connection ended: {e}");
                            }
                        });
                    }
                    Err(e) => warn!("control socket accept failed: {e}"),
                },
                _ = shutdown.changed() => break,
            }
        }
    }))
}

async fn handle(stream: UnixStream, shared: DaemonShared) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut line = String::new();
    BufReader::new(read.take(MAX_REQUEST))
        .read_line(&mut line)
        .await?;
    let resp = match serde_json::from_str::<Request>(&line) {
        Ok(req) => dispatch(req, &shared).await,
        Err(e) => fail(format!("bad request: {e}")),
    };
    let mut out = serde_json::to_vec(&resp).unwrap_or_default();
    out.push(b'\n');
    write.write_all(&out).await?;
    write.shutdown().await
}

fn fail(error: String) -> Response {
    Response {
        ok: false,
        data: serde_json::Value::Null,
        error: Some(error),
    }
}

fn ok(data: serde_json::Value) -> Response {
    Response {
        ok: true,
        data,
        error: None,
    }
}

async fn blocking<T: Send + 'static>(
    shared: &DaemonShared,
    f: impl FnOnce(&crate::store::Store) -> Result<T, ops::OpError> + Send + 'static,
) -> Result<T, String> {
    let store = shared.pipeline.store.clone();
    match tokio::task::spawn_blocking(move || f(&store)).await {
        Ok(r) => r.map_err(|e| e.to_string()),
        Err(e) => Err(format!("internal error: {e}")),
    }
}

async fn dispatch(req: Request, shared: &DaemonShared) -> Response {
    match req {
        Request::Poll { watch } => {
            let cfg = shared.supervisor.lock().await.watch(&watch);
            let Some(cfg) = cfg else {
                return fail(format!(
                    "watch {watch:?} is not in the running configuration"
                ));
            };
            let span = info_span!("watch", watch = %cfg.name);
            match runner::run_poll(&shared.pipeline, &cfg)
                .instrument(span)
                .await
            {
                Ok(report) => ok(serde_json::to_value(&report.outcome).unwrap_or_default()),
                Err(e) => fail(e.to_string()),
            }
        }
        Request::Resume { watch } => {
            let name = watch.clone();
            match blocking(shared, move |s| ops::resume(s, &name)).await {
                Ok(resumed) => {
                    if resumed {
                        tracing::info!(watch = %watch, "resumed by command");
                        shared.supervisor.lock().await.poll_soon(&watch);
                    }
                    ok(serde_json::json!({ "resumed": resumed }))
                }
                Err(e) => fail(e),
            }
        }
        Request::Status => {
            let mut status = shared.status.get();
            status.heavy = shared.pipeline.heavy_stats();
            ok(serde_json::to_value(status).unwrap_or_default())
        }
        Request::Redrive { target } => {
            match blocking(shared, move |s| ops::redrive(s, target)).await {
                Ok(n) => {
                    tracing::info!(deliveries = n, "failed deliveries queued again by command");
                    shared.alerts.wake_deliveries();
                    ok(serde_json::json!({ "redriven": n }))
                }
                Err(e) => fail(e),
            }
        }
    }
}
