//! Every per-watch key documented in README.md and config.example.toml changes what the
//! daemon does: one test per key (or pair of keys that only act together), each through the
//! real config reader and the real poll pipeline against servers on 127.0.0.1.

use crate::support::http_server;

use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use http_server::{Reply, serve};
use specwatch::config::{Config, WatchConfig};
use specwatch::fetch::FailureKind;
use specwatch::pipeline::{Pipeline, PollReport};
use specwatch::store::{PollOutcome, Store};

const SPEC: &str = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths: {}\n";

/// A config whose `[[watch]]` named `w` has `keys` (url included), read by the real reader.
fn config(dir: &Path, keys: &str) -> Config {
    let text = format!("[storage]\npath = \"store\"\n[[watch]]\nname = \"w\"\n{keys}\n");
    specwatch::config::parse(&text, &dir.join("config.toml"), &|_| None)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn watch(dir: &Path, keys: &str) -> WatchConfig {
    config(dir, keys).watches.remove(0)
}

struct Rig {
    dir: tempfile::TempDir,
    store: Arc<Store>,
    pipeline: Pipeline,
}

fn new_rig() -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("store")).unwrap());
    let pipeline = Pipeline::new(store.clone(), specwatch::daemon::fetcher().unwrap());
    Rig {
        dir,
        store,
        pipeline,
    }
}

impl Rig {
    async fn poll(&self, keys: &str) -> (PollReport, Duration) {
        let w = watch(self.dir.path(), keys);
        let start = Instant::now();
        let r = self.pipeline.poll(&w).await.unwrap();
        (r, start.elapsed())
    }
}

fn error_of(r: &PollReport) -> (FailureKind, String) {
    match &r.outcome {
        PollOutcome::Error { kind, message } => (*kind, message.clone()),
        other => panic!("expected an error, got {other:?}"),
    }
}

/// Accepts TCP connections and never says a word (a TLS handshake never completes).
fn silent_server() -> std::net::SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in l.incoming().flatten() {
            held.push(s);
        }
    });
    addr
}

#[tokio::test]
async fn url_and_headers_decide_what_is_fetched_and_how() {
    let srv = serve(|req| {
        if req.header("x-api-key") == Some("k-123") {
            Reply::ok(SPEC, &[])
        } else {
            Reply::status(401, "no key", &[])
        }
    })
    .await;
    let rig = new_rig();
    let url = format!("url = \"http://{}/spec.yaml\"", srv.addr);
    let (r, _) = rig.poll(&url).await;
    assert_eq!(error_of(&r).0, FailureKind::HttpStatus);
    let (r, _) = rig
        .poll(&format!("{url}\nheaders = {{ X-Api-Key = \"k-123\" }}"))
        .await;
    assert!(
        matches!(r.outcome, PollOutcome::NewVersion { number: 1 }),
        "{:?}",
        r.outcome
    );
    assert_eq!(srv.requests().last().unwrap().target, "/spec.yaml");
}

#[tokio::test]
async fn timeout_bounds_the_whole_fetch() {
    let srv = serve(|_| Reply::Hang).await;
    let rig = new_rig();
    let (r, took) = rig
        .poll(&format!(
            "url = \"http://{}/slow\"\ntimeout = \"700ms\"",
            srv.addr
        ))
        .await;
    let (kind, message) = error_of(&r);
    assert_eq!(kind, FailureKind::Timeout);
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(message.contains("raise `timeout`"), "{message}");
}

#[tokio::test]
async fn connect_timeout_is_the_watchs_own() {
    // https to a server that accepts but never completes the TLS handshake: the connect
    // phase hangs. The total timeout is long, so only the watch's connect_timeout ends it.
    let addr = silent_server();
    let rig = new_rig();
    let (r, took) = rig
        .poll(&format!(
            "url = \"https://{addr}/spec.json\"\ntimeout = \"30s\"\nconnect_timeout = \"600ms\""
        ))
        .await;
    let (kind, message) = error_of(&r);
    assert_eq!(kind, FailureKind::Timeout, "{message}");
    assert!(took < Duration::from_secs(5), "took {took:?}: {message}");
    assert!(message.contains("connecting to"), "{message}");
    assert!(message.contains("raise `connect_timeout`"), "{message}");
}

#[tokio::test]
async fn max_spec_size_caps_and_also_allows_above_the_default() {
    let rig = new_rig();
    let dir = rig.dir.path();
    // 60 MiB: above the 50 MiB default, so only a raised max_spec_size takes it.
    let big = dir.join("big.json");
    let mut f = std::fs::File::create(&big).unwrap();
    write!(
        f,
        "{{\"openapi\":\"3.0.3\",\"info\":{{\"title\":\"T\",\"version\":\"1\",\"description\":\""
    )
    .unwrap();
    let chunk = "x".repeat(1 << 20);
    for _ in 0..60 {
        f.write_all(chunk.as_bytes()).unwrap();
    }
    write!(f, "\"}},\"paths\":{{}}}}").unwrap();
    drop(f);
    let (r, _) = rig.poll("url = \"big.json\"").await;
    assert_eq!(error_of(&r).0, FailureKind::TooLarge);
    let (r, _) = rig
        .poll("url = \"big.json\"\nmax_spec_size = \"64MiB\"")
        .await;
    assert!(
        matches!(r.outcome, PollOutcome::NewVersion { number: 1 }),
        "{:?}",
        r.outcome
    );
    // And below the default: a 1 KiB cap refuses a 2 KiB spec.
    std::fs::write(
        dir.join("small.yaml"),
        format!("{SPEC}x-pad: '{}'\n", "p".repeat(2048)),
    )
    .unwrap();
    let (r, _) = rig
        .poll("url = \"small.yaml\"\nmax_spec_size = \"1KiB\"")
        .await;
    assert_eq!(error_of(&r).0, FailureKind::TooLarge);
}

