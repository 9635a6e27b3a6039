//! Budget: an idle daemon with 10,000 watches on `every 1h` uses ≤ 150 MB RSS and < 2 % of
//! one core averaged over a minute. Runs the real binary against a loopback server.
//! Run: `cargo bench --bench idle` (set SPECWATCH_IDLE_SECS to shorten the 60 s window).

mod support;

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const WATCHES: usize = 10_000;

fn main() {
    // `cargo bench` passes --bench; `cargo test --all-targets` runs this binary without it.
    if !std::env::args().any(|a| a == "--bench") {
        println!("idle bench: run with `cargo bench --bench idle`");
        return;
    }
    let window: u64 = std::env::var("SPECWATCH_IDLE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let counts = Arc::new(support::Counts::default());
    let base = rt.block_on(support::start(counts.clone()));
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        support::config(&dir.path().join("store"), &base, WATCHES, "every 1h", 64),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_specwatch"))
        .args(["run", "--config", config.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    // Start-up: every never-polled watch takes its baseline within a few seconds.
    let start = Instant::now();
    while counts.total() < WATCHES as u64 && start.elapsed() < Duration::from_secs(600) {
        std::thread::sleep(Duration::from_millis(200));
    }
    let warm = start.elapsed();
    std::thread::sleep(Duration::from_secs(5)); // let the last commits land
    let (t0, _) = support::proc_stat(pid);
    let clock = Instant::now();
    std::thread::sleep(Duration::from_secs(window));
    let (t1, rss_kib) = support::proc_stat(pid);
    let hz = 100.0; // USER_HZ on Linux
    let cpu = (t1 - t0) as f64 / hz / clock.elapsed().as_secs_f64() * 100.0;
    println!(
        "{WATCHES} watches: baseline polls done in {:.1}s; idle over {window}s: CPU {cpu:.2}% of one core, RSS {:.1} MiB; polls during idle window: {}",
        warm.as_secs_f64(),
        rss_kib as f64 / 1024.0,
        counts.total() - WATCHES as u64
    );
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let _ = child.wait();
}
