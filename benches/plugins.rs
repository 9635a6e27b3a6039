//! WASM plugin host budgets (issue "WASM plugin sinks"): delivery overhead excluding the
//! network (fresh store + instance + `deliver` of the `echo` plugin in dry-run mode)
//! median ≤ 100 µs; first load (compile) of a ~100 KB plugin ≤ 150 ms; load from the
//! warm compile cache ≤ 1 ms. Also reports echo → loopback HTTP for reference.
//! Run: `cargo bench --bench plugins`. Prints a Markdown table.

#[path = "../tests/support/wasm.rs"]
mod wasm;

use std::path::Path;
use std::time::{Duration, Instant};

use specwatch::config::Secret;
use specwatch::config::alerts::PluginSinkConfig;
use specwatch::plugin_host::{Plugins, PluginsOptions};
use specwatch::sinks::{Delivery, SharedSink};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

const DELIVERY_BUDGET: Duration = Duration::from_micros(100);
const FIRST_LOAD_BUDGET: Duration = Duration::from_millis(150);
const CACHED_LOAD_BUDGET: Duration = Duration::from_millis(1);

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn fmt(d: Duration) -> String {
    if d < Duration::from_millis(1) {
        format!("{:.1} µs", d.as_secs_f64() * 1e6)
    } else {
        format!("{:.2} ms", d.as_secs_f64() * 1e3)
    }
}

fn payload() -> specwatch::notification::AlertPayload {
    let json = r#"{"schema":"specwatch.alert.v1","id":"n-1","idempotency_key":"n-1:bench",
      "fingerprint":"fp","group_key":"default/stripe","status":"firing","event":"breaking_change",
      "level":"breaking","title":"stripe: 1 breaking change in v7","summary":"removed `amount`",
      "watch":{"name":"stripe","provider":"Stripe","product":null,"labels":{"team":"payments"}},
      "created_at":"2026-12-01T08:00:00.000Z","repeat":false,"links":{},
      "events":[{"kind":"breaking_change","level":"breaking","fingerprint":"fp",
        "occurred_at":"2026-12-01T08:00:00.000Z","summary":"1 breaking change",
        "versions":{"from":6,"to":7},"counts":{"breaking":1,"warning":0,"info":0},
        "changes_total":1,"changes":[{"id":"response-property-removed","level":"breaking",
        "operation":"GET /v1/charges","pointer":"/paths/~1v1~1charges/get",
        "message":"removed the response property `amount`","fingerprint":"c1"}]}]}"#;
    serde_json::from_str(json).expect("sample payload parses")
}

fn sink_cfg(config: String) -> PluginSinkConfig {
    PluginSinkConfig {
        plugin: "echo".into(),
        allowed_hosts: vec![],
        allow_http_hosts: vec!["127.0.0.1".into()],
        config: Secret(config),
        interpolated: vec![],
    }
}

async fn time_deliveries(sink: &SharedSink, n: usize) -> Duration {
    let p = payload();
    let body = serde_json::to_vec(&p).unwrap();
    let d = Delivery {
        payload: &p,
        body: &body,
        idempotency_key: "n-1:bench",
        attempt: 1,
    };
    for _ in 0..50 {
        sink.deliver(&d).await.expect("warm-up delivery");
    }
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let r = sink.deliver(&d).await;
        times.push(t.elapsed());
        r.expect("delivery succeeds");
    }
    median(times)
}

/// A keep-alive HTTP/1.1 receiver on 127.0.0.1 that answers every POST with 200.
async fn receiver() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut r = BufReader::new(r);
                loop {
                    let mut len = 0usize;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            len = v.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0; len];
                    if r.read_exact(&mut body).await.is_err() {
                        return;
                    }
                    let resp = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
                    if w.write_all(resp.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}/hook")
}

async fn load_times(dir: &Path, cache: Option<&Path>, runs: usize) -> Duration {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        // A fresh host each time: the registry skips unchanged files.
        let plugins = Plugins::new(PluginsOptions {
            dir: dir.to_path_buf(),
            cache_dir: cache.map(Path::to_path_buf),
            ..PluginsOptions::default()
        })
        .unwrap();
        let t = Instant::now();
        let info = plugins.load_one("echo").await.expect("echo loads");
        times.push(t.elapsed());
        assert_eq!(info.from_cache, cache.is_some());
    }
    median(times)
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing to run: keep it quick.
    if !std::env::args().any(|a| a == "--bench") {
        println!("plugins bench: run with `cargo bench --bench plugins`");
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let wasm = wasm::plugin("echo");
        let size = std::fs::metadata(&wasm).unwrap().len();
        let dir = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        std::fs::copy(&wasm, dir.path().join("echo.wasm")).unwrap();

        let first = load_times(dir.path(), None, 7).await;
        // This host's first load fills the cache; then fresh hosts measure hits.
        let plugins = Plugins::new(PluginsOptions {
            dir: dir.path().to_path_buf(),
            cache_dir: Some(cache.path().to_path_buf()),
            ..PluginsOptions::default()
        })
        .unwrap();
        plugins.load_one("echo").await.unwrap();
        let cached = load_times(dir.path(), Some(cache.path()), 51).await;

        let dry = sink_cfg(r#"{"url": "https://x.example/", "dry_run": true}"#.into());
        plugins.set_sinks(vec![("bench".into(), dry.clone())]);
        plugins.load_one("echo").await.unwrap();
        let sink = plugins.sink("bench", &dry, Duration::from_secs(10));
        let overhead = time_deliveries(&sink, 5000).await;

        let url = receiver().await;
        let http = sink_cfg(format!(r#"{{"url": "{url}"}}"#));
        plugins.set_sinks(vec![("bench-http".into(), http.clone())]);
        plugins.load_one("echo").await.unwrap();
        let sink = plugins.sink("bench-http", &http, Duration::from_secs(10));
        let loopback = time_deliveries(&sink, 2000).await;

        println!("| plugin host (echo.wasm, {size} B) | median | budget | ok |");
        println!("|---|---:|---:|---|");
        let mut over = Vec::new();
        for (what, t, budget) in [
            (
                "delivery overhead: fresh store + instance + deliver (dry run, 5000 runs)",
                overhead,
                Some(DELIVERY_BUDGET),
            ),
            (
                "first load: read + SHA-256 + compile + link + describe (no cache, 7 runs)",
                first,
                Some(FIRST_LOAD_BUDGET),
            ),
            (
                "cached load: read + SHA-256 + deserialize .cwasm + link + describe (51 runs)",
                cached,
                Some(CACHED_LOAD_BUDGET),
            ),
            (
                "delivery via http-send to a loopback receiver (reference, 2000 runs)",
                loopback,
                None,
            ),
        ] {
            let ok = budget.is_none_or(|b| t <= b);
            if !ok {
                over.push(what);
            }
            println!(
                "| {what} | {} | {} | {} |",
                fmt(t),
                budget.map_or("–".into(), fmt),
                if budget.is_none() {
                    "–"
                } else if ok {
                    "yes"
                } else {
                    "NO"
                }
            );
        }
        if !over.is_empty() {
            println!("\nOVER BUDGET: {}", over.join("; "));
        }
    });
}
