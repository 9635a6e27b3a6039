//! A WASM plugin sink is interchangeable with a builtin one: the daemon routes a
//! breaking change to a real .wasm plugin (built from plugins/) that POSTs the alert to a
//! loopback receiver; while the plugin file is gone the alert waits in the outbox, and
//! it is delivered once the file is back.

use crate::support;
use crate::support::wasm;

use std::time::Duration;

use support::{Daemon, Env, Reply, Server, spec_v};

#[test]
fn a_plugin_sink_delivers_and_its_alerts_wait_while_the_plugin_is_gone() {
    let echo = wasm::plugin("echo");
    let receiver = Server::start(|_| Reply::ok("ok"));
    let body = std::sync::Arc::new(std::sync::Mutex::new(spec_v(3)));
    let b = body.clone();
    let specs = Server::start(move |_| Reply::ok(b.lock().unwrap().clone()));
    let dir = tempfile::tempdir().unwrap();
    let plugins = dir.path().join("plugins.d");
    std::fs::create_dir(&plugins).unwrap();
    std::fs::copy(&echo, plugins.join("echo.wasm")).unwrap();
    let cfg = format!(
        "[storage]\npath = \"{store}\"\n[polling]\nshutdown_timeout = \"5s\"\n\
         [plugins]\ndir = \"{plugins}\"\n\
         [[watch]]\nname = \"api\"\nurl = \"{spec}\"\nschedule = \"every 1h\"\ntimeout = \"2s\"\n\
         [[sink]]\nname = \"echo\"\ntype = \"plugin\"\nplugin = \"echo\"\n\
         allowed_hosts = [\"127.0.0.1\"]\nallow_http_hosts = [\"127.0.0.1\"]\n\
         config = {{ url = \"{hook}\" }}\n\
         [[route]]\nsinks = [\"echo\"]\n",
        store = dir.path().join("store").display(),
        plugins = plugins.display(),
        spec = specs.url("/spec.yaml"),
        hook = receiver.url("/hook"),
    );
    let env = Env::new(&cfg);
    let mut d = Daemon::start(&env.config, &[]);
    d.wait_line("new version 1", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("no baseline; log:\n{}", d.log()));
    let delivered = |n: usize| {
        receiver
            .wait_for("/hook", n, Duration::from_secs(10))
            .is_some()
    };

    // A removed path: breaking, routed to the plugin, POSTed by it.
    *body.lock().unwrap() = spec_v(2);
    assert!(String::from_utf8_lossy(&env.run(&["poll", "api"]).stdout).contains("new version 2"));
    assert!(delivered(1), "plugin did not deliver; log:\n{}", d.log());
    let first: serde_json::Value = serde_json::from_slice(&receiver.requests()[0].body).unwrap();
    assert_eq!(first["schema"], "specwatch.alert.v1");
    assert_eq!(first["event"], "breaking_change");

    // The plugin file disappears: the next alert waits instead of failing.
    std::fs::remove_file(plugins.join("echo.wasm")).unwrap();
    std::thread::sleep(Duration::from_millis(1500)); // past the reload debounce
    *body.lock().unwrap() = spec_v(1);
    assert!(String::from_utf8_lossy(&env.run(&["poll", "api"]).stdout).contains("new version 3"));
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(receiver.count("/hook"), 1, "delivered without its plugin?");
    let h = env.run(&["alerts", "--format", "json"]);
    let h: serde_json::Value = serde_json::from_slice(&h.stdout).unwrap();
    assert_eq!(h[0]["status"], "pending", "{h:#}");
    assert_eq!(
        h[0]["deliveries"][0]["attempts"][0]["outcome"],
        "unavailable"
    );

    // Copy it back in (write elsewhere, then rename, as docs/plugins.md says).
    std::fs::copy(&echo, plugins.join(".echo.tmp")).unwrap();
    std::fs::rename(plugins.join(".echo.tmp"), plugins.join("echo.wasm")).unwrap();
    assert!(
        delivered(2),
        "the waiting alert was not delivered; log:\n{}",
        d.log()
    );
    let second: serde_json::Value = serde_json::from_slice(&receiver.requests()[1].body).unwrap();
    assert_eq!(second["events"][0]["versions"]["to"], 3);
    assert!(d.stop().success());
}

