//! Alerting budgets (issue 4), in-process against a keep-alive webhook receiver on
//! 127.0.0.1, with a real store on disk:
//! - change detected (poll committed a new version) → webhook received, `group_wait = "0s"`:
//!   ≤ 300 ms;
//! - 10,000 queued alerts drained at ≥ 2,000 deliveries/s, the outbox surviving a restart
//!   (engine stopped, store closed and reopened) mid-drain.
//!
//! Run: `cargo bench --bench alerts`.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use specwatch::alerts::AlertEngine;
use specwatch::alerts::events::{fingerprint, plain};
use specwatch::clock::now_millis;
use specwatch::diff::Level;
use specwatch::notification::{EventKind, WatchRef};
use specwatch::pipeline::Pipeline;
use specwatch::store::{NewAlert, PollOutcome, Store};

const LATENCY_RUNS: u32 = 30;
const QUEUED: usize = 10_000;

fn spec(n: u32) -> String {
    let mut paths = String::new();
    for i in 0..n {
        paths.push_str(&format!(
            "  /items{i}:\n    get:\n      responses:\n        '200':\n          description: ok\n"
        ));
    }
    format!("openapi: 3.0.3\ninfo:\n  title: Bench\n  version: '{n}'\npaths:\n{paths}")
}

fn config(dir: &std::path::Path, hook: &str) -> specwatch::config::Config {
    let text = format!(
        "[storage]\npath = \"{}\"\n[[watch]]\nname = \"api\"\nurl = \"spec.yaml\"\n\
         [[sink]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"{hook}\"\nsecret = \"bench\"\n\
         [[route]]\nsinks = [\"hook\"]\ngroup_wait = \"0s\"\n",
        dir.join("store").display()
    );
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    specwatch::config::load(&path).unwrap()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn wait_for(what: &str, timeout: Duration, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
}

async fn latency() {
    let seen = Arc::new(support::Received::default());
    let hook = support::receiver(seen.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &hook);
    let spec_path = dir.path().join("spec.yaml");
    std::fs::write(&spec_path, spec(1)).unwrap();
    let store = Arc::new(Store::open(&cfg.storage.path).unwrap());
    let pipeline = Pipeline::new(store.clone(), specwatch::daemon::fetcher().unwrap());
    let (_stop, shutdown) = tokio::sync::watch::channel(false);
    let engine = AlertEngine::start(
        store,
        cfg.alerting.clone(),
        specwatch::daemon::build_sinks(&cfg, None),
        pipeline.alerts_queued(),
        shutdown,
    );
    let watch = &cfg.watches[0];
    pipeline.poll(watch).await.unwrap();
    let (mut detected, mut end_to_end) = (Vec::new(), Vec::new());
    for n in 2..LATENCY_RUNS + 2 {
        std::fs::write(&spec_path, spec(n)).unwrap();
        let before = seen.count();
        let t0 = Instant::now();
        let report = pipeline.poll(watch).await.unwrap();
        assert!(matches!(report.outcome, PollOutcome::NewVersion { .. }));
        let t1 = Instant::now();
        wait_for("the webhook", Duration::from_secs(10), || {
            seen.count() > before
        })
        .await;
        let at = seen.hits.lock().unwrap()[before].1;
        detected.push(at - t1);
        end_to_end.push(at - t0);
    }
    engine.abort();
    detected.sort();
    end_to_end.sort();
    println!(
        "| change detected → webhook received (group_wait 0s), median | ≤ 300 ms | {:.1} ms |",
        ms(percentile(&detected, 0.5))
    );
    println!("| … p95 | | {:.1} ms |", ms(percentile(&detected, 0.95)));
    println!(
        "| file changed → webhook received (poll + parse + diff + commit + route + deliver), median | | {:.1} ms |",
        ms(percentile(&end_to_end, 0.5))
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn drain() {
    let seen = Arc::new(support::Received::default());
    let hook = support::receiver(seen.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &hook);
    {
        let store = Store::open(&cfg.storage.path).unwrap();
        let now = now_millis();
        for chunk in (0..QUEUED).collect::<Vec<_>>().chunks(1_000) {
            let alerts: Vec<NewAlert> = chunk
                .iter()
                .map(|i| NewAlert {
                    // One watch each, so every alert is its own notification.
                    watch: WatchRef {
                        name: format!("w{i}"),
                        ..WatchRef::default()
                    },
                    event: plain(
                        EventKind::ApiChanged,
                        Level::Info,
                        fingerprint(&["bench", &i.to_string()]),
                        format!("w{i}: bench change"),
                        now,
                    ),
                })
                .collect();
            store.commit_alerts(&alerts, now).unwrap();
        }
    }
    let start = |store: Arc<Store>| {
        let (stop, shutdown) = tokio::sync::watch::channel(false);
        let engine = AlertEngine::start(
            store,
            cfg.alerting.clone(),
            specwatch::daemon::build_sinks(&cfg, None),
            Arc::default(),
            shutdown,
        );
        (engine, stop)
    };
    let t0 = Instant::now();
    let store = Arc::new(Store::open(&cfg.storage.path).unwrap());
    let (engine, stop) = start(store.clone());
    wait_for("half the queue", Duration::from_secs(120), || {
        seen.distinct() >= QUEUED / 2
    })
    .await;
    let first_half = t0.elapsed();
    // Restart mid-drain: stop everything, close the store, reopen it, start again.
    let _ = stop.send(true);
    engine.abort();
    drop(engine);
    let mut store = store;
    let store = loop {
        match Arc::try_unwrap(store) {
            Ok(s) => break s,
            Err(s) => {
                store = s;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    };
    drop(store);
    let at_restart = seen.distinct();
    let t1 = Instant::now();
    let store = Arc::new(Store::open(&cfg.storage.path).unwrap());
    let (engine, _stop) = start(store);
    wait_for("the whole queue", Duration::from_secs(120), || {
        seen.distinct() >= QUEUED
    })
    .await;
    let second_half = t1.elapsed();
    tokio::time::sleep(Duration::from_millis(300)).await;
    engine.abort();
    let total = first_half + second_half;
    println!(
        "| {QUEUED} queued alerts drained (restart after {at_restart}) | ≥ 2,000/s | {:.0}/s ({:.2} s; {} redelivered after the restart, same idempotency keys) |",
        QUEUED as f64 / total.as_secs_f64(),
        total.as_secs_f64(),
        seen.count() - seen.distinct()
    );
    assert_eq!(seen.distinct(), QUEUED, "every queued alert delivered");
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --all-targets` runs this binary without it.
    if !std::env::args().any(|a| a == "--bench") {
        println!("alerts bench: run with `cargo bench --bench alerts`");
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!("| bench | budget | measured |\n|---|---|---|");
    rt.block_on(latency());
    rt.block_on(drain());
}
