//! Alerting end to end (real daemon, real spec server and webhook receivers on
//! 127.0.0.1): a breaking change arrives once, signed and schema-valid; retries after
//! 503s keep one idempotency key; a 400 is not retried and redrive delivers it later;
//! label routes, silences and `continue` send each alert where it belongs.

use crate::support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::{Daemon, Env, Reply, SeenRequest, Server, alert_schema, spec_v};

const SECRET: &str = "s3cret-for-tests";

/// A spec server whose document the test swaps (`set(n)` serves `spec_v(n)`).
struct Specs {
    server: Server,
    body: Arc<Mutex<String>>,
}

impl Specs {
    fn start(n: u32) -> Specs {
        let body = Arc::new(Mutex::new(spec_v(n)));
        let b = body.clone();
        let server = Server::start(move |_| Reply::ok(b.lock().unwrap().clone()));
        Specs { server, body }
    }
    fn set(&self, n: u32) {
        *self.body.lock().unwrap() = spec_v(n);
    }
}

fn watch(name: &str, url: &str, team: &str) -> String {
    format!(
        "[[watch]]\nname = \"{name}\"\nurl = \"{url}\"\nschedule = \"every 1h\"\ntimeout = \"2s\"\nlabels = {{ team = \"{team}\" }}\n"
    )
}

fn base(store: &std::path::Path) -> String {
    format!(
        "[storage]\npath = \"{}\"\n[polling]\nshutdown_timeout = \"5s\"\n[alerts]\nbackoff_initial = \"100ms\"\nbackoff_max = \"300ms\"\n",
        store.display()
    )
}

fn webhook(name: &str, url: &str) -> String {
    format!(
        "[[sink]]\nname = \"{name}\"\ntype = \"webhook\"\nurl = \"{url}\"\nsecret = \"{SECRET}\"\ntimeout = \"2s\"\n"
    )
}

fn started(env: &Env) -> Daemon {
    let d = Daemon::start(&env.config, &[]);
    d.wait_line("specwatch started", Duration::from_secs(15))
        .unwrap_or_else(|| panic!("daemon did not start; log:\n{}", d.log()));
    d
}

/// Polls through the daemon and checks the outcome line.
fn poll(env: &Env, watch: &str, expect: &str) {
    let out = env.run(&["poll", watch]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(expect),
        "poll {watch}: expected {expect:?}, got {text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn wait_until(what: &str, timeout: Duration, mut f: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while start.elapsed() < timeout {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("timed out waiting for {what}");
}

fn hooks(server: &Server, path: &str) -> Vec<SeenRequest> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.path == path)
        .collect()
}

fn json(r: &SeenRequest) -> serde_json::Value {
    serde_json::from_slice(&r.body).expect("webhook body is JSON")
}

