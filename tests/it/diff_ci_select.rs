//! `specwatch diff` for CI, what is compared and where it comes from: path filters,
//! prefixes, the extension filter and composed mode on fixtures (tests/fixtures/ci);
//! `git:REF:PATH`, `.specwatch-diff.toml` and the git diff driver through the real binary
//! in temporary git repositories.

use std::path::Path;
use std::process::{Command, Output};

use specwatch::cli::diff::{DiffArgs, EXIT_BAD_INPUT, EXIT_FAIL_ON, EXIT_OK, execute};
use specwatch::diff::output::Format;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ci")
        .join(name)
        .display()
        .to_string()
}

/// `LEVEL [id] OPERATION` of each change (singleline output without the message).
fn changes(args: DiffArgs) -> Vec<String> {
    let out = execute(
        &DiffArgs {
            format: Some(Format::Singleline),
            ..args
        },
        false,
    );
    assert_eq!(out.code, EXIT_OK, "{}", out.stderr);
    out.stdout
        .lines()
        .map(|l| l.split_once(": ").map_or(l, |(head, _)| head).to_string())
        .collect()
}

fn pair(base: &str, rev: &str) -> DiffArgs {
    DiffArgs {
        base: fixture(base),
        revision: fixture(rev),
        ..DiffArgs::default()
    }
}

#[test]
fn match_and_unmatch_path_select_operations() {
    let all = changes(pair("base.yaml", "revision.yaml"));
    assert_eq!(all.len(), 4, "{all:?}");
    let only_list = changes(DiffArgs {
        match_path: Some("^/pets$".into()),
        ..pair("base.yaml", "revision.yaml")
    });
    assert_eq!(
        only_list,
        ["breaking [request-parameter-became-required] GET /pets"]
    );
    let no_items = changes(DiffArgs {
        unmatch_path: Some(r"\{id\}".into()),
        ..pair("base.yaml", "revision.yaml")
    });
    assert_eq!(
        no_items,
        [
            "breaking [request-parameter-became-required] GET /pets",
            "info [endpoint-added] GET /owners"
        ]
    );
    let bad = execute(
        &DiffArgs {
            match_path: Some("(".into()),
            ..pair("base.yaml", "revision.yaml")
        },
        false,
    );
    assert_eq!(bad.code, EXIT_BAD_INPUT);
    assert!(
        bad.stderr
            .contains("--match-path \"(\": invalid regular expression"),
        "{}",
        bad.stderr
    );
}

#[test]
fn prefixes_line_up_specs_served_under_different_base_paths() {
    let moved = changes(pair("prefix/base.yaml", "prefix/revision.yaml"));
    assert_eq!(
        moved
            .iter()
            .filter(|c| c.contains("removed-without-deprecation"))
            .count(),
        3,
        "without a prefix rewrite every operation moved: {moved:?}"
    );
    let expected = [
        "breaking [api-removed-without-deprecation] DELETE /v1/pets/{id}",
        "breaking [request-parameter-became-required] GET /v1/pets",
        "breaking [request-parameter-type-changed] GET /v1/pets/{id}",
        "info [endpoint-added] GET /v1/owners",
    ];
    let stripped = changes(DiffArgs {
        strip_prefix_base: Some("/api".into()),
        ..pair("prefix/base.yaml", "prefix/revision.yaml")
    });
    assert_eq!(stripped, expected);
    // The same alignment the other way round: prefix the revision instead.
    let prefixed = changes(DiffArgs {
        prefix_revision: Some("/api".into()),
        ..pair("prefix/base.yaml", "prefix/revision.yaml")
    });
    let with_api: Vec<String> = expected
        .iter()
        .map(|c| c.replace(" /v1", " /api/v1"))
        .collect();
    assert_eq!(prefixed, with_api);
    // Both stripped to the same root.
    let both = changes(DiffArgs {
        strip_prefix_base: Some("/api/v1".into()),
        strip_prefix_revision: Some("/v1".into()),
        ..pair("prefix/base.yaml", "prefix/revision.yaml")
    });
    assert_eq!(
        both[1],
        "breaking [request-parameter-became-required] GET /pets"
    );
}

#[test]
fn filter_extension_leaves_out_marked_operations() {
    // DELETE /pets/{id} is `x-internal: true` in the base and gone from the revision.
    let filtered = changes(DiffArgs {
        filter_extension: Some("x-internal".into()),
        ..pair("base.yaml", "revision.yaml")
    });
    assert_eq!(filtered.len(), 3, "{filtered:?}");
    assert!(
        !filtered.iter().any(|c| c.contains("DELETE")),
        "{filtered:?}"
    );
    let other_value = changes(DiffArgs {
        filter_extension: Some("x-internal=false".into()),
        ..pair("base.yaml", "revision.yaml")
    });
    assert_eq!(other_value.len(), 4);
    let bad = execute(
        &DiffArgs {
            filter_extension: Some("internal".into()),
            ..pair("base.yaml", "revision.yaml")
        },
        false,
    );
    assert_eq!(bad.code, EXIT_BAD_INPUT);
    assert!(
        bad.stderr.contains("expected `x-name` or `x-name=value`"),
        "{}",
        bad.stderr
    );
}

