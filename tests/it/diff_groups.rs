//! One change in a shared component reached from many operations
//! is one root cause — in the JSON groups and summary, in the text / markdown / HTML
//! outputs, in the alert title and summary, and in the history table — while the
//! per-operation `changes` list keeps one record per operation.

use crate::support;

use std::sync::{Arc, Mutex};

use specwatch::alerts::notify::{Draft, build};
use specwatch::diff::output::{html, markdown, text};
use specwatch::diff::{Level, Report};
use specwatch::notification::{AlertStatus, WatchRef};
use specwatch::spec::LoadOptions;
use support::{Env, Reply, Server, config_for};

/// Operations that all return the shared `customer` component.
const OPERATIONS: usize = 40;

/// A spec whose `OPERATIONS` GET operations return `customer`; in `changed`, its
/// `subscriptions` became nullable and one operation lost its query parameter.
fn spec(changed: bool) -> String {
    let mut paths = String::new();
    for i in 0..OPERATIONS {
        let param = if i == 7 && changed {
            String::new()
        } else {
            "      parameters:\n      - name: expand\n        in: query\n        schema:\n          type: string\n".to_string()
        };
        paths.push_str(&format!(
            "  /v1/r{i:02}:\n    get:\n{param}      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/customer'\n"
        ));
    }
    let nullable = if changed {
        "\n          nullable: true"
    } else {
        ""
    };
    format!(
        "openapi: 3.0.3\ninfo:\n  title: Shared\n  version: '1'\npaths:\n{paths}components:\n  schemas:\n    customer:\n      type: object\n      required: [id, subscriptions]\n      properties:\n        id:\n          type: string\n        subscriptions:\n          type: array\n          items:\n            type: string{nullable}\n"
    )
}

fn report() -> Report {
    specwatch::diff::diff_bytes(
        spec(false).as_bytes(),
        spec(true).as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap()
}

#[test]
fn a_shared_component_change_is_one_group_with_every_operation() {
    let r = report();
    let nullable: Vec<_> = r
        .changes
        .iter()
        .filter(|c| c.id == "response-property-became-nullable")
        .collect();
    assert_eq!(nullable.len(), OPERATIONS, "one record per operation");
    assert_eq!(r.summary.breaking, OPERATIONS);
    let breaking: Vec<_> = r
        .groups
        .iter()
        .filter(|g| g.level == Level::Breaking)
        .collect();
    assert_eq!(breaking.len(), 1, "{:#?}", r.groups);
    let g = breaking[0];
    assert_eq!(g.id, "response-property-became-nullable");
    assert_eq!(
        g.pointer,
        "/components/schemas/customer/properties/subscriptions"
    );
    assert_eq!(g.operation_count, OPERATIONS);
    assert_eq!(g.operations[0], "GET /v1/r00");
    assert_eq!(r.summary.root_causes.breaking, 1);
    // The removed parameter is a warning of its own.
    assert_eq!(r.summary.root_causes.warning, 1);
    let json: serde_json::Value =
        serde_json::from_str(&specwatch::diff::output::json::render(&r)).unwrap();
    assert_eq!(json["groups"][0]["operation_count"], OPERATIONS);
    assert_eq!(json["summary"]["root_causes"]["breaking"], 1);
    assert_eq!(json["changes"].as_array().unwrap().len(), OPERATIONS + 1);
}

#[test]
fn human_outputs_show_one_entry_per_root_cause_with_operations_collapsed() {
    let r = report();
    let more = format!("and {} more", OPERATIONS - 1);
    let t = text::render(&r, false);
    assert_eq!(t.matches("became nullable").count(), 1, "{t}");
    assert!(t.contains(&format!("in GET /v1/r00 {more}")), "{t}");
    assert!(
        t.find("breaking").unwrap() < t.find("warning").unwrap(),
        "{t}"
    );
    assert!(t.contains("2 root causes (1 breaking, 1 warning, 0 info) in 41 changes"));
    let md = markdown::render(&r);
    assert_eq!(md.matches("became nullable").count(), 1, "{md}");
    assert!(md.contains(&format!("— `GET /v1/r00` {more}")), "{md}");
    let h = html::render(&r);
    assert_eq!(h.matches("became nullable").count(), 1, "{h}");
    assert!(
        h.contains(&format!("in <code>GET /v1/r00</code> {more}")),
        "{h}"
    );
}

#[test]
fn alert_titles_and_summaries_count_root_causes() {
    let r = report();
    let event = specwatch::alerts::events::changes::from_report("shared", &r, 1, 2, 0).unwrap();
    assert_eq!(event.root_causes.breaking, 1);
    assert_eq!(event.groups[0].operation_count, OPERATIONS);
    let watch = WatchRef {
        name: "shared".into(),
        ..WatchRef::default()
    };
    let p = build(Draft {
        route: "r",
        watch: &watch,
        events: vec![event],
        status: AlertStatus::Firing,
        repeat: false,
        public_url: None,
        now: 0,
    });
    assert!(
        p.title.starts_with("shared v2: 1 breaking change (")
            && p.title.contains("became nullable")
            && p.title.ends_with(&format!(") in {OPERATIONS} operations")),
        "{}",
        p.title
    );
    assert!(
        p.summary.starts_with(&format!(
            "v1 → v2: 1 breaking, 1 warning, 0 info changes in {OPERATIONS} operations"
        )),
        "{}",
        p.summary
    );
}

#[test]
fn history_shows_root_causes_beside_records() {
    let body = Arc::new(Mutex::new(spec(false)));
    let b = body.clone();
    let server = Server::start(move |_| Reply::ok(b.lock().unwrap().clone()));
    let store = tempfile::tempdir().unwrap();
    let env = Env::new(&config_for(
        store.path(),
        &[("shared", &server.url("/spec.yaml"))],
        "",
    ));
    assert!(env.run(&["poll", "shared"]).status.success());
    *body.lock().unwrap() = spec(true);
    assert!(env.run(&["poll", "shared"]).status.success());
    let h = env.history_json("shared");
    let counts = &h["versions"][1]["change_counts"];
    assert_eq!(counts["breaking"], OPERATIONS);
    assert_eq!(counts["root_causes"]["breaking"], 1);
    let out = env.run(&["history", "shared"]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("causes b/w/i") && table.contains("changes b/w/i"),
        "{table}"
    );
    let row = table
        .lines()
        .find(|l| l.trim_start().starts_with("2 "))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        row.contains("1/1/0") && row.contains(&format!("{OPERATIONS}/1/0")),
        "{row}"
    );
}
