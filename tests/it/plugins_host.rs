//! The WASM plugin host against real plugins built from `plugins/testing/*`: hostile
//! plugins are contained and reported as delivery errors while a well-behaved one
//! delivers; WIT compatibility; files that are not components.

use crate::support;
use crate::support::{plugin_host, wasm};

use std::time::{Duration, Instant};

use plugin_host::{deliver, host, install, sample_payload, sink_cfg};
use specwatch::plugin_host::{PluginError, Plugins, PluginsOptions};
use specwatch::sinks::SinkError;
use support::{Reply, Server};

const SINK_TIMEOUT: Duration = Duration::from_secs(3);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_plugins_are_contained_while_echo_delivers() {
    let server = Server::start(|_| Reply::ok("thanks"));
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "echo",
        "evil-loop",
        "evil-alloc",
        "evil-panic",
        "evil-exfil",
        "evil-confusion",
        "evil-fs",
    ] {
        install(dir.path(), name, name);
    }
    let plugins = host(dir.path(), None);
    let echo_cfg = format!(r#"{{"url": "{}", "stderr": true}}"#, server.url("/hook"));
    let sinks = vec![
        (
            "echo".to_string(),
            sink_cfg("echo", &[], &["127.0.0.1"], &echo_cfg),
        ),
        ("loop".into(), sink_cfg("evil-loop", &[], &[], "{}")),
        ("alloc".into(), sink_cfg("evil-alloc", &[], &[], "{}")),
        ("panic".into(), sink_cfg("evil-panic", &[], &[], "{}")),
        (
            "exfil".into(),
            sink_cfg("evil-exfil", &["hooks.example"], &[], "{}"),
        ),
        (
            "confusion".into(),
            sink_cfg("evil-confusion", &["allowed.example"], &[], "{}"),
        ),
        ("fs".into(), sink_cfg("evil-fs", &[], &[], "{}")),
    ];
    plugins.set_sinks(sinks.clone());
    for (name, r) in plugins.load_all().await {
        r.unwrap_or_else(|e| panic!("{name} must load: {e}"));
    }
    let shared: Vec<_> = sinks
        .iter()
        .map(|(n, c)| (n.clone(), plugins.sink(n, c, SINK_TIMEOUT)))
        .collect();

    // All at once: one misbehaving plugin must not hold up the others.
    let runs = shared.iter().map(|(name, sink)| async move {
        let t = Instant::now();
        let r = deliver(sink).await;
        (name.clone(), r, t.elapsed())
    });
    let results = futures_util::future::join_all(runs).await;
    for (name, r, took) in &results {
        assert!(
            *took < SINK_TIMEOUT + Duration::from_millis(500),
            "{name} took {took:?}"
        );
        eprintln!("{name}: {r:?} in {took:?}");
        match name.as_str() {
            "echo" => {
                let rep = r.as_ref().expect("echo delivers");
                assert_eq!(rep.status, Some(200));
                assert_eq!(rep.detail, "echo 0.1.0");
            }
            "loop" => {
                let e = r.as_ref().unwrap_err();
                assert!(
                    matches!(e, SinkError::Transient { message, .. } if message.contains("CPU budget of 200 ms")),
                    "{e:?}"
                );
                assert!(*took < Duration::from_millis(1500), "loop took {took:?}");
            }
            "alloc" => {
                let e = r.as_ref().unwrap_err();
                assert!(
                    matches!(e, SinkError::Transient { message, .. } if message.contains("forcing trap when growing memory")),
                    "{e:?}"
                );
            }
            "panic" => {
                let e = r.as_ref().unwrap_err();
                assert!(
                    matches!(e, SinkError::Transient { message, .. } if message.contains("trapped") && message.contains("unreachable")),
                    "{e:?}"
                );
            }
            "exfil" => {
                let e = r.as_ref().unwrap_err();
                assert!(
                    matches!(e, SinkError::Permanent { message, .. }
                        if message.contains("denied") && message.contains("\"evil.example\"") && message.contains("allowed_hosts")),
                    "{e:?}"
                );
                assert!(
                    !format!("{e:?}").contains("stolen"),
                    "the URL's token must not be echoed"
                );
            }
            "confusion" => {
                let e = r.as_ref().unwrap_err();
                let SinkError::Permanent { message, .. } = e else {
                    panic!("{e:?}")
                };
                for trick in [
                    "userinfo",
                    "suffix",
                    "upper",
                    "plain-http",
                    "crlf-value",
                    "crlf-name",
                ] {
                    assert!(
                        message.contains(&format!("{trick}=refused(")),
                        "{trick} must be refused: {message}"
                    );
                }
                assert!(message.contains("\"evil.example\""), "{message}");
                assert!(
                    message.contains("\"allowed.example.evil.example\""),
                    "{message}"
                );
                assert!(message.contains("CR, LF"), "{message}");
            }
            "fs" => {
                let e = r.as_ref().unwrap_err();
                let SinkError::Permanent { message, .. } = e else {
                    panic!("evil-fs must get no access: {e:?}")
                };
                assert!(!message.contains("root:"), "{message}");
                assert!(message.contains("/etc/passwd:"), "{message}");
            }
            other => panic!("unexpected sink {other}"),
        }
    }
    // The echo request arrived intact: the exact payload bytes and the idempotency key.
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1, "only echo reached the network: {reqs:?}");
    assert_eq!(reqs[0].method, "POST");
    assert_eq!(reqs[0].path, "/hook");
    assert_eq!(reqs[0].headers["idempotency-key"], "n-42:chat");
    let sent: serde_json::Value = serde_json::from_slice(&reqs[0].body).unwrap();
    assert_eq!(sent, serde_json::to_value(sample_payload()).unwrap());
    assert!(!std::path::Path::new("pwned.txt").exists());

    // The host is unharmed: every plugin still instantiates and echo delivers again.
    let echo = &shared[0].1;
    assert_eq!(deliver(echo).await.unwrap().status, Some(200));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wall_clock_timeout_cancels_a_plugin_with_cpu_budget_left() {
    let dir = tempfile::tempdir().unwrap();
    install(dir.path(), "evil-loop", "evil-loop");
    let plugins = Plugins::new(PluginsOptions {
        dir: dir.path().into(),
        cpu_budget: Duration::from_secs(30),
        ..PluginsOptions::default()
    })
    .unwrap();
    plugins.load_all().await[0].1.as_ref().unwrap();
    let cfg = sink_cfg("evil-loop", &[], &[], "{}");
    let sink = plugins.sink("loop", &cfg, Duration::from_millis(300));
    let t = Instant::now();
    let e = deliver(&sink).await.unwrap_err();
    let took = t.elapsed();
    assert!(
        matches!(&e, SinkError::Transient { message, .. } if message.contains("timed out after 300ms")),
        "{e:?}"
    );
    assert!(took < Duration::from_millis(1000), "took {took:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_busy_plugin_yields_so_the_runtime_keeps_ticking() {
    let dir = tempfile::tempdir().unwrap();
    install(dir.path(), "evil-loop", "evil-loop");
    let plugins = host(dir.path(), None);
    plugins.load_all().await[0].1.as_ref().unwrap();
    let sink = plugins.sink("loop", &sink_cfg("evil-loop", &[], &[], "{}"), SINK_TIMEOUT);
    let ticks = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let t2 = ticks.clone();
    let ticker = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(5)).await;
            t2.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    });
    let e = deliver(&sink).await.unwrap_err();
    ticker.abort();
    assert!(format!("{e}").contains("CPU budget"), "{e}");
    let n = ticks.load(std::sync::atomic::Ordering::Relaxed);
    assert!(
        n >= 5,
        "a 5 ms ticker on the same thread ran only {n} times in 200 ms"
    );
}

