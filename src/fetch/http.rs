//! HTTP(S) fetching: conditional GET, custom headers, bounded redirects, size cap while streaming.
//!
//! Redirects are followed here, not by reqwest, so that configured headers (API keys,
//! `Authorization`, …) are sent only to the origin (scheme, host, port) of the watch's
//! URL: a redirect to another origin is followed without them. No `Referer` is ever sent.

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use reqwest::redirect::Policy;
use url::Url;

use super::error::{ErrorContext, FetchError, RedirectRefused, classify};
use super::{FetchRequest, FetchResponse, Fetched, FetcherOptions};

/// How much of an error response body is read to build its snippet.
const ERROR_BODY_PEEK: u64 = 4096;
/// Snippet length in bytes.
const SNIPPET_BYTES: usize = 200;

/// Extra root certificates that are not a valid PEM bundle.
#[derive(Debug, thiserror::Error)]
#[error("the extra root certificates are not a valid PEM bundle")]
pub struct InvalidRoots;

/// The one way specwatch starts an HTTP client (fetches, webhooks, plugin requests):
/// rustls with the system roots plus `extra_roots_pem`, our user agent, a connect
/// timeout, no `Referer` and no automatic redirects: each caller decides what a redirect
/// may do, so credentials never follow one to another origin.
pub fn client_builder(
    user_agent: &str,
    connect_timeout: Duration,
    extra_roots_pem: Option<&[u8]>,
) -> Result<reqwest::ClientBuilder, InvalidRoots> {
    let extra_roots = match extra_roots_pem {
        Some(pem) => reqwest::Certificate::from_pem_bundle(pem).map_err(|_| InvalidRoots)?,
        None => Vec::new(),
    };
    Ok(reqwest::Client::builder()
        .tls_certs_merge(extra_roots)
        .user_agent(user_agent)
        .connect_timeout(connect_timeout)
        .redirect(Policy::none())
        .referer(false))
}

/// Builds the fetcher's client: [`client_builder`] plus gzip + brotli (`get` follows
/// redirects itself, see the module doc).
pub(crate) fn build_client(opts: &FetcherOptions) -> Result<reqwest::Client, FetchError> {
    client_builder(
        &opts.user_agent,
        opts.connect_timeout,
        opts.extra_roots_pem.as_deref(),
    )
    .map_err(|e| FetchError::Client {
        detail: e.to_string(),
    })?
    .gzip(true)
    .brotli(true)
    // Health probes read the peer certificate's expiry from the connection.
    .tls_info(true)
    .build()
    .map_err(|e| FetchError::Client {
        detail: e.to_string(),
    })
}

/// Follow at most `max` redirects and never from https down to http.
/// `previous` starts with the original URL, which is not itself a redirect.
fn redirect_decision(previous: &[Url], next: &Url, max: usize) -> Result<(), RedirectRefused> {
    if previous.len() > max {
        return Err(RedirectRefused::TooMany);
    }
    let from_https = previous.last().is_some_and(|u| u.scheme() == "https");
    if from_https && next.scheme() == "http" {
        return Err(RedirectRefused::Downgrade);
    }
    Ok(())
}

/// Where a redirect response points, if it is one we follow (301, 302, 303, 307, 308
/// with a `Location` that resolves against the current URL).
fn redirect_target(resp: &reqwest::Response, current: &Url) -> Option<Url> {
    use reqwest::StatusCode as S;
    let status = resp.status();
    if ![
        S::MOVED_PERMANENTLY,
        S::FOUND,
        S::SEE_OTHER,
        S::TEMPORARY_REDIRECT,
        S::PERMANENT_REDIRECT,
    ]
    .contains(&status)
    {
        return None;
    }
    let location = resp.headers().get(header::LOCATION)?.to_str().ok()?;
    current.join(location).ok()
}

/// Checks configured headers and builds the map (values marked sensitive so they never print).
/// Errors name the header, never its value.
pub fn build_headers(headers: &[(String, String)]) -> Result<HeaderMap, FetchError> {
    let mut map = HeaderMap::with_capacity(headers.len() + 2);
    for (name, value) in headers {
        let shown = printable_name(name);
        let hname = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
            FetchError::InvalidHeader {
                name: shown.clone(),
                reason: "not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)",
            }
        })?;
        let mut hvalue =
            HeaderValue::from_str(value.trim()).map_err(|_| FetchError::InvalidHeader {
                name: shown.clone(),
                reason: "the value contains characters not allowed in HTTP headers (control characters or non-ASCII)",
            })?;
        hvalue.set_sensitive(true);
        map.append(hname, hvalue);
    }
    Ok(map)
}

