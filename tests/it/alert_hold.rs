//! Rate limits and digests against a real daemon and webhook receiver: 50 changes in
//! a minute to a sink limited to 5 a minute give 5 notifications and one summary naming
//! the other 45, with a `kill -9` in the middle; a daily digest gathers non-breaking
//! changes until its time (a clock the test moves, `SPECWATCH_TEST_NOW_FILE`, honoured
//! only by debug builds) while breaking ones go out at once.

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{Daemon, Env, Reply, Server, spec_v};

fn setup(sink_extra: &str) -> (Server, Arc<Mutex<String>>, Server, tempfile::TempDir, Env) {
    let hook = Server::start(|_| Reply::ok("ok"));
    let body = Arc::new(Mutex::new(spec_v(3)));
    let b = body.clone();
    let specs = Server::start(move |_| Reply::ok(b.lock().unwrap().clone()));
    let dir = tempfile::tempdir().unwrap();
    let cfg = format!(
        "[storage]\npath = \"{store}\"\n[polling]\nshutdown_timeout = \"5s\"\n\
         [[watch]]\nname = \"api\"\nurl = \"{spec}\"\nschedule = \"every 1h\"\ntimeout = \"2s\"\n\
         [[sink]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"{hook}\"\n{sink_extra}\n\
         [[route]]\nsinks = [\"hook\"]\n",
        store = dir.path().join("store").display(),
        spec = specs.url("/spec.yaml"),
        hook = hook.url("/hook"),
    );
    let env = Env::new(&cfg);
    (hook, body, specs, dir, env)
}

fn poll(env: &Env, body: &Mutex<String>, n: u32) {
    *body.lock().unwrap() = spec_v(n);
    let out = env.run(&["poll", "api"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("new version"),
        "{out:?}"
    );
}

fn received(hook: &Server) -> Vec<Value> {
    hook.requests()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

#[test]
fn fifty_changes_to_a_sink_limited_to_five_a_minute_give_five_and_one_summary() {
    let (hook, body, _specs, _dir, env) = setup("rate_limit = \"5/1m\"");
    let mut d = Daemon::start(&env.config, &[]);
    d.wait_line("new version 1", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("no baseline; log:\n{}", d.log()));
    let started = Instant::now();
    // 25 changes (each version adds a path: api_changed), then kill -9, then 25 more.
    for n in 4..29 {
        poll(&env, &body, n);
    }
    assert!(
        hook.wait_for("/hook", 5, Duration::from_secs(10)).is_some(),
        "the first five were not sent; log:\n{}",
        d.log()
    );
    d.kill9();
    let mut d = Daemon::start(&env.config, &[]);
    d.wait_line("specwatch started", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("no restart; log:\n{}", d.log()));
    for n in 29..54 {
        poll(&env, &body, n);
    }
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "the 50 changes took more than a minute"
    );
    assert_eq!(hook.count("/hook"), 5, "more than the limit went out");
    assert!(
        hook.wait_for("/hook", 6, Duration::from_secs(90)).is_some(),
        "no summary; log:\n{}",
        d.log()
    );
    std::thread::sleep(Duration::from_secs(2));
    let got = received(&hook);
    assert_eq!(got.len(), 6, "{got:#?}");
    let summary = &got[5];
    assert_eq!(
        summary["title"],
        "45 notifications held by the rate limit (5 per 1m)"
    );
    let text = summary["summary"].as_str().unwrap();
    // Every held change is named once: versions 7 to 51 (the first five were v2..v6).
    for v in 7..=51 {
        assert_eq!(
            text.matches(&format!("api v{v}: ")).count(),
            1,
            "v{v} in the summary:\n{text}"
        );
    }
    let singles: Vec<&str> = got[..5]
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    for (i, t) in singles.iter().enumerate() {
        assert!(t.starts_with(&format!("api v{}: ", i + 2)), "{singles:?}");
    }
    // Nothing is left pending or lost: every alert's delivery was sent.
    let h: Value = serde_json::from_slice(
        &env.run(&["alerts", "--format", "json", "--limit", "100"])
            .stdout,
    )
    .unwrap();
    let statuses: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 50, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == "sent"), "{statuses:?}");
    assert!(d.stop().success());
}

#[test]
fn a_daily_digest_fires_at_its_time_and_breaking_changes_bypass_it() {
    let (hook, body, _specs, dir, env) =
        setup("digest = \"daily 09:00\"\ndigest_timezone = \"Europe/Berlin\"");
    let clock = dir.path().join("now.txt");
    let rfc = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .unwrap()
            .to_rfc3339()
    };
    let now = chrono::Utc::now().timestamp_millis();
    std::fs::write(&clock, rfc(now)).unwrap();
    let mut d = Daemon::start(
        &env.config,
        &[("SPECWATCH_TEST_NOW_FILE", clock.to_str().unwrap())],
    );
    d.wait_line("new version 1", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("no baseline; log:\n{}", d.log()));
    poll(&env, &body, 4); // adds a path: info
    poll(&env, &body, 5); // info
    poll(&env, &body, 4); // removes one: breaking, sent at once
    assert!(hook.wait_for("/hook", 1, Duration::from_secs(10)).is_some());
    std::thread::sleep(Duration::from_secs(2));
    let got = received(&hook);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0]["event"], "breaking_change");

    // A minute before 09:00 in Berlin: still gathered.
    let nine =
        specwatch::config::alerts::Digest::parse("daily 09:00", "Europe/Berlin".parse().unwrap())
            .unwrap()
            .next_after(now);
    std::fs::write(&clock, rfc(nine - 60_000)).unwrap();
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(hook.count("/hook"), 1);
    // 09:00: one digest with both.
    std::fs::write(&clock, rfc(nine + 1_000)).unwrap();
    assert!(
        hook.wait_for("/hook", 2, Duration::from_secs(10)).is_some(),
        "no digest; log:\n{}",
        d.log()
    );
    std::thread::sleep(Duration::from_secs(1));
    let got = received(&hook);
    assert_eq!(got.len(), 2, "{got:#?}");
    let digest = &got[1];
    assert_eq!(digest["title"], "Digest: 2 notifications (api)");
    let text = digest["summary"].as_str().unwrap();
    assert!(
        text.contains("api v2: ") && text.contains("api v3: "),
        "{text}"
    );
    assert_eq!(digest["events"].as_array().unwrap().len(), 2);
    assert!(d.stop().success());
}
