//! Real consecutive Stripe versions (tests/fixtures/stripe, from ../shared/corpus/stripe)
//! report the changes listed in the corpus README with sensible levels; the YAML form of a version
//! diffs like its JSON form; each pair's report is snapshot-tested.

use std::io::Read;
use std::path::Path;

use specwatch::diff::output::text;
use specwatch::diff::{Level, Report};
use specwatch::spec::LoadOptions;
use specwatch::spec::dom::{Arena, Node};

const VERSIONS: &[&str] = &[
    "0000-2021-09-24-8442a0207e",
    "0001-2021-09-29-f547550556",
    "0002-2021-10-08-c2caca4e99",
    "0003-2021-10-19-bf2fb3cb05",
    "0004-2021-11-11-21065d43b6",
    "0005-2021-11-15-b428029dca",
    "0006-2021-11-19-b87e57092d",
    "0007-2021-12-23-d70de34538",
];

fn bytes(file: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/stripe")
        .join(file);
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap())
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
}

fn document(file: &str) -> serde_json::Value {
    specwatch::spec::load(&bytes(file), file, &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .doc
}

/// Diffs through the daemon's path: documents parsed into `Value` (for the semantic hash)
/// and viewed as the normalizer's tree.
fn diff(base: &serde_json::Value, rev: &serde_json::Value) -> Report {
    let arena = Arena::new();
    let (base, rev) = (
        Node::from_value(base, &arena),
        Node::from_value(rev, &arena),
    );
    specwatch::diff::diff_documents(&base, &rev, &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// One change the corpus README says a pair must contain.
struct Expected {
    /// Index of the base version in VERSIONS (the revision is the next one).
    pair: usize,
    id: &'static str,
    /// Operation label, or None to accept any (schema-level changes show up under several).
    operation: Option<&'static str>,
    /// Text that must occur in the change's message or pointer (the name involved).
    needle: &'static str,
    /// Lowest acceptable level.
    at_least: Level,
}

const fn exp(
    pair: usize,
    id: &'static str,
    operation: Option<&'static str>,
    needle: &'static str,
    at_least: Level,
) -> Expected {
    Expected {
        pair,
        id,
        operation,
        needle,
        at_least,
    }
}

use Level::{Breaking, Info, Warning};

/// From ../shared/corpus/stripe/README.md ("What changed between the pairs") plus the enum values
/// added in each pair. oasdiff rates removing a request parameter or property as a warning
/// (the server may ignore it), so removals must be at least warnings.
const EXPECTED: &[Expected] = &[
    exp(
        0,
        "request-parameter-removed",
        Some("GET /v1/balance/history"),
        "available_on",
        Warning,
    ),
    exp(
        0,
        "request-parameter-removed",
        Some("GET /v1/balance_transactions"),
        "available_on",
        Warning,
    ),
    exp(
        0,
        "response-optional-property-added",
        None,
        "klarna_payments",
        Info,
    ),
    exp(
        1,
        "endpoint-added",
        Some("GET /v1/customers/{customer}/payment_methods"),
        "",
        Info,
    ),
    exp(
        1,
        "new-optional-request-property",
        Some("POST /v1/checkout/sessions"),
        "phone_number_collection",
        Info,
    ),
    exp(
        1,
        "response-property-enum-value-added",
        None,
        "customer_id",
        Warning,
    ),
    exp(
        1,
        "response-property-enum-value-added",
        None,
        "bbpos_wisepos_e",
        Warning,
    ),
    exp(
        2,
        "new-optional-request-property",
        Some("POST /v1/payment_methods"),
        "klarna",
        Info,
    ),
    exp(
        2,
        "response-property-enum-value-added",
        None,
        "klarna",
        Warning,
    ),
    exp(
        3,
        "endpoint-added",
        Some("POST /v1/checkout/sessions/{session}/expire"),
        "",
        Info,
    ),
    exp(
        3,
        "request-property-max-length-decreased",
        Some("POST /v1/prices"),
        "lookup_key",
        Breaking,
    ),
    exp(
        4,
        "endpoint-added",
        Some("GET /v1/shipping_rates"),
        "",
        Info,
    ),
    exp(
        4,
        "endpoint-added",
        Some("POST /v1/shipping_rates"),
        "",
        Info,
    ),
    exp(
        4,
        "request-property-removed",
        Some("POST /v1/checkout/sessions"),
        "shipping_rates",
        Warning,
    ),
    exp(
        4,
        "new-optional-request-property",
        Some("POST /v1/checkout/sessions"),
        "shipping_options",
        Info,
    ),
    exp(
        4,
        "response-required-property-added",
        Some("POST /v1/checkout/sessions"),
        "shipping_options",
        Info,
    ),
    exp(
        4,
        "response-property-enum-value-added",
        None,
        "agrobank",
        Warning,
    ),
    exp(
        5,
        "new-optional-request-property",
        Some("POST /v1/payment_intents"),
        "automatic_payment_methods",
        Info,
    ),
    exp(
        5,
        "response-property-enum-value-added",
        None,
        "jct",
        Warning,
    ),
    exp(
        6,
        "new-optional-request-property",
        Some("POST /v1/billing_portal/configurations"),
        "metadata",
        Info,
    ),
    exp(
        6,
        "response-property-enum-value-added",
        None,
        "ge_vat",
        Warning,
    ),
    exp(
        6,
        "response-property-enum-value-added",
        None,
        "ua_vat",
        Warning,
    ),
];

/// Most changes a pair may report: a change in a shared schema is reported once per operation
/// (and property path), not once per place it is reachable from — which would be millions
/// here. The largest real pair (0006 → 0007) reports ~11,000: 16 branches added to
/// `payment_intent.payment_method_options.*`, reachable from the `default` error response of
/// all 390 operations.
const MAX_CHANGES_PER_PAIR: usize = 12_000;

#[test]
fn consecutive_pairs_report_the_documented_changes_and_match_snapshots() {
    let docs: Vec<serde_json::Value> = VERSIONS
        .iter()
        .map(|v| document(&format!("{v}.json.gz")))
        .collect();
    let mut failures = Vec::new();
    for pair in 0..VERSIONS.len() - 1 {
        let report = diff(&docs[pair], &docs[pair + 1]);
        let label = format!("{} -> {}", &VERSIONS[pair][..4], &VERSIONS[pair + 1][..4]);
        if report.changes.len() > MAX_CHANGES_PER_PAIR {
            failures.push(format!(
                "{label}: {} changes, more than {MAX_CHANGES_PER_PAIR}",
                report.changes.len()
            ));
        }
        for e in EXPECTED.iter().filter(|e| e.pair == pair) {
            let found = report.changes.iter().find(|c| {
                c.id == e.id
                    && e.operation
                        .is_none_or(|op| c.operation.as_deref() == Some(op))
                    && (c.message.contains(e.needle) || c.pointer.contains(e.needle))
            });
            match found {
                None => {
                    let near: Vec<String> = report
                        .changes
                        .iter()
                        .filter(|c| {
                            c.id == e.id
                                || e.operation
                                    .is_some_and(|op| c.operation.as_deref() == Some(op))
                        })
                        .take(8)
                        .map(|c| {
                            format!(
                                "      {} {} {:?}: {}",
                                c.level.as_str(),
                                c.id,
                                c.operation,
                                c.message
                            )
                        })
                        .collect();
                    failures.push(format!(
                        "{label}: missing {} on {:?} mentioning {:?}; related changes:\n{}",
                        e.id,
                        e.operation,
                        e.needle,
                        near.join("\n")
                    ));
                }
                Some(c) if c.level < e.at_least => failures.push(format!(
                    "{label}: {} on {:?} is {}, expected at least {}",
                    e.id,
                    c.operation,
                    c.level.as_str(),
                    e.at_least.as_str()
                )),
                Some(_) => {}
            }
        }
        insta::assert_snapshot!(
            format!(
                "stripe_{}_{}",
                &VERSIONS[pair][..4],
                &VERSIONS[pair + 1][..4]
            ),
            text::render(&report, false)
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn yaml_and_json_forms_diff_identically() {
    let json6 = document(&format!("{}.json.gz", VERSIONS[6]));
    let json7 = document(&format!("{}.json.gz", VERSIONS[7]));
    let yaml6 = document(&format!("{}.yaml.gz", VERSIONS[6]));
    let yaml7 = document(&format!("{}.yaml.gz", VERSIONS[7]));
    let from_json = diff(&json6, &json7);
    assert!(!from_json.changes.is_empty());
    assert_eq!(
        diff(&yaml6, &yaml7),
        from_json,
        "YAML 0006->0007 must diff exactly like JSON 0006->0007"
    );
    for (json, yaml, v) in [(&json6, &yaml6, "0006"), (&json7, &yaml7, "0007")] {
        let r = diff(json, yaml);
        assert!(
            r.changes.is_empty(),
            "JSON vs YAML of {v} must have no changes, got {:?}",
            &r.changes[..r.changes.len().min(5)]
        );
    }
}

#[test]
fn a_version_against_itself_has_no_changes() {
    let name = format!("{}.json.gz", VERSIONS[7]);
    let doc = document(&name);
    assert_eq!(diff(&doc, &doc), Report::default());
    // Identical bytes are loaded once and the model compared with itself.
    let raw = bytes(&name);
    let once = specwatch::diff::diff_bytes(&raw, &raw, &LoadOptions::default()).unwrap();
    assert_eq!(once, Report::default());
}

#[test]
fn the_cli_path_from_bytes_reports_what_the_daemon_path_reports() {
    // `specwatch diff` parses straight into the borrowed document tree; the daemon parses
    // into `Value` first. Both must see the same changes, for JSON and for YAML.
    for (a, b, ext) in [(1, 2, "json"), (6, 7, "json"), (6, 7, "yaml")] {
        let (fa, fb) = (
            format!("{}.{ext}.gz", VERSIONS[a]),
            format!("{}.{ext}.gz", VERSIONS[b]),
        );
        let opts = LoadOptions::default();
        let from_bytes = specwatch::diff::diff_bytes(&bytes(&fa), &bytes(&fb), &opts).unwrap();
        assert!(!from_bytes.changes.is_empty());
        assert_eq!(
            from_bytes,
            diff(&document(&fa), &document(&fb)),
            "{fa} -> {fb}"
        );
    }
}
