//! `--format yaml`: the JSON contract (`--format json`) as YAML.

use crate::diff::Report;

/// The report as a YAML document.
pub fn render(report: &Report) -> String {
    // Report holds only strings, enums and counts, so serialization cannot fail.
    serde_saphyr::to_string(report).unwrap_or_else(|e| format!("error: {e}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::output::tests::sample;

    #[test]
    fn yaml_reads_back_as_the_json_contract() {
        let report = sample();
        let back: serde_json::Value = serde_saphyr::from_str(&render(&report)).unwrap();
        assert_eq!(back, serde_json::to_value(&report).unwrap());
    }
}
