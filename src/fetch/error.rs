//! Fetch failures: one variant per failure class, with messages that say what to do.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error_chain::{causes, is_tls};

/// Why a fetch failed. Messages name the redacted source, never header values or URL secrets.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The host name did not resolve.
    #[error(
        "could not resolve the host of {url}: {detail} (check the host name and this machine's DNS)"
    )]
    Dns {
        /// Redacted URL.
        url: String,
        /// Underlying cause.
        detail: String,
    },
    /// TCP connect failed (refused, unreachable, reset).
    #[error(
        "could not connect to {url}: {detail} (check that the server is up and reachable from here)"
    )]
    Connect {
        /// Redacted URL.
        url: String,
        /// Underlying cause.
        detail: String,
    },
    /// Connect timeout or total timeout (headers and the whole body).
    #[error("timed out after {} {phase} {url} (raise `{key}` for this watch if the server is slow)", fmt_duration(*after))]
    Timeout {
        /// Redacted URL.
        url: String,
        /// The limit that was hit.
        after: Duration,
        /// "connecting to" or "waiting for".
        phase: &'static str,
        /// The watch setting that sets this limit: `connect_timeout` or `timeout`.
        key: &'static str,
    },
    /// TLS handshake or certificate failure.
    #[error(
        "TLS with {url} failed: {detail} (check the server's certificate, or that it speaks https on this port)"
    )]
    Tls {
        /// Redacted URL.
        url: String,
        /// Underlying cause.
        detail: String,
    },
    /// The server answered with a status other than 2xx or 304.
    #[error(
        "{url} answered HTTP {status}{} ({})",
        snippet_suffix(snippet),
        status_hint(*status)
    )]
    HttpStatus {
        /// Redacted URL.
        url: String,
        /// HTTP status code.
        status: u16,
        /// Start of the response body (≤ 200 chars, single line, secrets scrubbed).
        snippet: String,
    },
    /// The body (after decompression) exceeded the size cap.
    #[error("{source_name} is larger than the cap of {limit} bytes{} (raise `max_spec_size` for this watch if the spec really is this big)", declared_suffix(*declared))]
    TooLarge {
        /// Redacted URL or file path.
        source_name: String,
        /// The cap.
        limit: u64,
        /// Size announced up front (Content-Length or file size), if any.
        declared: Option<u64>,
    },
    /// A local file could not be read.
    #[error(
        "could not read {path}: {detail} (check the path; relative paths are resolved against the config file's directory)"
    )]
    Io {
        /// The file path.
        path: String,
        /// Underlying cause.
        detail: String,
    },
    /// More redirects than allowed (e.g. a redirect loop).
    #[error(
        "too many redirects (more than {max}) fetching {url} (point `url` at the final location)"
    )]
    TooManyRedirects {
        /// Redacted URL.
        url: String,
        /// The redirect limit.
        max: usize,
    },
    /// A redirect from https to http, refused so credentials never travel in clear text.
    #[error(
        "refused a redirect from https to plain http fetching {url} (point `url` at an https location)"
    )]
    InsecureRedirect {
        /// Redacted URL.
        url: String,
    },
    /// A configured header name or value is not valid HTTP (only the name is shown).
    #[error("header `{name}` is invalid: {reason} (fix it in this watch's `headers`)")]
    InvalidHeader {
        /// Header name (sanitized).
        name: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// The HTTP client could not be built.
    #[error("could not set up the HTTP client: {detail}")]
    Client {
        /// Underlying cause.
        detail: String,
    },
    /// Any other failure (bad body encoding, protocol error, …).
    #[error("fetching {url} failed: {detail}")]
    Other {
        /// Redacted URL.
        url: String,
        /// Underlying cause.
        detail: String,
    },
}

impl FetchError {
    /// The failure class stored on the poll record.
    pub fn kind(&self) -> FailureKind {
        match self {
            Self::Dns { .. } => FailureKind::Dns,
            Self::Connect { .. } => FailureKind::Connect,
            Self::Timeout { .. } => FailureKind::Timeout,
            Self::Tls { .. } => FailureKind::Tls,
            Self::HttpStatus { .. } => FailureKind::HttpStatus,
            Self::TooLarge { .. } => FailureKind::TooLarge,
            Self::Io { .. } => FailureKind::Io,
            Self::TooManyRedirects { .. }
            | Self::InsecureRedirect { .. }
            | Self::InvalidHeader { .. }
            | Self::Client { .. }
            | Self::Other { .. } => FailureKind::Other,
        }
    }

    /// The HTTP status, when the server answered with an error status.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::HttpStatus { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Why our redirect policy refused to follow a redirect.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RedirectRefused {
    /// Over the limit.
    #[error("too many redirects")]
    TooMany,
    /// https → http.
    #[error("redirect from https to http refused")]
    Downgrade,
}

/// Context for turning a transport error into a [`FetchError`].
pub(crate) struct ErrorContext<'a> {
    /// Redacted URL.
    pub url: &'a str,
    /// Strings to scrub from any detail text.
    pub secrets: &'a [String],
    /// Configured connect timeout.
    pub connect_timeout: Duration,
    /// Configured redirect limit.
    pub max_redirects: usize,
}

