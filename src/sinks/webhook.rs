//! The builtin webhook sink: POSTs the `specwatch.alert.v1` JSON, signed with
//! HMAC-SHA256 when a secret is set, and classifies the receiver's answer.

use std::fmt;
use std::time::{Duration, SystemTime};

use hmac::{Hmac, Mac};
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use sha2::Sha256;

use super::EXCERPT_BYTES;
use super::{Delivery, DeliveryReport, Sink, SinkError, classify_status, parse_retry_after};
use crate::config::alerts::WebhookSinkConfig;
use crate::redact::{excerpt, scrub};

/// Bytes of the receiver's reply read at most (enough for the excerpt; the rest is dropped).
const REPLY_PEEK: usize = 4096;

/// `User-Agent` of every webhook request.
const USER_AGENT: &str = concat!("specwatch/", env!("CARGO_PKG_VERSION"));

/// Header carrying the signature.
pub const SIGNATURE_HEADER: &str = "x-specwatch-signature";

/// The `X-Specwatch-Signature` value for `body` signed at Unix time `t`:
/// `t=<t>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`.
pub fn sign(secret: &[u8], t: i64, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Delivers notifications as signed JSON POSTs to one URL.
pub struct WebhookSink {
    name: String,
    url: reqwest::Url,
    secret: Option<Vec<u8>>,
    /// Configured extra headers (marked sensitive).
    headers: HeaderMap,
    client: reqwest::Client,
    timeout: Duration,
    /// Strings scrubbed from every error message: URL parts, header values, the secret.
    secrets: Vec<String>,
}

impl fmt::Debug for WebhookSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // URL, secret and header values may all hold credentials.
        f.debug_struct("WebhookSink")
            .field("name", &self.name)
            .field("signed", &self.secret.is_some())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl WebhookSink {
    /// Builds the sink from its config; `timeout` bounds each attempt.
    pub fn new(
        name: &str,
        cfg: &WebhookSinkConfig,
        timeout: Duration,
    ) -> Result<WebhookSink, SinkError> {
        Self::with_extra_roots(name, cfg, timeout, None)
    }

    /// Like [`WebhookSink::new`], also trusting the root certificates of a PEM bundle
    /// (a private CA) besides the system roots, as the fetcher's `extra_roots_pem` does.
    pub fn with_extra_roots(
        name: &str,
        cfg: &WebhookSinkConfig,
        timeout: Duration,
        extra_roots_pem: Option<&[u8]>,
    ) -> Result<WebhookSink, SinkError> {
        let invalid = |what: String| SinkError::InvalidConfig(format!("sink {name:?}: {what}"));
        let url = reqwest::Url::parse(cfg.url.expose())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                invalid(
                    "`url` is not an http(s) URL (the value is not shown: it may hold a secret)"
                        .into(),
                )
            })?;
        let pairs: Vec<(String, String)> = cfg
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.expose().to_string()))
            .collect();
        let headers = crate::fetch::build_headers(&pairs).map_err(|e| invalid(e.to_string()))?;
        // A redirect would resend a signed body somewhere else: the builder refuses
        // redirects, so one is reported instead.
        let client = crate::fetch::client_builder(USER_AGENT, timeout, extra_roots_pem)
            .map_err(|e| invalid(e.to_string()))?
            .timeout(timeout)
            .build()
            .map_err(|e| invalid(format!("cannot build the HTTP client: {e}")))?;
        Ok(WebhookSink {
            name: name.to_string(),
            secrets: secret_parts(&url, cfg),
            url,
            secret: cfg.secret.as_ref().map(|s| s.expose().as_bytes().to_vec()),
            headers,
            client,
            timeout,
        })
    }

    /// Every header of one attempt: the configured ones, then ours, which win so a
    /// config cannot replace the signature or idempotency key.
    fn request_headers(&self, d: &Delivery<'_>, now: i64) -> Result<HeaderMap, SinkError> {
        let mut h = self.headers.clone();
        let text = |name: &str, v: &str| {
            HeaderValue::from_str(v).map_err(|_| SinkError::Permanent {
                message: format!(
                    "the {name} header value has characters not allowed in HTTP headers"
                ),
                status: None,
            })
        };
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        h.insert(header::USER_AGENT, HeaderValue::from_static(USER_AGENT));
        h.insert(
            HeaderName::from_static("idempotency-key"),
            text("Idempotency-Key", d.idempotency_key)?,
        );
        h.insert(
            HeaderName::from_static("x-specwatch-event"),
            HeaderValue::from_static(d.payload.event.as_str()),
        );
        h.insert(
            HeaderName::from_static("x-specwatch-delivery-attempt"),
            HeaderValue::from(d.attempt),
        );
        if let Some(secret) = &self.secret {
            let mut v = text("signature", &sign(secret, now, d.body))?;
            v.set_sensitive(true);
            h.insert(HeaderName::from_static(SIGNATURE_HEADER), v);
        }
        Ok(h)
    }

    async fn post(&self, d: &Delivery<'_>) -> Result<DeliveryReport, SinkError> {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let headers = self.request_headers(d, now)?;
        let mut resp = self
            .client
            .post(self.url.clone())
            .headers(headers)
            .body(d.body.to_vec())
            .send()
            .await
            .map_err(|e| self.request_error(&e))?;
        let status = resp.status();
        let retry_after = resp
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        // Best effort: a reply that breaks off still has its status reported.
        let mut reply = Vec::new();
        while reply.len() < REPLY_PEEK {
            match resp.chunk().await {
                Ok(Some(chunk)) => reply.extend_from_slice(&chunk),
                _ => break,
            }
        }
        outcome(
            status,
            retry_after,
            &excerpt(&reply, EXCERPT_BYTES, &self.secrets),
        )
    }

    /// A request that got no response: always worth retrying. Never shows the URL.
    fn request_error(&self, e: &reqwest::Error) -> SinkError {
        let what = if e.is_timeout() {
            format!("no answer from the receiver within {:?}", self.timeout)
        } else if crate::error_chain::is_tls(e) {
            "the TLS handshake with the receiver failed (is its certificate valid for the host and signed by a trusted CA?)".to_string()
        } else if e.is_connect() {
            "could not connect to the receiver".to_string()
        } else {
            "the request to the receiver failed".to_string()
        };
        // The causes only: reqwest's own text names the URL.
        let causes = std::error::Error::source(e)
            .map(crate::error_chain::describe)
            .unwrap_or_default();
        let message = if causes.is_empty() {
            what
        } else {
            format!("{what}: {causes}")
        };
        SinkError::Transient {
            message: scrub(&message, &self.secrets),
            status: None,
            retry_after: None,
        }
    }
}

