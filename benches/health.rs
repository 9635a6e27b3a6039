//! Budgets of endpoint health (issue 15), against the real daemon binary and a loopback
//! keep-alive server answering 200:
//! - throughput: 10,000 endpoints on `every 1s` → probes/s answered and committed (≥ 5,000);
//! - steady state: 10,000 endpoints on `every 1m` → daemon CPU (≤ 25 % of a core) and RSS
//!   (≤ 200 MB) over a window after every endpoint was probed once;
//! - disk: 30 days of history at 1-minute probes (7 days raw + hourly rollups), written
//!   through the store API (one transaction per hour) for `SPECWATCH_HEALTH_DISK_ENDPOINTS`
//!   endpoints (default 200)
//!   and scaled linearly to 10,000 (≤ 2 GB).
//!
//! Run: `cargo bench --bench health` (SPECWATCH_HEALTH_SECS sets the steady-state window,
//! default 60 s; SPECWATCH_HEALTH_PARTS=disk,throughput,steady picks parts).

mod support;

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use specwatch::health::rollup::Bucket;
use specwatch::store::{
    EndpointHealth, EndpointRecord, ErrorClass, HOUR_MS, HealthBatch, ProbeSample, Store, hour_of,
};

const ENDPOINTS: usize = 10_000;

/// A spec with `n` GET operations served by `base`.
fn spec(base: &str, n: usize) -> String {
    let paths: serde_json::Map<String, serde_json::Value> = (0..n)
        .map(|i| (format!("/e/{i}"), serde_json::json!({"get": {}})))
        .collect();
    serde_json::json!({
        "openapi": "3.0.3", "info": {"title": "bench", "version": "1"},
        "servers": [{"url": base}], "paths": paths
    })
    .to_string()
}

