//! Budget: when many large specs change at once, the daemon's peak RSS stays ≤ 450 MB
//! and small specs are not starved behind the large ones.
//!
//! Drives the real release binary (`specwatch run`) against a loopback server:
//! 24 watches serving real Stripe versions (3.7 MB each) and 1,000 small watches.
//! After the first versions are stored, the server switches to the next Stripe version
//! and every watch is polled at once over the control socket (as `specwatch poll` × N
//! does). Peak RSS is the daemon's `VmHWM`, reset through `/proc/<pid>/clear_refs`
//! before each burst. Run: `cargo bench --bench burst`.

mod support;

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use specwatch::control::client;
use specwatch::control::protocol::Request;

const BIG: usize = 24;
const SMALL: usize = 1000;

fn main() {
    // `cargo bench` passes --bench; `cargo test --all-targets` runs this binary without it.
    if !std::env::args().any(|a| a == "--bench") {
        println!("burst bench: run with `cargo bench --bench burst`");
        return;
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/stripe");
    let versions: Vec<Arc<Vec<u8>>> = (0..3).map(|i| Arc::new(stripe(&corpus, i))).collect();
    let stage = Arc::new(AtomicUsize::new(0));
    let served = Arc::new(AtomicUsize::new(0));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let base = rt.block_on({
        let (versions, stage, served) = (versions.clone(), stage.clone(), served.clone());
        support::serve(move |path| {
            served.fetch_add(1, Ordering::SeqCst);
            let s = stage.load(Ordering::SeqCst);
            if path.starts_with("/big/") {
                versions[s].clone()
            } else {
                Arc::new(small_spec(s).into_bytes())
            }
        })
    });
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, config_text(&store, &base)).unwrap();
    let log = dir.path().join("daemon.log");
    let mut daemon = start(&config, &log);
    let socket = store.join("control.sock");
    wait_for(&socket, &mut daemon);

    let all: Vec<String> = (0..BIG)
        .map(|i| format!("big{i}"))
        .chain((0..SMALL).map(|i| format!("small{i}")))
        .collect();
    let first = burst(&socket, &all);
    assert!(
        first.iter().all(|p| p.ok),
        "first round failed: {:?}",
        first.iter().find(|p| !p.ok)
    );
    // The scheduler's own first polls (one per watch, under the per-host cap) may still
    // be running: wait for them, so none lands in a burst.
    let deadline = Instant::now() + Duration::from_secs(300);
    while served.load(Ordering::SeqCst) < 2 * all.len() {
        assert!(
            Instant::now() < deadline,
            "the daemon's first polls did not finish"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    println!(
        "first versions stored; daemon RSS {:.0} MiB (peak so far {:.0} MiB)",
        vm_mib(daemon.id(), "VmRSS:"),
        vm_mib(daemon.id(), "VmHWM:")
    );

    // Burst 1: the 24 large specs change at once.
    stage.store(1, Ordering::SeqCst);
    reset_hwm(daemon.id());
    let big: Vec<String> = all[..BIG].to_vec();
    let t = Instant::now();
    let polls = burst(&socket, &big);
    let total = t.elapsed();
    report("24 large specs changed at once", &polls, total, daemon.id());

    // Burst 2: the 24 large specs and the 1,000 small ones change at once.
    stage.store(2, Ordering::SeqCst);
    reset_hwm(daemon.id());
    let t = Instant::now();
    let polls = burst(&socket, &all);
    let total = t.elapsed();
    report(
        "24 large + 1,000 small specs changed at once",
        &polls,
        total,
        daemon.id(),
    );

    let _ = Command::new("kill").arg(daemon.id().to_string()).status();
    let _ = daemon.wait();
}

/// One poll's outcome as seen by the client.
#[derive(Debug)]
struct Polled {
    watch: String,
    ok: bool,
    new_version: bool,
    outcome: String,
    latency: Duration,
}

/// Polls every watch at once (one control connection each) and waits for all answers.
fn burst(socket: &Path, watches: &[String]) -> Vec<Polled> {
    let handles: Vec<_> = watches
        .iter()
        .map(|w| {
            let (socket, watch) = (socket.to_path_buf(), w.clone());
            std::thread::spawn(move || {
                let t = Instant::now();
                let r = client::request(
                    &socket,
                    &Request::Poll {
                        watch: watch.clone(),
                    },
                    Duration::from_secs(600),
                );
                let latency = t.elapsed();
                let outcome = r
                    .as_ref()
                    .ok()
                    .and_then(|v| v["outcome"].as_str())
                    .unwrap_or("-");
                let new_version = outcome == "new_version";
                match &r {
                    Err(e) => eprintln!("{watch}: {e}"),
                    Ok(v) if outcome == "error" => eprintln!("{watch}: {v}"),
                    Ok(_) => {}
                }
                Polled {
                    watch,
                    ok: r.is_ok() && outcome != "error",
                    new_version,
                    outcome: r.as_ref().map_or_else(|e| e.to_string(), |v| v.to_string()),
                    latency,
                }
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

fn report(label: &str, polls: &[Polled], total: Duration, pid: u32) {
    let (big, small): (Vec<&Polled>, Vec<&Polled>) =
        polls.iter().partition(|p| p.watch.starts_with("big"));
    if let Some(p) = polls.iter().find(|p| !(p.ok && p.new_version)) {
        panic!(
            "every watch must store a new version; {}: {}",
            p.watch, p.outcome
        );
    }
    println!(
        "\n{label}: all {} new versions stored in {:.2} s",
        polls.len(),
        total.as_secs_f64()
    );
    println!(
        "  large: p50 {} ms, max {} ms",
        pct(&big, 50),
        pct(&big, 100)
    );
    if !small.is_empty() {
        println!(
            "  small: p50 {} ms, p95 {} ms, max {} ms",
            pct(&small, 50),
            pct(&small, 95),
            pct(&small, 100)
        );
    }
    println!(
        "  daemon peak RSS (VmHWM): {:.0} MiB",
        vm_mib(pid, "VmHWM:")
    );
}

fn pct(polls: &[&Polled], p: usize) -> u128 {
    let mut ms: Vec<u128> = polls.iter().map(|x| x.latency.as_millis()).collect();
    ms.sort_unstable();
    ms[((ms.len() - 1) * p) / 100]
}

fn stripe(dir: &Path, index: usize) -> Vec<u8> {
    let name = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .find(|n| n.starts_with(&format!("{index:04}-")) && n.ends_with(".json.gz"))
        .unwrap_or_else(|| panic!("no Stripe version {index} in {}", dir.display()));
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(dir.join(name)).unwrap())
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn small_spec(stage: usize) -> String {
    format!(
        "{{\"openapi\":\"3.0.3\",\"info\":{{\"title\":\"small\",\"version\":\"{stage}\"}},\"paths\":{{\"/items/{stage}\":{{\"get\":{{\"responses\":{{\"200\":{{\"description\":\"ok\"}}}}}}}}}}}}"
    )
}

fn config_text(store: &Path, base: &str) -> String {
    // Polls are triggered over the control socket. A never-polled watch polls at start
    // (the bench's first round joins those); after that, a leap-day cron keeps the
    // scheduler out of the bursts.
    // SPECWATCH_BURST_BUDGET sets `[polling] max_inflight_bytes` (default: the daemon's).
    let budget = std::env::var("SPECWATCH_BURST_BUDGET")
        .map(|b| format!("[polling]\nmax_inflight_bytes = \"{b}\"\n"))
        .unwrap_or_default();
    let mut s = format!(
        "[storage]\npath = \"{}\"\n[log]\nlevel = \"warn\"\n[reload]\nwatch_file = false\n{budget}",
        store.display()
    );
    for i in 0..BIG {
        s.push_str(&format!("[[watch]]\nname = \"big{i}\"\nurl = \"{base}/big/{i}.json\"\nschedule = \"0 0 29 2 *\"\n"));
    }
    for i in 0..SMALL {
        s.push_str(&format!("[[watch]]\nname = \"small{i}\"\nurl = \"{base}/small/{i}.json\"\nschedule = \"0 0 29 2 *\"\n"));
    }
    s
}

fn start(config: &Path, log: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_specwatch"))
        .args(["run", "--config"])
        .arg(config)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

fn wait_for(socket: &Path, daemon: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !socket.exists() {
        assert!(daemon.try_wait().unwrap().is_none(), "the daemon exited");
        assert!(Instant::now() < deadline, "no control socket after 60 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn vm_mib(pid: u32, key: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kib| kib.parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}

/// Resets the daemon's VmHWM to its current RSS (Linux: writing 5 to clear_refs).
fn reset_hwm(pid: u32) {
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
}
