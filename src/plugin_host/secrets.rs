//! Which strings of a plugin sink's config are secrets: every string that came from a
//! `${…}` reference, and every string under a key that names a credential (`token`,
//! `webhook_url`, `routing_key`, …). Whatever a plugin emits (log lines, stdout and
//! stderr, validate-config and delivery messages) is scrubbed of them.

use serde_json::Value;

use crate::config::Secret;
use crate::redact;

/// Words that mark a config key as holding a credential (matched in the lowercased key).
const SECRET_KEY_WORDS: &[&str] = &[
    "token",
    "secret",
    "password",
    "passwd",
    "key",
    "auth",
    "credential",
    "webhook",
    "url",
    "dsn",
    "signature",
    "cookie",
    "private",
];

/// The strings to scrub for one sink: its secret config strings and their parts.
pub fn config_secrets(config_json: &str, interpolated: &[Secret]) -> Vec<String> {
    let mut out = Vec::new();
    for s in interpolated {
        redact::value_parts(s.expose(), &mut out);
    }
    if let Ok(v) = serde_json::from_str::<Value>(config_json) {
        walk(&v, false, &mut out);
    }
    out.retain(|s| s.len() >= redact::MIN_SECRET_LEN);
    out.sort();
    out.dedup();
    out
}

fn walk(v: &Value, secret: bool, out: &mut Vec<String>) {
    match v {
        Value::String(s) if secret => redact::value_parts(s, out),
        Value::Array(items) => items.iter().for_each(|x| walk(x, secret, out)),
        Value::Object(m) => {
            for (k, x) in m {
                let k = k.to_ascii_lowercase();
                walk(
                    x,
                    secret || SECRET_KEY_WORDS.iter().any(|w| k.contains(w)),
                    out,
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_and_interpolated_strings_are_secrets() {
        let config = r##"{"webhook_url": "https://hooks.example/services/T0/B0/abcdefgh1234",
            "channel": "#alerts", "auth": {"user": "bob-the-user"},
            "headers": [{"name": "x", "value": "from-env-secret"}], "api_KEY": "k-123456"}"##;
        let s = config_secrets(config, &[Secret("from-env-secret".into())]);
        for secret in [
            "https://hooks.example/services/T0/B0/abcdefgh1234",
            "abcdefgh1234",
            "bob-the-user",
            "from-env-secret",
            "k-123456",
        ] {
            assert!(s.contains(&secret.to_string()), "{secret} in {s:?}");
        }
        assert!(!s.contains(&"#alerts".to_string()), "{s:?}");
    }
}
