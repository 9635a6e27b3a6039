//! Diff engine budgets (issue 3): end-to-end diff of consecutive Stripe versions from bytes
//! (parse both, normalize, diff) ≤ 40 ms median; a spec against itself ≤ 25 ms. Prints a
//! Markdown table and the peak RSS. Run: `cargo bench --bench diff`.
//! Reads ../shared/corpus/stripe/*.json.gz (override with SPECWATCH_STRIPE_CORPUS=DIR).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use specwatch::spec::LoadOptions;

/// The binary's allocator (see src/main.rs), so the figures are the CLI's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Timed runs per measurement (the median is reported).
const RUNS: usize = 15;
const PAIR_BUDGET: Duration = Duration::from_millis(40);
const SELF_BUDGET: Duration = Duration::from_millis(25);

fn corpus_dir() -> PathBuf {
    std::env::var_os("SPECWATCH_STRIPE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/stripe"))
}

fn gunzip(path: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    out
}

/// End to end from bytes: parse both, normalize, diff. Returns the number of changes.
fn diff_bytes(base: &[u8], rev: &[u8]) -> usize {
    specwatch::diff::diff_bytes(base, rev, &LoadOptions::default())
        .expect("diff succeeds")
        .changes
        .len()
}

fn median(mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut changes = f(); // warm-up, also the result reported
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            changes = std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[RUNS / 2], changes)
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing to run: keep it quick.
    if !std::env::args().any(|a| a == "--bench") {
        println!("diff bench: run with `cargo bench --bench diff`");
        return;
    }
    let dir = corpus_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".json.gz"))
        .collect();
    files.sort();
    let versions: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy()[..4].to_string(),
                gunzip(p),
            )
        })
        .collect();

    println!(
        "| diff (end to end from bytes, median of {RUNS}) | changes | median ms | budget ms |"
    );
    println!("|---|---:|---:|---:|");
    let mut over = Vec::new();
    for w in versions.windows(2) {
        let (t, n) = median(|| diff_bytes(&w[0].1, &w[1].1));
        println!(
            "| {} → {} | {n} | {} | {} |",
            w[0].0,
            w[1].0,
            ms(t),
            ms(PAIR_BUDGET)
        );
        if t > PAIR_BUDGET {
            over.push(format!("{} → {}", w[0].0, w[1].0));
        }
    }
    let (last, bytes) = versions.last().expect("corpus has versions");
    let (t, n) = median(|| diff_bytes(bytes, bytes));
    println!(
        "| {last} → itself (from bytes: identical input, loaded once) | {n} | {} | {} |",
        ms(t),
        ms(SELF_BUDGET)
    );
    if t > SELF_BUDGET {
        over.push(format!("{last} → itself"));
    }
    let opts = LoadOptions::default();
    let arena = specwatch::spec::dom::Arena::new();
    let doc = specwatch::spec::parse_tree(bytes, &arena, "self", &opts).expect("loads");
    let (t, n) = median(|| {
        specwatch::diff::diff_documents(&doc, &doc, &opts)
            .expect("diff")
            .changes
            .len()
    });
    println!(
        "| {last} → itself (parsed once, normalized twice + diff) | {n} | {} | {} |",
        ms(t),
        ms(SELF_BUDGET)
    );
    let (t, _) = median(|| {
        let arena = specwatch::spec::dom::Arena::new();
        specwatch::spec::parse_tree(bytes, &arena, "parse", &opts)
            .map(|d| d.as_object().map_or(0, |o| o.len()))
            .unwrap_or(0)
    });
    println!(
        "| parse one version, document tree (reference) | – | {} | – |",
        ms(t)
    );
    let (t, _) = median(|| {
        specwatch::spec::parse_document(bytes, "parse")
            .map(|d| d.as_object().map_or(0, |o| o.len()))
            .unwrap_or(0)
    });
    println!(
        "| parse one version, serde_json::Value (reference) | – | {} | – |",
        ms(t)
    );
    let (t, _) = median(|| {
        specwatch::spec::normalize(&doc, &opts)
            .map(|api| api.schemas.len())
            .unwrap_or(0)
    });
    println!("| normalize one version (reference) | – | {} | – |", ms(t));
    let (base, rev) = (&versions[versions.len() - 2].1, bytes);
    let (b, r) = (
        specwatch::spec::load_api(base, "base", &opts).expect("loads"),
        specwatch::spec::load_api(rev, "revision", &opts).expect("loads"),
    );
    let (t, n) = median(|| specwatch::diff::diff_apis(&b, &r).len());
    println!(
        "| last pair, rule engine only (normalized) | {n} | {} | – |",
        ms(t)
    );
    // Built only for `--format githubactions|sarif`, after the diff: this is their extra cost.
    let report = specwatch::diff::diff_bytes(base, rev, &opts).expect("diff succeeds");
    let text = String::from_utf8_lossy(rev);
    let (t, n) = median(|| {
        let pointers = report.changes.iter().map(|c| c.pointer.as_str());
        let map = specwatch::spec::positions::LineMap::build(&text, pointers);
        report
            .changes
            .iter()
            .filter(|c| map.get(&c.pointer).is_some())
            .count()
    });
    println!(
        "| last pair, revision line map for the report's pointers (githubactions, sarif only; reference) | {n} | {} | – |",
        ms(t)
    );
    match peak_rss_kib() {
        Some(kib) => println!("\npeak RSS (VmHWM): {:.1} MiB", kib as f64 / 1024.0),
        None => println!("\npeak RSS: unavailable (no /proc/self/status)"),
    }
    if !over.is_empty() {
        println!("OVER BUDGET: {}", over.join(", "));
    }
}
