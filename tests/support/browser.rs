//! A real headless Chromium (Debian's `chromium`, installed by `.ci/test`) driving a
//! running `specwatch demo`: the DOM after scripts ran, screenshots for a person to
//! look at (under `target/web-screenshots/`), and plain HTTP reads of the demo's API.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A port free on 127.0.0.1 right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `specwatch demo`; stopped with SIGINT (then killed) on drop.
pub struct Demo(Child);

impl Demo {
    /// Starts `specwatch demo --listen 127.0.0.1:<port>` with `extra` arguments and the
    /// admin token `token`.
    pub fn start(port: u16, token: &str, extra: &[&str]) -> Demo {
        Demo(
            Command::new(super::bin())
                .args(["demo", "--listen", &format!("127.0.0.1:{port}")])
                .args(extra)
                .env("SPECWATCH_DEMO_TOKEN", token)
                .env("NO_COLOR", "1")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start specwatch demo"),
        )
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.0.id().to_string()])
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// GET `base` + `path` as text (None while the demo is not answering).
pub fn get(base: &str, path: &str) -> Option<String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let r = reqwest::get(format!("{base}{path}")).await.ok()?;
        r.text().await.ok()
    })
}

/// GET as JSON.
pub fn json(base: &str, path: &str) -> Option<Value> {
    serde_json::from_str(&get(base, path)?).ok()
}

fn chromium() -> &'static str {
    for c in ["chromium", "chromium-browser"] {
        if Command::new(c).arg("--version").output().is_ok() {
            return c;
        }
    }
    panic!("chromium is not installed; .ci/test installs Debian's `chromium`");
}

fn browser(profile: &Path, extra: &[&str], url: &str) -> std::process::Output {
    Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--virtual-time-budget=4000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .output()
        .expect("run chromium")
}

/// The DOM after the page's scripts ran; asserts they ran and saw no CSP violation.
pub fn dom(profile: &Path, url: &str) -> String {
    let out = browser(profile, &["--dump-dom"], url);
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        html.contains("</html>"),
        "no DOM from {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // app.js marks the root once it ran, and counts CSP violations it saw.
    assert!(
        html.contains("data-js=\"ready\""),
        "scripts did not run on {url}"
    );
    assert!(
        html.contains("data-csp-violations=\"0\""),
        "CSP violation on {url}"
    );
    html
}

/// A screenshot of `url` (1280 px wide, `height` px tall) into `file`, light or dark.
pub fn screenshot(profile: &Path, url: &str, file: &Path, dark: bool, height: u32) {
    let mut args = vec![
        format!("--screenshot={}", file.display()),
        format!("--window-size=1280,{height}"),
    ];
    if dark {
        args.push("--blink-settings=preferredColorScheme=0".into());
    }
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = browser(profile, &a, url);
    assert!(
        file.metadata().map(|m| m.len() > 10_000).unwrap_or(false),
        "no screenshot of {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Where screenshots go: `target/web-screenshots/`.
pub fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/web-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
