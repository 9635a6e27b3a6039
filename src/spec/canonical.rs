//! Semantic hash: SHA-256 of a canonical serialization, so a re-ordered, re-indented
//! or JSON↔YAML-converted document hashes the same as the original.
//!
//! Canonical form: compact JSON, object keys sorted by their UTF-8 bytes, numbers
//! written as integers when they are integral (`1.0` = `1`), otherwise in Rust's
//! shortest round-trip float form. The walk uses an explicit stack, so depth is
//! bounded by memory, not by the thread's stack.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// One pending piece of output.
enum Work<'a> {
    Value(&'a Value),
    Key(&'a str),
    Raw(&'static [u8]),
}

/// Hex SHA-256 of `doc` in canonical form.
pub fn semantic_hash(doc: &Value) -> String {
    let mut sink = Sink {
        hasher: Some(Sha256::new()),
        buf: Vec::with_capacity(64 * 1024),
    };
    write_canonical(doc, &mut sink);
    sink.finish()
}

/// `doc` in canonical form: the bytes [`semantic_hash`] hashes (the normalized spec
/// offered for download).
pub fn canonical_json(doc: &Value) -> Vec<u8> {
    let mut sink = Sink {
        hasher: None,
        buf: Vec::with_capacity(64 * 1024),
    };
    write_canonical(doc, &mut sink);
    sink.buf
}

fn write_canonical(doc: &Value, sink: &mut Sink) {
    let mut stack = vec![Work::Value(doc)];
    while let Some(w) = stack.pop() {
        match w {
            Work::Raw(b) => sink.write(b),
            Work::Key(k) => write_str(sink, k),
            Work::Value(v) => match v {
                Value::Null => sink.write(b"null"),
                Value::Bool(true) => sink.write(b"true"),
                Value::Bool(false) => sink.write(b"false"),
                Value::Number(n) => write_number(sink, n),
                Value::String(s) => write_str(sink, s),
                Value::Array(items) => {
                    sink.write(b"[");
                    stack.push(Work::Raw(b"]"));
                    for (i, item) in items.iter().enumerate().rev() {
                        stack.push(Work::Value(item));
                        if i > 0 {
                            stack.push(Work::Raw(b","));
                        }
                    }
                }
                Value::Object(map) => {
                    sink.write(b"{");
                    stack.push(Work::Raw(b"}"));
                    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                    entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
                    for (i, (k, v)) in entries.into_iter().enumerate().rev() {
                        stack.push(Work::Value(v));
                        stack.push(Work::Raw(b":"));
                        stack.push(Work::Key(k));
                        if i > 0 {
                            stack.push(Work::Raw(b","));
                        }
                    }
                }
            },
        }
    }
}

/// Buffers small writes before feeding the hasher (or keeps them all without one).
struct Sink {
    hasher: Option<Sha256>,
    buf: Vec<u8>,
}

impl Sink {
    fn write(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
        if let Some(h) = self.hasher.as_mut().filter(|_| self.buf.len() >= 60 * 1024) {
            h.update(&self.buf);
            self.buf.clear();
        }
    }

    fn finish(mut self) -> String {
        let mut h = self.hasher.take().unwrap_or_default();
        h.update(&self.buf);
        hex::encode(h.finalize())
    }
}

fn write_str(sink: &mut Sink, s: &str) {
    // serde_json's escaping is canonical enough: the same string always yields the same bytes.
    // Writing a &str into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut sink.buf, s);
    sink.write(b"");
}

fn write_number(sink: &mut Sink, n: &serde_json::Number) {
    let text = if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        let f = n.as_f64().unwrap_or(0.0);
        // Integral floats inside the exactly-representable range print as integers.
        if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
            (f as i64).to_string()
        } else {
            format!("{f:?}")
        }
    };
    sink.write(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::semantic_hash;
    use crate::spec::load::parse_document;
    use serde_json::json;

    #[test]
    fn key_order_and_whitespace_do_not_matter() {
        let a = parse_document(br#"{"b": 1, "a": {"y": [1, 2], "x": "s"}}"#, "a.json").unwrap();
        let b = parse_document(
            b"{\n  \"a\": {\"x\": \"s\",\n \"y\": [1,2]},\n  \"b\": 1\n}\n",
            "b.json",
        )
        .unwrap();
        assert_eq!(semantic_hash(&a), semantic_hash(&b));
    }

    #[test]
    fn json_and_yaml_of_the_same_document_hash_equal() {
        let j = parse_document(
            br#"{"openapi":"3.0.0","paths":{"/a":{"get":{"responses":{"200":{"description":"ok"}}}}},"x-n":1.0}"#,
            "a.json",
        )
        .unwrap();
        let y = parse_document(
            b"x-n: 1\nopenapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n",
            "a.yaml",
        )
        .unwrap();
        assert_eq!(semantic_hash(&j), semantic_hash(&y));
    }

    #[test]
    fn the_canonical_bytes_are_what_is_hashed() {
        let doc = json!({"b": [1.0, "x\"y"], "a": {"d": null, "c": true}});
        let bytes = super::canonical_json(&doc);
        assert_eq!(bytes, br#"{"a":{"c":true,"d":null},"b":[1,"x\"y"]}"#);
        use sha2::Digest;
        assert_eq!(
            hex::encode(sha2::Sha256::digest(&bytes)),
            semantic_hash(&doc)
        );
    }

    #[test]
    fn integral_float_equals_integer() {
        assert_eq!(
            semantic_hash(&json!({"a": 1.0})),
            semantic_hash(&json!({"a": 1}))
        );
        assert_ne!(
            semantic_hash(&json!({"a": 1.5})),
            semantic_hash(&json!({"a": 1}))
        );
    }

    #[test]
    fn a_value_change_changes_the_hash() {
        let a = json!({"a": {"b": [1, 2, 3]}, "c": "x"});
        let b = json!({"a": {"b": [1, 2, 4]}, "c": "x"});
        let c = json!({"a": {"b": [1, 2, 3]}, "c": "y"});
        assert_ne!(semantic_hash(&a), semantic_hash(&b));
        assert_ne!(semantic_hash(&a), semantic_hash(&c));
        // Array order is meaningful.
        assert_ne!(semantic_hash(&json!([1, 2])), semantic_hash(&json!([2, 1])));
        assert_eq!(semantic_hash(&a).len(), 64);
    }

    #[test]
    fn deep_values_do_not_overflow_the_stack() {
        // Built directly (the parser would stop at 128 levels); dropping it is iterative too.
        let mut v = json!(1);
        for _ in 0..100_000 {
            v = serde_json::Value::Array(vec![v]);
        }
        let h = semantic_hash(&v);
        assert_eq!(h.len(), 64);
        // serde_json's Drop is recursive: unwind by hand.
        let mut cur = v;
        while let serde_json::Value::Array(mut items) = cur {
            cur = items.pop().unwrap_or(serde_json::Value::Null);
        }
    }
}
