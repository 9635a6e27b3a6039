//! `kill -9` right after a new version is logged loses nothing and
//! creates no duplicate, over 20 crash cycles.

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::{Daemon, Env, Reply, Server, config_for, spec_v};

#[test]
fn kill_nine_loop_keeps_every_acknowledged_version() {
    let body = Arc::new(Mutex::new(spec_v(1)));
    let b = body.clone();
    let server = Server::start(move |_| Reply::ok(b.lock().unwrap().clone()));
    let store = tempfile::tempdir().unwrap();
    let env = Env::new(&config_for(
        store.path(),
        &[("api", &server.url("/spec.yaml"))],
        "",
    ));

    const CYCLES: u32 = 20;
    for i in 1..=CYCLES {
        *body.lock().unwrap() = spec_v(i);
        let mut d = Daemon::start(&env.config, &[]);
        d.wait_line("specwatch started", Duration::from_secs(15))
            .unwrap_or_else(|| panic!("daemon did not start; log:\n{}", d.log()));
        // Everything acknowledged before the last crash is there (read through the daemon).
        let before = env.history_json("api");
        assert_eq!(
            before["versions"].as_array().unwrap().len() as u32,
            i - 1,
            "cycle {i}: versions lost or duplicated"
        );
        if i > 1 {
            // On-demand poll through the running daemon's control socket.
            let out = env.run(&["poll", "api"]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        // Version 1 comes from the start-up baseline poll; later ones from the poll above
        // (or from a start-up poll whose slot happened to be due: both are fine).
        d.wait_line(&format!("new version {i}"), Duration::from_secs(15))
            .unwrap_or_else(|| panic!("cycle {i}: no new version logged; log:\n{}", d.log()));
        d.kill9();
    }

    // After the last crash: polling the same bytes again must not create a duplicate.
    let mut d = Daemon::start(&env.config, &[]);
    d.wait_line("specwatch started", Duration::from_secs(15))
        .unwrap();
    let out = env.run(&["poll", "api"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("unchanged"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let h = env.history_json("api");
    let numbers: Vec<u64> = h["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, (1..=CYCLES as u64).collect::<Vec<_>>());
    for (i, v) in h["versions"].as_array().unwrap().iter().enumerate() {
        let shown = env.run(&["show", "api", &(i + 1).to_string()]);
        assert_eq!(
            String::from_utf8(shown.stdout).unwrap(),
            spec_v(i as u32 + 1)
        );
        assert!(v["raw_size"].as_u64().unwrap() > 0);
    }
    assert!(d.stop().success());
}
