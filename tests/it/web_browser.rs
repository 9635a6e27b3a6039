//! `specwatch demo` in a real headless Chromium (Debian's `chromium`, installed by
//! `.ci/test`): within 90 s the demo shows versions, a breaking change and a delivered
//! alert; the overview, a watch page, a diff view and the alerts page render with their
//! scripts run and no CSP violation. Screenshots (light and dark) are saved under
//! `target/web-screenshots/` for a person to look at.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const TOKEN: &str = "demo-token-for-the-browser-test";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Demo(Child);

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

fn get(base: &str, path: &str) -> Option<String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let r = reqwest::get(format!("{base}{path}")).await.ok()?;
        r.text().await.ok()
    })
}

fn json(base: &str, path: &str) -> Option<Value> {
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

/// The DOM after the page's scripts ran.
fn dom(profile: &Path, url: &str) -> String {
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

fn screenshot(profile: &Path, url: &str, file: &Path, dark: bool) {
    let mut args = vec![
        format!("--screenshot={}", file.display()),
        "--window-size=1280,1000".to_string(),
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

fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/web-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn demo_in_a_real_browser() {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let demo = Demo(
        Command::new(support::bin())
            .args(["demo", "--listen", &format!("127.0.0.1:{port}")])
            .env("SPECWATCH_DEMO_TOKEN", TOKEN)
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start specwatch demo"),
    );

    // Within 90 s (at the default speed): versions, a breaking change, a delivered alert.
    let (breaking_version, delivered) = loop {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "the demo did not show a breaking change and a delivered alert within 90s"
        );
        std::thread::sleep(Duration::from_millis(500));
        let Some(versions) = json(&base, "/api/v1/watches/orders/versions") else {
            continue;
        };
        let breaking = versions["items"].as_array().and_then(|vs| {
            vs.iter()
                .find(|v| v["change_counts"]["breaking"].as_u64().unwrap_or(0) > 0)
                .and_then(|v| v["number"].as_u64())
        });
        let Some(alerts) = json(&base, "/api/v1/alerts?status=sent") else {
            continue;
        };
        let sent_breaking = alerts["items"].as_array().is_some_and(|a| {
            a.iter()
                .any(|x| x["alert"]["event"]["kind"] == "breaking_change")
        });
        if let (Some(b), true) = (breaking, sent_breaking) {
            break (b, alerts);
        }
    };
    eprintln!(
        "demo: breaking version v{breaking_version} and its alert delivered after {:?}",
        started.elapsed()
    );
    assert!(
        delivered["items"][0]["deliveries"][0]["status"] == "sent",
        "{delivered}"
    );

    let profile = tempfile::tempdir().unwrap();
    let overview = dom(profile.path(), &format!("{base}/"));
    for w in ["orders", "inventory", "shipping"] {
        assert!(
            overview.contains(&format!("data-watch=\"{w}\"")),
            "{w} missing from the overview"
        );
    }
    assert!(overview.contains("class=\"spark\""), "sparklines drawn");
    assert!(
        overview.contains(" ago</time>"),
        "relative times filled in by the script"
    );

    let watch = dom(profile.path(), &format!("{base}/watches/orders"));
    assert!(watch.contains(&format!("data-version=\"{breaking_version}\"")));
    assert!(
        watch.contains("pill l-breaking"),
        "the breaking version is marked"
    );

    let diff_url = format!(
        "{base}/watches/orders?from={}&to={breaking_version}",
        breaking_version - 1
    );
    let diff = dom(profile.path(), &diff_url);
    assert!(
        diff.contains("data-level=\"breaking\""),
        "breaking section in the diff"
    );
    assert!(diff.contains("data-rule=\""), "rule ids shown");
    let first_breaking = diff.find("data-level=\"breaking\"").unwrap();
    if let Some(info) = diff.find("data-level=\"info\"") {
        assert!(first_breaking < info, "breaking first");
    }

    let alerts = dom(profile.path(), &format!("{base}/alerts"));
    assert!(
        alerts.contains("data-sink=\"demo-log\" data-status=\"sent\""),
        "a delivered row on the alerts page"
    );

    // Browsers also report CSP violations to the server.
    let metrics = get(&base, "/metrics").unwrap();
    assert!(
        metrics.contains("specwatch_csp_reports_total 0"),
        "CSP reports received: {}",
        metrics
            .lines()
            .find(|l| l.starts_with("specwatch_csp_reports_total"))
            .unwrap_or("(missing)")
    );

    let dir = artifacts();
    for (name, url) in [
        ("overview", format!("{base}/")),
        ("watch", format!("{base}/watches/orders")),
        ("diff", diff_url.clone()),
        ("alerts", format!("{base}/alerts")),
        ("system", format!("{base}/system")),
    ] {
        screenshot(
            profile.path(),
            &url,
            &dir.join(format!("{name}.png")),
            false,
        );
    }
    screenshot(
        profile.path(),
        &format!("{base}/"),
        &dir.join("overview-dark.png"),
        true,
    );
    screenshot(profile.path(), &diff_url, &dir.join("diff-dark.png"), true);
    drop(demo);
}
