//! Engine tests: cosmetic no-ops and a real Stripe pair. Every rule's fixture pairs are
//! checked from the one rule list by `tests/it/diff_fixtures.rs`.

use std::collections::BTreeSet;

use crate::diff::{Level, diff_documents};
use crate::spec::load::{LoadOptions, parse_tree};

fn ids(base: &[u8], rev: &[u8]) -> BTreeSet<String> {
    let opts = LoadOptions::default();
    let arena = crate::spec::dom::Arena::new();
    let b = parse_tree(base, &arena, "base", &opts).unwrap();
    let r = parse_tree(rev, &arena, "revision", &opts).unwrap();
    let report = diff_documents(&b, &r, &opts).unwrap();
    report.changes.into_iter().map(|c| c.id).collect()
}

#[test]
fn renaming_a_path_parameter_and_moving_it_to_path_level_is_no_change() {
    let base = br#"
openapi: 3.0.0
info: {title: t, version: "1"}
paths:
  /pets/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: X-Req, in: header, schema: {type: string}}
      responses: {"200": {description: ok}}
"#;
    let rev = br#"
openapi: 3.0.0
info: {title: t, version: "1"}
paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
    get:
      parameters:
        - {name: x-req, in: header, schema: {type: string}}
      responses: {"200": {description: ok}}
"#;
    assert_eq!(ids(base, rev), BTreeSet::new());
}

#[test]
fn stripe_removed_query_parameter_is_reported_once_per_operation() {
    let read = |p: &str| crate::spec::load::tests::gunzip(p);
    let base = read("tests/fixtures/stripe/0000-2021-09-24-8442a0207e.json.gz");
    let rev = read("tests/fixtures/stripe/0001-2021-09-29-f547550556.json.gz");
    let opts = LoadOptions::default();
    let arena = crate::spec::dom::Arena::new();
    let b = parse_tree(&base, &arena, "0000", &opts).unwrap();
    let r = parse_tree(&rev, &arena, "0001", &opts).unwrap();
    let report = diff_documents(&b, &r, &opts).unwrap();
    let removed: Vec<&str> = report
        .changes
        .iter()
        .filter(|c| c.id == "request-parameter-removed")
        .map(|c| c.operation.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        removed,
        vec!["GET /v1/balance/history", "GET /v1/balance_transactions"],
        "{:#?}",
        report.changes
    );
    assert!(
        report
            .changes
            .iter()
            .all(|c| c.level != Level::Breaking || c.id.starts_with("request-")),
        "{:#?}",
        report
            .changes
            .iter()
            .filter(|c| c.level == Level::Breaking)
            .collect::<Vec<_>>()
    );
    // The same document against itself: nothing.
    assert!(diff_documents(&b, &b, &opts).unwrap().changes.is_empty());
}
