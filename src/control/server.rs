//! The daemon side of the control socket (a Unix socket in the store directory,
//! mode 0600: only the daemon's user may use it, so no token is needed).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::{debug, warn};

use super::protocol::{Request, Response};
use crate::query::Query;

const MAX_REQUEST: u64 = 64 * 1024;

/// Binds `path` (replacing a stale socket: the caller holds the store lock, so no other
/// daemon can be using it) and serves requests until `shutdown`.
pub fn serve(
    path: &Path,
    query: Query,
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
                        let query = query.clone();
                        tokio::spawn(async move {
                            if let Err(e) = handle(stream, query).await {
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

async fn handle(stream: UnixStream, query: Query) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut line = String::new();
    BufReader::new(read.take(MAX_REQUEST))
        .read_line(&mut line)
        .await?;
    let resp = match serde_json::from_str::<Request>(&line) {
        Ok(req) => dispatch(req, &query).await,
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

async fn dispatch(req: Request, query: &Query) -> Response {
    let result = match req {
        Request::Poll { watch } => query
            .poll_now(&watch)
            .await
            .map(|o| serde_json::to_value(&o).unwrap_or_default()),
        Request::Resume { watch } => query
            .resume(&watch)
            .await
            .map(|r| serde_json::json!({ "resumed": r })),
        Request::Status => Ok(serde_json::to_value(query.status().get()).unwrap_or_default()),
        Request::Redrive { target } => query
            .redrive(target)
            .await
            .map(|n| serde_json::json!({ "redriven": n })),
    };
    match result {
        Ok(data) => ok(data),
        Err(e) => fail(e.to_string()),
    }
}
