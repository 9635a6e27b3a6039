//! `docs/alert.schema.json` and `AlertPayload` agree: a realistic payload validates,
//! broken ones do not, and every field the payload serializes is described.

use crate::support;

use serde_json::{Value, json};
use specwatch::notification::{AlertPayload, EventKind};
use support::alert_schema::{schema, undescribed, validate, verify_signature};
use support::payload::{resolved, sample};

fn sample_json() -> Value {
    serde_json::to_value(sample()).unwrap()
}

#[test]
fn a_realistic_payload_validates() {
    validate(&sample_json()).unwrap();
    validate(&serde_json::to_value(resolved()).unwrap()).unwrap();
}

#[test]
fn the_sample_round_trips_through_json() {
    let text = serde_json::to_string(&sample()).unwrap();
    let back: AlertPayload = serde_json::from_str(&text).unwrap();
    assert_eq!(back, sample());
}

#[test]
fn a_minimal_payload_without_optional_fields_validates() {
    let mut p = sample();
    p.watch.provider = None;
    p.watch.product = None;
    p.watch.labels.clear();
    p.links = Default::default();
    p.events.truncate(1);
    p.events[0].versions = None;
    p.events[0].changes.clear();
    validate(&serde_json::to_value(&p).unwrap()).unwrap();
}

#[test]
fn missing_required_fields_fail() {
    for pointer in [
        "/schema",
        "/idempotency_key",
        "/fingerprint",
        "/status",
        "/watch/name",
        "/watch/labels",
        "/events",
        "/events/0/kind",
        "/events/0/counts/breaking",
        "/events/0/changes/0/message",
    ] {
        let mut v = sample_json();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let removed = v
            .pointer_mut(if parent.is_empty() { "" } else { parent })
            .and_then(Value::as_object_mut)
            .and_then(|o| o.remove(key));
        assert!(removed.is_some(), "{pointer} is in the sample");
        let err = validate(&v).expect_err(pointer);
        assert!(err.contains(key), "{pointer}: {err}");
    }
}

#[test]
fn wrong_enum_values_and_types_fail() {
    let cases: &[(&str, Value)] = &[
        ("/status", json!("pending")),
        ("/event", json!("spec_changed")),
        ("/level", json!("critical")),
        ("/events/0/kind", json!("BreakingChange")),
        ("/events/0/changes/0/level", json!("error")),
        ("/schema", json!("specwatch.alert.v2")),
        ("/repeat", json!("false")),
        ("/events/0/versions/to", json!("7")),
        ("/events/0/counts/info", json!(-1)),
        ("/watch/labels/team", json!(3)),
        ("/created_at", json!("yesterday")),
        ("/events", json!([])),
    ];
    for (pointer, bad) in cases {
        let mut v = sample_json();
        *v.pointer_mut(pointer).expect(pointer) = bad.clone();
        let err = validate(&v).expect_err(pointer);
        assert!(err.contains(pointer), "{pointer}: {err}");
    }
}

#[test]
fn event_levels_follow_their_kind() {
    // endpoint_down is always breaking.
    let mut v = sample_json();
    v["events"][2]["level"] = json!("info");
    assert!(validate(&v).unwrap_err().contains("/events/2/level"));
    // api_changed may be warning or info, never breaking.
    for (level, ok) in [("warning", true), ("info", true), ("breaking", false)] {
        let mut v = sample_json();
        v["events"][0]["kind"] = json!("api_changed");
        v["events"][0]["level"] = json!(level);
        assert_eq!(validate(&v).is_ok(), ok, "api_changed at {level}");
    }
}

#[test]
fn every_serialized_field_is_described_in_the_schema() {
    let v = sample_json();
    // The sample sets every optional field, so everything AlertPayload can emit is here.
    for pointer in [
        "/links/watch",
        "/links/version",
        "/watch/provider",
        "/events/0/versions",
        "/events/1/operation",
        "/events/1/sunset",
        "/events/2/error",
    ] {
        assert!(v.pointer(pointer).is_some(), "sample lacks {pointer}");
    }
    let missing = undescribed(&v, schema());
    assert!(missing.is_empty(), "not in the schema: {missing:?}");
}

#[test]
fn the_drift_check_notices_an_undescribed_field() {
    let mut v = sample_json();
    v["events"][0]["changes"][0]["new_field"] = json!(1);
    v["brand_new"] = json!(true);
    assert_eq!(
        undescribed(&v, schema()),
        ["/events/0/changes/0/new_field", "/brand_new"]
    );
}

#[test]
fn the_schema_lists_every_event_kind() {
    let kinds = schema()
        .pointer("/$defs/event_kind/enum")
        .and_then(Value::as_array)
        .unwrap();
    let names: Vec<&str> = kinds.iter().filter_map(Value::as_str).collect();
    let ours: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(names, ours);
}

#[test]
fn the_signature_helper_agrees_with_the_sink() {
    let body = serde_json::to_vec(&sample()).unwrap();
    let header = specwatch::sinks::webhook::sign(b"whsec_123", 1_764_576_000, &body);
    assert!(verify_signature(b"whsec_123", &header, &body));
    assert!(!verify_signature(b"whsec_124", &header, &body));
    let mut tampered = body.clone();
    tampered[10] ^= 1;
    assert!(!verify_signature(b"whsec_123", &header, &tampered));
    let replayed = header.replace("t=1764576000", "t=1764576001");
    assert!(!verify_signature(b"whsec_123", &replayed, &body));
    assert!(!verify_signature(b"whsec_123", "v1=00", &body));
}
