//! `--format json`: the stable machine contract
//! `{"changes":[{"id","level","operation","pointer","message","fingerprint"}],
//! "groups":[{"id","level","pointer","message","operations","operation_count"}],
//! "summary":{"breaking","warning","info","root_causes":{"breaking","warning","info"}}}`.
//! `changes` is oasdiff's per-operation list; `groups` has one entry per root cause.

use crate::diff::Report;

/// Pretty-printed JSON with a trailing newline.
pub fn render(report: &Report) -> String {
    // Report holds only strings, enums and counts, so serialization cannot fail.
    let mut out =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::output::tests::sample;

    #[test]
    fn json_has_exactly_the_contract_fields() {
        let v: serde_json::Value = serde_json::from_str(&render(&sample())).unwrap();
        let keys = |v: &serde_json::Value| -> Vec<String> {
            v.as_object().unwrap().keys().cloned().collect()
        };
        assert_eq!(keys(&v), ["changes", "groups", "summary"]);
        assert_eq!(
            keys(&v["summary"]),
            ["breaking", "warning", "info", "root_causes"]
        );
        assert_eq!(
            keys(&v["summary"]["root_causes"]),
            ["breaking", "warning", "info"]
        );
        assert_eq!(
            keys(&v["groups"][0]),
            [
                "id",
                "level",
                "pointer",
                "message",
                "operations",
                "operation_count"
            ]
        );
        assert_eq!(v["groups"][0]["operations"][0], "GET /b");
        assert_eq!(v["summary"]["breaking"], 2);
        let first = &v["changes"][0];
        assert_eq!(
            keys(first),
            [
                "id",
                "level",
                "operation",
                "pointer",
                "message",
                "fingerprint"
            ]
        );
        assert_eq!(first["level"], "breaking");
        let doc = v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "api-tag-removed")
            .unwrap();
        assert!(doc["operation"].is_null());
    }
}
