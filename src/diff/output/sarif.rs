//! `--format sarif`: SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps): one
//! run, the rules the results use (described from the registry), one result per change
//! with its physical location in the revision.

use indexmap::IndexMap;
use serde_json::{Value, json};

use crate::diff::output::source::{Context, headline};
use crate::diff::{Level, Report};

/// The official schema URI of SARIF 2.1.0.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// SARIF's `level` for a change's level.
fn level(l: Level) -> &'static str {
    match l {
        Level::Breaking => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    }
}

/// The report as a pretty-printed SARIF log.
pub fn render(report: &Report, cx: &Context) -> String {
    let mut rules: IndexMap<&str, Value> = IndexMap::new();
    let mut results = Vec::with_capacity(report.changes.len());
    for c in &report.changes {
        let index = match rules.get_index_of(c.id.as_str()) {
            Some(i) => i,
            None => {
                rules.insert(&c.id, rule(&c.id, c.level));
                rules.len() - 1
            }
        };
        let loc = cx.locate(c);
        let mut location = json!({
            "physicalLocation": {
                "artifactLocation": {"uri": uri(&loc.file)},
                "region": {"startLine": loc.at.line, "startColumn": loc.at.column},
            },
        });
        if let Some(op) = &c.operation {
            location["logicalLocations"] = json!([{"fullyQualifiedName": op, "kind": "function"}]);
        }
        results.push(json!({
            "ruleId": c.id,
            "ruleIndex": index,
            "level": level(c.level),
            "message": {"text": headline(c)},
            "locations": [location],
            "partialFingerprints": {"specwatch/v1": c.fingerprint},
            "properties": {"pointer": c.pointer},
        }));
    }
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "specwatch",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

/// A rule descriptor from the registry (a rule missing there still gets a minimal one).
fn rule(id: &str, used_level: Level) -> Value {
    let (description, family, default) = match crate::diff::rules::find(id) {
        Some(r) => (r.description, r.family, r.level),
        None => (id, "other", used_level),
    };
    json!({
        "id": id,
        "shortDescription": {"text": description},
        "defaultConfiguration": {"level": level(default)},
        "properties": {"tags": ["api", family]},
    })
}

/// A relative path as a URI reference: `/` kept, anything outside RFC 3986's
/// unreserved set percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::output::tests::sample;

    #[test]
    fn results_reference_registry_rules_by_index() {
        let cx = Context {
            revision: "my api.yaml".into(),
            ..Context::default()
        };
        let v: Value = serde_json::from_str(&render(&sample(), &cx)).unwrap();
        let run = &v["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 5);
        assert_eq!(rules.len(), 5);
        for r in results {
            let i = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], r["ruleId"]);
        }
        let removed = &results[0];
        assert_eq!(removed["level"], "error");
        assert_eq!(
            removed["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "my%20api.yaml"
        );
        let rule = &rules[removed["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(
            rule["shortDescription"]["text"],
            crate::diff::rules::find("request-parameter-removed")
                .unwrap()
                .description
        );
    }
}
