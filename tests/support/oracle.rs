//! The verdict oracle (issue 13): mutated schema pairs and generated instances, checked
//! with a JSON Schema validator instead of expectations written by hand.
//!
//! For each pair, one OpenAPI 3.1 document per side uses the schema as a request body
//! (`POST /x`) and as a response body (`GET /x`). When the engine reports nothing at
//! warning level or above for the request, every generated value valid under the old
//! schema must be valid under the new one; for the response, every value valid under the
//! new one must be valid under the old one. Instances carry only declared properties (the
//! documented values; see docs/verdicts.md). A violation is shrunk and described.

use serde_json::{Map, Value, json};
use specwatch::diff::Level;
use specwatch::spec::LoadOptions;

/// A small deterministic generator (xorshift64*), so a seed names a run.
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// 0..n.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "a", "ab", "card", "sepa", "active", "inactive", "pending", "x",
];

fn leaf(rng: &mut Rng, depth: u32) -> Value {
    let mut s = match rng.below(if depth > 1 { 3 } else { 4 }) {
        0 => {
            let mut s = json!({"type": "string"});
            if rng.chance(40) {
                s["maxLength"] = json!(2 + rng.below(8));
            }
            if rng.chance(20) {
                s["minLength"] = json!(rng.below(3));
            }
            if rng.chance(30) {
                let n = 2 + rng.below(3) as usize;
                let mut values: Vec<&str> = WORDS.to_vec();
                values.truncate(n + 2);
                values.retain(|_| rng.chance(70));
                if values.is_empty() {
                    values.push("a");
                }
                s["enum"] = json!(values);
            }
            if rng.chance(15) {
                s["pattern"] = json!("^[a-z]*$");
            }
            s
        }
        1 => {
            let mut s = json!({"type": "integer"});
            if rng.chance(40) {
                s["maximum"] = json!(5 + rng.below(20));
            }
            if rng.chance(30) {
                s["minimum"] = json!(rng.below(5));
            }
            if rng.chance(20) {
                s["enum"] = json!([1, 2, 3]);
            }
            s
        }
        2 => json!({"type": "boolean"}),
        _ => {
            let mut s = json!({"type": "array", "items": leaf(rng, depth + 1)});
            if rng.chance(30) {
                s["maxItems"] = json!(1 + rng.below(3));
            }
            if rng.chance(20) {
                s["minItems"] = json!(rng.below(2));
            }
            s
        }
    };
    if rng.chance(20) {
        nullable(&mut s, true);
    }
    s
}

fn nullable(s: &mut Value, on: bool) {
    let Some(t) = s.get("type").cloned() else {
        return;
    };
    let mut types: Vec<Value> = match t {
        Value::Array(a) => a,
        other => vec![other],
    };
    types.retain(|t| t != "null");
    if on {
        types.push(json!("null"));
    }
    s["type"] = if types.len() == 1 {
        types.remove(0)
    } else {
        Value::Array(types)
    };
    if let Some(Value::Array(values)) = s.get_mut("enum") {
        values.retain(|v| !v.is_null());
        if on {
            values.push(Value::Null);
        }
    }
}

/// A realistic object schema: a few typed properties, some required.
pub fn schema(rng: &mut Rng) -> Value {
    let n = 1 + rng.below(4);
    let mut props = Map::new();
    let mut required = Vec::new();
    for i in 0..n {
        let name = format!("p{i}");
        props.insert(name.clone(), leaf(rng, 0));
        if rng.chance(50) {
            required.push(json!(name));
        }
    }
    json!({"type": "object", "properties": props, "required": required})
}

