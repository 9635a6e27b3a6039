//! Which endpoints to probe: every operation of the watch's latest version, with its URL
//! from `servers` (3.x, server variables at their defaults), `host` + `basePath` +
//! `schemes` (2.0) or the configured `base_url`; the ones that cannot or must not be
//! probed are listed with the reason.

use serde::Serialize;
use serde_json::Value;
use url::Url;

use crate::config::HealthConfig;
use crate::config::health::SAFE_METHODS;

/// Methods of a path item, in the order the spec lists them.
const METHODS: &[&str] = &[
    "get", "head", "options", "put", "post", "delete", "patch", "trace",
];

/// One endpoint to probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// `"GET /v1/charges/{charge}"`: the operation as the spec names it.
    pub operation: String,
    /// Upper-case method.
    pub method: String,
    /// The URL probed, path parameters filled in.
    pub url: String,
    /// Request body: only for operations the operator opted in for.
    pub body: Option<String>,
    /// Content type of `body` (the operation's first request media type, or JSON).
    pub content_type: Option<String>,
}

/// An operation that is not probed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// `"POST /v1/charges"`.
    pub operation: String,
    /// What to configure to probe it, or why it never will be.
    pub reason: String,
}

/// The endpoints of one spec version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Endpoints {
    /// Probed.
    pub probes: Vec<Endpoint>,
    /// Not probed.
    pub skipped: Vec<Skipped>,
}

/// Why no endpoint can be derived at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// Neither the spec nor the config gives an absolute base URL.
    #[error(
        "the spec names no absolute server URL ({0}); set `base_url` in this watch's [watch.health]"
    )]
    NoBaseUrl(String),
}

/// Derives the endpoints of `doc` under `cfg`; `spec_url` resolves relative server URLs.
pub fn extract(
    doc: &Value,
    cfg: &HealthConfig,
    spec_url: Option<&str>,
) -> Result<Endpoints, ExtractError> {
    let default_base = match &cfg.base_url {
        Some(b) => b.clone(),
        None => spec_base(doc, spec_url)?,
    };
    let mut out = Endpoints::default();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Ok(out);
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        let path_base = if cfg.base_url.is_none() {
            item.get("servers").and_then(|s| server_url(s, spec_url))
        } else {
            None
        };
        for m in METHODS {
            let Some(op) = item.get(*m) else { continue };
            let method = m.to_ascii_uppercase();
            let operation = format!("{method} {path}");
            let skip = |reason: String| Skipped {
                operation: operation.clone(),
                reason,
            };
            let unsafe_body = cfg.unsafe_operations.get(&operation);
            if unsafe_body.is_none() {
                if !SAFE_METHODS.contains(&method.as_str()) {
                    out.skipped.push(skip(format!(
                        "{method} is not a safe method; opt in with unsafe_operations = {{ \"{operation}\" = \"<body>\" }}"
                    )));
                    continue;
                }
                if !cfg.methods.contains(&method) {
                    out.skipped.push(skip(format!(
                        "{method} is not in `methods` ({})",
                        cfg.methods.join(", ")
                    )));
                    continue;
                }
            }
            if !cfg.include.is_empty() && !cfg.include.iter().any(|g| glob(g, path)) {
                out.skipped
                    .push(skip("the path matches no `include` pattern".into()));
                continue;
            }
            if let Some(g) = cfg.exclude.iter().find(|g| glob(g, path)) {
                out.skipped
                    .push(skip(format!("the path matches `exclude` pattern {g:?}")));
                continue;
            }
            let filled = match fill_path(path, cfg) {
                Ok(p) => p,
                Err(missing) => {
                    out.skipped.push(skip(format!(
                        "required path parameter{} {} ha{} no value; set path_params = {{ {} = \"…\" }}",
                        if missing.len() > 1 { "s" } else { "" },
                        missing.join(", "),
                        if missing.len() > 1 { "ve" } else { "s" },
                        missing[0]
                    )));
                    continue;
                }
            };
            let op_base = if cfg.base_url.is_none() {
                op.get("servers").and_then(|s| server_url(s, spec_url))
            } else {
                None
            };
            let base = op_base
                .or_else(|| path_base.clone())
                .unwrap_or_else(|| default_base.clone());
            let url = format!("{}{filled}", base.trim_end_matches('/'));
            if Url::parse(&url).is_err() {
                out.skipped
                    .push(skip(format!("{url:?} is not a valid URL")));
                continue;
            }
            let body = unsafe_body.filter(|b| !b.is_empty()).cloned();
            let content_type = body.as_ref().map(|_| {
                op.pointer("/requestBody/content")
                    .and_then(Value::as_object)
                    .and_then(|c| c.keys().next().cloned())
                    .or_else(|| {
                        op.get("consumes")
                            .or_else(|| doc.get("consumes"))
                            .and_then(|c| c.get(0))
                            .and_then(Value::as_str)
                            .map(str::to_string)
                    })
                    .unwrap_or_else(|| "application/json".into())
            });
            out.probes.push(Endpoint {
                operation,
                method,
                url,
                body,
                content_type,
            });
        }
    }
    Ok(out)
}

