//! End-to-end fetch tests against real servers on 127.0.0.1.

use crate::support::http_server;

use std::io::Write;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use http_server::{Reply, serve};
use specwatch::fetch::FailureKind;
use specwatch::fetch::{FetchError, FetchRequest, FetchResponse, Fetcher, FetcherOptions, Source};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const MB: u64 = 1024 * 1024;

fn fetcher() -> Fetcher {
    Fetcher::new(FetcherOptions {
        connect_timeout: Duration::from_secs(2),
        ..FetcherOptions::default()
    })
    .unwrap()
}

fn source(url: &str) -> Source {
    Source::parse(url, Path::new("/")).unwrap()
}

async fn get(url: &str, timeout: Duration, max_size: u64) -> Result<FetchResponse, FetchError> {
    let src = source(url);
    fetcher()
        .fetch(&FetchRequest {
            source: &src,
            headers: &[],
            timeout,
            max_size,
            connect_timeout: None,
            etag: None,
            last_modified: None,
        })
        .await
}

fn fetched(r: Result<FetchResponse, FetchError>) -> specwatch::fetch::Fetched {
    match r {
        Ok(FetchResponse::Fetched(f)) => f,
        other => panic!("expected a body, got {other:?}"),
    }
}

#[tokio::test]
async fn ok_body_and_validators_are_captured() {
    let srv = serve(|_| {
        Reply::ok(
            "openapi: 3.0.0\n",
            &[
                ("ETag", "\"v1\""),
                ("Last-Modified", "Sat, 21 Nov 2026 10:00:00 GMT"),
                ("Content-Type", "application/yaml"),
            ],
        )
    })
    .await;
    let f = fetched(get(&srv.url("/spec.yaml"), Duration::from_secs(5), MB).await);
    assert_eq!(f.body, b"openapi: 3.0.0\n");
    assert_eq!(f.status, 200);
    assert_eq!(f.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        f.last_modified.as_deref(),
        Some("Sat, 21 Nov 2026 10:00:00 GMT")
    );
    assert_eq!(f.content_type.as_deref(), Some("application/yaml"));
    let reqs = srv.requests();
    assert_eq!(reqs[0].method, "GET");
    assert_eq!(reqs[0].target, "/spec.yaml");
    assert!(
        reqs[0]
            .header("user-agent")
            .unwrap()
            .starts_with("specwatch/")
    );
    assert!(reqs[0].header("if-none-match").is_none());
}

#[tokio::test]
async fn conditional_get_sends_validators_and_maps_304() {
    let srv = serve(|req| {
        if req.header("if-none-match") == Some("\"v1\"") {
            Reply::status(304, "", &[("ETag", "\"v1\"")])
        } else {
            Reply::ok("{}", &[("ETag", "\"v1\"")])
        }
    })
    .await;
    let src = source(&srv.url("/spec.json"));
    let headers = vec![("X-Team".to_string(), "payments".to_string())];
    let req = FetchRequest {
        source: &src,
        headers: &headers,
        timeout: Duration::from_secs(5),
        max_size: MB,
        connect_timeout: None,
        etag: Some("\"v1\""),
        last_modified: Some("Sat, 21 Nov 2026 10:00:00 GMT"),
    };
    let r = fetcher().fetch(&req).await.unwrap();
    assert_eq!(r, FetchResponse::NotModified { status: 304 });
    let seen = &srv.requests()[0];
    assert_eq!(seen.header("if-none-match"), Some("\"v1\""));
    assert_eq!(
        seen.header("if-modified-since"),
        Some("Sat, 21 Nov 2026 10:00:00 GMT")
    );
    assert_eq!(seen.header("x-team"), Some("payments"));
}

#[tokio::test]
async fn not_found_is_http_status_with_snippet() {
    let srv = serve(|_| Reply::status(404, "<html>\n<h1>Not   Found</h1>\n</html>", &[])).await;
    let e = get(&srv.url("/missing"), Duration::from_secs(5), MB)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), FailureKind::HttpStatus);
    assert_eq!(e.status(), Some(404));
    let msg = e.to_string();
    assert!(msg.contains("HTTP 404"), "{msg}");
    assert!(msg.contains("<html> <h1>Not Found</h1> </html>"), "{msg}");
}

#[tokio::test]
async fn huge_streamed_response_is_aborted_at_the_cap() {
    // 200 MB, chunked (no Content-Length): the cap must trigger while streaming.
    let srv = serve(|_| Reply::Stream {
        total: 200 * MB,
        chunk: 64 * 1024,
        content_length: false,
    })
    .await;
    let e = get(&srv.url("/huge"), Duration::from_secs(60), MB)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), FailureKind::TooLarge, "{e}");
    assert!(e.to_string().contains("cap of 1048576 bytes"), "{e}");
    // The server got nowhere near 200 MB out before the client hung up.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = srv.body_bytes_sent.load(Ordering::Relaxed);
    assert!(sent < 50 * MB, "server wrote {sent} bytes");
}

