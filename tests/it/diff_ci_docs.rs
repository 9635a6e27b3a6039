//! The snippets of docs/ci.md that can run locally, run as written: the plain shell step,
//! the git diff driver setup and the `.specwatch-diff.toml` example (each marked with
//! `<!-- test: NAME -->` above its code block), in a temporary git repository with the
//! real binary on PATH.

use std::path::Path;
use std::process::{Command, Output};

fn doc_snippet(name: &str) -> String {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci.md")).unwrap();
    let marker = format!("<!-- test: {name} -->");
    let after = &doc[doc.find(&marker).unwrap_or_else(|| panic!("no {marker}")) + marker.len()..];
    let start = after.find("```").unwrap();
    let body = &after[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    body[..body.find("```").unwrap()].to_string()
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ci")
        .join(name)
}

/// PATH with the built `specwatch` first.
fn path_with_specwatch() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_specwatch"));
    format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn sh(dir: &Path, program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("PATH", path_with_specwatch())
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = sh(dir, "git", args);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A repository whose `origin/main` has the base fixture as `openapi.yaml` and whose
/// work tree has the revision (a pull request's checkout).
fn pull_request() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    std::fs::copy(fixture("base.yaml"), d.join("openapi.yaml")).unwrap();
    git(d, &["add", "openapi.yaml"]);
    git(d, &["commit", "-q", "-m", "base"]);
    git(d, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    std::fs::copy(fixture("revision.yaml"), d.join("openapi.yaml")).unwrap();
    dir
}

#[test]
fn the_shell_step_fails_on_breaking_changes_and_passes_without() {
    let dir = pull_request();
    let d = dir.path();
    std::fs::write(d.join("check.sh"), doc_snippet("shell")).unwrap();
    let out = sh(d, "sh", &["check.sh"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("breaking [request-parameter-became-required] GET /pets: "),
        "{stdout}"
    );
    assert!(
        stderr.contains("specwatch: breaking changes against origin/main"),
        "{stderr}"
    );

    // Once main has the revision, the same step passes.
    git(d, &["commit", "-q", "-am", "revision"]);
    git(d, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    let out = sh(d, "sh", &["check.sh"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("specwatch: no breaking changes against origin/main"),
        "{stdout}"
    );

    // An unreadable spec is exit 2, passed through.
    std::fs::write(d.join("openapi.yaml"), "openapi: [broken\n").unwrap();
    let out = sh(d, "sh", &["check.sh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("openapi.yaml:"));
}

#[test]
fn the_git_driver_lines_make_git_diff_semantic() {
    let dir = pull_request();
    let d = dir.path();
    let setup = doc_snippet("git-driver");
    let out = sh(d, "sh", &["-c", &setup]);
    assert!(out.status.success(), "{setup}");
    let diff = git(d, &["diff", "--", "openapi.yaml"]);
    assert!(
        diff.starts_with("specwatch diff a/openapi.yaml b/openapi.yaml\n"),
        "{diff}"
    );
    assert!(
        diff.contains("the query request parameter 'limit' became required"),
        "{diff}"
    );
    let plain = git(d, &["diff", "--no-ext-diff", "--", "openapi.yaml"]);
    assert!(plain.contains("+          required: true"), "{plain}");
}

#[test]
fn the_config_example_is_read_as_documented() {
    let dir = pull_request();
    let d = dir.path();
    std::fs::write(d.join(".specwatch-diff.toml"), doc_snippet("config")).unwrap();
    let out = sh(
        d,
        env!("CARGO_BIN_EXE_specwatch"),
        &["diff", "git:origin/main:openapi.yaml", "openapi.yaml"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    // format = "githubactions", fail_on = "breaking".
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout
            .lines()
            .all(|l| l.starts_with("::error ") || l.starts_with("::notice ")),
        "{stdout}"
    );
    // filter_extension = "x-internal": the removed internal DELETE is not reported.
    assert!(!stdout.contains("DELETE"), "{stdout}");
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
}

/// The `specwatch diff` commands of a CI YAML snippet (step `run`s, `script` items).
fn specwatch_commands(yaml: &str) -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) if s.trim_start().starts_with("specwatch diff") => {
                out.push(s.trim().to_string())
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(m) => m.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let v: serde_json::Value = serde_saphyr::from_str(yaml).unwrap();
    let mut out = Vec::new();
    walk(&v, &mut out);
    out
}

#[test]
fn the_github_and_gitlab_commands_run_and_write_their_reports() {
    let dir = pull_request();
    let d = dir.path();
    let github = specwatch_commands(&doc_snippet("github"));
    assert_eq!(github.len(), 2, "{github:?}");
    // What Actions substitutes before the shell sees the command.
    let github: Vec<String> = github
        .iter()
        .map(|c| c.replace("${{ github.base_ref }}", "main"))
        .collect();
    let out = sh(d, "sh", &["-c", &github[0]]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "::error file=openapi.yaml,line=10,col=11,title=request-parameter-became-required::"
        ),
        "{stdout}"
    );
    let out = sh(d, "sh", &["-c", &github[1]]);
    assert_eq!(out.status.code(), Some(0));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("specwatch.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 4);

    let gitlab = specwatch_commands(&doc_snippet("gitlab"));
    assert_eq!(gitlab.len(), 1, "{gitlab:?}");
    let out = Command::new("sh")
        .args(["-c", &gitlab[0]])
        .current_dir(d)
        .env("PATH", path_with_specwatch())
        .env("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let xml = std::fs::read_to_string(d.join("specwatch-junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let failures = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert_eq!(failures, 3);
}
