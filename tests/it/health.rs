//! Endpoint health end to end: a real daemon probing a loopback API whose endpoints the
//! test switches between 200, 401, 500, slow and closed; events read back from the
//! outbox (`specwatch alerts`), summaries from `specwatch health`, raw probes from the
//! store itself.

use crate::support;

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{Daemon, Env};

/// How an endpoint answers.
#[derive(Debug, Clone, Copy)]
enum Mode {
    Status(u16),
    /// Sleeps this long before answering 200.
    Slow(Duration),
    /// Closes the connection without answering.
    Close,
}

#[derive(Default)]
struct ApiState {
    modes: HashMap<String, Mode>,
    /// Answers used once each before `modes` applies again.
    queued: HashMap<String, VecDeque<Mode>>,
    seen: Vec<(String, String, Instant)>,
    spec: String,
}

/// A loopback API: `/openapi.json` serves the spec, every other path answers per its mode
/// (200 by default).
struct Api {
    addr: std::net::SocketAddr,
    state: Arc<Mutex<ApiState>>,
}

impl Api {
    fn start() -> Api {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(ApiState::default()));
        let s = state.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let s = s.clone();
                thread::spawn(move || {
                    let _ = serve(stream, &s);
                });
            }
        });
        Api { addr, state }
    }
    fn base(&self) -> String {
        format!("http://{}", self.addr)
    }
    fn set_spec(&self, spec: String) {
        self.state.lock().unwrap().spec = spec;
    }
    fn set(&self, path: &str, mode: Mode) {
        self.state.lock().unwrap().modes.insert(path.into(), mode);
    }
    fn queue(&self, path: &str, modes: &[Mode]) {
        self.state
            .lock()
            .unwrap()
            .queued
            .entry(path.into())
            .or_default()
            .extend(modes);
    }
    fn queued_left(&self, path: &str) -> usize {
        self.state
            .lock()
            .unwrap()
            .queued
            .get(path)
            .map_or(0, VecDeque::len)
    }
    fn count(&self, path: &str) -> usize {
        self.state
            .lock()
            .unwrap()
            .seen
            .iter()
            .filter(|(_, p, _)| p == path)
            .count()
    }
    fn methods(&self) -> Vec<String> {
        self.state
            .lock()
            .unwrap()
            .seen
            .iter()
            .map(|(m, _, _)| m.clone())
            .collect()
    }
    /// Waits until `path` saw `n` more requests than now.
    fn wait_more(&self, path: &str, n: usize, timeout: Duration) {
        let target = self.count(path) + n;
        wait(timeout, &format!("{n} more requests for {path}"), || {
            self.count(path) >= target
        });
    }
}

fn serve(stream: TcpStream, state: &Mutex<ApiState>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        let mut len = 0usize;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h)? == 0 || h == "\r\n" {
                break;
            }
            if let Some((k, v)) = h.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                len = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; len];
        reader.read_exact(&mut body)?;
        let (mode, spec) = {
            let mut st = state.lock().unwrap();
            st.seen.push((method.clone(), path.clone(), Instant::now()));
            let queued = st.queued.get_mut(&path).and_then(VecDeque::pop_front);
            let mode = queued
                .or_else(|| st.modes.get(&path).copied())
                .unwrap_or(Mode::Status(200));
            (mode, (path == "/openapi.json").then(|| st.spec.clone()))
        };
        let (status, body) = match (spec, mode) {
            (Some(spec), _) => (200, spec),
            (None, Mode::Status(s)) => (s, format!("{{\"status\":{s}}}")),
            (None, Mode::Slow(d)) => {
                thread::sleep(d);
                (200, "{}".into())
            }
            (None, Mode::Close) => return Ok(()),
        };
        let head = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            if method == "HEAD" { 0 } else { body.len() }
        );
        out.write_all(head.as_bytes())?;
        if method != "HEAD" {
            out.write_all(body.as_bytes())?;
        }
        out.flush()?;
    }
}