/// What to scrub from error details for these headers: each whole value and its long
/// parts ("Bearer <token>" → "<token>").
pub fn header_secrets(headers: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (_, v) in headers {
        crate::redact::value_parts(v, &mut out);
    }
    out
}

/// A header name safe to print: control characters replaced, length bounded.
fn printable_name(name: &str) -> String {
    name.chars()
        .take(64)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// One GET of `url` under the request's total timeout; `client` connects within `connect_timeout`.
pub(crate) async fn fetch(
    client: &reqwest::Client,
    opts: &FetcherOptions,
    connect_timeout: Duration,
    url: &Url,
    req: &FetchRequest<'_>,
) -> Result<FetchResponse, FetchError> {
    let redacted = crate::redact::url(url);
    let mut secrets = req.source.secrets();
    secrets.extend(header_secrets(req.headers));
    let ctx = ErrorContext {
        url: &redacted,
        secrets: &secrets,
        connect_timeout,
        max_redirects: opts.max_redirects,
    };
    let configured = build_headers(req.headers)?;
    let mut conditional = HeaderMap::new();
    // A stored validator that is not a valid header value just means an unconditional GET.
    if let Some(v) = req.etag.and_then(|v| HeaderValue::from_str(v).ok()) {
        conditional.insert(header::IF_NONE_MATCH, v);
    }
    if let Some(v) = req
        .last_modified
        .and_then(|v| HeaderValue::from_str(v).ok())
    {
        conditional.insert(header::IF_MODIFIED_SINCE, v);
    }
    let headers = Headers {
        configured,
        conditional,
    };
    let work = get(client, url, &headers, req.max_size, &ctx);
    // The total timeout wraps connect, headers and the whole body, so a trickling server times out too.
    match tokio::time::timeout(req.timeout, work).await {
        Ok(result) => result,
        Err(_) => Err(FetchError::Timeout {
            url: redacted.clone(),
            after: req.timeout,
            phase: "waiting for",
            key: "timeout",
        }),
    }
}

/// The request headers of one fetch.
struct Headers {
    /// From the watch's config: sent to the URL's own origin only.
    configured: HeaderMap,
    /// `If-None-Match` / `If-Modified-Since`: sent wherever the redirects lead.
    conditional: HeaderMap,
}

/// Sends the GET and follows redirects (bounded, never https → http), sending the
/// configured headers only while the request stays on the original origin.
async fn send(
    client: &reqwest::Client,
    url: &Url,
    headers: &Headers,
    ctx: &ErrorContext<'_>,
) -> Result<reqwest::Response, FetchError> {
    let origin = url.origin();
    let mut chain = vec![url.clone()];
    let mut current = url.clone();
    loop {
        let mut h = headers.conditional.clone();
        if current.origin() == origin {
            h.extend(headers.configured.clone());
        }
        let resp = client
            .get(current.clone())
            .headers(h)
            .send()
            .await
            .map_err(|e| classify(&e, ctx))?;
        let Some(next) = redirect_target(&resp, &current) else {
            return Ok(resp);
        };
        let url = ctx.url.to_string();
        redirect_decision(&chain, &next, ctx.max_redirects).map_err(|r| match r {
            RedirectRefused::TooMany => FetchError::TooManyRedirects {
                url,
                max: ctx.max_redirects,
            },
            RedirectRefused::Downgrade => FetchError::InsecureRedirect { url },
        })?;
        chain.push(next.clone());
        current = next;
    }
}

async fn get(
    client: &reqwest::Client,
    url: &Url,
    headers: &Headers,
    max_size: u64,
    ctx: &ErrorContext<'_>,
) -> Result<FetchResponse, FetchError> {
    let resp = send(client, url, headers, ctx).await?;
    let status = resp.status();
    if status == reqwest::StatusCode::NOT_MODIFIED {
        return Ok(FetchResponse::NotModified {
            status: status.as_u16(),
        });
    }
    if !status.is_success() {
        // The snippet is best effort: a body error still reports the status.
        let body = match read_body(resp, ERROR_BODY_PEEK, ctx).await {
            Ok(Body::Complete(b) | Body::Truncated(b)) => b,
            Err(_) => Vec::new(),
        };
        return Err(FetchError::HttpStatus {
            url: ctx.url.to_string(),
            status: status.as_u16(),
            snippet: crate::redact::excerpt(&body, SNIPPET_BYTES, ctx.secrets),
        });
    }
    let text_header = |name: HeaderName| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let etag = text_header(header::ETAG);
    let last_modified = text_header(header::LAST_MODIFIED);
    let content_type = text_header(header::CONTENT_TYPE);
    if let Some(len) = resp.content_length().filter(|&len| len > max_size) {
        return Err(FetchError::TooLarge {
            source_name: ctx.url.to_string(),
            limit: max_size,
            declared: Some(len),
        });
    }
    match read_body(resp, max_size, ctx).await? {
        Body::Complete(body) => Ok(FetchResponse::Fetched(Fetched {
            body,
            status: status.as_u16(),
            etag,
            last_modified,
            content_type,
        })),
        Body::Truncated(_) => Err(FetchError::TooLarge {
            source_name: ctx.url.to_string(),
            limit: max_size,
            declared: None,
        }),
    }
}

enum Body {
    Complete(Vec<u8>),
    /// More than `cap` bytes were sent; holds the first `cap`.
    Truncated(Vec<u8>),
}

/// Streams the (decompressed) body, keeping at most `cap` bytes and stopping as soon as
/// the cap is passed, so memory stays bounded whatever the server sends.
async fn read_body(
    resp: reqwest::Response,
    cap: u64,
    ctx: &ErrorContext<'_>,
) -> Result<Body, FetchError> {
    let cap = usize::try_from(cap).unwrap_or(usize::MAX);
    let hint = resp
        .content_length()
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(0);
    let mut body = Vec::with_capacity(hint.min(cap));
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| classify(&e, ctx))?;
        let room = cap - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok(Body::Truncated(body));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Body::Complete(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn redirects_are_bounded() {
        let prev = vec![u("http://a/0"), u("http://a/1"), u("http://a/2")];
        assert!(redirect_decision(&prev, &u("http://a/3"), 3).is_ok());
        let prev = vec![
            u("http://a/0"),
            u("http://a/1"),
            u("http://a/2"),
            u("http://a/3"),
        ];
        assert!(matches!(
            redirect_decision(&prev, &u("http://a/4"), 3),
            Err(RedirectRefused::TooMany)
        ));
    }

    #[test]
    fn https_to_http_redirect_is_refused() {
        let prev = vec![u("https://a/1")];
        assert!(matches!(
            redirect_decision(&prev, &u("http://a/2"), 5),
            Err(RedirectRefused::Downgrade)
        ));
        assert!(redirect_decision(&prev, &u("https://b/2"), 5).is_ok());
        assert!(redirect_decision(&[u("http://a/1")], &u("https://a/2"), 5).is_ok());
        assert!(matches!(
            redirect_decision(&[u("http://a/1")], &u("http://a/2"), 0),
            Err(RedirectRefused::TooMany)
        ));
    }

    #[test]
    fn header_errors_name_the_header_but_not_the_value() {
        let bad_value = vec![("X-Api-Key".to_string(), "sec\nret-value".to_string())];
        let e = build_headers(&bad_value).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("`X-Api-Key`"), "{msg}");
        assert!(!msg.contains("ret-value"), "{msg}");
        assert!(!format!("{e:?}").contains("ret-value"));

        let bad_name = vec![("X Bad:Name".to_string(), "v".to_string())];
        let msg = build_headers(&bad_name).unwrap_err().to_string();
        assert!(
            msg.contains("`X Bad:Name`") && msg.contains("not a valid header name"),
            "{msg}"
        );

        let ok = vec![("Authorization".to_string(), "Bearer abc".to_string())];
        let map = build_headers(&ok).unwrap();
        assert!(map["authorization"].is_sensitive());
    }
}
