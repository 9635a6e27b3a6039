//! Hot reload by rename, by in-place edit and by SIGHUP, each
//! picked up within 2 s; an invalid edit keeps the old watches and reports line/key.

use crate::support;

use std::io::Write;
use std::time::Duration;

use support::{Daemon, Env, Reply, Server, config_for, spec_v};

const PICKUP: Duration = Duration::from_secs(2);

fn status(env: &Env) -> serde_json::Value {
    let socket = std::path::Path::new(&env.path().join("store")).join("control.sock");
    specwatch::control::client::request(
        &socket,
        &specwatch::control::protocol::Request::Status,
        Duration::from_secs(5),
    )
    .expect("status over the control socket")
}

#[test]
fn reload_by_rename_and_in_place_edit_and_invalid_edit() {
    let server = Server::start(|_| Reply::ok(spec_v(1)));
    let env = Env::new("");
    let store = env.path().join("store");
    let urls: Vec<String> = ["/a", "/b", "/c", "/d"]
        .iter()
        .map(|p| server.url(p))
        .collect();
    let cfg = |names: &[(&str, &str)], extra: &str| config_for(&store, names, extra);
    std::fs::write(&env.config, cfg(&[("a", &urls[0])], "")).unwrap();

    let d = Daemon::start(&env.config, &[]);
    assert!(
        server.wait_for("/a", 1, Duration::from_secs(10)).is_some(),
        "{}",
        d.log()
    );

    // 1. Rewrite via rename (what editors and config management do).
    let tmp = env.path().join(".config.toml.tmp");
    std::fs::write(&tmp, cfg(&[("a", &urls[0]), ("b", &urls[1])], "")).unwrap();
    std::fs::rename(&tmp, &env.config).unwrap();
    let took = server.wait_for("/b", 1, PICKUP);
    assert!(
        took.is_some(),
        "rename not picked up within 2 s; log:\n{}",
        d.log()
    );

    // 2. In-place edit (truncate and write, like `sed -i` without rename or `>` in a shell).
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&env.config)
        .unwrap();
    f.write_all(cfg(&[("a", &urls[0]), ("b", &urls[1]), ("c", &urls[2])], "").as_bytes())
        .unwrap();
    drop(f);
    assert!(
        server.wait_for("/c", 1, PICKUP).is_some(),
        "in-place edit not picked up; log:\n{}",
        d.log()
    );
    // Untouched watches keep their timers: a and b were polled once each, not restarted.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        server.count("/a"),
        1,
        "watch a was restarted by an unrelated edit"
    );
    assert_eq!(server.count("/b"), 1);

    // 3. An invalid edit keeps the running config and reports line and key.
    let mut bad = cfg(&[("a", &urls[0]), ("b", &urls[1]), ("c", &urls[2])], "");
    bad.push_str("[[watch]]\nname = \"d\"\nurl = \"x.yaml\"\nschedule = \"every fortnight\"\n");
    let bad_line = bad.lines().count();
    std::fs::write(&env.config, &bad).unwrap();
    // The errors follow the "reload rejected" line; wait for the key itself.
    let line = d.wait_line("watch[3].schedule", Duration::from_secs(3));
    assert!(
        line.is_some(),
        "invalid edit not reported; log:\n{}",
        d.log()
    );
    let log = d.log();
    assert!(
        log.contains(&format!("config.toml:{bad_line}:")),
        "no line number in:\n{log}"
    );
    assert!(log.contains("watch[3].schedule"), "no key path in:\n{log}");
    let st = status(&env);
    assert_eq!(st["watches"], serde_json::json!(["a", "b", "c"]));
    let err = st["last_reload_error"]["errors"][0]
        .as_str()
        .unwrap_or_else(|| panic!("{st}\n{}", d.log()));
    assert!(err.contains("watch[3].schedule"), "{err}");

    // Fixing the file clears the error.
    std::fs::write(
        &env.config,
        cfg(&[("a", &urls[0]), ("b", &urls[1]), ("c", &urls[2])], ""),
    )
    .unwrap();
    assert!(
        d.wait_line("configuration reloaded", Duration::from_secs(3))
            .is_some(),
        "{}",
        d.log()
    );
    assert!(status(&env)["last_reload_error"].is_null());
    drop(d);
}

#[test]
fn reload_by_sighup() {
    let server = Server::start(|_| Reply::ok(spec_v(1)));
    let env = Env::new("");
    let store = env.path().join("store");
    let (a, b) = (server.url("/a"), server.url("/b"));
    // File watching off, so only SIGHUP can trigger the reload.
    let extra = "[reload]\nwatch_file = false\n";
    std::fs::write(&env.config, config_for(&store, &[("a", &a)], extra)).unwrap();
    let mut d = Daemon::start(&env.config, &[]);
    assert!(
        server.wait_for("/a", 1, Duration::from_secs(10)).is_some(),
        "{}",
        d.log()
    );

    std::fs::write(
        &env.config,
        config_for(&store, &[("a", &a), ("b", &b)], extra),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(
        server.count("/b"),
        0,
        "reloaded without SIGHUP although watch_file = false"
    );
    d.signal("-HUP");
    assert!(
        server.wait_for("/b", 1, PICKUP).is_some(),
        "SIGHUP not picked up; log:\n{}",
        d.log()
    );
    assert_eq!(status(&env)["last_reload"]["cause"], "sighup");
    assert!(d.stop().success(), "daemon did not exit 0 on SIGTERM");
}