/// One random mutation of `s` (at the root or at one property).
pub fn mutate(rng: &mut Rng, s: &Value) -> Value {
    let mut s = s.clone();
    let names: Vec<String> = s["properties"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    if names.is_empty() || rng.chance(25) {
        match rng.below(4) {
            0 => {
                let name = format!("q{}", rng.below(3));
                s["properties"][&name] = leaf(rng, 0);
                if rng.chance(50) {
                    push_required(&mut s, &name);
                }
            }
            1 => {
                if let Some(Value::Array(req)) = s.get_mut("required")
                    && !req.is_empty()
                {
                    let at = rng.below(req.len() as u64) as usize;
                    req.remove(at);
                }
            }
            2 if !names.is_empty() => {
                let name = rng.pick(&names).clone();
                push_required(&mut s, &name);
            }
            _ => {
                let other = json!({"type": "object", "properties": {"z": {"type": "string"}}});
                let kw = if rng.chance(50) { "oneOf" } else { "anyOf" };
                s = json!({ kw: [s, other] });
            }
        }
        return s;
    }
    let name = rng.pick(&names).clone();
    let p = &mut s["properties"][&name];
    match rng.below(12) {
        0 => *p = leaf(rng, 0),
        1 => {
            if let Some(Value::Array(values)) = p.get_mut("enum") {
                values.push(json!("zz"));
                values.push(json!(4));
            } else {
                p["enum"] = json!(["a", 1]);
            }
        }
        2 => {
            if let Some(Value::Array(values)) = p.get_mut("enum")
                && values.len() > 1
            {
                values.remove(0);
            } else if let Some(m) = p.as_object_mut() {
                m.remove("enum");
            }
        }
        3 => {
            if let Some(m) = p.as_object_mut() {
                m.remove("enum");
            }
        }
        4 => bump(rng, p, "maxLength"),
        5 => bump(rng, p, "maximum"),
        6 => bump(rng, p, "minimum"),
        7 => {
            let on = !p["type"]
                .as_array()
                .is_some_and(|t| t.contains(&json!("null")));
            nullable(p, on);
        }
        8 => {
            let kw = if rng.chance(50) { "oneOf" } else { "anyOf" };
            let other = leaf(rng, 0);
            *p = json!({ kw: [p.clone(), other] });
        }
        9 => {
            if let Some(m) = s["properties"].as_object_mut() {
                m.remove(&name);
            }
        }
        10 => bump(rng, p, "maxItems"),
        _ => {
            if p.get("pattern").is_some() {
                p.as_object_mut().map(|m| m.remove("pattern"));
            } else if p["type"] == "string" {
                p["pattern"] = json!("^[a-c]*$");
            }
        }
    }
    s
}

fn push_required(s: &mut Value, name: &str) {
    if !s["required"].is_array() {
        s["required"] = json!([]);
    }
    if let Some(req) = s["required"].as_array_mut()
        && !req.contains(&json!(name))
    {
        req.push(json!(name));
    }
}

/// Moves, adds or removes a numeric keyword.
fn bump(rng: &mut Rng, p: &mut Value, key: &str) {
    let Some(m) = p.as_object_mut() else {
        return;
    };
    match (m.get(key).and_then(Value::as_i64), rng.below(3)) {
        (Some(_), 0) => {
            m.remove(key);
        }
        (Some(v), 1) => {
            m.insert(key.into(), json!((v + 1 + rng.below(5) as i64).max(0)));
        }
        (Some(v), _) => {
            m.insert(key.into(), json!((v - 1 - rng.below(3) as i64).max(0)));
        }
        (None, _) => {
            m.insert(key.into(), json!(rng.below(8)));
        }
    }
}

/// A value shaped by `s`: mostly valid, sometimes at or past a bound.
pub fn instance(rng: &mut Rng, s: &Value, depth: u32) -> Value {
    if depth > 6 {
        return Value::Null;
    }
    for kw in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = s.get(kw) {
            let b = rng.pick(branches).clone();
            return instance(rng, &b, depth + 1);
        }
    }
    if let Some(Value::Array(values)) = s.get("enum")
        && rng.chance(80)
    {
        return rng.pick(values).clone();
    }
    let types: Vec<String> = match s.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(|t| t.as_str().map(String::from))
            .collect(),
        _ => vec!["string".into()],
    };
    match rng.pick(&types).as_str() {
        "null" => Value::Null,
        "integer" => json!(rng.below(30) as i64 - 3),
        "boolean" => json!(rng.chance(50)),
        "array" => {
            let items = s.get("items").cloned().unwrap_or(json!({}));
            let n = rng.below(5);
            Value::Array((0..n).map(|_| instance(rng, &items, depth + 1)).collect())
        }
        "object" => {
            let mut out = Map::new();
            let required: Vec<&str> = s["required"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if let Some(props) = s["properties"].as_object() {
                for (k, v) in props {
                    if required.contains(&k.as_str()) || rng.chance(60) {
                        out.insert(k.clone(), instance(rng, v, depth + 1));
                    }
                }
            }
            Value::Object(out)
        }
        _ => {
            let len = rng.below(12) as usize;
            let word = *rng.pick(WORDS);
            json!(word.chars().cycle().take(len).collect::<String>())
        }
    }
}

