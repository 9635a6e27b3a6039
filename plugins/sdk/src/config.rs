//! Typed config parsing: derive `Deserialize` for a struct and get errors that name
//! the key, e.g. `config key "routing_key": invalid type: integer `5`, expected a string`.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Deserializes the sink's config into `T`. Use `#[serde(deny_unknown_fields)]` so a
/// misspelt key is an error, not a silently ignored setting.
pub fn parse<T: DeserializeOwned>(config: &Value) -> Result<T, String> {
    if !config.is_object() {
        return Err(format!(
            "config must be a JSON object, got {}",
            kind_of(config)
        ));
    }
    serde_path_to_error::deserialize::<_, T>(config).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        if path == "." || path.is_empty() {
            format!("config: {inner}")
        } else {
            format!("config key \"{path}\": {inner}")
        }
    })
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Checks that `value` (config key `key`) is an absolute `http://` or `https://` URL
/// with a host. The scheme policy (https only outside tests) is the host's.
pub fn check_url(key: &str, value: &str) -> Result<(), String> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or_else(|| format!("config key \"{key}\": expected an http(s):// URL"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(format!("config key \"{key}\": the URL has no valid host"));
    }
    if value.contains(char::is_whitespace) {
        return Err(format!("config key \"{key}\": the URL contains whitespace"));
    }
    Ok(())
}

/// Checks that `value` (config key `key`) is not empty or blank.
pub fn check_non_empty(key: &str, value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        Err(format!("config key \"{key}\": must not be empty"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Cfg {
        url: String,
        #[serde(default)]
        retries: u8,
    }

    #[test]
    fn errors_name_the_key() {
        let e = parse::<Cfg>(&json!({"url": 5})).unwrap_err();
        assert!(e.starts_with("config key \"url\": invalid type"), "{e}");
        let e = parse::<Cfg>(&json!({})).unwrap_err();
        assert_eq!(e, "config: missing field `url`");
        let e = parse::<Cfg>(&json!({"url": "x", "retires": 1})).unwrap_err();
        assert!(e.contains("unknown field `retires`"), "{e}");
        let e = parse::<Cfg>(&json!([1])).unwrap_err();
        assert_eq!(e, "config must be a JSON object, got an array");
        assert!(parse::<Cfg>(&json!({"url": "x", "retries": 3})).is_ok());
    }

    #[test]
    fn checks_urls() {
        assert!(check_url("u", "https://hooks.slack.com/services/x").is_ok());
        assert!(check_url("u", "http://127.0.0.1:8080/x").is_ok());
        assert!(check_url("u", "ftp://x").is_err());
        assert!(check_url("u", "https:///x").is_err());
        assert!(check_url("u", "https://a b").is_err());
    }
}
