//! A real SMTP server for email sink tests: `smtp_server.py` (aiosmtpd) as a child
//! process on 127.0.0.1, writing each received message to a temp directory.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How the server secures connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpMode {
    Plain,
    StartTls,
    /// Implicit TLS.
    Tls,
}

/// Server options.
#[derive(Debug, Clone)]
pub struct SmtpOptions {
    pub mode: SmtpMode,
    /// (code, recipient): answer `RCPT TO` for that recipient with 451 or 550.
    pub fail: Vec<(u16, String)>,
    /// Require AUTH with (user, password).
    pub auth: Option<(String, String)>,
}

impl Default for SmtpOptions {
    fn default() -> Self {
        SmtpOptions {
            mode: SmtpMode::Plain,
            fail: Vec::new(),
            auth: None,
        }
    }
}

/// One message as the server received it (decoded by Python's `email` package).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ReceivedMail {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    /// The conversation ran over TLS.
    pub tls: bool,
    pub authenticated: bool,
    /// Top-level content type, e.g. `multipart/alternative`.
    pub content_type: String,
    /// Header names lowercased.
    pub headers: std::collections::HashMap<String, String>,
    /// The decoded text/plain part.
    pub text: Option<String>,
    /// The decoded text/html part.
    pub html: Option<String>,
}

impl ReceivedMail {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// A running aiosmtpd; killed on drop.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    pub fn start(opts: SmtpOptions) -> SmtpServer {
        let dir = tempfile::tempdir().unwrap();
        let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
        // .ci/test points this at Debian's python3 with python3-aiosmtpd.
        let python = std::env::var("SPECWATCH_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let mut cmd = Command::new(&python);
        cmd.arg("-u")
            .arg(here.join("support/smtp_server.py"))
            .arg("--dir")
            .arg(dir.path())
            .arg("--mode")
            .arg(match opts.mode {
                SmtpMode::Plain => "plain",
                SmtpMode::StartTls => "starttls",
                SmtpMode::Tls => "tls",
            })
            .arg("--cert")
            .arg(here.join("fixtures/tls/selfsigned.crt"))
            .arg("--key")
            .arg(here.join("fixtures/tls/selfsigned.key"));
        for (code, addr) in &opts.fail {
            cmd.arg("--fail").arg(format!("{code}:{addr}"));
        }
        if let Some((u, p)) = &opts.auth {
            cmd.arg("--auth").arg(format!("{u}:{p}"));
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("start {python} (the email tests need python3 with aiosmtpd): {e}")
            });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let Some(port) = line
            .strip_prefix("READY ")
            .and_then(|p| p.trim().parse().ok())
        else {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "smtp_server.py did not start under {python} (is aiosmtpd installed? `bash .ci/test` installs Debian's python3-aiosmtpd); it printed {line:?}"
            );
        };
        SmtpServer { child, port, dir }
    }

    /// Every message received so far, in order.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        let mut names: Vec<_> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
            .collect()
    }

    /// Waits until at least `n` messages arrived.
    pub fn wait_messages(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let start = Instant::now();
        loop {
            let m = self.messages();
            if m.len() >= n || start.elapsed() > timeout {
                return m;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
