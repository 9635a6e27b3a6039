//! Issue 14 on the status page: per-version summaries on the watch page, the HTML docs
//! page (its own CSP allowing only its inline style and script), the normalized spec
//! download, the compare view's summary and the agent context at
//! `/api/v1/watches/{name}/changes.md`.

use crate::support;

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use support::{Daemon, Env, config_for};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn spec(field: &str, extra_path: bool) -> String {
    let orders = if extra_path {
        "  /orders:\n    get:\n      responses:\n        '200': {description: ok}\n"
    } else {
        ""
    };
    format!(
        "openapi: 3.0.3\ninfo: {{title: Shop, version: '1', description: x}}\npaths:\n  /items:\n    get:\n      description: \"<script>alert(1)</script>\"\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                required: [{field}]\n                properties:\n                  {field}: {{type: string}}\n{orders}"
    )
}

struct Got {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

fn get(rt: &tokio::runtime::Runtime, url: &str) -> Got {
    rt.block_on(async {
        let r = reqwest::get(url).await.unwrap();
        Got {
            status: r.status().as_u16(),
            headers: r.headers().clone(),
            body: r.text().await.unwrap(),
        }
    })
}

#[test]
fn status_page_serves_summaries_docs_normalized_spec_and_agent_context() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.yaml");
    std::fs::write(&file, spec("title", false)).unwrap();
    let port = free_port();
    let env = Env::new(&config_for(
        &dir.path().join("store"),
        &[("shop", file.to_str().unwrap())],
        &format!("[server]\nlisten = \"127.0.0.1:{port}\"\n"),
    ));
    let mut d = Daemon::start(&env.config, &[]);
    assert!(
        d.wait_line("new version", Duration::from_secs(20))
            .is_some(),
        "{}",
        d.log()
    );
    for (field, orders) in [("name", true), ("label", true)] {
        std::fs::write(&file, spec(field, orders)).unwrap();
        let out = env.run(&["poll", "shop"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    while get(&rt, &format!("{base}/readyz")).status != 200 {
        assert!(start.elapsed() < Duration::from_secs(20), "{}", d.log());
        std::thread::sleep(Duration::from_millis(100));
    }

    let page = get(&rt, &format!("{base}/watches/shop"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("1 breaking change"), "{}", page.body);
    assert!(page.body.contains("href=\"/watches/shop/versions/2/docs\""));
    assert!(
        page.body
            .contains("/api/v1/watches/shop/versions/2/normalized")
    );
    // The compare view of two non-consecutive versions shows their summary.
    let cmp = get(&rt, &format!("{base}/watches/shop?from=1&to=3"));
    assert!(cmp.body.contains("id=\"summary\""), "{}", cmp.body);
    assert!(
        cmp.body.contains("new endpoint GET /orders"),
        "{}",
        cmp.body
    );

    let docs = get(&rt, &format!("{base}/watches/shop/versions/2/docs"));
    assert_eq!(docs.status, 200);
    let csp = docs.headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'sha256-") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let parsed = scraper::Html::parse_document(&docs.body);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert!(docs.body.contains("id=\"op-get-orders\""));
    assert!(docs.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // The hashes in the CSP are those of the page's inline style and script.
    use base64::Engine as _;
    // (The source text as the browser hashes it: between the tags, as sent.)
    let script = docs
        .body
        .split("<script>")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()));
    assert!(csp.contains(&hash), "{csp}");

    let norm = get(
        &rt,
        &format!("{base}/api/v1/watches/shop/versions/2/normalized"),
    );
    assert_eq!(norm.status, 200);
    assert!(
        norm.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("shop-v2.normalized.json")
    );
    let history = env.history_json("shop");
    let v2 = history["versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["number"] == 2)
        .unwrap();
    assert_eq!(
        hex::encode(Sha256::digest(norm.body.as_bytes())),
        v2["semantic_hash"].as_str().unwrap()
    );

    let md = get(
        &rt,
        &format!("{base}/api/v1/watches/shop/changes.md?since=1"),
    );
    assert_eq!(md.status, 200);
    assert!(
        md.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/markdown")
    );
    assert!(md.body.starts_with("# API changes: shop"), "{}", md.body);
    assert!(
        md.body.contains("## What breaks and what to change"),
        "{}",
        md.body
    );
    let summary = get(
        &rt,
        &format!("{base}/api/v1/watches/shop/versions/3/summary"),
    );
    let json: serde_json::Value = serde_json::from_str(&summary.body).unwrap();
    assert!(
        json["headline"].as_str().unwrap().contains("breaking"),
        "{json}"
    );
    // The watch's feed carries each version's summary.
    let feed = get(&rt, &format!("{base}/watches/shop/feed.atom"));
    assert!(
        feed.body.contains("new endpoint GET /orders"),
        "{}",
        feed.body
    );
    let bad = get(
        &rt,
        &format!("{base}/api/v1/watches/shop/changes.md?since=someday"),
    );
    assert_eq!(bad.status, 400);
    d.stop();
}
