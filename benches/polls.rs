//! Budget: 1,000 watches polled against a loopback server answering 304 at ≥ 1,000 polls/s.
//! Drives the real pipeline (fetch → detect → store commit with fsync) with the
//! daemon's concurrency caps. Run: `cargo bench --bench polls`.

mod support;

use std::sync::Arc;
use std::time::Instant;

use futures_util::StreamExt;
use specwatch::config;
use specwatch::pipeline::Pipeline;
use specwatch::scheduler::limits::Limits;
use specwatch::store::{PollOutcome, Store};

const WATCHES: usize = 1000;
const ROUNDS: usize = 5;

fn main() {
    // `cargo bench` passes --bench; `cargo test --all-targets` runs this binary without it.
    if !std::env::args().any(|a| a == "--bench") {
        println!("polls bench: run with `cargo bench --bench polls`");
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let counts = Arc::new(support::Counts::default());
        let base = support::start(counts.clone()).await;
        let dir = tempfile::tempdir().unwrap();
        let store_dir = dir.path().join("store");
        let text = support::config(&store_dir, &base, WATCHES, "every 1h", 64);
        let cfg = config::parse(&text, &dir.path().join("c.toml"), &|_| None).unwrap();
        let store = Arc::new(Store::open(&store_dir).unwrap());
        let pipeline = Pipeline::new(store, specwatch::daemon::fetcher().unwrap());
        let limits = Limits::new(cfg.polling.max_concurrent, cfg.polling.max_per_host);

        let round = |label: &'static str| {
            let (pipeline, limits, watches) = (pipeline.clone(), limits.clone(), cfg.watches.clone());
            async move {
                let start = Instant::now();
                let outcomes: Vec<PollOutcome> = futures_util::stream::iter(watches)
                    .map(|w| {
                        let (pipeline, limits) = (pipeline.clone(), limits.clone());
                        async move {
                            let _p = limits.acquire(Some("127.0.0.1")).await;
                            pipeline.poll(&w).await.unwrap().outcome
                        }
                    })
                    .buffer_unordered(256)
                    .collect()
                    .await;
                let secs = start.elapsed().as_secs_f64();
                (label, outcomes, secs)
            }
        };
        let (_, first, secs) = round("initial").await;
        assert!(first.iter().all(|o| matches!(o, PollOutcome::NewVersion { number: 1 })));
        println!("initial round (200 + new version 1 each): {WATCHES} polls in {secs:.2}s = {:.0} polls/s", WATCHES as f64 / secs);
        let mut rates = Vec::new();
        for _ in 0..ROUNDS {
            let (_, outcomes, secs) = round("304").await;
            assert!(outcomes.iter().all(|o| matches!(o, PollOutcome::Unchanged { not_modified: true })));
            rates.push(WATCHES as f64 / secs);
        }
        rates.sort_by(f64::total_cmp);
        println!(
            "304 rounds: {WATCHES} polls each, median {:.0} polls/s (min {:.0}, max {:.0}); server saw {} requests, {} answered 304",
            rates[ROUNDS / 2],
            rates[0],
            rates[ROUNDS - 1],
            counts.total(),
            counts.not_modified.load(std::sync::atomic::Ordering::Relaxed)
        );
    });
}
