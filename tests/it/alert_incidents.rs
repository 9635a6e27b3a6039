//! Breaking-change incidents resolve: through the real PagerDuty and Opsgenie plugins
//! against loopback receivers that answer like Events API v2 and Opsgenie's Alert API,
//! a breaking change triggers an incident that `specwatch alert ack ID` resolves, and
//! another that a later version reverting it resolves, each with the trigger's
//! `dedup_key` / `alias`.

use crate::support;
use crate::support::wasm;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use support::{Daemon, Env, Reply, SeenRequest, Server, spec_v};

/// PagerDuty Events API v2: 202 with the event's dedup key.
fn pagerduty(r: &SeenRequest) -> Reply {
    let b: Value = serde_json::from_slice(&r.body).unwrap_or_default();
    let key = b["dedup_key"].as_str().unwrap_or("generated");
    Reply::status(
        202,
        json!({"status": "success", "message": "Event processed", "dedup_key": key}).to_string(),
    )
}

/// Opsgenie Alert API: 202 with a request id.
fn opsgenie(_: &SeenRequest) -> Reply {
    Reply::status(
        202,
        json!({"result": "Request will be processed", "took": 0.1, "requestId": "43a29c5c-3dbf-4fa4-9c26-f4f71023e120"}).to_string(),
    )
}

fn bodies(server: &Server, path_prefix: &str) -> Vec<(String, Value)> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with(path_prefix))
        .map(|r| (r.path.clone(), serde_json::from_slice(&r.body).unwrap()))
        .collect()
}

#[test]
fn breaking_change_incidents_resolve_on_ack_and_on_revert() {
    let pd = Server::start(pagerduty);
    let og = Server::start(opsgenie);
    let body = Arc::new(Mutex::new(spec_v(3)));
    let b = body.clone();
    let specs = Server::start(move |_| Reply::ok(b.lock().unwrap().clone()));
    let dir = tempfile::tempdir().unwrap();
    let plugins = dir.path().join("plugins.d");
    std::fs::create_dir(&plugins).unwrap();
    for p in ["pagerduty", "opsgenie"] {
        std::fs::copy(wasm::plugin(p), plugins.join(format!("{p}.wasm"))).unwrap();
    }
    let cfg = format!(
        "[storage]\npath = \"{store}\"\n[polling]\nshutdown_timeout = \"5s\"\n\
         [plugins]\ndir = \"{plugins}\"\n\
         [[watch]]\nname = \"api\"\nurl = \"{spec}\"\nschedule = \"every 1h\"\ntimeout = \"2s\"\n\
         [[sink]]\nname = \"pd\"\ntype = \"plugin\"\nplugin = \"pagerduty\"\n\
         allowed_hosts = [\"127.0.0.1\"]\nallow_http_hosts = [\"127.0.0.1\"]\n\
         config = {{ routing_key = \"0123456789abcdef0123456789abcdef\", events_url = \"{pd}\", change_events = false }}\n\
         [[sink]]\nname = \"og\"\ntype = \"plugin\"\nplugin = \"opsgenie\"\n\
         allowed_hosts = [\"127.0.0.1\"]\nallow_http_hosts = [\"127.0.0.1\"]\n\
         config = {{ api_key = \"eb243592-faa2-4ba2-a551q-1afdf565c889\", api_url = \"{og}\" }}\n\
         [[route]]\nmatch = {{ event = [\"breaking_change\"] }}\nsinks = [\"pd\", \"og\"]\n",
        store = dir.path().join("store").display(),
        plugins = plugins.display(),
        spec = specs.url("/spec.yaml"),
        pd = pd.url(""),
        og = og.url(""),
    );
    let env = Env::new(&cfg);
    let mut d = Daemon::start(&env.config, &[]);
    d.wait_line("new version 1", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("no baseline; log:\n{}", d.log()));
    let poll = |n: u32, version: u32| {
        *body.lock().unwrap() = spec_v(n);
        let out = env.run(&["poll", "api"]);
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(&format!("new version {version}")),
            "{out:?}"
        );
    };
    let wait = |server: &Server, n: usize| {
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        while server.requests().len() < n && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(
            server.requests().len() >= n,
            "expected {n} requests, got {}; log:\n{}",
            server.requests().len(),
            d.log()
        );
    };

    // v2 removes /items2: a breaking change opens an incident in both.
    poll(2, 2);
    wait(&pd, 1);
    wait(&og, 1);
    let trig = &bodies(&pd, "/v2/enqueue")[0].1;
    assert_eq!(trig["event_action"], "trigger", "{trig:#}");
    let key1 = trig["dedup_key"].as_str().unwrap().to_string();
    let (path, created) = &bodies(&og, "/v2/alerts")[0];
    assert_eq!(path, "/v2/alerts");
    let alias1 = created["alias"].as_str().unwrap().to_string();
    assert_eq!(alias1, key1, "both key the incident by its fingerprint");

    // Acknowledged: resolved with the same dedup_key, closed by the same alias.
    let alerts: Value =
        serde_json::from_slice(&env.run(&["alerts", "--format", "json"]).stdout).unwrap();
    let id = alerts
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["alert"]["event"]["kind"] == "breaking_change")
        .unwrap()["alert"]["id"]
        .as_u64()
        .unwrap();
    let out = env.run(&["alert", "ack", &id.to_string()]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("resolved on 1 route"),
        "{out:?}"
    );
    wait(&pd, 2);
    wait(&og, 2);
    let res = &bodies(&pd, "/v2/enqueue")[1].1;
    assert_eq!(res["event_action"], "resolve", "{res:#}");
    assert_eq!(res["dedup_key"], key1.as_str());
    let (path, _) = &bodies(&og, "/v2/alerts")[1];
    assert_eq!(
        path,
        &format!("/v2/alerts/{alias1}/close?identifierType=alias")
    );
    // Acknowledging again: nothing is open.
    let out = env.run(&["alert", "ack", &id.to_string()]);
    assert!(!out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no open incident"),
        "{out:?}"
    );

    // v3 restores /items2 (not breaking: no page). v4 removes /items1 and /items2: a new
    // incident; v5 is the same API as v3: the revert resolves it.
    poll(3, 3);
    poll(1, 4);
    wait(&pd, 3);
    wait(&og, 3);
    let trig = &bodies(&pd, "/v2/enqueue")[2].1;
    assert_eq!(trig["event_action"], "trigger", "{trig:#}");
    let key2 = trig["dedup_key"].as_str().unwrap().to_string();
    assert_ne!(key2, key1, "another change is another incident");
    poll(3, 5);
    wait(&pd, 4);
    wait(&og, 4);
    let res = &bodies(&pd, "/v2/enqueue")[3].1;
    assert_eq!(res["event_action"], "resolve", "{res:#}");
    assert_eq!(res["dedup_key"], key2.as_str());
    let (path, note) = &bodies(&og, "/v2/alerts")[3];
    assert_eq!(
        path,
        &format!("/v2/alerts/{key2}/close?identifierType=alias")
    );
    assert!(
        note["note"].as_str().unwrap().starts_with("RESOLVED "),
        "{note:#}"
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(pd.requests().len(), 4, "nothing else was sent");
    assert!(d.stop().success());
}
