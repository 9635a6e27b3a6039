//! Store budget benchmark: the 8 consecutive Stripe versions of the shared corpus.
//!
//! Budgets (issue 2): stored in ≤ 2 % of their raw size; reading any version ≤ 20 ms.
//! Run: `cargo bench --bench store` (corpus dir overridable with SPECWATCH_STRIPE_CORPUS).

mod support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use specwatch::store::{Store, StoreOptions};
use support::store::version_commit;

/// Reads of each version, to get a stable median.
const READS_PER_VERSION: usize = 7;

fn corpus_dir() -> PathBuf {
    std::env::var_os("SPECWATCH_STRIPE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/stripe"))
}

fn load_corpus(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read corpus {}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".json.gz"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let mut raw = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&p).expect("open corpus file"))
                .read_to_end(&mut raw)
                .expect("gunzip corpus file");
            (p.file_name().unwrap().to_string_lossy().into_owned(), raw)
        })
        .collect()
}

/// On-CPU time of this thread (Linux schedstat), so reads can be judged apart from
/// how busy the shared machine is; None elsewhere.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// What one run over the corpus measured.
struct Summary {
    level: i32,
    total_raw: u64,
    frames: u64,
    file: u64,
    compacted: u64,
    commit_median: Duration,
    commit_max: Duration,
    read_median: Duration,
    read_max: Duration,
    read_cpu_median: Option<Duration>,
    read_cpu_max: Option<Duration>,
}

/// Size of a store file that holds nothing yet (redb's fixed overhead).
fn empty_store_size() -> u64 {
    let tmp = tempfile::tempdir().expect("temp dir");
    let store = Store::open(tmp.path()).expect("open store");
    let path = store.path().to_path_buf();
    drop(store);
    std::fs::metadata(&path).expect("stat").len()
}

/// File size after redb's compaction (what a maintenance `compact` would give).
fn compacted_size(path: &Path) -> u64 {
    let mut db = redb::Builder::new()
        .set_concurrency_mode(redb::ConcurrencyMode::SingleWriter)
        .open(path)
        .expect("reopen for compaction");
    while db.compact().expect("compact") {}
    drop(db);
    std::fs::metadata(path).expect("stat").len()
}

fn run(corpus: &[(String, Vec<u8>)], level: i32, verbose: bool) -> Summary {
    let tmp = tempfile::tempdir().expect("temp dir");
    let opts = StoreOptions {
        zstd_level: level,
        ..StoreOptions::default()
    };
    let store = Store::open_with(tmp.path(), opts).expect("open store");
    if verbose {
        println!(
            "{:<4} {:<36} {:>10} {:>9} {:>6} {:>10}",
            "ver", "file", "raw B", "frame B", "kind", "commit ms"
        );
    }
    let mut total_raw = 0u64;
    let mut commit_times = Vec::new();
    for (i, (name, raw)) in corpus.iter().enumerate() {
        total_raw += raw.len() as u64;
        let t = Instant::now();
        let n = store
            .commit_poll(
                "stripe",
                version_commit(i as i64, raw.clone(), "stripe corpus"),
            )
            .expect("commit")
            .expect("new version");
        let took = t.elapsed();
        commit_times.push(took);
        let meta = store.version_meta("stripe", n).unwrap().unwrap();
        let kind = if n == 1 { "full" } else { "delta" };
        if verbose {
            println!(
                "{n:<4} {name:<36} {:>10} {:>9} {kind:>6} {:>10.1}",
                meta.raw_size,
                meta.stored_size,
                ms(took)
            );
        }
    }
    let frames: u64 = store
        .versions("stripe")
        .unwrap()
        .iter()
        .map(|m| m.stored_size)
        .sum();
    let path = store.path().to_path_buf();
    drop(store);
    let file = std::fs::metadata(&path).expect("stat store file").len();

    // Read back from a fresh read-only handle (empty redb cache), checking every byte.
    let store = Store::open_read_only(tmp.path()).expect("reopen");
    let mut all_reads = Vec::new();
    let mut all_cpu = Vec::new();
    for (i, (_, raw)) in corpus.iter().enumerate() {
        let n = i as u64 + 1;
        let mut times = Vec::new();
        let mut cpu = Vec::new();
        for _ in 0..READS_PER_VERSION {
            let c = thread_cpu();
            let t = Instant::now();
            let got = store
                .version_bytes("stripe", n)
                .expect("read")
                .expect("present");
            times.push(t.elapsed());
            if let (Some(c0), Some(c1)) = (c, thread_cpu()) {
                cpu.push(c1 - c0);
            }
            assert!(got == *raw, "version {n} read back differs");
        }
        if verbose {
            println!(
                "  read v{n}: wall median {:.2} ms, max {:.2} ms; on-CPU median {:.2} ms",
                ms(median(times.clone())),
                ms(*times.iter().max().unwrap()),
                if cpu.is_empty() {
                    f64::NAN
                } else {
                    ms(median(cpu.clone()))
                }
            );
        }
        all_reads.extend(times);
        all_cpu.extend(cpu);
    }
    drop(store);
    Summary {
        level,
        total_raw,
        frames,
        file,
        compacted: compacted_size(&path),
        commit_median: median(commit_times.clone()),
        commit_max: *commit_times.iter().max().unwrap(),
        read_median: median(all_reads.clone()),
        read_max: *all_reads.iter().max().unwrap(),
        read_cpu_median: (!all_cpu.is_empty()).then(|| median(all_cpu.clone())),
        read_cpu_max: all_cpu.iter().max().copied(),
    }
}