#[test]
fn composed_merges_directories_and_globs_and_names_duplicate_files() {
    let expected = [
        "breaking [api-removed-without-deprecation] DELETE /owners/{id}",
        "breaking [request-parameter-became-required] GET /pets",
        "info [endpoint-added] POST /owners",
    ];
    let dirs = DiffArgs {
        composed: true,
        ..pair("composed/base", "composed/revision")
    };
    assert_eq!(changes(dirs.clone()), expected);
    let glob = DiffArgs {
        revision: format!("{}/**/*.yaml", fixture("composed/revision")),
        ..dirs.clone()
    };
    assert_eq!(changes(glob), expected);

    // Annotations name the file each change is in.
    let out = execute(
        &DiffArgs {
            format: Some(Format::Githubactions),
            ..dirs.clone()
        },
        false,
    );
    let pets = fixture("composed/revision/pets.yaml");
    assert!(
        out.stdout.contains(&format!(
            "::error file={pets},line=7,col=11,title=request-parameter-became-required::"
        )),
        "{}",
        out.stdout
    );
    let owners = fixture("composed/revision/owners/openapi.yaml");
    assert!(
        out.stdout.contains(&format!(
            "::notice file={owners},line=9,col=5,title=endpoint-added::"
        )),
        "{}",
        out.stdout
    );

    let dup = execute(
        &DiffArgs {
            composed: true,
            ..pair("composed/base", "composed/dup")
        },
        false,
    );
    assert_eq!(dup.code, EXIT_BAD_INPUT);
    assert_eq!(
        dup.stderr,
        format!(
            "error: --composed: duplicate operation GET /pets: defined in both {} and {}\n",
            fixture("composed/dup/a.yaml"),
            fixture("composed/dup/b.yaml")
        )
    );
}

// ---- the real binary, in temporary git repositories ----

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_specwatch")
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A repository whose `main` commit has the base fixture as `openapi.yaml` and whose
/// work tree has the revision.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    std::fs::copy(fixture("base.yaml"), d.join("openapi.yaml")).unwrap();
    git(d, &["add", "openapi.yaml"]);
    git(d, &["commit", "-q", "-m", "base"]);
    std::fs::copy(fixture("revision.yaml"), d.join("openapi.yaml")).unwrap();
    dir
}

fn specwatch(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn git_ref_path_reads_the_committed_version() {
    let dir = repo();
    let d = dir.path();
    let out = specwatch(
        d,
        &[
            "diff",
            "git:main:openapi.yaml",
            "openapi.yaml",
            "--fail-on",
            "breaking",
            "--format",
            "singleline",
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(EXIT_FAIL_ON),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    assert!(
        stdout.contains("breaking [request-parameter-became-required] GET /pets:"),
        "{stdout}"
    );
    // Committed against committed: no changes.
    let same = specwatch(
        d,
        &[
            "diff",
            "git:HEAD:openapi.yaml",
            "git:main:./openapi.yaml",
            "--fail-on",
            "info",
        ],
    );
    assert_eq!(same.status.code(), Some(EXIT_OK));
    // A missing ref or path is a clear error, exit 2.
    let bad = specwatch(d, &["diff", "git:nope:openapi.yaml", "openapi.yaml"]);
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(EXIT_BAD_INPUT), "{stderr}");
    assert!(
        stderr.starts_with("error: git:nope:openapi.yaml: git show nope:openapi.yaml failed: "),
        "{stderr}"
    );
}

#[test]
fn config_file_in_the_working_directory_or_given_by_flag() {
    let dir = repo();
    let d = dir.path();
    std::fs::write(
        d.join(".specwatch-diff.toml"),
        "format = \"singleline\"\nfail_on = \"breaking\"\nunmatch_path = \"\\\\{id\\\\}\"\nignore = [\"GET /pets request-parameter-became-required\"]\n\n[severity]\nendpoint-added = \"warning\"\n",
    )
    .unwrap();
    let out = specwatch(d, &["diff", "git:main:openapi.yaml", "openapi.yaml"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout,
        "warning [endpoint-added] GET /owners: endpoint added\n"
    );
    assert_eq!(out.status.code(), Some(EXIT_OK));
    // Flags win over the file.
    let out = specwatch(
        d,
        &[
            "diff",
            "git:main:openapi.yaml",
            "openapi.yaml",
            "--format",
            "json",
            "--fail-on",
            "warning",
        ],
    );
    assert_eq!(out.status.code(), Some(EXIT_FAIL_ON));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["warning"], 1);

    // `--config` names another file; its problems come with file:line:col.
    std::fs::write(
        d.join("ci.toml"),
        "format = \"singleline\"\n\n[severity]\nendpoint-added = \"loud\"\n",
    )
    .unwrap();
    let out = specwatch(
        d,
        &[
            "diff",
            "--config",
            "ci.toml",
            "git:main:openapi.yaml",
            "openapi.yaml",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(EXIT_BAD_INPUT), "{stderr}");
    assert!(
        stderr.contains("ci.toml:4:18: severity.endpoint-added: unknown level \"loud\""),
        "{stderr}"
    );
}

#[test]
fn git_driver_shows_semantic_changes_in_git_diff() {
    let dir = repo();
    let d = dir.path();
    std::fs::write(d.join(".gitattributes"), "openapi.yaml diff=specwatch\n").unwrap();
    git(
        d,
        &[
            "config",
            "diff.specwatch.command",
            &format!("{} diff --git-driver", bin()),
        ],
    );
    let out = git(d, &["diff"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("specwatch diff a/openapi.yaml b/openapi.yaml\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("the query request parameter 'limit' became required"),
        "{stdout}"
    );
    assert!(stdout.contains("endpoint added"), "{stdout}");
    assert!(
        !stdout.contains("@@"),
        "a semantic diff, not a text diff: {stdout}"
    );

    // A revision that is not a spec falls back to git's text diff.
    std::fs::write(d.join("openapi.yaml"), "openapi: [broken\n").unwrap();
    let out = git(d, &["diff"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("not diffed semantically: "), "{stdout}");
    assert!(stdout.contains("+openapi: [broken"), "{stdout}");
}
