//! Consecutive failures pause a watch; `specwatch resume` or a
//! changed config entry resumes it.

use crate::support;

use std::time::Duration;

use support::{Daemon, Env, Reply, Server, config_for, spec_v};

#[test]
fn five_failures_pause_and_resume() {
    let server = Server::start(|req| match req.path.as_str() {
        "/ok.yaml" => Reply::ok(spec_v(1)),
        _ => Reply::status(500, "boom"),
    });
    let store = tempfile::tempdir().unwrap();
    let env = Env::new(&config_for(
        store.path(),
        &[("flaky", &server.url("/broken"))],
        "",
    ));

    for i in 1..=5 {
        let out = env.run(&["poll", "flaky"]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "poll {i} should report an error"
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("http_status"));
    }
    let h = env.history_json("flaky");
    assert_eq!(h["state"]["status"], "paused", "{h}");
    assert!(
        h["state"]["reason"]
            .as_str()
            .unwrap()
            .contains("5 consecutive failures")
    );
    let text = env.run(&["history", "flaky"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("PAUSED"));

    // A paused watch is skipped by the scheduler.
    let before = server.count("/broken");
    let d = Daemon::start(&env.config, &[]);
    d.wait_line("specwatch started", Duration::from_secs(10))
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        server.count("/broken"),
        before,
        "paused watch was polled; log:\n{}",
        d.log()
    );

    // `specwatch resume` (through the running daemon).
    let out = env.run(&["resume", "flaky"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("resumed"),
        "{out:?}"
    );
    assert_eq!(env.history_json("flaky")["state"]["status"], "active");
    assert_eq!(
        env.history_json("flaky")["state"]["consecutive_failures"],
        0
    );
    drop(d);

    // Pause again, then change the entry (fix the URL): the next start resumes it.
    for _ in 0..5 {
        env.run(&["poll", "flaky"]);
    }
    assert_eq!(env.history_json("flaky")["state"]["status"], "paused");
    std::fs::write(
        &env.config,
        config_for(store.path(), &[("flaky", &server.url("/ok.yaml"))], ""),
    )
    .unwrap();
    let mut d = Daemon::start(&env.config, &[]);
    d.wait_line("resumed", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("not resumed; log:\n{}", d.log()));
    d.wait_line("new version 1", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("not polled after resume; log:\n{}", d.log()));
    assert!(d.stop().success());
    let h = env.history_json("flaky");
    assert_eq!(h["state"]["status"], "active");
    assert_eq!(h["state"]["consecutive_failures"], 0);
}
