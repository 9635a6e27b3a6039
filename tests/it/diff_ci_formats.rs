//! `specwatch diff` CI formats (githubactions, junit, sarif, singleline, yaml), each on a
//! fixture pair (tests/fixtures/ci) and a Stripe pair (tests/fixtures/stripe, from
//! ../shared/corpus/stripe): annotations at the right lines of YAML and JSON revisions,
//! JUnit read back with an XML parser, SARIF validated against the official 2.1.0 schema.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use specwatch::cli::diff::{DiffArgs, DiffOutcome, execute};
use specwatch::diff::output::Format;
use specwatch::diff::{Level, Report};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ci")
        .join(name)
        .display()
        .to_string()
}

/// A Stripe version from tests/fixtures/stripe, unpacked into `dir`.
fn stripe(dir: &Path, file: &str) -> String {
    let gz = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/stripe")
        .join(format!("{file}.gz"));
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&gz).unwrap())
        .read_to_end(&mut bytes)
        .unwrap();
    let out: PathBuf = dir.join(file);
    std::fs::write(&out, bytes).unwrap();
    out.display().to_string()
}

fn run(base: &str, rev: &str, format: Format) -> (String, Report) {
    let out: DiffOutcome = execute(
        &DiffArgs {
            base: base.into(),
            revision: rev.into(),
            format: Some(format),
            ..DiffArgs::default()
        },
        false,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    (out.stdout, out.report.unwrap())
}

/// (level command, file, line, col, title, message) of each annotation.
fn annotations(out: &str) -> Vec<(String, String, usize, usize, String, String)> {
    out.lines()
        .map(|l| {
            let rest = l.strip_prefix("::").expect(l);
            let (command, rest) = rest.split_once(' ').unwrap();
            let (props, message) = rest.split_once("::").unwrap();
            let prop = |k: &str| {
                props
                    .split(',')
                    .find_map(|p| p.strip_prefix(&format!("{k}=")))
                    .unwrap()
                    .to_string()
            };
            (
                command.to_string(),
                prop("file"),
                prop("line").parse().unwrap(),
                prop("col").parse().unwrap(),
                prop("title"),
                message.to_string(),
            )
        })
        .collect()
}

#[test]
fn githubactions_annotations_point_at_yaml_and_json_revision_lines() {
    for rev in ["revision.yaml", "revision.json"] {
        let (out, report) = run(&fixture("base.yaml"), &fixture(rev), Format::Githubactions);
        let text = std::fs::read_to_string(fixture(rev)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let got = annotations(&out);
        assert_eq!(got.len(), report.changes.len(), "{out}");
        // What each annotation's line must hold: the parameter whose `required` changed,
        // the `schema` whose type changed, the added operation, and the path item whose
        // DELETE was removed (the nearest member the revision still has).
        // In JSON an array item starts at its `{`.
        let item = if rev.ends_with("yaml") { "limit" } else { "{" };
        let expect = [
            ("request-parameter-became-required", "error", item),
            ("request-parameter-type-changed", "error", "schema"),
            ("endpoint-added", "notice", "get"),
            ("api-removed-without-deprecation", "error", "/pets/{id}"),
        ];
        for (id, command, needle) in expect {
            let a = got
                .iter()
                .find(|a| a.4 == id)
                .unwrap_or_else(|| panic!("{id}: {out}"));
            assert_eq!(a.0, command, "{out}");
            assert_eq!(a.1, fixture(rev));
            let line = lines[a.2 - 1];
            assert!(
                line.contains(needle),
                "{rev} {id}: line {} is {line:?}",
                a.2
            );
            // The column is where the member starts: its key, or the item's first character.
            assert!(
                !line[..a.3 - 1].contains(|c: char| !c.is_whitespace() && c != '-'),
                "{rev} {id}: col {} of {line:?}",
                a.3
            );
        }
        let (yaml_lines, json_lines) = ([10, 31, 41, 24], [12, 46, 66, 38]);
        let want = if rev.ends_with("yaml") {
            yaml_lines
        } else {
            json_lines
        };
        let got_lines: Vec<usize> = expect
            .iter()
            .map(|(id, ..)| got.iter().find(|a| a.4 == *id).unwrap().2)
            .collect();
        assert_eq!(got_lines, want, "{rev}: {out}");
    }
}

#[test]
fn githubactions_on_a_stripe_yaml_pair_lands_on_the_named_members() {
    let dir = tempfile::tempdir().unwrap();
    let base = stripe(dir.path(), "0006-2021-11-19-b87e57092d.yaml");
    let rev = stripe(dir.path(), "0007-2021-12-23-d70de34538.yaml");
    let (out, report) = run(&base, &rev, Format::Githubactions);
    let got = annotations(&out);
    assert!(report.changes.len() > 10, "{out}");
    assert_eq!(got.len(), report.changes.len());
    let text = std::fs::read_to_string(&rev).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for (a, c) in got.iter().zip(&report.changes) {
        assert_eq!(a.4, c.id);
        assert!(a.2 > 1, "{} at line 1", c.pointer);
        // The line holds one of the pointer's members (the deepest the revision has).
        let line = lines[a.2 - 1];
        // The line holds one of the pointer's members (the deepest the revision has), or
        // starts an array item.
        let member = c
            .pointer
            .split('/')
            .skip(1)
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .any(|s| line.contains(&format!("{s}:")) || line.contains(&format!("'{s}':")));
        let item = line.trim_start().starts_with("- ");
        assert!(member || item, "{}: line {} is {line:?}", c.pointer, a.2);
    }
}

fn junit_counts(xml: &str) -> (usize, usize, Vec<String>) {
    let doc = roxmltree::Document::parse(xml).expect("JUnit output is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suite = root.children().find(|n| n.is_element()).unwrap();
    assert_eq!(suite.tag_name().name(), "testsuite");
    for attr in ["name", "tests", "failures", "errors", "time"] {
        assert!(suite.attribute(attr).is_some(), "testsuite lacks {attr}");
    }
    let cases: Vec<roxmltree::Node> = suite.children().filter(|n| n.is_element()).collect();
    let mut failures = 0;
    for case in &cases {
        assert_eq!(case.tag_name().name(), "testcase");
        assert!(case.attribute("name").is_some() && case.attribute("classname").is_some());
        for child in case.children().filter(|n| n.is_element()) {
            match child.tag_name().name() {
                "failure" => {
                    failures += 1;
                    assert!(
                        child.attribute("message").is_some() && child.attribute("type").is_some()
                    );
                }
                "system-out" => {}
                other => panic!("unexpected <{other}> in a testcase"),
            }
        }
    }
    assert_eq!(
        suite.attribute("tests"),
        Some(cases.len().to_string().as_str())
    );
    assert_eq!(
        suite.attribute("failures"),
        Some(failures.to_string().as_str())
    );
    assert_eq!(root.attribute("failures"), suite.attribute("failures"));
    let names = cases
        .iter()
        .map(|c| c.attribute("name").unwrap().to_string())
        .collect();
    (cases.len(), failures, names)
}

#[test]
fn junit_has_a_case_per_operation_and_a_failure_per_breaking_change() {
    let (xml, report) = run(
        &fixture("base.yaml"),
        &fixture("revision.yaml"),
        Format::Junit,
    );
    let (tests, failures, names) = junit_counts(&xml);
    assert_eq!(
        names,
        [
            "DELETE /pets/{id}",
            "GET /owners",
            "GET /pets",
            "GET /pets/{id}",
            "Document"
        ]
    );
    assert_eq!((tests, failures), (5, 3));
    assert_eq!(failures, report.summary.breaking);

    let dir = tempfile::tempdir().unwrap();
    let base = stripe(dir.path(), "0003-2021-10-19-bf2fb3cb05.json");
    let rev = stripe(dir.path(), "0004-2021-11-11-21065d43b6.json");
    let (xml, report) = run(&base, &rev, Format::Junit);
    let (tests, failures, names) = junit_counts(&xml);
    assert!(report.summary.breaking > 0);
    assert_eq!(failures, report.summary.breaking);
    // Every operation of Stripe 0004 is a test case (about 390), plus the document.
    assert!(tests > 300, "{tests}");
    assert!(names.contains(&"POST /v1/checkout/sessions".to_string()));
    assert!(names.contains(&"GET /v1/charges".to_string()));
}

fn sarif_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sarif/sarif-2.1.0-rtm.5.json");
        let text = std::fs::read_to_string(path).unwrap();
        // The `language` patterns end in `]?$`: a literal `]` in ECMAScript, which the
        // schema is written for, but an error in Rust's regex syntax (checked by the
        // meta-schema's `format: regex`). Escape it; the language is the same.
        let stray = "-[a-zA-Z]{2}]?$";
        assert_eq!(text.matches(stray).count(), 2);
        let text = text.replace(stray, "-[a-zA-Z]{2}\\\\]?$");
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        jsonschema::draft4::new(&schema).expect("the SARIF schema compiles")
    })
}

