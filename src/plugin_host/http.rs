//! `http-send`: the only way out of the sandbox. Enforces the sink's `allowed_hosts`,
//! https-only (plain http only to `allow_http_hosts`), a method allowlist, header
//! hygiene, no redirects, a per-request timeout and a response size cap. Denials name
//! the host and the rule, never the URL (it may hold a token).

use std::time::Duration;

use url::Url;

use super::bindings::specwatch::sink::host::{HttpError, HttpRequest, HttpResponse};

/// Largest response body handed to a plugin.
pub const MAX_RESPONSE: usize = 1024 * 1024;
/// Largest request body a plugin may send.
pub const MAX_REQUEST: usize = 4 * 1024 * 1024;
/// Most request headers a plugin may set.
const MAX_HEADERS: usize = 64;
const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];
/// Headers the transport owns: letting a plugin set them would allow request smuggling
/// or reaching another virtual host behind an allowed address.
const RESERVED: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "upgrade",
    "te",
    "trailer",
    "keep-alive",
    "proxy-authorization",
    "proxy-connection",
];

/// One sink's network policy.
#[derive(Debug, Clone)]
pub struct HttpPolicy {
    /// Sink name (for denial messages).
    pub sink: String,
    /// Exact host names or `*.suffix`, lowercase.
    pub allowed_hosts: Vec<String>,
    /// Hosts also reachable over plain http.
    pub allow_http_hosts: Vec<String>,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Shared client: no redirects.
    pub client: reqwest::Client,
}

/// The client every plugin request goes through (no redirects: see
/// [`crate::fetch::client_builder`]).
pub fn client() -> reqwest::Client {
    crate::fetch::client_builder(
        concat!("specwatch-plugin/", env!("CARGO_PKG_VERSION")),
        Duration::from_secs(10),
        None,
    )
    .ok()
    .and_then(|b| b.build().ok())
    .unwrap_or_default()
}

/// True when `host` equals `pattern`, or `pattern` is `*.suffix` and `host` ends with
/// `.suffix` on a label boundary (`*.slack.com` matches `hooks.slack.com`, not
/// `slack.com` nor `evilslack.com`).
///
/// A `host:port` entry (`"127.0.0.1:8443"`, `"[::1]:8080"`, `"*.example.com:443"`) also
/// requires that port (the scheme's default when the URL names none).
pub fn host_matches(pattern: &str, host: &str, port: Option<u16>) -> bool {
    match crate::config::alerts::split_port(pattern) {
        (pattern, Some(want)) => port == Some(want) && name_matches(pattern, host),
        (pattern, None) => name_matches(pattern, host),
    }
}

fn name_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .strip_suffix(suffix)
            .and_then(|rest| rest.strip_suffix('.'))
            .is_some_and(|label| !label.is_empty()),
        None => host == pattern,
    }
}

