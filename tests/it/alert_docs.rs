//! `docs/alerts.md` stays true: its example payload is a valid `AlertPayload`, its
//! Python verifier accepts what the webhook sink signs, and its `[[sink]]` examples
//! load and build.

use crate::support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use serde_json::Value;
use specwatch::config::alerts::SinkKind;
use specwatch::notification::AlertPayload;
use specwatch::sinks::email::EmailSink;
use specwatch::sinks::webhook::{WebhookSink, sign};

fn doc() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/alerts.md")).unwrap()
}

/// The fenced code blocks of `lang` in the doc.
fn blocks(lang: &str) -> Vec<String> {
    let text = doc();
    let fence = format!("```{lang}\n");
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find(&fence) {
        let body = &rest[i + fence.len()..];
        let end = body.find("\n```").expect("closed fence");
        out.push(body[..end + 1].to_string());
        rest = &body[end..];
    }
    out
}

#[test]
fn the_example_payload_is_a_valid_alert_payload() {
    let examples = blocks("json");
    assert_eq!(examples.len(), 1);
    let value: Value = serde_json::from_str(&examples[0]).unwrap();
    support::alert_schema::validate(&value).unwrap();
    let parsed: AlertPayload = serde_json::from_value(value.clone()).unwrap();
    // Serializing it back gives the same document: no unknown, missing or mistyped field.
    assert_eq!(serde_json::to_value(&parsed).unwrap(), value);
    assert!(parsed.events.len() >= 2);
}

/// Runs the doc's Python verifier; true when it accepts.
fn python_verifies(secret: &str, header: &str, body: &[u8]) -> bool {
    let code = &blocks("python")[0];
    let driver = format!(
        "{code}\nimport sys\nbody = sys.stdin.buffer.read()\nprint(verify_specwatch_signature(sys.argv[1].encode(), sys.argv[2], body))\n"
    );
    let mut child = Command::new("python3")
        .args(["-c", &driver, secret, header])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run python3");
    child.stdin.take().unwrap().write_all(body).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    match String::from_utf8_lossy(&out.stdout).trim() {
        "True" => true,
        "False" => false,
        other => panic!("unexpected output {other:?}"),
    }
}

#[test]
fn the_documented_python_verifier_accepts_our_signature_and_rejects_replays() {
    let body = serde_json::to_vec(&support::payload::sample()).unwrap();
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let secret = "whsec_docs_example";
    assert!(python_verifies(
        secret,
        &sign(secret.as_bytes(), now, &body),
        &body
    ));
    assert!(!python_verifies(
        "another",
        &sign(secret.as_bytes(), now, &body),
        &body
    ));
    let mut tampered = body.clone();
    tampered.push(b' ');
    assert!(!python_verifies(
        secret,
        &sign(secret.as_bytes(), now, &body),
        &tampered
    ));
    let old = sign(secret.as_bytes(), now - 301, &body);
    assert!(!python_verifies(secret, &old, &body), "older than 300 s");
}

#[test]
fn the_sink_examples_load_and_build() {
    let examples = blocks("toml");
    assert_eq!(examples.len(), 2, "one [[sink]] example per type");
    let mut kinds = Vec::new();
    for sink_toml in examples {
        let text = format!(
            "[[watch]]\nname = \"stripe\"\nurl = \"https://api.example.com/openapi.json\"\n\n{sink_toml}"
        );
        let cfg = specwatch::config::parse(&text, Path::new("/etc/specwatch/config.toml"), &|_| {
            Some("value-from-env".to_string())
        })
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
        let sinks = &cfg.alerting.sinks;
        assert_eq!(sinks.len(), 1);
        let s = &sinks[0];
        match &s.kind {
            SinkKind::Webhook(w) => {
                assert!(w.secret.is_some() && !w.headers.is_empty());
                WebhookSink::new(&s.name, w, s.timeout).unwrap();
            }
            SinkKind::Email(m) => {
                assert_eq!((m.port, m.to.len()), (587, 2));
                assert!(m.username.is_some() && m.password.is_some());
                assert_eq!(s.timeout, Duration::from_secs(30));
                EmailSink::new(&s.name, m, s.timeout).unwrap();
            }
            SinkKind::Plugin(_) => panic!("no plugin example here"),
        }
        kinds.push(s.kind.type_name());
    }
    assert_eq!(kinds, ["webhook", "email"]);
}
