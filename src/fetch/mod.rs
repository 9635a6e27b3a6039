//! Fetching specs over HTTP(S) or from local files, with caps, timeouts and conditional GET.

mod error;
mod file;
mod http;
mod probe;
mod source;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

pub use error::{FailureKind, FetchError};
pub use http::{InvalidRoots, build_headers, client_builder, header_secrets};
pub use probe::{ProbeAnswer, ProbeRequest};
pub use source::{Source, SourceError};

/// Settings shared by every fetch of one [`Fetcher`].
#[derive(Debug, Clone)]
pub struct FetcherOptions {
    /// `User-Agent` sent with every request.
    pub user_agent: String,
    /// Redirects followed before giving up (default 5).
    pub max_redirects: usize,
    /// TCP + TLS connect timeout (default 10 s); the per-request total timeout also applies.
    pub connect_timeout: Duration,
    /// Extra trusted root certificates (a PEM bundle, e.g. a private CA), added to the system roots.
    pub extra_roots_pem: Option<Vec<u8>>,
}

impl Default for FetcherOptions {
    fn default() -> Self {
        Self {
            user_agent: concat!("specwatch/", env!("CARGO_PKG_VERSION")).to_string(),
            max_redirects: 5,
            connect_timeout: Duration::from_secs(10),
            extra_roots_pem: None,
        }
    }
}

/// Fetches sources; cheap to clone, one connection pool shared by all watches.
#[derive(Debug, Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    opts: FetcherOptions,
    /// One client (with its connection pool) per connect timeout in use: reqwest sets the
    /// connect timeout per client, and watches may each set their own. Keyed by the few
    /// distinct configured values, so it stays small.
    clients: Mutex<HashMap<Duration, reqwest::Client>>,
}

/// One fetch: where, with which headers, limits and stored validators.
#[derive(Debug, Clone, Copy)]
pub struct FetchRequest<'a> {
    /// What to fetch.
    pub source: &'a Source,
    /// Extra request headers (values are secrets: never logged).
    pub headers: &'a [(String, String)],
    /// Total time for connect, headers and the whole body.
    pub timeout: Duration,
    /// TCP + TLS connect timeout of this request (the watch's `connect_timeout`); `None`
    /// uses the fetcher's default.
    pub connect_timeout: Option<Duration>,
    /// Cap on the (decompressed) body size in bytes.
    pub max_size: u64,
    /// Stored ETag, sent as `If-None-Match`.
    pub etag: Option<&'a str>,
    /// Stored Last-Modified, sent as `If-Modified-Since`.
    pub last_modified: Option<&'a str>,
}

/// What a successful fetch returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchResponse {
    /// 304: the stored version is current.
    NotModified {
        /// The HTTP status (304).
        status: u16,
    },
    /// A body.
    Fetched(Fetched),
}

/// A fetched body with the response metadata worth storing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// Raw (decompressed) bytes.
    pub body: Vec<u8>,
    /// HTTP status (2xx); 200 for files.
    pub status: u16,
    /// `ETag` response header.
    pub etag: Option<String>,
    /// `Last-Modified` response header.
    pub last_modified: Option<String>,
    /// `Content-Type` response header.
    pub content_type: Option<String>,
}

impl Fetcher {
    /// Builds the shared HTTP client (rustls, gzip + brotli, bounded redirects).
    pub fn new(opts: FetcherOptions) -> Result<Fetcher, FetchError> {
        let client = http::build_client(&opts)?;
        let clients = Mutex::new(HashMap::from([(opts.connect_timeout, client)]));
        Ok(Fetcher {
            inner: Arc::new(Inner { opts, clients }),
        })
    }

    /// The shared client setup (TLS roots, user agent, no automatic redirects) for other
    /// outbound calls of the daemon, e.g. the language-model summary.
    pub fn http_client(&self, connect_timeout: Duration) -> Result<reqwest::Client, FetchError> {
        self.client(connect_timeout)
    }

    /// The client whose connect timeout is `connect_timeout`, built on first use.
    fn client(&self, connect_timeout: Duration) -> Result<reqwest::Client, FetchError> {
        let mut clients = self
            .inner
            .clients
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(c) = clients.get(&connect_timeout) {
            return Ok(c.clone());
        }
        let client = http::build_client(&FetcherOptions {
            connect_timeout,
            ..self.inner.opts.clone()
        })?;
        clients.insert(connect_timeout, client.clone());
        Ok(client)
    }

    /// Fetches one source; errors are classified (see [`FetchError::kind`]).
    pub async fn fetch(&self, req: &FetchRequest<'_>) -> Result<FetchResponse, FetchError> {
        match req.source {
            Source::Url(url) => {
                let connect_timeout = req
                    .connect_timeout
                    .unwrap_or(self.inner.opts.connect_timeout);
                let client = self.client(connect_timeout)?;
                http::fetch(&client, &self.inner.opts, connect_timeout, url, req).await
            }
            Source::File(path) => file::read(path, req.max_size, req.timeout)
                .await
                .map(FetchResponse::Fetched),
        }
    }
}