impl HttpPolicy {
    /// Checks a request against the policy; `Err` is the `denied` reason.
    pub fn check(&self, req: &HttpRequest) -> Result<(reqwest::Method, Url), String> {
        let method = req.method.to_ascii_uppercase();
        if !METHODS.contains(&method.as_str()) {
            return Err(format!(
                "method {:?} is not allowed (allowed: {})",
                truncate(&req.method, 16),
                METHODS.join(", ")
            ));
        }
        let url = Url::parse(&req.url).map_err(|e| format!("invalid URL ({e})"))?;
        let host = url
            .host_str()
            .ok_or_else(|| "the URL has no host".to_string())?;
        // `Url` lowercases and punycodes the host; a single trailing dot is the same host.
        let host = host.strip_suffix('.').unwrap_or(host).to_string();
        let port = url.port_or_known_default();
        let in_list = |list: &[String]| list.iter().any(|p| host_matches(p, &host, port));
        match url.scheme() {
            "https" => {
                if !in_list(&self.allowed_hosts) && !in_list(&self.allow_http_hosts) {
                    return Err(format!(
                        "host {host:?} is not in sink {:?}'s allowed_hosts ({})",
                        self.sink,
                        list_or_none(&self.allowed_hosts)
                    ));
                }
            }
            "http" => {
                if !in_list(&self.allow_http_hosts) {
                    return Err(format!(
                        "plain http to host {host:?} is not allowed: https only, except hosts in sink {:?}'s allow_http_hosts ({})",
                        self.sink,
                        list_or_none(&self.allow_http_hosts)
                    ));
                }
            }
            other => {
                return Err(format!(
                    "scheme {:?} is not allowed for host {host:?}: https only",
                    truncate(other, 16)
                ));
            }
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!(
                "URL for host {host:?} carries user info (user@host); send credentials in a header"
            ));
        }
        if req.headers.len() > MAX_HEADERS {
            return Err(format!("more than {MAX_HEADERS} headers"));
        }
        for (name, value) in &req.headers {
            let bad = |s: &str| s.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0);
            if bad(name) || bad(value) {
                return Err(format!(
                    "header {:?} contains CR, LF or NUL (header injection)",
                    truncate(&name.replace(['\r', '\n', '\0'], "?"), 64)
                ));
            }
            if RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
                return Err(format!(
                    "header {name:?} is set by the host, not by plugins"
                ));
            }
        }
        if req.body.len() > MAX_REQUEST {
            return Err(format!(
                "request body of {} bytes exceeds {MAX_REQUEST}",
                req.body.len()
            ));
        }
        let method = reqwest::Method::from_bytes(method.as_bytes())
            .map_err(|_| "invalid method".to_string())?;
        Ok((method, url))
    }

    /// Checks and sends one request; never follows redirects.
    pub async fn send(&self, req: HttpRequest) -> Result<HttpResponse, HttpError> {
        let (method, url) = self.check(&req).map_err(HttpError::Denied)?;
        let mut builder = self
            .client
            .request(method, url)
            .timeout(self.timeout)
            .body(req.body);
        for (name, value) in &req.headers {
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| HttpError::Denied(format!("invalid header name {name:?}")))?;
            let value = reqwest::header::HeaderValue::from_str(value)
                .map_err(|_| HttpError::Denied(format!("invalid value for header {name}")))?;
            builder = builder.header(name, value);
        }
        let fut = async {
            let mut resp = builder.send().await.map_err(transport_error)?;
            if resp
                .content_length()
                .is_some_and(|n| n > MAX_RESPONSE as u64)
            {
                return Err(HttpError::TooLarge);
            }
            let status = resp.status().as_u16();
            let headers = resp
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let mut body = Vec::new();
            while let Some(chunk) = resp.chunk().await.map_err(transport_error)? {
                if body.len() + chunk.len() > MAX_RESPONSE {
                    return Err(HttpError::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        };
        // reqwest's own timeout covers the body too; this also bounds a stalled stream.
        tokio::time::timeout(self.timeout, fut)
            .await
            .unwrap_or(Err(HttpError::Timeout))
    }
}

/// Transport failures, with the URL stripped (it may hold a token).
fn transport_error(e: reqwest::Error) -> HttpError {
    if e.is_timeout() {
        return HttpError::Timeout;
    }
    HttpError::Connect(crate::error_chain::describe(&e.without_url()))
}

fn list_or_none(list: &[String]) -> String {
    if list.is_empty() {
        "none".to_string()
    } else {
        list.join(", ")
    }
}

fn truncate(s: &str, max: usize) -> &str {
    super::sandbox::truncate(s, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> HttpPolicy {
        HttpPolicy {
            sink: "chat".into(),
            allowed_hosts: vec!["hooks.slack.com".into(), "*.pagerduty.com".into()],
            allow_http_hosts: vec!["127.0.0.1".into()],
            timeout: Duration::from_secs(1),
            client: reqwest::Client::new(),
        }
    }

    fn req(method: &str, url: &str, headers: &[(&str, &str)]) -> HttpRequest {
        HttpRequest {
            method: method.into(),
            url: url.into(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: vec![],
        }
    }

    fn denied(method: &str, url: &str, headers: &[(&str, &str)]) -> String {
        policy()
            .check(&req(method, url, headers))
            .expect_err("must be denied")
    }

    #[test]
    fn allowed_hosts_and_suffixes_pass() {
        let p = policy();
        for url in [
            "https://hooks.slack.com/services/T/B/x",
            "https://HOOKS.SLACK.COM/x",
            "https://hooks.slack.com./x",
            "https://events.pagerduty.com/v2/enqueue",
            "https://a.b.pagerduty.com/",
            "http://127.0.0.1:8080/hook",
            "https://127.0.0.1/",
        ] {
            assert!(p.check(&req("POST", url, &[])).is_ok(), "{url}");
        }
        assert!(
            p.check(&req("get", "https://hooks.slack.com/", &[]))
                .is_ok()
        );
    }

    #[test]
    fn confusion_tricks_are_denied_naming_host_and_rule() {
        let d = denied("POST", "https://hooks.slack.com@evil.com/x", &[]);
        assert!(
            d.contains("\"evil.com\"") && d.contains("allowed_hosts"),
            "{d}"
        );
        let d = denied("POST", "https://hooks.slack.com.evil.com/x", &[]);
        assert!(d.contains("\"hooks.slack.com.evil.com\""), "{d}");
        let d = denied("POST", "https://HOOKS.SLACK.COM.Evil.Com/", &[]);
        assert!(d.contains("\"hooks.slack.com.evil.com\""), "{d}");
        let d = denied("POST", "https://pagerduty.com/", &[]);
        assert!(d.contains("\"pagerduty.com\""), "{d}");
        let d = denied("POST", "https://evilpagerduty.com/", &[]);
        assert!(d.contains("\"evilpagerduty.com\""), "{d}");
        let d = denied("POST", "https://user:pw@hooks.slack.com/", &[]);
        assert!(d.contains("user info"), "{d}");
        assert!(!d.contains("pw"), "no credentials in the reason: {d}");
    }

    #[test]
    fn plain_http_needs_allow_http_hosts() {
        let d = denied("POST", "http://hooks.slack.com/x", &[]);
        assert!(
            d.contains("plain http") && d.contains("\"hooks.slack.com\""),
            "{d}"
        );
        let d = denied("POST", "ftp://hooks.slack.com/x", &[]);
        assert!(d.contains("https only"), "{d}");
        let d = denied("POST", "file:///etc/passwd", &[]);
        assert!(d.contains("no host") || d.contains("https only"), "{d}");
    }

    #[test]
    fn methods_and_headers_are_restricted() {
        let d = denied("CONNECT", "https://hooks.slack.com/", &[]);
        assert!(d.contains("CONNECT"), "{d}");
        let d = denied(
            "POST",
            "https://hooks.slack.com/",
            &[("x-a", "b\r\nx-evil: 1")],
        );
        assert!(d.contains("CR, LF"), "{d}");
        let d = denied("POST", "https://hooks.slack.com/", &[("x-a\nx-evil", "1")]);
        assert!(d.contains("CR, LF"), "{d}");
        let d = denied("POST", "https://hooks.slack.com/", &[("Host", "evil.com")]);
        assert!(d.contains("set by the host"), "{d}");
    }

    #[test]
    fn secrets_in_urls_never_reach_denials() {
        let d = denied("POST", "https://evil.com/services/SECRET-TOKEN", &[]);
        assert!(!d.contains("SECRET-TOKEN"), "{d}");
    }

    #[test]
    fn suffix_matching_respects_label_boundaries() {
        let any = None;
        assert!(host_matches("127.0.0.1:8443", "127.0.0.1", Some(8443)));
        assert!(!host_matches("127.0.0.1:8443", "127.0.0.1", Some(443)));
        assert!(host_matches("127.0.0.1", "127.0.0.1", Some(443)));
        assert!(host_matches("[::1]:8080", "[::1]", Some(8080)));
        assert!(!host_matches("[::1]:8080", "[::1]", Some(80)));
        assert!(host_matches(
            "*.example.com:443",
            "a.example.com",
            Some(443)
        ));
        assert!(!host_matches(
            "*.example.com:443",
            "a.example.com",
            Some(8443)
        ));
        assert_eq!(crate::config::alerts::split_port("::1"), ("::1", None));
        assert!(host_matches("*.example.com", "a.example.com", any));
        assert!(!host_matches("*.example.com", "example.com", any));
        assert!(!host_matches("*.example.com", "aexample.com", any));
        assert!(!host_matches("*.example.com", ".example.com", any));
        assert!(host_matches("example.com", "example.com", any));
        assert!(!host_matches("example.com", "a.example.com", any));
    }
}
