//! Message templates: a sink's `title` / `body` (minijinja, the `specwatch.alert.v1`
//! document as context) reach a webhook and a plugin sink (the real Slack plugin); a
//! template error is a `specwatch validate` error on the template's line; and every
//! variable the docs list is in the document a template sees.

use crate::support;
use crate::support::wasm;

use std::time::Duration;

use support::{Daemon, Env, Reply, Server, spec_v, specwatch};

const TITLE: &str = "{{ watch.name | upper }} changed: {{ events[0].counts.breaking }} breaking";
const BODY: &str = "Version {{ events[0].versions.from }} to {{ events[0].versions.to }}\n\
{% for c in events[0].changes %}* {{ c.operation or \"document\" }}: {{ c.id }}\n{% endfor %}";

#[test]
fn custom_titles_and_bodies_reach_a_webhook_and_a_plugin_sink() {
    let hook = Server::start(|_| Reply::ok("ok"));
    let slack = Server::start(|_| Reply::ok("ok"));
    let body = std::sync::Arc::new(std::sync::Mutex::new(spec_v(3)));
    let b = body.clone();
    let specs = Server::start(move |_| Reply::ok(b.lock().unwrap().clone()));
    let dir = tempfile::tempdir().unwrap();
    let plugins = dir.path().join("plugins.d");
    std::fs::create_dir(&plugins).unwrap();
    std::fs::copy(wasm::plugin("slack"), plugins.join("slack.wasm")).unwrap();
    let templates = format!("title = '''{TITLE}'''\nbody = '''\n{BODY}'''\n");
    let cfg = format!(
        "[storage]\npath = \"{store}\"\n[polling]\nshutdown_timeout = \"5s\"\n\
         [plugins]\ndir = \"{plugins}\"\n\
         [[watch]]\nname = \"api\"\nurl = \"{spec}\"\nschedule = \"every 1h\"\ntimeout = \"2s\"\n\
         [[sink]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"{hook}\"\n{templates}\
         [[sink]]\nname = \"slack\"\ntype = \"plugin\"\nplugin = \"slack\"\n\
         allowed_hosts = [\"127.0.0.1\"]\nallow_http_hosts = [\"127.0.0.1\"]\n\
         config = {{ webhook_url = \"{slack_url}\" }}\n{templates}\
         [[sink]]\nname = \"plain\"\ntype = \"webhook\"\nurl = \"{plain}\"\n\
         [[route]]\nsinks = [\"hook\", \"slack\", \"plain\"]\n",
        store = dir.path().join("store").display(),
        plugins = plugins.display(),
        spec = specs.url("/spec.yaml"),
        hook = hook.url("/hook"),
        slack_url = slack.url("/services/T0/B0/X"),
        plain = hook.url("/plain"),
    );
    let env = Env::new(&cfg);
    let o = env.run(&["validate"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut d = Daemon::start(&env.config, &[]);
    d.wait_line("new version 1", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("no baseline; log:\n{}", d.log()));
    *body.lock().unwrap() = spec_v(2); // removes /items2: breaking
    assert!(String::from_utf8_lossy(&env.run(&["poll", "api"]).stdout).contains("new version 2"));
    for (server, path) in [
        (&hook, "/hook"),
        (&hook, "/plain"),
        (&slack, "/services/T0/B0/X"),
    ] {
        assert!(
            server.wait_for(path, 1, Duration::from_secs(15)).is_some(),
            "nothing reached {path}; log:\n{}",
            d.log()
        );
    }
    let json = |server: &Server, path: &str| -> serde_json::Value {
        let r = server
            .requests()
            .into_iter()
            .find(|r| r.path == path)
            .unwrap();
        serde_json::from_slice(&r.body).unwrap()
    };
    let want_body = "Version 1 to 2\n* GET /items2: api-path-removed-without-deprecation\n* document: api-version-decreased";
    // The webhook: the document with the rendered title and body (summary).
    let w = json(&hook, "/hook");
    assert_eq!(w["title"], "API changed: 1 breaking", "{w:#}");
    assert_eq!(w["summary"], want_body, "{w:#}");
    assert_eq!(w["schema"], "specwatch.alert.v1");
    // A sink without templates keeps today's message.
    let p = json(&hook, "/plain");
    assert!(
        p["title"]
            .as_str()
            .unwrap()
            .starts_with("api v2: 1 breaking change"),
        "{p:#}"
    );
    // The Slack plugin renders the templated title and summary.
    let s = json(&slack, "/services/T0/B0/X");
    assert!(
        s["text"]
            .as_str()
            .unwrap()
            .ends_with("API changed: 1 breaking"),
        "{s:#}"
    );
    let section = s["blocks"][1]["text"]["text"].as_str().unwrap();
    assert_eq!(
        section,
        format!("*API changed: 1 breaking*\n{want_body}"),
        "{s:#}"
    );
    assert!(d.stop().success());
}

#[test]
fn a_template_error_is_a_validation_error_on_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    // Line 5 opens the body; its template's second line (file line 7) has the bad filter.
    let text = format!(
        "[storage]\npath = \"{}\"\n[[sink]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"https://hooks.example/x\"\nbody = \"\"\"\n{{{{ title }}}}\n{{{{ summary | no_such_filter }}}}\n\"\"\"\ntitle = \"{{% if %}}\"\n",
        dir.path().join("store").display()
    );
    std::fs::write(&config, &text).unwrap();
    let o = specwatch(&["validate", config.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let body_line = line_of("no_such_filter");
    assert!(
        stderr.contains(&format!(
            "config.toml:{body_line}:1: sink[0].body: template error on line 2 of the template"
        )) && stderr.contains("no_such_filter"),
        "{stderr}"
    );
    let title_line = line_of("{% if %}");
    assert!(
        stderr.contains(&format!("config.toml:{title_line}:"))
            && stderr.contains("sink[0].title: template error on line 1"),
        "{stderr}"
    );
}

/// Every field docs/alerts.md lists for the notification, its watch, links and events
/// is a variable templates can use, and every field of the document is documented.
#[test]
fn the_documented_variables_are_the_template_context() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/alerts.md")).unwrap();
    let templates_doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/alert-templates.md"
    ))
    .unwrap();
    // The first-column `names` of the tables under each heading.
    let fields = |heading: &str| -> Vec<String> {
        let start = doc.find(heading).unwrap_or_else(|| panic!("{heading}")) + heading.len();
        let rest = &doc[start..];
        let end = rest[1..].find("\n#").map_or(rest.len(), |i| i + 1);
        rest[..end]
            .lines()
            .filter(|l| l.starts_with("| `"))
            .map(|l| l[3..].split('`').next().unwrap().to_string())
            .collect()
    };
    let samples = specwatch::notification::template::samples();
    let values: Vec<serde_json::Value> = samples
        .iter()
        .map(|s| serde_json::to_value(s).unwrap())
        .collect();
    type Pick = fn(&serde_json::Value) -> &serde_json::Value;
    let sections: [(&str, &str, Pick); 4] = [
        ("## The notification\n", "", |v| v),
        ("### `watch`\n", "watch.", |v| &v["watch"]),
        ("### `links`\n", "links.", |v| &v["links"]),
        ("### Events\n", "events[0].", |v| &v["events"][0]),
    ];
    for (heading, prefix, pick) in sections {
        let documented = fields(heading);
        assert!(!documented.is_empty(), "{heading}");
        for f in &documented {
            let defined = samples.iter().any(|sample| {
                specwatch::notification::template::render(
                    &format!("{{% if {prefix}{f} is defined %}}yes{{% endif %}}"),
                    sample,
                )
                .unwrap()
                    == "yes"
            });
            assert!(defined, "documented `{prefix}{f}` is not in the context");
            assert!(
                templates_doc.contains(&format!("{f}`")),
                "docs/alert-templates.md does not list `{f}`"
            );
        }
        for v in &values {
            let undocumented: Vec<&String> = pick(v)
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| !documented.contains(k))
                .collect();
            assert!(
                undocumented.is_empty(),
                "undocumented under {heading}: {undocumented:?}"
            );
        }
    }
}

/// The example in docs/alert-templates.md is a valid sink whose templates render.
#[test]
fn the_documented_template_example_loads() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/alert-templates.md"
    ))
    .unwrap();
    let start = doc.find("```toml\n").unwrap() + 8;
    let end = start + doc[start..].find("\n```").unwrap();
    let text = format!("[storage]\npath = \"/tmp/x\"\n{}", &doc[start..end]);
    let cfg = specwatch::config::parse(
        &text,
        std::path::Path::new("/etc/specwatch/config.toml"),
        &|_| None,
    )
    .unwrap_or_else(|e| panic!("{e}\n{text}"));
    let t = &cfg.alerting.sinks[0].templates;
    let sample = &specwatch::notification::template::samples()[0];
    let (p, err) = specwatch::notification::template::apply(t, sample);
    assert_eq!(err, None);
    assert_eq!(p.title, "[BREAKING] stripe v7");
    assert!(
        p.summary
            .contains("- GET /v1/charges: the query parameter 'limit' was removed"),
        "{}",
        p.summary
    );
    assert!(
        p.summary
            .ends_with("https://specwatch.example/watches/stripe"),
        "{}",
        p.summary
    );
}