fn report(s: &Summary, empty: u64) {
    let pct = |x: u64| x as f64 * 100.0 / s.total_raw as f64;
    let verdict = |ok: bool| if ok { "PASS" } else { "FAIL" };
    println!("zstd level {}:", s.level);
    println!("  total raw size          {:>10} B", s.total_raw);
    println!(
        "  sum of stored frames    {:>10} B  ({:.3} % of raw)",
        s.frames,
        pct(s.frames)
    );
    let growth = s.file.saturating_sub(empty);
    println!(
        "  redb file size          {:>10} B  ({:.3} % of raw; an empty store file is already {empty} B)",
        s.file,
        pct(s.file),
    );
    println!(
        "  file growth over empty  {:>10} B  ({:.3} % of raw)",
        growth,
        pct(growth)
    );
    println!(
        "  redb file, compacted    {:>10} B  ({:.3} % of raw)",
        s.compacted,
        pct(s.compacted)
    );
    let stored = s.frames.max(growth);
    println!(
        "  size budget (frames / file growth <= 2 % of raw): {:.3} % {}",
        pct(stored),
        verdict(pct(stored) <= 2.0)
    );
    println!(
        "  commit latency          median {:.1} ms, max {:.1} ms",
        ms(s.commit_median),
        ms(s.commit_max)
    );
    println!(
        "  read latency            median {:.2} ms, max {:.2} ms (budget <= 20 ms: {})",
        ms(s.read_median),
        ms(s.read_max),
        verdict(s.read_max <= Duration::from_millis(20))
    );
    if let (Some(med), Some(max)) = (s.read_cpu_median, s.read_cpu_max) {
        println!(
            "  read on-CPU time        median {:.2} ms, max {:.2} ms (budget <= 20 ms: {})",
            ms(med),
            ms(max),
            verdict(max <= Duration::from_millis(20))
        );
    }
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --all-targets` runs this binary without it.
    if !std::env::args().any(|a| a == "--bench") {
        println!("store bench: run with `cargo bench --bench store`");
        return;
    }
    let dir = corpus_dir();
    let corpus = load_corpus(&dir);
    assert!(!corpus.is_empty(), "no *.json.gz in {}", dir.display());
    let empty = empty_store_size();
    let default_level = StoreOptions::default().zstd_level;
    println!(
        "store bench: {} Stripe versions from {}, {READS_PER_VERSION} verified reads per version",
        corpus.len(),
        dir.display()
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average at start: {}", load.trim());
    report(&run(&corpus, default_level, true), empty);
    // Optional sweep, e.g. SPECWATCH_BENCH_LEVELS=3,9,15 (justifies the default level).
    if let Ok(levels) = std::env::var("SPECWATCH_BENCH_LEVELS") {
        for level in levels.split(',').filter_map(|l| l.trim().parse().ok()) {
            report(&run(&corpus, level, false), empty);
        }
    }
}