#[tokio::test]
async fn announced_content_length_over_the_cap_is_refused_up_front() {
    let srv = serve(|_| Reply::Stream {
        total: 200 * MB,
        chunk: 64 * 1024,
        content_length: true,
    })
    .await;
    let e = get(&srv.url("/huge"), Duration::from_secs(60), MB)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), FailureKind::TooLarge);
    assert!(e.to_string().contains("announced 209715200 bytes"), "{e}");
}

#[tokio::test]
async fn gzip_body_is_decoded_and_the_cap_applies_after_decoding() {
    let spec = br#"{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{}}"#.to_vec();
    let small = gzip(&spec, flate2::Compression::best());
    let bomb = gzip(&vec![b' '; 20 * MB as usize], flate2::Compression::fast());
    assert!(
        bomb.len() < 100 * 1024,
        "bomb is {} bytes compressed",
        bomb.len()
    );
    let srv = serve(move |req| {
        let body = if req.target == "/bomb" {
            bomb.clone()
        } else {
            small.clone()
        };
        Reply::ok(body, &[("Content-Encoding", "gzip")])
    })
    .await;
    let f = fetched(get(&srv.url("/spec"), Duration::from_secs(5), MB).await);
    assert_eq!(f.body, spec);
    assert!(
        srv.requests()[0]
            .header("accept-encoding")
            .is_some_and(|v| v.contains("gzip") && v.contains("br"))
    );
    let e = get(&srv.url("/bomb"), Duration::from_secs(10), MB)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), FailureKind::TooLarge, "{e}");
}

#[tokio::test]
async fn brotli_body_is_decoded() {
    let spec = b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n".to_vec();
    let mut enc = brotli::CompressorWriter::new(Vec::new(), 4096, 9, 22);
    enc.write_all(&spec).unwrap();
    let body = enc.into_inner();
    assert_ne!(body, spec);
    let srv = serve(move |_| Reply::ok(body.clone(), &[("Content-Encoding", "br")])).await;
    let f = fetched(get(&srv.url("/spec"), Duration::from_secs(5), MB).await);
    assert_eq!(f.body, spec);
}

#[tokio::test]
async fn silent_server_times_out_within_the_timeout() {
    let srv = serve(|_| Reply::Hang).await;
    let start = Instant::now();
    let e = get(&srv.url("/slow"), Duration::from_millis(800), MB)
        .await
        .unwrap_err();
    let took = start.elapsed();
    assert_eq!(e.kind(), FailureKind::Timeout, "{e}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(
        e.to_string()
            .contains("timed out after 800ms waiting for http://127.0.0.1"),
        "{e}"
    );
}

#[tokio::test]
async fn trickling_body_is_cut_by_the_total_timeout() {
    let srv = serve(|_| Reply::Trickle {
        every: Duration::from_millis(50),
    })
    .await;
    let start = Instant::now();
    let e = get(&srv.url("/trickle"), Duration::from_millis(800), MB)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), FailureKind::Timeout, "{e}");
    assert!(start.elapsed() < Duration::from_secs(3));
    assert!(
        srv.body_bytes_sent.load(Ordering::Relaxed) > 0,
        "body had started"
    );
}

#[tokio::test]
async fn refused_connection_is_connect() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let e = get(
        &format!("http://127.0.0.1:{port}/x"),
        Duration::from_secs(5),
        MB,
    )
    .await
    .unwrap_err();
    assert_eq!(e.kind(), FailureKind::Connect, "{e}");
    assert!(
        e.to_string()
            .contains("could not connect to http://127.0.0.1"),
        "{e}"
    );
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_tls() {
    // Answers the ClientHello with plain HTTP, as a misconfigured port would.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = [0u8; 512];
            let _ = sock.read(&mut buf).await;
            let _ = sock
                .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
                .await;
        }
    });
    let url = format!("https://{addr}/spec.json");
    let e = get(&url, Duration::from_secs(5), MB).await.unwrap_err();
    assert_eq!(e.kind(), FailureKind::Tls, "{e}");
    assert!(
        e.to_string().starts_with("TLS with https://127.0.0.1"),
        "{e}"
    );
}

#[tokio::test]
async fn self_signed_certificate_is_tls() {
    let addr = tls_server("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}".into()).await;
    let e = get(
        &format!("https://{addr}/spec.json"),
        Duration::from_secs(5),
        MB,
    )
    .await
    .unwrap_err();
    assert_eq!(e.kind(), FailureKind::Tls, "{e}");
    assert!(
        e.to_string()
            .contains("invalid peer certificate: UnknownIssuer"),
        "{e}"
    );
}

