//! `specwatch diff` end to end (in-process): exit codes 0/1, every output format, the
//! severity and ignore files, and BASE/REVISION given as URLs on a loopback HTTP server.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use specwatch::cli::diff::{DiffArgs, DiffOutcome, EXIT_FAIL_ON, EXIT_OK, FailOn, execute};
use specwatch::diff::output::Format;

const BASE: &str = "openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200': {description: ok}
  /owners:
    get:
      responses:
        '200': {description: ok}
";

const REVISION: &str = "openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200': {description: ok}
    post:
      responses:
        '201': {description: created}
";

struct Fixture {
    _dir: tempfile::TempDir,
    base: PathBuf,
    rev: PathBuf,
    dir: PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.yaml");
    let rev = dir.path().join("revision.yaml");
    std::fs::write(&base, BASE).unwrap();
    std::fs::write(&rev, REVISION).unwrap();
    Fixture {
        dir: dir.path().to_path_buf(),
        _dir: dir,
        base,
        rev,
    }
}

fn args(base: &Path, rev: &Path, format: Format) -> DiffArgs {
    DiffArgs {
        base: base.display().to_string(),
        revision: rev.display().to_string(),
        format: Some(format),
        ..DiffArgs::default()
    }
}

fn ids(out: &DiffOutcome) -> Vec<(String, String)> {
    out.report
        .as_ref()
        .unwrap()
        .changes
        .iter()
        .map(|c| (c.id.clone(), c.level.as_str().to_string()))
        .collect()
}

#[test]
fn json_contract_and_exit_codes() {
    let f = fixture();
    let mut a = args(&f.base, &f.rev, Format::Json);
    let out = execute(&a, false);
    assert_eq!(out.code, EXIT_OK, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let changes = v["changes"].as_array().unwrap();
    let removed = changes
        .iter()
        .find(|c| c["id"] == "api-path-removed-without-deprecation")
        .expect("path removal reported");
    assert_eq!(removed["level"], "breaking");
    assert_eq!(removed["operation"], "GET /owners");
    assert!(removed["pointer"].as_str().unwrap().starts_with("/paths/"));
    assert_eq!(removed["fingerprint"].as_str().unwrap().len(), 32);
    assert!(changes.iter().any(|c| c["id"] == "endpoint-added"
        && c["operation"] == "POST /pets"
        && c["level"] == "info"));
    assert!(v["summary"]["breaking"].as_u64().unwrap() >= 1);

    a.fail_on = Some(FailOn::Breaking);
    assert_eq!(execute(&a, false).code, EXIT_FAIL_ON);
    // Reverse direction: only an added GET /owners and a removed POST /pets.
    let mut same = args(&f.base, &f.base, Format::Json);
    same.fail_on = Some(FailOn::Info);
    assert_eq!(execute(&same, false).code, EXIT_OK);
}

#[test]
fn severity_file_downgrades_and_ignore_file_suppresses() {
    let f = fixture();
    let sev = f.dir.join("severity.toml");
    std::fs::write(
        &sev,
        "api-path-removed-without-deprecation = \"warning\"\nendpoint-added = none\n",
    )
    .unwrap();
    let mut a = args(&f.base, &f.rev, Format::Json);
    a.severity = Some(sev);
    a.fail_on = Some(FailOn::Breaking);
    let out = execute(&a, false);
    assert_eq!(
        out.code, EXIT_OK,
        "downgraded to warning, so --fail-on breaking passes: {}",
        out.stdout
    );
    let got = ids(&out);
    assert!(
        got.contains(&(
            "api-path-removed-without-deprecation".into(),
            "warning".into()
        )),
        "{got:?}"
    );
    assert!(!got.iter().any(|(id, _)| id == "endpoint-added"), "{got:?}");
    a.fail_on = Some(FailOn::Warning);
    assert_eq!(execute(&a, false).code, EXIT_FAIL_ON);

    let ign = f.dir.join("ignore.txt");
    std::fs::write(
        &ign,
        "# accepted\nGET /owners api-path-removed-without-deprecation\n",
    )
    .unwrap();
    let mut a = args(&f.base, &f.rev, Format::Json);
    a.ignore = Some(ign);
    a.fail_on = Some(FailOn::Breaking);
    let out = execute(&a, false);
    assert!(
        !ids(&out)
            .iter()
            .any(|(id, _)| id == "api-path-removed-without-deprecation")
    );
    assert_eq!(out.code, EXIT_OK);
}

#[test]
fn text_markdown_and_html_formats() {
    let f = fixture();
    let text = execute(&args(&f.base, &f.rev, Format::Text), false).stdout;
    // One entry per root cause, breaking first, each with the operations it reaches.
    assert!(text.starts_with("breaking "), "{text}");
    assert!(text.contains("\n         in GET /owners"), "{text}");
    assert!(!text.contains('\x1b'));
    let colored = execute(&args(&f.base, &f.rev, Format::Text), true).stdout;
    assert!(colored.contains("\x1b[1;31m"));
    let md = execute(&args(&f.base, &f.rev, Format::Markdown), false).stdout;
    assert!(
        md.starts_with("# API changes")
            && md.contains("- **breaking** ")
            && md.contains("`GET /owners`"),
        "{md}"
    );
    let html = execute(&args(&f.base, &f.rev, Format::Html), false).stdout;
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("in <code>GET /owners</code>"),
        "{html}"
    );
}

/// Serves `body` for every request on loopback (until the test process exits).
fn serve(body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for mut s in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\ncontent-type: application/yaml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}/spec.yaml")
}

#[test]
fn urls_as_inputs() {
    let f = fixture();
    let mut a = args(&f.base, &f.rev, Format::Json);
    a.base = serve(BASE);
    let out = execute(&a, false);
    assert_eq!(out.code, EXIT_OK, "{}", out.stderr);
    assert!(
        ids(&out)
            .iter()
            .any(|(id, _)| id == "api-path-removed-without-deprecation")
    );
}

#[test]
fn identical_specs_next_to_different_referenced_files_are_still_diffed() {
    // The same bytes load to the same model only with the same directory for relative
    // `$ref`s: here the two copies point at different `pet.yaml`s.
    let spec = "openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: 'pet.yaml'}
      responses:
        '200': {description: ok}
";
    let root = tempfile::tempdir().unwrap();
    let side = |name: &str, pet: &str| {
        let dir = root.path().join(name);
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("openapi.yaml"), spec).unwrap();
        std::fs::write(dir.join("pet.yaml"), pet).unwrap();
        dir.join("openapi.yaml")
    };
    let base = side("a", "type: object\nproperties: {name: {type: string}}\n");
    let rev = side(
        "b",
        "type: object\nrequired: [name]\nproperties: {name: {type: string}}\n",
    );
    let out = execute(&args(&base, &rev, Format::Json), false);
    assert_eq!(out.code, EXIT_OK, "{}", out.stderr);
    assert_eq!(
        ids(&out),
        [(
            "request-property-became-required".to_string(),
            "breaking".to_string()
        )]
    );
    // The same file on both sides: loaded once, every rule run, nothing changed.
    let same = execute(&args(&base, &base, Format::Json), false);
    assert_eq!(same.code, EXIT_OK, "{}", same.stderr);
    assert_eq!(ids(&same), []);
}