fn assert_valid_sarif(out: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(out).unwrap();
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    v
}

#[test]
fn sarif_validates_against_the_official_schema_with_locations() {
    let (out, report) = run(
        &fixture("base.yaml"),
        &fixture("revision.json"),
        Format::Sarif,
    );
    let v = assert_valid_sarif(&out);
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), report.changes.len());
    let required = results
        .iter()
        .find(|r| r["ruleId"] == "request-parameter-became-required")
        .unwrap();
    let region = &required["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(12), Some(11))
    );
    assert_eq!(required["level"], "error");

    // Not valid SARIF: the validator does reject.
    let mut broken = v.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!sarif_validator().is_valid(&broken));

    let dir = tempfile::tempdir().unwrap();
    let base = stripe(dir.path(), "0003-2021-10-19-bf2fb3cb05.json");
    let rev = stripe(dir.path(), "0004-2021-11-11-21065d43b6.json");
    let (out, report) = run(&base, &rev, Format::Sarif);
    assert!(report.summary.breaking > 0);
    let v = assert_valid_sarif(&out);
    let run0 = &v["runs"][0];
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), report.changes.len());
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    for r in results {
        let rule = &rules[r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        let line = r["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap();
        assert!(line > 1, "{r}");
    }
    let errors = results.iter().filter(|r| r["level"] == "error").count();
    assert_eq!(errors, report.summary.breaking);
}

#[test]
fn singleline_and_yaml_on_fixture_and_stripe_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let pairs = [
        (fixture("base.yaml"), fixture("revision.yaml")),
        (
            stripe(dir.path(), "0003-2021-10-19-bf2fb3cb05.json"),
            stripe(dir.path(), "0004-2021-11-11-21065d43b6.json"),
        ),
    ];
    for (base, rev) in &pairs {
        let (out, report) = run(base, rev, Format::Singleline);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), report.changes.len());
        for (line, c) in lines.iter().zip(&report.changes) {
            let head = format!("{} [{}] ", c.level.as_str(), c.id);
            assert!(line.starts_with(&head), "{line}");
            assert!(line.ends_with(&c.message), "{line}");
        }
        let breaking = lines.iter().filter(|l| l.starts_with("breaking ")).count();
        assert_eq!(breaking, report.summary.breaking);

        let (out, report) = run(base, rev, Format::Yaml);
        let back: Report = serde_saphyr::from_str(&out).unwrap();
        assert_eq!(back, report);
    }
    let (_, report) = run(&pairs[0].0, &pairs[0].1, Format::Yaml);
    assert_eq!(report.summary.breaking, 3);
    assert!(report.changes.iter().any(|c| c.level == Level::Info));
}
