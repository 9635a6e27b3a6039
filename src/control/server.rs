//! The daemon side of the control socket (a Unix socket in the store directory,
//! mode 0600: only the daemon's user may use it, so no token is needed).
//! A client has [`READ_TIMEOUT`] to send its request, and at most [`MAX_CONNECTIONS`]
//! are served at once: idle or excess connections cannot exhaust the daemon's descriptors.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;
use tracing::{debug, warn};

use super::protocol::{Request, Response};
use crate::query::Query;

const MAX_REQUEST: u64 = 64 * 1024;
/// Time a client has to send its request line (the CLI sends it at once).
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once; more are closed at once.
pub const MAX_CONNECTIONS: usize = 64;

/// Binds with umask 077, so the socket is 0600 from its creation: a chmod after the
/// bind would leave a moment in which anyone could connect. The umask is process-wide;
/// anything another thread creates meanwhile is only made more private.
fn bind_private(path: &Path) -> std::io::Result<UnixListener> {
    // SAFETY: umask only swaps the process's file mode mask; it cannot fail.
    let old = unsafe { libc::umask(0o177) };
    let bound = UnixListener::bind(path);
    // SAFETY: as above, restoring the previous mask.
    unsafe { libc::umask(old) };
    bound
}

/// Binds `path` (replacing a stale socket: the caller holds the store lock, so no other
/// daemon can be using it) and serves requests until `shutdown`.
pub fn serve(
    path: &Path,
    query: Query,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<JoinHandle<()>> {
    let _ = std::fs::remove_file(path);
    let listener = bind_private(path)?;
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    Ok(tokio::spawn(async move {
        let mut refused: u64 = 0;
        loop {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        let Ok(slot) = slots.clone().try_acquire_owned() else {
                            // Dropping the stream closes it; warn once per 1,000.
                            if refused.is_multiple_of(1000) {
                                warn!("control socket: {MAX_CONNECTIONS} connections already open; closing new ones");
                            }
                            refused += 1;
                            continue;
                        };
                        let query = query.clone();
                        tokio::spawn(async move {
                            if let Err(e) = handle(stream, query).await {
                                debug!("control connection ended: {e}");
                            }
                            drop(slot);
                        });
                    }
                    Err(e) => {
                        // Out of descriptors: back off instead of spinning on the error.
                        warn!("control socket accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
                _ = shutdown.changed() => break,
            }
        }
    }))
}

async fn handle(stream: UnixStream, query: Query) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut line = String::new();
    let mut reader = BufReader::new(read.take(MAX_REQUEST));
    tokio::time::timeout(READ_TIMEOUT, reader.read_line(&mut line))
        .await
        .map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("no request within {READ_TIMEOUT:?}"),
            )
        })??;
    let resp = match serde_json::from_str::<Request>(&line) {
        Ok(Request::Backup) => return backup(write, &query).await,
        Ok(req) => dispatch(req, &query).await,
        Err(e) => fail(format!("bad request: {e}")),
    };
    // A client that stops reading must not hold its slot for ever either.
    tokio::time::timeout(READ_TIMEOUT, async {
        write_header(&mut write, &resp).await?;
        write.shutdown().await
    })
    .await
    .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "client stopped reading"))?
}

async fn write_header(
    write: &mut tokio::net::unix::OwnedWriteHalf,
    resp: &Response,
) -> std::io::Result<()> {
    let mut out = serde_json::to_vec(resp).unwrap_or_default();
    out.push(b'\n');
    write.write_all(&out).await
}

/// Snapshots the store into a temporary file in the store directory (the only place the
/// hardened unit lets the daemon write), streams it after the header, and removes it: the
/// CLI writes the backup wherever its user may write.
async fn backup(mut write: tokio::net::unix::OwnedWriteHalf, query: &Query) -> std::io::Result<()> {
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let store = query.store().clone();
    let dir = store
        .path()
        .parent()
        .map_or_else(|| Path::new(".").to_path_buf(), Path::to_path_buf);
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".backup-{}-{n}.redb", std::process::id()));
    let made = {
        let tmp = tmp.clone();
        tokio::task::spawn_blocking(move || store.backup_to(&tmp)).await
    };
    let summary = match made {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return write_header(&mut write, &fail(e.to_string())).await,
        Err(e) => return write_header(&mut write, &fail(format!("internal error: {e}"))).await,
    };
    tracing::info!(
        bytes = summary.bytes,
        versions = summary.versions,
        "backup snapshot taken by command"
    );
    let sent = async {
        let mut file = tokio::fs::File::open(&tmp).await?;
        write_header(
            &mut write,
            &ok(serde_json::to_value(&summary).unwrap_or_default()),
        )
        .await?;
        tokio::io::copy(&mut file, &mut write).await?;
        write.shutdown().await
    }
    .await;
    let _ = tokio::fs::remove_file(&tmp).await;
    sent
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
        Request::Status => Ok(serde_json::to_value(query.daemon_status()).unwrap_or_default()),
        Request::Redrive { target } => query
            .redrive(target)
            .await
            .map(|n| serde_json::json!({ "redriven": n })),
        Request::Cancel { alert } => query
            .cancel(alert)
            .await
            .map(|n| serde_json::json!({ "cancelled": n })),
        Request::Ack { alert } => query
            .ack(alert)
            .await
            .map(|n| serde_json::json!({ "resolved": n })),
        Request::Plugins => match query.plugins() {
            Some(p) => Ok(serde_json::json!({
                "dir": p.options().dir,
                "plugins": p.list(),
            })),
            None => Err(crate::query::ops::OpError::NotFound(
                "the running daemon has no [plugins] section loaded".into(),
            )),
        },
        // Answered by `handle`, which streams the snapshot after the header.
        Request::Backup => Err(crate::query::ops::OpError::NotFound(
            "backup is streamed, not dispatched".into(),
        )),
    };
    match result {
        Ok(data) => ok(data),
        Err(e) => fail(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    #[tokio::test]
    async fn the_socket_is_private_from_its_creation() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("control.sock");
        // SAFETY: umask only swaps the process's file mode mask.
        let old = unsafe { libc::umask(0o022) };
        let listener = super::bind_private(&path).unwrap();
        // SAFETY: as above.
        let during = unsafe { libc::umask(old) };
        assert_eq!(during, 0o022, "the previous umask is restored");
        // No chmod happened: the mode is what bind created.
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "mode {mode:o}");
        drop(listener);
    }
}
