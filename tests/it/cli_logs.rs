//! The daemon's log and the CLI as a newcomer meets them: no colour codes in a log
//! file, start-up names the listen address and the control socket, "new version"
//! says how many changes at which level, a file:// watch logs no HTTP status, and
//! `history` shows the watch's state and recent polls.

use crate::support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{Env, bin};

fn spec(paths: &[&str]) -> String {
    let mut s = String::from("openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths:\n");
    for p in paths {
        s.push_str(&format!(
            "  {p}:\n    get:\n      responses:\n        '200':\n          description: ok\n"
        ));
    }
    s
}

fn wait_for(log: &std::path::Path, needle: &str) -> String {
    let start = Instant::now();
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.contains(needle) {
            return text;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "no {needle:?} in the log:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn log_file_and_history_read_well() {
    let env = Env::new("");
    let store = env.path().join("store");
    let spec_file = env.path().join("spec.yaml");
    std::fs::write(&spec_file, spec(&["/a", "/b"])).unwrap();
    std::fs::write(
        &env.config,
        format!(
            "[storage]\npath = \"{}\"\n[polling]\nshutdown_timeout = \"5s\"\n\
             [[watch]]\nname = \"api\"\nurl = \"file://{}\"\nschedule = \"every 1h\"\n",
            store.display(),
            spec_file.display()
        ),
    )
    .unwrap();
    // Logs to a file, as under a service manager that redirects stderr; colour is not
    // switched off by NO_COLOR here: only the file must do that.
    let log = env.path().join("daemon.log");
    let mut child = Command::new(bin())
        .args(["run", "--config", env.config_str()])
        .env_remove("NO_COLOR")
        .env_remove("SPECWATCH_CONFIG")
        .env("RUST_LOG", "specwatch=info")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let text = wait_for(&log, "new version 1 stored");
    let started = text
        .lines()
        .find(|l| l.contains("specwatch started"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        started.contains("listen=127.0.0.1:9187"),
        "start-up names the listen address: {started}"
    );
    assert!(
        started.contains(&format!(
            "control_socket={}",
            store.join("control.sock").display()
        )),
        "start-up names the control socket: {started}"
    );

    // v2 removes /b (breaking) and adds /c (info).
    std::fs::write(&spec_file, spec(&["/a", "/c"])).unwrap();
    let out = env.run(&["poll", "api"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("new version 2"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = wait_for(&log, "new version 2 stored");
    let line = text
        .lines()
        .find(|l| l.contains("new version 2 stored"))
        .unwrap();
    assert!(
        line.contains("1 breaking, 0 warning, 1 info"),
        "change counts per level: {line}"
    );
    assert!(
        !text.contains("status=200"),
        "no HTTP status for a file:\n{text}"
    );
    assert!(
        !text.contains('\x1b'),
        "no colour codes in a log file:\n{text:?}"
    );

    // `history` shows the state and the recent polls, not only the versions.
    let out = env.run(&["history", "api"]);
    let h = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{h}");
    assert!(h.contains("api: active, last poll "), "state: {h}");
    assert!(h.contains("latest version 2"), "{h}");
    assert!(h.contains("recent polls, newest first:"), "{h}");
    let polls: Vec<&str> = h
        .lines()
        .skip_while(|l| !l.starts_with("recent polls"))
        .skip(1)
        .collect();
    assert_eq!(polls.len(), 2, "{h}");
    assert!(polls[0].contains("new version 2"), "{h}");
    assert!(polls[1].contains("new version 1"), "{h}");
    assert!(!h.contains("HTTP 200"), "{h}");

    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    assert!(child.wait().unwrap().success());
}

#[test]
fn alert_test_of_a_sink_that_cannot_be_built_says_why() {
    let env = Env::new("");
    std::fs::write(
        &env.config,
        format!(
            "[storage]\npath = \"{}\"\n[[sink]]\nname = \"mail\"\ntype = \"email\"\n\
             smtp = \"smtp://127.0.0.1:2525?tls=none\"\nfrom = \"nobody\"\nto = [\"oncall@example.test\"]\n",
            env.path().join("store").display()
        ),
    )
    .unwrap();
    let out = env.run(&["alert", "test", "mail"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("see the error above"), "{err}");
    // The bad address is caught when the config is read, with its line and key.
    assert!(err.contains("sink[0].from"), "says where: {err}");
    assert!(err.contains("email address"), "says why: {err}");
}
