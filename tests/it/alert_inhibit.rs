//! Inhibition: a watch whose spec host (a gateway that also serves its probed
//! endpoints) goes down pages once, for `poll_failing`, not once per endpoint; the
//! endpoint alerts are recorded and held back, closed without a page when they recover
//! while the poll failure fires, and the poll failure's recovery is sent.

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{Daemon, Env, Reply, SeenRequest, Server};

const PATHS: [&str; 3] = ["/api/a", "/api/b", "/api/c"];

fn events(env: &Env, kind: &str) -> Vec<Value> {
    let out = env.run(&["alerts", "--format", "json", "--limit", "100"]);
    let h: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    h.as_array()
        .map(|a| {
            a.iter()
                .filter(|x| x["alert"]["event"]["kind"] == kind)
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

fn pages_of(hook: &Server) -> Vec<Value> {
    hook.requests()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

fn wait(what: &str, timeout: Duration, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_gateway_outage_pages_once_for_poll_failing_not_per_endpoint() {
    let hook = Server::start(|_| Reply::ok("ok"));
    let up = Arc::new(AtomicBool::new(true));
    let spec = Arc::new(std::sync::Mutex::new(String::new()));
    let (u, s) = (up.clone(), spec.clone());
    let gateway = Server::start(move |r: &SeenRequest| {
        if !u.load(Ordering::SeqCst) {
            return Reply::status(503, "gateway down");
        }
        if r.path == "/openapi.json" {
            Reply::ok(s.lock().unwrap().clone())
        } else {
            Reply::ok("{}")
        }
    });
    let paths: serde_json::Map<String, Value> = PATHS
        .iter()
        .map(|p| {
            (
                p.trim_start_matches("/api").to_string(),
                serde_json::json!({"get": {"responses": {"200": {"description": "ok"}}}}),
            )
        })
        .collect();
    *spec.lock().unwrap() = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "shop", "version": "1"},
        "servers": [{"url": gateway.url("/api")}],
        "paths": paths,
    })
    .to_string();
    let dir = tempfile::tempdir().unwrap();
    let cfg = format!(
        r#"[storage]
path = "{store}"
[polling]
shutdown_timeout = "2s"
[alerts]
poll_failing_after = 1

[[watch]]
name = "shop"
url = "{spec}"
schedule = "every 1h"
timeout = "2s"
[watch.health]
enabled = true
schedule = "every 1s"
timeout = "700ms"
failure_threshold = 2
success_threshold = 1

[[sink]]
name = "pager"
type = "webhook"
url = "{hook}"

[[route]]
sinks = ["pager"]

[[inhibit]]
source = {{ event = ["poll_failing"] }}
target = {{ event = ["endpoint_down"] }}
equal = ["watch"]
"#,
        store = dir.path().join("store").display(),
        spec = gateway.url("/openapi.json"),
        hook = hook.url("/hook"),
    );
    let env = Env::new(&cfg);
    let mut d = Daemon::start(&env.config, &[]);
    d.wait_line("new version 1", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("no baseline; log:\n{}", d.log()));
    wait("probes of every endpoint", Duration::from_secs(15), || {
        let reqs = gateway.requests();
        PATHS.iter().all(|p| reqs.iter().any(|r| r.path == *p))
    });

    // The gateway goes down: the poll fails first (poll_failing), then the probes.
    up.store(false, Ordering::SeqCst);
    let _ = env.run(&["poll", "shop"]);
    assert!(
        hook.wait_for("/hook", 1, Duration::from_secs(10)).is_some(),
        "no poll_failing page; log:\n{}",
        d.log()
    );
    wait(
        "three endpoint_down alerts",
        Duration::from_secs(20),
        || events(&env, "endpoint_down").len() == 3,
    );
    std::thread::sleep(Duration::from_secs(2));
    let pages = pages_of(&hook);
    assert_eq!(pages.len(), 1, "one page, not one per endpoint: {pages:#?}");
    assert_eq!(pages[0]["event"], "poll_failing");
    for e in events(&env, "endpoint_down") {
        assert!(
            e["deliveries"].as_array().unwrap().is_empty(),
            "an endpoint alert was delivered: {e:#}"
        );
    }

    // The gateway is back: the endpoints recover while the poll failure still fires
    // (closed without a page), then the poll recovers (its resolution is sent).
    up.store(true, Ordering::SeqCst);
    wait(
        "three endpoint_recovered alerts",
        Duration::from_secs(20),
        || events(&env, "endpoint_recovered").len() == 3,
    );
    let _ = env.run(&["poll", "shop"]);
    assert!(
        hook.wait_for("/hook", 2, Duration::from_secs(10)).is_some(),
        "no resolution; log:\n{}",
        d.log()
    );
    std::thread::sleep(Duration::from_secs(2));
    let pages = pages_of(&hook);
    assert_eq!(pages.len(), 2, "{pages:#?}");
    assert_eq!(pages[1]["status"], "resolved");
    assert_eq!(pages[1]["fingerprint"], pages[0]["fingerprint"]);
    for e in events(&env, "endpoint_down") {
        assert_eq!(e["status"], "silenced", "{e:#}");
    }
    assert!(d.stop().success());
}