/// Classifies a reqwest error by walking its source chain.
pub(crate) fn classify(err: &reqwest::Error, ctx: &ErrorContext<'_>) -> FetchError {
    let url = ctx.url.to_string();
    let detail = crate::redact::scrub(&root_detail(err), ctx.secrets);
    if is_tls(err) {
        return FetchError::Tls { url, detail };
    }
    if err.is_dns() || chain_mentions(err, "failed to lookup address") {
        return FetchError::Dns { url, detail };
    }
    if err.is_timeout() {
        // A timeout below the total-timeout wrapper can only be the connect timeout.
        return FetchError::Timeout {
            url,
            after: ctx.connect_timeout,
            phase: "connecting to",
            key: "connect_timeout",
        };
    }
    if err.is_connect() {
        return FetchError::Connect { url, detail };
    }
    FetchError::Other { url, detail }
}

fn chain_mentions(err: &reqwest::Error, needle: &str) -> bool {
    causes(err).any(|e| e.to_string().contains(needle))
}

/// The innermost cause's text: reqwest's own Display carries the full URL (with query secrets),
/// so it is never used.
fn root_detail(err: &reqwest::Error) -> String {
    let last = causes(err)
        .filter(|e| !e.is::<reqwest::Error>())
        .last()
        .map(|e| e.to_string());
    last.unwrap_or_else(|| {
        if err.is_decode() {
            "the response body could not be decoded".into()
        } else if err.is_body() {
            "the response body could not be read".into()
        } else {
            "the request failed".into()
        }
    })
}

/// What to do about an error status: (lowest status, highest status, hint). First match wins.
const STATUS_HINTS: &[(u16, u16, &str)] = &[
    (401, 401, "check the credentials in this watch's `headers`"),
    (
        403,
        403,
        "check the credentials in this watch's `headers` and that they may read this URL",
    ),
    (404, 404, "check the URL; the spec may have moved"),
    (
        410,
        410,
        "the spec was removed; point `url` at its new location",
    ),
    (
        429,
        429,
        "the server is rate limiting; poll less often with a longer `schedule`",
    ),
    (
        300,
        399,
        "a redirect without a usable Location; point `url` at the final location",
    ),
    (400, 499, "check the URL and this watch's `headers`"),
    (500, 599, "the server is failing; the next poll retries"),
];

fn status_hint(status: u16) -> &'static str {
    STATUS_HINTS
        .iter()
        .find(|(lo, hi, _)| (*lo..=*hi).contains(&status))
        .map_or("check the URL", |(_, _, hint)| hint)
}

fn snippet_suffix(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(": \"{s}\"")
    }
}

fn declared_suffix(declared: Option<u64>) -> String {
    declared.map_or_else(String::new, |d| format!(" (announced {d} bytes)"))
}

/// `30s`, `1.5s`, `250ms`, `2m`.
pub(crate) fn fmt_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(60_000) && ms >= 60_000 {
        format!("{}m", ms / 60_000)
    } else if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else if ms >= 1000 {
        format!("{:.1}s", d.as_secs_f64())
    } else {
        format!("{ms}ms")
    }
}

/// Classification of a failed poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// Name resolution failed.
    Dns,
    /// TCP connect failed or was refused.
    Connect,
    /// Connect or total timeout.
    Timeout,
    /// TLS handshake or certificate failure.
    Tls,
    /// Server answered with a non-success status.
    HttpStatus,
    /// Response exceeded `max_spec_size`.
    TooLarge,
    /// Body is not an OpenAPI / Swagger document (HTML page, invalid YAML/JSON, bomb, too deep).
    NotASpec,
    /// Local file could not be read.
    Io,
    /// Anything else (invalid URL, too many redirects, …).
    Other,
}

impl FailureKind {
    /// Stable lowercase name, as stored and printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dns => "dns",
            Self::Connect => "connect",
            Self::Timeout => "timeout",
            Self::Tls => "tls",
            Self::HttpStatus => "http_status",
            Self::TooLarge => "too_large",
            Self::NotASpec => "not_a_spec",
            Self::Io => "io",
            Self::Other => "other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses() {
        let e = FetchError::HttpStatus {
            url: "u".into(),
            status: 404,
            snippet: String::new(),
        };
        assert_eq!(e.kind(), FailureKind::HttpStatus);
        assert_eq!(e.status(), Some(404));
        let e = FetchError::TooManyRedirects {
            url: "u".into(),
            max: 5,
        };
        assert_eq!(e.kind(), FailureKind::Other);
        assert!(e.to_string().contains("too many redirects"));
        assert_eq!(e.status(), None);
    }

    #[test]
    fn status_messages_carry_a_fitting_hint() {
        let msg = |status| {
            FetchError::HttpStatus {
                url: "https://x/s".into(),
                status,
                snippet: "oops".into(),
            }
            .to_string()
        };
        assert_eq!(
            msg(404),
            "https://x/s answered HTTP 404: \"oops\" (check the URL; the spec may have moved)"
        );
        assert!(msg(401).contains("credentials"));
        assert!(msg(503).contains("the next poll retries"));
        assert!(msg(418).contains("check the URL and this watch's `headers`"));
        assert!(msg(299).ends_with("(check the URL)"));
    }

    #[test]
    fn timeout_message_names_the_limit_and_the_fix() {
        let e = FetchError::Timeout {
            url: "https://api.example/spec.json".into(),
            after: Duration::from_secs(30),
            phase: "waiting for",
            key: "timeout",
        };
        assert_eq!(
            e.to_string(),
            "timed out after 30s waiting for https://api.example/spec.json (raise `timeout` for this watch if the server is slow)"
        );
    }

    #[test]
    fn durations_render_compactly() {
        assert_eq!(fmt_duration(Duration::from_millis(250)), "250ms");
        assert_eq!(fmt_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(fmt_duration(Duration::from_secs(120)), "2m");
        assert_eq!(fmt_duration(Duration::from_secs(30)), "30s");
    }
}