/// The OpenAPI 3.1 document using `s` as request and response body.
fn document(s: &Value) -> Vec<u8> {
    let body = json!({"content": {"application/json": {"schema": s}}});
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "oracle", "version": "1"},
        "paths": {"/x": {
            "post": {"requestBody": {"required": true, "content": body["content"]}, "responses": {"200": {"description": "ok"}}},
            "get": {"responses": {"200": {"description": "ok", "content": body["content"]}}}
        }}
    });
    serde_json::to_vec(&doc).unwrap_or_default()
}

/// What one run found.
#[derive(Default)]
pub struct Outcome {
    /// Schema pairs diffed.
    pub pairs: usize,
    /// (pair, instance) checks made.
    pub checks: usize,
    /// Pairs the engine reported on (warning or above) for the request / the response.
    pub reported: [usize; 2],
    /// Shrunk counterexamples.
    pub failures: Vec<String>,
}

/// Runs `pairs` pairs from `seed`.
pub fn run(seed: u64, pairs: usize) -> Outcome {
    let mut rng = Rng::new(seed);
    let mut out = Outcome::default();
    for _ in 0..pairs {
        let base = schema(&mut rng);
        let mut rev = mutate(&mut rng, &base);
        if rng.chance(30) {
            rev = mutate(&mut rng, &rev);
        }
        if let Some(f) = check_pair(&mut rng, &base, &rev, &mut out) {
            out.failures.push(f);
        }
        out.pairs += 1;
    }
    out
}

fn check_pair(rng: &mut Rng, base: &Value, rev: &Value, out: &mut Outcome) -> Option<String> {
    let (Ok(old), Ok(new)) = (
        jsonschema::draft202012::new(base),
        jsonschema::draft202012::new(rev),
    ) else {
        return None;
    };
    let report =
        specwatch::diff::diff_bytes(&document(base), &document(rev), &LoadOptions::default())
            .ok()?;
    // `*-any-of-added` on a response is info in oasdiff's table and kept so (an added
    // `anyOf` branch is how Stripe documents expandable fields, which only clients that
    // ask for them receive; docs/verdicts.md): it counts as reported.
    let reported = |op: &str| {
        report.changes.iter().any(|c| {
            c.operation.as_deref() == Some(op)
                && (c.level >= Level::Warning || c.id.ends_with("-any-of-added") && op == "GET /x")
        })
    };
    let (req, resp) = (reported("POST /x"), reported("GET /x"));
    out.reported[0] += usize::from(req);
    out.reported[1] += usize::from(resp);
    if req && resp {
        return None;
    }
    for i in 0..40 {
        // Old clients send values the old schema documents; servers return values the
        // new one documents.
        let from = if i % 2 == 0 { base } else { rev };
        let v = instance(rng, from, 0);
        out.checks += 1;
        let (in_old, in_new) = (old.is_valid(&v), new.is_valid(&v));
        let side = if !req && in_old && !in_new && i % 2 == 0 {
            "request: valid under the old schema, rejected by the new"
        } else if !resp && in_new && !in_old && i % 2 == 1 {
            "response: valid under the new schema, not under the old"
        } else {
            continue;
        };
        let bad = |x: &Value| {
            let (o, n) = (old.is_valid(x), new.is_valid(x));
            if side.starts_with("request") {
                o && !n
            } else {
                n && !o
            }
        };
        let v = shrink(v, &bad);
        let changes: Vec<String> = report
            .changes
            .iter()
            .map(|c| format!("{} {} ({:?})", c.level.as_str(), c.id, c.operation))
            .collect();
        return Some(format!(
            "{side}\n  base:     {base}\n  revision: {rev}\n  instance: {v}\n  engine:   {changes:?}"
        ));
    }
    None
}

/// Drops object members while the instance still shows the violation.
fn shrink(mut v: Value, bad: &dyn Fn(&Value) -> bool) -> Value {
    loop {
        let Some(m) = v.as_object() else {
            return v;
        };
        let smaller = m.keys().find_map(|k| {
            let mut c = v.clone();
            c.as_object_mut()?.remove(k);
            bad(&c).then_some(c)
        });
        match smaller {
            Some(c) => v = c,
            None => return v,
        }
    }
}
