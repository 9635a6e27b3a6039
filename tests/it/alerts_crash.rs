//! `kill -9` between the version commit and the delivery loses
//! no alert, over 20 crash cycles. The receiver answers slowly, so most kills land while
//! a delivery is queued or in flight; after the last restart every version's alert has
//! arrived (at least once; duplicates carry the same idempotency key).

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::{Daemon, Env, Reply, Server, spec_v};

#[test]
fn kill_nine_between_commit_and_delivery_loses_no_alert() {
    let body = Arc::new(Mutex::new(spec_v(1)));
    let b = body.clone();
    let specs = Server::start(move |_| Reply::ok(b.lock().unwrap().clone()));
    let receiver = Server::start(|_| {
        std::thread::sleep(Duration::from_millis(150));
        Reply::ok("ok")
    });
    let store = tempfile::tempdir().unwrap();
    let cfg = format!(
        "[storage]\npath = \"{}\"\n[polling]\nshutdown_timeout = \"5s\"\n\
         [[watch]]\nname = \"api\"\nurl = \"{}\"\nschedule = \"every 1h\"\ntimeout = \"2s\"\n\
         [[sink]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"{}\"\n\
         [[route]]\nsinks = [\"hook\"]\n",
        store.path().display(),
        specs.url("/spec.yaml"),
        receiver.url("/hook"),
    );
    let env = Env::new(&cfg);

    const CYCLES: u32 = 20;
    for i in 1..=CYCLES + 1 {
        *body.lock().unwrap() = spec_v(i);
        let mut d = Daemon::start(&env.config, &[]);
        d.wait_line("specwatch started", Duration::from_secs(15))
            .unwrap_or_else(|| panic!("daemon did not start; log:\n{}", d.log()));
        if i > 1 {
            let out = env.run(&["poll", "api"]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        d.wait_line(&format!("new version {i}"), Duration::from_secs(15))
            .unwrap_or_else(|| panic!("cycle {i}: no new version; log:\n{}", d.log()));
        // Right after the commit: the alert is in the outbox, its delivery not done.
        d.kill9();
    }

    // Every version from 2 on raised one api_changed alert; all must arrive.
    let expected: BTreeSet<u64> = (2..=u64::from(CYCLES) + 1).collect();
    let mut d = Daemon::start(&env.config, &[]);
    d.wait_line("specwatch started", Duration::from_secs(15))
        .unwrap();
    let delivered = || -> BTreeMap<u64, BTreeSet<String>> {
        let mut m: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
        for r in receiver.requests() {
            let p: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            for e in p["events"].as_array().unwrap() {
                m.entry(e["versions"]["to"].as_u64().unwrap())
                    .or_default()
                    .insert(r.headers["idempotency-key"].clone());
            }
        }
        m
    };
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if delivered().keys().copied().collect::<BTreeSet<_>>() == expected {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let got = delivered();
    let versions: BTreeSet<u64> = got.keys().copied().collect();
    assert_eq!(
        versions,
        expected,
        "alerts lost across kill -9; log:\n{}",
        d.log()
    );
    for (v, keys) in &got {
        assert_eq!(
            keys.len(),
            1,
            "version {v} arrived under {} keys",
            keys.len()
        );
    }
    // The last delivery may have arrived a moment before its attempt is recorded.
    let history = || -> serde_json::Value {
        let out = env.run(&["alerts", "--format", "json", "--limit", "0"]);
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let start = Instant::now();
    let mut h = history();
    while start.elapsed() < Duration::from_secs(10)
        && !h.as_array().unwrap().iter().all(|a| a["status"] == "sent")
    {
        std::thread::sleep(Duration::from_millis(100));
        h = history();
    }
    let list = h.as_array().unwrap();
    assert_eq!(
        list.len(),
        CYCLES as usize,
        "one alert per new version, no duplicates"
    );
    assert!(list.iter().all(|a| a["status"] == "sent"), "{h:#}");
    assert!(d.stop().success());
}