/// An https server on 127.0.0.1 with the fixture certificate, answering every request with `reply`.
async fn tls_server(reply: String) -> std::net::SocketAddr {
    use tokio_rustls::rustls::ServerConfig;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let cert = CertificateDer::from_pem_slice(SELF_SIGNED_CRT).unwrap();
    let key =
        PrivateKeyDer::from_pem_slice(include_bytes!("../fixtures/tls/selfsigned.key")).unwrap();
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let (acceptor, reply) = (acceptor.clone(), reply.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(sock).await else {
                    return;
                };
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    addr
}

/// The fixture certificate (self-signed, SAN 127.0.0.1; a throwaway key made for these tests).
const SELF_SIGNED_CRT: &[u8] = include_bytes!("../fixtures/tls/selfsigned.crt");

fn trusting_fetcher() -> Fetcher {
    Fetcher::new(FetcherOptions {
        extra_roots_pem: Some(SELF_SIGNED_CRT.to_vec()),
        ..FetcherOptions::default()
    })
    .unwrap()
}

#[tokio::test]
async fn https_works_with_an_extra_trusted_root() {
    let addr =
        tls_server("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}".into())
            .await;
    let src = source(&format!("https://{addr}/spec.json"));
    let req = FetchRequest {
        source: &src,
        headers: &[],
        timeout: Duration::from_secs(5),
        max_size: MB,
        connect_timeout: None,
        etag: None,
        last_modified: None,
    };
    assert_eq!(fetched(trusting_fetcher().fetch(&req).await).body, b"{}");
    // Without the extra root the same server is refused.
    assert_eq!(
        fetcher().fetch(&req).await.unwrap_err().kind(),
        FailureKind::Tls
    );
}

#[tokio::test]
async fn https_to_http_redirect_is_refused() {
    let plain = serve(|_| Reply::ok("{}", &[])).await;
    let addr = tls_server(format!(
        "HTTP/1.1 302 Found\r\nlocation: {}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
        plain.url("/spec.json")
    ))
    .await;
    let src = source(&format!("https://{addr}/spec.json"));
    let headers = vec![(
        "Authorization".to_string(),
        "Bearer do-not-leak".to_string(),
    )];
    let e = trusting_fetcher()
        .fetch(&FetchRequest {
            source: &src,
            headers: &headers,
            timeout: Duration::from_secs(5),
            max_size: MB,
            connect_timeout: None,
            etag: None,
            last_modified: None,
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind(), FailureKind::Other);
    assert!(
        e.to_string()
            .contains("refused a redirect from https to plain http"),
        "{e}"
    );
    assert!(
        plain.requests().is_empty(),
        "the plain-http server must not be contacted"
    );
}

#[test]
fn invalid_extra_roots_are_a_clear_error() {
    let e = Fetcher::new(FetcherOptions {
        extra_roots_pem: Some(
            b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n".to_vec(),
        ),
        ..FetcherOptions::default()
    })
    .unwrap_err();
    assert!(e.to_string().contains("not a valid PEM bundle"), "{e}");
}

#[tokio::test]
async fn redirect_loop_stops_with_too_many_redirects() {
    let srv = serve(|_| Reply::status(302, "", &[("Location", "/loop")])).await;
    let e = get(&srv.url("/loop"), Duration::from_secs(5), MB)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), FailureKind::Other);
    assert!(e.to_string().contains("too many redirects"), "{e}");
    // The first request plus the default 5 followed redirects.
    assert_eq!(srv.requests().len(), 6);
}

#[tokio::test]
async fn a_redirect_is_followed() {
    let srv = serve(|req| match req.target.as_str() {
        "/old" => Reply::status(301, "", &[("Location", "/new")]),
        _ => Reply::ok("moved here", &[]),
    })
    .await;
    let f = fetched(get(&srv.url("/old"), Duration::from_secs(5), MB).await);
    assert_eq!(f.body, b"moved here");
}

