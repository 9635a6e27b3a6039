//! Issue 14, acceptance 1: the summary of each Stripe corpus pair names the changes the
//! corpus README lists, breaking first, one item per root cause, the renamed schema and
//! the replaced request field recognised as one item each. Snapshot per pair.

use std::fmt::Write;
use std::io::Read;
use std::path::{Path, PathBuf};

use specwatch::diff::Level;
use specwatch::explain::{ItemKind, VersionSummary, diff_and_summarize};
use specwatch::spec::LoadOptions;

fn corpus() -> PathBuf {
    std::env::var_os("SPECWATCH_SHARED_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
        .join("stripe")
}

fn version(n: usize) -> Vec<u8> {
    let dir = corpus();
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
    bytes
}

fn summary(from: usize, to: usize) -> VersionSummary {
    let load = |n: usize| {
        specwatch::spec::load_api(&version(n), &format!("stripe {n}"), &LoadOptions::default())
            .unwrap()
    };
    diff_and_summarize(load(from), load(to)).1
}

fn render(s: &VersionSummary) -> String {
    let mut out = format!("{}\n", s.headline);
    for i in &s.items {
        let _ = writeln!(out, "{:<8} {:?}: {}", i.level.as_str(), i.kind, i.text);
    }
    out
}

/// The item whose text contains every needle.
fn find<'a>(s: &'a VersionSummary, needles: &[&str]) -> &'a specwatch::explain::SummaryItem {
    s.items
        .iter()
        .find(|i| needles.iter().all(|n| i.text.contains(n)))
        .unwrap_or_else(|| panic!("no item naming {needles:?} in\n{}", render(s)))
}

fn breaking_first(s: &VersionSummary) {
    let levels: Vec<Level> = s.items.iter().map(|i| i.level).collect();
    let mut sorted = levels.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(levels, sorted, "breaking first:\n{}", render(s));
}

#[test]
fn stripe_pair_summaries_name_the_readme_changes() {
    let pairs = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7)];
    let mut all = String::new();
    for (from, to) in pairs {
        let s = summary(from, to);
        breaking_first(&s);
        let _ = writeln!(all, "## {from:04} → {to:04}\n{}", render(&s));
        match (from, to) {
            (0, 1) => {
                // One item for the parameter removed from both operations.
                let i = find(&s, &["`available_on`"]);
                assert_eq!(i.operation_count, 2, "{}", render(&s));
                find(&s, &["klarna_payments"]);
            }
            (1, 2) => {
                find(
                    &s,
                    &["new endpoint GET /v1/customers/{customer}/payment_methods"],
                );
                find(&s, &["phone_number_collection"]);
            }
            (2, 3) => {
                let i = find(
                    &s,
                    &[
                        "`account_controller`",
                        "`account_unification_account_controller`",
                    ],
                );
                assert_eq!(i.kind, ItemKind::SchemaRenamed);
                find(&s, &["klarna"]);
            }
            (3, 4) => {
                find(
                    &s,
                    &["new endpoint POST /v1/checkout/sessions/{session}/expire"],
                );
                let i = find(&s, &["`lookup_key`", "POST /v1/prices"]);
                assert_eq!(i.level, Level::Breaking);
                assert_eq!(s.items[0].level, Level::Breaking);
            }
            (4, 5) => {
                let i = find(
                    &s,
                    &["stop sending `shipping_rates`; use `shipping_options`"],
                );
                assert!(matches!(i.kind, ItemKind::Rename | ItemKind::Replaced));
                assert_eq!(i.operations, ["POST /v1/checkout/sessions"]);
                assert!(
                    !s.items
                        .iter()
                        .any(|o| o.text.contains("`shipping_options` was added")),
                    "the added field is part of the replacement item:\n{}",
                    render(&s)
                );
                let added = s.items.iter().filter(|i| i.kind == ItemKind::EndpointAdded);
                assert_eq!(added.count(), 4, "{}", render(&s));
                assert!(s.headline.contains("4 endpoints added"), "{}", s.headline);
            }
            (5, 6) => {
                find(&s, &["automatic_payment_methods"]);
            }
            (6, 7) => {
                find(&s, &["metadata"]);
            }
            _ => unreachable!(),
        }
    }
    insta::assert_snapshot!("stripe_pair_summaries", all);
}
