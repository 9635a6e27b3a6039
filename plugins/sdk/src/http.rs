//! HTTP through the host's sandbox (`host.http-send`): the host enforces https,
//! `allowed_hosts`, timeouts and size caps, and follows no redirects.

use std::fmt;

use crate::bindings::specwatch::sink::host;
use crate::{DeliveryError, Report, text};

/// Longest excerpt of a receiver's reply kept in reports and errors.
const DETAIL_CHARS: usize = 300;

/// A response from the receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers as sent (names as the host reports them).
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

/// Why no response arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    /// The host refused the request (host not in `allowed_hosts`, not https, bad header).
    Denied(String),
    /// No answer in time.
    Timeout,
    /// DNS, TCP or TLS failure.
    Connect(String),
    /// The request or the response exceeded the host's size cap.
    TooLarge,
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::Denied(m) => write!(f, "request denied by the host: {m}"),
            HttpError::Timeout => write!(f, "request timed out"),
            HttpError::Connect(m) => write!(f, "connection failed: {m}"),
            HttpError::TooLarge => write!(f, "request or response too large"),
        }
    }
}

impl From<HttpError> for DeliveryError {
    /// Timeouts and connection failures are worth a retry; a denied or oversized
    /// request will be denied again.
    fn from(e: HttpError) -> DeliveryError {
        match e {
            HttpError::Timeout | HttpError::Connect(_) => DeliveryError::transient(e.to_string()),
            HttpError::Denied(_) | HttpError::TooLarge => DeliveryError::Permanent(e.to_string()),
        }
    }
}

/// Sends one request.
pub fn send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Result<Response, HttpError> {
    let req = host::HttpRequest {
        method: method.to_string(),
        url: url.to_string(),
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body,
    };
    match host::http_send(&req) {
        Ok(r) => Ok(Response {
            status: r.status,
            headers: r.headers,
            body: r.body,
        }),
        Err(host::HttpError::Denied(m)) => Err(HttpError::Denied(m)),
        Err(host::HttpError::Timeout) => Err(HttpError::Timeout),
        Err(host::HttpError::Connect(m)) => Err(HttpError::Connect(m)),
        Err(host::HttpError::TooLarge) => Err(HttpError::TooLarge),
    }
}

/// POSTs `value` as JSON (adds `Content-Type: application/json` unless given).
pub fn post_json(
    url: &str,
    headers: &[(&str, &str)],
    value: &serde_json::Value,
) -> Result<Response, HttpError> {
    let mut h: Vec<(&str, &str)> = headers.to_vec();
    if !h
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        h.push(("Content-Type", "application/json"));
    }
    send(
        "POST",
        url,
        &h,
        serde_json::to_vec(value).unwrap_or_default(),
    )
}

/// What a status code means for a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// 2xx.
    Ok,
    /// 408, 425, 429, 5xx: retry later.
    Transient,
    /// Anything else (other 4xx, redirects, which the host does not follow).
    Permanent,
}

/// Classifies a status the way the daemon's builtin sinks do.
pub fn classify(status: u16) -> Class {
    match status {
        200..=299 => Class::Ok,
        408 | 425 | 429 | 500..=599 => Class::Transient,
        _ => Class::Permanent,
    }
}

/// Parses `Retry-After` (delay-seconds or HTTP date) into milliseconds, capped at an
/// hour. `now_ms` is only consulted for the date form.
pub fn parse_retry_after(value: &str, now_ms: impl FnOnce() -> u64) -> Option<u64> {
    let v = value.trim();
    let ms = match v.parse::<u64>() {
        Ok(secs) => secs.saturating_mul(1000),
        Err(_) => {
            let at = crate::time::parse_http_date(v)?.saturating_mul(1000);
            at.saturating_sub(now_ms())
        }
    };
    Some(ms.min(3_600_000))
}

impl Response {
    /// First header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as (lossy) text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// `Retry-After` in milliseconds.
    pub fn retry_after_ms(&self) -> Option<u64> {
        parse_retry_after(self.header("retry-after")?, crate::time::now_ms)
    }

    /// `HTTP 400: <start of the reply>`.
    pub fn describe(&self) -> String {
        let body = self.text();
        let body = text::truncate(body.trim(), DETAIL_CHARS);
        if body.is_empty() {
            format!("HTTP {}", self.status)
        } else {
            format!("HTTP {}: {body}", self.status)
        }
    }

    /// Maps the response to a delivery result: 2xx → report, 408 / 425 / 429 / 5xx →
    /// transient (with `Retry-After`), anything else → permanent.
    pub fn classify(&self) -> Result<Report, DeliveryError> {
        match classify(self.status) {
            Class::Ok => Ok(Report {
                status: self.status,
                detail: text::truncate(self.text().trim(), DETAIL_CHARS),
            }),
            Class::Transient => Err(DeliveryError::Transient {
                message: self.describe(),
                retry_after_ms: self.retry_after_ms(),
            }),
            Class::Permanent => Err(DeliveryError::Permanent(self.describe())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_statuses() {
        assert_eq!(classify(200), Class::Ok);
        assert_eq!(classify(202), Class::Ok);
        for s in [408, 425, 429, 500, 503] {
            assert_eq!(classify(s), Class::Transient, "{s}");
        }
        for s in [301, 400, 401, 404, 410, 422] {
            assert_eq!(classify(s), Class::Permanent, "{s}");
        }
    }

    #[test]
    fn reads_retry_after() {
        assert_eq!(parse_retry_after("7", || unreachable!()), Some(7000));
        assert_eq!(
            parse_retry_after("Sun, 09 Sep 2001 01:46:50 GMT", || 1_000_000_000_000),
            Some(10_000)
        );
        assert_eq!(parse_retry_after("99999", || 0), Some(3_600_000));
        assert_eq!(parse_retry_after("later", || 0), None);
    }

    #[test]
    fn transient_errors_carry_retry_after() {
        let r = Response {
            status: 429,
            headers: vec![("Retry-After".into(), "3".into())],
            body: b"slow down".to_vec(),
        };
        assert_eq!(
            r.classify(),
            Err(DeliveryError::Transient {
                message: "HTTP 429: slow down".into(),
                retry_after_ms: Some(3000)
            })
        );
    }
}
