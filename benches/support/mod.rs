//! Shared by the benches: keep-alive HTTP/1.1 servers on 127.0.0.1 over one request
//! loop (a small spec with an ETag and 304s, a webhook receiver, any bodies), process
//! CPU and memory, config text, and the store-filling helper the tests use too.
#![allow(dead_code)]

#[path = "../../tests/support/store.rs"]
pub mod store;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Counters of what the server answered.
#[derive(Default)]
pub struct Counts {
    pub full: AtomicU64,
    pub not_modified: AtomicU64,
}

impl Counts {
    pub fn total(&self) -> u64 {
        self.full.load(Ordering::Relaxed) + self.not_modified.load(Ordering::Relaxed)
    }
}

pub const SPEC: &str = "openapi: 3.0.3\ninfo:\n  title: Bench\n  version: '1'\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n";
const ETAG: &str = "\"bench-1\"";

/// A request as the loop below read it.
pub struct Request {
    /// The request target.
    pub path: String,
    /// Header lines, lowercased, without the line end.
    pub headers: Vec<String>,
    /// The body (by Content-Length).
    pub body: Vec<u8>,
}

impl Request {
    /// The value of header `name` (lowercase), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find_map(|l| {
            l.strip_prefix(name)
                .and_then(|r| r.strip_prefix(':'))
                .map(str::trim)
        })
    }
}

/// A keep-alive HTTP/1.1 server on 127.0.0.1 (on the current tokio runtime) that
/// answers each request with the whole response `answer` returns; returns its address.
pub async fn keep_alive<F>(answer: F) -> std::net::SocketAddr
where
    F: Fn(Request) -> Vec<u8> + Send + Sync + 'static,
{
    use tokio::io::AsyncReadExt;
    let answer = Arc::new(answer);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let answer = answer.clone();
            tokio::spawn(async move {
                let (r, mut w) = stream.into_split();
                let mut r = BufReader::new(r);
                loop {
                    let (mut path, mut headers, mut len) = (String::new(), Vec::new(), 0usize);
                    loop {
                        let mut line = String::new();
                        match r.read_line(&mut line).await {
                            Ok(0) | Err(_) => return,
                            Ok(_) => {}
                        }
                        if line == "\r\n" {
                            break;
                        }
                        if path.is_empty() {
                            path = line.split(' ').nth(1).unwrap_or("/").to_string();
                            continue;
                        }
                        let lower = line.trim_end().to_ascii_lowercase();
                        if let Some(v) = lower.strip_prefix("content-length:") {
                            len = v.trim().parse().unwrap_or(0);
                        }
                        headers.push(lower);
                    }
                    let mut body = vec![0; len];
                    if r.read_exact(&mut body).await.is_err() {
                        return;
                    }
                    let resp = answer(Request {
                        path,
                        headers,
                        body,
                    });
                    if w.write_all(&resp).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

/// Starts the spec server (ETag, 304 to a matching If-None-Match); returns its base URL.
pub async fn start(counts: Arc<Counts>) -> String {
    let addr = keep_alive(move |req| {
        if req.header("if-none-match").is_some_and(|v| v.contains("bench-1")) {
            counts.not_modified.fetch_add(1, Ordering::Relaxed);
            format!("HTTP/1.1 304 Not Modified\r\nETag: {ETAG}\r\n\r\n").into_bytes()
        } else {
            counts.full.fetch_add(1, Ordering::Relaxed);
            format!(
                "HTTP/1.1 200 OK\r\nETag: {ETAG}\r\nContent-Type: application/yaml\r\nContent-Length: {}\r\n\r\n{SPEC}",
                SPEC.len()
            )
            .into_bytes()
        }
    })
    .await;
    format!("http://{addr}")
}

/// CPU ticks (user + system) and resident memory (KiB) of a process.
pub fn proc_stat(pid: u32) -> (u64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let rss = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    (ticks, rss)
}

/// Config text for `n` watches of `base` with the given schedule and limits.
pub fn config(
    store: &std::path::Path,
    base: &str,
    n: usize,
    schedule: &str,
    per_host: usize,
) -> String {
    let mut s = format!(
        "[storage]\npath = \"{}\"\n[log]\nlevel = \"warn\"\n[polling]\nmax_concurrent = 64\nmax_per_host = {per_host}\n[reload]\nwatch_file = false\n",
        store.display()
    );
    for i in 0..n {
        s.push_str(&format!(
            "[[watch]]\nname = \"w{i}\"\nurl = \"{base}/spec/{i}.yaml\"\nschedule = \"{schedule}\"\n"
        ));
    }
    s
}

/// What the webhook receiver saw: deliveries in arrival order (idempotency key, when).
#[derive(Default)]
pub struct Received {
    pub hits: std::sync::Mutex<Vec<(String, std::time::Instant)>>,
}

impl Received {
    pub fn count(&self) -> usize {
        self.hits.lock().unwrap().len()
    }
    pub fn distinct(&self) -> usize {
        let h = self.hits.lock().unwrap();
        h.iter()
            .map(|(k, _)| k.as_str())
            .collect::<std::collections::HashSet<_>>()
            .len()
    }
}

/// A keep-alive webhook receiver on 127.0.0.1 answering 200 to every POST; returns its URL.
pub async fn receiver(seen: Arc<Received>) -> String {
    let addr = keep_alive(move |req| {
        let key = req.header("idempotency-key").unwrap_or("").to_string();
        seen.hits
            .lock()
            .unwrap()
            .push((key, std::time::Instant::now()));
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".to_vec()
    })
    .await;
    format!("http://{addr}/hook")
}

/// Starts a keep-alive HTTP/1.1 server on 127.0.0.1 answering every GET with `body(path)`
/// (200, no validators); returns its base URL.
pub async fn serve<F>(body: F) -> String
where
    F: Fn(&str) -> Arc<Vec<u8>> + Send + Sync + 'static,
{
    let addr = keep_alive(move |req| {
        let bytes = body(&req.path);
        let mut resp = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            bytes.len()
        )
        .into_bytes();
        resp.extend_from_slice(&bytes);
        resp
    })
    .await;
    format!("http://{addr}")
}
