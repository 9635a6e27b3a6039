//! Fetch benchmarks against a loopback server:
//! - a 200 MB response aborted at a 1 MB cap (chunked, Content-Length, and a gzip bomb): time to
//!   the error and peak-RSS growth (VmHWM, reset through /proc/self/clear_refs before each run);
//! - 304 throughput: conditional GETs per second with 64 in flight.
//!
//! Run: `cargo bench --bench fetch`

#[allow(dead_code)] // shared with tests; not every helper is used here
#[path = "../tests/support/http_server.rs"]
mod http_server;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use http_server::{Reply, serve};
use specwatch::fetch::{FetchRequest, FetchResponse, Fetcher, FetcherOptions, Source};

const MB: u64 = 1024 * 1024;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(run());
}

async fn run() {
    let bomb = Arc::new(gzip_zeros(200 * MB));
    let srv = serve(move |req| match req.target.as_str() {
        "/chunked" => Reply::Stream {
            total: 200 * MB,
            chunk: 64 * 1024,
            content_length: false,
        },
        "/sized" => Reply::Stream {
            total: 200 * MB,
            chunk: 64 * 1024,
            content_length: true,
        },
        "/bomb" => Reply::ok(bomb.as_ref().clone(), &[("Content-Encoding", "gzip")]),
        _ => {
            if req.header("if-none-match").is_some() {
                Reply::status(304, "", &[("ETag", "\"v1\"")])
            } else {
                Reply::ok("{}", &[("ETag", "\"v1\"")])
            }
        }
    })
    .await;
    let fetcher = Fetcher::new(FetcherOptions::default()).expect("fetcher");

    println!("200 MB response, 1 MB cap (median of 5):");
    for path in ["/chunked", "/sized", "/bomb"] {
        let mut times = Vec::new();
        let mut growth = Vec::new();
        for _ in 0..5 {
            reset_hwm();
            let before = vm_kib("VmHWM:");
            let src = source(&srv.url(path));
            let start = Instant::now();
            let r = fetcher.fetch(&request(&src, None)).await;
            times.push(start.elapsed());
            growth.push(vm_kib("VmHWM:").saturating_sub(before));
            let e = r.expect_err("must exceed the cap");
            assert_eq!(e.kind().as_str(), "too_large", "{e}");
        }
        times.sort();
        growth.sort();
        println!(
            "  {path:<9} abort after {:>8.2} ms, peak RSS growth {:>6} KiB (max {} KiB)",
            times[2].as_secs_f64() * 1e3,
            growth[2],
            growth[4]
        );
    }

    // 304 throughput.
    let src = source(&srv.url("/spec.json"));
    const N: usize = 5000;
    const IN_FLIGHT: usize = 64;
    for _ in 0..200 {
        // Warm the connection pool.
        let _ = fetcher.fetch(&request(&src, Some("\"v1\""))).await;
    }
    let start = Instant::now();
    let not_modified = futures_util::stream::iter(0..N)
        .map(|_| {
            let (fetcher, src) = (fetcher.clone(), src.clone());
            async move {
                matches!(
                    fetcher.fetch(&request(&src, Some("\"v1\""))).await,
                    Ok(FetchResponse::NotModified { .. })
                )
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .filter(|ok| std::future::ready(*ok))
        .count()
        .await;
    let took = start.elapsed();
    assert_eq!(not_modified, N);
    println!(
        "304 throughput: {N} conditional GETs, {IN_FLIGHT} in flight: {:.0} fetches/s ({:.1} ms total; server shares the 2 runtime threads)",
        N as f64 / took.as_secs_f64(),
        took.as_secs_f64() * 1e3
    );
}

fn source(url: &str) -> Source {
    Source::parse(url, Path::new("/")).expect("url")
}

fn request<'a>(src: &'a Source, etag: Option<&'a str>) -> FetchRequest<'a> {
    FetchRequest {
        source: src,
        headers: &[],
        timeout: Duration::from_secs(60),
        max_size: MB,
        connect_timeout: None,
        etag,
        last_modified: None,
    }
}

/// 200 MB of zeros, gzip'd (about 200 KB), compressed in 1 MB steps to keep setup memory small.
fn gzip_zeros(total: u64) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let block = vec![0u8; MB as usize];
    for _ in 0..total / MB {
        enc.write_all(&block).expect("gzip");
    }
    enc.finish().expect("gzip")
}

/// A `/proc/self/status` field in KiB (0 where unavailable).
fn vm_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Resets VmHWM to the current RSS (Linux: writing 5 to clear_refs).
fn reset_hwm() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