/// The spec-wide base URL: 3.x `servers[0]`, or 2.0 `schemes` + `host` + `basePath`.
fn spec_base(doc: &Value, spec_url: Option<&str>) -> Result<String, ExtractError> {
    if doc.get("swagger").is_some() {
        let spec = spec_url
            .and_then(|u| Url::parse(u).ok())
            .filter(|u| u.has_host());
        let schemes: Vec<&str> = doc
            .get("schemes")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let scheme = if schemes.contains(&"https") {
            "https".to_string()
        } else if let Some(s) = schemes.first() {
            s.to_string()
        } else {
            spec.as_ref()
                .map_or("https".into(), |u| u.scheme().to_string())
        };
        let host = match doc.get("host").and_then(Value::as_str) {
            Some(h) => h.to_string(),
            None => match &spec {
                Some(u) => match u.port() {
                    Some(p) => format!("{}:{p}", u.host_str().unwrap_or_default()),
                    None => u.host_str().unwrap_or_default().to_string(),
                },
                None => {
                    return Err(ExtractError::NoBaseUrl(
                        "no `host`, and the spec was not fetched over HTTP".into(),
                    ));
                }
            },
        };
        let base_path = doc.get("basePath").and_then(Value::as_str).unwrap_or("");
        return Ok(format!("{scheme}://{host}{base_path}"));
    }
    match doc.get("servers") {
        Some(s) => server_url(s, spec_url)
            .ok_or_else(|| ExtractError::NoBaseUrl("`servers` has no usable URL".into())),
        // 3.x: no servers means "/" relative to where the spec came from.
        None => {
            resolve("/", spec_url).ok_or_else(|| ExtractError::NoBaseUrl("no `servers`".into()))
        }
    }
}

/// The first server's URL with its variables at their defaults, made absolute.
fn server_url(servers: &Value, spec_url: Option<&str>) -> Option<String> {
    let server = servers.as_array()?.first()?;
    let mut url = server.get("url")?.as_str()?.to_string();
    if let Some(vars) = server.get("variables").and_then(Value::as_object) {
        for (name, v) in vars {
            if let Some(d) = v.get("default").and_then(Value::as_str) {
                url = url.replace(&format!("{{{name}}}"), d);
            }
        }
    }
    if url.contains('{') {
        return None;
    }
    resolve(&url, spec_url)
}

/// `url` if absolute http(s), else resolved against the spec's own http(s) URL.
fn resolve(url: &str, spec_url: Option<&str>) -> Option<String> {
    if let Ok(u) = Url::parse(url) {
        return matches!(u.scheme(), "http" | "https").then(|| url.to_string());
    }
    let spec = Url::parse(spec_url?).ok()?;
    if !matches!(spec.scheme(), "http" | "https") {
        return None;
    }
    Some(spec.join(url).ok()?.to_string())
}

