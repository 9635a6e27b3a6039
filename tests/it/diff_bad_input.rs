//! `specwatch diff` on bad inputs gives exit code 2 and a precise message (file, line:col, reason),
//! never a panic. Drives `specwatch diff` in-process through `cli::diff::execute`.

use std::path::{Path, PathBuf};

use specwatch::cli::diff::{DiffArgs, EXIT_BAD_INPUT, execute};
use specwatch::diff::output::Format;

const GOOD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200': {description: ok}\n";

fn write(dir: &Path, name: &str, body: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

fn args(base: &Path, rev: &Path) -> DiffArgs {
    DiffArgs {
        base: base.display().to_string(),
        revision: rev.display().to_string(),
        format: Some(Format::Json),
        ..DiffArgs::default()
    }
}

/// Diffs a good base against `bad` (and `bad` against the base); both must exit 2 with
/// stderr naming the bad file and containing each of `needles`. Returns the message.
fn assert_bad(name: &str, bad: &[u8], needles: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.yaml", GOOD.as_bytes());
    let bad = write(dir.path(), name, bad);
    let mut message = String::new();
    for (a, b) in [(&good, &bad), (&bad, &good)] {
        let out = execute(&args(a, b), false);
        assert_eq!(
            out.code, EXIT_BAD_INPUT,
            "{name}: expected exit 2, stderr: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{name}: nothing on stdout on error");
        let shown = bad.display().to_string();
        assert!(
            out.stderr.contains(&shown),
            "{name}: message must name the file: {}",
            out.stderr
        );
        for n in needles {
            assert!(
                out.stderr.contains(n),
                "{name}: message must contain {n:?}: {}",
                out.stderr
            );
        }
        message = out.stderr;
    }
    message
}

/// `file:LINE:COL:` appears in the message.
fn has_line_col(message: &str, file: &str, line: u64) -> bool {
    message.contains(&format!("{file}:{line}:"))
}

#[test]
fn invalid_json_names_line_and_column() {
    let m = assert_bad(
        "bad.json",
        b"{\n  \"openapi\": \"3.0.0\",\n  \"info\": ,\n}",
        &["invalid JSON"],
    );
    assert!(has_line_col(&m, "bad.json", 3), "{m}");
}

#[test]
fn invalid_yaml_names_line_and_column() {
    let m = assert_bad(
        "bad.yaml",
        b"openapi: 3.0.0\ninfo:\n  title: t\n   version: [1\npaths: {}\n",
        &["invalid YAML"],
    );
    assert!(
        m.contains("bad.yaml:4:") || m.contains("bad.yaml:5:"),
        "{m}"
    );
}

#[test]
fn non_openapi_document() {
    assert_bad(
        "package.json",
        br#"{"name": "left-pad", "version": "1.0.0"}"#,
        &["not an OpenAPI document"],
    );
    assert_bad("list.yaml", b"- a\n- b\n", &["not an object"]);
}

#[test]
fn unresolvable_ref() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n";
    assert_bad(
        "dangling.yaml",
        doc.as_bytes(),
        &["unresolvable $ref '#/components/schemas/Missing'"],
    );
}

#[test]
fn cyclic_ref_chain() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/A'}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n";
    assert_bad(
        "cycle.yaml",
        doc.as_bytes(),
        &["cyclic $ref chain", "#/components/schemas/A"],
    );
}

#[test]
fn ten_thousand_deep_nesting_json_and_yaml() {
    let depth = 10_000;
    let json = format!(
        "{{\"openapi\":\"3.0.0\",\"x\":{}1{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let m = assert_bad("deep.json", json.as_bytes(), &["nesting is deeper than"]);
    assert!(has_line_col(&m, "deep.json", 1), "{m}");
    let yaml = format!(
        "openapi: 3.0.0\nx: {}1{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert_bad("deep.yaml", yaml.as_bytes(), &["nesting is deeper than"]);
    let mut block = String::from("openapi: 3.0.0\nx:\n");
    for i in 1..depth {
        block.push_str(&" ".repeat(i));
        block.push_str("- \n");
    }
    assert_bad(
        "deep-block.yaml",
        block.as_bytes(),
        &["nesting is deeper than"],
    );
}

#[test]
fn billion_laughs_yaml() {
    let mut doc = String::from(
        "openapi: 3.0.0\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        doc.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            [prev.as_str(); 10].join(", ")
        ));
    }
    let m = assert_bad(
        "lol.yaml",
        doc.as_bytes(),
        &["safety budget", "billion laughs"],
    );
    assert!(m.contains("lol.yaml:"), "{m}");
}

#[test]
fn hundred_megabyte_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.yaml", GOOD.as_bytes());
    let big = dir.path().join("big.json");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
        f.write_all(b"{\"openapi\":\"3.0.0\",\"x\":\"").unwrap();
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..100 {
            f.write_all(&chunk).unwrap();
        }
        f.write_all(b"\"}").unwrap();
    }
    let out = execute(&args(&good, &big), false);
    assert_eq!(out.code, EXIT_BAD_INPUT, "{}", out.stderr);
    assert!(
        out.stderr.contains(&big.display().to_string()) && out.stderr.contains("limit"),
        "{}",
        out.stderr
    );
}

#[test]
fn missing_file_and_two_stdins() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.yaml", GOOD.as_bytes());
    let missing = dir.path().join("nope.yaml");
    let out = execute(&args(&good, &missing), false);
    assert_eq!(out.code, EXIT_BAD_INPUT);
    assert!(
        out.stderr
            .contains(&format!("{}: cannot read", missing.display())),
        "{}",
        out.stderr
    );
    let mut a = args(&good, &good);
    a.base = "-".into();
    a.revision = "-".into();
    let out = execute(&a, false);
    assert_eq!(out.code, EXIT_BAD_INPUT);
    assert!(
        out.stderr.contains("only one of BASE and REVISION"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_filter_files_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.yaml", GOOD.as_bytes());
    let sev = write(
        dir.path(),
        "sev.toml",
        b"# overrides\nno-such-rule = \"info\"\n",
    );
    let mut a = args(&good, &good);
    a.severity = Some(sev.clone());
    let out = execute(&a, false);
    assert_eq!(out.code, EXIT_BAD_INPUT);
    assert!(
        out.stderr
            .contains(&format!("{}:2: unknown rule id", sev.display())),
        "{}",
        out.stderr
    );
    let ign = write(dir.path(), "ignore.txt", b"GET pets\n");
    let mut a = args(&good, &good);
    a.ignore = Some(ign.clone());
    let out = execute(&a, false);
    assert_eq!(out.code, EXIT_BAD_INPUT);
    assert!(
        out.stderr.contains(&format!("{}:1:", ign.display())),
        "{}",
        out.stderr
    );
}