fn history(env: &Env) -> serde_json::Value {
    let out = env.run(&["alerts", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A running daemon with one watch `name` (team label `team`) routed to the sink given as
/// TOML (named `sink`); its v1 is stored and a breaking v2 (a path removed without
/// deprecation) has just been polled. Bind every field where it is used: `..` would drop
/// the spec server and the store directory at once.
struct BreakingChange {
    _specs: Specs,
    _store: tempfile::TempDir,
    env: Env,
    daemon: Daemon,
}

fn breaking_change(name: &str, team: &str, sink_toml: &str, sink: &str) -> BreakingChange {
    let specs = Specs::start(2);
    let store = tempfile::tempdir().unwrap();
    let cfg = format!(
        "{}{sink_toml}{}[[route]]\nsinks = [\"{sink}\"]\n",
        base(store.path()),
        watch(name, &specs.server.url("/spec.yaml"), team),
    );
    let env = Env::new(&cfg);
    let daemon = started(&env);
    daemon
        .wait_line("new version 1", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("no baseline; log:\n{}", daemon.log()));
    specs.set(1);
    poll(&env, name, "new version 2");
    BreakingChange {
        _specs: specs,
        _store: store,
        env,
        daemon,
    }
}

#[test]
fn a_breaking_change_arrives_once_signed_and_schema_valid() {
    let receiver = Server::start(|_| Reply::ok("thanks"));
    let BreakingChange {
        env,
        mut daemon,
        _specs,
        _store,
    } = breaking_change(
        "stripe",
        "payments",
        &webhook("hook", &receiver.url("/hook")),
        "hook",
    );
    wait_until("the alert", Duration::from_secs(10), || {
        !hooks(&receiver, "/hook").is_empty()
    });
    std::thread::sleep(Duration::from_millis(800));
    let got = hooks(&receiver, "/hook");
    assert_eq!(got.len(), 1, "exactly one alert for the version");
    let r = &got[0];
    assert_eq!(r.method, "POST");
    let sig = r.headers.get("x-specwatch-signature").expect("signed");
    assert!(
        alert_schema::verify_signature(SECRET.as_bytes(), sig, &r.body),
        "{sig}"
    );
    assert!(!alert_schema::verify_signature(b"wrong", sig, &r.body));
    let p = json(r);
    alert_schema::validate(&p).unwrap_or_else(|e| panic!("{e}\n{p:#}"));
    assert_eq!(p["schema"], "specwatch.alert.v1");
    assert_eq!(p["event"], "breaking_change");
    assert_eq!(p["level"], "breaking");
    assert_eq!(p["watch"]["labels"]["team"], "payments");
    assert_eq!(p["events"][0]["versions"]["to"], 2);
    assert!(
        p["events"][0]["changes"][0]["id"]
            .as_str()
            .unwrap()
            .starts_with("api-path-removed")
    );
    assert_eq!(
        r.headers.get("idempotency-key").map(String::as_str),
        p["idempotency_key"].as_str()
    );
    let h = history(&env);
    assert_eq!(h[0]["status"], "sent");
    assert_eq!(h[0]["deliveries"][0]["attempts"][0]["outcome"], "ok");
    assert!(daemon.stop().success());
}

#[test]
fn a_receiver_that_fails_for_a_while_gets_the_alert_once_after_recovery() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let receiver = Server::start(move |_| {
        if c.fetch_add(1, Ordering::SeqCst) < 3 {
            Reply::status(503, "try later")
        } else {
            Reply::ok("ok")
        }
    });
    let BreakingChange {
        env,
        mut daemon,
        _specs,
        _store,
    } = breaking_change("api", "x", &webhook("hook", &receiver.url("/hook")), "hook");
    wait_until("delivery after recovery", Duration::from_secs(15), || {
        calls.load(Ordering::SeqCst) >= 4
    });
    std::thread::sleep(Duration::from_millis(800));
    let got = hooks(&receiver, "/hook");
    assert_eq!(got.len(), 4, "3 refused + 1 accepted, no more");
    let keys: std::collections::HashSet<&str> = got
        .iter()
        .map(|r| r.headers["idempotency-key"].as_str())
        .collect();
    assert_eq!(keys.len(), 1, "one idempotency key across retries");
    assert!(
        got.iter().all(|r| r.body == got[0].body),
        "same body on every retry"
    );
    let h = history(&env);
    let attempts = h[0]["deliveries"][0]["attempts"].as_array().unwrap();
    let outcomes: Vec<&str> = attempts
        .iter()
        .map(|a| a["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["transient", "transient", "transient", "ok"]);
    assert_eq!(attempts[0]["status"], 503);
    assert_eq!(h[0]["status"], "sent");
    assert!(daemon.stop().success());
}

#[test]
fn a_permanent_failure_is_not_retried_and_redrive_delivers_it() {
    let fixed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let f = fixed.clone();
    let receiver = Server::start(move |_| {
        if f.load(Ordering::SeqCst) {
            Reply::ok("ok")
        } else {
            Reply::status(400, "{\"error\":\"unknown field severity\"}")
        }
    });
    let BreakingChange {
        env,
        mut daemon,
        _specs,
        _store,
    } = breaking_change("api", "x", &webhook("hook", &receiver.url("/hook")), "hook");
    wait_until("the failed delivery", Duration::from_secs(10), || {
        history(&env)[0]["status"] == "failed"
    });
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(hooks(&receiver, "/hook").len(), 1, "a 400 is not retried");
    let h = history(&env);
    let detail = h[0]["deliveries"][0]["last_error"].as_str().unwrap();
    assert!(
        detail.contains("400") && detail.contains("unknown field severity"),
        "{detail}"
    );
    let failed = env.run(&["alerts", "--status", "failed"]);
    assert!(String::from_utf8_lossy(&failed.stdout).contains("failed"));

    fixed.store(true, Ordering::SeqCst);
    let out = env.run(&["alert", "redrive", "--failed"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("queued 1 failed delivery again"),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    wait_until("the redriven delivery", Duration::from_secs(10), || {
        history(&env)[0]["status"] == "sent"
    });
    let got = hooks(&receiver, "/hook");
    assert_eq!(got.len(), 2);
    assert_eq!(
        got[0].headers["idempotency-key"], got[1].headers["idempotency-key"],
        "a redrive is the same delivery"
    );
    assert!(daemon.stop().success());
}

#[test]
fn routes_by_label_silences_and_continue() {
    let pay = Specs::start(2);
    let id = Specs::start(2);
    let legacy = Specs::start(2);
    let receiver = Server::start(|_| Reply::ok("ok"));
    let store = tempfile::tempdir().unwrap();
    let cfg = format!(
        "{}{}{}{}{}{}{}\
         [[route]]\nmatch = {{ labels = {{ team = \"payments\" }} }}\nsinks = [\"payments\"]\ncontinue = true\n\
         [[route]]\nmatch = {{ labels = {{ team = \"identity\" }} }}\nsinks = [\"identity\"]\n\
         [[route]]\nmatch = {{ event = [\"breaking_change\"] }}\nsinks = [\"audit\"]\n\
         [[silence]]\nmatch = {{ watch = \"legacy-*\" }}\nstarts = \"2020-01-01T00:00:00Z\"\nends = \"2099-01-01T00:00:00Z\"\ncomment = \"vendor migration\"\n",
        base(store.path()),
        webhook("payments", &receiver.url("/payments")),
        webhook("identity", &receiver.url("/identity")),
        webhook("audit", &receiver.url("/audit")),
        watch("stripe", &pay.server.url("/spec.yaml"), "payments"),
        watch("okta", &id.server.url("/spec.yaml"), "identity"),
        watch(
            "legacy-billing",
            &legacy.server.url("/spec.yaml"),
            "payments"
        ),
    );
    let env = Env::new(&cfg);
    let mut d = started(&env);
    for w in ["stripe", "okta", "legacy-billing"] {
        poll(&env, w, "");
    }
    wait_until("baselines", Duration::from_secs(10), || {
        ["stripe", "okta", "legacy-billing"].iter().all(|w| {
            env.history_json(w)["versions"]
                .as_array()
                .is_some_and(|v| !v.is_empty())
        })
    });
    for (s, w) in [(&pay, "stripe"), (&id, "okta"), (&legacy, "legacy-billing")] {
        s.set(1);
        poll(&env, w, "new version 2");
    }
    wait_until("three deliveries", Duration::from_secs(10), || {
        receiver.requests().len() >= 3
    });
    std::thread::sleep(Duration::from_millis(800));
    let watch_of = |path: &str| -> Vec<String> {
        hooks(&receiver, path)
            .iter()
            .map(|r| json(r)["watch"]["name"].as_str().unwrap().to_string())
            .collect()
    };
    // payments route continues to the catch-all breaking route; identity stops at its own.
    assert_eq!(watch_of("/payments"), ["stripe"]);
    assert_eq!(watch_of("/identity"), ["okta"]);
    assert_eq!(watch_of("/audit"), ["stripe"]);
    assert_eq!(
        receiver.requests().len(),
        3,
        "the silenced watch sent nothing"
    );
    let h = history(&env);
    let silenced: Vec<&serde_json::Value> = h
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["alert"]["watch"]["name"] == "legacy-billing")
        .collect();
    assert_eq!(silenced.len(), 1);
    assert_eq!(silenced[0]["status"], "silenced");
    assert_eq!(
        silenced[0]["alert"]["routing"]["comment"],
        "vendor migration"
    );
    assert!(silenced[0]["deliveries"].as_array().unwrap().is_empty());
    assert!(d.stop().success());
}

#[test]
fn email_alerts_reach_a_real_smtp_server() {
    let smtp = support::smtp::SmtpServer::start(support::smtp::SmtpOptions::default());
    let sink = format!(
        "[[sink]]\nname = \"mail\"\ntype = \"email\"\nsmtp = \"smtp://127.0.0.1:{}?tls=none\"\nfrom = \"specwatch@example.test\"\nto = [\"oncall@example.test\"]\n",
        smtp.port
    );
    let BreakingChange {
        env,
        mut daemon,
        _specs,
        _store,
    } = breaking_change("stripe", "payments", &sink, "mail");
    let mails = smtp.wait_messages(1, Duration::from_secs(10));
    assert_eq!(mails.len(), 1, "one alert mail");
    let m = &mails[0];
    assert_eq!(m.rcpt_tos, ["oncall@example.test"]);
    let subject = m.header("subject").unwrap();
    assert!(
        subject.contains("BREAKING") && subject.contains("stripe"),
        "{subject}"
    );
    let text = m.text.as_deref().unwrap();
    assert!(text.contains("api-path-removed"), "{text}");
    assert!(m.html.as_deref().unwrap().contains("stripe"));
    // `alert test` goes through the real sink, outside the outbox.
    let out = env.run(&["alert", "test", "mail"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("delivered to mail"),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let mails = smtp.wait_messages(2, Duration::from_secs(10));
    assert!(mails[1].text.as_deref().unwrap().contains("Test alert"));
    assert!(daemon.stop().success());
}
