//! The mutations beyond poll / pause / redrive, through the API (bearer token) and the
//! pages (login cookie + CSRF), on a real daemon with real webhook receivers: test a
//! sink, cancel a pending delivery, add a silence and expire it. No planted secret
//! appears in any of their responses.

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::browser::free_port;
use support::web::{Client, Resp, assert_no_secret};
use support::{Daemon, Env, Reply, Server, spec_v};

const ADMIN: &str = "admin-token-mutations-0123456789";
const HOOK_SECRET: &str = "whsec-mutations-77aa";
const URL_SECRET: &str = "url-secret-mutations-88bb";
const SECRETS: [&str; 3] = [ADMIN, HOOK_SECRET, URL_SECRET];

/// Polls `until` every 100 ms for up to 30 s.
fn wait_for<T>(what: &str, mut until: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = until() {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The CSRF value of the page's forms.
fn csrf(page: &str) -> String {
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF value (logged in as admin)");
    let rest = &page[at + "name=\"csrf\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// Events the receiver at /hook got: (event kind, watch).
fn received(seen: &Mutex<Vec<Value>>) -> Vec<(String, String)> {
    seen.lock()
        .unwrap()
        .iter()
        .flat_map(|p| {
            let watch = p["watch"]["name"].as_str().unwrap_or("").to_string();
            p["events"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |e| (e["kind"].as_str().unwrap_or("").to_string(), watch.clone()))
        })
        .collect()
}

#[test]
fn test_a_sink_cancel_a_delivery_and_silence_through_api_and_pages() {
    let spec = Arc::new(Mutex::new(spec_v(2)));
    let hook_seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let (s2, h2) = (spec.clone(), hook_seen.clone());
    let server = Server::start(move |req| {
        if req.path.starts_with("/hook") {
            h2.lock()
                .unwrap()
                .push(serde_json::from_slice(&req.body).unwrap_or_default());
            return Reply::ok("thanks");
        }
        if req.path.starts_with("/stuck") {
            // Transient every time: its deliveries stay pending, waiting for a retry.
            return Reply::status(503, "try later");
        }
        Reply::ok(s2.lock().unwrap().clone())
    });
    let port = free_port();
    let store = tempfile::tempdir().unwrap();
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
backoff_initial = "1h"
backoff_max = "1h"

[[watch]]
name = "alpha"
url = "{spec_url}"
schedule = "every 1h"

[[sink]]
name = "hook"
type = "webhook"
url = "{hook_url}?token=${{SW_URL}}"
secret = "${{SW_HOOK}}"

[[sink]]
name = "stuck"
type = "webhook"
url = "{stuck_url}"

[[route]]
sinks = ["hook", "stuck"]
"#,
        store = store.path().display(),
        spec_url = server.url("/spec.yaml"),
        hook_url = server.url("/hook"),
        stuck_url = server.url("/stuck"),
    );
    let env = Env::new(&cfg);
    let mut daemon = Daemon::start(
        &env.config,
        &[
            ("SW_ADMIN", ADMIN),
            ("SW_HOOK", HOOK_SECRET),
            ("SW_URL", URL_SECRET),
        ],
    );
    let c = Client::new(port);
    c.wait_ready();
    let mut responses: Vec<(String, Resp)> = Vec::new();
    let version = |c: &Client| c.get("/api/v1/watches/alpha").json()["latest_version"].as_u64();
    let poll_to = |c: &Client, text: String, n: u64| {
        *spec.lock().unwrap() = text;
        let r = c.send("POST", "/api/v1/watches/alpha/poll", Some(ADMIN));
        assert_eq!(r.status, 200, "{}", r.text());
        wait_for(&format!("alpha v{n}"), || {
            (version(c) == Some(n)).then_some(())
        });
    };

    // Every new mutation asks for the token: none, wrong, a prefix of the right one.
    for m in [
        "/api/v1/sinks/hook/test",
        "/api/v1/alerts/1/cancel",
        "/api/v1/silences",
        "/api/v1/silences/1/expire",
    ] {
        c.send("POST", m, None).problem(401);
        c.send("POST", m, Some("wrong-token-0123456789abcdef"))
            .problem(401);
        c.send("POST", m, Some(&ADMIN[..ADMIN.len() - 1]))
            .problem(401);
    }

    // v1, then v2 (a path added): its alert goes to both sinks; "stuck" keeps it pending.
    wait_for("alpha v1", || {
        let r = c.send("POST", "/api/v1/watches/alpha/poll", Some(ADMIN));
        (r.status == 200 && version(&c) == Some(1)).then_some(())
    });
    poll_to(&c, spec_v(3), 2);
    let alert = wait_for("an alert pending at the stuck sink", || {
        let a = c.get("/api/v1/alerts?status=pending").json();
        a["items"].as_array()?.iter().find_map(|x| {
            let stuck = x["deliveries"]
                .as_array()?
                .iter()
                .find(|d| d["sink"] == "stuck")?;
            // `attempts` is both the count and the attempt list in this JSON (a
            // flattened field collides); the list is what a parser keeps.
            let tried = stuck["attempts"]
                .as_array()
                .map_or(stuck["attempts"].as_u64().unwrap_or(0), |a| a.len() as u64);
            (stuck["status"] == "pending" && tried >= 1)
                .then(|| x["alert"]["id"].as_u64())
                .flatten()
        })
    });

    // Cancel it: the pending delivery is cancelled, the one already sent stays sent.
    let r = c.send(
        "POST",
        &format!("/api/v1/alerts/{alert}/cancel"),
        Some(ADMIN),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["cancelled"], 1);
    responses.push(("cancel".into(), r));
    let a = c.get("/api/v1/alerts?limit=50").json();
    let row = a["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["alert"]["id"] == alert)
        .unwrap()
        .clone();
    let status_of = |sink: &str| {
        row["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["sink"] == sink)
            .map(|d| d["status"].clone())
    };
    assert_eq!(status_of("stuck"), Some(json!("cancelled")), "{row}");
    assert_eq!(status_of("hook"), Some(json!("sent")), "{row}");
    let again = c.send(
        "POST",
        &format!("/api/v1/alerts/{alert}/cancel"),
        Some(ADMIN),
    );
    again.problem(404);
    c.send("POST", "/api/v1/alerts/x/cancel", Some(ADMIN))
        .problem(400);

    // Test a sink: delivered now, outside the outbox, signed like any alert.
    let before = received(&hook_seen).len();
    let r = c.send("POST", "/api/v1/sinks/hook/test", Some(ADMIN));
    assert_eq!(r.status, 200, "{}", r.text());
    let t = r.json();
    assert_eq!(
        (t["ok"].clone(), t["result"].clone(), t["status"].clone()),
        (json!(true), json!("delivered"), json!(200)),
        "{t}"
    );
    responses.push(("test hook".into(), r));
    let got = received(&hook_seen);
    assert_eq!(got.len(), before + 1);
    assert_eq!(got.last().unwrap().0, "test");
    let signed = server
        .seen
        .lock()
        .unwrap()
        .iter()
        .rev()
        .find(|r| r.path.starts_with("/hook"))
        .map(|r| r.headers.keys().any(|k| k.contains("signature")))
        .unwrap();
    assert!(signed, "the test alert is signed like any delivery");
    let r = c.send("POST", "/api/v1/sinks/stuck/test", Some(ADMIN));
    assert_eq!(
        r.status,
        200,
        "a failed test is still an answer: {}",
        r.text()
    );
    let t = r.json();
    assert_eq!(
        (t["ok"].clone(), t["result"].clone(), t["status"].clone()),
        (json!(false), json!("transient"), json!(503)),
        "{t}"
    );
    responses.push(("test stuck".into(), r));
    c.send("POST", "/api/v1/sinks/nope/test", Some(ADMIN))
        .problem(404);
    assert_eq!(
        c.get("/api/v1/alerts?limit=100").json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["alert"]["event"]["kind"] == "test")
            .count(),
        0,
        "a sink test is not an alert in the history"
    );

    // Silences: bad ones are refused with what to fix.
    for (bad, why) in [
        (
            json!({"duration": "1h", "comment": "x"}),
            "silence everything",
        ),
        (json!({"watch": ["alpha"], "comment": "x"}), "duration"),
        (json!({"watch": ["alpha"], "duration": "1h"}), "comment"),
        (
            json!({"watch": ["alpha"], "duration": "1h", "comment": "x", "event": ["nope"]}),
            "unknown event",
        ),
        (
            json!({"watch": ["alpha"], "duration": "1y", "comment": "x"}),
            "duration",
        ),
        (json!(["not", "an", "object"]), "JSON object"),
    ] {
        let p = c
            .post_json("/api/v1/silences", Some(ADMIN), &bad)
            .problem(400);
        assert!(p["detail"].as_str().unwrap().contains(why), "{bad}: {p}");
    }
    // A good one silences the next breaking change of alpha.
    let r = c.post_json(
        "/api/v1/silences",
        Some(ADMIN),
        &json!({"watch": ["alpha"], "duration": "2h", "comment": "vendor maintenance"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let silence = r.json();
    assert_eq!(
        (silence["active"].clone(), silence["source"].clone()),
        (json!(true), json!("api"))
    );
    let sid = silence["id"].as_u64().unwrap();
    responses.push(("add silence".into(), r));
    let listed = c.get("/api/v1/silences").json();
    assert!(
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == sid && s["comment"] == "vendor maintenance")
    );
    let sent_before = received(&hook_seen).len();
    poll_to(&c, spec_v(1), 3);
    wait_for("the breaking change recorded as silenced", || {
        let a = c.get("/api/v1/alerts?status=silenced").json();
        a["items"]
            .as_array()?
            .iter()
            .any(|x| x["alert"]["event"]["kind"] == "breaking_change")
            .then_some(())
    });
    assert_eq!(
        received(&hook_seen).len(),
        sent_before,
        "silenced: nothing delivered"
    );

    // Expire it: the next change is delivered again.
    let r = c.send(
        "POST",
        &format!("/api/v1/silences/{sid}/expire"),
        Some(ADMIN),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["active"], false);
    responses.push(("expire silence".into(), r));
    c.send("POST", "/api/v1/silences/99/expire", Some(ADMIN))
        .problem(404);
    poll_to(&c, spec_v(2), 4);
    wait_for("the change after the silence delivered", || {
        received(&hook_seen)[sent_before..]
            .iter()
            .any(|(k, w)| w == "alpha" && k != "test")
            .then_some(())
    });

    // The same through the pages: log in, then forms with the CSRF value.
    let session = c.login(ADMIN);
    let page = c.get_with("/alerts", &session).text();
    assert!(page.contains("id=\"add-silence\""), "the add-silence form");
    let token = csrf(&page);
    let no_csrf = c.post_form(
        "/api/v1/silences",
        &session,
        &[
            ("watch", "alpha"),
            ("duration", "1h"),
            ("comment", "by form"),
            ("next", "/alerts#silences"),
        ],
    );
    no_csrf.problem(403);
    let r = c.post_form(
        "/api/v1/silences",
        &session,
        &[
            ("csrf", &token),
            ("watch", "alpha, beta*"),
            ("event", ""),
            ("level", "breaking"),
            ("duration", "1h"),
            ("comment", "set from the page"),
            ("next", "/alerts#silences"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/alerts#silences"));
    let s = c.get("/api/v1/silences").json();
    let from_form = s["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["comment"] == "set from the page")
        .expect("the form's silence")
        .clone();
    assert_eq!(from_form["watch"], json!(["alpha", "beta*"]));
    assert_eq!(from_form["level"], json!(["breaking"]));
    assert_eq!(from_form["event"], json!([]));
    let fid = from_form["id"].as_u64().unwrap();
    let page = c.get_with("/alerts", &session).text();
    assert!(page.contains("set from the page"));
    assert!(
        page.contains(&format!("action=\"/api/v1/silences/{fid}/expire\"")),
        "an Expire button"
    );
    let r = c.post_form(
        &format!("/api/v1/silences/{fid}/expire"),
        &session,
        &[("csrf", &token), ("next", "/alerts#silences")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let s = c.get("/api/v1/silences").json();
    assert!(
        s["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == fid && s["active"] == false)
    );
    // Test a sink from the system page: the result shows in the sinks table.
    let system = c.get_with("/system", &session).text();
    assert!(
        system.contains("action=\"/api/v1/sinks/hook/test\""),
        "a test button per sink"
    );
    let r = c.post_form(
        "/api/v1/sinks/hook/test",
        &session,
        &[("csrf", &token), ("next", "/system#sinks")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let system = c.get_with("/system", &session);
    let text = system.text();
    let row = &text[text.find("data-sink=\"hook\"").unwrap()..];
    assert!(
        row[..row.find("</tr>").unwrap()].contains("delivered"),
        "{row}"
    );
    responses.push(("system page".into(), system));
    // Cancel from the alerts page: a button on alerts with a pending delivery.
    let pending = wait_for("a pending delivery after the silence", || {
        let a = c.get("/api/v1/alerts?status=pending").json();
        a["items"].as_array()?.first()?["alert"]["id"].as_u64()
    });
    let page = c.get_with("/alerts", &session);
    assert!(
        page.text()
            .contains(&format!("action=\"/api/v1/alerts/{pending}/cancel\"")),
        "a cancel button on the pending alert"
    );
    responses.push(("alerts page".into(), page));
    let r = c.post_form(
        &format!("/api/v1/alerts/{pending}/cancel"),
        &session,
        &[("csrf", &token), ("next", "/alerts")],
    );
    assert_eq!(r.status, 303, "{}", r.text());

    for (what, r) in &responses {
        assert_no_secret(what, r, &SECRETS);
    }
    for path in ["/api/v1/silences", "/alerts", "/system", "/api/v1/system"] {
        assert_no_secret(path, &c.get(path), &SECRETS);
    }
    let log = daemon.log();
    for s in SECRETS {
        assert!(!log.contains(s), "secret {s:?} in the daemon log");
    }
    assert!(daemon.stop().success(), "graceful shutdown");
}