#[tokio::test]
async fn old_wit_loads_and_future_wit_is_refused_naming_the_import() {
    let dir = tempfile::tempdir().unwrap();
    install(dir.path(), "old-wit", "old-wit");
    install(dir.path(), "future-wit", "future-wit");
    let plugins = host(dir.path(), None);
    plugins.set_sinks(vec![("legacy".into(), sink_cfg("old-wit", &[], &[], "{}"))]);
    let results = plugins.load_all().await;
    let get = |n: &str| &results.iter().find(|(name, _)| name == n).unwrap().1;

    let old = get("old-wit").as_ref().expect("a 0.1.0 plugin loads");
    assert_eq!(old.wit_version, "0.1.0");
    assert!(
        old.imports.iter().any(|i| i == "specwatch:sink/host@0.1.0"),
        "{:?}",
        old.imports
    );
    let sink = plugins.sink("legacy", &sink_cfg("old-wit", &[], &[], "{}"), SINK_TIMEOUT);
    let rep = deliver(&sink).await.expect("old-wit delivers");
    assert_eq!(
        rep.detail,
        "old-wit delivered stripe: 1 breaking change in v7"
    );

    let err = get("future-wit").as_ref().unwrap_err();
    assert!(matches!(err, PluginError::Incompatible { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("future-wit.wasm"), "{msg}");
    assert!(msg.contains("specwatch:sink/host@0.1.2"), "{msg}");
    assert!(msg.contains("kv-get"), "{msg}");
    // It is listed with its error and never serves.
    let status = plugins
        .list()
        .into_iter()
        .find(|s| s.name == "future-wit")
        .unwrap();
    assert!(status.loaded.is_none());
    assert!(status.error.unwrap().contains("kv-get"));
    let future = plugins.sink("f", &sink_cfg("future-wit", &[], &[], "{}"), SINK_TIMEOUT);
    assert!(matches!(
        deliver(&future).await,
        Err(SinkError::Unavailable(m)) if m.contains("kv-get")
    ));
}

#[tokio::test]
async fn a_text_file_named_wasm_is_not_a_component() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.wasm"), "(component)\n").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
    let plugins = host(dir.path(), None);
    let results = plugins.load_all().await;
    assert_eq!(results.len(), 1, "{results:?}");
    let (name, r) = &results[0];
    assert_eq!(name, "x");
    let msg = r.as_ref().unwrap_err().to_string();
    assert!(msg.contains("x.wasm is not a wasm component"), "{msg}");
    // `plugin check` goes through the same path.
    let msg = plugins
        .check_file(&dir.path().join("x.wasm"), None)
        .await
        .unwrap_err()
        .to_string();
    assert!(msg.contains("not a wasm component"), "{msg}");
}

/// One sink with a config its plugin rejects is unavailable with the plugin's reason
/// (scrubbed); the plugin still loads and the other sinks using it deliver.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_sink_config_makes_only_that_sink_unavailable() {
    let server = Server::start(|_| Reply::ok("thanks"));
    let dir = tempfile::tempdir().unwrap();
    let path = install(dir.path(), "echo", "echo");
    let plugins = host(dir.path(), None);
    let good = format!(r#"{{"url": "{}"}}"#, server.url("/hook"));
    let sinks = vec![
        (
            "chat".to_string(),
            sink_cfg("echo", &[], &[], r#"{"url": 42, "token": "s3cr3t-token"}"#),
        ),
        (
            "chat2".to_string(),
            sink_cfg("echo", &[], &["127.0.0.1"], &good),
        ),
    ];
    plugins.set_sinks(sinks.clone());
    let results = plugins.load_all().await;
    results[0].1.as_ref().expect("the plugin loads");
    let st = &plugins.list()[0];
    assert_eq!(st.sink_errors.len(), 1, "{st:?}");
    assert_eq!(st.sink_errors[0].0, "chat");
    assert!(
        st.sink_errors[0].1.contains("rejected its config"),
        "{st:?}"
    );
    let bad = plugins.sink("chat", &sinks[0].1, SINK_TIMEOUT);
    match deliver(&bad).await {
        Err(SinkError::Unavailable(m)) => {
            assert!(m.contains("rejected its config"), "{m}");
            assert!(!m.contains("s3cr3t-token"), "{m}");
        }
        other => panic!("expected unavailable, got {other:?}"),
    }
    let ok = plugins.sink("chat2", &sinks[1].1, SINK_TIMEOUT);
    deliver(&ok).await.expect("the valid sink delivers");
    assert_eq!(server.count("/hook"), 1);

    let info = plugins
        .check_file(&path, Some(r#"{"url": "https://hooks.example/x"}"#))
        .await
        .unwrap();
    assert_eq!(info.version, "0.1.0");
    assert_eq!(info.wit_version, "0.1.1");
    assert!(info.config_schema.unwrap().contains("\"url\""));
    assert!(
        plugins
            .check_file(&path, Some(r#"{"nope": 1}"#))
            .await
            .unwrap_err()
            .to_string()
            .contains("rejected its config")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_send_caps_responses_and_never_follows_redirects() {
    let server = Server::start(|r| match r.path.as_str() {
        "/big" => Reply::ok(vec![b'x'; 2 * 1024 * 1024]),
        "/redirect" => Reply::status(302, "").header("location", "/landed"),
        _ => Reply::ok("ok"),
    });
    let dir = tempfile::tempdir().unwrap();
    install(dir.path(), "echo", "echo");
    let plugins = host(dir.path(), None);
    plugins.load_all().await[0].1.as_ref().unwrap();
    let sink_for = |path: &str| {
        let cfg = sink_cfg(
            "echo",
            &[],
            &["127.0.0.1"],
            &format!(r#"{{"url": "{}"}}"#, server.url(path)),
        );
        plugins.sink("s", &cfg, SINK_TIMEOUT)
    };
    let e = deliver(&sink_for("/big")).await.unwrap_err();
    assert!(
        matches!(&e, SinkError::Permanent { message, .. } if message == "response too large"),
        "{e:?}"
    );
    let e = deliver(&sink_for("/redirect")).await.unwrap_err();
    assert!(
        matches!(&e, SinkError::Permanent { message, .. } if message == "receiver answered 302"),
        "{e:?}"
    );
    assert_eq!(server.count("/landed"), 0, "the redirect was not followed");
    // https is required for hosts not in allow_http_hosts, even loopback ones.
    let cfg = sink_cfg(
        "echo",
        &["127.0.0.1"],
        &[],
        &format!(r#"{{"url": "{}"}}"#, server.url("/hook")),
    );
    let e = deliver(&plugins.sink("s", &cfg, SINK_TIMEOUT))
        .await
        .unwrap_err();
    assert!(format!("{e}").contains("plain http"), "{e}");
    assert_eq!(server.count("/hook"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_per_plugin_are_bounded_by_the_semaphore() {
    let server = Server::start(|_| {
        std::thread::sleep(Duration::from_millis(300));
        Reply::ok("ok")
    });
    let dir = tempfile::tempdir().unwrap();
    install(dir.path(), "echo", "echo");
    let mut opts = plugin_host::options(dir.path(), None);
    opts.max_concurrency_per_plugin = 1;
    let plugins = Plugins::new(opts).unwrap();
    plugins.load_all().await[0].1.as_ref().unwrap();
    let cfg = sink_cfg(
        "echo",
        &[],
        &["127.0.0.1"],
        &format!(r#"{{"url": "{}"}}"#, server.url("/slow")),
    );
    let sink = plugins.sink("s", &cfg, SINK_TIMEOUT);
    let t = Instant::now();
    let (a, b) = tokio::join!(deliver(&sink), deliver(&sink));
    let took = t.elapsed();
    a.unwrap();
    b.unwrap();
    assert!(
        took >= Duration::from_millis(600),
        "two deliveries with concurrency 1 ran in parallel ({took:?})"
    );
    // A short timeout also covers the wait for a slot.
    let quick = plugins.sink("q", &cfg, Duration::from_millis(200));
    let (_, c) = tokio::join!(deliver(&sink), async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        deliver(&quick).await
    });
    assert!(
        matches!(&c, Err(SinkError::Transient { message, .. }) if message.contains("timed out")),
        "{c:?}"
    );
}

/// Reads an unsigned LEB128 at `*at`, advancing it.
fn leb(b: &[u8], at: &mut usize) -> u64 {
    let (mut v, mut shift) = (0u64, 0);
    loop {
        let byte = b[*at];
        *at += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return v;
        }
        shift += 7;
    }
}

fn put_leb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Rewrites a built component so that the tables its main core module defines start at `min`
/// elements. Stable Rust can neither emit `table.grow` nor size a table,
/// so the plugin is built normally and its table section patched (binary format: a
/// component's section 1 is a core module; a module's section 4 lists its tables).
fn with_tables_of(component: &[u8], min: u64) -> Vec<u8> {
    /// Replaces a section's body (by section id), or keeps it (None).
    type Edit<'a> = dyn FnMut(u8, &[u8]) -> Option<Vec<u8>> + 'a;
    fn sections(b: &[u8], edit: &mut Edit<'_>) -> Vec<u8> {
        let mut out = b[..8].to_vec(); // magic + version/layer
        let mut at = 8;
        while at < b.len() {
            let id = b[at];
            at += 1;
            let len = leb(b, &mut at) as usize;
            let body = &b[at..at + len];
            at += len;
            let body = edit(id, body).unwrap_or_else(|| body.to_vec());
            out.push(id);
            put_leb(&mut out, body.len() as u64);
            out.extend_from_slice(&body);
        }
        out
    }
    let tables = |body: &[u8]| {
        let mut at = 0;
        let n = leb(body, &mut at);
        let mut out = Vec::new();
        put_leb(&mut out, n);
        for _ in 0..n {
            let reftype = body[at];
            assert!(matches!(reftype, 0x70 | 0x6f), "plain table type expected");
            let flags = body[at + 1];
            at += 2;
            let initial = leb(body, &mut at);
            let new_min = initial.max(min);
            out.extend_from_slice(&[reftype, flags & 1]);
            put_leb(&mut out, new_min);
            if flags & 1 == 1 {
                put_leb(&mut out, leb(body, &mut at).max(new_min));
            }
        }
        assert_eq!(at, body.len(), "table section fully read");
        out
    };
    // Only the first core module: the plugin's own code. The others are wit-component's
    // shims, whose tables are imported with exact limits.
    let mut first = true;
    sections(component, &mut |id, body| {
        let ours = id == 1 && std::mem::take(&mut first);
        ours.then(|| sections(body, &mut |id, body| (id == 4).then(|| tables(body))))
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plugin_whose_table_exceeds_the_cap_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    install(dir.path(), "echo", "echo");
    let echo = std::fs::read(wasm::plugin("echo")).unwrap();
    // 1M elements is ~16 MB of host memory per instance; the cap is 100,000.
    let hog = with_tables_of(&echo, 1_000_000);
    std::fs::write(dir.path().join("table-hog.wasm"), &hog).unwrap();
    // The same rewrite under the cap loads: the refusal is the table size, not the rewrite.
    let fits = with_tables_of(&echo, 50_000);
    std::fs::write(dir.path().join("table-fits.wasm"), &fits).unwrap();
    let plugins = host(dir.path(), None);
    let results: std::collections::BTreeMap<_, _> = plugins.load_all().await.into_iter().collect();
    results["echo"].as_ref().expect("echo loads");
    results["table-fits"]
        .as_ref()
        .expect("a table under the cap loads");
    let err = results["table-hog"]
        .as_ref()
        .expect_err("a table over the cap must be refused")
        .to_string();
    assert!(err.contains("table"), "{err}");
}
