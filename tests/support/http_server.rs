//! A tiny raw-TCP HTTP/1.1 server on 127.0.0.1 for tests and benches: scripted replies,
//! keep-alive, and misbehaviours (hang, trickle, endless streams, garbage).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct SeenRequest {
    /// e.g. "GET".
    pub method: String,
    /// Path and query.
    pub target: String,
    /// Header (lower-cased name, value) pairs.
    pub headers: Vec<(String, String)>,
}

impl SeenRequest {
    /// First value of a header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What to answer.
pub enum Reply {
    /// A complete response with Content-Length.
    Full {
        /// Status code.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// Body.
        body: Vec<u8>,
    },
    /// `total` bytes of 'x' generated on the fly in `chunk`-sized writes (never allocated whole).
    Stream {
        /// Bytes to send.
        total: u64,
        /// Write size.
        chunk: usize,
        /// Announce Content-Length (else chunked encoding).
        content_length: bool,
    },
    /// Headers, then one body byte every `every`.
    Trickle {
        /// Delay between bytes.
        every: Duration,
    },
    /// Accept and read, never answer.
    Hang,
}

impl Reply {
    /// 200 with a body and extra headers.
    pub fn ok(body: impl Into<Vec<u8>>, headers: &[(&str, &str)]) -> Reply {
        Reply::status(200, body, headers)
    }

    /// Any status with a body and extra headers.
    pub fn status(status: u16, body: impl Into<Vec<u8>>, headers: &[(&str, &str)]) -> Reply {
        Reply::Full {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.into(),
        }
    }
}

type Handler = dyn Fn(&SeenRequest) -> Reply + Send + Sync;

/// A running server; stops accepting when dropped.
pub struct TestServer {
    /// Bound address.
    pub addr: SocketAddr,
    /// Every request received, in order.
    pub seen: Arc<Mutex<Vec<SeenRequest>>>,
    /// Body bytes written so far across all streamed replies.
    pub body_bytes_sent: Arc<AtomicU64>,
    accept: JoinHandle<()>,
}

impl TestServer {
    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Copy of the requests seen so far.
    pub fn requests(&self) -> Vec<SeenRequest> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// Starts a server on 127.0.0.1:0 answering every request with `handler`.
pub async fn serve(handler: impl Fn(&SeenRequest) -> Reply + Send + Sync + 'static) -> TestServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sent = Arc::new(AtomicU64::new(0));
    let handler: Arc<Handler> = Arc::new(handler);
    let (seen2, sent2) = (seen.clone(), sent.clone());
    let accept = tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let (h, seen, sent) = (handler.clone(), seen2.clone(), sent2.clone());
            tokio::spawn(async move {
                let _ = connection(sock, h, seen, sent).await;
            });
        }
    });
    TestServer {
        addr,
        seen,
        body_bytes_sent: sent,
        accept,
    }
}

/// Serves requests on one connection until it closes or a reply ends it.
async fn connection(
    mut sock: TcpStream,
    handler: Arc<Handler>,
    seen: Arc<Mutex<Vec<SeenRequest>>>,
    sent: Arc<AtomicU64>,
) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(4096);
    loop {
        let Some(req) = read_head(&mut sock, &mut buf).await? else {
            return Ok(());
        };
        seen.lock().unwrap().push(req.clone());
        match handler(&req) {
            Reply::Full {
                status,
                headers,
                body,
            } => {
                let mut out = status_line(status);
                for (n, v) in &headers {
                    out.push_str(&format!("{n}: {v}\r\n"));
                }
                if status != 304 {
                    out.push_str(&format!("content-length: {}\r\n", body.len()));
                }
                out.push_str("\r\n");
                let mut bytes = out.into_bytes();
                bytes.extend_from_slice(&body);
                sock.write_all(&bytes).await?;
            }
            Reply::Stream {
                total,
                chunk,
                content_length,
            } => {
                let mut head = status_line(200);
                if content_length {
                    head.push_str(&format!("content-length: {total}\r\n"));
                } else {
                    head.push_str("transfer-encoding: chunked\r\n");
                }
                head.push_str("\r\n");
                sock.write_all(head.as_bytes()).await?;
                let block = vec![b'x'; chunk];
                let mut left = total;
                while left > 0 {
                    let n = left.min(chunk as u64) as usize;
                    if content_length {
                        sock.write_all(&block[..n]).await?;
                    } else {
                        let mut framed = format!("{n:x}\r\n").into_bytes();
                        framed.extend_from_slice(&block[..n]);
                        framed.extend_from_slice(b"\r\n");
                        sock.write_all(&framed).await?;
                    }
                    sent.fetch_add(n as u64, Ordering::Relaxed);
                    left -= n as u64;
                }
                if !content_length {
                    sock.write_all(b"0\r\n\r\n").await?;
                }
            }
            Reply::Trickle { every } => {
                let head = format!("{}content-length: 1000000\r\n\r\n", status_line(200));
                sock.write_all(head.as_bytes()).await?;
                loop {
                    tokio::time::sleep(every).await;
                    sock.write_all(b"x").await?;
                    sent.fetch_add(1, Ordering::Relaxed);
                }
            }
            Reply::Hang => {
                // Hold the socket until the client gives up.
                let mut scratch = [0u8; 1024];
                while sock.read(&mut scratch).await? > 0 {}
                return Ok(());
            }
        }
    }
}

fn status_line(status: u16) -> String {
    format!("HTTP/1.1 {status} X\r\n")
}

/// Reads one request head (GET requests carry no body). `None` when the peer closed.
async fn read_head(
    sock: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<SeenRequest>> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            buf.drain(..end + 4);
            let mut lines = head.split("\r\n");
            let mut first = lines.next().unwrap_or("").split(' ');
            let method = first.next().unwrap_or("").to_string();
            let target = first.next().unwrap_or("").to_string();
            let headers = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
                .collect();
            return Ok(Some(SeenRequest {
                method,
                target,
                headers,
            }));
        }
        let mut chunk = [0u8; 4096];
        let n = sock.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}