#[tokio::test]
async fn pause_after_failures_pauses_after_that_many() {
    let rig = new_rig();
    let keys = "url = \"missing.yaml\"\npause_after_failures = 2";
    assert!(!rig.poll(keys).await.0.paused_now);
    assert!(rig.poll(keys).await.0.paused_now);
    // 0 never pauses.
    let never = new_rig();
    for _ in 0..3 {
        let (r, _) = never
            .poll("url = \"missing.yaml\"\npause_after_failures = 0")
            .await;
        assert!(!r.paused_now);
    }
}

#[tokio::test]
async fn provider_product_and_labels_travel_with_alerts() {
    let rig = new_rig();
    rig.pipeline
        .set_alerting(specwatch::config::alerts::AlertsConfig {
            poll_failing_after: 1,
            ..Default::default()
        });
    let (r, _) = rig
        .poll("url = \"missing.yaml\"\nprovider = \"Acme\"\nproduct = \"Rockets API\"\nlabels = { team = \"payments\" }")
        .await;
    assert_eq!(error_of(&r).0, FailureKind::Io);
    let list = rig
        .store
        .alert_history(&specwatch::store::AlertQuery {
            watch: None,
            status: None,
            since: None,
            before: None,
            limit: 10,
        })
        .unwrap();
    let a = &list.first().expect("a poll_failing alert").alert;
    assert_eq!(a.watch.provider.as_deref(), Some("Acme"));
    assert_eq!(a.watch.product.as_deref(), Some("Rockets API"));
    assert_eq!(
        a.watch.labels.get("team").map(String::as_str),
        Some("payments")
    );
}

#[test]
fn labels_decide_the_route() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[[sink]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"http://127.0.0.1:9/h\"\n\
        [[route]]\nmatch = { labels = { team = \"pay*\" } }\nsinks = [\"hook\"]\n\
        [[watch]]\nname = \"a\"\nurl = \"a.yaml\"\nlabels = { team = \"payments\" }\n\
        [[watch]]\nname = \"b\"\nurl = \"b.yaml\"\nlabels = { team = \"search\" }\n";
    let c = specwatch::config::parse(text, &dir.path().join("c.toml"), &|_| None).unwrap();
    let m = &c.alerting.routes[0].matcher;
    let kind = specwatch::notification::EventKind::PollFailing;
    let level = specwatch::diff::Level::Warning;
    assert!(m.matches("a", kind, level, &c.watches[0].labels));
    assert!(!m.matches("b", kind, level, &c.watches[1].labels));
}

#[test]
fn schedule_and_timezone_set_the_fire_times() {
    let dir = tempfile::tempdir().unwrap();
    let at = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap();
    let next = |keys: &str| {
        watch(dir.path(), &format!("url = \"a.yaml\"\n{keys}"))
            .schedule
            .next_after(at)
            .unwrap()
    };
    assert_eq!(
        next("schedule = \"every 15m\""),
        at + chrono::Duration::minutes(15)
    );
    assert_eq!(
        next("schedule = \"0 9 * * *\""),
        at + chrono::Duration::hours(9)
    );
    // 09:00 in Berlin (UTC+1 in January) is 08:00 UTC.
    assert_eq!(
        next("schedule = \"0 9 * * *\"\ntimezone = \"Europe/Berlin\""),
        at + chrono::Duration::hours(8)
    );
}

#[tokio::test]
async fn enabled_false_keeps_the_entry_without_polling_it() {
    let rig = new_rig();
    let cfg = config(
        rig.dir.path(),
        "url = \"a.yaml\"\n[[watch]]\nname = \"off\"\nurl = \"b.yaml\"\nenabled = false",
    );
    let (_tx, rx) = tokio::sync::watch::channel(false);
    let mut sup = specwatch::daemon::supervisor::Supervisor::new(
        rig.pipeline.clone(),
        specwatch::scheduler::limits::Limits::new(4, 4),
        rx,
    );
    sup.apply(&cfg).await;
    assert_eq!(sup.names(), ["w"]);
}

#[tokio::test]
async fn name_keys_the_stored_state() {
    let rig = new_rig();
    std::fs::write(rig.dir.path().join("a.yaml"), SPEC).unwrap();
    rig.poll("url = \"a.yaml\"").await;
    assert_eq!(
        rig.store.watch_state("w").unwrap().unwrap().latest_version,
        1
    );
    assert!(rig.store.watch_state("other").unwrap().is_none());
}
