//! Every `[[sink]]` example in config.example.toml works as written: uncommented, with
//! its `${VARS}` set, the config validates (plugin sinks loaded, URLs inside their
//! `allowed_hosts`), and each plugin sink's config passes its real plugin's
//! `specwatch plugin check --config`.

use crate::support;
use crate::support::wasm;

use specwatch::config::alerts::SinkKind;
use support::specwatch;

/// Values for the example's `${VARS}`, shaped like the real credentials.
const ENV: &[(&str, &str)] = &[
    ("SPECWATCH_WEBHOOK_SECRET", "whsec-0123456789abcdef"),
    ("SMTP_PASSWORD", "smtp-password"),
    (
        "SLACK_WEBHOOK_URL",
        "https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXX",
    ),
    ("PAGERDUTY_ROUTING_KEY", "0123456789abcdef0123456789abcdef"),
    ("OPSGENIE_API_KEY", "eb243592-faa2-4ba2-a551q-1afdf565c889"),
];

/// The commented-out `[[sink]]` blocks, uncommented.
fn sink_examples() -> Vec<String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.toml"))
        .unwrap();
    let mut out: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let body = line.strip_prefix("# ").or_else(|| line.strip_prefix('#'));
        match body {
            Some(b) if b.trim() == "[[sink]]" => {
                out.extend(current.take());
                current = Some("[[sink]]\n".into());
            }
            Some(b) if current.is_some() && !b.trim().is_empty() && !b.starts_with('[') => {
                let c = current.as_mut().unwrap();
                c.push_str(b);
                c.push('\n');
            }
            _ => out.extend(current.take()),
        }
    }
    out.extend(current);
    out
}

#[test]
fn every_sink_example_in_the_example_config_passes_plugin_check() {
    let examples = sink_examples();
    let dir = tempfile::tempdir().unwrap();
    let plugins = dir.path().join("plugins");
    std::fs::create_dir(&plugins).unwrap();
    let config = format!(
        "[storage]\npath = \"{}\"\n[plugins]\ndir = \"plugins\"\n{}",
        dir.path().join("store").display(),
        examples.join("\n")
    );
    let env = |name: &str| {
        ENV.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    };
    let cfg = specwatch::config::parse(&config, &dir.path().join("config.toml"), &env)
        .unwrap_or_else(|e| panic!("{e}\n{config}"));
    let mut checked = Vec::new();
    for s in &cfg.alerting.sinks {
        let SinkKind::Plugin(p) = &s.kind else {
            continue;
        };
        let wasm = wasm::plugin(&p.plugin);
        std::fs::copy(&wasm, plugins.join(format!("{}.wasm", p.plugin))).unwrap();
        let o = specwatch(&[
            "plugin",
            "check",
            wasm.to_str().unwrap(),
            "--config",
            p.config.expose(),
        ]);
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success() && stdout.contains("config:        valid"),
            "sink {:?} (plugin {}): {stdout}{}",
            s.name,
            p.plugin,
            String::from_utf8_lossy(&o.stderr)
        );
        checked.push(p.plugin.clone());
    }
    assert!(
        checked.len() >= 3 && checked.contains(&"slack".to_string()),
        "plugin sink examples checked: {checked:?}"
    );
    assert!(
        cfg.alerting.sinks.len() > checked.len(),
        "the builtin examples load too"
    );
    // `validate` loads the plugins and checks each sink's URLs against its allowed_hosts.
    let path = dir.path().join("config.toml");
    std::fs::write(&path, &config).unwrap();
    let mut cmd = std::process::Command::new(support::bin());
    cmd.args(["validate", path.to_str().unwrap()]);
    for (k, v) in ENV {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}
