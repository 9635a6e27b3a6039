//! Shared helpers for end-to-end tests: a real HTTP server on 127.0.0.1 whose answers
//! the test changes between polls, and a real `specwatch` child process.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct SeenRequest {
    pub method: String,
    pub path: String,
    /// Header names lowercased.
    pub headers: HashMap<String, String>,
    /// The request body (read by Content-Length).
    pub body: Vec<u8>,
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: vec![],
            body: body.into(),
        }
    }
    pub fn status(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![],
            body: body.into(),
        }
    }
    pub fn header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.into(), v.into()));
        self
    }
}

type Handler = dyn Fn(&SeenRequest) -> Reply + Send + Sync;

/// A loopback HTTP/1.1 server: one thread per connection, `Connection: close`.
pub struct Server {
    pub addr: std::net::SocketAddr,
    handler: Arc<Mutex<Arc<Handler>>>,
    pub seen: Arc<Mutex<Vec<SeenRequest>>>,
}

impl Server {
    pub fn start(handler: impl Fn(&SeenRequest) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let handler: Arc<Mutex<Arc<Handler>>> = Arc::new(Mutex::new(Arc::new(handler)));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (h, s) = (handler.clone(), seen.clone());
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (h, s) = (h.clone(), s.clone());
                thread::spawn(move || {
                    let _ = serve_one(stream, &h, &s);
                });
            }
        });
        Server {
            addr,
            handler,
            seen,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn set(&self, handler: impl Fn(&SeenRequest) -> Reply + Send + Sync + 'static) {
        *self.handler.lock().unwrap() = Arc::new(handler);
    }

    pub fn requests(&self) -> Vec<SeenRequest> {
        self.seen.lock().unwrap().clone()
    }

    pub fn count(&self, path: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path == path)
            .count()
    }

    /// Waits until a request for `path` arrives; returns how long it took.
    pub fn wait_for(&self, path: &str, at_least: usize, timeout: Duration) -> Option<Duration> {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.count(path) >= at_least {
                return Some(start.elapsed());
            }
            thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

fn serve_one(
    stream: TcpStream,
    handler: &Mutex<Arc<Handler>>,
    seen: &Mutex<Vec<SeenRequest>>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body)?;
    let req = SeenRequest {
        method,
        path,
        headers,
        body,
    };
    seen.lock().unwrap().push(req.clone());
    let h = handler.lock().unwrap().clone();
    let reply = h(&req);
    let mut out = stream;
    let reason = match reply.status {
        200 => "OK",
        304 => "Not Modified",
        404 => "Not Found",
        _ => "Status",
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nConnection: close\r\n",
        reply.status
    );
    if reply.status != 304 {
        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    if reply.status != 304 {
        out.write_all(&reply.body)?;
    }
    out.flush()
}

/// Path of the built binary.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_specwatch")
}

/// Runs `specwatch ARGS` to completion.
pub fn specwatch(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env_remove("SPECWATCH_CONFIG")
        .env("NO_COLOR", "1")
        .output()
        .expect("run specwatch")
}

/// A temp dir with a config file in it.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
}

impl Env {
    pub fn new(config_body: &str) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        std::fs::write(&config, config_body).unwrap();
        Env { dir, config }
    }
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    pub fn config_str(&self) -> &str {
        self.config.to_str().unwrap()
    }
    pub fn run(&self, args: &[&str]) -> Output {
        let mut v: Vec<&str> = args.to_vec();
        v.extend(["--config", self.config_str()]);
        specwatch(&v)
    }
    pub fn history_json(&self, watch: &str) -> serde_json::Value {
        let out = self.run(&["history", watch, "--format", "json"]);
        assert!(
            out.status.success(),
            "history failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

/// A running daemon whose stderr lines are collected.
pub struct Daemon {
    pub child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    rx: Mutex<mpsc::Receiver<String>>,
}

impl Daemon {
    pub fn start(config: &Path, extra_env: &[(&str, &str)]) -> Daemon {
        let mut cmd = Command::new(bin());
        cmd.args(["run", "--config", config.to_str().unwrap()])
            .env("RUST_LOG", "specwatch=debug")
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start daemon");
        let stderr = child.stderr.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        let l = lines.clone();
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                l.lock().unwrap().push(line.clone());
                let _ = tx.send(line);
            }
        });
        Daemon {
            child,
            lines,
            rx: Mutex::new(rx),
        }
    }

    /// Waits for a log line containing `needle` (only lines not consumed by earlier waits).
    pub fn wait_line(&self, needle: &str, timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        let rx = self.rx.lock().unwrap();
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            match rx.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return Some(line),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }

    pub fn log(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn signal(&self, sig: &str) {
        let status = Command::new("kill")
            .args([sig, &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    pub fn kill9(&mut self) {
        self.child.kill().unwrap(); // SIGKILL
        self.child.wait().unwrap();
    }

    /// SIGTERM and wait for a clean exit.
    pub fn stop(&mut self) -> std::process::ExitStatus {
        self.signal("-TERM");
        let start = Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            if start.elapsed() > Duration::from_secs(20) {
                self.child.kill().unwrap();
                panic!("daemon did not stop on SIGTERM; log:\n{}", self.log());
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Peak resident memory of the daemon (VmHWM) in KiB.
    pub fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads a whole stream (for tests that spawn raw servers).
pub fn read_all(mut r: impl Read) -> Vec<u8> {
    let mut v = Vec::new();
    let _ = r.read_to_end(&mut v);
    v
}

/// A small OpenAPI 3.0 document whose content depends on `n` (distinct `info.version`
/// and one extra path per n) so each n is a semantically new version.
pub fn spec_v(n: u32) -> String {
    let mut paths = String::new();
    for i in 0..n {
        paths.push_str(&format!(
            "  /items{i}:\n    get:\n      responses:\n        '200':\n          description: ok\n"
        ));
    }
    format!("openapi: 3.0.3\ninfo:\n  title: Test\n  version: '{n}.0'\npaths:\n{paths}")
}

/// Minimal config text for one watch named `name` at `url`.
pub fn config_for(store: &Path, watches: &[(&str, &str)], extra: &str) -> String {
    let mut s = format!(
        "[storage]\npath = \"{}\"\n[polling]\nshutdown_timeout = \"5s\"\n{extra}\n",
        store.display()
    );
    for (name, url) in watches {
        s.push_str(&format!(
            "[[watch]]\nname = \"{name}\"\nurl = \"{url}\"\nschedule = \"every 1h\"\ntimeout = \"2s\"\n"
        ));
    }
    s
}

// Alert sink tests: a sample payload, the payload's JSON Schema and an SMTP server.
pub mod alert_schema;
pub mod browser;
pub mod http_server;
pub mod metrics;
pub mod oracle;
pub mod payload;
pub mod plugin_host;
pub mod smtp;
pub mod store;
pub mod tls;
pub mod wasm;
pub mod web;
