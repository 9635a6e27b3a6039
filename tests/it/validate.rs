//! `specwatch validate`: a valid config passes; each kind of mistake is reported with its
//! file, line and key, and a non-zero exit.

use crate::support;

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

/// Writes `body` to a config file in a temp dir; returns both (the dir must outlive the file).
fn config_file(body: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, body).unwrap();
    (dir, path)
}

#[test]
fn accepts_config_flag_like_every_other_command() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.toml");
    for args in [
        ["validate", "--config", example],
        ["validate", "-c", example],
    ] {
        let out = specwatch(&args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("3 watches"));
    }
    let out = specwatch(&["validate", "--config", "/nonexistent/specwatch.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/specwatch.toml"));
}

#[test]
fn out_of_range_values_are_errors_with_file_line_key_and_range() {
    let (_dir, path) = config_file(
        r#"[[watch]]
name = "a"
url = "https://a.example/spec.json"
max_spec_size = -5
timeout = "0s"

[[watch]]
name = "b"
url = "https://b.example/spec.json"
timeout = "99999999999999999999999s"
connect_timeout = "99999999999999999999999d"
"#,
    );
    let out = specwatch(&["validate", path.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    // Not a panic (101): a validation failure listing each value.
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let file = path.display().to_string();
    for (line, key, range) in [
        (4, "watch[0].max_spec_size", "allowed: 1KiB to 1GiB"),
        (5, "watch[0].timeout", "allowed: 100ms to 1h"),
        (10, "watch[1].timeout", "36500d"),
        (11, "watch[1].connect_timeout", "36500d"),
    ] {
        let found = err.lines().any(|l| {
            l.contains(&format!("{file}:{line}:")) && l.contains(key) && l.contains(range)
        });
        assert!(
            found,
            "missing {key} at line {line} with {range:?} in:\n{err}"
        );
    }
    assert!(err.contains("4 problems"), "{err}");
}

#[test]
fn values_from_the_environment_never_appear_in_errors() {
    let secret = "zq-validate-secret-4711";
    let (_dir, path) = config_file(
        r#"[log]
format = "${SW_TEST_SECRET}"

[defaults]
timezone = "${SW_TEST_SECRET}"

[[sink]]
name = "mail"
type = "email"
smtp = "smtp://127.0.0.1:25?tls=none"
from = "${SW_TEST_SECRET}"
to = "ops@example.com"
"#,
    );
    let out = std::process::Command::new(support::bin())
        .args(["validate", path.to_str().unwrap()])
        .env("SW_TEST_SECRET", secret)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains(secret), "{all}");
    for key in ["log.format", "defaults", "sink[0].from"] {
        assert!(
            all.lines()
                .any(|l| l.contains(key) && l.contains("${SW_TEST_SECRET}")),
            "{key} not reported as ${{SW_TEST_SECRET}}:\n{all}"
        );
    }
}