fn wait(timeout: Duration, what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        thread::sleep(Duration::from_millis(50));
    }
}

/// A 3.0 spec served by `api` under `/api`.
fn spec3(api: &Api, paths: &[&str]) -> String {
    let mut p = serde_json::Map::new();
    for path in paths {
        let (method, path) = path.split_once(' ').unwrap();
        let item = p
            .entry(path.to_string())
            .or_insert_with(|| serde_json::json!({}));
        item[method.to_ascii_lowercase()] =
            serde_json::json!({"responses": {"200": {"description": "ok"}}});
    }
    serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "{scheme}://127.0.0.1:{port}/api", "variables": {
            "scheme": {"default": "http"}, "port": {"default": api.addr.port().to_string()}}}],
        "paths": p
    })
    .to_string()
}

fn config(env_dir: &std::path::Path, api: &Api, poll: &str, health_extra: &str) -> String {
    format!(
        r#"[storage]
path = "{}"
[polling]
shutdown_timeout = "2s"

[[watch]]
name = "shop"
url = "{}/openapi.json"
schedule = "{poll}"
timeout = "2s"

[watch.health]
enabled = true
schedule = "every 1s"
timeout = "700ms"
{health_extra}
"#,
        env_dir.join("store").display(),
        api.base()
    )
}