/// A sink whose plugin file is missing keeps one waiting state (warned at load), not
/// an attempt row per check; `alert cancel` cancels an alert's pending deliveries, and
/// removing the sink from the config cancels the rest ("cancelled: sink removed").
#[test]
fn a_missing_plugin_waits_once_and_pending_deliveries_can_be_cancelled() {
    let body = std::sync::Arc::new(std::sync::Mutex::new(spec_v(3)));
    let b = body.clone();
    let specs = Server::start(move |_| Reply::ok(b.lock().unwrap().clone()));
    let dir = tempfile::tempdir().unwrap();
    let plugins = dir.path().join("plugins.d");
    std::fs::create_dir(&plugins).unwrap();
    let base = format!(
        "[storage]\npath = \"{store}\"\n[polling]\nshutdown_timeout = \"5s\"\n\
         [plugins]\ndir = \"{plugins}\"\n\
         [[watch]]\nname = \"api\"\nurl = \"{spec}\"\nschedule = \"every 1h\"\ntimeout = \"2s\"\n",
        store = dir.path().join("store").display(),
        plugins = plugins.display(),
        spec = specs.url("/spec.yaml"),
    );
    let ghost = "[[sink]]\nname = \"ghost\"\ntype = \"plugin\"\nplugin = \"ghost\"\n\
                 [[route]]\nsinks = [\"ghost\"]\n";
    let env = Env::new(&format!("{base}{ghost}"));
    let mut d = Daemon::start(&env.config, &[]);
    d.wait_line("new version 1", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("no baseline; log:\n{}", d.log()));
    assert!(
        d.log().contains("sink unavailable") && d.log().contains("ghost"),
        "no warning at load:\n{}",
        d.log()
    );
    let alerts = || -> serde_json::Value {
        let out = env.run(&["alerts", "--format", "json"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let poll = |n: u32, version: u32| {
        *body.lock().unwrap() = spec_v(n);
        let out = env.run(&["poll", "api"]);
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(&format!("new version {version}")),
            "{out:?}"
        );
    };

    poll(2, 2);
    // Several 2 s checks of the missing plugin: still one attempt row.
    std::thread::sleep(Duration::from_secs(7));
    let h = alerts();
    assert_eq!(h[0]["status"], "pending", "{h:#}");
    let attempts = h[0]["deliveries"][0]["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 1, "one waiting state: {h:#}");
    assert_eq!(attempts[0]["outcome"], "unavailable");

    let id = h[0]["alert"]["id"].as_u64().unwrap().to_string();
    let out = env.run(&["alert", "cancel", &id]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("cancelled 1 pending delivery"),
        "{out:?}"
    );
    let h = alerts();
    assert_eq!(h[0]["status"], "cancelled", "{h:#}");
    assert_eq!(h[0]["deliveries"][0]["status"], "cancelled");
    // Nothing left to cancel: a clear error.
    let again = env.run(&["alert", "cancel", &id]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("no pending deliveries"));

    poll(1, 3);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(alerts()[0]["status"], "pending");
    std::fs::write(&env.config, &base).unwrap();
    d.signal("-HUP");
    d.wait_line("configuration reloaded", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("no reload; log:\n{}", d.log()));
    let h = alerts();
    assert_eq!(h[0]["status"], "cancelled", "{h:#}");
    let attempts = h[0]["deliveries"][0]["attempts"].as_array().unwrap();
    assert_eq!(
        attempts.last().unwrap()["detail"],
        "cancelled: sink removed",
        "{h:#}"
    );
    assert!(d.stop().success());
}
