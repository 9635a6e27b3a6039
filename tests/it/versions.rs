//! A reformatted spec is no new version while a real change is one, and polls use
//! conditional GET (ETag / Last-Modified) so an unchanged spec costs a 304.

use crate::support;

use std::sync::{Arc, Mutex};

use support::{Env, Reply, Server, config_for, spec_v};

#[test]
fn versions_reformatting_and_history() {
    let body = Arc::new(Mutex::new(spec_v(1)));
    let b = body.clone();
    let server = Server::start(move |_| Reply::ok(b.lock().unwrap().clone()));
    let store = tempfile::tempdir().unwrap();
    let env = Env::new(&config_for(
        store.path(),
        &[("api", &server.url("/spec.yaml"))],
        "",
    ));

    let poll = |expect: &str| {
        let out = env.run(&["poll", "api"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains(expect),
            "expected {expect:?}, got stdout {stdout:?} stderr {:?}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    poll("new version 1");
    poll("unchanged");
    *body.lock().unwrap() = spec_v(2);
    poll("new version 2");
    // The same document re-serialized: JSON instead of YAML, keys in another order.
    let v2: serde_json::Value = serde_saphyr::from_str(&spec_v(2)).unwrap();
    let mut reordered = serde_json::Map::new();
    for key in ["paths", "info", "openapi"] {
        reordered.insert(key.to_string(), v2[key].clone());
    }
    *body.lock().unwrap() = serde_json::to_string_pretty(&reordered).unwrap();
    poll("reformatted");
    *body.lock().unwrap() = spec_v(3);
    poll("new version 3");

    let h = env.history_json("api");
    let numbers: Vec<u64> = h["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, vec![1, 2, 3]);
    let outcomes: Vec<&str> = h["polls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["outcome"].as_str().unwrap())
        .collect();
    // Newest first.
    assert_eq!(
        outcomes,
        vec![
            "new_version",
            "reformatted",
            "new_version",
            "unchanged",
            "new_version"
        ]
    );

    // `show` prints the bytes exactly as fetched.
    let out = env.run(&["show", "api", "2"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), spec_v(2));
    let out = env.run(&["show", "api"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), spec_v(3));
    let out = env.run(&["show", "api", "9"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no version 9"));
}

#[test]
fn conditional_get_uses_etag_and_last_modified() {
    const ETAG: &str = "\"v1-abc\"";
    const LM: &str = "Wed, 21 Oct 2026 07:28:00 GMT";
    let server = Server::start(|req| {
        let fresh = req.headers.get("if-none-match").map(String::as_str) == Some(ETAG);
        if fresh {
            Reply::status(304, "")
        } else {
            Reply::ok(spec_v(1))
                .header("ETag", ETAG)
                .header("Last-Modified", LM)
        }
    });
    let store = tempfile::tempdir().unwrap();
    let env = Env::new(&config_for(
        store.path(),
        &[("api", &server.url("/spec.yaml"))],
        "",
    ));
    let out = env.run(&["poll", "api"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("new version 1"));
    let first = &server.requests()[0];
    assert!(!first.headers.contains_key("if-none-match"));

    let out = env.run(&["poll", "api"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("304"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let second = &server.requests()[1];
    assert_eq!(
        second.headers.get("if-none-match").map(String::as_str),
        Some(ETAG)
    );
    assert_eq!(
        second.headers.get("if-modified-since").map(String::as_str),
        Some(LM)
    );

    let h = env.history_json("api");
    assert_eq!(h["versions"].as_array().unwrap().len(), 1);
    assert_eq!(h["versions"][0]["etag"], ETAG);
    assert_eq!(h["polls"][0]["outcome"], "unchanged");
    assert_eq!(h["polls"][0]["not_modified"], true);
    assert_eq!(h["polls"][0]["http_status"], 304);
}
