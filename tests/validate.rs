//! Acceptance (core) 7: `specwatch validate`.

mod support;

use support::specwatch;

#[test]
fn example_config_is_valid() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.toml");
    let out = specwatch(&["validate", example]);
    assert!(
        out.status.success(),
        "config.example.toml is invalid:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("3 watches"));
}

#[test]
fn every_problem_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(
        &path,
        r#"[storage]
path = "/tmp/x"

[[watch]]
name = "stripe"
url = "https://stripe.example/spec.json"
colour = "red"

[[watch]]
name = "stripe"
url = "https://stripe.example/other.json"
timeout = "ten seconds"
headers = { Authorization = "Bearer ${SPECWATCH_TEST_SURELY_UNSET}" }
"#,
    )
    .unwrap();
    let out = specwatch(&["validate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let file = path.display().to_string();
    for (line, needle) in [
        (7, "unknown key `colour`"),
        (10, "duplicate watch name"),
        (12, "timeout"),
        (13, "SPECWATCH_TEST_SURELY_UNSET"),
    ] {
        let found = err
            .lines()
            .any(|l| l.contains(&format!("{file}:{line}:")) && l.contains(needle));
        assert!(found, "missing {needle:?} at line {line} in:\n{err}");
    }
    assert!(err.contains("4 problems"), "{err}");
}

#[test]
fn missing_file_is_a_clear_error() {
    let out = specwatch(&["validate", "/nonexistent/specwatch.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read the config file"));
}