/// What the receiver's answer means: 2xx delivered; 408 / 425 / 429 / 5xx transient
/// (with its `Retry-After`); 3xx and every other status permanent. `said` is the
/// (already scrubbed) excerpt of its reply.
fn outcome(
    status: reqwest::StatusCode,
    retry_after: Option<Duration>,
    said: &str,
) -> Result<DeliveryReport, SinkError> {
    let code = status.as_u16();
    let answered = match status.canonical_reason() {
        Some(reason) => format!("HTTP {code} {reason}"),
        None => format!("HTTP {code}"),
    };
    let with_reply = if said.is_empty() {
        answered.clone()
    } else {
        format!("{answered}: {said:?}")
    };
    if status.is_redirection() {
        return Err(SinkError::Permanent {
            message: format!(
                "the receiver redirected ({answered}); redirects are not followed, set the sink's `url` to the final address"
            ),
            status: Some(code),
        });
    }
    match classify_status(code) {
        Ok(()) => Ok(DeliveryReport {
            status: Some(code),
            detail: with_reply,
        }),
        Err(true) => Err(SinkError::Transient {
            message: format!("the receiver answered {with_reply}"),
            status: Some(code),
            retry_after,
        }),
        Err(false) => Err(SinkError::Permanent {
            message: format!(
                "the receiver rejected the notification with {with_reply}; retrying will not help, check the receiver"
            ),
            status: Some(code),
        }),
    }
}

/// The parts of the config that must never appear in a message.
fn secret_parts(url: &reqwest::Url, cfg: &WebhookSinkConfig) -> Vec<String> {
    let mut out = vec![url.to_string()];
    crate::redact::value_parts(cfg.url.expose(), &mut out);
    out.extend(cfg.secret.iter().map(|s| s.expose().to_string()));
    for (_, v) in &cfg.headers {
        crate::redact::value_parts(v.expose(), &mut out);
    }
    out
}

impl Sink for WebhookSink {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> String {
        "webhook".to_string()
    }

