//! One endpoint health probe over the shared client (keep-alive pool, TLS roots,
//! redirect policy): the status, the time to the response headers and, on request,
//! the peer certificate. The body is read and dropped (up to a cap) so the connection
//! can be reused.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::header::{self, HeaderMap, HeaderValue};
use url::Url;

use super::Fetcher;
use super::error::{ErrorContext, FetchError, classify};

/// Body bytes read (and dropped) per probe before the connection is given up instead.
const DRAIN_CAP: usize = 64 * 1024;

/// One probe.
#[derive(Debug, Clone, Copy)]
pub struct ProbeRequest<'a> {
    /// Upper-case method.
    pub method: &'a str,
    /// Where.
    pub url: &'a Url,
    /// Extra headers, built once per watch with [`super::build_headers`].
    pub headers: &'a HeaderMap,
    /// A body and its content type: only for operations the operator opted in for.
    pub body: Option<(&'a str, &'a str)>,
    /// Total time for connect, headers and draining the body.
    pub timeout: Duration,
    /// Strings scrubbed from error details (header values).
    pub secrets: &'a [String],
    /// Return the peer's leaf certificate (DER).
    pub want_certificate: bool,
}

/// What the server answered.
#[derive(Debug, Clone)]
pub struct ProbeAnswer {
    /// HTTP status.
    pub status: u16,
    /// Time until the response headers arrived.
    pub latency: Duration,
    /// The peer's leaf certificate (DER), when asked for and https.
    pub certificate: Option<Vec<u8>>,
}

impl Fetcher {
    /// Sends one probe; an error carries how long it took to fail.
    pub async fn probe(
        &self,
        req: &ProbeRequest<'_>,
    ) -> Result<ProbeAnswer, (FetchError, Duration)> {
        let start = Instant::now();
        let redacted = crate::redact::url(req.url);
        let ctx = ErrorContext {
            url: &redacted,
            secrets: req.secrets,
            connect_timeout: self.inner.opts.connect_timeout,
            max_redirects: self.inner.opts.max_redirects,
        };
        let work = async {
            let method = reqwest::Method::from_bytes(req.method.as_bytes()).map_err(|_| {
                FetchError::Other {
                    url: redacted.clone(),
                    detail: format!("invalid method {:?}", req.method),
                }
            })?;
            let mut rb = self
                .client(self.inner.opts.connect_timeout)?
                .request(method, req.url.clone())
                .headers(req.headers.clone());
            if let Some((content_type, body)) = req.body {
                if let Ok(v) = HeaderValue::from_str(content_type) {
                    rb = rb.header(header::CONTENT_TYPE, v);
                }
                rb = rb.body(body.to_string());
            }
            let resp = rb.send().await.map_err(|e| classify(&e, &ctx))?;
            let latency = start.elapsed();
            let status = resp.status().as_u16();
            let certificate = if req.want_certificate {
                resp.extensions()
                    .get::<reqwest::tls::TlsInfo>()
                    .and_then(|t| t.peer_certificate())
                    .map(<[u8]>::to_vec)
            } else {
                None
            };
            let mut stream = resp.bytes_stream();
            let mut read = 0usize;
            while let Some(chunk) = stream.next().await {
                // An answer whose body breaks off still answered: the status stands.
                let Ok(chunk) = chunk else { break };
                read += chunk.len();
                if read > DRAIN_CAP {
                    break;
                }
            }
            Ok(ProbeAnswer {
                status,
                latency,
                certificate,
            })
        };
        match tokio::time::timeout(req.timeout, work).await {
            Ok(Ok(a)) => Ok(a),
            Ok(Err(e)) => Err((e, start.elapsed())),
            Err(_) => Err((
                FetchError::Timeout {
                    url: redacted.clone(),
                    after: req.timeout,
                    phase: "waiting for",
                    key: "health.timeout",
                },
                start.elapsed(),
            )),
        }
    }
}