/// Configured headers and URL credentials stay on the watch URL's origin: a redirect to
/// another origin (another port on the same host) is followed without them, and no
/// `Referer` ever carries the original URL (with its query token) anywhere.
#[tokio::test]
async fn credentials_never_follow_a_redirect_to_another_origin() {
    let other = serve(|_| Reply::ok("{\"openapi\": \"3.0.0\"}", &[])).await;
    let target = other.url("/spec.json");
    let home = serve(
        move |req| match req.target.split('?').next().unwrap_or("") {
            "/start" => Reply::status(302, "", &[("Location", "/moved")]),
            "/moved" => Reply::status(307, "", &[("Location", target.as_str())]),
            _ => Reply::status(404, "", &[]),
        },
    )
    .await;
    let src = source(&format!(
        "http://user:pw-secret-1@{}/start?token=query-secret-2",
        home.addr
    ));
    let headers = vec![
        ("X-Api-Key".to_string(), "key-secret-3".to_string()),
        (
            "Authorization".to_string(),
            "Bearer auth-secret-4".to_string(),
        ),
    ];
    let f = fetched(
        fetcher()
            .fetch(&FetchRequest {
                source: &src,
                headers: &headers,
                timeout: Duration::from_secs(5),
                connect_timeout: None,
                max_size: MB,
                etag: None,
                last_modified: None,
            })
            .await,
    );
    assert_eq!(f.body, b"{\"openapi\": \"3.0.0\"}");
    // The same-origin hop kept the configured headers.
    let own = home.requests();
    assert_eq!(own.len(), 2, "{own:?}");
    for r in &own {
        assert_eq!(r.header("x-api-key"), Some("key-secret-3"), "{r:?}");
        assert_eq!(r.header("authorization"), Some("Bearer auth-secret-4"));
        assert_eq!(r.header("referer"), None, "{r:?}");
    }
    let seen = other.requests();
    assert_eq!(seen.len(), 1, "{seen:?}");
    let text = format!("{:?}", seen[0]);
    for secret in [
        "key-secret-3",
        "auth-secret-4",
        "pw-secret-1",
        "query-secret-2",
        "x-api-key",
        "authorization",
        "referer",
    ] {
        assert!(
            !text.contains(secret),
            "{secret} reached the other origin: {text}"
        );
    }
}

#[tokio::test]
async fn secrets_never_appear_in_errors() {
    const HEADER_SECRET: &str = "Bearer hdr-secret-4242";
    const QUERY_SECRET: &str = "qry-secret-9999";
    const PASSWORD: &str = "pw-secret-1234";
    // The server echoes what it received: a worst case for error snippets.
    let srv = serve(|req| {
        let echo = format!(
            "denied {} auth={} token-alone={}",
            req.target,
            req.header("authorization").unwrap_or(""),
            req.header("authorization")
                .unwrap_or("")
                .trim_start_matches("Bearer ")
        );
        if req.target.starts_with("/hang") {
            Reply::Hang
        } else {
            Reply::status(401, echo, &[])
        }
    })
    .await;
    let headers = vec![("Authorization".to_string(), HEADER_SECRET.to_string())];
    for (path, timeout) in [("/denied", 5000), ("/hang", 300)] {
        let url = format!(
            "http://user:{PASSWORD}@{}{path}?token={QUERY_SECRET}&v=1",
            srv.addr
        );
        let src = source(&url);
        let e = fetcher()
            .fetch(&FetchRequest {
                source: &src,
                headers: &headers,
                timeout: Duration::from_millis(timeout),
                max_size: MB,
                connect_timeout: None,
                etag: None,
                last_modified: None,
            })
            .await
            .unwrap_err();
        for text in [e.to_string(), format!("{e:?}")] {
            for secret in [HEADER_SECRET, "hdr-secret-4242", QUERY_SECRET, PASSWORD] {
                assert!(!text.contains(secret), "{secret} leaked in {text}");
            }
            assert!(text.contains("token=***"), "{text}");
        }
    }
    // The secrets did reach the server, so the scrubbing above was really exercised.
    let first = &srv.requests()[0];
    assert!(first.target.contains(QUERY_SECRET));
    assert_eq!(first.header("authorization"), Some(HEADER_SECRET));
}

#[tokio::test]
async fn invalid_header_is_rejected_naming_only_the_header() {
    let src = source("http://127.0.0.1:9/");
    let headers = vec![("X-Key".to_string(), "s3cr3t\r\nInjected: 1".to_string())];
    let e = fetcher()
        .fetch(&FetchRequest {
            source: &src,
            headers: &headers,
            timeout: Duration::from_secs(1),
            max_size: MB,
            connect_timeout: None,
            etag: None,
            last_modified: None,
        })
        .await
        .unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("`X-Key`") && !msg.contains("s3cr3t"), "{msg}");
    assert_eq!(e.kind(), FailureKind::Other);
}

#[tokio::test]
async fn file_sources_go_through_the_same_api() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("spec.json"), b"{}").unwrap();
    let src = Source::parse("spec.json", dir.path()).unwrap();
    let req = FetchRequest {
        source: &src,
        headers: &[],
        timeout: Duration::from_secs(1),
        max_size: 2,
        connect_timeout: None,
        etag: None,
        last_modified: None,
    };
    assert_eq!(fetched(fetcher().fetch(&req).await).body, b"{}");
    let src = Source::parse("missing.json", dir.path()).unwrap();
    let e = fetcher()
        .fetch(&FetchRequest {
            source: &src,
            ..req
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind(), FailureKind::Io);
}

fn gzip(data: &[u8], level: flate2::Compression) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), level);
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}