    fn deliver<'a>(
        &'a self,
        delivery: &'a Delivery<'a>,
    ) -> futures_util::future::BoxFuture<'a, Result<DeliveryReport, SinkError>> {
        Box::pin(async move {
            // reqwest's own timeout covers the request; this also bounds reading the reply.
            match tokio::time::timeout(self.timeout, self.post(delivery)).await {
                Ok(r) => r,
                Err(_) => Err(SinkError::Transient {
                    message: format!("no answer from the receiver within {:?}", self.timeout),
                    status: None,
                    retry_after: None,
                }),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    #[test]
    fn signature_matches_a_known_vector() {
        // python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test",
        //   b"1700000000.{\"a\":1}", hashlib.sha256).hexdigest())'
        assert_eq!(
            sign(b"whsec_test", 1_700_000_000, br#"{"a":1}"#),
            "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
        );
    }

    #[test]
    fn signature_depends_on_time_body_and_secret() {
        let base = sign(b"k", 1, b"body");
        assert_ne!(base, sign(b"k", 2, b"body"));
        assert_ne!(base, sign(b"k", 1, b"body!"));
        assert_ne!(base, sign(b"k2", 1, b"body"));
        assert!(base.starts_with("t=1,v1="));
        assert_eq!(base.len(), "t=1,v1=".len() + 64);
    }

    fn cfg(url: &str) -> WebhookSinkConfig {
        WebhookSinkConfig {
            url: Secret(url.into()),
            secret: Some(Secret("whsec_abcdef".into())),
            headers: vec![("Authorization".into(), Secret("Bearer tok-123456".into()))],
        }
    }

    fn status(code: u16) -> reqwest::StatusCode {
        reqwest::StatusCode::from_u16(code).unwrap()
    }

    #[test]
    fn answers_classify_by_status() {
        let ok = outcome(status(204), None, "").unwrap();
        assert_eq!(
            (ok.status, ok.detail.as_str()),
            (Some(204), "HTTP 204 No Content")
        );
        let wait = Some(Duration::from_secs(9));
        for code in [408, 425, 429, 500, 502, 503] {
            let err = outcome(status(code), wait, "busy").unwrap_err();
            assert_eq!(
                err,
                SinkError::Transient {
                    message: format!(
                        "the receiver answered HTTP {code} {}: \"busy\"",
                        status(code).canonical_reason().unwrap()
                    ),
                    status: Some(code),
                    retry_after: wait,
                }
            );
        }
        for code in [400, 401, 404, 410, 422] {
            let err = outcome(status(code), wait, "no").unwrap_err();
            assert!(
                matches!(&err, SinkError::Permanent { status: Some(c), message } if *c == code && message.contains("\"no\"")),
                "{err:?}"
            );
        }
    }

    #[test]
    fn redirects_are_permanent_and_say_so() {
        for code in [301, 302, 307, 308] {
            let err = outcome(status(code), None, "").unwrap_err();
            let SinkError::Permanent { message, status } = &err else {
                panic!("{err:?}");
            };
            assert_eq!(*status, Some(code));
            assert!(message.contains("the receiver redirected"), "{message}");
        }
    }

    #[test]
    fn debug_shows_no_secrets() {
        let s = WebhookSink::new(
            "hook",
            &cfg("https://h.example/hooks/T0KEN-PATH?key=qsecret"),
            Duration::from_secs(1),
        )
        .unwrap();
        let dbg = format!("{s:?}");
        for secret in ["T0KEN-PATH", "qsecret", "whsec_abcdef", "tok-123456"] {
            assert!(!dbg.contains(secret), "{dbg}");
        }
        assert!(dbg.contains("hook"));
    }

    #[test]
    fn bad_config_errors_name_the_sink_not_the_value() {
        let err = WebhookSink::new("hook", &cfg("ftp://x/SECRETPATH"), Duration::from_secs(1))
            .unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, SinkError::InvalidConfig(_)));
        assert!(
            msg.contains("\"hook\"") && !msg.contains("SECRETPATH"),
            "{msg}"
        );
        let mut c = cfg("https://x/");
        c.headers = vec![("Bad Header".into(), Secret("v4lue-secret".into()))];
        let msg = WebhookSink::new("hook", &c, Duration::from_secs(1))
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("Bad Header") && !msg.contains("v4lue-secret"),
            "{msg}"
        );
    }

    #[test]
    fn secret_parts_cover_path_query_and_tokens() {
        let c = cfg("https://u:pw-secret@h.example/hooks/T0KEN-abcdef?sig=abc123");
        let url = reqwest::Url::parse(c.url.expose()).unwrap();
        let parts = secret_parts(&url, &c);
        let msg = scrub(
            "x /hooks/T0KEN-abcdef T0KEN-abcdef sig=abc123 abc123 pw-secret tok-123456 whsec_abcdef hooks",
            &parts,
        );
        assert_eq!(msg, "x *** *** *** *** *** *** *** hooks");
    }
}
