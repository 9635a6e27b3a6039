//! Every distinct breaking root cause over all consecutive pairs of
//! the 71 real Stripe versions (`../shared/corpus/stripe-history/`, then
//! `../shared/corpus/stripe/`), snapshot-tested. Each entry was judged against the two
//! versions by reading them; the judgement is in docs/rules.md ("Stripe history").
//! A change here is a verdict change: read both versions before accepting it.

use std::fmt::Write;
use std::io::Read;
use std::path::{Path, PathBuf};

use specwatch::diff::Level;
use specwatch::spec::LoadOptions;

/// The corpus directories, in history order: `../shared/corpus` beside the repository
/// (override with SPECWATCH_SHARED_CORPUS=DIR).
fn corpus() -> Vec<PathBuf> {
    let shared = std::env::var_os("SPECWATCH_SHARED_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    ["stripe-history", "stripe"]
        .iter()
        .map(|d| shared.join(d))
        .collect()
}

/// The `.json.gz` versions of `dir`, oldest first.
fn versions(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".json.gz"))
        .collect();
    files.sort();
    files
}

fn gunzip(path: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
}

/// `0003-2021-…` → `0003`.
fn short(path: &Path) -> String {
    let name = path.file_name().unwrap().to_string_lossy();
    name[..4].to_string()
}

/// The breaking root causes of one pair, one line each.
fn causes(dir: &str, base: &Path, rev: &Path) -> String {
    let report = specwatch::diff::diff_bytes(&gunzip(base), &gunzip(rev), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{} → {}: {e}", base.display(), rev.display()));
    let mut out = String::new();
    for g in report.groups.iter().filter(|g| g.level == Level::Breaking) {
        let _ = writeln!(
            out,
            "{dir} {}→{}  {}  {}  ({} operation{})",
            short(base),
            short(rev),
            g.id,
            g.pointer,
            g.operation_count,
            if g.operation_count == 1 { "" } else { "s" }
        );
    }
    out
}

#[test]
fn every_breaking_root_cause_of_the_stripe_history() {
    // The 71 versions in history order: `stripe/` continues `stripe-history/`.
    let mut all_versions = Vec::new();
    for dir in corpus() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let files = versions(&dir);
        assert!(files.len() >= 8, "{}: too few versions", dir.display());
        all_versions.extend(files.into_iter().map(|f| (name.clone(), f)));
    }
    assert_eq!(all_versions.len(), 71);
    let pairs: Vec<(String, PathBuf, PathBuf)> = all_versions
        .windows(2)
        .map(|w| {
            (
                format!("{}/{}", w[0].0, w[1].0),
                w[0].1.clone(),
                w[1].1.clone(),
            )
        })
        .collect();
    // Two workers: the pairs are independent.
    let half = pairs.len() / 2;
    let (first, second) = pairs.split_at(half);
    let run = |chunk: &[(String, PathBuf, PathBuf)]| -> Vec<String> {
        chunk
            .iter()
            .map(|(dir, base, rev)| causes(dir, base, rev))
            .collect()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| run(first));
        let b = run(second);
        (a.join().unwrap(), b)
    });
    let all: String = a.into_iter().chain(b).collect();
    assert_eq!(pairs.len(), 70);
    insta::assert_snapshot!("stripe_breaking_root_causes", all);
}
