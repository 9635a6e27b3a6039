//! Status page and API latency with 1,000 watches of 100 versions each, against the real
//! daemon binary:
//!
//! - `/` (overview) and `/api/v1/watches`: budget p99 ≤ 10 ms at 1,000 requests/s;
//! - a watch page: p99 ≤ 20 ms;
//! - the diff view between two real Stripe versions, cold (first request after start):
//!   ≤ 150 ms.
//!
//! The budget rows come from an open-loop load generator in this file: one request every
//! millisecond for 10 s over keep-alive connections, each latency measured from when the
//! request was due (so a stall counts against every request it delayed, as wrk2 does).
//! `wrk` (Debian's package; closed loop, 4 connections) adds the saturation throughput.
//! The store is built in /dev/shm when it exists (100,000 durable commits take minutes on
//! a disk; the daemon reads it through the page cache either way).
//!
//! `cargo bench --bench web` (needs `wrk` and `../shared/corpus/stripe-history`).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use specwatch::store::{PollCommit, Store, StoreOptions};
use support::store::version_commit;

const WATCHES: usize = 1000;
const VERSIONS: u64 = 100;

/// Version `number` of a bench watch, with change counts like real history's.
fn commit(at: i64, raw: Vec<u8>, number: u64) -> PollCommit {
    let mut c = version_commit(at, raw, "bench");
    if let Some(v) = c.new_version.as_mut() {
        v.meta.change_counts = (number > 1).then_some(specwatch::store::ChangeCounts {
            breaking: u32::from(number.is_multiple_of(7)),
            warning: u32::from(number.is_multiple_of(3)),
            info: 2,
            root_causes: None,
        });
    }
    c
}

fn corpus() -> Option<(Vec<u8>, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/stripe-history");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "yaml"))
        .collect();
    files.sort();
    let a = std::fs::read(files.first()?).ok()?;
    let b = std::fs::read(files.get(1)?).ok()?;
    Some((a, b))
}

fn build_store(dir: &Path, stripe: Option<&(Vec<u8>, Vec<u8>)>) {
    let store = Store::open_with(dir, StoreOptions::default()).expect("open store");
    let now = specwatch::clock::now_millis();
    let batch_of = |w: usize| -> Vec<(String, PollCommit)> {
        (1..=VERSIONS)
            .map(|n| {
                let raw = format!(
                    "{{\"openapi\":\"3.0.0\",\"info\":{{\"title\":\"w{w}\",\"version\":\"{n}\"}},\"paths\":{{}}}}"
                )
                .into_bytes();
                let at = now - ((VERSIONS - n) as i64) * 3_600_000;
                (format!("w{w:04}"), commit(at, raw, n))
            })
            .collect()
    };
    for w in 0..WATCHES {
        // One watch's versions must commit in order; commit_polls keeps the batch order.
        for (name, c) in batch_of(w) {
            store.commit_poll(&name, c).expect("commit");
        }
    }
    if let Some((a, b)) = stripe {
        store
            .commit_poll("stripe", commit(now - 1000, a.clone(), 1))
            .expect("commit");
        store
            .commit_poll("stripe", commit(now, b.clone(), 2))
            .expect("commit");
    }
}

fn config(dir: &Path, port: u16, stripe: bool) -> PathBuf {
    let mut s = format!(
        "[server]\nlisten = \"127.0.0.1:{port}\"\n[storage]\npath = \"{}\"\n[log]\nlevel = \"warn\"\n[reload]\nwatch_file = false\n",
        dir.join("store").display()
    );
    // Weekly, and polled just now (per the store): no poll during the run.
    for w in 0..WATCHES {
        s.push_str(&format!(
            "[[watch]]\nname = \"w{w:04}\"\nurl = \"/nonexistent/w.json\"\nschedule = \"weekly\"\nlabels = {{ team = \"t{}\" }}\n",
            w % 10
        ));
    }
    if stripe {
        s.push_str(
            "[[watch]]\nname = \"stripe\"\nurl = \"/nonexistent/s.json\"\nschedule = \"weekly\"\n",
        );
    }
    let path = dir.join("config.toml");
    std::fs::write(&path, s).unwrap();
    path
}

fn get(url: &str) -> (u16, Duration) {
    let t = Instant::now();
    let out = Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", url])
        .output()
        .expect("curl");
    let code = String::from_utf8_lossy(&out.stdout).parse().unwrap_or(0);
    (code, t.elapsed())
}

