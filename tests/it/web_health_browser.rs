//! Endpoint health in `specwatch demo`, offline, in a real headless Chromium: the
//! demo's `GET /v1/orders/{id}` fails and recovers, so `endpoint_down` and
//! `endpoint_recovered` are delivered; the watch page shows the health table and the
//! latency charts (last hour per minute, 24 h and 7 d per hour), the overview and the API count endpoints up and down, and the
//! `endpoint_*` metrics parse. Screenshots go to `target/web-screenshots/`.

use crate::support;

use std::time::{Duration, Instant};

use serde_json::Value;
use support::browser::{Demo, artifacts, dom, free_port, get, json, screenshot};
use support::metrics::{parse_metrics, sample};

const TOKEN: &str = "demo-token-for-the-health-browser-test";
const FAILING: &str = "GET /v1/orders/{id}";

fn sent(alerts: &Value, kind: &str) -> bool {
    alerts["items"].as_array().is_some_and(|a| {
        a.iter().any(|x| {
            x["alert"]["event"]["kind"] == kind
                && x["deliveries"]
                    .as_array()
                    .is_some_and(|d| d.iter().any(|d| d["status"] == "sent"))
        })
    })
}

#[test]
fn demo_health_fails_recovers_and_shows_in_the_browser() {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    // Speed 5: a step every 3 s; the endpoint fails from 15 s to 24 s, probed every 1 s.
    let demo = Demo::start(port, TOKEN, &["--speed", "5"]);
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "no endpoint_down and endpoint_recovered delivered within 90 s: {}",
            get(&base, "/api/v1/alerts").unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(500));
        let Some(alerts) = json(&base, "/api/v1/alerts?watch=orders&limit=100") else {
            continue;
        };
        if sent(&alerts, "endpoint_down") && sent(&alerts, "endpoint_recovered") {
            break;
        }
    }
    eprintln!(
        "demo: endpoint down and recovered after {:?}",
        started.elapsed()
    );

    // The API: both probed endpoints are up again, and the failures are in the uptime.
    let h = json(&base, "/api/v1/watches/orders/health").unwrap();
    assert_eq!(
        h["counts"]["up"].as_u64().unwrap_or(0) + h["counts"]["degraded"].as_u64().unwrap_or(0),
        2,
        "{h}"
    );
    assert_eq!(h["counts"]["down"], 0, "{h}");
    let failing = h["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["operation"] == FAILING)
        .expect("the failing endpoint is probed (its path parameter is configured)");
    let up24 = failing["windows"]["24h"]["uptime"].as_f64().unwrap();
    assert!(up24 < 100.0 && up24 > 0.0, "failures counted: {failing}");
    assert!(failing["windows"]["24h"]["p95_ms"].as_f64().unwrap() > 0.0);
    assert!(
        !h["series"].as_array().unwrap().is_empty(),
        "hourly points for the chart"
    );
    let listed = json(&base, "/api/v1/watches/orders").unwrap();
    assert_eq!(listed["endpoints"]["down"], 0, "{listed}");

    // Metrics: the endpoint series parse and count the failures.
    let samples = parse_metrics(&get(&base, "/metrics").unwrap());
    let label = "\"endpoint\": \"GET /v1/orders/{id}\"";
    assert_eq!(
        sample(&samples, "endpoint_health_status", label),
        1.0,
        "up again"
    );
    assert!(
        sample(
            &samples,
            "endpoint_checks_total",
            &format!("{label}, \"result\": \"unhealthy\"")
        ) >= 3.0,
        "at least the three failures that took it down"
    );
    assert!(sample(&samples, "endpoint_response_time_seconds_count", label) >= 3.0);
    assert!(sample(&samples, "specwatch_endpoints", "\"state\": \"up\"") >= 1.0);

    // The browser: the health table, the charts and the overview's counts.
    let profile = tempfile::tempdir().unwrap();
    let watch_url = format!("{base}/watches/orders");
    let page = dom(profile.path(), &watch_url);
    assert!(page.contains("id=\"health-endpoints\""), "the health table");
    for op in ["GET /v1/orders", FAILING] {
        assert!(
            page.contains(&format!("data-operation=\"{op}\"")),
            "{op} in the health table"
        );
    }
    let row = &page[page.find(&format!("data-operation=\"{FAILING}\"")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("h-up") && row.contains("HTTP 200"),
        "recovered: {row}"
    );
    assert_eq!(
        page.matches("class=\"chart\"").count(),
        3,
        "charts of the last hour, 24 h and 7 d"
    );
    assert!(
        page.contains("<polyline class=\"p95\"") || page.contains("<circle class=\"p95\""),
        "latency drawn"
    );
    assert!(
        page.contains("class=\"up-warn\"") || page.contains("class=\"up-bad\""),
        "the failures are marked in the uptime strip"
    );
    let overview = dom(profile.path(), &format!("{base}/"));
    let orders = &overview[overview.find("data-watch=\"orders\"").unwrap()..];
    assert!(
        orders[..orders.find("</tr>").unwrap()].contains("data-up=\"2\" data-down=\"0\""),
        "endpoint counts on the overview"
    );
    assert!(overview.contains("id=\"endpoint-totals\""));

    let dir = artifacts();
    // The whole page, tall enough to show the health section under the diff.
    let health_url = watch_url.clone();
    screenshot(
        profile.path(),
        &health_url,
        &dir.join("watch-health.png"),
        false,
        2400,
    );
    screenshot(
        profile.path(),
        &health_url,
        &dir.join("watch-health-dark.png"),
        true,
        2400,
    );
    screenshot(
        profile.path(),
        &format!("{base}/"),
        &dir.join("overview-health.png"),
        false,
        800,
    );
    drop(demo);
}
