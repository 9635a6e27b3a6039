//! The CLI side of the control socket.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use super::protocol::{Request, Response};

/// Why a control request failed.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    /// The socket could not be reached.
    #[error("cannot reach the daemon's control socket {path}")]
    Connect {
        /// Socket path.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The conversation broke off.
    #[error("control socket I/O failed: {0}")]
    Io(#[from] std::io::Error),
    /// The daemon answered with an error.
    #[error("{0}")]
    Daemon(String),
    /// The daemon's answer was not understood.
    #[error("unexpected answer from the daemon: {0}")]
    Protocol(String),
}

/// Sends `req` and returns the response data.
pub fn request(
    socket: &Path,
    req: &Request,
    timeout: Duration,
) -> Result<serde_json::Value, ControlError> {
    send(socket, req, timeout).map(|(data, _)| data)
}

/// Sends `req` (one whose answer carries a body, like [`Request::Backup`]), copies the
/// `data.bytes` bytes that follow the header into `body` and returns the header's data.
pub fn request_body(
    socket: &Path,
    req: &Request,
    timeout: Duration,
    body: &mut impl Write,
) -> Result<serde_json::Value, ControlError> {
    let (data, reader) = send(socket, req, timeout)?;
    let len = data
        .get("bytes")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| ControlError::Protocol(format!("no body length in {data}")))?;
    let copied = std::io::copy(&mut reader.take(len), body)?;
    if copied != len {
        return Err(ControlError::Protocol(format!(
            "the daemon sent {copied} of {len} bytes"
        )));
    }
    Ok(data)
}

fn send(
    socket: &Path,
    req: &Request,
    timeout: Duration,
) -> Result<(serde_json::Value, BufReader<UnixStream>), ControlError> {
    let mut stream = UnixStream::connect(socket).map_err(|source| ControlError::Connect {
        path: socket.display().to_string(),
        source,
    })?;
    stream.set_read_timeout(Some(timeout))?;
    let mut line = serde_json::to_vec(req).map_err(|e| ControlError::Protocol(e.to_string()))?;
    line.push(b'\n');
    stream.write_all(&line)?;
    let mut reader = BufReader::new(stream);
    let mut header = String::new();
    reader.read_line(&mut header)?;
    let resp: Response =
        serde_json::from_str(&header).map_err(|e| ControlError::Protocol(e.to_string()))?;
    if !resp.ok {
        return Err(ControlError::Daemon(
            resp.error.unwrap_or_else(|| "unknown error".into()),
        ));
    }
    Ok((resp.data, reader))
}