/// What the open-loop run measured.
struct Rate {
    sent: usize,
    errors: usize,
    achieved: f64,
    p50: f64,
    p99: f64,
    max: f64,
}

/// Sends GET `url` at `rps` requests per second for `secs` seconds, open loop; each
/// latency runs from the request's due time to the end of its body.
fn fixed_rate(url: &str, rps: u32, secs: u32) -> Rate {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(64)
            .build()
            .unwrap();
        let total = (rps * secs) as usize;
        let every = Duration::from_secs_f64(1.0 / f64::from(rps));
        let start = tokio::time::Instant::now();
        let mut tasks = Vec::with_capacity(total);
        for i in 0..total {
            let due = start + every * i as u32;
            tokio::time::sleep_until(due).await;
            let (client, url) = (client.clone(), url.to_string());
            tasks.push(tokio::spawn(async move {
                let ok = match client.get(&url).send().await {
                    Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                (ok, due.elapsed())
            }));
        }
        let mut lat = Vec::with_capacity(total);
        let mut errors = 0;
        for t in tasks {
            let (ok, d) = t.await.unwrap();
            errors += usize::from(!ok);
            lat.push(d.as_secs_f64() * 1000.0);
        }
        let took = start.elapsed().as_secs_f64();
        lat.sort_by(f64::total_cmp);
        let q = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
        Rate {
            sent: total,
            errors,
            achieved: total as f64 / took,
            p50: q(0.50),
            p99: q(0.99),
            max: lat[lat.len() - 1],
        }
    })
}

/// Runs wrk and returns (requests/s, p99 ms).
fn wrk(url: &str) -> (f64, f64) {
    let out = Command::new("wrk")
        .args(["-t2", "-c4", "-d10s", "--latency", url])
        .output()
        .expect("wrk (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout);
    let rps = text
        .lines()
        .find(|l| l.starts_with("Requests/sec:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    let p99 = text
        .lines()
        .find(|l| l.trim_start().starts_with("99%"))
        .and_then(|l| l.split_whitespace().nth(1))
        .map(|v| {
            let (num, unit) = v.split_at(v.find(|c: char| c.is_alphabetic()).unwrap_or(v.len()));
            let n: f64 = num.parse().unwrap_or(f64::NAN);
            match unit {
                "us" => n / 1000.0,
                "s" => n * 1000.0,
                _ => n,
            }
        })
        .unwrap_or(f64::NAN);
    if text.contains("Non-2xx") {
        panic!("wrk saw errors:\n{text}");
    }
    (rps, p99)
}

struct Daemon(Child);
impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --all-targets` runs this binary without it.
    if !std::env::args().any(|a| a == "--bench") {
        println!("web bench: run with `cargo bench --bench web`");
        return;
    }
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let stripe = corpus();
    let t = Instant::now();
    build_store(&dir.path().join("store"), stripe.as_ref());
    eprintln!(
        "built a store of {WATCHES} watches x {VERSIONS} versions in {:.1}s",
        t.elapsed().as_secs_f64()
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cfg = config(dir.path(), port, stripe.is_some());
    let _d = Daemon(
        Command::new(env!("CARGO_BIN_EXE_specwatch"))
            .args(["run", "--config", cfg.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    while get(&format!("{base}/readyz")).0 != 200 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "daemon not ready"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    if stripe.is_some() {
        let (code, took) = get(&format!("{base}/watches/stripe?from=1&to=2"));
        assert_eq!(code, 200);
        println!(
            "| diff view, two Stripe versions, cold | {:.0} ms | ≤ 150 ms |",
            took.as_secs_f64() * 1000.0
        );
    }
    for (name, path, budget) in [
        ("overview page `/`", "/", "p99 ≤ 10 ms"),
        ("`/api/v1/watches`", "/api/v1/watches", "p99 ≤ 10 ms"),
        ("watch page", "/watches/w0500", "p99 ≤ 20 ms"),
    ] {
        let url = format!("{base}{path}");
        let r = fixed_rate(&url, 1000, 10);
        assert_eq!(
            r.errors, 0,
            "{name}: {} of {} requests failed",
            r.errors, r.sent
        );
        let (rps, p99) = wrk(&url);
        println!(
            "| {name} ({WATCHES} watches x {VERSIONS} versions) | at 1,000 req/s (achieved {:.0}): p50 {:.2} ms, p99 {:.2} ms, max {:.1} ms; saturated (wrk, 4 connections): {rps:.0} req/s, p99 {p99:.2} ms | {budget} at 1,000 req/s |",
            r.achieved, r.p50, r.p99, r.max
        );
    }
}