fn daemon(dir: &std::path::Path, base: &str, schedule: &str) -> Child {
    std::fs::write(dir.join("spec.json"), spec(base, ENDPOINTS)).unwrap();
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[storage]\npath = \"{}\"\n[log]\nlevel = \"warn\"\n[reload]\nwatch_file = false\n\
             [defaults.health]\nmax_concurrent = 256\nmax_per_host = 64\n\
             [[watch]]\nname = \"bench\"\nurl = \"spec.json\"\nschedule = \"every 1h\"\n\
             [watch.health]\nenabled = true\nschedule = \"{schedule}\"\ntimeout = \"5s\"\n",
            dir.join("store").display()
        ),
    )
    .unwrap();
    Command::new(env!("CARGO_BIN_EXE_specwatch"))
        .args(["run", "--config", config.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

fn stop(mut child: Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}

/// Probes recorded in the store's last hour, read through the query layer.
fn committed(dir: &std::path::Path) -> u64 {
    let store = Store::open_read_only(&dir.join("store")).unwrap();
    specwatch::health::query::watch_health(&store, "bench", specwatch::clock::now_millis())
        .unwrap()
        .windows
        .h1
        .probes
}

fn throughput(rt: &tokio::runtime::Runtime) {
    let counts = Arc::new(support::Counts::default());
    let base = rt.block_on(support::start(counts.clone()));
    let dir = tempfile::tempdir().unwrap();
    let child = daemon(dir.path(), &base, "every 1s");
    // Warm-up: the spec is stored and the first round of probes runs.
    std::thread::sleep(Duration::from_secs(5));
    let (c0, t0) = (counts.total(), Instant::now());
    std::thread::sleep(Duration::from_secs(10));
    let answered = (counts.total() - c0) as f64 / t0.elapsed().as_secs_f64();
    stop(child);
    let stored = committed(dir.path());
    println!(
        "throughput: {answered:.0} probes/s answered over 10 s (10,000 endpoints on every 1s; budget ≥ 5,000/s); {stored} probes committed in total"
    );
}

fn steady(rt: &tokio::runtime::Runtime) {
    let window: u64 = std::env::var("SPECWATCH_HEALTH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let counts = Arc::new(support::Counts::default());
    let base = rt.block_on(support::start(counts.clone()));
    let dir = tempfile::tempdir().unwrap();
    let child = daemon(dir.path(), &base, "every 1m");
    let pid = child.id();
    // Every endpoint probed once (spread over the minute by its offset).
    std::thread::sleep(Duration::from_secs(65));
    let (ticks0, _) = support::proc_stat(pid);
    let (c0, t0) = (counts.total(), Instant::now());
    let mut peak = 0;
    while t0.elapsed() < Duration::from_secs(window) {
        std::thread::sleep(Duration::from_secs(1));
        peak = peak.max(support::proc_stat(pid).1);
    }
    let (ticks1, rss) = support::proc_stat(pid);
    let secs = t0.elapsed().as_secs_f64();
    let hz = 100.0; // USER_HZ
    let cpu = (ticks1 - ticks0) as f64 / hz / secs * 100.0;
    let rate = (counts.total() - c0) as f64 / secs;
    stop(child);
    println!(
        "steady: 10,000 endpoints on every 1m: {rate:.0} probes/s, daemon CPU {cpu:.1} % of a core, RSS {:.1} MiB (peak {:.1} MiB) over {window} s (budget ≤ 25 %, ≤ 200 MB)",
        rss as f64 / 1024.0,
        peak as f64 / 1024.0
    );
}

fn disk() {
    let n: u64 = std::env::var("SPECWATCH_HEALTH_DISK_ENDPOINTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let ops: Vec<(String, String)> = (0..n)
        .map(|i| (format!("GET /e/{i}"), format!("http://127.0.0.1/e/{i}")))
        .collect();
    let records = store.sync_endpoints("bench", &ops, 0).unwrap();
    let now = hour_of(specwatch::clock::now_millis());
    let start_hour = now - 30 * 24 * HOUR_MS;
    let raw_from = now - 7 * 24 * HOUR_MS;
    let mut rng = fastrand::Rng::with_seed(1);
    let t0 = Instant::now();
    for h in 0..30 * 24 {
        let hour = start_hour + h * HOUR_MS;
        let mut batch = HealthBatch::default();
        for (op, rec) in &records {
            let mut bucket = Bucket::default();
            for m in 0..60 {
                let ok = rng.u32(0..1000) != 0;
                let p = ProbeSample {
                    at: hour + m * 60_000 + i64::from(rng.u32(0..1000)),
                    status: if ok { 200 } else { 503 },
                    latency_us: 20_000 + rng.u32(0..30_000) + rng.u32(0..4).pow(8),
                    class: if ok {
                        ErrorClass::None
                    } else {
                        ErrorClass::Status
                    },
                };
                bucket.add(&p, false);
                if hour >= raw_from {
                    batch.raw.push((rec.id, hour, p.pack()));
                }
            }
            batch.hours.push((rec.id, hour, bucket.encode()));
            if h == 30 * 24 - 1 {
                let r = EndpointRecord {
                    state: EndpointHealth::Up,
                    ..rec.clone()
                };
                batch.endpoints.push(("bench".into(), op.clone(), r));
            }
        }
        store.commit_health(&batch, hour).unwrap();
    }
    drop(store);
    let bytes = std::fs::metadata(dir.path().join("specwatch.redb"))
        .unwrap()
        .len();
    let scaled = bytes as f64 * ENDPOINTS as f64 / n as f64;
    println!(
        "disk: {n} endpoints, 30 days at 1-minute probes (7 days raw): {:.1} MiB → {:.2} GiB for 10,000 endpoints (budget ≤ 2 GB); written in {:.1} s",
        bytes as f64 / 1048576.0,
        scaled / 1073741824.0,
        t0.elapsed().as_secs_f64()
    );
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("health bench: run with `cargo bench --bench health`");
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    // SPECWATCH_HEALTH_PARTS=disk,throughput,steady (the default: all three).
    let parts = std::env::var("SPECWATCH_HEALTH_PARTS").unwrap_or_default();
    let want = |p: &str| parts.is_empty() || parts.split(',').any(|x| x == p);
    if want("disk") {
        disk();
    }
    if want("throughput") {
        throughput(&rt);
    }
    if want("steady") {
        steady(&rt);
    }
}
