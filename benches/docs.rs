//! Per-version artifact budgets (issue 14), on a real Stripe version (~240 paths, ~500
//! schemas): markdown docs ≤ 150 ms, HTML docs ≤ 250 ms (from the normalized model), and
//! the summary of a consecutive Stripe pair ≤ 5 ms beyond the diff. Prints a Markdown
//! table of medians. Run: `cargo bench --bench docs`.
//! Reads ../shared/corpus/stripe/*.json.gz (override with SPECWATCH_STRIPE_CORPUS=DIR).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use specwatch::diff::Report;
use specwatch::explain::{Models, docs, summarize};
use specwatch::spec::LoadOptions;
use specwatch::spec::model::Api;

/// The binary's allocator (see src/main.rs), so the figures are the daemon's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 15;
const MARKDOWN_BUDGET: Duration = Duration::from_millis(150);
const HTML_BUDGET: Duration = Duration::from_millis(250);
const SUMMARY_BUDGET: Duration = Duration::from_millis(5);

fn corpus_dir() -> PathBuf {
    std::env::var_os("SPECWATCH_STRIPE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/stripe"))
}

fn load(n: usize) -> Api {
    let dir = corpus_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".json.gz"))
        .collect();
    files.sort();
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&files[n]).unwrap())
        .read_to_end(&mut bytes)
        .unwrap();
    specwatch::spec::load_api(&bytes, "stripe", &LoadOptions::default()).unwrap()
}

fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn row(what: &str, took: Duration, budget: Duration) {
    println!(
        "| {what} | {:.1} ms | ≤ {} ms | {} |",
        took.as_secs_f64() * 1000.0,
        budget.as_millis(),
        if took <= budget { "met" } else { "MISSED" }
    );
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing to run: keep it quick.
    if !std::env::args().any(|a| a == "--bench") {
        println!("docs bench: run with `cargo bench --bench docs`");
        return;
    }
    let (base, rev) = (load(4), load(5));
    let mut md_len = 0;
    let md = median(|| md_len = docs::markdown::render(&rev).len());
    let mut html_len = 0;
    let html = median(|| html_len = docs::html::render(&rev).len());
    let report = Report::from_changes(specwatch::diff::diff_apis(&base, &rev));
    let models = Some(Models {
        base: &base,
        rev: &rev,
    });
    let mut items = 0;
    let sum = median(|| items = summarize(&report, models).items.len());
    println!(
        "| Stripe 0005 ({} operations, {} schemas) | median of {RUNS} | budget | |",
        rev.operations.len(),
        rev.components.len()
    );
    println!("|---|---|---|---|");
    row(
        &format!("markdown docs ({} KiB)", md_len / 1024),
        md,
        MARKDOWN_BUDGET,
    );
    row(
        &format!("HTML docs ({} KiB)", html_len / 1024),
        html,
        HTML_BUDGET,
    );
    row(
        &format!("summary of 0004→0005 beyond the diff ({items} items)"),
        sum,
        SUMMARY_BUDGET,
    );
}