/// The path with every `{param}` replaced by its configured value (percent-encoded), or
/// the names that have none.
fn fill_path(path: &str, cfg: &HealthConfig) -> Result<String, Vec<String>> {
    let mut out = String::with_capacity(path.len());
    let mut missing = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        match cfg.path_params.get(name) {
            Some(v) => encode_segment(v, &mut out),
            None => missing.push(name.to_string()),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing)
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so a value stays one segment.
fn encode_segment(value: &str, out: &mut String) {
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// `*` matches any run of characters (including `/`); everything else literally.
pub fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut pos = first.len();
    let end = text.len() - last.len();
    for mid in &parts[1..parts.len() - 1] {
        match text[pos..end].find(mid) {
            Some(i) => pos += i + mid.len(),
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cfg() -> HealthConfig {
        HealthConfig::default()
    }

    fn ops(e: &Endpoints) -> Vec<(&str, &str)> {
        e.probes
            .iter()
            .map(|p| (p.operation.as_str(), p.url.as_str()))
            .collect()
    }

    #[test]
    fn openapi3_servers_with_variable_defaults() {
        let doc = json!({
            "openapi": "3.0.3",
            "servers": [{"url": "https://{region}.api.example.com/{version}",
                         "variables": {"region": {"default": "eu"}, "version": {"default": "v2"}}}],
            "paths": {
                "/charges": {"get": {}, "post": {}},
                "/status": {"head": {}, "servers": [{"url": "https://status.example.com"}]}
            }
        });
        let e = extract(&doc, &cfg(), None).unwrap();
        assert_eq!(
            ops(&e),
            [
                ("GET /charges", "https://eu.api.example.com/v2/charges"),
                ("HEAD /status", "https://status.example.com/status")
            ]
        );
        assert_eq!(e.skipped.len(), 1);
        assert!(
            e.skipped[0].reason.contains("not a safe method"),
            "{:?}",
            e.skipped
        );
    }

    #[test]
    fn relative_server_resolves_against_the_spec_url() {
        let doc =
            json!({"openapi": "3.1.0", "servers": [{"url": "/api"}], "paths": {"/a": {"get": {}}}});
        let e = extract(&doc, &cfg(), Some("http://127.0.0.1:9/spec/openapi.json")).unwrap();
        assert_eq!(ops(&e), [("GET /a", "http://127.0.0.1:9/api/a")]);
        assert!(matches!(
            extract(&doc, &cfg(), Some("file:///x.json")),
            Err(ExtractError::NoBaseUrl(_))
        ));
    }

    #[test]
    fn swagger2_host_base_path_and_schemes() {
        let doc = json!({
            "swagger": "2.0", "host": "api.example.com:8443", "basePath": "/v1",
            "schemes": ["http", "https"],
            "paths": {"/pets": {"get": {}}}
        });
        let e = extract(&doc, &cfg(), None).unwrap();
        assert_eq!(
            ops(&e),
            [("GET /pets", "https://api.example.com:8443/v1/pets")]
        );
        let no_host = json!({"swagger": "2.0", "paths": {"/pets": {"get": {}}}});
        let e = extract(&no_host, &cfg(), Some("http://127.0.0.1:81/swagger.json")).unwrap();
        assert_eq!(ops(&e), [("GET /pets", "http://127.0.0.1:81/pets")]);
    }

    #[test]
    fn path_params_used_when_configured_else_skipped_with_the_reason() {
        let doc = json!({
            "openapi": "3.0.0", "servers": [{"url": "https://x.example"}],
            "paths": {
                "/customers/{customer}": {"get": {}},
                "/customers/{customer}/cards/{card}": {"get": {}}
            }
        });
        let mut c = cfg();
        c.path_params.insert("customer".into(), "cus 1/a".into());
        let e = extract(&doc, &c, None).unwrap();
        assert_eq!(
            ops(&e),
            [(
                "GET /customers/{customer}",
                "https://x.example/customers/cus%201%2Fa"
            )]
        );
        assert_eq!(
            e.skipped[0].operation,
            "GET /customers/{customer}/cards/{card}"
        );
        assert!(
            e.skipped[0].reason.contains("card"),
            "{}",
            e.skipped[0].reason
        );
        assert!(!e.skipped[0].reason.contains("customer,"));
    }

    #[test]
    fn base_url_include_exclude_and_unsafe_opt_in() {
        let doc = json!({
            "openapi": "3.0.0", "servers": [{"url": "https://spec.example"}],
            "paths": {
                "/v1/charges": {"get": {}, "post": {"requestBody": {"content": {"application/x-www-form-urlencoded": {}}}}},
                "/v1/charges/search": {"get": {}},
                "/v1/files": {"get": {}},
                "/v2/x": {"get": {}}
            }
        });
        let mut c = cfg();
        c.base_url = Some("http://127.0.0.1:1/".into());
        c.include = vec!["/v1/*".into()];
        c.exclude = vec!["/v1/files*".into()];
        c.unsafe_operations
            .insert("POST /v1/charges".into(), "amount=1".into());
        let e = extract(&doc, &c, None).unwrap();
        assert_eq!(
            ops(&e),
            [
                ("GET /v1/charges", "http://127.0.0.1:1/v1/charges"),
                ("POST /v1/charges", "http://127.0.0.1:1/v1/charges"),
                (
                    "GET /v1/charges/search",
                    "http://127.0.0.1:1/v1/charges/search"
                )
            ]
        );
        assert_eq!(e.probes[0].body, None);
        assert_eq!(e.probes[1].body.as_deref(), Some("amount=1"));
        assert_eq!(
            e.probes[1].content_type.as_deref(),
            Some("application/x-www-form-urlencoded")
        );
        let reasons: Vec<&str> = e.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert!(reasons[0].contains("exclude"), "{reasons:?}");
        assert!(reasons[1].contains("include"), "{reasons:?}");
    }

    #[test]
    fn globs() {
        assert!(glob("/v1/charges*", "/v1/charges/{id}"));
        assert!(glob("*", "/x"));
        assert!(glob("/a/*/c", "/a/b/c"));
        assert!(!glob("/a/*/c", "/a/b/d"));
        assert!(!glob("/v1/files*", "/v2/files"));
        assert!(glob("/exact", "/exact"));
        assert!(!glob("/ab*ab", "/ab"));
    }
}
