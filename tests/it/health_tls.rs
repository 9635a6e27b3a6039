//! Certificate expiry: a loopback https API whose certificate (made at test time with
//! `openssl`) expires in 3 days raises exactly one `cert_expiring`, committed to the
//! outbox, and `health` reports the expiry per host.

use crate::support;

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use specwatch::clock::now_millis;
use specwatch::fetch::{Fetcher, FetcherOptions};
use specwatch::notification::EventKind;
use specwatch::pipeline::Pipeline;
use specwatch::store::Store;

/// A certificate for 127.0.0.1 valid for `days` days, and its key (PEM).
fn make_cert(dir: &std::path::Path, days: u32) -> (Vec<u8>, Vec<u8>) {
    let (crt, key) = (dir.join("c.pem"), dir.join("k.pem"));
    let out = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args([
            "-nodes",
            "-days",
            &days.to_string(),
            "-subj",
            "/CN=127.0.0.1",
        ])
        .args([
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-addext",
            "basicConstraints=critical,CA:FALSE",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&crt)
        .output()
        .expect("openssl (apt-get install openssl)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (std::fs::read(crt).unwrap(), std::fs::read(key).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_expiring_in_3_days_raises_one_cert_expiring() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = make_cert(dir.path(), 3);
    let addr = support::tls::https_server(&cert, &key).await;
    let spec = serde_json::json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "servers": [{"url": format!("https://{addr}")}],
        "paths": {"/ping": {"get": {}}, "/pong": {"get": {}}}
    });
    std::fs::write(dir.path().join("spec.json"), spec.to_string()).unwrap();
    let text = format!(
        "[storage]\npath = \"{}\"\n[[watch]]\nname = \"tls\"\nurl = \"spec.json\"\n[watch.health]\nenabled = true\nschedule = \"every 1s\"\n",
        dir.path().join("store").display()
    );
    let cfg = specwatch::config::parse(&text, &dir.path().join("c.toml"), &|_| None).unwrap();
    let store = Arc::new(Store::open(&dir.path().join("store")).unwrap());
    let fetcher = Fetcher::new(FetcherOptions {
        extra_roots_pem: Some(cert.clone()),
        ..FetcherOptions::default()
    })
    .unwrap();
    let pipeline = Pipeline::new(store.clone(), fetcher.clone());
    pipeline.poll(&cfg.watches[0]).await.unwrap();

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let prober = specwatch::health::start(
        store.clone(),
        fetcher,
        &cfg.watches,
        Arc::default(),
        stop_rx,
    );
    let expiring = |store: &Store| {
        store
            .new_alerts()
            .unwrap()
            .into_iter()
            .filter(|a| a.event.kind == EventKind::CertExpiring)
            .collect::<Vec<_>>()
    };
    let start = Instant::now();
    while expiring(&store).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no cert_expiring raised"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Both endpoints share the host; more probes follow: still one event.
    let h0 = specwatch::health::query::watch_health(&store, "tls", now_millis()).unwrap();
    let probes = h0.windows.h24.probes;
    while specwatch::health::query::watch_health(&store, "tls", now_millis())
        .unwrap()
        .windows
        .h24
        .probes
        < probes + 4
    {
        assert!(start.elapsed() < Duration::from_secs(30), "probes stopped");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let metrics = prober.metrics();
    assert_eq!(metrics.len(), 2, "{metrics:?}");
    for m in &metrics {
        assert!(m.checks_total >= 2 && m.failures_total == 0, "{m:?}");
        assert_eq!(m.latency_count, m.checks_total);
        assert_eq!(m.latency_le[m.latency_le.len() - 1], m.latency_count);
    }
    let _ = stop_tx.send(true);
    prober.join().await;

    let alerts = expiring(&store);
    assert_eq!(alerts.len(), 1, "{alerts:#?}");
    let e = &alerts[0].event;
    assert!(e.summary.contains("expires in 2 days"), "{}", e.summary);
    assert!(e.summary.contains(&addr.to_string()), "{}", e.summary);
    let h = specwatch::health::query::watch_health(&store, "tls", now_millis()).unwrap();
    assert_eq!(h.certificates.len(), 1, "{:?}", h.certificates);
    assert_eq!(h.certificates[0].host, addr.to_string());
    assert_eq!(h.certificates[0].days_left, 2);
    let left = h.certificates[0].not_after - now_millis();
    assert!(
        (2 * 86_400_000..3 * 86_400_000 + 60_000).contains(&left),
        "{left}"
    );
    assert_eq!(
        h.counts.up, 2,
        "both https endpoints are up: {:?}",
        h.endpoints
    );
}
