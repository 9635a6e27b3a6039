//! The JSON API, pages and metrics of a real daemon on loopback: status codes,
//! problem+json errors, cursor pagination, auth on every mutation, no planted secret in
//! any response, the OpenAPI document against the routes, /metrics through a real parser.

use crate::support;

use std::collections::BTreeSet;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::browser::free_port;
use support::metrics::{parse_metrics, sample};
use support::web::{Client, assert_no_secret, form};
use support::{Daemon, Env, Reply, Server, spec_v};

const ADMIN: &str = "admin-token-0123456789abcdef";
const HEADER_SECRET: &str = "hdr-secret-7f3a9c";
const HOOK_SECRET: &str = "whsec-secret-1b2c3d";
const URL_SECRET: &str = "url-secret-9e8d";
const SINK_HEADER_SECRET: &str = "sinkhdr-secret-4455";
const PLUGIN_SECRET: &str = "plugin-secret-5a6b";
const SECRETS: [&str; 6] = [
    ADMIN,
    HEADER_SECRET,
    HOOK_SECRET,
    URL_SECRET,
    SINK_HEADER_SECRET,
    PLUGIN_SECRET,
];

/// Every concrete GET URL of the API and the pages, for the secret scan and the
/// OpenAPI check.
fn concrete(path: &str) -> String {
    path.replace("{name}", "alpha")
        .replace("{number}", "2")
        .replace("{id}", "1")
}

