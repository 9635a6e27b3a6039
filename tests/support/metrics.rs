//! `/metrics` through a real parser: Python's `prometheus_client` OpenMetrics parser
//! (installed by `.ci/test`).

use std::io::Write;
use std::process::{Command, Stdio};

/// Python's prometheus_client OpenMetrics parser: returns {sample name+labels: value}.
pub fn parse_metrics(text: &str) -> Vec<(String, String, f64)> {
    let script = r#"
import sys, json
from prometheus_client.openmetrics.parser import text_string_to_metric_families
out = []
for fam in text_string_to_metric_families(sys.stdin.read()):
    for s in fam.samples:
        out.append([s.name, json.dumps(s.labels, sort_keys=True), s.value])
print(json.dumps(out))
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 (the test setup installs prometheus-client)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "/metrics does not parse as OpenMetrics: {}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Vec<(String, String, f64)> = serde_json::from_slice(&out.stdout).unwrap();
    v
}

/// The sum of the samples named `name` whose labels (as sorted JSON) contain `label_part`.
pub fn sample(samples: &[(String, String, f64)], name: &str, label_part: &str) -> f64 {
    samples
        .iter()
        .filter(|(n, l, _)| n == name && l.contains(label_part))
        .map(|(_, _, v)| v)
        .sum()
}
