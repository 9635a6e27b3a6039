//! Cosmetic edits report no breaking changes — and, for these fixtures, no changes
//! at all — in both directions. Fixtures: tests/fixtures/cosmetic/<case>/{base,revision}.yaml.

use std::path::Path;

use specwatch::cli::diff::diff_sources;
use specwatch::cli::diff::input::DiffInput;
use specwatch::diff::Report;

fn diff_case(case: &str, reverse: bool) -> Report {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cosmetic")
        .join(case);
    let (mut a, mut b) = (dir.join("base.yaml"), dir.join("revision.yaml"));
    if reverse {
        std::mem::swap(&mut a, &mut b);
    }
    diff_sources(&DiffInput::File(a), &DiffInput::File(b)).unwrap_or_else(|e| panic!("{case}: {e}"))
}

/// Asserts the case has no changes either way, listing whatever was reported.
fn assert_no_changes(case: &str) {
    for reverse in [false, true] {
        let report = diff_case(case, reverse);
        let listed: Vec<String> = report
            .changes
            .iter()
            .map(|c| {
                format!(
                    "  {} {} {:?}: {}",
                    c.level.as_str(),
                    c.id,
                    c.operation,
                    c.message
                )
            })
            .collect();
        assert!(
            report.summary.breaking == 0 && report.changes.is_empty(),
            "{case} ({}) should report nothing, got:\n{}",
            if reverse {
                "revision -> base"
            } else {
                "base -> revision"
            },
            listed.join("\n")
        );
    }
}

#[test]
fn description_summary_and_example_edits() {
    assert_no_changes("descriptions");
}

#[test]
fn key_reordering() {
    assert_no_changes("key-order");
}

#[test]
fn inline_schema_to_equivalent_ref() {
    assert_no_changes("inline-to-ref");
}

#[test]
fn renamed_path_parameters() {
    assert_no_changes("path-param-rename");
}

#[test]
fn parameter_moved_between_path_and_operation_level_and_header_case() {
    assert_no_changes("param-moved");
}

#[test]
fn openapi_30_to_31_rewrite_of_the_same_api() {
    assert_no_changes("openapi-30-to-31");
}