#[test]
fn api_pages_and_metrics_of_a_running_daemon() {
    let spec = std::sync::Arc::new(std::sync::Mutex::new(spec_v(2)));
    let s2 = spec.clone();
    let server = Server::start(move |req| {
        if req.path.starts_with("/hook") {
            // The sink fails for good at once (max_attempts = 1): a failed delivery to redrive.
            return Reply::status(500, "receiver down");
        }
        if req.headers.get("x-api-key").map(String::as_str) != Some(HEADER_SECRET) {
            return Reply::status(401, "no key");
        }
        Reply::ok(s2.lock().unwrap().clone())
    });
    let port = free_port();
    let store = tempfile::tempdir().unwrap();
    let plugins = tempfile::tempdir().unwrap();
    let cfg = format!(
        r#"
[server]
listen = "127.0.0.1:{port}"
admin_token = "${{SW_ADMIN}}"

[storage]
path = "{store}"

[polling]
shutdown_timeout = "5s"

[alerts]
max_attempts = 1

[plugins]
dir = "{plugins}"

[[watch]]
name = "alpha"
provider = "Acme"
product = "Alpha API"
url = "{spec_url}"
schedule = "every 1h"
headers = {{ "X-Api-Key" = "${{SW_HEADER}}" }}
labels = {{ team = "payments" }}

[[watch]]
name = "beta"
url = "{missing}"
schedule = "every 1h"
labels = {{ team = "search" }}

[[watch]]
name = "gamma"
url = "{missing}"
schedule = "every 1h"

[[sink]]
name = "hook"
type = "webhook"
url = "{hook_url}?token=${{SW_URL}}"
secret = "${{SW_HOOK}}"
headers = {{ "X-Sink-Key" = "${{SW_SINKHDR}}" }}

[[sink]]
name = "plug"
type = "plugin"
plugin = "nothere"
allowed_hosts = ["hooks.example.com"]
config = {{ webhook_url = "${{SW_PLUGIN}}" }}

[[route]]
sinks = ["hook"]
"#,
        store = store.path().display(),
        plugins = plugins.path().display(),
        spec_url = server.url("/spec.yaml"),
        missing = server.url("/missing.yaml"),
        hook_url = server.url("/hook"),
    );
    let env = Env::new(&cfg);
    let mut daemon = Daemon::start(
        &env.config,
        &[
            ("SW_ADMIN", ADMIN),
            ("SW_HEADER", HEADER_SECRET),
            ("SW_URL", URL_SECRET),
            ("SW_HOOK", HOOK_SECRET),
            ("SW_SINKHDR", SINK_HEADER_SECRET),
            ("SW_PLUGIN", PLUGIN_SECRET),
        ],
    );
    let c = Client::new(port);
    c.wait_ready();

    // Health and the security headers.
    let h = c.get("/healthz");
    assert_eq!(h.status, 200);
    let csp = h.header("content-security-policy").unwrap().to_string();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(h.header("x-content-type-options"), Some("nosniff"));
    assert!(h.header("referrer-policy").is_some());
    assert!(h.header("x-request-id").is_some(), "request id echoed");

    // Auth on every mutation: none → 401, wrong → 401, right → 200.
    let mutations = [
        "/api/v1/watches/alpha/poll",
        "/api/v1/watches/gamma/pause",
        "/api/v1/watches/gamma/resume",
        "/api/v1/alerts/1/redrive",
        "/api/v1/alerts/1/cancel",
        "/api/v1/deliveries/redrive",
        "/api/v1/sinks/hook/test",
        "/api/v1/silences",
        "/api/v1/silences/1/expire",
    ];
    for m in mutations {
        let r = c.send("POST", m, None);
        r.problem(401);
        assert!(r.header("www-authenticate").is_some(), "{m}");
        c.send("POST", m, Some("wrong-token-0123456789abcdef"))
            .problem(401);
        c.send("POST", m, Some(&ADMIN[..ADMIN.len() - 1]))
            .problem(401);
    }
    // A cookie without the CSRF value is refused too.
    let r = c.run(
        c.http
            .post(c.url("/api/v1/watches/gamma/pause"))
            .header("cookie", "specwatch_session=forged"),
    );
    assert_eq!(r.status, 401);

    // Three versions of alpha: v1, v2 (+1 path), v3 (2 paths removed: breaking).
    for (i, text) in [spec_v(2), spec_v(3), spec_v(1)].into_iter().enumerate() {
        *spec.lock().unwrap() = text;
        let r = c.send("POST", "/api/v1/watches/alpha/poll", Some(ADMIN));
        assert_eq!(r.status, 200, "{}", r.text());
        // The daemon's own first (scheduled) poll may fire around here and store the
        // version itself; either way exactly one new version results.
        let outcome = r.json()["outcome"]["outcome"].clone();
        assert!(
            outcome == "new_version" || outcome == "unchanged",
            "{outcome}"
        );
        if outcome == "new_version" {
            assert_eq!(r.json()["outcome"]["number"], i + 1);
        }
        assert_eq!(
            c.get("/api/v1/watches/alpha").json()["latest_version"],
            i + 1
        );
    }
    for w in ["beta", "gamma"] {
        let r = c.send("POST", &format!("/api/v1/watches/{w}/poll"), Some(ADMIN));
        assert_eq!(r.status, 200);
        assert_eq!(r.json()["outcome"]["outcome"], "error");
    }
    let r = c.send("POST", "/api/v1/watches/gamma/pause", Some(ADMIN));
    assert_eq!(
        (r.status, r.json()["paused"].clone()),
        (200, Value::Bool(true))
    );
    assert_eq!(c.get("/api/v1/watches/gamma").json()["state"], "paused");
    let r = c.send("POST", "/api/v1/watches/gamma/resume", Some(ADMIN));
    assert_eq!(r.json()["resumed"], true);
    c.send("POST", "/api/v1/watches/nope/pause", Some(ADMIN))
        .problem(404);

    // Pagination: watches one per page, in name order, then the end.
    let mut names = Vec::new();
    let mut url = "/api/v1/watches?limit=1".to_string();
    loop {
        let p = c.get(&url);
        assert_eq!(p.status, 200, "{}", p.text());
        let p = p.json();
        assert!(p["items"].as_array().unwrap().len() <= 1);
        names.extend(
            p["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w["name"].as_str().unwrap().to_string()),
        );
        match p["next_cursor"].as_str() {
            Some(cur) => url = format!("/api/v1/watches?limit=1&cursor={cur}"),
            None => break,
        }
    }
    assert_eq!(names, ["alpha", "beta", "gamma"]);
    let by_label = c.get("/api/v1/watches?label=team=search").json();
    assert_eq!(by_label["items"][0]["name"], "beta");
    assert_eq!(by_label["items"].as_array().unwrap().len(), 1);
    let failing = c.get("/api/v1/watches?state=failing").json();
    assert_eq!(failing["items"][0]["name"], "beta");
    // Versions: newest first, two pages of 2 and 1.
    let p1 = c.get("/api/v1/watches/alpha/versions?limit=2").json();
    let nums: Vec<u64> = p1["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["number"].as_u64().unwrap())
        .collect();
    assert_eq!(nums, [3, 2]);
    let cur = p1["next_cursor"].as_str().unwrap();
    let p2 = c
        .get(&format!(
            "/api/v1/watches/alpha/versions?limit=2&cursor={cur}"
        ))
        .json();
    assert_eq!(p2["items"][0]["number"], 1);
    assert!(p2.get("next_cursor").is_none());

    // Errors are problems.
    c.get("/api/v1/watches?cursor=%%%").problem(400);
    c.get("/api/v1/watches?limit=0").problem(400);
    c.get("/api/v1/watches?limit=abc").problem(400);
    c.get("/api/v1/watches/nope").problem(404);
    c.get("/api/v1/watches/alpha/versions/99/raw").problem(404);
    c.get("/api/v1/watches/alpha/versions/x").problem(400);
    c.get("/api/v1/no/such/route").problem(404);
    c.send("DELETE", "/api/v1/watches", Some(ADMIN))
        .problem(405);

    // The diff of v2 → v3 is breaking, breaking first; the raw bytes are as served.
    let d = c.get("/api/v1/watches/alpha/diff?from=2&to=3").json();
    assert!(d["summary"]["breaking"].as_u64().unwrap() > 0, "{d}");
    assert_eq!(d["changes"][0]["level"], "breaking");
    let d13 = c.get("/api/v1/watches/alpha/diff?from=1&to=3");
    assert_eq!(
        d13.status, 200,
        "non-adjacent versions are diffed on demand"
    );
    let raw = c.get("/api/v1/watches/alpha/versions/1/raw");
    assert_eq!(raw.text(), spec_v(2));

    // The breaking change's alert fails at the sink; redrive queues it again.
    let start = Instant::now();
    let alert_id = loop {
        let a = c.get("/api/v1/alerts?status=failed").json();
        if let Some(id) = a["items"][0]["alert"]["id"].as_u64() {
            break id;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no failed delivery; log:\n{}",
            daemon.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let r = c.send(
        "POST",
        &format!("/api/v1/alerts/{alert_id}/redrive"),
        Some(ADMIN),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["redriven"].as_u64().unwrap() >= 1);
    // Alerts paginate by cursor too.
    let a1 = c.get("/api/v1/alerts?limit=1").json();
    assert_eq!(a1["items"].as_array().unwrap().len(), 1);
    if let Some(cur) = a1["next_cursor"].as_str() {
        let a2 = c
            .get(&format!("/api/v1/alerts?limit=1&cursor={cur}"))
            .json();
        assert!(a2["items"][0]["alert"]["id"].as_u64() < a1["items"][0]["alert"]["id"].as_u64());
    }

    // The OpenAPI document names exactly the routes that answer, and validates.
    let doc = c.get("/api/v1/openapi.json").json();
    assert_eq!(doc["openapi"], "3.1.0");
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let url = format!("/api/v1{}", concrete(path));
            let r = if method == "get" {
                c.get(&url)
            } else {
                c.send(&method.to_uppercase(), &url, None)
            };
            // A documented route exists: reads answer 200, mutations ask for the token.
            let want = if method == "get" { 200 } else { 401 };
            assert_eq!(r.status, want, "{method} {url}: {}", r.text());
        }
    }
    let doc_file = store.path().join("openapi.json");
    std::fs::write(&doc_file, serde_json::to_vec(&doc).unwrap()).unwrap();
    let v = Command::new("python3")
        .args([
            "-c",
            "import sys; from openapi_spec_validator import validate; from openapi_spec_validator.readers import read_from_filename; validate(read_from_filename(sys.argv[1])[0]); print('valid')",
            doc_file.to_str().unwrap(),
        ])
        .output()
        .expect("python3 with openapi-spec-validator (the test setup installs it)");
    assert!(
        v.status.success(),
        "the OpenAPI document does not validate: {}",
        String::from_utf8_lossy(&v.stderr)
    );
    let same = support::specwatch(&[
        "diff",
        doc_file.to_str().unwrap(),
        doc_file.to_str().unwrap(),
    ]);
    assert!(
        same.status.success(),
        "{}",
        String::from_utf8_lossy(&same.stderr)
    );
    let text = String::from_utf8_lossy(&same.stdout);
    assert!(
        text.contains("No changes") || text.contains("no changes") || text.trim().is_empty(),
        "self-diff reports something: {text}"
    );

    // Metrics parse, and polling counters moved with the polls above.
    let m = c.get("/metrics");
    assert_eq!(m.status, 200);
    let samples = parse_metrics(&m.text());
    let polls_before = sample(&samples, "polling_attempts_total", "\"alpha\"");
    assert!(
        polls_before >= 3.0,
        "three polls of alpha at least: {polls_before}"
    );
    assert!(sample(&samples, "api_changes_detected_total", "\"breaking\"") >= 1.0);
    assert!(sample(&samples, "alerts_failed_total", "") >= 1.0);
    assert!(sample(&samples, "version_creation_duration_seconds_count", "") >= 3.0);
    for name in [
        "alerts_sent_total",
        "specwatch_delivery_queue_depth",
        "specwatch_config_reload_ok",
        "specwatch_store_size_bytes",
        "specwatch_plugin_loaded",
    ] {
        assert!(
            samples.iter().any(|(n, _, _)| n == name),
            "{name} missing from /metrics"
        );
    }
    c.send("POST", "/api/v1/watches/alpha/poll", Some(ADMIN));
    let after = parse_metrics(&c.get("/metrics").text());
    assert_eq!(
        sample(&after, "polling_attempts_total", "\"alpha\""),
        polls_before + 1.0
    );

    // No secret anywhere: every page, API read, feed, badge and metric, and the errors.
    let mut urls: BTreeSet<String> = [
        "/",
        "/?state=failing",
        "/watches/alpha",
        "/watches/alpha?from=1&to=3",
        "/watches/alpha/versions/3",
        "/watches/alpha/versions/1/raw",
        "/watches/beta",
        "/alerts",
        "/system",
        "/login",
        "/feed.atom",
        "/watches/alpha/feed.atom?level=breaking",
        "/badge/alpha/level.svg",
        "/badge/alpha/versions.svg",
        "/metrics",
        "/healthz",
        "/readyz",
        "/nope",
        "/api/v1/nope",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if item.get("get").is_some() {
            urls.insert(format!("/api/v1{}", concrete(path)));
        }
    }
    for u in &urls {
        let r = c.get(u);
        assert!(r.status < 500, "{u}: {}", r.status);
        assert_no_secret(u, &r, &SECRETS);
    }
    for m in mutations {
        assert_no_secret(m, &c.send("POST", m, Some(ADMIN)), &SECRETS);
        assert_no_secret(
            m,
            &c.send("POST", m, Some("wrong-token-0123456789abcdef")),
            &SECRETS,
        );
    }
    // The pages do show what they should.
    let overview = c.get("/").text();
    assert!(overview.contains("alpha") && overview.contains("Acme"));
    let sysj = c.get("/api/v1/system").json();
    assert!(sysj["store_size"].as_u64().unwrap() > 0, "{sysj}");
    let sys = c.get("/system").text();
    assert!(
        sys.contains("nothere") && sys.contains("plug"),
        "plugin and sink listed"
    );
    let log = daemon.log();
    for s in SECRETS {
        assert!(!log.contains(s), "secret {s:?} in the daemon log");
    }
    assert!(daemon.stop().success(), "graceful shutdown");
}

#[test]
fn mutations_are_disabled_without_a_token_and_reads_can_require_one() {
    let port = free_port();
    let store = tempfile::tempdir().unwrap();
    let env = Env::new(&format!(
        "[server]\nlisten = \"127.0.0.1:{port}\"\n[storage]\npath = \"{}\"\n",
        store.path().display()
    ));
    let mut d = Daemon::start(&env.config, &[]);
    let c = Client::new(port);
    c.wait_ready();
    let p = c
        .send(
            "POST",
            "/api/v1/deliveries/redrive",
            Some("anything-at-all-123"),
        )
        .problem(403);
    assert!(p["detail"].as_str().unwrap().contains("admin_token"));
    assert_eq!(c.get("/api/v1/watches").status, 200, "reads are open");
    d.stop();

    // read_auth = "token": the API needs the token (bearer or basic), pages redirect to login.
    let port = free_port();
    let env = Env::new(&format!(
        "[server]\nlisten = \"127.0.0.1:{port}\"\nadmin_token = \"{ADMIN}\"\nread_auth = \"token\"\nfeeds = false\n[storage]\npath = \"{}\"\n",
        store.path().display()
    ));
    let mut d = Daemon::start(&env.config, &[]);
    let c = Client::new(port);
    c.wait_ready();
    c.get("/api/v1/watches").problem(401);
    assert_eq!(c.send("GET", "/api/v1/watches", Some(ADMIN)).status, 200);
    let basic = c.run(
        c.http
            .get(c.url("/api/v1/system"))
            .basic_auth("ops", Some(ADMIN)),
    );
    assert_eq!(basic.status, 200);
    let page = c.get("/alerts");
    assert_eq!(page.status, 303);
    assert!(page.header("location").unwrap().starts_with("/login"));
    assert_eq!(
        c.send("GET", "/feed.atom", Some(ADMIN)).status,
        404,
        "feeds switched off"
    );
    assert_eq!(c.get("/healthz").status, 200, "health stays public");
    // Login sets an HTTP-only, SameSite cookie that reads, and mutations need its CSRF value.
    let login = c.run(
        c.http
            .post(c.url("/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[("token", ADMIN), ("next", "/system")])),
    );
    assert_eq!(login.status, 303);
    let cookie = login.header("set-cookie").unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    assert!(
        !cookie.contains(ADMIN),
        "the cookie holds a MAC, not the token"
    );
    let session = cookie.split(';').next().unwrap().to_string();
    let page = c.run(c.http.get(c.url("/system")).header("cookie", &session));
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Log out"), "logged in");
    let no_csrf = c.run(
        c.http
            .post(c.url("/api/v1/deliveries/redrive"))
            .header("cookie", &session)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[("next", "/alerts")])),
    );
    no_csrf.problem(403);
    let bad_csrf = c.run(
        c.http
            .post(c.url("/api/v1/deliveries/redrive"))
            .header("cookie", &session)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[("next", "/alerts"), ("csrf", "0000")])),
    );
    bad_csrf.problem(403);
    let bad = c.run(
        c.http
            .post(c.url("/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[("token", "nope-nope-nope-nope"), ("next", "/")])),
    );
    assert_eq!(bad.status, 401);
    d.stop();
}
