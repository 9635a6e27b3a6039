//! Issue 14, acceptance 4: `specwatch changelog` and `specwatch docs` work offline on the
//! stored history (a file-based watch polled three times; no daemon, no network).

use crate::support;

use support::{Env, config_for, specwatch};

fn spec(version: u32) -> String {
    // v1 → v2: `shipping_rates` becomes `shipping_options`, GET /orders is added, `q`
    // is deprecated; v3: `q` is removed.
    let (field, q, orders) = match version {
        1 => ("shipping_rates", Some(false), false),
        2 => ("shipping_options", Some(true), true),
        _ => ("shipping_options", None, true),
    };
    let param = match q {
        Some(dep) => format!(
            "      parameters:\n        - name: q\n          in: query\n          deprecated: {dep}\n          schema: {{type: string}}\n"
        ),
        None => String::new(),
    };
    let orders = if orders {
        "  /orders:\n    get:\n      responses:\n        '200': {description: ok}\n"
    } else {
        ""
    };
    format!(
        "openapi: 3.0.3\ninfo: {{title: Shop, version: '{version}.0'}}\npaths:\n  /items:\n    get:\n{param}      responses:\n        '200': {{description: ok}}\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n                {field}: {{type: string}}\n      responses:\n        '200': {{description: ok}}\n{orders}"
    )
}

fn stdout(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn changelog_and_docs_read_the_stored_history_offline() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.yaml");
    let env = Env::new(&config_for(
        &dir.path().join("store"),
        &[("shop", file.to_str().unwrap())],
        "",
    ));
    for v in 1..=3 {
        std::fs::write(&file, spec(v)).unwrap();
        let out = stdout(&env.run(&["poll", "shop"]));
        assert!(out.contains(&format!("new version {v}")), "{out}");
    }

    let text = stdout(&env.run(&["changelog", "shop"]));
    assert!(text.contains("v1 "), "{text}");
    assert!(
        text.contains("stop sending `shipping_rates`; use `shipping_options`"),
        "{text}"
    );
    assert!(text.contains("new endpoint GET /orders"), "{text}");

    // The agent context: breaking first, the deprecation and the later removal as one line.
    let md = stdout(&env.run(&["changelog", "shop", "--format", "markdown"]));
    assert!(md.starts_with("# API changes: shop"), "{md}");
    let q_lines: Vec<&str> = md.lines().filter(|l| l.contains("`q`")).collect();
    assert_eq!(q_lines.len(), 1, "{md}");
    assert!(
        q_lines[0].contains("deprecated in v2, removed in v3"),
        "{md}"
    );
    assert!(q_lines[0].contains("v2→v3"), "{md}");

    let since = stdout(&env.run(&["changelog", "shop", "--since", "2", "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&since).unwrap();
    let versions: Vec<u64> = json["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_u64().unwrap())
        .collect();
    assert_eq!(versions, [3]);

    // Any two versions, not only consecutive ones.
    let cmp = stdout(&env.run(&["changelog", "shop", "--compare", "1..3"]));
    assert!(cmp.contains("`shipping_rates`"), "{cmp}");
    assert!(cmp.contains("`q`"), "{cmp}");

    let html_path = dir.path().join("v2.html");
    stdout(&env.run(&[
        "docs",
        "shop",
        "2",
        "--format",
        "html",
        "-o",
        html_path.to_str().unwrap(),
    ]));
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.contains("id=\"op-get-orders\""), "{html}");
    let md = stdout(&env.run(&["docs", "shop", "1", "--format", "markdown"]));
    assert!(
        md.contains("`shipping_rates`") && !md.contains("/orders"),
        "{md}"
    );
    // Latest by default.
    let md = stdout(&env.run(&["docs", "shop"]));
    assert!(
        md.contains("`shipping_options`") && md.contains("/orders"),
        "{md}"
    );

    // A local file needs no config at all.
    let md = stdout(&specwatch(&["docs", file.to_str().unwrap()]));
    assert!(md.contains("# Shop"), "{md}");

    let bad = env.run(&["docs", "shop", "9"]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("no version 9"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}
