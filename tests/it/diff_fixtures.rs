//! Every fixture pair under tests/fixtures/diff/<rule-id>/ reports exactly the
//! expected rule ids (and, where `reverse` is given, exactly those in the other direction),
//! and every registered rule is covered by at least one fixture.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use specwatch::cli::diff::diff_sources;
use specwatch::cli::diff::input::DiffInput;
use specwatch::diff::rules::all_rules;

/// The contents of one expect.toml.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// Exact set of ids for base → revision.
    ids: Vec<String>,
    /// Exact set of ids for revision → base, when the pair is also checked in reverse.
    reverse: Option<Vec<String>>,
}

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

/// Fixture directories, sorted.
fn fixture_dirs() -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(fixture_root()) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// `base.yaml` (or `.json`) in `dir`.
fn side(dir: &Path, stem: &str) -> PathBuf {
    ["yaml", "yml", "json"]
        .iter()
        .map(|ext| dir.join(format!("{stem}.{ext}")))
        .find(|p| p.exists())
        .unwrap_or_else(|| dir.join(format!("{stem}.yaml")))
}

fn read_expect(dir: &Path) -> Result<Expect, String> {
    let path = dir.join("expect.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Rule ids reported for `from` → `to`.
fn ids(from: &Path, to: &Path) -> Result<BTreeSet<String>, String> {
    let report = diff_sources(
        &DiffInput::File(from.to_path_buf()),
        &DiffInput::File(to.to_path_buf()),
    )?;
    Ok(report.changes.into_iter().map(|c| c.id).collect())
}

/// Compares got vs expected; describes the difference.
fn check(
    direction: &str,
    expected: &[String],
    got: Result<BTreeSet<String>, String>,
) -> Option<String> {
    let expected: BTreeSet<String> = expected.iter().cloned().collect();
    match got {
        Err(e) => Some(format!("  {direction}: diff failed: {e}")),
        Ok(got) if got == expected => None,
        Ok(got) => Some(format!(
            "  {direction}: expected {expected:?}\n  {direction}:      got {got:?}\n  {direction}:  missing {:?}, unexpected {:?}",
            expected.difference(&got).collect::<Vec<_>>(),
            got.difference(&expected).collect::<Vec<_>>()
        )),
    }
}

#[test]
fn every_fixture_pair_reports_exactly_its_expected_ids() {
    let mut failures = Vec::new();
    let dirs = fixture_dirs();
    for dir in &dirs {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let expect = match read_expect(dir) {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!("{name}:\n  {e}"));
                continue;
            }
        };
        let (base, rev) = (side(dir, "base"), side(dir, "revision"));
        let mut problems: Vec<String> = expect
            .ids
            .iter()
            .chain(expect.reverse.iter().flatten())
            .filter(|id| specwatch::diff::rules::find(id).is_none())
            .map(|id| format!("  expect.toml lists {id:?}, which is not a registered rule"))
            .collect();
        problems.extend(check("forward", &expect.ids, ids(&base, &rev)));
        if let Some(reverse) = &expect.reverse {
            problems.extend(check("reverse", reverse, ids(&rev, &base)));
        }
        if !problems.is_empty() {
            failures.push(format!("{name}:\n{}", problems.join("\n")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixture dirs failed:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}

#[test]
fn every_registered_rule_has_a_fixture() {
    let mut covered = BTreeSet::new();
    for dir in fixture_dirs() {
        if let Ok(expect) = read_expect(&dir) {
            covered.extend(expect.ids);
            covered.extend(expect.reverse.into_iter().flatten());
        }
    }
    let missing: Vec<&str> = all_rules()
        .map(|r| r.id)
        .filter(|id| !covered.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "{} registered rules have no fixture pair under tests/fixtures/diff/ listing them:\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
}