fn health_json(env: &Env) -> Value {
    let out = env.run(&["health", "shop", "--format", "json"]);
    assert!(
        out.status.success(),
        "health failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn endpoint<'a>(h: &'a Value, op: &str) -> Option<&'a Value> {
    h["endpoints"]
        .as_array()?
        .iter()
        .find(|e| e["operation"] == op)
}

fn state_of(env: &Env, op: &str) -> String {
    let h = health_json(env);
    endpoint(&h, op).map_or("absent".into(), |e| {
        e["state"].as_str().unwrap().to_string()
    })
}

/// (kind, operation) of every alert in the outbox.
fn events(env: &Env) -> Vec<(String, String)> {
    let out = env.run(&["alerts", "--format", "json", "--limit", "1000"]);
    assert!(
        out.status.success(),
        "alerts failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = v
        .as_array()
        .cloned()
        .or_else(|| v["alerts"].as_array().cloned())
        .unwrap_or_default();
    list.iter()
        .map(|a| {
            let e = &a["alert"]["event"];
            (
                e["kind"].as_str().unwrap_or("").to_string(),
                e["operation"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn count_events(env: &Env, kind: &str, op: &str) -> usize {
    events(env)
        .iter()
        .filter(|(k, o)| k == kind && o == op)
        .count()
}

#[test]
fn probes_follow_thresholds_timeouts_skips_aggregates_and_restarts() {
    let api = Api::start();
    api.set_spec(spec3(
        &api,
        &[
            "GET /ok",
            "GET /auth",
            "GET /flaky",
            "GET /hang",
            "GET /items/{id}",
            "GET /customers/{cust}/cards/{card}",
            "POST /orders",
        ],
    ));
    api.set("/api/auth", Mode::Status(401));
    api.set("/api/hang", Mode::Slow(Duration::from_secs(30)));
    let dir = tempfile::tempdir().unwrap();
    let env = Env::new(&config(
        dir.path(),
        &api,
        "every 1h",
        "path_params = { id = \"42\" }\nfailure_threshold = 3\nsuccess_threshold = 2",
    ));
    let mut daemon = Daemon::start(&env.config, &[]);
    daemon
        .wait_line("endpoint probes updated", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("prober never started; log:\n{}", daemon.log()));

    // 1. Derivation: servers with variable defaults, configured path params, skips.
    api.wait_more("/api/items/42", 1, Duration::from_secs(10));
    wait(Duration::from_secs(10), "ok and auth up", || {
        state_of(&env, "GET /ok") == "up" && state_of(&env, "GET /auth") == "up"
    });
    let h = health_json(&env);
    assert_eq!(h["endpoints"].as_array().unwrap().len(), 5, "{h:#}");
    let skipped: Vec<(&str, &str)> = h["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["operation"].as_str().unwrap(),
                s["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    let cards = skipped.iter().find(|(o, _)| o.contains("cards")).unwrap();
    assert!(
        cards.1.contains("cust") && cards.1.contains("card"),
        "{cards:?}"
    );
    assert!(
        skipped
            .iter()
            .any(|(o, r)| *o == "POST /orders" && r.contains("safe"))
    );
    assert!(
        !api.methods().iter().any(|m| m == "POST"),
        "a POST was never opted in"
    );
    // 2. 401 is healthy by default.
    assert_eq!(endpoint(&h, "GET /auth").unwrap()["last"]["status"], 401);

    // 3. A hanging endpoint times out within the bound and does not hold others up.
    wait(Duration::from_secs(15), "hang down", || {
        state_of(&env, "GET /hang") == "down"
    });
    let hang = endpoint(&health_json(&env), "GET /hang").unwrap().clone();
    assert_eq!(hang["last"]["class"], "timeout", "{hang:#}");
    let took = hang["last"]["latency_us"].as_u64().unwrap();
    assert!(
        (650_000..1_500_000).contains(&took),
        "timed out after {took} µs, bound 700 ms"
    );
    let before = api.count("/api/ok");
    thread::sleep(Duration::from_secs(4));
    assert!(
        api.count("/api/ok") - before >= 3,
        "GET /ok kept its 1 s rhythm beside the hang"
    );
    assert_eq!(count_events(&env, "endpoint_down", "GET /hang"), 1);

    // 2. A single 500 between successes: nothing. Three in a row: one down; two successes: one recovered.
    api.queue("/api/flaky", &[Mode::Status(500)]);
    api.wait_more("/api/flaky", 3, Duration::from_secs(10));
    assert_eq!(api.queued_left("/api/flaky"), 0);
    assert_eq!(state_of(&env, "GET /flaky"), "up");
    api.queue(
        "/api/flaky",
        &[
            Mode::Status(500),
            Mode::Close,
            Mode::Status(500),
            Mode::Status(500),
        ],
    );
    api.wait_more("/api/flaky", 6, Duration::from_secs(15));
    wait(Duration::from_secs(10), "flaky recovered", || {
        state_of(&env, "GET /flaky") == "up"
    });
    assert_eq!(
        count_events(&env, "endpoint_down", "GET /flaky"),
        1,
        "{:?}",
        events(&env)
    );
    assert_eq!(
        count_events(&env, "endpoint_recovered", "GET /flaky"),
        1,
        "{:?}",
        events(&env)
    );

    // 6. Down across a restart: still one down event, then one recovery.
    api.set("/api/flaky", Mode::Status(500));
    wait(Duration::from_secs(10), "flaky down again", || {
        state_of(&env, "GET /flaky") == "down"
    });
    assert_eq!(count_events(&env, "endpoint_down", "GET /flaky"), 2);
    assert!(daemon.stop().success());

    // 4. Uptime and percentiles match the raw probes, within the sketch's error.
    let store = specwatch::store::Store::open_read_only(&dir.path().join("store")).unwrap();
    let report = health_json(&env);
    let now = specwatch::clock::now_millis();
    for (op, rec) in store.endpoints("shop").unwrap() {
        let top = specwatch::store::hour_of(now) + specwatch::store::HOUR_MS;
        let probes =
            specwatch::health::query::probes(&store, rec.id, top - 24 * 3_600_000, top).unwrap();
        let e = endpoint(&report, &op).unwrap();
        let w = &e["windows"]["24h"];
        assert_eq!(w["probes"].as_u64().unwrap(), probes.len() as u64, "{op}");
        let healthy = probes.iter().filter(|p| p.healthy()).count();
        let uptime = 100.0 * healthy as f64 / probes.len() as f64;
        assert!(
            (w["uptime"].as_f64().unwrap() - uptime).abs() < 1e-9,
            "{op}: {w} vs {uptime}"
        );
        let mut lat: Vec<f64> = probes
            .iter()
            .filter(|p| p.status != 0)
            .map(|p| f64::from(p.latency_us) / 1000.0)
            .collect();
        lat.sort_by(f64::total_cmp);
        for (q, key) in [(0.5, "p50_ms"), (0.95, "p95_ms"), (0.99, "p99_ms")] {
            match lat.is_empty() {
                true => assert!(w[key].is_null(), "{op} {key}"),
                false => {
                    let exact = lat[(q * (lat.len() - 1) as f64).floor() as usize];
                    let got = w[key].as_f64().unwrap();
                    assert!(
                        (got - exact).abs()
                            <= exact * report["percentile_error"].as_f64().unwrap() + 1e-9,
                        "{op} {key}: {got} vs exact {exact}"
                    );
                }
            }
        }
    }
    drop(store);
    let probes_before = health_json(&env)["windows"]["24h"]["probes"]
        .as_u64()
        .unwrap();

    let mut daemon = Daemon::start(&env.config, &[]);
    api.wait_more("/api/flaky", 3, Duration::from_secs(15));
    assert_eq!(state_of(&env, "GET /flaky"), "down");
    assert_eq!(
        count_events(&env, "endpoint_down", "GET /flaky"),
        2,
        "no duplicate after restart"
    );
    assert!(
        health_json(&env)["windows"]["24h"]["probes"]
            .as_u64()
            .unwrap()
            > probes_before
    );
    api.set("/api/flaky", Mode::Status(200));
    wait(Duration::from_secs(10), "flaky up after restart", || {
        state_of(&env, "GET /flaky") == "up"
    });
    assert_eq!(count_events(&env, "endpoint_recovered", "GET /flaky"), 2);
    let text = env.run(&["health", "shop"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("GET /hang") && text.contains("down"),
        "{text}"
    );
    assert!(text.contains("not probed (2)"), "{text}");
    assert!(daemon.stop().success());
}

#[test]
fn spec_changes_start_and_stop_probes_and_swagger2_is_derived() {
    let api = Api::start();
    api.set_spec(spec3(&api, &["GET /a", "GET /b"]));
    let dir = tempfile::tempdir().unwrap();
    let env = Env::new(&config(dir.path(), &api, "every 1h", ""));
    let mut daemon = Daemon::start(&env.config, &[]);
    api.wait_more("/api/a", 1, Duration::from_secs(15));
    api.wait_more("/api/b", 1, Duration::from_secs(5));
    // v2: a Swagger 2.0 document (host + basePath) without /b, with /c.
    api.set_spec(
        serde_json::json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "2"},
            "host": format!("127.0.0.1:{}", api.addr.port()),
            "basePath": "/v2",
            "schemes": ["http"],
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}},
                      "/c": {"get": {"responses": {"200": {"description": "ok"}}}}}
        })
        .to_string(),
    );
    let out = env.run(&["poll", "shop"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("new version 2"),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    api.wait_more("/v2/c", 2, Duration::from_secs(15));
    api.wait_more("/v2/a", 1, Duration::from_secs(5));
    let b = api.count("/api/b");
    thread::sleep(Duration::from_secs(3));
    assert_eq!(
        api.count("/api/b"),
        b,
        "the removed operation is no longer probed"
    );
    let h = health_json(&env);
    let ops: Vec<&str> = h["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert_eq!(ops, ["GET /a", "GET /c"]);
    assert_eq!(
        endpoint(&h, "GET /c").unwrap()["url"],
        format!("{}/v2/c", api.base())
    );
    assert!(daemon.stop().success());
}
