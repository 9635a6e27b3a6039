//! Checks against the published alert contract: `docs/alert.schema.json` (JSON Schema
//! 2020-12) and the webhook signature, both recomputed independently of `src/`.

use std::sync::OnceLock;

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

/// The schema document, read once.
pub fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/alert.schema.json");
        let text = std::fs::read_to_string(path).expect("read docs/alert.schema.json");
        serde_json::from_str(&text).expect("docs/alert.schema.json is JSON")
    })
}

/// Validates a payload; the error lists every violation as `<instance path>: <message>`.
pub fn validate(payload: &Value) -> Result<(), String> {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    let v = VALIDATOR.get_or_init(|| {
        jsonschema::draft202012::new(schema()).expect("docs/alert.schema.json is a valid schema")
    });
    let errors: Vec<String> = v
        .iter_errors(payload)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

/// Parses `t=<unix>,v1=<hex>`; None when malformed.
fn parse_signature(header: &str) -> Option<(i64, Vec<u8>)> {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.trim().split_once('=')? {
            ("t", v) => t = v.parse().ok(),
            ("v1", v) => v1 = hex::decode(v).ok(),
            _ => {}
        }
    }
    Some((t?, v1?))
}

/// The `t` of a signature header.
pub fn signature_time(header: &str) -> Option<i64> {
    parse_signature(header).map(|(t, _)| t)
}

/// True when `header` is a valid `X-Specwatch-Signature` of `body` under `secret`
/// (HMAC-SHA256 over `"<t>." + body`, compared in constant time).
pub fn verify_signature(secret: &[u8], header: &str, body: &[u8]) -> bool {
    let Some((t, sig)) = parse_signature(header) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    mac.verify_slice(&sig).is_ok()
}

/// Follows a local `$ref` (`#/$defs/name`) to the schema it names.
fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let pointer = r.strip_prefix('#').expect("only local $refs");
            resolve(root, root.pointer(pointer).expect("$ref resolves"))
        }
        None => node,
    }
}

/// Paths (`/events/0/counts/breaking`) of every object member in `value` that the
/// schema does not describe with a `properties` entry (maps described by an
/// `additionalProperties` schema count as described).
pub fn undescribed(value: &Value, root: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(value, root, root, String::new(), &mut out);
    out
}

fn walk(value: &Value, node: &Value, root: &Value, path: String, out: &mut Vec<String>) {
    let node = resolve(root, node);
    match value {
        Value::Object(map) => {
            let props = node.get("properties").and_then(Value::as_object);
            let extra = node.get("additionalProperties").filter(|a| a.is_object());
            for (k, v) in map {
                let here = format!("{path}/{k}");
                match (props.and_then(|p| p.get(k)), extra) {
                    (Some(sub), _) | (None, Some(sub)) => walk(v, sub, root, here, out),
                    (None, None) => out.push(here),
                }
            }
        }
        Value::Array(items) => {
            if let Some(sub) = node.get("items") {
                for (i, v) in items.iter().enumerate() {
                    walk(v, sub, root, format!("{path}/{i}"), out);
                }
            } else if !items.is_empty() {
                out.push(format!("{path}/*"));
            }
        }
        _ => {}
    }
}
